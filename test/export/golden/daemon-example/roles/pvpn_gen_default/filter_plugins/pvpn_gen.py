"""Filters of a role written by `pvpn-gen export ansible`.

pvpn_gen_removal: the commands (or the leftover paths) that remove services the spec no longer has, filled in from
the handles the host's manifest records. The export asked the target for them with placeholders in the handle's
values: "<serviceDir>" stands for a text, an argument "<units...>" for a list (spread, less what the command already
names). The same rules as fillStep in pvpn-gen's src/export/ansible/retire.ts, which the tests hold against the
target's own commands.
"""
import json
import re

from ansible.errors import AnsibleFilterError

LIST = re.compile(r"^<(\w+)\.\.\.>$")


def _text(text, fields, handle):
    for key in fields:
        value = handle.get(key)
        if isinstance(value, str):
            text = text.replace("<%s>" % key, value)
    return text


def _step(step, fields, handle):
    argv = []
    for arg in step["argv"]:
        match = LIST.match(arg)
        values = handle.get(match.group(1)) if match else None
        if isinstance(values, list):
            argv.extend(v for v in (str(x) for x in values) if v not in argv)
        else:
            argv.append(_text(arg, fields, handle))
    env = dict((k, _text(v, fields, handle)) for k, v in step["env"].items())
    # an exec's description is its command line
    describe = " ".join(argv) if step["describe"] == " ".join(step["argv"]) else _text(step["describe"], fields, handle)
    return {"argv": argv, "env": env, "wait": step["wait"], "describe": describe}


def pvpn_gen_removal(handles, recipes, phase):
    """PHASE (stop, removed or leftovers) for each recorded handle, in order, each command or path once."""
    out, seen = [], set()
    for handle in handles:
        recipe = recipes["periodic" if handle.get("periodic") else "daemon"]
        missing = [k for k in recipe["fields"] if not isinstance(handle.get(k), (str, list))]
        if missing:
            raise AnsibleFilterError(
                "pvpn_gen_removal: the manifest's service %r records no %s: it was written by another pvpn-gen; "
                "remove the service with `pvpn-gen uninstall` on the host, or re-export with that version"
                % (handle.get("name"), ", ".join(missing))
            )
        if phase == "leftovers":
            items = [_text(p, recipe["fields"], handle) for p in recipe["leftovers"]]
        else:
            items = [_step(s, recipe["fields"], handle) for s in recipe[phase]]
        for item in items:
            key = json.dumps(item if phase == "leftovers" else [item["argv"], item["env"]], sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


class FilterModule(object):
    def filters(self):
        return {"pvpn_gen_removal": pvpn_gen_removal}

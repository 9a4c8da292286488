#!/usr/bin/python3
"""notify-recorder.py - a minimal desktop notification server that records instead of showing.

    notify-recorder.py --log FILE [--capabilities body,body-markup] [--ready FILE] [--delay-file FILE]

Connects to the session bus named by DBUS_SESSION_BUS_ADDRESS, owns org.freedesktop.Notifications (fails if another
server has it) and implements the four methods of the Desktop Notifications spec 1.2. Every call is appended to FILE
as one JSON object per line, flushed at once, with the caller as the BUS DAEMON vouches for it (its unix uid and pid,
from GetConnectionUnixUser/GetConnectionUnixProcessID), never as the caller claims:

    {"method": "Notify", "sender": ":1.3", "uid": 1000, "pid": 42, "time": 1796472987.5, "id": 1,
     "app_name": "...", "replaces_id": 0, "app_icon": "", "summary": "...", "body": "...", "actions": [],
     "hints": {"urgency": 2}, "expire_timeout": -1, "signature": "susssasa{sv}i"}
    {"method": "GetCapabilities", "sender": ..., "uid": ..., "pid": ...}

Text is recorded exactly as received (markup included): the recorder shows nothing, so nothing is interpreted.
--ready FILE is written once the name is owned: callers wait for it instead of sleeping.
--delay-file FILE: if it holds a number N, Notify is answered N ms late (read at each call; the call is recorded
at once), to stand in for a stuck notification daemon that a sender must not wait for.
Needs python3-gi (Gio, from Debian), nothing else.
"""
import argparse
import json
import os
import signal
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/>
      <arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/>
      <arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/>
      <arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/>
      <arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" name="id" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" name="id" direction="in"/></method>
    <method name="GetServerInformation">
      <arg type="s" name="name" direction="out"/>
      <arg type="s" name="vendor" direction="out"/>
      <arg type="s" name="version" direction="out"/>
      <arg type="s" name="spec_version" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u" name="id"/><arg type="u" name="reason"/></signal>
    <signal name="ActionInvoked"><arg type="u" name="id"/><arg type="s" name="action_key"/></signal>
  </interface>
</node>
"""


def plain(value):
    """A hint's GVariant as JSON: numbers stay numbers (urgency is a byte: 2), byte arrays become lists."""
    if isinstance(value, GLib.Variant):
        value = value.unpack()
    if isinstance(value, bytes):
        return list(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--capabilities", default="body,body-markup")
    parser.add_argument("--ready")
    parser.add_argument("--delay-file")
    args = parser.parse_args()
    capabilities = [c for c in args.capabilities.split(",") if c]
    log = open(args.log, "a", encoding="utf-8")
    loop = GLib.MainLoop()
    last_id = [0]

    def caller(conn, sender):
        """uid and pid of the sender, as the bus daemon knows them from the socket's credentials"""
        ask = lambda method: conn.call_sync(  # noqa: E731
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", method,
            GLib.Variant("(s)", (sender,)), GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
        return {"sender": sender, "uid": ask("GetConnectionUnixUser"), "pid": ask("GetConnectionUnixProcessID")}

    def reply_delay_ms():
        try:
            with open(args.delay_file, encoding="utf-8") as f:
                return max(0, int(f.read().strip() or 0))
        except (TypeError, OSError, ValueError):
            return 0

    def record(entry):
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.flush()

    def on_call(conn, sender, _path, _iface, method, params, invocation):
        entry = {"method": method, **caller(conn, sender), "time": time.time()}
        if method == "Notify":
            app_name, replaces_id, app_icon, summary, body, actions, hints, expire = params.unpack()
            last_id[0] += 1
            nid = replaces_id or last_id[0]
            entry.update(id=nid, app_name=app_name, replaces_id=replaces_id, app_icon=app_icon, summary=summary,
                         body=body, actions=list(actions), hints={k: plain(v) for k, v in hints.items()},
                         expire_timeout=expire, signature=params.get_type_string()[1:-1])
            record(entry)

            def answer():
                invocation.return_value(GLib.Variant("(u)", (nid,)))
                return GLib.SOURCE_REMOVE

            delay = reply_delay_ms()
            if delay:
                GLib.timeout_add(delay, answer)
            else:
                answer()
        elif method == "GetCapabilities":
            record(entry)
            invocation.return_value(GLib.Variant("(as)", (capabilities,)))
        elif method == "GetServerInformation":
            record(entry)
            invocation.return_value(GLib.Variant("(ssss)", ("pvpn-gen-notify-recorder", "pvpn-gen", "1", "1.2")))
        elif method == "CloseNotification":
            entry["id"] = params.unpack()[0]
            record(entry)
            invocation.return_value(None)

    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not address:
        sys.exit("notify-recorder: DBUS_SESSION_BUS_ADDRESS is not set")
    flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
    conn = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
    conn.register_object(PATH, Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0], on_call, None, None)
    reply = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                           GLib.Variant("(su)", (NAME, 4)),  # 4: DBUS_NAME_FLAG_DO_NOT_QUEUE
                           GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
    if reply != 1:  # 1: DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        sys.exit(f"notify-recorder: {NAME} is already owned on {address} (RequestName said {reply})")
    conn.connect("closed", lambda *_: loop.quit())  # the bus went away: nothing left to record
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    if args.ready:
        with open(args.ready, "w", encoding="utf-8") as ready:
            ready.write(f"{os.getpid()}\n")
    loop.run()


if __name__ == "__main__":
    main()

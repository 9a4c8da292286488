#!/usr/bin/python3
"""logind-session.py - register a REAL logind session for a user, as a display manager's pam_systemd does.

    logind-session.py UID TYPE DISPLAY     (as root; TYPE: x11, wayland, tty...; DISPLAY: ":0" or "")

Calls org.freedesktop.login1.Manager.CreateSession for this process, prints one JSON line
{"session": "c1", "runtime_path": "/run/user/UID", "uid": UID} and then holds the session open until SIGTERM:
logind ends a session when the FIFO it handed out is closed, i.e. when this process goes. logind then starts
user-runtime-dir@UID (the /run/user/UID tmpfs) and user@UID (systemd --user, whose dbus.socket from
dbus-user-session is the session bus at /run/user/UID/bus), exactly as on a desktop.
This is what pam_systemd does on login (seat and VT left empty: the sandbox has no seat devices).
Needs python3-gi, and logind reachable on the system bus (systemd as PID 1).
"""
import json
import os
import signal
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402


def main():
    uid, session_type, display = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    # CreateSession(uid, pid, service, type, class, desktop, seat, vtnr, tty, display, remote, remote_user,
    # remote_host, properties): pid 0 is "the caller", which logind moves into the new session-ID.scope.
    args = GLib.Variant("(uusssssussbssa(sv))", (uid, 0, "pvpn-gen-test", session_type, "user", "pvpn-gen-test",
                                                  "", 0, "", display, False, "", "", []))
    reply, fds = bus.call_with_unix_fd_list_sync(
        "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "CreateSession",
        args, GLib.VariantType("(soshusub)"), Gio.DBusCallFlags.NONE, 30000, None, None)
    session_id, _path, runtime_path, fifo_index, *_ = reply.unpack()
    fifo = fds.get(fifo_index)  # a dup: closing it (at exit) is what ends the session
    print(json.dumps({"session": session_id, "runtime_path": runtime_path, "uid": uid, "fifo_fd": fifo}), flush=True)
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    loop.run()
    os.close(fifo)


if __name__ == "__main__":
    main()

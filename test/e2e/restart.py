#!/usr/bin/python3
"""Restart test: persistent rooms survive muc-component's SIGTERM and
SIGKILL, through a real server (scripts in restart/, replayed with
scs_runner --net, reference mode).

  1_setup       a persistent room is configured, affiliations and a
                reserved nick are set, a subject and a message sent; at its
                last step the component gets SIGTERM, and Romeo must get
                his unavailable presence with status 332; exit status 0.
  2_verify      after a new start: the room in the room list (disco#items
                on the service) before anyone uses it; configuration,
                affiliations, reserved
                nick, history (the message, with its delay) and subject
                are back; occupants rejoin and get the history.
  3_change      changes acknowledged to the client (history served,
                subject echoed, affiliation answered, a message echoed);
                then SIGKILL, no goodbye.
  4_verify_kill after a new start: every acknowledged change is back,
                the history holding both messages in order.
  5_store_fails while the test holds the database's write lock, a change
                that cannot be stored gets no answer.
  6, 7          the XMPP server crashes (SIGKILL) and starts again under
                the component: it reconnects by itself, its rooms as they
                were in memory.

Exit 0, 1, or 77 (SKIP) as run_e2e.py.
"""
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402
from run_e2e import Component, accounts  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "restart")
STEP_TIMEOUT = 60


def last_receive_line(path):
    n = 0
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if re.match(r"\S.* receives:\s*$", line):
                n = i
    return n


def replay(args, srv, name, on_last=None):
    """Run restart/NAME.scs; call |on_last| when the runner starts the
    script's last 'receives:' step.  Returns (passed, report)."""
    path = os.path.join(HERE, name + ".scs")
    want = "%4d  " % last_receive_line(path)
    p = subprocess.Popen([args.runner, "--net", "127.0.0.1:%d" % srv.c2s,
                          "--reference", "--transcript", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.monotonic() + STEP_TIMEOUT
    try:
        for line in p.stdout:
            if on_last and line.startswith(want):
                on_last()
                on_last = None
            if time.monotonic() > deadline:
                break
        _, err = p.communicate(timeout=STEP_TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode == 0, err


def main():
    ap = servers.parser()
    args = ap.parse_args()
    kind, status = servers.server_of(args)
    if status is not None:
        return status
    names = ["1_setup", "2_verify", "3_change", "4_verify_kill"]
    todo = [(n, os.path.join(HERE, n + ".scs"), "") for n in names]
    tmp = tempfile.mkdtemp(prefix="libmuc-restart-%s-" % args.server)
    db = os.path.join(tmp, "rooms.sqlite")
    srv = kind(tmp, accounts(todo) + ["tybalt", "nurse"])
    comp = None
    check = servers.Checklist()
    t0 = time.monotonic()

    try:
        srv.start()
        for n, name in enumerate(names):
            comp = Component(args.component, srv, tmp, n)
            comp.start(db)  # on failure, finally stops it by PID
            status = {}

            def term():
                status["term"] = comp.child.stop(signal.SIGTERM)

            ok, err = replay(args, srv, name,
                             term if name == "1_setup" else None)
            check(ok, "%s replayed" % name, err)
            if name == "1_setup":
                check(status.get("term") == 0,
                      "SIGTERM: exit status 0 (got %s)" % status.get("term"),
                      servers.tail(comp.child.log, 10))
            elif name == "3_change":
                comp.child.stop(signal.SIGKILL)
                check(True, "SIGKILL after the acknowledgements")
            if comp.child.alive():
                comp.child.stop()
            comp = None
        # the failure side: a change that cannot be committed is not
        # answered (the lock makes the component's store fail at once)
        comp = Component(args.component, srv, tmp, len(names))
        comp.start(db)
        lock = sqlite3.connect(db, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            ok, err = replay(args, srv, "5_store_fails")
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        check(ok, "5_store_fails replayed: no answer while the store fails",
              err)
        comp.child.stop()
        check("not stored" in open(comp.child.log).read(),
              "the failed store is logged", servers.tail(comp.child.log))
        comp = None
        # the server goes away under a running component: it reconnects
        # by itself and its rooms are as they were in memory
        comp = Component(args.component, srv, tmp, len(names) + 1)
        comp.start(db)
        pid = comp.child.pid
        logins = srv.component_logins()

        def restart_server():
            # a crash: a graceful stop would first send the occupants'
            # unavailable presence, and the room would be gone
            srv.child.stop(signal.SIGKILL)
            srv.start()

        replay(args, srv, "6_before_server_restart", restart_server)
        servers.wait_for(lambda: srv.component_logins() > logins, 40,
                         "the component back on the new server", srv.log)
        check(comp.child.alive() and comp.child.pid == pid,
              "the component reconnected by itself after the server "
              "restart (same process)")
        ok, err = replay(args, srv, "7_after_server_restart")
        check(ok, "7_after_server_restart replayed: the room as it was "
              "in memory", err)
        comp.child.stop()
        comp = None
        with sqlite3.connect(db) as c:
            mode = c.execute("PRAGMA journal_mode").fetchone()[0]
            rooms = c.execute("SELECT jid FROM rooms").fetchall()
            listed = c.execute("SELECT record FROM rooms WHERE jid = "
                               "'conference.localhost'").fetchone()
        check(mode == "wal", "the database is in WAL mode (%s)" % mode)
        # 'locked' too: the change stayed in memory and the shutdown,
        # with the lock gone, stored it (its owner was never told before);
        # and the room list under the domain (store_room_list)
        check(sorted(rooms) == [("conference.localhost",),
                                ("locked@conference.localhost",),
                                ("vault@conference.localhost",)],
              "the persistent rooms and the room list are stored: %s"
              % rooms)
        text = listed[0] if listed else b""
        text = text.decode() if isinstance(text, bytes) else text
        check('<room node="vault" name="The Vault"/>' in text,
              "the stored room list names the public room: %s" % text)
    except (servers.StartError, OSError) as e:
        check(False, "start: %s" % e)
    finally:
        status = servers.wind_up(comp, srv, tmp, check, "%s restart" % args.server, t0)
    return status


if __name__ == "__main__":
    sys.exit(main())

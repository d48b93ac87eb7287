#!/usr/bin/python3
"""MAM catch-up test: a client catches up on a room through its message
archive (XEP-0313), through a real server, and the archive survives
muc-component's restarts (scripts in mam/, replayed with scs_runner
--net; the component runs with --archive on).

  1_setup          (reference) Romeo makes a persistent, archived room;
                   Juliet hears the first message, disconnects, misses
                   two more.
  2_catchup        (strict) Juliet's client comes back and asks the
                   room's archive: all three, oldest first, with
                   <fin complete='true'> and a count of 3; then the last
                   page of two (empty RSM <before/>).
                   Then the component gets SIGTERM (exit status 0).
  3_after_restart  (reference) after a new start on the same database,
                   Romeo says one more thing; as a moderator he is shown
                   the senders' real JIDs in the archive's results, for
                   a message of the first run too; then SIGKILL, no
                   goodbye.
  4_catchup_again  (strict) after another start: the four messages,
                   those of the first run among them, complete, count 4.
Then the database itself: four rows for the room, in order, with the
schema version.
  5_destroy        (reference) the owner destroys the room: no row of it
                   is left in the database.

Exit 0, 1, or 77 (SKIP) as run_e2e.py.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402
from run_e2e import Component, accounts  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mam")
STEP_TIMEOUT = 60
# name, runner mode, how the component is stopped after it (None: not)
STEPS = [("1_setup", "reference", None),
         ("2_catchup", "strict", signal.SIGTERM),
         ("3_after_restart", "reference", signal.SIGKILL),
         ("4_catchup_again", "strict", signal.SIGTERM),
         ("5_destroy", "reference", signal.SIGTERM)]


def replay(args, srv, name, mode):
    path = os.path.join(HERE, name + ".scs")
    try:
        r = subprocess.run([args.runner, "--net", "127.0.0.1:%d" % srv.c2s,
                            "--" + mode, path], capture_output=True,
                           text=True, timeout=STEP_TIMEOUT)
        return r.returncode == 0, r.stderr
    except subprocess.TimeoutExpired:
        return False, "timed out after %d s" % STEP_TIMEOUT


def library_rows(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT stanza_id, ord, sender FROM archive "
                         "JOIN archive_rooms ON room = id WHERE jid = "
                         "'library@conference.localhost' ORDER BY seq"
                         ).fetchall()


def check_kept(db, check):
    """Four rows for the room, numbered in order, four ids, one sender;
    the schema version."""
    rows = library_rows(db)
    with sqlite3.connect(db) as c:
        version = c.execute("SELECT version FROM archive_schema").fetchall()
    check([r[1] for r in rows] == [1, 2, 3, 4] and
          len({r[0] for r in rows}) == 4 and
          {r[2] for r in rows} == {"library@conference.localhost/Romeo"},
          "four archived rows, numbered in order, four ids: %s" % rows)
    check(version == [(1,)], "archive schema version 1: %s" % version)


def main():
    ap = servers.parser()
    args = ap.parse_args()
    kind, status = servers.server_of(args)
    if status is not None:
        return status
    todo = [(n, os.path.join(HERE, n + ".scs"), "") for n, _, _ in STEPS]
    tmp = tempfile.mkdtemp(prefix="libmuc-mam-%s-" % args.server)
    db = os.path.join(tmp, "rooms.sqlite")
    srv = kind(tmp, accounts(todo))
    comp = None
    check = servers.Checklist()
    t0 = time.monotonic()

    try:
        srv.start()
        run_no = 0
        for name, mode, stop in STEPS:
            if name == "5_destroy":  # the database as the restarts left it
                check_kept(db, check)
            if comp is None:
                comp = Component(args.component, srv, tmp, run_no,
                                 ["--archive", "on"])
                comp.start(db)  # on failure, finally stops it by PID
                run_no += 1
            ok, err = replay(args, srv, name, mode)
            check(ok, "%s replayed (%s)" % (name, mode), err)
            if stop == signal.SIGTERM:
                status = comp.child.stop(signal.SIGTERM)
                check(status == 0, "SIGTERM after %s: exit status 0 (got "
                      "%s)" % (name, status), servers.tail(comp.child.log))
            elif stop == signal.SIGKILL:
                comp.child.stop(signal.SIGKILL)
                check(True, "SIGKILL after %s" % name)
            if stop is not None:
                comp = None
        rows = library_rows(db)
        check(rows == [], "the destroyed room's archive is gone: %s" % rows)
    except (servers.StartError, OSError, sqlite3.Error) as e:
        check(False, "start: %s" % e)
    finally:
        status = servers.wind_up(comp, srv, tmp, check, "%s mam" % args.server, t0)
    return status


if __name__ == "__main__":
    sys.exit(main())

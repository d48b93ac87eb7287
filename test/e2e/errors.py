#!/usr/bin/python3
"""muc-component's one-line errors, each with exit status 1 (2 for a bad
command line): a wrong secret, an unreachable server, a database it
cannot write or whose archive is a newer one's, a missing or bad option.  Runs Prosody as its child for the
secret check.  Exit 0, 1, or 77 (SKIP) as run_e2e.py.
"""
import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402


def closed_port():
    """A port on 127.0.0.1 that refuses: bound by us, never listening."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def run(exe, *args):
    r = subprocess.run([exe, *args], capture_output=True, text=True,
                       timeout=30)
    return r.returncode, r.stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--component", required=True)
    args = ap.parse_args()
    missing = servers.missing(servers.Prosody, "prosody")
    if missing is not None:
        return missing
    tmp = tempfile.mkdtemp(prefix="libmuc-errors-")
    srv = servers.Prosody(tmp)
    holder, refused = closed_port()
    failures = 0
    try:
        srv.start()
        db = os.path.join(tmp, "rooms.sqlite")
        base = ["--domain", servers.MUC_DOMAIN, "--db", db]
        # an archive written by a later muc-component
        newer = os.path.join(tmp, "newer.sqlite")
        with sqlite3.connect(newer) as c:
            c.execute("CREATE TABLE archive_schema (version INTEGER)")
            c.execute("INSERT INTO archive_schema VALUES (99)")
        cases = [
            ("wrong secret", 1, "refused the component's secret",
             base + ["--port", str(srv.component), "--secret", "wrong"]),
            ("unreachable server", 1, "cannot reach 127.0.0.1:%d" % refused,
             base + ["--port", str(refused), "--secret", servers.SECRET]),
            ("unwritable database", 1, "cannot use the database",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x", "--db",
              os.path.join(tmp, "no-such-dir", "rooms.sqlite")]),
            ("database is a directory", 1, "cannot use the database",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x", "--db", tmp]),
            ("no secret", 2, "--secret or --secret-file is required",
             ["--domain", servers.MUC_DOMAIN]),
            ("bad --groupchat-sync", 2, "bad --groupchat-sync",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x",
              "--groupchat-sync", "sometimes"]),
            ("bad --archive", 2, "bad --archive (on, off)",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x",
              "--archive", "yes"]),
            ("bad --archive-max", 2, "bad --archive-max",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x",
              "--archive-max", "-1"]),
            ("bad --archive-max-age", 2, "bad --archive-max-age",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x",
              "--archive-max-age", "1d"]),
            ("newer archive schema", 1, "archive schema version 99 is newer",
             ["--domain", servers.MUC_DOMAIN, "--secret", "x", "--db",
              newer]),
            ("unreadable secret file", 2, "cannot read the secret file",
             ["--domain", servers.MUC_DOMAIN, "--secret-file",
              os.path.join(tmp, "none")]),
        ]
        for what, want_rc, want, argv in cases:
            rc, err = run(args.component, *argv)
            ok = rc == want_rc and want in err and len(err.splitlines()) == 1
            failures += not ok
            print("%s  %-24s exit %d: %s" % ("ok  " if ok else "FAIL", what,
                                             rc, err))
    except servers.StartError as e:
        print("FAIL: prosody did not start: %s" % e)
        failures += 1
    finally:
        holder.close()
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

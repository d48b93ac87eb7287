#!/usr/bin/python3
"""End-to-end replay: every scenario script through a real XMPP server and
muc-component, over real c2s connections (scs_runner --net).

  run_e2e.py --server prosody|ejabberd --component PATH --runner PATH
             --differences FILE [--reference DIR]... [--strict DIR]...

The server and each component run as children of this script, on
127.0.0.1 only, from a temp dir, and are stopped by PID whatever happens.
Each script gets a fresh component and database, so no room of one script
is seen by the next.  A script listed in the differences file (a
server-side difference outside the MUC, with its evidence) is reported as
such and does not fail the test; a listed script that passes does, so the
list stays true.

Exit: 0 all passed or listed; 1 a failure; 77 (meson's SKIP) when the
server is not installed -- but with CI=true that is a failure too.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

SCRIPT_TIMEOUT = 90


def read_differences(path, server):
    """{script name: reason} for |server| from the differences file."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            who, name, reason = (line.split(None, 2) + ["", ""])[:3]
            if who in (server, "all"):
                out[name] = reason.strip()
    return out


def accounts(todo):
    """The local parts of every client JID of the scripts, and admin: the
    accounts a server without open registration needs (all scripts use
    the password "password")."""
    users = {"admin"}
    for _, path, _ in todo:
        with open(path, errors="replace") as f:
            for line in f:
                k, _, v = line.strip().partition(":")
                if k == "jid" and "@" in v:
                    users.add(v.strip().split("@", 1)[0])
    return sorted(users)


def needs_archive(path):
    """Does the script's header ask for the host's message archive
    ("# libmuc: archive", docs/archive.md)?"""
    with open(path) as f:
        for line in f:
            if line.startswith("-----"):
                return False
            if line.strip() == "# libmuc: archive":
                return True
    return False


def scripts(dirs, mode):
    out = []
    for d in dirs:
        for f in sorted(glob.glob(os.path.join(d, "**", "*.scs"),
                                  recursive=True)):
            # shared scripts by their folder ("prosody/issue978"), the
            # project's by their path ("test/scenarios/b_ban")
            base = d if mode == "reference" else os.getcwd()
            out.append((os.path.relpath(f, base)[:-4], f, mode))
    return out


class Component:
    def __init__(self, exe, srv, tmp, n, extra=()):
        self.exe, self.srv, self.tmp, self.n = exe, srv, tmp, n
        self.extra = list(extra)  # more command-line options

    def start(self, db, attempts=10):
        """Start and wait for the server to accept it.  Right after a
        stop the server may still hold the old stream ("already
        connected"): then try again, a bounded number of times."""
        for _ in range(attempts - 1):
            try:
                return self.start_once(db)
            except servers.StartError as e:
                self.child.stop()
                if "already connected" not in str(e).lower() and \
                        "conflict" not in str(e).lower():
                    raise
                time.sleep(0.3)
        return self.start_once(db)

    def start_once(self, db):
        before = self.srv.component_logins()
        self.child = servers.Child(
            "muc-component",
            [self.exe, "--server", "127.0.0.1", "--port",
             str(self.srv.component), "--domain", servers.MUC_DOMAIN,
             "--secret", servers.SECRET, "--db", db, "--admin",
             "admin@localhost", "--log-level", "info"] + self.extra,
            os.path.join(self.tmp, "component-%d.log" % self.n))
        servers.wait_for(lambda: not self.child.alive() or
                         self.srv.component_logins() > before,
                         10, "muc-component connected", self.child.log)
        if not self.child.alive():
            raise servers.StartError("muc-component exited:\n" +
                                     servers.tail(self.child.log))
        return None


# The occupant-id secret scs_runner uses for scripts with ids on
# (test/replay/main.c): the same here, so the ids a script expects are
# the ones muc-component gives.
IDS_SECRET = "scs_runner occupant-id secret"


def header_asks(path, word):
    """Does the script's header (before "-----") hold "# libmuc: WORD"?"""
    with open(path) as f:
        for line in f:
            if line.startswith("-----"):
                break
            if line.startswith("# libmuc:") and word in line[9:].split():
                return True
    return False


def header_options(path):
    """The muc-component options a script's header asks for: its
    "# muc-component: OPTIONS" lines (before the first [Client]), as the
    in-process replay applies them (test/replay/replay.c)."""
    opts = []
    with open(path) as f:
        for line in f:
            if line.startswith("[Client]") or line.startswith("-----"):
                break
            body = line.lstrip("#").strip()
            if line.startswith("#") and body.startswith("muc-component:"):
                opts += body[len("muc-component:"):].split()
    return opts


def ids_options(path, tmp, n):
    """muc-component's options for ids: on when the script's header asks
    for them, else both off (stanza ids are on by default in
    muc-component, and a script without them expects the room's disco#info
    without urn:xmpp:sid:0)."""
    if not header_asks(path, "ids"):
        return ["--stanza-id", "off"]
    secret = os.path.join(tmp, "occupant-id-%d.secret" % n)
    with open(secret, "w") as f:
        f.write(IDS_SECRET + "\n")
    return ["--occupant-id-secret-file", secret, "--stanza-id", "on"]


def component_options(path, tmp, n):
    return ids_options(path, tmp, n) + header_options(path)


def run_one(args, srv, tmp, n, name, path, mode):
    # the component archives for the scripts whose header asks for the
    # host's archive, as scs_runner does in-process; the others see a
    # service without one (no MAM feature in disco), as they do in-process
    # (and those name the room's stanza-ids as the in-process host makes
    # them, in attributes and in text: the component makes the same)
    archive = "on" if needs_archive(path) else "off"
    comp = Component(args.component, srv, tmp, n,
                     component_options(path, tmp, n) +
                     ["--archive", archive, "--test-ids", archive])
    try:
        comp.start(os.path.join(tmp, "rooms-%d.sqlite" % n))
        r = subprocess.run([args.runner, "--net", "127.0.0.1:%d" % srv.c2s,
                            "--" + mode, path], capture_output=True,
                           text=True, timeout=SCRIPT_TIMEOUT)
        return r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        return 1, "timed out after %d s" % SCRIPT_TIMEOUT
    except (servers.StartError, OSError) as e:
        return 1, "muc-component did not start: %s" % e
    finally:
        status = comp.child.stop()
        if status != 0:
            print("  note: muc-component exited with %s; its log:\n%s"
                  % (status, servers.tail(comp.child.log, 10)))


def main():
    ap = servers.parser()
    ap.add_argument("--differences", required=True)
    ap.add_argument("--reference", action="append", default=[])
    ap.add_argument("--strict", action="append", default=[])
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--only", help="run only the scripts whose name has this")
    args = ap.parse_args()
    kind, status = servers.server_of(args)
    if status is not None:
        return status
    for d in args.reference:
        if not os.path.isdir(d):
            print("note: no shared scripts at %s: they are not replayed "
                  "(meson setup -Dshared_conformance=DIR)" % d)
    todo = (scripts([d for d in args.reference if os.path.isdir(d)],
                    "reference") + scripts(args.strict, "strict"))
    if args.only:
        todo = [t for t in todo if args.only in t[0]]
    if not todo:
        print("FAIL: no scripts found in %s" % (args.reference + args.strict))
        return 1
    known = read_differences(args.differences, args.server)
    tmp = tempfile.mkdtemp(prefix="libmuc-e2e-%s-" % args.server)
    srv = kind(tmp, accounts(todo))
    t0 = time.monotonic()
    failed, listed, passed = [], [], []
    try:
        srv.start()
        print("%s up in %.1f s (c2s 127.0.0.1:%d, component port %d), %d "
              "scripts" % (args.server, time.monotonic() - t0, srv.c2s,
                           srv.component, len(todo)))
        for n, (name, path, mode) in enumerate(todo):
            t = time.monotonic()
            rc, err = run_one(args, srv, tmp, n, name, path, mode)
            took = time.monotonic() - t
            sometimes = known.get(name, "").startswith("sometimes:")
            if rc == 0 and name in known and not sometimes:
                failed.append(name)
                print("FAIL  %-40s passes but is listed in %s: remove it"
                      % (name, os.path.basename(args.differences)))
            elif rc == 0:
                passed.append(name)
                print("ok    %-40s %s %.1fs" % (name, mode, took))
            elif name in known:
                listed.append(name)
                print("KNOWN %-40s %s: %s" % (name, mode, known[name]))
                print("      " + (err.strip().splitlines() or ["?"])[0])
            else:
                failed.append(name)
                print("FAIL  %-40s %s %.1fs\n%s" % (name, mode, took, err))
    except servers.StartError as e:
        print("FAIL: %s did not start: %s" % (args.server, e))
        return 1
    finally:
        srv.stop()
        if not args.keep and not failed:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("logs kept in " + tmp)
    print("%s: %d passed, %d known server-side differences, %d failed "
          "(%.1f s)" % (args.server, len(passed), len(listed), len(failed),
                        time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Load through a server: N client connections in one room, against
Prosody + muc-component (conference.localhost) and against Prosody's own
MUC (muc.localhost), in one sitting.  Prints one line per run (see
load_net.c) and a table for docs/performance.md.  127.0.0.1 only; every
process is our child, stopped by PID.

  run_load.py --component PATH --load PATH [--clients 10,100,500]
              [--messages 100] [--persistent] [--groupchat-sync MODE]

--persistent makes each room persistent (muc-component stores the room
with its history for every message; Prosody's MUC keeps history in
memory); --groupchat-sync passes muc-component's option of that name.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import servers  # noqa: E402
from run_e2e import Component  # noqa: E402

OWN_MUC = 'Component "muc.localhost" "muc"\n'
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """CPU seconds (user + system) used so far by process |pid|."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--component", required=True)
    ap.add_argument("--load", required=True)
    ap.add_argument("--clients", default="10,100,500")
    ap.add_argument("--messages", type=int, default=100)
    ap.add_argument("--persistent", action="store_true")
    ap.add_argument("--groupchat-sync", choices=("full", "normal"))
    args = ap.parse_args()
    missing = servers.missing(servers.Prosody, "prosody")
    if missing is not None:
        return missing
    tmp = tempfile.mkdtemp(prefix="libmuc-load-")
    # info, not debug: a log line per stanza would be most of the cost
    srv = servers.Prosody(tmp, extra=OWN_MUC, log_level="info")
    comp = None
    rows = []
    try:
        srv.start()
        extra = (["--groupchat-sync", args.groupchat_sync]
                 if args.groupchat_sync else [])
        comp = Component(args.component, srv, tmp, 0, extra)
        comp.start(os.path.join(tmp, "rooms.sqlite"))
        for n in [int(x) for x in args.clients.split(",")]:
            for target, domain in (("muc-component", servers.MUC_DOMAIN),
                                   ("prosody-muc", "muc.localhost")):
                room = "load%d@%s" % (n, domain)
                before = (cpu_s(srv.child.pid), cpu_s(comp.child.pid),
                          children_cpu_s())
                r = subprocess.run(
                    [args.load, "--port", str(srv.c2s), "--room", room,
                     "--clients", str(n), "--messages", str(args.messages),
                     "--seconds", "120",
                     "--persistent", "1" if args.persistent else "0"],
                    capture_output=True, text=True, timeout=300)
                after = (cpu_s(srv.child.pid), cpu_s(comp.child.pid),
                         children_cpu_s())
                cpu = [a - b for a, b in zip(after, before)]
                line = (r.stdout.strip() or r.stderr.strip()) + (
                    " cpu_prosody_s=%.2f cpu_component_s=%.2f "
                    "cpu_clients_s=%.2f" % tuple(cpu))
                print("%-14s %s" % (target, line), flush=True)
                m = dict(re.findall(r"(\w+)=([\d.]+)", line))
                rows.append((n, target, m))
    finally:
        if comp:
            comp.child.stop()
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n| N | MUC | deliveries/s | p50 ms | p99 ms | CPU s: "
          "Prosody | component | clients |")
    print("|---|---|---|---|---|---|---|---|")
    for n, target, m in rows:
        print("| %d | %s | %s | %s | %s | %s | %s | %s |" % (
            n, target, m.get("deliveries_per_s", "?"), m.get("p50_ms", "?"),
            m.get("p99_ms", "?"), m.get("cpu_prosody_s", "?"),
            m.get("cpu_component_s", "?"), m.get("cpu_clients_s", "?")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Checks on the shape of libmuc/.

  check_layers.py cycles ARCHIVE   the files of libmuc call each other in no
                                   circle: one object uses another when it
                                   references a function the other defines
                                   (nm); every strongly connected group of
                                   more than one object is printed.
  check_layers.py sizes DIR        no .c or .h file of DIR is over 800 lines.

Exit 0 when the check holds, 1 when it does not (with what breaks it).
"""
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

MAX_LINES = 800


def symbols(archive):
    """{object: (defined, undefined)} of the archive's text symbols."""
    out = subprocess.run(["nm", "-A", archive], check=True,
                         capture_output=True, text=True).stdout
    defined, undefined = defaultdict(set), defaultdict(set)
    for line in out.splitlines():
        # "archive:object.o: 0000 T name" or "archive:object.o:  U name"
        head, _, rest = line.rpartition(":")
        obj = head.rpartition(":")[2]
        parts = rest.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        if kind in "TDRBC" and not name.startswith("."):
            defined[obj].add(name)
        elif kind == "U":
            undefined[obj].add(name)
    return defined, undefined


def graph(archive):
    defined, undefined = symbols(archive)
    owner = {}
    for obj, names in defined.items():
        for n in names:
            owner[n] = obj
    uses = defaultdict(set)
    for obj, names in undefined.items():
        for n in names:
            if n in owner and owner[n] != obj:
                uses[obj].add(owner[n])
    return set(defined) | set(undefined), uses


def strongly_connected(nodes, uses):
    """Tarjan's algorithm, iterative: the groups of mutually reachable
    objects."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(uses[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(uses[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == node:
                        break
                groups.append(sorted(group))
    return groups


def short(obj):
    """libmuc_base.a.p/room.c.o -> room.c"""
    return obj.rpartition("/")[2].removesuffix(".o")


def check_cycles(archive):
    nodes, uses = graph(archive)
    circles = [g for g in strongly_connected(nodes, uses) if len(g) > 1]
    if not circles:
        print(f"no dependency cycle among the {len(nodes)} objects")
        return 0
    for g in circles:
        members = set(g)
        print(f"cycle of {len(g)} files: " + ", ".join(short(o) for o in g))
        for o in g:
            inside = sorted(short(u) for u in uses[o] if u in members)
            print(f"  {short(o)} uses {', '.join(inside)}")
    return 1


def check_sizes(directory):
    over = []
    for p in sorted(Path(directory).glob("*.[ch]")):
        n = sum(1 for _ in p.open(encoding="utf-8"))
        if n > MAX_LINES:
            over.append((p.name, n))
    for name, n in over:
        print(f"{name}: {n} lines (at most {MAX_LINES})")
    if not over:
        print(f"every file of {directory} has at most {MAX_LINES} lines")
    return 1 if over else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("cycles", "sizes"):
        print(__doc__, file=sys.stderr)
        return 2
    return check_cycles(argv[2]) if argv[1] == "cycles" else check_sizes(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Checks on the shape of libmuc/.

  check_layers.py cycles ARCHIVE   the files of libmuc call each other in no
                                   circle: one object uses another when it
                                   references a function the other defines
                                   (nm); every strongly connected group of
                                   more than one object is printed.
  check_layers.py layers ARCHIVE   no cycle (as above), and nothing calls
                                   upward: every object of the archive has
                                   a layer in LAYERS, and calls only into
                                   its own layer or lower ones; a handler
                                   calls no other handler.  Each offending
                                   call is printed.
  check_layers.py sizes DIR        no .c or .h file of DIR is over 800 lines.

Exit 0 when the check holds, 1 when it does not (with what breaks it).
"""
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

MAX_LINES = 800

# The layers of libmuc, lowest first (docs/architecture.md, "Layers"): a
# file may call into its own layer and the ones below it.  Within a layer
# the cycle check keeps the calls one-way; handlers may not call each
# other at all (each answers its own stanzas, through the operations).
LAYERS = [
    ("base", "mem buf xml xml_parse xml_chars jid jidprep_ascii form error "
             "abi outq map stanza refusal limit affiliation permission userx "
             "deliver roomindex datetime"),
    ("state", "room occupant index history timer jidcache store store_write "
              "store_num history_store lru roomlist host_fields snapshot_write "
              "snapshot_read snapshot_room feed feed_apply feed_event "
              "feed_lists"),
    # the host's extension hooks (muc.h): fired by operations and handlers
    ("hooks", "hooks hook_filter hook_form archive"),
    ("rules", "entry verdict afflist room_permit"),
    ("operations", "op_send op_store op_presence op_occupancy op_affiliation "
                   "op_role op_subject op_message op_retract op_history op_invite "
                   "op_room op_config op_afflist bounce hibernate"),
    ("handlers", "presence message admin owner register disco create "
                 "command mam moderate"),
    ("routing", "room_route route addr"),
    ("service", "service query residue snapshot_api"),
    # the host's admin API (muc.h "Room administration"): entry points
    # like the service's, each change run as a call of the service
    ("admin api", "api api_options api_rooms api_affiliations "
                  "api_occupants api_host_fields"),
]
NO_SIDEWAYS = {"handlers"}


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


def graph(archive, calls=None):
    """The objects and {object: objects it uses}; with |calls| (a dict),
    also {(user, used): sorted names} into it."""
    defined, undefined = symbols(archive)
    owner = {}
    for obj, names in defined.items():
        for n in names:
            owner[n] = obj
    uses = defaultdict(set)
    for obj, names in undefined.items():
        for n in sorted(names):
            if n in owner and owner[n] != obj:
                uses[obj].add(owner[n])
                if calls is not None:
                    calls.setdefault((obj, owner[n]), []).append(n)
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


def layer_of():
    """{file name without .c: (rank, layer name)}"""
    table = {}
    for rank, (name, files) in enumerate(LAYERS):
        for f in files.split():
            table[f] = (rank, name)
    return table


def check_layering(archive):
    calls = {}
    nodes, _ = graph(archive, calls)
    table = layer_of()
    bad = 0
    for o in sorted(nodes, key=short):
        if short(o).removesuffix(".c") not in table:
            print(f"{short(o)} has no layer in LAYERS (test/check_layers.py)")
            bad += 1
    for (user, used), names in sorted(calls.items(),
                                      key=lambda kv: (short(kv[0][0]),
                                                      short(kv[0][1]))):
        u, d = short(user), short(used)
        lu = table.get(u.removesuffix(".c"))
        ld = table.get(d.removesuffix(".c"))
        if not lu or not ld:
            continue
        if ld[0] > lu[0]:
            why = f"calls up into {ld[1]}"
        elif ld[0] == lu[0] and lu[1] in NO_SIDEWAYS:
            why = f"calls another of the {lu[1]}"
        else:
            continue
        print(f"{u} ({lu[1]}) {why}: {d} ({', '.join(names)})")
        bad += 1
    if not bad:
        print(f"the {len(nodes)} objects call only into their own layer or "
              f"lower ones ({', '.join(n for n, _ in LAYERS)})")
    return 1 if bad else 0


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
    if len(argv) != 3 or argv[1] not in ("cycles", "layers", "sizes"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "sizes":
        return check_sizes(argv[2])
    rc = check_cycles(argv[2])
    if argv[1] == "layers":
        rc |= check_layering(argv[2])
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Seeds for the fuzz targets, from scenario scripts, made at run time.

    extract_seeds.py TARGET OUTDIR SCRIPT_OR_FOLDER...

Reads every .scs file named, or found (recursively) in a folder named, and
writes into OUTDIR the seeds of TARGET (see README.md):
  stanza  each scenario's sent stanzas as one input, NUL-separated, and
          each sent stanza alone
  tree    the same stanzas, concatenated (children of one stream)
  form    every jabber:x:data element a scenario sends
  jid     every address (from, to, jid, nick attributes, client JIDs)
  scs     each script as it is
  store, roomlist, snapshot
          none (libmuc's own formats: see seeds/store, seeds/roomlist,
          seeds/snapshot)
Variables (${Romeo's full JID}) become the client's JID, and a sent
stanza without 'from' gets the sender's full JID, as a server adds it.
Files are named by the SHA-1 of their content (as libFuzzer names its
corpus), so the same seed is written once.  Prints the count.
"""
import hashlib
import os
import re
import sys
import xml.dom.minidom

TARGETS = ("stanza", "tree", "form", "jid", "scs", "store", "roomlist",
           "snapshot")
# targets whose inputs are libmuc's own formats: only their committed seeds
OWN_FORMAT = ("store", "roomlist", "snapshot")


def scripts(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if f.endswith(".scs"):
                        yield os.path.join(root, f)
        elif os.path.isfile(p):
            yield p


def parse_script(text):
    """(clients {name: jid}, [(sender, block)]) of a scansion script."""
    clients, sends = {}, []
    current, block, sender = None, None, None
    for line in text.split("\n") + [""]:
        m = re.match(r"\[Client\]\s*(.+?)\s*$", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"\s+jid:\s*(\S+)", line)
        if m and current is not None and current not in clients:
            clients[current] = m.group(1)
            continue
        if block is not None:
            if line.startswith(("\t", " ")) and line.strip():
                block.append(line)
                continue
            sends.append((sender, "\n".join(block)))
            block = None
        m = re.match(r"(.+?) sends:\s*$", line)
        if m:
            sender, block = m.group(1), []
    return clients, sends


def full_jid(jid):
    return jid if "/" in jid else jid + "/res"


def substitute(block, clients):
    def var(m):
        jid = clients.get(m.group(1), "nobody@localhost")
        return full_jid(jid) if m.group(2) else jid.split("/")[0]
    return re.sub(r"\$\{(.+?)'s (full )?JID\}", var, block)


def stanzas(block, sender_jid):
    """The top-level elements of |block|, each with a 'from'."""
    try:
        doc = xml.dom.minidom.parseString("<r>" + block + "</r>")
    except Exception:
        return []
    out = []
    for n in doc.documentElement.childNodes:
        if n.nodeType == n.ELEMENT_NODE:
            if not n.hasAttribute("from"):
                n.setAttribute("from", full_jid(sender_jid))
            out.append(n.toxml())
    return out


def seeds_of(target, text):
    if target == "scs":
        return [text.encode()]
    if target in OWN_FORMAT:
        return []
    clients, sends = parse_script(text)
    sent = []
    for sender, block in sends:
        sent += stanzas(substitute(block, clients),
                        clients.get(sender, "nobody@localhost"))
    if target == "stanza":
        return ["\0".join(sent).encode()] + [s.encode() for s in sent]
    if target == "tree":
        return ["".join(sent).encode()] + [s.encode() for s in sent]
    if target == "form":
        forms = []
        for s in sent:
            doc = xml.dom.minidom.parseString(s)
            forms += [x.toxml() for x in doc.getElementsByTagNameNS(
                "jabber:x:data", "x")]
        return [f.encode() for f in forms]
    if target == "jid":
        found = set(clients.values())
        for s in sent:
            found.update(re.findall(r"\b(?:from|to|jid|nick)=\"([^\"]*)\"", s))
        return [j.encode() for j in sorted(found)]
    raise ValueError(target)


def main(argv):
    if len(argv) < 3 or argv[1] not in TARGETS:
        sys.stderr.write(__doc__)
        return 2
    target, outdir = argv[1], argv[2]
    os.makedirs(outdir, exist_ok=True)
    written = set()
    for path in scripts(argv[3:]):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for seed in seeds_of(target, text):
            name = hashlib.sha1(seed).hexdigest()
            if name not in written:
                written.add(name)
                with open(os.path.join(outdir, name), "wb") as f:
                    f.write(seed)
    print(f"{len(written)} {target} seeds from scenarios")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

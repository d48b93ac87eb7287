#!/usr/bin/env python3
"""Draft a strict scenario from a script that only sends.

Usage: record_scenario.py path/to/scs_runner draft.scs > scenario.scs

The draft holds the header, the actions and '#' comments, but no
'receives:' steps.  This replays it with `scs_runner --transcript` and
writes every stanza each client received as an expectation right after
the action that caused it (full and bare JIDs of the clients replaced by
${X's full JID} / ${X's JID}, 'to' dropped).

What it writes is what the engine does today, not what it should do:
read every expectation against XEP-0045 before committing the file, and
fix the engine, not the scenario, where they disagree."""
import re, subprocess, sys
import xml.dom.minidom as md

runner, draft = sys.argv[1], sys.argv[2]
src = open(draft).read().split('\n')
out = subprocess.run([runner, '--transcript', '--reference', draft], capture_output=True, text=True).stdout + \
      subprocess.run([runner, '--transcript', '--reference', draft], capture_output=True, text=True).stderr
clients = {}
for m in re.finditer(r'^\s+(\w[\w ]*?) connected as (\S+)$', out, re.M):
    clients[m.group(1)] = m.group(2)
def subst(s):
    for name, full in sorted(clients.items(), key=lambda kv: -len(kv[1])):
        bare = full.split('/')[0]
        s = s.replace(full, "${%s's full JID}" % name)
    for name, full in sorted(clients.items(), key=lambda kv: -len(kv[1])):
        bare = full.split('/')[0]
        s = re.sub(r"(['\"])%s\1" % re.escape(bare), lambda m: m.group(1) + "${%s's JID}" % name + m.group(1), s)
    return s
# received stanzas per action line
recv = {}
cur = None
for line in out.split('\n'):
    m = re.match(r'^\s{1,4}(\d+)\s+(.*)$', line)
    if m:
        cur = int(m.group(1)); recv.setdefault(cur, []); continue
    m = re.match(r'^\s+(\w[\w ]*?) <- (<.*)$', line)
    if m and cur is not None:
        recv[cur].append((m.group(1), m.group(2)))
def pretty(x):
    x = re.sub(r" to='[^']*'", '', x, count=1)
    d = md.parseString(x)
    p = d.documentElement.toprettyxml(indent='\t')
    lines = [l for l in p.split('\n') if l.strip()]
    return '\n'.join('\t' + subst(l) for l in lines)
res = []
i = 0
n = len(src)
while i < n:
    line = src[i]
    res.append(line)
    lineno = i + 1
    i += 1
    if re.match(r'^\w[\w ]* sends:\s*$', line):
        while i < n and (src[i].startswith('\t') or src[i].strip() == ''):
            if src[i].strip():
                res.append(src[i])
            i += 1
    if lineno in recv:
        res.append('')
        for who, x in recv[lineno]:
            res.append(f'{who} receives:')
            res.append(pretty(x))
            res.append('')
print('\n'.join(res))

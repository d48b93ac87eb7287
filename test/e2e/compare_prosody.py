#!/usr/bin/python3
"""Prosody's own MUC against libmuc, stanza for stanza.

  compare_prosody.py --component PATH --runner PATH --differences FILE
                     [--reference DIR]... [--strict DIR]... [--report FILE]

Every script is replayed twice over real c2s connections (scs_runner --net
--transcript): once against Prosody's built-in MUC (mod_muc with
mod_muc_mam, so that it sends occupant-id and stanza-id as it does by
default with an archive), once against Prosody with muc-component (with
its archive and occupant-ids on).  Each client's complete sequence of
received stanzas is put in a canonical form (attributes and children
sorted, values
that are random by nature replaced by '*': ids the clients did not
choose, delay stamps, occupant-id and stanza-id values, ad-hoc
command session ids; xml:lang left
out, as the server sets it) and the two sequences are compared.

Every difference found is one line "SCRIPT CLIENT: +|- STANZA" (+ sent
only by libmuc, - only by Prosody).  The differences file lists the
known ones with the reason for each (docs/conformance.md explains them):
the run fails on a difference it does not list, and on a listed one that
no longer occurs, so the list stays exactly true.

Exit: 0 as listed; 1 otherwise; 77 (SKIP) without prosody, but with
CI=true that is a failure.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_e2e  # noqa: E402
import servers  # noqa: E402

SCRIPT_TIMEOUT = 90
NS_DELAY = "urn:xmpp:delay"
NS_OCCUPANT_ID = "urn:xmpp:occupant-id:0"
NS_SID = "urn:xmpp:sid:0"
NS_COMMANDS = "http://jabber.org/protocol/commands"
LANG = ("lang", "{http://www.w3.org/XML/1998/namespace}lang")

# Prosody's built-in MUC on the same domain, with the archive that makes it
# add stanza-ids (occupant-ids are on by default in 0.12), and the same
# service admin muc-component is given.
NATIVE_MUC = """Component "{muc}" "muc"
    admins = {{ "admin@localhost" }}
    modules_enabled = {{ "muc_mam" }}
    muc_log_by_default = true
    muc_room_default_public = false
"""


class NativeProsody(servers.Prosody):
    """Prosody serving the MUC domain itself: no component port to wait
    for."""

    def __init__(self, tmp, users=()):
        super().__init__(tmp, users)
        with open(self.cfg) as f:
            cfg = f.read()
        comp = 'Component "%s"\n    component_secret = "%s"\n' % (
            servers.MUC_DOMAIN, servers.SECRET)
        assert comp in cfg
        cfg = cfg.replace(comp, NATIVE_MUC.format(muc=servers.MUC_DOMAIN))
        with open(self.cfg, "w") as f:
            f.write(cfg)

    def start(self):
        self.child = servers.Child(
            "prosody", ["prosody", "--config", self.cfg, "-F"],
            os.path.join(self.dir, "stdout.log"))
        servers.wait_for(lambda: not self.child.alive() or
                         servers.port_open(self.c2s),
                         servers.READY_TIMEOUT, "prosody listening", self.log)
        if not self.child.alive():
            raise servers.StartError("prosody exited:\n" +
                                     servers.tail(self.child.log))


RECEIVED = re.compile(r"^\s+(\S[^<>]*?) <- (<.*)$")
SENT = re.compile(r"^\s+(\S[^<>]*?) -> (<.*)$")
STEP = re.compile(r"^\s{1,4}(\d+)\s+\S")
MET = re.compile(r"^\s+ok\s+(\S[^<>]*?) received <")
CONNECTED = re.compile(r"^[ \t]+(\S[^<>\n]*?) connected as (\S+)$", re.M)
MAX_LINES = 200  # of one received stanza's text


def parses(xml):
    try:
        ET.fromstring(xml)
        return True
    except ET.ParseError:
        return xml.count("\n") >= MAX_LINES  # kept as it is: UNPARSED


class Replay:
    """What one replay of a script saw: per client the received stanzas
    with the script line of the step they came in, the ids the clients
    chose, and where the replay stopped if the script failed."""

    def __init__(self, text, rc, err):
        self.got, self.chosen, step = {}, set(), 0
        jids = dict((m.group(2), m.group(1)) for m in CONNECTED.finditer(text))
        pending = None  # a received stanza whose text goes on
        self.last_met = {}  # client: line of its last expectation met
        for n, line in enumerate(text.splitlines()):
            self.line_no = n
            met = MET.match(line)
            if met:
                self.last_met[met.group(1)] = n
            if pending is not None:
                pending[1] += "\n" + line
                if parses(pending[1]):
                    self.add(pending, jids)
                    pending = None
                continue
            m = STEP.match(line)
            if m:
                step = int(m.group(1))
                continue
            m = SENT.match(line)
            if m:
                self.chosen.update(
                    re.findall(r"\bid=['\"]([^'\"]*)['\"]", m.group(2)))
                continue
            m = RECEIVED.match(line)
            if m:
                got = [m.group(1), m.group(2), step]
                if parses(got[1]):
                    self.add(got, jids)
                else:
                    pending = got
        # what a client gets after its last expectation is met is checked
        # by nothing and races the runner hanging up (sooner from
        # Prosody's own MUC than through a component): left out
        self.got = {c: [g for g in got if g[2] < self.last_met.get(c, 0)]
                    for c, got in self.got.items()}
        self.got = {c: [(step, xml) for step, xml, _ in got]
                    for c, got in self.got.items()}
        self.failed_at = step if rc != 0 else None
        self.error = (err.strip().splitlines() or ["?"])[0] if rc else ""

    def add(self, got, jids):
        """Record one received stanza, the clients' full JIDs in it
        (their resources are the server's choice) replaced by names."""
        client, xml, step = got
        for full in sorted(jids, key=len, reverse=True):
            name = re.sub(r"[^A-Za-z0-9]+", "-", jids[full])
            xml = xml.replace(full, "%s/(%s)" % (full.split("/")[0], name))
        self.got.setdefault(client, []).append((step, xml, self.line_no))

    def stanzas(self, client, upto=None):
        return [s for step, s in self.got.get(client, [])
                if upto is None or step <= upto]


def split_tag(tag):
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def canonical(el, chosen, parent_ns=""):
    """One line for |el|: xmlns only where it changes, sorted attributes
    and children, text stripped; random values replaced by '*'."""
    ns, name = split_tag(el.tag)
    # xml:lang is the server's: Prosody's c2s stamps the stream's language
    # on what a component sends, and its own MUC copies the sender's
    attrs = {k: v for k, v in el.attrib.items() if k not in LANG}
    if not parent_ns and not ns and "id" in attrs and \
            attrs["id"] not in chosen:
        attrs["id"] = "*"
    random_attr = {(NS_DELAY, "delay"): "stamp",
                   (NS_OCCUPANT_ID, "occupant-id"): "id",
                   (NS_SID, "stanza-id"): "id",
                   (NS_COMMANDS, "command"): "sessionid"}.get((ns, name))
    if random_attr in attrs:
        attrs[random_attr] = "*"
    if ns != parent_ns:
        attrs["xmlns"] = ns
    out = "<" + name + "".join(" %s='%s'" % kv for kv in sorted(attrs.items()))
    text = (el.text or "").strip()
    # the order of children carries no meaning in these stanzas
    kids = sorted(canonical(c, chosen, ns) for c in el)
    if not kids and not text:
        return out + "/>"
    return out + ">" + text + "".join(kids) + "</" + name + ">"


def normalise(stanzas, chosen):
    out = []
    for s in stanzas:
        try:
            out.append(canonical(ET.fromstring(s), chosen))
        except ET.ParseError:
            out.append("UNPARSED " + s)
    return out


def replay(runner, srv, path):
    r = subprocess.run([runner, "--net", "127.0.0.1:%d" % srv.c2s,
                        "--reference", "--transcript", path],
                       capture_output=True, text=True,
                       timeout=SCRIPT_TIMEOUT)
    return Replay(r.stdout, r.returncode, r.stderr)


def differences(name, ours, theirs):
    """The difference lines of script |name|.  Where Prosody fails the
    script, only what came before its failing step is compared (the
    replay stops there), and the failure is one line itself."""
    chosen = ours.chosen | theirs.chosen
    upto = theirs.failed_at
    lines = []
    if upto is not None:
        lines.append("%s: Prosody fails the script at line %d" % (name, upto))
    if ours.failed_at is not None:
        lines.append("%s: libmuc fails the script at line %d"
                     % (name, ours.failed_at))
    for client in sorted(set(ours.got) | set(theirs.got)):
        a = normalise(theirs.stanzas(client, upto), chosen)
        b = normalise(ours.stanzas(client, upto), chosen)
        for d in difflib.ndiff(a, b):
            if d[:2] in ("- ", "+ "):
                lines.append("%s %s: %s %s" % (name, client, d[0], d[2:]))
    return lines


def read_listed(path):
    """{difference line: reason}; a reason line starts with '# ' and
    holds for the difference lines after it."""
    listed, reason = {}, ""
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# "):
                reason = line[2:]
            elif line.strip():
                listed[line] = reason
    return listed


def run_all(args, todo, tmp):
    native = NativeProsody(os.path.join(tmp, "native"), ())
    theirs = {}
    native.start()
    try:
        for name, path, _ in todo:
            theirs[name] = replay(args.runner, native, path)
    finally:
        native.stop()
    srv = servers.Prosody(os.path.join(tmp, "component"), ())
    ours = {}
    # as Prosody runs by default: occupant ids and stanza ids on
    secret = os.path.join(tmp, "occupant-id.secret")
    with open(secret, "w") as f:
        f.write(run_e2e.IDS_SECRET + "\n")
    options = ["--occupant-id-secret-file", secret, "--stanza-id", "on"]
    srv.start()
    try:
        for n, (name, path, _) in enumerate(todo):
            comp = run_e2e.Component(args.component, srv, tmp, n,
                                     options + args.component_arg)
            comp.start(os.path.join(tmp, "rooms-%d.sqlite" % n))
            try:
                ours[name] = replay(args.runner, srv, path)
            finally:
                comp.child.stop()
    finally:
        srv.stop()
    return ours, theirs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--component", required=True)
    ap.add_argument("--component-arg", action="append", default=[],
                    help="one more option for muc-component")
    ap.add_argument("--runner", required=True)
    ap.add_argument("--differences", required=True)
    ap.add_argument("--reference", action="append", default=[])
    ap.add_argument("--strict", action="append", default=[])
    ap.add_argument("--report", help="write every difference found here")
    args = ap.parse_args()
    missing = servers.missing(servers.Prosody, "prosody")
    if missing is not None:
        return missing
    todo = (run_e2e.scripts([d for d in args.reference if os.path.isdir(d)],
                            "reference") +
            run_e2e.scripts(args.strict, "strict"))
    if not todo:
        # the shared scripts live beside the checkout (meson setup
        # -Dshared_conformance=DIR); without them there is nothing to
        # compare: SKIP, said, but a failure where every test must run
        msg = "no scripts found in %s" % (args.reference + args.strict)
        if os.environ.get("CI") == "true":
            print("FAIL: %s (CI=true: this test must run)" % msg)
            return 1
        print("SKIP: " + msg)
        return 77
    tmp = tempfile.mkdtemp(prefix="libmuc-compare-")
    t0 = time.monotonic()
    try:
        ours, theirs = run_all(args, todo, tmp)
    except (servers.StartError, OSError, subprocess.TimeoutExpired) as e:
        print("FAIL: %s (logs kept in %s)" % (e, tmp))
        return 1
    found = []
    for name, _, _ in todo:
        found += differences(name, ours[name], theirs[name])
    if args.report:
        with open(args.report, "w") as f:
            f.write("\n".join(found) + "\n")
    listed = read_listed(args.differences)
    new = [d for d in found if d not in listed]
    gone = [d for d in listed if d not in found]
    for d in new:
        print("NEW   " + d)
    for d in gone:
        print("GONE  " + d + "   (listed: remove it)")
    per = {}
    for d in found:
        per.setdefault(listed.get(d, "(not listed)"), 0)
        per[listed.get(d, "(not listed)")] += 1
    for reason, n in sorted(per.items(), key=lambda kv: -kv[1]):
        print("%4d  %s" % (n, reason))
    print("%d scripts, %d stanzas differ (%d listed, %d new, %d listed but "
          "gone) in %.1f s" % (len(todo), len(found), len(found) - len(new),
                               len(new), len(gone), time.monotonic() - t0))
    if not new and not gone:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("logs kept in " + tmp)
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())

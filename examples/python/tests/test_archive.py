"""The host's message archive from Python (Service.set_archive): a list
in memory as the archive, driven by real stanzas."""

from __future__ import annotations

from typing import Optional

import pytest
from conftest import (JULIET, ROMEO, ROOM, Host, error_condition, field,
                      groupchat_xml, join_xml, make_room, owner_submit, q)
from test_header import _layout, cffi_lib  # noqa: F401 - the fixture

import libmuc
from libmuc import archive as _archive

MAM = "urn:xmpp:mam:2"


class ListArchive:
    """Every message in order; query answers the RSM cursor only."""

    def __init__(self) -> None:
        self.messages: list[libmuc.ArchivedMessage] = []
        self.queries: list[libmuc.ArchiveQuery] = []
        self.retractions: list[libmuc.Retraction] = []
        self.fail: Optional[Exception] = None

    def append(self, msg: libmuc.ArchivedMessage) -> None:
        self.messages.append(msg)

    def query(self, qr: libmuc.ArchiveQuery, page: libmuc.ArchivePage
              ) -> bool:
        self.queries.append(qr)
        if self.fail:
            raise self.fail
        ids = [m.stable_id for m in self.messages]
        if qr.ids:  # a retraction's look-up, or the 'ids' field
            for m in self.messages:
                if m.stable_id in qr.ids:
                    page.add(m.stable_id, m.time, m.xml)
            page.end(True)
            return True
        start = 0
        if qr.rsm_after is not None:
            if qr.rsm_after not in ids:
                return False
            start = ids.index(qr.rsm_after) + 1
        chosen = self.messages[start:start + qr.max]
        for m in chosen:
            page.add(m.stable_id, m.time, m.xml, m.real_jid)
        page.end(start + len(chosen) == len(ids), len(ids))
        return True

    def retract(self, r: libmuc.Retraction) -> bool:
        self.retractions.append(r)
        return any(m.stable_id == r.stanza_id for m in self.messages)


def _archiving_room(host: Host, svc: libmuc.Service) -> None:
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    svc.handle_xml(owner_submit(
        ROMEO, field("muc#roomconfig_enablearchiving", "1")))
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    host.take()


def _mam_query(after: Optional[str] = None, qid: str = "q1") -> str:
    rsm = ("<set xmlns='http://jabber.org/protocol/rsm'><max>10</max>"
           + (f"<after>{after}</after>" if after else "") + "</set>")
    return (f"<iq from='{JULIET}' to='{ROOM}' type='set' id='{qid}'>"
            f"<query xmlns='{MAM}' queryid='{qid}'>{rsm}</query></iq>")


@pytest.mark.parametrize("c_name, struct", [
    ("muc_hook_archived", _archive.MucHookArchived),
    ("muc_archive_query", _archive.MucArchiveQuery),
    ("muc_archive_item", _archive.MucArchiveItem),
    ("muc_archive_retraction", _archive.MucArchiveRetraction),
    ("muc_archive", _archive.MucArchive)])
def test_struct_layout(cffi_lib, c_name: str, struct: type) -> None:
    ffi, _, _ = cffi_lib
    assert _layout(ffi, c_name) == [(n, getattr(struct, n).offset)
                                    for n, _ in struct._fields_]
    assert ffi.sizeof(c_name) == __import__("ctypes").sizeof(struct)


def test_install_and_remove(host: Host) -> None:
    with host.service() as svc:
        svc.set_archive(ListArchive())
        svc.set_archive(None)
        with pytest.raises(TypeError, match="append"):
            svc.set_archive(object())


def test_messages_appended_and_queried(host: Host) -> None:
    arch = ListArchive()
    with host.service(make_id=iter(f"s{i}" for i in range(99)).__next__
                      ) as svc:
        svc.set_archive(arch)
        _archiving_room(host, svc)
        svc.handle_xml(groupchat_xml(ROMEO, "one"))
        svc.handle_xml(groupchat_xml(ROMEO, "two"))
        assert [m.room_jid for m in arch.messages] == [ROOM, ROOM]
        assert arch.messages[0].nick == "Romeo"
        assert arch.messages[0].real_jid == ROMEO
        assert b"<body>two</body>" in arch.messages[1].xml
        host.take()
        svc.handle_xml(_mam_query(after=arch.messages[0].stable_id))
        [asked] = arch.queries
        assert (asked.room_jid, asked.requester, asked.max) == (ROOM, JULIET,
                                                                10)
        assert asked.rsm_after == arch.messages[0].stable_id
        got = host.to(JULIET)
        bodies = [m.find(f".//{{jabber:client}}body") for m in got[:-1]]
        assert [b.text for b in bodies if b is not None] == ["two"]
        fin = got[-1].find(q(MAM, "fin"))
        assert got[-1].get("type") == "result" and fin is not None
        assert fin.get("complete") == "true"


def test_unknown_id_and_failure(host: Host) -> None:
    arch = ListArchive()
    with host.service() as svc:
        svc.set_archive(arch)
        _archiving_room(host, svc)
        svc.handle_xml(_mam_query(after="nope"))
        [reply] = host.to(JULIET)
        assert error_condition(reply) == "item-not-found"
        host.take()
        arch.fail = OSError("disk gone")
        with pytest.raises(OSError, match="disk gone"):
            svc.handle_xml(_mam_query(qid="q2"))
        [reply] = host.to(JULIET)
        assert error_condition(reply) == "internal-server-error"


def test_moderator_retraction(host: Host) -> None:
    arch = ListArchive()
    with host.service() as svc:
        svc.set_archive(arch)
        _archiving_room(host, svc)
        svc.handle_xml(groupchat_xml(JULIET, "spam"))
        sid = arch.messages[0].stable_id
        host.take()
        svc.handle_xml(
            f"<iq from='{ROMEO}' to='{ROOM}' type='set' id='r1'>"
            f"<moderate xmlns='urn:xmpp:message-moderate:1' id='{sid}'>"
            "<retract xmlns='urn:xmpp:message-retract:1'/>"
            "<reason>Spam</reason></moderate></iq>")
        [r] = arch.retractions
        assert (r.room_jid, r.stanza_id, r.author) == (ROOM, sid, None)
        assert b"retract" in r.xml and b"spam" not in r.xml
        [reply] = [s for s in host.to(ROMEO) if s.tag.endswith("iq")]
        assert reply.get("type") == "result"

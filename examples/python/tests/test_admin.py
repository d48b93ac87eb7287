"""The room administration API through the binding: every method, what
it sends, what it stores, its errors, and calls from inside callbacks."""

from __future__ import annotations

import pytest
from conftest import (DOMAIN, JULIET, MUC_USER, ROMEO, ROOM, TYBALT,
                      groupchat_xml, item, join_xml, q, statuses)

import libmuc
from libmuc import Affiliation, Role, Whois


@pytest.fixture
def store() -> dict:
    return {}


@pytest.fixture
def psvc(host, store):
    """A service whose rooms are stored in |store|."""
    def store_room(jid, data):
        if data is None:
            store.pop(jid, None)
        else:
            store[jid] = data

    with host.service(store_room=store_room,
                      load_room=lambda jid: store.get(jid)) as service:
        yield service


def people(svc, host, romeo_in=True):
    """A persistent room owned by Romeo, with Juliet and Tybalt in it."""
    opts = svc.room_options_default()
    opts.persistent = True
    svc.create_room("room", "romeo@localhost", opts)
    if romeo_in:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    svc.handle_xml(join_xml(TYBALT, "Tybalt"))
    host.take()


def test_create_room_and_options(psvc, host, store):
    assert psvc.room_options_default().history_length == 20
    opts = libmuc.RoomOptions(name="Garden", persistent=True,
                              public_room=True)
    psvc.create_room(ROOM, "romeo@localhost/r", opts)
    assert host.take() == []
    assert b"Garden" in store[ROOM]
    got = psvc.room_options(ROOM)
    assert (got.name, got.persistent, got.public_room) == ("Garden", True,
                                                           True)
    assert psvc.affiliation_of(ROOM, "romeo@localhost").affiliation == \
        Affiliation.OWNER
    with pytest.raises(libmuc.ExistsError):
        psvc.create_room("room")
    with pytest.raises(libmuc.InvalidArgError):
        psvc.create_room("x@elsewhere.example")
    with pytest.raises(libmuc.LimitError):
        psvc.create_room("x", options=libmuc.RoomOptions(name="n" * 300))
    with pytest.raises(libmuc.InvalidArgError):
        psvc.create_room("x", options=libmuc.RoomOptions(allow_pm=9))


def test_reserved_room_opens_when_configured(svc, host):
    svc.create_room("room", "romeo@localhost", reserved=True)
    assert svc.list_rooms()[0].locked
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    (refusal,) = host.to(JULIET)
    assert refusal.get("type") == "error"
    host.take()
    svc.set_room_options("room")
    assert not svc.list_rooms()[0].locked
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    assert any(110 in statuses(s) for s in host.to(JULIET))


def test_set_room_options_announces(psvc, host, store):
    people(psvc, host)
    psvc.set_room_options(ROOM, whois=Whois.ANYONE, name="Orchard")
    codes = [statuses(s) for to, s in host.take()]
    assert sum(172 in c for c in codes) == 3
    assert b"Orchard" in store[ROOM]
    psvc.set_room_options(ROOM, get_member_list={Role.PARTICIPANT},
                          allow_pm=libmuc.AllowPM.MODERATORS)
    back = psvc.room_options(ROOM)
    assert back.get_member_list == {Role.PARTICIPANT}
    assert back.allow_pm == libmuc.AllowPM.MODERATORS
    assert back.presence_broadcast == {Role.VISITOR, Role.PARTICIPANT,
                                       Role.MODERATOR}
    psvc.set_room_options(ROOM, persistent=False)
    assert ROOM not in store
    with pytest.raises(libmuc.NotFoundError):
        psvc.set_room_options("nowhere", libmuc.RoomOptions())


def test_destroy_room(psvc, host, store):
    people(psvc, host)
    psvc.destroy_room(ROOM, "Moving", "orchard@" + DOMAIN, "pw")
    unavailable = host.to(JULIET)[-1]
    destroy = unavailable.find(f"{q(MUC_USER, 'x')}/{q(MUC_USER, 'destroy')}")
    assert destroy.get("jid") == "orchard@" + DOMAIN
    assert destroy.findtext(q(MUC_USER, "reason")) == "Moving"
    assert destroy.findtext(q(MUC_USER, "password")) == "pw"
    assert ROOM not in store
    assert psvc.find_room(ROOM) is None
    with pytest.raises(libmuc.NotFoundError):
        psvc.destroy_room(ROOM)


def test_list_rooms_pages_and_filters(svc, host):
    for i, name in enumerate("abcde"):
        svc.create_room(name, options=libmuc.RoomOptions(
            public_room=i % 2 == 0, persistent=i >= 3))
    svc.handle_xml(join_xml(JULIET, "Juliet", "c@" + DOMAIN))
    first = svc.list_rooms(limit=2)
    assert [r.jid[0] for r in first] == ["a", "b"]
    second = svc.list_rooms(first[-1].jid, limit=2)
    assert [r.jid[0] for r in second] == ["c", "d"]
    assert second[0].occupants == 1
    assert [r.jid[0] for r in svc.iter_rooms()] == list("abcde")
    assert [r.jid[0] for r in svc.list_rooms(public=True)] == list("ace")
    assert [r.jid[0] for r in svc.list_rooms(public=True,
                                             persistent=True)] == ["e"]
    assert [r.jid[0] for r in svc.list_rooms(occupied=True)] == ["c"]
    with pytest.raises(libmuc.NotFoundError):
        svc.list_rooms("gone")


def test_affiliations(psvc, host, store):
    people(psvc, host)
    psvc.set_affiliation(ROOM, "juliet@localhost", Affiliation.MEMBER,
                         "friend")
    changed = [s for to, s in host.take() if item(s) is not None
               and item(s).get("affiliation") == "member"]
    assert len(changed) == 3
    assert b"juliet@localhost" in store[ROOM]
    entry = psvc.affiliation_of(ROOM, "juliet@localhost/j")
    assert (entry.affiliation, entry.reason) == (Affiliation.MEMBER,
                                                 "friend")
    assert [e.jid for e in psvc.affiliations(ROOM, Affiliation.MEMBER)] == \
        ["juliet@localhost"]
    with pytest.raises(libmuc.NotAllowedError):
        psvc.set_affiliation(ROOM, "romeo@localhost", Affiliation.ADMIN)
    psvc.ban(ROOM, "tybalt@localhost", "fights")
    gone = host.to(TYBALT)[-1]
    assert gone.get("type") == "unavailable" and 301 in statuses(gone)
    assert [e.jid for e in psvc.affiliations(ROOM, Affiliation.OUTCAST)] == \
        ["tybalt@localhost"]
    with pytest.raises(libmuc.InvalidArgError):
        psvc.set_affiliation(ROOM, "x@y", 7)


def test_occupants_and_real_jids(svc, host):
    people(svc, host)
    svc.handle_xml(join_xml("juliet@localhost/tomb", "Juliet"))
    occupants = svc.occupants(ROOM)
    assert [o.nick for o in occupants] == ["Romeo", "Juliet", "Tybalt"]
    assert occupants[0].role == Role.MODERATOR
    assert occupants[0].affiliation == Affiliation.OWNER
    assert occupants[1].sessions == 2
    assert [o.nick for o in svc.occupants(ROOM, offset=1, limit=1)] == \
        ["Juliet"]
    assert svc.real_jids(ROOM, "Juliet") == (JULIET, "juliet@localhost/tomb")
    with pytest.raises(libmuc.NotFoundError):
        svc.occupant(ROOM, "Nobody")


def test_roles(svc, host):
    people(svc, host)
    svc.revoke_voice(ROOM, "Tybalt", "hush")
    seen = [item(s).get("role") for s in host.to(JULIET)
            if s.get("from") == ROOM + "/Tybalt"]
    assert seen == ["visitor"]
    svc.grant_voice(ROOM, "Tybalt")
    svc.grant_moderator(ROOM, "Juliet")
    assert svc.occupant(ROOM, "Juliet").role == Role.MODERATOR
    svc.revoke_moderator(ROOM, "Juliet")
    assert svc.occupant(ROOM, "Juliet").role == Role.PARTICIPANT
    svc.set_role(ROOM, "Juliet", Role.VISITOR, "quiet")
    assert svc.occupant(ROOM, "Juliet").role == Role.VISITOR
    with pytest.raises(libmuc.NotAllowedError):
        svc.revoke_voice(ROOM, "Romeo")
    host.take()
    svc.kick(ROOM, "Tybalt", "out")
    assert 307 in statuses(host.to(TYBALT)[-1])
    with pytest.raises(libmuc.NotFoundError):
        svc.kick(ROOM, "Tybalt")


def test_subject_and_history(psvc, host, store):
    people(psvc, host)
    psvc.set_subject(ROOM, "Fair Verona")
    (message,) = [s for s in host.to(JULIET) if s.tag == "message"]
    assert message.get("from") == ROOM
    assert message.findtext("subject") == "Fair Verona"
    assert b"Fair Verona" in store[ROOM]
    psvc.set_subject(ROOM, "")
    assert psvc.find_room(ROOM).subject == ""
    with pytest.raises(libmuc.LimitError):
        psvc.set_subject(ROOM, "s" * 5000)
    for i, user in enumerate([JULIET, TYBALT]):
        host.clock += 1000
        psvc.handle_xml(groupchat_xml(user, f"line {i}"))
    history = psvc.history(ROOM)
    assert [h.nick for h in history] == ["Juliet", "Tybalt"]
    assert b"<body>line 1</body>" in history[1].xml
    assert history[1].time_ms == host.clock
    assert [h.nick for h in psvc.history(ROOM, offset=1)] == ["Tybalt"]


def test_loading_room(host, store):
    with host.service(store_room=lambda j, d: None,
                      load_room=lambda j: libmuc.PENDING) as svc:
        svc.handle_xml(join_xml(JULIET, "Juliet"))
        with pytest.raises(libmuc.LoadingError):
            svc.occupants(ROOM)
        with pytest.raises(libmuc.LoadingError):
            svc.kick(ROOM, "Juliet")


def test_calls_from_inside_store_room(host):
    """From store_room, in the middle of a change: reads see the room,
    a destruction is queued and runs after the change."""
    seen = []
    box = {}

    def store_room(jid, data):
        svc = box.get("svc")
        if svc is None or seen or data is None:
            return
        seen.append([o.nick for o in svc.occupants(ROOM)])
        svc.destroy_room(ROOM, "nested")

    with host.service(store_room=store_room) as svc:
        people(svc, host)
        box["svc"] = svc
        svc.set_affiliation(ROOM, "juliet@localhost", Affiliation.MEMBER)
        assert seen == [["Romeo", "Juliet", "Tybalt"]]
        assert svc.find_room(ROOM) is None
        kinds = [("member" if item(s) is not None and
                  item(s).get("affiliation") == "member" else "other")
                 for s in host.to(JULIET)]
        assert kinds[0] == "member"  # the change came before the destroy


def test_calls_from_inside_send(host):
    """From the send callback: checked at once, done before the outer
    call returns."""
    answers = []
    box = {}

    def send(to, xml):
        host.send(to, xml)
        svc = box.get("svc")
        if svc is None or answers or to != JULIET:
            return
        try:
            svc.set_affiliation(ROOM, "romeo@localhost", Affiliation.NONE)
        except libmuc.NotAllowedError as e:
            answers.append(e.name)
        svc.kick(ROOM, "Tybalt", "nested")
        answers.append(len(svc.occupants(ROOM)))

    with host.service(send=send) as svc:
        people(svc, host)
        box["svc"] = svc
        svc.set_subject(ROOM, "First")
        assert answers == ["NOT_ALLOWED", 3]  # the kick had not run yet
        assert [o.nick for o in svc.occupants(ROOM)] == ["Romeo", "Juliet"]
        assert 307 in statuses(host.to(TYBALT)[-1])


def test_host_values(psvc, host, store):
    psvc.set_host_fields(["x-topic#tags"])
    opts = psvc.room_options_default()
    opts.persistent = True
    psvc.create_room("room", "romeo@localhost", opts)
    assert psvc.host_values("room", "x-topic#tags") == []
    psvc.set_host_values("room", "x-topic#tags", ["red", "blue"])
    assert psvc.host_values("room", "x-topic#tags") == ["red", "blue"]
    assert b"x-topic#tags" in store[ROOM]
    psvc.set_host_values("room", "x-topic#tags", [])
    assert psvc.host_values("room", "x-topic#tags") == []
    with pytest.raises(libmuc.InvalidArgError):
        psvc.set_host_values("room", "not-declared", ["x"])
    with pytest.raises(libmuc.NotFoundError):
        psvc.host_values("nowhere", "x-topic#tags")


def test_rooms_in_storage(psvc, host, store):
    """A room only in storage is loaded for a call; creating over it is
    refused; the stored public rooms are listed (after those in memory)."""
    opts = psvc.room_options_default()
    opts.persistent = True
    opts.public_room = True
    opts.name = "Stored"
    psvc.create_room("room", "romeo@localhost", opts)
    psvc.hibernate_now()
    assert psvc.find_room(ROOM) is None
    assert [r.name for r in psvc.list_rooms()] == ["Stored"]
    with pytest.raises(libmuc.ExistsError):
        psvc.create_room("room", "tybalt@localhost", opts)
    assert (psvc.affiliation_of("room", "romeo@localhost").affiliation
            == Affiliation.OWNER)

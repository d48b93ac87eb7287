"""Rooms through the binding: create, join, chat, kick, configure, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import (DATA, DOMAIN, JULIET, MUC_ADMIN, MUC_OWNER, MUC_USER,
                      ROMEO, ROOM, ROOMCONFIG, TYBALT, Host, error_condition,
                      field, groupchat_xml, item, join_xml, make_room,
                      owner_submit, q, statuses)

import libmuc
from libmuc import Affiliation, Role


def test_first_join_creates_a_locked_room(svc: libmuc.Service,
                                          host: Host) -> None:
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    [presence] = [s for s in host.to(ROMEO) if s.tag == "presence"]
    assert presence.get("from") == ROOM + "/Romeo"
    assert statuses(presence) == {110, 201}
    assert item(presence).get("affiliation") == "owner"
    assert item(presence).get("role") == "moderator"
    [subject] = [s for s in host.to(ROMEO) if s.tag == "message"]
    assert subject.get("type") == "groupchat"
    assert subject.find("subject") is not None

    room = svc.find_room("room")
    assert room is not None and room == svc.find_room(ROOM)
    assert room.jid == ROOM
    assert room.occupant_count == 1
    assert room.subject == ""
    assert room.affiliation("romeo@localhost") is Affiliation.OWNER
    assert room.role("Romeo") is Role.MODERATOR
    assert room.role("Nobody") is Role.NONE
    assert svc.room_count == 1

    # Locked until configured (XEP-0045 §10.1.2).
    host.take()
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    [refusal] = host.to(JULIET)
    assert error_condition(refusal) == "item-not-found"
    assert room.occupant_count == 1


def test_instant_room_accepts_others(svc: libmuc.Service, host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    self_presence = [s for s in host.to(JULIET)
                     if s.get("from") == ROOM + "/Juliet"]
    assert [statuses(s) for s in self_presence] == [{110}]
    [told] = [s for s in host.to(ROMEO) if s.tag == "presence"]
    assert told.get("from") == ROOM + "/Juliet"
    assert item(told).get("role") == "participant"
    assert svc.find_room("room").occupant_count == 2


def test_groupchat_reaches_every_occupant(svc: libmuc.Service,
                                          host: Host) -> None:
    make_room(svc, host)
    for user, nick in ((JULIET, "Juliet"), (TYBALT, "Tybalt")):
        svc.handle_xml(join_xml(user, nick))
    host.take()
    svc.handle_xml(groupchat_xml(ROMEO, "hello"))
    sent = host.take()
    assert sorted(to for to, _ in sent) == sorted([ROMEO, JULIET, TYBALT])
    for _, message in sent:
        assert message.tag == "message"
        assert message.get("type") == "groupchat"
        assert message.get("from") == ROOM + "/Romeo"
        assert message.findtext("body") == "hello"


def test_moderator_kicks_participant(svc: libmuc.Service, host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    host.take()
    svc.handle_xml(
        f"<iq from='{ROMEO}' to='{ROOM}' type='set' id='k1'>"
        f"<query xmlns='{MUC_ADMIN}'><item nick='Juliet' role='none'>"
        "<reason>Begone</reason></item></query></iq>")
    [gone] = host.to(JULIET)
    assert gone.get("type") == "unavailable"
    assert statuses(gone) == {307, 110}
    assert item(gone).findtext(q(MUC_USER, "reason")) == "Begone"
    told, result = host.to(ROMEO)
    assert told.get("type") == "unavailable" and statuses(told) == {307}
    assert result.tag == "iq" and result.get("type") == "result"
    assert result.get("id") == "k1"
    room = svc.find_room("room")
    assert room.occupant_count == 1
    assert room.role("Juliet") is Role.NONE


def _form_fields(iq: ET.Element) -> dict[str, list[str]]:
    x = iq.find(f"{q(MUC_OWNER, 'query')}/{q(DATA, 'x')}")
    assert x is not None and x.get("type") == "form"
    return {f.get("var"): [v.text or "" for v in f.findall(q(DATA, "value"))]
            for f in x.findall(q(DATA, "field")) if f.get("var")}


def test_owner_configures_the_room_with_the_form(svc: libmuc.Service,
                                                 host: Host) -> None:
    get_form = (f"<iq from='{ROMEO}' to='{ROOM}' type='get' id='f1'>"
                f"<query xmlns='{MUC_OWNER}'/></iq>")
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    host.take()
    svc.handle_xml(get_form)
    [form] = host.to(ROMEO)
    assert form.get("type") == "result" and form.get("id") == "f1"
    fields = _form_fields(form)
    assert fields["FORM_TYPE"] == [ROOMCONFIG]
    assert fields["muc#roomconfig_roomname"] == [""]
    host.take()

    svc.handle_xml(owner_submit(
        ROMEO, field("muc#roomconfig_roomname", "The Hall")
        + field("muc#roomconfig_moderatedroom", "1")))
    results = [s for s in host.to(ROMEO) if s.tag == "iq"]
    assert [(r.get("type"), r.get("id")) for r in results] == [("result",
                                                                 "c1")]
    host.take()
    svc.handle_xml(get_form)
    fields = _form_fields(host.to(ROMEO)[0])
    assert fields["muc#roomconfig_roomname"] == ["The Hall"]
    assert fields["muc#roomconfig_moderatedroom"] == ["1"]
    # Configured, hence unlocked; moderated: newcomers are visitors.
    host.take()
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    assert svc.find_room("room").role("Juliet") is Role.VISITOR


def test_non_owner_gets_forbidden(svc: libmuc.Service, host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    host.take()
    svc.handle_xml(f"<iq from='{JULIET}' to='{ROOM}' type='get' id='f2'>"
                   f"<query xmlns='{MUC_OWNER}'/></iq>")
    [refusal] = host.to(JULIET)
    assert refusal.get("id") == "f2"
    assert error_condition(refusal) == "forbidden"


def test_message_from_a_non_occupant_is_refused(svc: libmuc.Service,
                                                host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(groupchat_xml(JULIET, "let me in"))
    [refusal] = host.take()
    assert refusal[0] == JULIET and refusal[1].tag == "message"
    assert refusal[1].get("from") == ROOM
    assert error_condition(refusal[1]) == "not-acceptable"
    # A room that does not exist.
    svc.handle_xml(groupchat_xml(JULIET, "hi", room="none@" + DOMAIN))
    [refusal] = host.take()
    assert error_condition(refusal[1]) == "item-not-found"


@pytest.mark.parametrize("text", [
    "<message from='a@b/c'",
    "<message to='room@conference.localhost'/>",
    "<foo from='a@b/c' to='room@conference.localhost'/>",
    "<message from='a@b/c' to='room@conference.localhost'><!-- c -->"
    "</message>",
    b"<message from='a@b/c' to='room@conference.localhost'>\xff</message>",
    "",
])
def test_input_that_cannot_be_answered_raises(svc: libmuc.Service, host: Host,
                                              text: str | bytes) -> None:
    with pytest.raises(libmuc.BadStanzaError) as caught:
        svc.handle_xml(text)
    assert caught.value.code == libmuc.ErrorCode.BAD_STANZA == -2
    assert caught.value.name == "BAD_STANZA"
    assert isinstance(caught.value, libmuc.MucError)
    assert str(caught.value).startswith("BAD_STANZA: ")
    assert host.take() == []


def test_other_domains_and_oversized_input_raise(host: Host) -> None:
    with host.service(config={"max_stanza_bytes": 512}) as svc:
        with pytest.raises(libmuc.NotMineError) as caught:
            svc.handle_xml("<message from='a@b/c' to='x@elsewhere'/>")
        assert caught.value.code == libmuc.ErrorCode.NOT_MINE
        with pytest.raises(libmuc.LimitError):
            svc.handle_xml(groupchat_xml(ROMEO, "x" * 600))
        assert host.take() == []


def test_lock_expires_by_the_deadline(svc: libmuc.Service, host: Host) -> None:
    assert svc.next_deadline() is None
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    deadline = svc.next_deadline()
    assert deadline == host.clock + libmuc.default_config()[
        "room_lock_timeout_ms"]
    svc.handle_timeout()  # early: harmless
    assert svc.next_deadline() == deadline
    host.clock = deadline
    svc.handle_timeout()
    assert svc.next_deadline() is None
    host.take()
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    assert svc.find_room("room").occupant_count == 2


def test_shutdown_tells_everyone(svc: libmuc.Service, host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    host.take()
    svc.shutdown()
    for user in (ROMEO, JULIET):
        [gone] = [s for s in host.to(user) if statuses(s) >= {110}]
        assert gone.get("type") == "unavailable" and 332 in statuses(gone)
    assert svc.room_count == 0
    assert svc.find_room("room") is None

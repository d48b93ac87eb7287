"""Callbacks: exceptions reach the caller; entry points nest inside them."""

from __future__ import annotations

import pytest
from conftest import (JULIET, ROMEO, ROOM, TYBALT, Host, error_condition,
                      groupchat_xml, join_xml, make_room, statuses)

import libmuc


class Boom(Exception):
    """Raised by a callback under test."""


def _room_of_three(svc: libmuc.Service, host: Host) -> None:
    make_room(svc, host)
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    svc.handle_xml(join_xml(TYBALT, "Tybalt"))
    host.take()


def test_exception_in_send_reaches_the_caller(host: Host) -> None:
    boom = Boom("socket gone")
    failures = [boom]

    def send(to: str, xml: bytes) -> None:
        if to == JULIET and b"<body>" in xml and failures:
            raise failures.pop()
        host.send(to, xml)

    with host.service(send=send) as svc:
        _room_of_three(svc, host)
        with pytest.raises(Boom) as caught:
            svc.handle_xml(groupchat_xml(ROMEO, "hello"))
        assert caught.value is boom
        notes = getattr(boom, "__notes__", [])
        assert any("CALLBACK_FAILURE" in n for n in notes)
        # The library still did all the rest of its work.
        assert sorted(to for to, _ in host.take()) == [ROMEO, TYBALT]
        # And the next call starts clean.
        svc.handle_xml(groupchat_xml(TYBALT, "hi"))
        assert len(host.take()) == 3


def test_the_first_exception_wins_and_the_others_are_counted(
        host: Host) -> None:
    def send(to: str, xml: bytes) -> None:
        if b"<body>" in xml:
            raise Boom(to)
        host.send(to, xml)

    with host.service(send=send) as svc:
        _room_of_three(svc, host)
        with pytest.raises(Boom) as caught:
            svc.handle_xml(groupchat_xml(ROMEO, "hello"))
        assert any("2 more exception(s)" in n
                   for n in caught.value.__notes__)


def test_base_exceptions_are_not_swallowed(host: Host) -> None:
    def send(to: str, xml: bytes) -> None:
        raise KeyboardInterrupt

    with host.service(send=send) as svc:
        with pytest.raises(KeyboardInterrupt):
            svc.handle_xml(join_xml(ROMEO, "Romeo"))


def test_exceptions_in_now_and_log_are_raised(host: Host) -> None:
    def now() -> int:
        raise Boom("clock")

    with host.service(now=now) as svc:
        with pytest.raises(Boom, match="clock"):
            svc.handle_xml(join_xml(ROMEO, "Romeo"))
        assert svc.find_room("room").occupant_count == 1  # work was done
    logged: list[tuple[int, str]] = []

    def log(level: int, msg: str) -> None:
        logged.append((level, msg))
        raise Boom(msg)

    svc = host.service(log=log)
    with pytest.raises(Boom, match="created"):
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
    assert svc.find_room("room").occupant_count == 1
    assert logged[0][0] is libmuc.LogLevel.DEBUG
    with pytest.raises(Boom, match="freed"):  # close() logs too
        svc.close()
    assert svc.closed


def test_exception_in_storage_and_policy_hooks(host: Host) -> None:
    def store(room_jid: str, data: object) -> None:
        raise Boom("disk full")

    with host.service(store_room=store,
                      config={"room_persistent": 1}) as svc:
        with pytest.raises(Boom) as caught:
            svc.handle_xml(join_xml(ROMEO, "Romeo"))
            svc.handle_xml(f"<iq from='{ROMEO}' to='{ROOM}' type='set' "
                           "id='c1'><query xmlns='http://jabber.org/protocol"
                           "/muc#owner'><x xmlns='jabber:x:data' "
                           "type='submit'/></query></iq>")
        assert any("STORAGE" in n for n in caught.value.__notes__)

    def may_create(real_jid: str, room_jid: str) -> bool:
        raise Boom("policy")

    with host.service(may_create_room=may_create) as svc:
        with pytest.raises(Boom, match="policy") as caught:
            svc.handle_xml(join_xml(ROMEO, "Romeo"))
        assert svc.find_room("room") is None  # refused, not allowed
        # the hook answered "could not tell": the C call said so too
        assert any("CALLBACK_FAILURE" in n for n in caught.value.__notes__)


def test_exception_in_load_room_and_make_id(host: Host) -> None:
    def load(room_jid: str) -> bytes:
        raise Boom("storage offline")

    with host.service(load_room=load) as svc:
        with pytest.raises(Boom):
            svc.handle_xml(join_xml(ROMEO, "Romeo"))
        [(to, refusal)] = host.take()
        assert to == ROMEO and error_condition(refusal) == (
            "internal-server-error")

    with host.service(make_id=lambda: "x" * 100,
                      config={"room_lock_new": 0}) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        host.take()
        with pytest.raises(ValueError, match="make_id"):
            svc.handle_xml(groupchat_xml(ROMEO, "no id"))
        [(_, message)] = host.take()  # sent with the library's own id
        assert message.get("id")


def test_session_ended_from_inside_send(host: Host) -> None:
    svc: libmuc.Service

    def send(to: str, xml: bytes) -> None:
        if to == JULIET and b"<body>" in xml:
            svc.session_ended(JULIET)  # her socket turned out to be gone
            return
        host.send(to, xml)

    with host.service(send=send) as svc:
        _room_of_three(svc, host)
        svc.handle_xml(groupchat_xml(ROMEO, "hello"))
        room = svc.find_room("room")
        assert room.occupant_count == 2
        assert room.role("Juliet") is libmuc.Role.NONE
        for user in (ROMEO, TYBALT):
            kinds = [(s.tag, s.get("type")) for s in host.to(user)]
            assert kinds == [("message", "groupchat"),
                             ("presence", "unavailable")]


def test_handle_xml_from_inside_send_runs_after(host: Host) -> None:
    svc: libmuc.Service
    order: list[str] = []

    def send(to: str, xml: bytes) -> None:
        host.send(to, xml)
        body = host.sent[-1][1].findtext("body")
        order.append(f"{to} {body}")
        if to == JULIET and body == "ping":  # Juliet's client answers
            svc.handle_xml(groupchat_xml(JULIET, "pong"))

    with host.service(send=send) as svc:
        make_room(svc, host)
        svc.handle_xml(join_xml(JULIET, "Juliet"))
        order.clear()
        svc.handle_xml(groupchat_xml(ROMEO, "ping"))
    assert sorted(order[:2]) == [f"{JULIET} ping", f"{ROMEO} ping"]
    assert sorted(order[2:]) == [f"{JULIET} pong", f"{ROMEO} pong"]


def test_nested_errors_propagate(host: Host) -> None:
    svc: libmuc.Service

    def send(to: str, xml: bytes) -> None:
        svc.handle_xml("<not xml")

    with host.service(send=send) as svc:
        with pytest.raises(libmuc.BadStanzaError):
            svc.handle_xml(join_xml(ROMEO, "Romeo"))


def test_close_inside_a_callback_is_refused(host: Host) -> None:
    svc: libmuc.Service
    refused: list[libmuc.MucError] = []

    def send(to: str, xml: bytes) -> None:
        try:
            svc.close()
        except libmuc.InCallbackError as e:
            refused.append(e)

    with host.service(send=send) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        assert refused and not svc.closed
        assert refused[0].code == libmuc.ErrorCode.IN_CALLBACK
        assert svc.find_room("room") is not None


def test_queries_and_ids_inside_callbacks(host: Host) -> None:
    svc: libmuc.Service
    seen: list[int] = []
    ids = iter(f"id-{n}" for n in range(100))

    def send(to: str, xml: bytes) -> None:
        host.send(to, xml)
        seen.append(svc.room_count)

    with host.service(send=send, make_id=lambda: next(ids),
                      is_service_admin=lambda jid: jid == "admin@localhost",
                      config={"room_lock_new": 0}) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        host.take()
        svc.handle_xml(f"<message from='{ROMEO}' to='{ROOM}' "
                       "type='groupchat'><body>no id</body></message>")
        [(_, message)] = host.take()
        assert message.get("id", "").startswith("id-")
    assert seen and set(seen) == {1}
    assert statuses(message) == set()

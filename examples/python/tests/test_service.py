"""The Service object: lifecycle, configuration, independence, loading."""

from __future__ import annotations

import dataclasses
import gc

import pytest
from conftest import (DOMAIN, JULIET, ROMEO, ROOM, Host, groupchat_xml,
                      join_xml, make_room)

import libmuc


def test_queries(svc: libmuc.Service) -> None:
    assert svc.domain == DOMAIN
    assert svc.room_count == 0
    assert svc.memory_usage > 0
    assert svc.find_room("room") is None
    assert repr(svc) == f"<libmuc.Service {DOMAIN}>"
    assert libmuc.version().startswith("0.")


def test_close_and_context_manager(host: Host) -> None:
    with host.service() as svc:
        make_room(svc, host)
        room = svc.find_room("room")
    assert svc.closed
    svc.close()  # idempotent
    for call in (lambda: svc.handle_xml(join_xml(ROMEO, "Romeo")),
                 lambda: svc.session_ended(ROMEO), svc.shutdown,
                 svc.handle_timeout, svc.next_deadline,
                 lambda: svc.find_room("room"), lambda: svc.domain,
                 lambda: room.occupant_count):
        with pytest.raises(libmuc.ServiceClosedError):
            call()
    with pytest.raises(libmuc.ServiceClosedError):
        with svc:
            pass


def test_a_room_view_outlives_the_room(svc: libmuc.Service,
                                       host: Host) -> None:
    make_room(svc, host)
    room = svc.find_room("room")
    svc.handle_xml(f"<presence from='{ROMEO}' to='{ROOM}/Romeo' "
                   "type='unavailable'/>")
    with pytest.raises(libmuc.NotFoundError):
        room.occupant_count


def test_garbage_collection_frees_the_service(host: Host) -> None:
    logged: list[str] = []
    svc = host.service(log=lambda level, msg: logged.append(msg))
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    svc.itself = svc  # a reference cycle, as callbacks often make
    before = len(logged)
    del svc
    gc.collect()
    assert len(logged) > before  # the library logged while freeing rooms


def test_two_services_are_independent() -> None:
    one, two = Host(), Host()
    with one.service() as a, two.service("muc.example.org") as b:
        make_room(a, one)
        b.handle_xml(join_xml("x@example.org/x", "X",
                              room="room@muc.example.org"))
        assert two.take() and one.take() == []
        assert a.find_room("room").jid == ROOM
        assert b.find_room("room").jid == "room@muc.example.org"
        a.handle_xml(groupchat_xml(ROMEO, "only here"))
        assert one.take() and two.take() == []
        a.close()
        b.handle_xml(join_xml("y@example.org/y", "Y",
                              room="other@muc.example.org"))
        assert b.room_count == 2 and two.take()


def test_exceptions_stay_with_their_service() -> None:
    quiet = Host()

    def failing(to: str, xml: bytes) -> None:
        raise RuntimeError("a")

    with Host().service(send=failing) as a, quiet.service() as b:
        with pytest.raises(RuntimeError):
            a.handle_xml(join_xml(ROMEO, "Romeo"))
        b.handle_xml(join_xml(ROMEO, "Romeo"))
        assert quiet.take()


def test_config_defaults_and_overrides(host: Host) -> None:
    defaults = libmuc.default_config()
    assert defaults["room_history_length"] == 20
    assert defaults["room_lock_new"] == 1
    assert defaults["room_presence_broadcast"] == (
        libmuc.Role.VISITOR.bit | libmuc.Role.PARTICIPANT.bit
        | libmuc.Role.MODERATOR.bit)
    assert set(defaults) == {f.name for f in dataclasses.fields(libmuc.Config)}
    for config in (libmuc.Config(room_lock_new=False), {"room_lock_new": 0}):
        with host.service(config=config) as svc:
            svc.handle_xml(join_xml(ROMEO, "Romeo"))
            svc.handle_xml(join_xml(JULIET, "Juliet"))  # no lock
            assert svc.find_room("room").occupant_count == 2


def test_bad_config_values(host: Host) -> None:
    with pytest.raises(TypeError):
        libmuc.Config(no_such_field=1)
    with pytest.raises(TypeError, match="no_such_field"):
        host.service(config={"no_such_field": 1})
    with pytest.raises(TypeError):
        host.service(config={"max_history": "10"})
    with pytest.raises(ValueError):
        host.service(config={"max_history": -1})
    with pytest.raises(libmuc.InvalidArgError) as caught:
        host.service(config=libmuc.Config(room_allow_pm=7))
    assert caught.value.code == libmuc.ErrorCode.INVALID_ARG
    with pytest.raises(libmuc.InvalidArgError):
        host.service("not a domain@@")


def test_session_ended_wants_a_full_jid(svc: libmuc.Service) -> None:
    with pytest.raises(libmuc.InvalidArgError):
        svc.session_ended("romeo@localhost")


def test_bad_arguments(svc: libmuc.Service) -> None:
    with pytest.raises(libmuc.InvalidArgError):
        svc.session_ended("not a jid@@")
    with pytest.raises(ValueError):
        svc.session_ended("a@b/c\0d")
    with pytest.raises(TypeError):
        Host().service(send=None)


def test_missing_library_is_a_clear_error(host: Host, tmp_path) -> None:
    with pytest.raises(libmuc.LibraryError, match="cannot load"):
        host.service(library=tmp_path / "libmuc.so")


def test_occupant_and_stanza_ids(host: Host) -> None:
    """XEP-0421 and XEP-0359 on (docs/ids.md): the secret is bytes."""
    config = libmuc.Config(occupant_id_secret=b"sixteen bytes or more",
                           stanza_id=1, room_lock_new=0)
    with host.service(config=config) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        svc.handle_xml(groupchat_xml(ROMEO, "hi"))
        sent = [s for _, s in host.take()]
        oid = "{urn:xmpp:occupant-id:0}occupant-id"
        ids = {e.get("id") for s in sent for e in s.iter(oid)}
        assert len(ids) == 1 and len(ids.pop()) == 24
        assert any(s.find("{urn:xmpp:sid:0}stanza-id") is not None
                   for s in sent)
    with pytest.raises(libmuc.InvalidArgError):
        host.service(config={"occupant_id_secret": b"short"})
    with pytest.raises(TypeError):
        host.service(config={"occupant_id_secret": 5})

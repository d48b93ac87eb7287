"""Persistence through store_room / load_room, synchronous and later."""

from __future__ import annotations

from typing import Optional

import pytest
from conftest import (DOMAIN, JULIET, MUC_ADMIN, MUC_OWNER, ROMEO, ROOM,
                      Host, field, join_xml, owner_submit)

import libmuc
from libmuc import Affiliation


class Storage:
    """A dict of records, as the storage callbacks see it."""

    def __init__(self) -> None:
        self.records: dict[str, bytes] = {}
        self.loads: list[str] = []

    def store(self, room_jid: str, data: Optional[bytes]) -> None:
        """store_room: keep or delete the record."""
        if data is None:
            self.records.pop(room_jid, None)
        else:
            assert isinstance(data, bytes)
            self.records[room_jid] = data

    def load(self, room_jid: str) -> Optional[bytes]:
        """load_room: answer at once."""
        self.loads.append(room_jid)
        return self.records.get(room_jid)


def _persistent_room(host: Host, storage: Storage) -> None:
    """Romeo makes a persistent room with a subject and a member, leaves."""
    with host.service(store_room=storage.store,
                      load_room=storage.load) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        assert storage.loads == [ROOM]  # storage is asked first
        svc.handle_xml(owner_submit(ROMEO, field(
            "muc#roomconfig_persistentroom", "1")))
        svc.handle_xml(f"<message from='{ROMEO}' to='{ROOM}' "
                       "type='groupchat'><subject>Verona</subject></message>")
        svc.handle_xml(f"<iq from='{ROMEO}' to='{ROOM}' type='set' id='m1'>"
                       f"<query xmlns='{MUC_ADMIN}'><item affiliation='member'"
                       " jid='juliet@localhost'/></query></iq>")
        svc.handle_xml(f"<presence from='{ROMEO}' to='{ROOM}/Romeo' "
                       "type='unavailable'/>")
        assert svc.find_room("room").occupant_count == 0  # persistent: kept
    assert isinstance(storage.records[ROOM], bytes)
    host.take()


def test_a_restarted_service_loads_the_room(host: Host) -> None:
    storage = Storage()
    _persistent_room(host, storage)
    with host.service(store_room=storage.store,
                      load_room=storage.load) as svc:
        assert svc.find_room("room") is None
        svc.handle_xml(join_xml(JULIET, "Juliet"))
        room = svc.find_room("room")
        assert room is not None
        assert room.subject == "Verona"
        assert room.affiliation("juliet@localhost") is Affiliation.MEMBER
        assert room.affiliation("romeo@localhost") is Affiliation.OWNER
        assert room.occupant_count == 1


def test_storage_may_answer_later(host: Host) -> None:
    storage = Storage()
    _persistent_room(host, storage)
    asked: list[str] = []

    def load_later(room_jid: str) -> object:
        asked.append(room_jid)
        return libmuc.PENDING

    with host.service(store_room=storage.store, load_room=load_later) as svc:
        svc.handle_xml(join_xml(JULIET, "Juliet"))
        assert asked == [ROOM] and host.take() == []
        assert svc.room_count == 1 and svc.find_room("room") is None
        svc.room_loaded(ROOM, storage.records[ROOM])
        assert [s.get("from") for s in host.to(JULIET)
                if s.tag == "presence"][-1] == ROOM + "/Juliet"
        assert svc.find_room("room").subject == "Verona"
        with pytest.raises(libmuc.NotFoundError):
            svc.room_loaded(ROOM, storage.records[ROOM])  # nothing pending


def test_an_invalid_record_is_refused(host: Host) -> None:
    with host.service(load_room=lambda jid: libmuc.PENDING) as svc:
        svc.handle_xml(join_xml(JULIET, "Juliet", room="other@" + DOMAIN))
        with pytest.raises(libmuc.StorageError):
            svc.room_loaded("other@" + DOMAIN, b"<nonsense/>")


def test_destroying_deletes_the_record(host: Host) -> None:
    storage = Storage()
    _persistent_room(host, storage)
    with host.service(store_room=storage.store,
                      load_room=storage.load) as svc:
        svc.handle_xml(join_xml(ROMEO, "Romeo"))
        svc.handle_xml(f"<iq from='{ROMEO}' to='{ROOM}' type='set' id='d1'>"
                       f"<query xmlns='{MUC_OWNER}'><destroy/></query></iq>")
        assert svc.find_room("room") is None
    assert ROOM not in storage.records

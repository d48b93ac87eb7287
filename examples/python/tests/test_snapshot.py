"""Live snapshots and the change feed: a room moves between services."""

from __future__ import annotations

import pytest
from conftest import JULIET, ROMEO, ROOM, Host, join_xml

import libmuc


def _room(host: Host, svc: libmuc.Service) -> None:
    svc.handle_xml(join_xml(ROMEO, "Romeo"))
    svc.handle_xml(join_xml(JULIET, "Juliet"))
    svc.handle_xml(f"<message from='{ROMEO}' to='{ROOM}' type='groupchat'>"
                   "<subject>Verona</subject></message>")


def test_room_moves() -> None:
    host = Host()
    with host.service() as a, host.service() as b:
        _room(host, a)
        snap = a.snapshot_room(ROOM)
        assert snap[:4] == b"MUCS"
        b.restore_room(snap)
        room = b.find_room(ROOM)
        # the room is still locked (never configured): Juliet was refused
        assert room is not None and room.occupant_count == 1
        assert room.subject == "Verona"
        assert b.snapshot_room(ROOM) == snap
        with pytest.raises(libmuc.ExistsError):
            b.restore_room(snap)
        with pytest.raises(libmuc.StorageError):
            b.restore_room(snap[:-1])
        with pytest.raises(libmuc.NotFoundError):
            a.snapshot_room("none@conference.localhost")


def test_feed_replica() -> None:
    host = Host()
    events: list[tuple[str, int, bytes]] = []
    with host.service() as a, host.service() as b:
        a.set_feed(lambda room, seq, data: events.append((room, seq, data)))
        _room(host, a)
        assert [seq for _, seq, _ in events] == list(range(1, len(events) + 1))
        for _, _, data in events:
            b.apply_event(data)
        assert b.snapshot_room(ROOM) == a.snapshot_room(ROOM)
        a.set_feed(None)

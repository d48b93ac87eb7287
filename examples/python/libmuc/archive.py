"""The host's message archive (muc.h, "Message archive"): a Python object
with append, query and retract, installed with Service.set_archive().

    class MyArchive:
        def append(self, msg: ArchivedMessage) -> None: ...
        def query(self, q: ArchiveQuery, page: ArchivePage) -> bool: ...
        def retract(self, r: Retraction) -> bool: ...

query fills |page| (page.add(stanza_id, time, xml, real_jid), page.end(
complete, count)) and returns True, or False for an id the archive does
not know (MUC_ARCHIVE_NOT_FOUND: the client gets <item-not-found/>).
retract returns True when it replaced the message, False when there is
no such message from that author.  An exception in any of them is a
failure of the host's storage: the library answers the client with
<internal-server-error/> and the entry point raises the exception.
Every call is synchronous, from inside the entry point that caused it.
"""

from __future__ import annotations

import ctypes
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t,
                    c_uint32, c_uint64, c_void_p)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Protocol

if TYPE_CHECKING:
    from .service import Service

#: MUC_ARCHIVE_VERSION of the header this binding was written for.
ARCHIVE_VERSION = 1
#: MUC_ARCHIVE_NOT_FOUND
NOT_FOUND = 1
#: muc_archive_page_end's "count unknown"
COUNT_UNKNOWN = 2**32 - 1


class MucHookArchived(Structure):
    """struct muc_hook_archived (|xml| is not NUL-terminated)."""

    _fields_ = [("room_jid", c_char_p), ("stable_id", c_char_p),
                ("id", c_char_p), ("nick", c_char_p), ("real_jid", c_char_p),
                ("time", c_uint64), ("xml", c_void_p), ("len", c_size_t),
                ("historic", c_int)]


class MucArchiveQuery(Structure):
    """struct muc_archive_query."""

    _fields_ = [("room_jid", c_char_p), ("requester", c_char_p),
                ("start", c_uint64), ("end", c_uint64), ("with", c_char_p),
                ("after_id", c_char_p), ("before_id", c_char_p),
                ("rsm_after", c_char_p), ("rsm_before", c_char_p),
                ("max", c_uint32), ("ids", POINTER(c_char_p)),
                ("nids", c_size_t)]


class MucArchiveItem(Structure):
    """struct muc_archive_item."""

    _fields_ = [("stanza_id", c_char_p), ("time", c_uint64),
                ("xml", c_char_p), ("len", c_size_t), ("real_jid", c_char_p)]


class MucArchiveRetraction(Structure):
    """struct muc_archive_retraction."""

    _fields_ = [("room_jid", c_char_p), ("stanza_id", c_char_p),
                ("author", c_char_p), ("xml", c_void_p), ("len", c_size_t),
                ("time", c_uint64)]


APPEND = CFUNCTYPE(c_int, POINTER(MucHookArchived), c_void_p)
QUERY = CFUNCTYPE(c_int, POINTER(MucArchiveQuery), c_void_p, c_void_p)
RETRACT = CFUNCTYPE(c_int, POINTER(MucArchiveRetraction), c_void_p)


class MucArchive(Structure):
    """struct muc_archive, version MUC_ARCHIVE_V1."""

    _fields_ = [("append", APPEND), ("query", QUERY), ("retract", RETRACT)]


def _s(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8")


@dataclass(frozen=True)
class ArchivedMessage:
    """One groupchat message of an archiving room (muc_hook_archived)."""

    room_jid: str
    stable_id: str  # the archive id (the room's stanza-id)
    id: Optional[str]
    nick: Optional[str]
    real_jid: Optional[str]
    time: int  # ms since the epoch
    xml: bytes
    historic: bool


@dataclass(frozen=True)
class ArchiveQuery:
    """One page the room asks for (muc_archive_query; 0 or None: no
    filter).  ``with_`` is the C member |with|."""

    room_jid: str
    requester: str
    start: int
    end: int
    with_: Optional[str]
    after_id: Optional[str]
    before_id: Optional[str]
    rsm_after: Optional[str]
    rsm_before: Optional[str]  # "" (an empty <before/>): the last page
    max: int
    ids: tuple[str, ...]  # non-empty: only the messages with these ids


@dataclass(frozen=True)
class Retraction:
    """A message to replace by its tombstone (muc_archive_retraction);
    |author| None: a moderator's, any message of the room."""

    room_jid: str
    stanza_id: str
    author: Optional[str]
    xml: bytes
    time: int


class ArchivePage:
    """The page a query fills; valid only during the query call."""

    def __init__(self, service: Service, handle: int) -> None:
        self._service, self._handle = service, handle

    def add(self, stanza_id: str, time: int, xml: bytes,
            real_jid: Optional[str] = None) -> None:
        """The next message, oldest first, with the real JID append had
        (shown to askers who may see real JIDs).  Raises InvalidArgError
        for an empty id, xml that is not one <message/>, or more than
        max."""
        raw = bytes(xml)
        item = MucArchiveItem(stanza_id.encode("utf-8"), time, raw, len(raw),
                              None if real_jid is None
                              else real_jid.encode("utf-8"))
        lib = self._service._lib
        self._service._check(lib.muc_archive_page_add(
            self._handle, ctypes.addressof(item)))

    def end(self, complete: bool, count: Optional[int] = None) -> None:
        """Whether nothing matches beyond the page; how many match in all
        (None: unknown)."""
        lib = self._service._lib
        self._service._check(lib.muc_archive_page_end(
            self._handle, 1 if complete else 0,
            COUNT_UNKNOWN if count is None else count))


class Archive(Protocol):
    def append(self, msg: ArchivedMessage) -> None: ...
    def query(self, q: ArchiveQuery, page: ArchivePage) -> bool: ...
    def retract(self, r: Retraction) -> bool: ...


def _message(p: object) -> ArchivedMessage:
    m = p.contents  # type: ignore[attr-defined]
    return ArchivedMessage(_s(m.room_jid) or "", _s(m.stable_id) or "",
                           _s(m.id), _s(m.nick), _s(m.real_jid), m.time,
                           ctypes.string_at(m.xml, m.len), bool(m.historic))


def _query(p: object) -> ArchiveQuery:
    q = p.contents  # type: ignore[attr-defined]
    return ArchiveQuery(_s(q.room_jid) or "", _s(q.requester) or "",
                        q.start, q.end, _s(getattr(q, "with")),
                        _s(q.after_id), _s(q.before_id), _s(q.rsm_after),
                        _s(q.rsm_before), q.max,
                        tuple(q.ids[i].decode("utf-8") for i in range(q.nids)
                              if q.ids[i] is not None))


def _retraction(p: object) -> Retraction:
    r = p.contents  # type: ignore[attr-defined]
    return Retraction(_s(r.room_jid) or "", _s(r.stanza_id) or "",
                      _s(r.author), ctypes.string_at(r.xml, r.len), r.time)


def install(service: Service, archive: Optional[Archive]) -> None:
    """Service.set_archive: the C struct of trampolines, or NULL."""
    if archive is None:
        service._call("muc_service_set_archive", ARCHIVE_VERSION, None, None)
        return
    for name in ("append", "query", "retract"):
        if not callable(getattr(archive, name, None)):
            raise TypeError(f"the archive has no {name}() method")
    tramp = service._trampoline
    cb = MucArchive(
        tramp(APPEND, -1, lambda m: archive.append(_message(m)) or 0),
        tramp(QUERY, -1, lambda q, page: 0 if archive.query(
            _query(q), ArchivePage(service, page)) else NOT_FOUND),
        tramp(RETRACT, -1,
              lambda r: 0 if archive.retract(_retraction(r)) else NOT_FOUND))
    # copied by the library: |cb| may go, the trampolines stay on service
    service._call("muc_service_set_archive", ARCHIVE_VERSION,
                  ctypes.addressof(cb), None)

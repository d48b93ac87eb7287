"""Service: one MUC domain and its rooms, over the text ABI of muc.h."""

from __future__ import annotations

import ctypes
import os
import time
from typing import Callable, Optional, Union

from . import _ffi
from . import config as _config
from .admin import AdminMixin
from .constants import Affiliation, LogLevel, Role
from .errors import ErrorCode, NotFoundError, ServiceClosedError, error_for

Bytes = Union[bytes, bytearray, memoryview]
SendFn = Callable[[str, bytes], object]
NowFn = Callable[[], int]
IsServiceAdminFn = Callable[[str], bool]
MayCreateRoomFn = Callable[[str, str], bool]
MakeIdFn = Callable[[], str]
StoreRoomFn = Callable[[str, Optional[bytes]], object]
LoadRoomFn = Callable[[str], object]
LogFn = Callable[[int, str], object]


class _Pending:
    """The type of PENDING."""

    def __repr__(self) -> str:
        return "libmuc.PENDING"


#: Returned by a load_room callback that answers later with room_loaded().
PENDING = _Pending()


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def _cstr(value: str, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character")
    return value.encode("utf-8")


def _raisable(errors: list[BaseException], rc: int,
              strerror: Callable[[int], str]) -> BaseException:
    """The first callback exception, with notes on the others and on |rc|."""
    first = errors[0]
    add_note = getattr(first, "add_note", None)
    if add_note is None:  # Python < 3.11: keep the count on the exception
        first.__notes__ = getattr(first, "__notes__", [])
        add_note = first.__notes__.append
    if len(errors) > 1:
        others = ", ".join(repr(e) for e in errors[1:6])
        more = "" if len(errors) <= 6 else ", ..."
        add_note(f"libmuc: {len(errors) - 1} more exception(s) in callbacks "
                 f"during the same call: {others}{more}")
    if rc:
        err = error_for(rc, strerror)
        add_note(f"libmuc: the call returned MUC_ERR_{err.name} ({err})")
    return first


class Room:
    """A view of the room with JID ``jid`` in a Service.

    The view holds only the JID: every property looks the room up again,
    so it never dangles.  It raises NotFoundError once the room is gone
    from memory.
    """

    __slots__ = ("_svc", "jid")

    def __init__(self, service: Service, jid: str) -> None:
        self._svc = service
        self.jid: str = jid

    def _ptr(self) -> int:
        ptr = self._svc._query("muc_service_find_room", _cstr(self.jid, "jid"))
        if not ptr:
            raise NotFoundError(ErrorCode.NOT_FOUND,
                                f"room {self.jid} is not in memory")
        return ptr

    def _get(self, fn: str, *args: object) -> object:
        return getattr(self._svc._lib, fn)(self._ptr(), *args)

    @property
    def occupant_count(self) -> int:
        """Occupants (nicks) present."""
        return self._get("muc_room_get_occupant_count")

    @property
    def subject(self) -> str:
        """The current subject, "" if none."""
        return self._get("muc_room_get_subject").decode("utf-8")

    def affiliation(self, jid: str) -> Affiliation:
        """The affiliation of |jid| (bare or full); NONE if unknown."""
        return Affiliation(self._get("muc_room_get_affiliation",
                                     _cstr(jid, "jid")))

    def role(self, nick: str) -> Role:
        """The role of the occupant |nick|; NONE if absent."""
        return Role(self._get("muc_room_get_role", _cstr(nick, "nick")))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Room) and other._svc is self._svc
                and other.jid == self.jid)

    def __hash__(self) -> int:
        return hash((id(self._svc), self.jid))

    def __repr__(self) -> str:
        return f"<libmuc.Room {self.jid}>"



class Service(AdminMixin):
    """One MUC domain (e.g. "conference.example.org") and all of its rooms.

    The callbacks are plain callables; only |send| is required:

    - ``send(to, xml)``: deliver the stanza |xml| (bytes, UTF-8) to |to|.
    - ``now()``: wall-clock milliseconds since the epoch (default: the
      system clock).
    - ``is_service_admin(bare_jid)``, ``may_create_room(real_jid,
      room_jid)``: policy, return true or false (an exception is a failed
      look-up: the answer is no and the exception is raised).
    - ``make_id()``: a unique id (str of at most 15 bytes is always safe).
    - ``store_room(room_jid, data)``: persist |data| (bytes), or delete the
      record when |data| is None.
    - ``load_room(room_jid)``: return the stored record (bytes), None if
      there is none, or PENDING to answer later with room_loaded().
    - ``log(level, msg)``: |level| is a LogLevel.

    An exception raised in any callback is kept and raised again by the
    entry point that called into the library (the first one; the others
    are counted in its notes), after the library finished its work.  Every
    entry point may be called from inside a callback: libmuc queues such a
    nested call and runs it before the outermost call returns.

    |config| is a Config or a dict of muc_config field names, applied over
    the library's defaults.  |library| is the path of the shared library
    (default: $LIBMUC_PATH, then the system's libmuc).

    The room administration methods (create_room, set_affiliation,
    kick, occupants, history, ...) come from AdminMixin (admin.py).

    Use it as a context manager, or call close().
    """

    def __init__(self, domain: str, *, send: SendFn,
                 now: Optional[NowFn] = None,
                 is_service_admin: Optional[IsServiceAdminFn] = None,
                 may_create_room: Optional[MayCreateRoomFn] = None,
                 make_id: Optional[MakeIdFn] = None,
                 store_room: Optional[StoreRoomFn] = None,
                 load_room: Optional[LoadRoomFn] = None,
                 log: Optional[LogFn] = None,
                 config: _config.ConfigLike = None,
                 library: Union[str, os.PathLike[str], None] = None) -> None:
        self._handle: Optional[int] = None
        self._depth = 0
        self._errors: list[BaseException] = []
        self._cfuncs: list[object] = []
        self._lib = _ffi.load(library)
        if not callable(send):
            raise TypeError("send must be callable")
        self._now_fn: NowFn = now or _wall_clock_ms
        self._last_now = _wall_clock_ms()
        cfg = _config.to_struct(self._lib, config)
        cb = _ffi.MucCallbacks()
        cb.send_bytes = self._trampoline(_ffi.SEND_BYTES, 1, self._on_send,
                                         send)
        cb.now = self._trampoline(_ffi.NOW, lambda: self._last_now,
                                  self._on_now)
        hooks = [("is_service_admin", _ffi.IS_SERVICE_ADMIN, -1,
                  is_service_admin, self._on_predicate),
                 ("may_create_room", _ffi.MAY_CREATE_ROOM, -1,
                  may_create_room, self._on_predicate),
                 ("make_id", _ffi.MAKE_ID, 1, make_id, self._on_make_id),
                 ("store_room", _ffi.STORE_ROOM, 1, store_room,
                  self._on_store_room),
                 ("load_room", _ffi.LOAD_ROOM, 1, load_room,
                  self._on_load_room),
                 ("log", _ffi.LOG, None, log, self._on_log)]
        for field, proto, failure, user_fn, body in hooks:
            if user_fn is None:
                continue
            if not callable(user_fn):
                raise TypeError(f"{field} must be callable")
            setattr(cb, field, self._trampoline(proto, failure, body, user_fn))
        handle = ctypes.c_void_p()
        rc = self._run(self._lib.muc_service_new_versioned,
                       ctypes.byref(handle), _cstr(domain, "domain"),
                       _ffi.CALLBACKS_VERSION, ctypes.byref(cb),
                       _ffi.CONFIG_VERSION, ctypes.byref(cfg), None, None)
        if rc == 0:
            self._handle = handle.value
        try:
            self._check(rc)
        except BaseException:
            self._close_quietly()
            raise

    # --- trampolines: C -> Python ---------------------------------------

    def _trampoline(self, proto: type, failure: object,
                    body: Callable[..., object], *bound: object) -> object:
        """A C function pointer of type |proto| running |body|.

        The C arguments follow |bound|; the trailing user_data is dropped.
        Any exception is stored for the entry point and |failure| (or its
        result, if callable) goes back to C.  The object is kept on self
        for the service's lifetime.
        """
        def trampoline(*args: object) -> object:
            try:
                return body(*bound, *args[:-1])
            except BaseException as e:  # noqa: B902 - re-raised by _check
                self._errors.append(e)
                return failure() if callable(failure) else failure
        cfunc = proto(trampoline)
        self._cfuncs.append(cfunc)
        return cfunc

    def _on_send(self, send: SendFn, to: bytes, xml: int, size: int) -> int:
        send(to.decode("utf-8"), ctypes.string_at(xml, size))
        return 0

    def _on_now(self) -> int:
        value = int(self._now_fn())
        if value < 0:
            raise ValueError(f"now() returned {value}, before the epoch")
        self._last_now = value
        return value

    def _on_predicate(self, fn: Callable[..., object], *jids: bytes) -> int:
        return 1 if fn(*(j.decode("utf-8") for j in jids)) else 0

    def _on_make_id(self, fn: MakeIdFn, buf: int, size: int) -> int:
        made = fn()
        raw = made.encode("utf-8") if isinstance(made, str) else bytes(made)
        if len(raw) >= size or b"\0" in raw:
            raise ValueError(f"make_id() returned {made!r}: ids are at most "
                             f"{size - 1} bytes, without NUL")
        ctypes.memmove(buf, raw + b"\0", len(raw) + 1)
        return 0

    def _on_store_room(self, fn: StoreRoomFn, room: bytes, data: Optional[int],
                       size: int) -> int:
        fn(room.decode("utf-8"),
           None if data is None else ctypes.string_at(data, size))
        return 0

    def _on_load_room(self, fn: LoadRoomFn, room: bytes) -> int:
        jid = room.decode("utf-8")
        found = fn(jid)
        if found is not PENDING:
            self.room_loaded(jid, found)  # type: ignore[arg-type]
        return 0

    def _on_log(self, fn: LogFn, level: int, msg: bytes) -> None:
        try:
            level = LogLevel(level)
        except ValueError:
            pass
        fn(level, msg.decode("utf-8", "replace"))

    # --- calls: Python -> C ------------------------------------------------

    def _strerror(self, code: int) -> str:
        return self._lib.muc_strerror(code).decode("utf-8", "replace")

    def _run(self, fn: Callable[..., int], *args: object) -> int:
        """Call |fn|; the outermost call starts a fresh list of errors."""
        if self._depth == 0:
            self._errors = []
        self._depth += 1
        try:
            return fn(*args)
        finally:
            self._depth -= 1

    def _check(self, rc: int) -> None:
        """Raise what the call that returned |rc| must raise, if anything.

        Callback exceptions come first and only from the outermost call;
        a nested call raises only its own immediate return code.
        """
        if self._depth == 0 and self._errors:
            errors, self._errors = self._errors, []
            raise _raisable(errors, rc, self._strerror)
        if rc != 0:
            raise error_for(rc, self._strerror)

    def _open_handle(self) -> int:
        if self._handle is None:
            raise ServiceClosedError("the libmuc Service is closed")
        return self._handle

    def _call(self, name: str, *args: object) -> None:
        fn = getattr(self._lib, name)
        self._check(self._run(fn, self._open_handle(), *args))

    def _query(self, name: str, *args: object) -> object:
        return getattr(self._lib, name)(self._open_handle(), *args)

    # --- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Free the service and its rooms (nothing is sent: see shutdown()).

        Idempotent.  Raises InCallbackError, and frees nothing, when called
        from inside one of this service's callbacks.
        """
        if self._handle is None:
            return
        rc = self._run(self._lib.muc_service_free, self._handle)
        if rc == 0:
            self._handle = None
            self._cfuncs = []
        self._check(rc)

    def _close_quietly(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - only from __init__ and __del__
            pass

    @property
    def closed(self) -> bool:
        """True once close() freed the service."""
        return self._handle is None

    def __enter__(self) -> Service:
        self._open_handle()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None and self._depth == 0:
            self._close_quietly()

    # --- entry points ------------------------------------------------------

    def handle_xml(self, xml: Union[str, Bytes]) -> None:
        """Handle one complete stanza (text, or UTF-8 bytes).

        Its 'from' must be the sender's full JID and its 'to' this domain,
        a room or an occupant.  Everything it causes is sent before this
        returns.  An XMPP refusal is an error stanza sent to the sender,
        not an exception; BadStanzaError, NotMineError and LimitError mean
        nothing could be answered.
        """
        data = xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
        self._call("muc_service_handle_xml", data, len(data))

    def session_ended(self, full_jid: str) -> None:
        """The client session |full_jid| is gone: it leaves every room."""
        self._call("muc_service_session_ended", _cstr(full_jid, "full_jid"))

    def room_loaded(self, room_jid: str, data: Optional[Bytes]) -> None:
        """Answer a load_room request: the stored record, or None if absent.

        Raises NotFoundError if no load is pending for |room_jid| and
        StorageError if |data| is not a valid record.
        """
        raw = None if data is None else bytes(data)
        self._call("muc_service_room_loaded", _cstr(room_jid, "room_jid"),
                   raw, 0 if raw is None else len(raw))

    def shutdown(self) -> None:
        """Tell every occupant the service goes away (status 332), store
        persistent rooms and empty every room.  The service stays usable."""
        self._call("muc_service_shutdown")

    def next_deadline(self) -> Optional[int]:
        """When handle_timeout() has work (ms, the now() clock), or None."""
        deadline = self._query("muc_service_next_deadline")
        return None if deadline == _ffi.UINT64_MAX else deadline

    def handle_timeout(self) -> None:
        """Run the work due at now() (e.g. unlock unconfigured rooms)."""
        self._call("muc_service_handle_timeout")

    def hibernate_now(self) -> None:
        """Store and evict every room that can be evicted (persistent,
        nobody in it, nothing pending), however long it was idle; the next
        stanza for it loads it back.  Needs store_room and load_room."""
        self._call("muc_service_hibernate_now")

    # --- live snapshots and the change feed ------------------------------

    def snapshot_room(self, room_jid: str) -> bytes:
        """The live snapshot of the room (docs/snapshot.md): every part of
        it, occupants included.  Raises NotFoundError if it is not in
        memory or still loading."""
        out: list[bytes] = []

        def keep(data: int, size: int, user_data: object) -> int:
            out.append(ctypes.string_at(data, size))
            return 0
        self._call("muc_service_snapshot_room", _cstr(room_jid, "room_jid"),
                   _ffi.SNAPSHOT_FN(keep), None)
        return out[0]

    def restore_room(self, data: Bytes) -> None:
        """Make the room of a snapshot here.  Raises ExistsError,
        StorageError (not a valid snapshot for this service) or
        LimitError (max_rooms)."""
        raw = bytes(data)
        self._call("muc_service_restore_room", raw, len(raw))

    def set_feed(self, fn: Optional[Callable[[str, int, bytes], None]]
                 ) -> None:
        """Call fn(room_jid, seq, event) for every change of every room
        (docs/feed.md); None: no feed."""
        cfunc = _ffi.FEED_FN()  # NULL
        if fn is not None:
            cfunc = self._trampoline(
                _ffi.FEED_FN, None,
                lambda room, seq, data, size: fn(
                    room.decode("utf-8"), seq, ctypes.string_at(data, size)))
        self._call("muc_service_set_feed", _ffi.FEED_VERSION, cfunc, None)

    def set_archive(self, archive: object) -> None:
        """Install the host's message archive: an object with append(),
        query() and retract() (libmuc/archive.py); None removes it."""
        from . import archive as _archive
        _archive.install(self, archive)  # type: ignore[arg-type]

    def apply_event(self, data: Bytes) -> None:
        """Apply another service's feed event to the same room here."""
        raw = bytes(data)
        self._call("muc_service_apply_event", raw, len(raw))

    # --- queries -------------------------------------------------------

    @property
    def domain(self) -> str:
        """The service's domain."""
        return self._query("muc_service_get_domain").decode("utf-8")

    @property
    def room_count(self) -> int:
        """Rooms in memory, loading ones included."""
        return self._query("muc_service_get_room_count")

    @property
    def memory_usage(self) -> int:
        """Bytes allocated by the service's own state."""
        return self._query("muc_service_get_memory_usage")

    def find_room(self, name: str) -> Optional[Room]:
        """The room |name| (bare room JID or local part), or None if it is
        not in memory or still loading."""
        ptr = self._query("muc_service_find_room", _cstr(name, "name"))
        if not ptr:
            return None
        return Room(self, self._lib.muc_room_get_jid(ptr).decode("utf-8"))

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else self.domain
        return f"<libmuc.Service {state}>"

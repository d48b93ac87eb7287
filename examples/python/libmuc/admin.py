"""The room administration API of muc.h: the host as the actor.

Service inherits these methods.  Each change is made exactly as the
matching owner or moderator stanza would make it: the occupants get the
same notifications, the room is stored the same way, and nothing is sent
back (there is no requester).  Every method may be called from inside a
callback: changes are checked at once (raising what the room's state at
that moment says) and run before the outermost call returns.  Strings
read from the library are copied into Python objects at once.
"""

from __future__ import annotations

import ctypes
import dataclasses
from typing import Iterator, Optional

from . import _ffi
from .constants import Affiliation, AllowPM, Role, Whois

#: Rows fetched per call by the listing methods.
PAGE = 64

RESERVED = 0x1  # MUC_CREATE_RESERVED
LIST_PUBLIC, LIST_PERSISTENT, LIST_OCCUPIED = 0x1, 0x2, 0x4


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8")


def _opt(value: Optional[str], what: str) -> Optional[bytes]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character")
    return value.encode("utf-8")


def _req(value: str, what: str) -> bytes:
    if value is None:
        raise TypeError(f"{what} must be a str, not None")
    return _opt(value, what)  # type: ignore[return-value]


@dataclasses.dataclass
class RoomOptions:
    """muc_room_options: every setting of a room's configuration.

    Role sets (get_member_list, presence_broadcast) are sets of Role.
    """

    name: Optional[str] = None
    description: Optional[str] = None
    lang: Optional[str] = None
    password: Optional[str] = None
    persistent: bool = False
    public_room: bool = False
    members_only: bool = False
    allow_invites: bool = False
    max_users: int = 0
    change_subject: bool = False
    moderated: bool = False
    whois: Whois = Whois.MODERATORS
    allow_pm: AllowPM = AllowPM.ANYONE
    get_member_list: frozenset = frozenset()
    history_length: int = 20
    presence_broadcast: frozenset = frozenset(
        {Role.VISITOR, Role.PARTICIPANT, Role.MODERATOR})
    logging: bool = False
    archiving: bool = True  # MUC_ROOM_OPTIONS_V2 (XEP-0313)

    _STRINGS = ("name", "description", "lang", "password")
    _ROLE_SETS = ("get_member_list", "presence_broadcast")

    @classmethod
    def from_struct(cls, s: _ffi.MucRoomOptions) -> RoomOptions:
        values = {}
        for f in dataclasses.fields(cls):
            raw = getattr(s, f.name)
            if f.name in cls._STRINGS:
                values[f.name] = _text(raw)
            elif f.name in cls._ROLE_SETS:
                values[f.name] = frozenset(r for r in Role if raw & r.bit)
            elif f.name == "whois":
                values[f.name] = Whois(raw)
            elif f.name == "allow_pm":
                values[f.name] = AllowPM(raw)
            elif isinstance(f.default, bool):
                values[f.name] = bool(raw)
            else:
                values[f.name] = int(raw)
        return cls(**values)

    def to_struct(self) -> _ffi.MucRoomOptions:
        s = _ffi.MucRoomOptions()
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in self._STRINGS:
                value = _opt(value, f.name)
            elif f.name in self._ROLE_SETS:
                value = sum(Role(r).bit for r in set(value))
            else:
                value = int(value)
            setattr(s, f.name, value)
        return s


@dataclasses.dataclass(frozen=True)
class RoomInfo:
    """One room of list_rooms()."""

    jid: str
    name: str
    occupants: int
    public_room: bool
    persistent: bool
    members_only: bool
    password_protected: bool
    locked: bool


@dataclasses.dataclass(frozen=True)
class AffiliationEntry:
    """A user's affiliation in a room, with its reserved nick and reason."""

    jid: str
    affiliation: Affiliation
    nick: Optional[str]
    reason: Optional[str]


@dataclasses.dataclass(frozen=True)
class OccupantInfo:
    """An occupant: nick, role, affiliation and real JIDs.

    ``sessions`` is the number of sessions sharing the nick; ``real_jids``
    (from occupant() only; () in occupants()) the full JID of each,
    the one others see first.
    """

    nick: str
    role: Role
    affiliation: Affiliation
    jid: str
    primary: Optional[str]
    sessions: int
    real_jids: tuple = ()


@dataclasses.dataclass(frozen=True)
class HistoryItem:
    """A message of a room's history as newcomers get it (bytes, delay
    included), when the room received it, and its sender's nick."""

    xml: bytes
    time_ms: int
    nick: str


def _occupant(s: _ffi.MucOccupantInfo, jids: tuple = ()) -> OccupantInfo:
    return OccupantInfo(_text(s.nick), Role(s.role),
                        Affiliation(s.affiliation), _text(s.jid),
                        _text(s.primary), int(s.sessions), jids)


def _entry(s: _ffi.MucAffiliationInfo) -> AffiliationEntry:
    return AffiliationEntry(_text(s.jid), Affiliation(s.affiliation),
                            _text(s.nick), _text(s.reason))


class AdminMixin:
    """The room administration methods of Service (see muc.h)."""

    # Service provides _lib, _call (a changing call, through its callback
    # bookkeeping) and _query (a plain call on the open handle).
    _lib: ctypes.CDLL

    def _read(self, name: str, *args: object) -> None:
        """A reading call: raise its code.  It may run load_room (a room
        only in storage is loaded for it), so it is run as a call."""
        self._call(name, *args)

    def _pages(self, name: str, row: type, first: tuple, rest: tuple,
               offset: int, limit: Optional[int]) -> Iterator[object]:
        """Rows of an offset-paged listing, |limit| at most."""
        while limit is None or limit > 0:
            want = PAGE if limit is None else min(PAGE, limit)
            rows = (row * want)()
            n = ctypes.c_size_t()
            self._read(name, *first, offset, *rest, rows, want,
                       ctypes.byref(n))
            for i in range(n.value):
                yield rows[i]
            offset += n.value
            if limit is not None:
                limit -= n.value
            if n.value < want:
                return

    # --- rooms -------------------------------------------------------------

    def room_options_default(self) -> RoomOptions:
        """The configuration a new room of this service starts with."""
        s = _ffi.MucRoomOptions()
        self._read("muc_room_options_default_versioned",
                   _ffi.ROOM_OPTIONS_VERSION, ctypes.byref(s))
        return RoomOptions.from_struct(s)

    def create_room(self, room: str, owner: Optional[str] = None,
                    options: Optional[RoomOptions] = None, *,
                    reserved: bool = False) -> None:
        """Create |room| (JID or local part) with |options| (default: the
        service's) and |owner| as its owner.  reserved=True: locked until
        configured.  ExistsError if it is in memory."""
        s = (options or self.room_options_default()).to_struct()
        self._call("muc_service_create_room_versioned", _req(room, "room"),
                   _opt(owner, "owner"), _ffi.ROOM_OPTIONS_VERSION,
                   ctypes.byref(s), RESERVED if reserved else 0)

    def room_options(self, room: str) -> RoomOptions:
        """The configuration of |room|."""
        s = _ffi.MucRoomOptions()
        self._read("muc_service_get_room_options_versioned",
                   _req(room, "room"), _ffi.ROOM_OPTIONS_VERSION,
                   ctypes.byref(s))
        return RoomOptions.from_struct(s)

    def set_room_options(self, room: str,
                         options: Optional[RoomOptions] = None,
                         **changes: object) -> None:
        """Configure |room| with |options| (default: its own) and the
        keyword |changes|, as an owner's form would (104, 172, ...)."""
        opts = options or self.room_options(room)
        if changes:
            opts = dataclasses.replace(opts, **changes)
        s = opts.to_struct()
        self._call("muc_service_set_room_options_versioned",
                   _req(room, "room"), _ffi.ROOM_OPTIONS_VERSION,
                   ctypes.byref(s))

    def destroy_room(self, room: str, reason: Optional[str] = None,
                     alt_jid: Optional[str] = None,
                     password: Optional[str] = None) -> None:
        """Destroy |room|: occupants get <destroy/> with the alternate
        venue |alt_jid|, its |password| and |reason|; the record goes."""
        self._call("muc_service_destroy_room", _req(room, "room"),
                   _opt(reason, "reason"), _opt(alt_jid, "alt_jid"),
                   _opt(password, "password"))

    def list_rooms(self, after: Optional[str] = None, *, limit: int = PAGE,
                   public: bool = False, persistent: bool = False,
                   occupied: bool = False) -> list[RoomInfo]:
        """One page (at most |limit|) of the rooms after the room |after|
        (the jid of the previous page's last one): those in memory, then
        the stored public rooms not in memory (muc.h)."""
        flags = ((LIST_PUBLIC if public else 0)
                 | (LIST_PERSISTENT if persistent else 0)
                 | (LIST_OCCUPIED if occupied else 0))
        rows = (_ffi.MucRoomInfo * max(limit, 1))()
        n = ctypes.c_size_t()
        self._read("muc_service_list_rooms", _opt(after, "after"), flags,
                   rows, limit, ctypes.byref(n))
        return [RoomInfo(_text(r.jid), _text(r.name), int(r.occupants),
                         bool(r.public_room), bool(r.persistent),
                         bool(r.members_only), bool(r.password_protected),
                         bool(r.locked)) for r in rows[:n.value]]

    def iter_rooms(self, **filters: bool) -> Iterator[RoomInfo]:
        """Every room, page by page (list_rooms' filters)."""
        after = None
        while True:
            page = self.list_rooms(after, **filters)
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].jid

    # --- affiliations ------------------------------------------------------

    def affiliation_of(self, room: str, jid: str) -> AffiliationEntry:
        """The affiliation of |jid| in |room|, with nick and reason."""
        aff = ctypes.c_int()
        s = _ffi.MucAffiliationInfo()
        self._read("muc_service_get_affiliation", _req(room, "room"),
                   _req(jid, "jid"), ctypes.byref(aff), ctypes.byref(s))
        return _entry(s)

    def set_affiliation(self, room: str, jid: str, affiliation: int,
                        reason: Optional[str] = None) -> None:
        """Give |jid| |affiliation| in |room|.  NotAllowedError for the
        last owner, LimitError past max_affiliations_per_room."""
        self._call("muc_service_set_affiliation", _req(room, "room"),
                   _req(jid, "jid"), int(affiliation), _opt(reason, "reason"))

    def ban(self, room: str, jid: str, reason: Optional[str] = None) -> None:
        """Make |jid| an outcast of |room| (its sessions leave, 301)."""
        self._call("muc_service_ban", _req(room, "room"), _req(jid, "jid"),
                   _opt(reason, "reason"))

    def affiliations(self, room: str, affiliation: int, offset: int = 0,
                     limit: Optional[int] = None) -> list[AffiliationEntry]:
        """The users of |room| with |affiliation| (NONE: reserved nicks)."""
        rows = self._pages("muc_service_list_affiliations",
                           _ffi.MucAffiliationInfo,
                           (_req(room, "room"), int(affiliation)), (),
                           offset, limit)
        return [_entry(r) for r in rows]

    # --- occupants ---------------------------------------------------------

    def occupants(self, room: str, offset: int = 0,
                  limit: Optional[int] = None) -> list[OccupantInfo]:
        """The occupants of |room| in the order they entered."""
        rows = self._pages("muc_service_list_occupants", _ffi.MucOccupantInfo,
                           (_req(room, "room"),), (), offset, limit)
        return [_occupant(r) for r in rows]

    def occupant(self, room: str, nick: str) -> OccupantInfo:
        """The occupant |nick| of |room| with the real JIDs of its
        sessions.  NotFoundError if absent."""
        s = _ffi.MucOccupantInfo()
        jids = (ctypes.c_char_p * 64)()
        n = ctypes.c_size_t()
        self._read("muc_service_get_occupant", _req(room, "room"),
                   _req(nick, "nick"), ctypes.byref(s), jids, 64,
                   ctypes.byref(n))
        return _occupant(s, tuple(_text(j) for j in jids[:n.value]))

    def real_jids(self, room: str, nick: str) -> tuple:
        """The real full JIDs behind the nick |nick| in |room|."""
        return self.occupant(room, nick).real_jids

    def set_role(self, room: str, nick: str, role: int,
                 reason: Optional[str] = None) -> None:
        """Give the occupant |nick| |role| (NONE kicks).  NotAllowedError
        when an admin or owner would lose voice or moderator status."""
        self._call("muc_service_set_role", _req(room, "room"),
                   _req(nick, "nick"), int(role), _opt(reason, "reason"))

    def kick(self, room: str, nick: str, reason: Optional[str] = None) -> None:
        """Kick the occupant |nick| (307)."""
        self._call("muc_service_kick", _req(room, "room"), _req(nick, "nick"),
                   _opt(reason, "reason"))

    def grant_voice(self, room: str, nick: str,
                    reason: Optional[str] = None) -> None:
        """Make the visitor |nick| a participant."""
        self.set_role(room, nick, Role.PARTICIPANT, reason)

    def revoke_voice(self, room: str, nick: str,
                     reason: Optional[str] = None) -> None:
        """Make |nick| a visitor."""
        self.set_role(room, nick, Role.VISITOR, reason)

    def grant_moderator(self, room: str, nick: str,
                        reason: Optional[str] = None) -> None:
        """Make |nick| a moderator."""
        self.set_role(room, nick, Role.MODERATOR, reason)

    def revoke_moderator(self, room: str, nick: str,
                         reason: Optional[str] = None) -> None:
        """Make the moderator |nick| a participant."""
        self.set_role(room, nick, Role.PARTICIPANT, reason)

    # --- subject and history -----------------------------------------------

    def set_subject(self, room: str, subject: str) -> None:
        """Set the subject of |room| ("" clears it), from the room itself."""
        self._call("muc_service_set_subject", _req(room, "room"),
                   _req(subject, "subject"))

    # --- the host's configuration fields ----------------------------------

    def set_host_fields(self, names: list[str]) -> None:
        """Declare the host's configuration fields (muc_hooks.config_vars;
        installs hooks with nothing else set, replacing any)."""
        raw = [_req(v, "field name") for v in names]
        self._host_vars = (ctypes.c_char_p * (len(raw) + 1))(*raw, None)
        hooks = _ffi.MucHooks()
        hooks.config_vars = ctypes.cast(self._host_vars,
                                        ctypes.POINTER(ctypes.c_char_p))
        self._read("muc_service_set_hooks", _ffi.HOOKS_VERSION,
                   ctypes.addressof(hooks), None)

    def host_values(self, room: str, var: str) -> list[str]:
        """The stored values of the host field |var| of |room|."""
        values = []
        while True:
            want = len(values) + PAGE
            rows = (ctypes.c_char_p * want)()
            n = ctypes.c_size_t()
            self._read("muc_service_get_room_host_values", _req(room, "room"),
                       _req(var, "var"), rows, want, ctypes.byref(n))
            values = [_text(rows[i]) for i in range(n.value)]
            if n.value < want:
                return values

    def set_host_values(self, room: str, var: str,
                        values: list[str]) -> None:
        """Replace the values of the host field |var| of |room|, stored
        as a form submission stores them."""
        raw = [_req(v, "value") for v in values]
        arr = (ctypes.c_char_p * max(len(raw), 1))(*raw)
        self._call("muc_service_set_room_host_values", _req(room, "room"),
                   _req(var, "var"), arr, len(raw))

    def history(self, room: str, offset: int = 0,
                limit: Optional[int] = None) -> list[HistoryItem]:
        """The discussion history of |room|, oldest first."""
        items = []
        for r in self._pages("muc_service_get_history", _ffi.MucHistoryItem,
                             (_req(room, "room"),), (), offset, limit):
            items.append(HistoryItem(ctypes.string_at(r.xml, r.len),
                                     int(r.time_ms), _text(r.nick)))
        return items

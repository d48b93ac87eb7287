"""libmuc for Python: an XMPP Multi-User Chat (XEP-0045) engine.

A ctypes binding of the text ABI of <muc/muc.h>: hand stanzas to
Service.handle_xml() as text, receive the stanzas to deliver through the
``send`` callable.  No compiler is needed; the shared library is found
through library=, $LIBMUC_PATH or the system's library path.

    from libmuc import Service

    def send(to, xml):
        print(to, xml.decode())

    with Service("conference.localhost", send=send,
                 config={"room_lock_new": 0}) as svc:
        svc.handle_xml("<presence from='romeo@localhost/r' "
                       "to='room@conference.localhost/Romeo'>"
                       "<x xmlns='http://jabber.org/protocol/muc'/>"
                       "</presence>")
"""

from __future__ import annotations

import os
from typing import Union

from . import _ffi
from . import config as _config
from ._ffi import LibraryError
from .admin import (AffiliationEntry, HistoryItem, OccupantInfo, RoomInfo,
                    RoomOptions)
from .archive import ArchivedMessage, ArchivePage, ArchiveQuery, Retraction
from .config import Config
from .constants import (ROLES_ALL, Affiliation, AllowPM, LogLevel, Role,
                        Whois)
from .errors import (BadStanzaError, CallbackFailureError, ErrorCode,
                     ExistsError, InCallbackError, InvalidArgError,
                     LimitError, LoadingError, MucError, NotAllowedError,
                     NotFoundError, NotMineError, OutOfMemoryError,
                     ServiceClosedError, StorageError)
from .service import PENDING, Room, Service

__all__ = [
    "Affiliation", "AffiliationEntry", "AllowPM", "BadStanzaError",
    "CallbackFailureError", "Config", "ErrorCode", "ExistsError",
    "HistoryItem", "InCallbackError", "InvalidArgError", "LibraryError",
    "LimitError", "LoadingError", "LogLevel", "MucError", "NotAllowedError",
    "NotFoundError", "NotMineError", "OccupantInfo", "OutOfMemoryError",
    "PENDING", "ROLES_ALL", "Role", "Room", "RoomInfo", "RoomOptions",
    "Service", "ServiceClosedError", "StorageError", "Whois",
    "default_config", "strerror", "version",
]
# the host's message archive (Service.set_archive)
__all__ += ["ArchivedMessage", "ArchivePage", "ArchiveQuery", "Retraction"]

Library = Union[str, "os.PathLike[str]", None]


def version(library: Library = None) -> str:
    """The loaded library's version string, e.g. "0.2.0"."""
    return _ffi.load(library).muc_version().decode()


def strerror(code: int, library: Library = None) -> str:
    """The library's English description of the C return code |code|."""
    return _ffi.load(library).muc_strerror(code).decode()


def default_config(library: Library = None) -> dict[str, int]:
    """Every muc_config field with the library's default value."""
    return _config.as_dict(_config.defaults(_ffi.load(library)))

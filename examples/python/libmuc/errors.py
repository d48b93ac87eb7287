"""The C return codes of libmuc as Python exceptions."""

from __future__ import annotations

import enum
from typing import Callable


class ErrorCode(enum.IntEnum):
    """The MUC_OK and MUC_ERR_* return codes of muc.h."""

    OK = 0
    INVALID_ARG = -1
    BAD_STANZA = -2
    LIMIT = -3
    STORAGE = -4
    NOT_FOUND = -5
    NOT_MINE = -6
    CALLBACK_FAILURE = -7
    IN_CALLBACK = -8
    EXISTS = -9
    NOT_ALLOWED = -10
    LOADING = -11
    FATAL = -100
    NOMEM = -101


class MucError(Exception):
    """A libmuc entry point returned an error code.

    ``code`` is the C code (an ErrorCode, or a plain int for a code this
    binding does not know), ``name`` its name without the MUC_ERR_ prefix
    and the message the library's own muc_strerror() text.  Codes at or
    below MUC_ERR_FATAL (``fatal``) mean the service can only be closed.
    """

    code: int = 0

    def __init__(self, code: int, message: str | None = None) -> None:
        try:
            self.code = ErrorCode(code)
            self.name = self.code.name
        except ValueError:
            self.code = code
            self.name = f"ERROR_{code}"
        self.fatal = code <= ErrorCode.FATAL
        super().__init__(message or self.name)

    def __str__(self) -> str:
        return f"{self.name}: {self.args[0]}"


class InvalidArgError(MucError, ValueError):
    """MUC_ERR_INVALID_ARG: API misuse (bad argument, bad config value)."""


class BadStanzaError(MucError, ValueError):
    """MUC_ERR_BAD_STANZA: the input cannot be answered; nothing was sent."""


class LimitError(MucError):
    """MUC_ERR_LIMIT: a configured limit no stanza can report was hit."""


class StorageError(MucError):
    """MUC_ERR_STORAGE: storage failed, or a stored record is invalid."""


class NotFoundError(MucError, LookupError):
    """MUC_ERR_NOT_FOUND: no such room, or no load pending for it."""


class NotMineError(MucError):
    """MUC_ERR_NOT_MINE: the stanza is not for this service's domain."""


class CallbackFailureError(MucError):
    """MUC_ERR_CALLBACK_FAILURE: a callback reported failure."""


class InCallbackError(MucError):
    """MUC_ERR_IN_CALLBACK: close() was called from inside a callback."""


class ExistsError(MucError):
    """MUC_ERR_EXISTS: create_room() or restore_room() for a room that is
    in memory (or loading)."""


class NotAllowedError(MucError):
    """MUC_ERR_NOT_ALLOWED: against XEP-0045's rules for any actor (the
    last owner, the voice of an admin or owner)."""


class LoadingError(MucError):
    """MUC_ERR_LOADING: the room's record is being loaded; try again after
    room_loaded()."""


class OutOfMemoryError(MucError, MemoryError):
    """MUC_ERR_NOMEM: the service ran out of memory (fatal)."""


_CLASSES: dict[int, type[MucError]] = {
    ErrorCode.INVALID_ARG: InvalidArgError,
    ErrorCode.BAD_STANZA: BadStanzaError,
    ErrorCode.LIMIT: LimitError,
    ErrorCode.STORAGE: StorageError,
    ErrorCode.NOT_FOUND: NotFoundError,
    ErrorCode.NOT_MINE: NotMineError,
    ErrorCode.CALLBACK_FAILURE: CallbackFailureError,
    ErrorCode.IN_CALLBACK: InCallbackError,
    ErrorCode.EXISTS: ExistsError,
    ErrorCode.NOT_ALLOWED: NotAllowedError,
    ErrorCode.LOADING: LoadingError,
    ErrorCode.NOMEM: OutOfMemoryError,
}


def error_for(code: int, strerror: Callable[[int], str] | None = None
              ) -> MucError:
    """The exception for the nonzero C return code |code|."""
    cls = _CLASSES.get(code, MucError)
    return cls(code, strerror(code) if strerror else None)


class ServiceClosedError(RuntimeError):
    """A method was called on a Service after close()."""

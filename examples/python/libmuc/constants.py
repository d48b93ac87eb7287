"""The constants of muc.h as IntEnums."""

from __future__ import annotations

import enum


class Role(enum.IntEnum):
    """MUC_ROLE_* (XEP-0045 §5.1)."""

    NONE = 0
    VISITOR = 1
    PARTICIPANT = 2
    MODERATOR = 3

    @property
    def bit(self) -> int:
        """MUC_ROLE_BIT(role): this role in a role set."""
        return 1 << self.value


#: MUC_ROLES_ALL: the role set of every role.
ROLES_ALL = 0xF


class Affiliation(enum.IntEnum):
    """MUC_AFFIL_* (XEP-0045 §5.2)."""

    OUTCAST = -1
    NONE = 0
    MEMBER = 1
    ADMIN = 2
    OWNER = 3


class AllowPM(enum.IntEnum):
    """MUC_PM_*: who may send private messages (muc#roomconfig_allowpm)."""

    ANYONE = 0
    PARTICIPANTS = 1
    MODERATORS = 2
    MEMBERS = 3
    NOBODY = 4


class Whois(enum.IntEnum):
    """MUC_WHOIS_*: who may see real JIDs (muc#roomconfig_whois)."""

    MODERATORS = 0
    ANYONE = 1


class LogLevel(enum.IntEnum):
    """MUC_LOG_*: the |level| of the log callback."""

    DEBUG = 0
    INFO = 1
    WARN = 2
    ERROR = 3

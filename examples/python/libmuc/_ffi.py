"""ctypes declarations of <muc/muc.h> (the text ABI) and loading of libmuc.

Everything here mirrors the C header one to one; tests/test_header.py checks
the structs against the header as shipped, through cffi.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t,
                    c_uint, c_uint32, c_uint64, c_void_p)

#: The MUC_VERSION_NUM of the header this binding was written for.
HEADER_VERSION_NUM = 0x000300
#: The struct versions of that header.
CALLBACKS_VERSION = 1
CONFIG_VERSION = 4
UINT64_MAX = 2**64 - 1

# --- callback types (muc_callbacks) ----------------------------------------
# Byte buffers that are not NUL-terminated come as c_void_p and are read
# with ctypes.string_at(ptr, len).
SEND_BYTES = CFUNCTYPE(c_int, c_char_p, c_void_p, c_size_t, c_void_p)
NOW = CFUNCTYPE(c_uint64, c_void_p)
IS_SERVICE_ADMIN = CFUNCTYPE(c_int, c_char_p, c_void_p)
MAY_CREATE_ROOM = CFUNCTYPE(c_int, c_char_p, c_char_p, c_void_p)
MAKE_ID = CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)
STORE_ROOM = CFUNCTYPE(c_int, c_char_p, c_void_p, c_size_t, c_void_p)
LOAD_ROOM = CFUNCTYPE(c_int, c_char_p, c_void_p)
LOG = CFUNCTYPE(None, c_int, c_char_p, c_void_p)
# live snapshots and the change feed (muc.h)
SNAPSHOT_FN = CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)
FEED_FN = CFUNCTYPE(None, c_char_p, c_uint64, c_void_p, c_size_t, c_void_p)
FEED_VERSION = 1


class MucCallbacks(Structure):
    """struct muc_callbacks, version MUC_CALLBACKS_V1."""

    _fields_ = [
        ("send_bytes", SEND_BYTES),
        ("now", NOW),
        ("is_service_admin", IS_SERVICE_ADMIN),
        ("may_create_room", MAY_CREATE_ROOM),
        ("make_id", MAKE_ID),
        ("store_room", STORE_ROOM),
        ("load_room", LOAD_ROOM),
        ("log", LOG),
    ]


class MucConfig(Structure):
    """struct muc_config, version MUC_CONFIG_V4 (see muc.h for each field)."""

    _fields_ = [
        ("room_persistent", c_int),
        ("room_public", c_int),
        ("room_members_only", c_int),
        ("room_moderated", c_int),
        ("room_allow_invites", c_int),
        ("room_change_subject", c_int),
        ("room_whois", c_int),
        ("room_presence_broadcast", c_uint32),
        ("room_allow_pm", c_int),
        ("room_history_length", c_uint32),
        ("room_max_users", c_uint32),
        ("room_lock_new", c_int),
        ("room_lock_timeout_ms", c_uint64),
        ("room_allow_unaffiliated_register", c_int),
        ("max_stanza_bytes", c_uint32),
        ("max_depth", c_uint32),
        ("max_attrs", c_uint32),
        ("max_children", c_uint32),
        ("max_rooms", c_uint32),
        ("max_rooms_per_creator", c_uint32),
        ("max_occupants_per_room", c_uint32),
        ("max_sessions_per_occupant", c_uint32),
        ("max_affiliations_per_room", c_uint32),
        ("max_pending_stanzas", c_uint32),
        ("max_nick_bytes", c_uint32),
        ("max_subject_bytes", c_uint32),
        ("max_reason_bytes", c_uint32),
        ("max_room_name_bytes", c_uint32),
        ("max_password_bytes", c_uint32),
        ("max_form_value_bytes", c_uint32),
        ("max_history", c_uint32),
        ("max_history_bytes", c_uint32),
        # MUC_CONFIG_V2
        ("store_history", c_int),
        # MUC_CONFIG_V3
        ("hibernate_idle_ms", c_uint32),
        ("evict_at_max_rooms", c_int),
        ("store_room_list", c_int),
        # MUC_CONFIG_V4
        ("room_archiving", c_int),
        ("max_archive_page", c_uint32),
    ]


class MucRoomOptions(Structure):
    """struct muc_room_options, version MUC_ROOM_OPTIONS_V2."""

    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("lang", c_char_p),
        ("password", c_char_p),
        ("persistent", c_int),
        ("public_room", c_int),
        ("members_only", c_int),
        ("allow_invites", c_int),
        ("max_users", c_uint32),
        ("change_subject", c_int),
        ("moderated", c_int),
        ("whois", c_int),
        ("allow_pm", c_int),
        ("get_member_list", c_uint32),
        ("history_length", c_uint32),
        ("presence_broadcast", c_uint32),
        ("logging", c_int),
        # MUC_ROOM_OPTIONS_V2
        ("archiving", c_int),
    ]


class MucRoomInfo(Structure):
    """struct muc_room_info."""

    _fields_ = [
        ("jid", c_char_p),
        ("name", c_char_p),
        ("occupants", c_size_t),
        ("public_room", c_int),
        ("persistent", c_int),
        ("members_only", c_int),
        ("password_protected", c_int),
        ("locked", c_int),
    ]


class MucAffiliationInfo(Structure):
    """struct muc_affiliation_info."""

    _fields_ = [
        ("jid", c_char_p),
        ("affiliation", c_int),
        ("nick", c_char_p),
        ("reason", c_char_p),
    ]


class MucOccupantInfo(Structure):
    """struct muc_occupant_info."""

    _fields_ = [
        ("nick", c_char_p),
        ("role", c_int),
        ("affiliation", c_int),
        ("jid", c_char_p),
        ("primary", c_char_p),
        ("sessions", c_size_t),
    ]


class MucHooks(Structure):
    """muc_hooks (MUC_HOOKS_V1): the binding sets only config_vars, the
    other members (C function pointers) stay NULL."""
    _fields_ = [(name, c_void_p) for name in (
        "pre_join", "pre_groupchat", "pre_private_message",
        "message_archived", "occupant_joined", "occupant_left",
        "nick_changed", "role_changed", "affiliation_changed",
        "room_created", "room_configured", "room_destroyed")] + [
        ("config_vars", POINTER(c_char_p)),
        ("config_form", c_void_p), ("config_submitted", c_void_p),
        ("disco_info", c_void_p)]


HOOKS_VERSION = 1


class MucHistoryItem(Structure):
    """struct muc_history_item (|xml| is not NUL-terminated)."""

    _fields_ = [
        ("xml", c_void_p),
        ("len", c_size_t),
        ("time_ms", c_uint64),
        ("nick", c_char_p),
    ]


#: The struct version of muc_room_options.
ROOM_OPTIONS_VERSION = 2

# --- function prototypes: name -> (restype, argtypes) ------------------------
_svc = c_void_p  # muc_service *
_room = c_void_p  # muc_room *
PROTOTYPES: dict[str, tuple[object, list[object]]] = {
    "muc_strerror": (c_char_p, [c_int]),
    "muc_error_is_fatal": (c_int, [c_int]),
    "muc_version": (c_char_p, []),
    "muc_version_num": (c_uint32, []),
    "muc_config_default_versioned": (c_int, [c_int, POINTER(MucConfig)]),
    "muc_service_new_versioned": (
        c_int, [POINTER(_svc), c_char_p, c_int, POINTER(MucCallbacks), c_int,
                POINTER(MucConfig), c_void_p, c_void_p]),
    "muc_service_free": (c_int, [_svc]),
    "muc_service_handle_xml": (c_int, [_svc, c_char_p, c_size_t]),
    "muc_service_session_ended": (c_int, [_svc, c_char_p]),
    "muc_service_room_loaded": (c_int, [_svc, c_char_p, c_char_p, c_size_t]),
    "muc_service_shutdown": (c_int, [_svc]),
    "muc_service_next_deadline": (c_uint64, [_svc]),
    "muc_service_handle_timeout": (c_int, [_svc]),
    "muc_service_hibernate_now": (c_int, [_svc]),
    "muc_service_get_domain": (c_char_p, [_svc]),
    "muc_service_get_room_count": (c_size_t, [_svc]),
    "muc_service_get_memory_usage": (c_size_t, [_svc]),
    "muc_service_find_room": (_room, [_svc, c_char_p]),
    "muc_room_get_jid": (c_char_p, [_room]),
    "muc_room_get_occupant_count": (c_size_t, [_room]),
    "muc_room_get_subject": (c_char_p, [_room]),
    "muc_room_get_affiliation": (c_int, [_room, c_char_p]),
    "muc_room_get_role": (c_int, [_room, c_char_p]),
    # extension hooks: the binding installs only config_vars (host_fields
    # in admin.py); a muc_hooks struct of C function pointers is the host's
    "muc_service_set_hooks": (c_int, [_svc, c_int, c_void_p, c_void_p]),
    "muc_hook_form_field": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p]),
    "muc_hook_form_value": (c_int, [c_void_p, c_char_p]),
    "muc_hook_form_option": (c_int, [c_void_p, c_char_p, c_char_p]),
    "muc_hook_form_feature": (c_int, [c_void_p, c_char_p]),
    "muc_room_get_host_value": (c_char_p, [_room, c_char_p, c_size_t]),
    # the host's message archive (0.4): a muc_archive struct of C function
    # pointers is the host's, as with the hooks
    "muc_service_set_archive": (c_int, [_svc, c_int, c_void_p, c_void_p]),
    "muc_archive_page_add": (c_int, [c_void_p, c_void_p]),
    "muc_archive_page_end": (c_int, [c_void_p, c_int, c_uint32]),
    "muc_service_snapshot_room": (c_int, [_svc, c_char_p, SNAPSHOT_FN,
                                          c_void_p]),
    "muc_service_restore_room": (c_int, [_svc, c_char_p, c_size_t]),
    "muc_service_set_feed": (c_int, [_svc, c_int, FEED_FN, c_void_p]),
    "muc_service_apply_event": (c_int, [_svc, c_char_p, c_size_t]),
    # room administration (0.3)
    "muc_room_options_default_versioned": (
        c_int, [_svc, c_int, POINTER(MucRoomOptions)]),
    "muc_service_create_room_versioned": (
        c_int, [_svc, c_char_p, c_char_p, c_int, POINTER(MucRoomOptions),
                c_uint]),
    "muc_service_get_room_options_versioned": (
        c_int, [_svc, c_char_p, c_int, POINTER(MucRoomOptions)]),
    "muc_service_set_room_options_versioned": (
        c_int, [_svc, c_char_p, c_int, POINTER(MucRoomOptions)]),
    "muc_service_destroy_room": (
        c_int, [_svc, c_char_p, c_char_p, c_char_p, c_char_p]),
    "muc_service_list_rooms": (
        c_int, [_svc, c_char_p, c_uint, POINTER(MucRoomInfo), c_size_t,
                POINTER(c_size_t)]),
    "muc_service_get_affiliation": (
        c_int, [_svc, c_char_p, c_char_p, POINTER(c_int),
                POINTER(MucAffiliationInfo)]),
    "muc_service_set_affiliation": (
        c_int, [_svc, c_char_p, c_char_p, c_int, c_char_p]),
    "muc_service_ban": (c_int, [_svc, c_char_p, c_char_p, c_char_p]),
    "muc_service_list_affiliations": (
        c_int, [_svc, c_char_p, c_int, c_size_t, POINTER(MucAffiliationInfo),
                c_size_t, POINTER(c_size_t)]),
    "muc_service_list_occupants": (
        c_int, [_svc, c_char_p, c_size_t, POINTER(MucOccupantInfo), c_size_t,
                POINTER(c_size_t)]),
    "muc_service_get_occupant": (
        c_int, [_svc, c_char_p, c_char_p, POINTER(MucOccupantInfo),
                POINTER(c_char_p), c_size_t, POINTER(c_size_t)]),
    "muc_service_set_role": (
        c_int, [_svc, c_char_p, c_char_p, c_int, c_char_p]),
    "muc_service_kick": (c_int, [_svc, c_char_p, c_char_p, c_char_p]),
    "muc_service_set_subject": (c_int, [_svc, c_char_p, c_char_p]),
    "muc_service_get_history": (
        c_int, [_svc, c_char_p, c_size_t, POINTER(MucHistoryItem), c_size_t,
                POINTER(c_size_t)]),
    "muc_service_get_room_host_values": (
        c_int, [_svc, c_char_p, c_char_p, POINTER(c_char_p), c_size_t,
                POINTER(c_size_t)]),
    "muc_service_set_room_host_values": (
        c_int, [_svc, c_char_p, c_char_p, POINTER(c_char_p), c_size_t]),
}


class LibraryError(OSError):
    """libmuc could not be found or loaded, or it is too old."""


_loaded: dict[str, ctypes.CDLL] = {}
_lock = threading.Lock()


def find_library(library: str | os.PathLike[str] | None = None) -> str:
    """The path of the shared library to load.

    In order: |library|, the environment variable LIBMUC_PATH, then
    ctypes.util.find_library('muc').  Raises LibraryError if none gives one.
    """
    if library is not None:
        return os.fspath(library)
    env = os.environ.get("LIBMUC_PATH")
    if env:
        return env
    found = ctypes.util.find_library("muc")
    if found:
        return found
    raise LibraryError(
        "libmuc not found: pass library=PATH, set LIBMUC_PATH to the shared "
        "library (e.g. build/libmuc/libmuc.so) or install libmuc")


def load(library: str | os.PathLike[str] | None = None) -> ctypes.CDLL:
    """Load libmuc (once per path) with every prototype set.

    Raises LibraryError if it cannot be loaded, lacks a function of the
    header, or is older than the header this binding was written for.
    """
    path = find_library(library)
    with _lock:
        lib = _loaded.get(path)
        if lib is not None:
            return lib
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            raise LibraryError(f"cannot load libmuc from {path}: {e}") from e
        if not hasattr(lib, "muc_version_num"):
            raise LibraryError(
                f"{path} is a libmuc older than 0.2 (no muc_version_num); "
                "this binding needs the text-first API of 0.2")
        for name, (restype, argtypes) in PROTOTYPES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError as e:
                raise LibraryError(f"{path} has no {name}()") from e
            fn.restype = restype
            fn.argtypes = argtypes
        have = lib.muc_version_num()
        if have < HEADER_VERSION_NUM:
            raise LibraryError(
                f"{path} is libmuc {lib.muc_version().decode()}; this binding "
                f"needs at least {HEADER_VERSION_NUM:#08x}")
        _loaded[path] = lib
        return lib

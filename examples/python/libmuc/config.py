"""Service configuration: muc_config as a dataclass or a dict."""

from __future__ import annotations

import ctypes
import dataclasses
from typing import Any, Mapping, Optional, Union

from . import _ffi
from .errors import error_for

_RANGES: dict[Any, tuple[int, int]] = {
    ctypes.c_int: (-2**31, 2**31 - 1),
    ctypes.c_uint32: (0, 2**32 - 1),
    ctypes.c_uint64: (0, 2**64 - 1),
    ctypes.c_size_t: (0, 2**64 - 1),
}
# A byte string, not an int: the struct gets a pointer to a copy of it and
# its length (read once, when the Service is made; docs/ids.md).
_SECRET = "occupant_id_secret"
# muc_config.flood[MUC_FLOOD_*] as flat fields flood_<kind>_per_minute and
# flood_<kind>_burst (kinds in _ffi.FLOOD_KINDS order)
_FLOOD = {f"flood_{kind}_{part}": (k, part)
          for k, kind in enumerate(_ffi.FLOOD_KINDS)
          for part in ("per_minute", "burst")}


def _flat_fields() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, ctype in _ffi.MucConfig._fields_:
        if name == "flood":
            out.update({flat: ctypes.c_uint32 for flat in _FLOOD})
        else:
            out[name] = ctype
    return out


_TYPES = _flat_fields()
FIELDS: tuple[str, ...] = tuple(_TYPES)


def _get(cfg: _ffi.MucConfig, name: str) -> int:
    if name in _FLOOD:
        k, part = _FLOOD[name]
        return getattr(cfg.flood[k], part)
    return getattr(cfg, name)


def _set(cfg: _ffi.MucConfig, name: str, value: int) -> None:
    if name in _FLOOD:
        k, part = _FLOOD[name]
        setattr(cfg.flood[k], part, value)
    else:
        setattr(cfg, name, value)

Config = dataclasses.make_dataclass(
    "Config",
    [(name, Optional[int], dataclasses.field(default=None))
     for name in FIELDS],
    namespace={"__module__": __name__},
)
Config.__doc__ = (
    "The fields of struct muc_config (see muc.h for each one's meaning and "
    "default).  A field left None keeps the library's default; booleans "
    "may be given as bool; occupant_id_secret is bytes (XEP-0421 "
    "occupant ids, at least 16).  Example: Config(room_lock_new=0, "
    "max_history=50).")

ConfigLike = Union["Config", Mapping[str, int], None]


def _items(config: ConfigLike) -> Mapping[str, Any]:
    if config is None:
        return {}
    if isinstance(config, Config):
        return {k: v for k, v in dataclasses.asdict(config).items()
                if v is not None}
    if isinstance(config, Mapping):
        unknown = sorted(set(config) - set(FIELDS))
        if unknown:
            raise TypeError("unknown muc_config field(s): "
                            + ", ".join(unknown))
        return config
    raise TypeError(f"config must be a Config or a mapping, not "
                    f"{type(config).__name__}")


def defaults(lib: ctypes.CDLL) -> _ffi.MucConfig:
    """A MucConfig struct filled by muc_config_default_versioned()."""
    cfg = _ffi.MucConfig()
    rc = lib.muc_config_default_versioned(_ffi.CONFIG_VERSION,
                                          ctypes.byref(cfg))
    if rc:
        raise error_for(rc, lambda c: lib.muc_strerror(c).decode())
    return cfg


def to_struct(lib: ctypes.CDLL, config: ConfigLike) -> _ffi.MucConfig:
    """The library's defaults with the fields of |config| set over them.

    Raises TypeError for an unknown field or a value that is not an int,
    ValueError for one outside its C type's range.  Values the C type takes
    but the library refuses raise InvalidArgError when the Service is made.
    """
    cfg = defaults(lib)
    types = _TYPES
    for name, value in _items(config).items():
        if value is None:
            continue
        if name == _SECRET:
            _set_secret(cfg, value)
            continue
        if not isinstance(value, int):
            raise TypeError(f"muc_config.{name} must be an int, not "
                            f"{type(value).__name__}")
        low, high = _RANGES[types[name]]
        if not low <= value <= high:
            raise ValueError(f"muc_config.{name} = {value} is outside "
                             f"[{low}, {high}]")
        _set(cfg, name, int(value))
    return cfg


def _set_secret(cfg: _ffi.MucConfig, value: Any) -> None:
    if not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"muc_config.{_SECRET} must be bytes, not "
                        f"{type(value).__name__}")
    buf = ctypes.create_string_buffer(bytes(value), len(value))
    cfg._secret_buffer = buf  # alive as long as the struct
    cfg.occupant_id_secret = ctypes.cast(buf, ctypes.c_void_p).value
    cfg.occupant_id_secret_len = len(value)


def as_dict(cfg: _ffi.MucConfig) -> dict[str, int]:
    """Every field of a MucConfig struct by name."""
    return {name: _get(cfg, name) for name in FIELDS}

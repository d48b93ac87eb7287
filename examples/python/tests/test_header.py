"""include/muc/muc.h as shipped: cffi reads it, and the binding matches it.

The header is read from disk unmodified.  The only help cffi gets is the C
preprocessor run with empty <stddef.h> and <stdint.h> (cffi knows size_t
and the uintN_t types itself, not glibc's definitions of them).
"""

from __future__ import annotations

import ctypes
import os
import pathlib
import re
import shlex
import subprocess

import pytest
from conftest import REPO

import libmuc
from libmuc import _ffi, admin

HEADER = pathlib.Path(os.environ.get("LIBMUC_HEADER",
                                     REPO / "include" / "muc" / "muc.h"))


def _cc(args: list[str], stubs: pathlib.Path) -> str:
    cc = shlex.split(os.environ.get("CC") or "cc")
    (stubs / "stddef.h").write_text("")
    (stubs / "stdint.h").write_text("")
    run = subprocess.run([*cc, "-E", "-nostdinc", "-I", str(stubs), *args,
                          str(HEADER)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def cffi_lib(tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[object, object, str]:
    try:
        import cffi
    except ImportError:
        pytest.fail("cffi is not importable by this interpreter: "
                    "apt-get install python3-cffi")
    source = _cc(["-P"], tmp_path_factory.mktemp("stubs"))
    ffi = cffi.FFI()
    ffi.cdef(source)
    path = _ffi.find_library()
    return ffi, ffi.dlopen(path), source


def test_header_is_libc_only() -> None:
    includes = re.findall(r"^\s*#\s*include\s*[<\"]([^>\"]+)",
                          HEADER.read_text(), re.M)
    assert "mxml.h" not in includes
    assert set(includes) <= {"stddef.h", "stdint.h"}


def test_every_declared_function_is_exported(cffi_lib) -> None:
    ffi, lib, source = cffi_lib
    names = set(re.findall(r"\b(muc_\w+)\s*\(", source))
    for name in ("muc_service_new_versioned", "muc_service_handle_xml",
                 "muc_config_default_versioned", "muc_version_num"):
        assert name in names
    for name in sorted(names):
        assert getattr(lib, name) is not None, name
    assert names == set(_ffi.PROTOTYPES)  # the binding declares them all


def _layout(ffi, c_name: str) -> list[tuple[str, int]]:
    return [(name, f.offset) for name, f in ffi.typeof(c_name).fields]


@pytest.mark.parametrize("c_name, struct", [
    ("muc_config", _ffi.MucConfig), ("muc_callbacks", _ffi.MucCallbacks),
    ("muc_room_options", _ffi.MucRoomOptions),
    ("muc_room_info", _ffi.MucRoomInfo),
    ("muc_affiliation_info", _ffi.MucAffiliationInfo),
    ("muc_occupant_info", _ffi.MucOccupantInfo),
    ("muc_history_item", _ffi.MucHistoryItem)])
def test_structs_match_the_header(cffi_lib, c_name: str, struct: type) -> None:
    ffi = cffi_lib[0]
    assert ffi.sizeof(c_name) == ctypes.sizeof(struct)
    assert _layout(ffi, c_name) == [(name, getattr(struct, name).offset)
                                    for name, _ in struct._fields_]


def test_constants_match_the_header(tmp_path: pathlib.Path) -> None:
    macros = dict(re.findall(r"^#define (MUC_\w+) (\S+)$",
                             _cc(["-dM"], tmp_path), re.M))

    def resolve(text: str) -> str:  # e.g. MUC_CONFIG_VERSION MUC_CONFIG_V1
        return resolve(macros[text]) if text in macros else text

    value = {k: int(resolve(v).rstrip("uU"), 0) for k, v in macros.items()
             if re.fullmatch(r"-?(0x)?[0-9A-Fa-f]+[uU]?", resolve(v))}
    assert value["MUC_VERSION_NUM"] == _ffi.HEADER_VERSION_NUM
    assert value["MUC_CALLBACKS_VERSION"] == _ffi.CALLBACKS_VERSION
    assert value["MUC_CONFIG_VERSION"] == _ffi.CONFIG_VERSION
    assert value["MUC_ROOM_OPTIONS_VERSION"] == _ffi.ROOM_OPTIONS_VERSION
    assert value["MUC_CREATE_RESERVED"] == admin.RESERVED
    assert (value["MUC_LIST_PUBLIC"], value["MUC_LIST_PERSISTENT"],
            value["MUC_LIST_OCCUPIED"]) == (admin.LIST_PUBLIC,
                                            admin.LIST_PERSISTENT,
                                            admin.LIST_OCCUPIED)
    assert value["MUC_ROLES_ALL"] == libmuc.ROLES_ALL
    groups = {"MUC_ERR_": libmuc.ErrorCode, "MUC_ROLE_": libmuc.Role,
              "MUC_AFFIL_": libmuc.Affiliation, "MUC_PM_": libmuc.AllowPM,
              "MUC_WHOIS_": libmuc.Whois, "MUC_LOG_": libmuc.LogLevel}
    for prefix, enum in groups.items():
        in_header = {k[len(prefix):]: v for k, v in value.items()
                     if k.startswith(prefix)}
        in_binding = {m.name: m.value for m in enum if m.name != "OK"}
        assert in_header == in_binding, prefix
    assert value["MUC_OK"] == libmuc.ErrorCode.OK

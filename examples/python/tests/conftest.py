"""Shared helpers: a fake host that records deliveries as parsed stanzas.

The package is imported from examples/python; the library from
$LIBMUC_PATH (meson test sets it), else from build/ of this checkout.
"""

from __future__ import annotations

import os
import pathlib
import sys
import xml.etree.ElementTree as ET
from typing import Any, Iterator, Optional

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
REPO = HERE.parents[2]
if not os.environ.get("LIBMUC_PATH"):
    _built = REPO / "build" / "libmuc" / "libmuc.so"
    if _built.exists():
        os.environ["LIBMUC_PATH"] = str(_built)

import libmuc  # noqa: E402

DOMAIN = "conference.localhost"
ROOM = "room@" + DOMAIN
MUC = "http://jabber.org/protocol/muc"
MUC_USER = MUC + "#user"
MUC_OWNER = MUC + "#owner"
MUC_ADMIN = MUC + "#admin"
DATA = "jabber:x:data"
ROOMCONFIG = MUC + "#roomconfig"
STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
ROMEO, JULIET, TYBALT = ("romeo@localhost/r", "juliet@localhost/j",
                         "tybalt@localhost/t")


def q(ns: str, tag: str) -> str:
    """ElementTree's name for |tag| in namespace |ns|."""
    return f"{{{ns}}}{tag}"


class Host:
    """A fake server: a settable clock, and every delivery parsed."""

    def __init__(self) -> None:
        self.clock = 1_700_000_000_000
        self.sent: list[tuple[str, ET.Element]] = []

    def send(self, to: str, xml: bytes) -> None:
        """The send callback: parse and record the stanza."""
        assert isinstance(xml, bytes)
        stanza = ET.fromstring(xml)
        assert stanza.get("to") == to
        self.sent.append((to, stanza))

    def service(self, domain: str = DOMAIN, **kw: Any) -> libmuc.Service:
        """A Service on this host's clock and send."""
        kw.setdefault("send", self.send)
        kw.setdefault("now", lambda: self.clock)
        return libmuc.Service(domain, **kw)

    def take(self) -> list[tuple[str, ET.Element]]:
        """Every delivery since the last take(), then forget them."""
        sent, self.sent = self.sent, []
        return sent

    def to(self, jid: str) -> list[ET.Element]:
        """The stanzas delivered to |jid| since the last take()."""
        return [s for to, s in self.sent if to == jid]


def join_xml(user: str, nick: str, room: str = ROOM) -> str:
    """A MUC join presence."""
    return (f"<presence from='{user}' to='{room}/{nick}'>"
            f"<x xmlns='{MUC}'/></presence>")


def owner_submit(user: str, fields: str = "", room: str = ROOM,
                 iq_id: str = "c1") -> str:
    """An owner's configuration form submission (empty: the defaults)."""
    if fields:
        fields = field("FORM_TYPE", ROOMCONFIG) + fields
    return (f"<iq from='{user}' to='{room}' type='set' id='{iq_id}'>"
            f"<query xmlns='{MUC_OWNER}'><x xmlns='{DATA}' type='submit'>"
            f"{fields}</x></query></iq>")


def field(var: str, value: str) -> str:
    """A data form field with one value."""
    return f"<field var='{var}'><value>{value}</value></field>"


def groupchat_xml(user: str, body: str, room: str = ROOM) -> str:
    """A groupchat message."""
    return (f"<message from='{user}' to='{room}' type='groupchat'>"
            f"<body>{body}</body></message>")


def statuses(stanza: ET.Element) -> set[int]:
    """The muc#user status codes of a presence."""
    x = stanza.find(q(MUC_USER, "x"))
    if x is None:
        return set()
    return {int(s.get("code", "0")) for s in x.findall(q(MUC_USER, "status"))}


def item(stanza: ET.Element) -> Optional[ET.Element]:
    """The muc#user item of a presence."""
    return stanza.find(f"{q(MUC_USER, 'x')}/{q(MUC_USER, 'item')}")


def error_condition(stanza: ET.Element) -> Optional[str]:
    """The defined condition of an error stanza (e.g. 'forbidden')."""
    assert stanza.get("type") == "error"
    error = stanza.find("error")
    assert error is not None
    for child in error:
        if child.tag.startswith(f"{{{STANZAS}}}") and not child.tag.endswith(
                "}text"):
            return child.tag.split("}", 1)[1]
    return None


def make_room(svc: libmuc.Service, host: Host, owner: str = ROMEO,
              nick: str = "Romeo", room: str = ROOM) -> None:
    """|owner| creates |room| and accepts the default configuration."""
    svc.handle_xml(join_xml(owner, nick, room))
    svc.handle_xml(owner_submit(owner, room=room))
    host.take()


@pytest.fixture
def host() -> Host:
    """A fresh fake host."""
    return Host()


@pytest.fixture
def svc(host: Host) -> Iterator[libmuc.Service]:
    """A service on |host| with the default configuration."""
    with host.service() as service:
        yield service

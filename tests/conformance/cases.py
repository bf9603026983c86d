"""The conformance cases: one scripted server event each, written as the wire carries it.

A case is data only. The fake server (:mod:`tests.conformance.server`) plays it, the
SDK drivers record what the SDKs did, and the test module asks the package what it
would answer. Case ids are stable, readable paths so that ``differences.json`` can
name them, alone or with a glob:

* ``disconnect/<code>/reason-given|reason-empty|reason-absent``: a disconnect push;
* ``close/<code>/reason-given|reason-empty``: a WebSocket close frame;
* ``close/<code>/advice-reconnect|advice-stop``: a close frame whose reason is
  protocol v1 JSON advice; ``close/<code>/json-<shape>``: JSON text that is not
  advice (no boolean ``reconnect``);
* ``close/tcp-drop``: the server drops the TCP connection without a close frame;
* ``<error kind>/<code>/temporary-absent|temporary-false|temporary-true|message-absent``:
  an error reply, where the error kind is ``connect-error``, ``refresh-error``,
  ``subscribe-error`` (the subscription cannot rebuild its state),
  ``subscribe-error-rebuild`` (it can: a getState callback) or ``sub-refresh-error``;
* ``unsubscribe/<code>/reason-given|reason-empty|reason-absent``: an unsubscribe push.

``<case id>#connection-lost`` names the second row that a case whose event ends the
connection yields: what the subscription did when its client left ``connected``.

"Absent" means the key is not in the JSON object at all, which is how Centrifugo's
encoder writes an empty reason or message and a false ``temporary``; "empty" and
"false" write the zero value out, as another encoder might.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final, Literal

from centrifugo_protocol import DisconnectCode, ErrorCode, UnsubscribeCode

__all__ = [
    "CHANNEL",
    "ERROR_KINDS",
    "LOST_SUFFIX",
    "Case",
    "Kind",
    "all_cases",
]

Kind = Literal[
    "disconnect",
    "close",
    "drop",
    "connect-error",
    "refresh-error",
    "subscribe-error",
    "subscribe-error-rebuild",
    "sub-refresh-error",
    "unsubscribe",
]

#: The one channel every driver subscribes to.
CHANNEL: Final = "chan"
#: Suffix of the row about the subscription when its client leaves ``connected``.
LOST_SUFFIX: Final = "#connection-lost"

ERROR_KINDS: Final[tuple[Kind, ...]] = (
    "connect-error",
    "refresh-error",
    "subscribe-error",
    "subscribe-error-rebuild",
    "sub-refresh-error",
)

# Events that the client itself reacts to; the rest concern the subscription.
_CLIENT_KINDS: Final = frozenset({"disconnect", "close", "drop", "connect-error", "refresh-error"})
# Events answered on a reconnect: the first connection only gives the subscription a
# stream position and a token to keep or drop, then the server closes it.
_PRIMED_KINDS: Final = frozenset({"connect-error", "subscribe-error", "subscribe-error-rebuild"})
# Events that always end the connection, so the subscription's reaction is a row too.
_LOSING_KINDS: Final = frozenset({"disconnect", "close", "drop"})

#: The close code a WebSocket API reports for a connection that ended without a close
#: frame (RFC 6455 section 7.1.5); the package is asked about a dropped TCP connection
#: with it.
ABNORMAL_CLOSURE: Final = 1006

# Codes beyond the enums: retired, unassigned, every range boundary, and the extremes.
_EXTRA_DISCONNECT_CODES: Final = (
    2999,
    3002,
    3003,
    3007,
    3015,
    3499,
    3999,
    4000,
    4499,
    4500,
    4999,
    5000,
    65535,
    4294967295,
)
# Close codes a close frame can carry: RFC 6455 lets a frame carry 1000-1003, 1007-1014
# and 3000-4999 (both ws and websockets refuse anything else, sending or receiving).
_CLOSE_CODES: Final = (
    1000,
    1001,
    1002,
    1003,
    1007,
    1008,
    1009,
    1010,
    1011,
    1012,
    1013,
    1014,
    3000,
    3001,
    3004,
    3012,
    3013,
    3014,
    3499,
    3500,
    3501,
    3502,
    3503,
    3509,
    3999,
    4000,
    4499,
    4500,
    4999,
)
_ADVICE_CLOSE_CODES: Final = (1000, 1001, 1009, 1011, 3000, 3001, 3014, 3500, 3503, 4000, 4500, 4999)
# JSON close reasons that are not protocol v1 advice (no boolean "reconnect").
_NOT_ADVICE: Final = (
    (3001, "json-object", '{"reason":"shutdown"}'),
    (4000, "json-object", '{"reason":"shutdown"}'),
    (4500, "json-flag-text", '{"reason":"shutdown","reconnect":"true"}'),
    (3001, "json-number", "42"),
)
_APP_ERROR_CODES: Final = (400, 1000, 1999)
# An error code in the client-side range, just below the server's.
_CLIENT_SIDE_BOUNDARY: Final = 99
_MESSAGE_ABSENT_CODES: Final = (103, 1000)
_UNSUBSCRIBE_CODES: Final = (2000, 2500, 2501, 2502, 2499, 2001, 2999)

_CUSTOM_REASON: Final = "custom reason"
_CUSTOM_MESSAGE: Final = "custom error"
# 2502 has no reason text of its own; this is what its only sender writes.
_STATE_INVALIDATED_UNSUBSCRIBE_REASON: Final = "server tags filter changed"


@dataclass(frozen=True)
class Case:
    """One scripted server event.

    ``payload`` is the JSON object exactly as the server writes it (for a push, the
    ``disconnect``/``unsubscribe`` object; for an error reply, the ``error`` object).
    A close frame has no payload object: ``close_code`` and ``close_reason`` instead.
    """

    id: str
    kind: Kind
    code: int
    payload: dict[str, object] | None = None
    close_reason: str = ""

    @property
    def target(self) -> Literal["client", "sub"]:
        """Whose state the event decides: the client's or the subscription's."""
        return "client" if self.kind in _CLIENT_KINDS else "sub"

    @property
    def primed(self) -> bool:
        """Played on a reconnect, after a first connection gave the subscription a position."""
        return self.kind in _PRIMED_KINDS

    @property
    def get_state(self) -> bool:
        """The subscription can rebuild its state (the SDKs' getState/get_state callback)."""
        return self.kind == "subscribe-error-rebuild"

    @property
    def loses_connection(self) -> bool:
        """The event ends the connection, so the subscription's reaction is a row of its own."""
        return self.kind in _LOSING_KINDS

    def text(self) -> str:
        """What the server sends, for messages: the JSON, or the close frame."""
        if self.kind == "drop":
            return "TCP connection dropped, no close frame"
        if self.kind == "close":
            return f"close frame code={self.code} reason={self.close_reason!r}"
        return json.dumps(self.payload, separators=(",", ":"))


def _with_reason(code: int, variant: str, reason: str) -> dict[str, object]:
    if variant == "reason-given":
        return {"code": code, "reason": reason}
    if variant == "reason-empty":
        return {"code": code, "reason": ""}
    return {"code": code}


def _disconnect_cases() -> list[Case]:
    known = {member.value: member.reason for member in DisconnectCode}
    codes = [*known, *_EXTRA_DISCONNECT_CODES]
    return [
        Case(
            f"disconnect/{code}/{variant}",
            "disconnect",
            code,
            _with_reason(code, variant, known.get(code, _CUSTOM_REASON)),
        )
        for code in codes
        for variant in ("reason-given", "reason-empty", "reason-absent")
    ]


def _close_cases() -> list[Case]:
    known = {member.value: member.reason for member in DisconnectCode}
    cases: list[Case] = []
    for code in _CLOSE_CODES:
        reason = known.get(code, _CUSTOM_REASON)
        cases.append(Case(f"close/{code}/reason-given", "close", code, close_reason=reason))
        cases.append(Case(f"close/{code}/reason-empty", "close", code, close_reason=""))
    for code in _ADVICE_CLOSE_CODES:
        for variant, flag in (("advice-reconnect", "true"), ("advice-stop", "false")):
            advice = '{"reason":"shutdown","reconnect":' + flag + "}"
            cases.append(Case(f"close/{code}/{variant}", "close", code, close_reason=advice))
    for code, shape, text in _NOT_ADVICE:
        cases.append(Case(f"close/{code}/{shape}", "close", code, close_reason=text))
    cases.append(Case("close/tcp-drop", "drop", ABNORMAL_CLOSURE))
    return cases


def _error_payload(code: int, variant: str) -> dict[str, object]:
    known = {member.value: member.message for member in ErrorCode}
    message = known.get(code, _CUSTOM_MESSAGE)
    if variant == "message-absent":
        return {"code": code}
    payload: dict[str, object] = {"code": code, "message": message}
    if variant == "temporary-false":
        payload["temporary"] = False
    elif variant == "temporary-true":
        payload["temporary"] = True
    return payload


def _error_cases(kind: Kind) -> list[Case]:
    codes = [*(member.value for member in ErrorCode), *_APP_ERROR_CODES]
    variants = ("temporary-absent", "temporary-false", "temporary-true")
    cases = [
        Case(f"{kind}/{code}/{variant}", kind, code, _error_payload(code, variant))
        for code in codes
        for variant in variants
    ]
    cases += [
        Case(f"{kind}/{code}/message-absent", kind, code, _error_payload(code, "message-absent"))
        for code in _MESSAGE_ABSENT_CODES
    ]
    boundary = _CLIENT_SIDE_BOUNDARY
    cases.append(
        Case(f"{kind}/{boundary}/temporary-absent", kind, boundary, _error_payload(boundary, "temporary-absent"))
    )
    return cases


def _unsubscribe_cases() -> list[Case]:
    known = {member.value: member.reason for member in UnsubscribeCode}
    known[UnsubscribeCode.STATE_INVALIDATED.value] = _STATE_INVALIDATED_UNSUBSCRIBE_REASON
    return [
        Case(
            f"unsubscribe/{code}/{variant}",
            "unsubscribe",
            code,
            _with_reason(code, variant, known.get(code, _CUSTOM_REASON)),
        )
        for code in _UNSUBSCRIBE_CODES
        for variant in ("reason-given", "reason-empty", "reason-absent")
    ]


def all_cases() -> list[Case]:
    """Every case, in a fixed order; ids are unique."""
    cases = _disconnect_cases() + _close_cases()
    for kind in ERROR_KINDS:
        cases += _error_cases(kind)
    cases += _unsubscribe_cases()
    ids = [case.id for case in cases]
    if len(set(ids)) != len(ids):  # pragma: no cover - a catalogue mistake
        raise AssertionError("duplicate case ids")
    return cases

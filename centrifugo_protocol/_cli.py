"""``centrifugo-codes`` / ``python -m centrifugo_protocol``: explain codes seen in a log.

Everything printed here is generated from the code tables, the range rules,
:mod:`centrifugo_protocol.events` and :mod:`centrifugo_protocol.classify`; this module
adds wording, never facts, except the error-event codes that only one SDK uses
(:data:`_SDK_ERROR_CODES`), which the package has no member for.

An argument is a code (``3012``), a range (``3000-3010`` or ``3000..3010``), a
member's name (``NO_PONG``, ``DisconnectCode.NO_PONG``), a wire text (``"no pong"``)
a pasted log line (``'{"code":3012}'``) or ``-``, which reads log lines from standard
input and explains every code they mention, with how often. A bare number is explained in every family it belongs to, the SDKs' own
event codes for 0-99 and the server's families from 100 up; ``--event`` reads it
the way one SDK event carries it instead.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Final, TypeAlias

from . import __version__, classify, events
from ._api_codes import ApiErrorCode
from ._causes import records as cause_records
from ._causes import sent_when
from ._client_codes import (
    ClientErrorCode,
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnknownClientErrorCode,
    UnknownConnectingCode,
    UnknownDisconnectedCode,
    UnknownSubscribingCode,
    UnknownUnsubscribedCode,
    UnsubscribedCode,
)
from ._codes import (
    CodeEnum,
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from ._command import PROG, Parser, client_words, code_of, run, span, subscription_words, wrap, write
from ._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    CLIENT_SIDE_ERROR_CODES,
    MAX_CODE,
    MIN_RESUBSCRIBE_CODE,
    SERVER_ERROR_CODES,
    SERVER_RECONNECT_DISCONNECT_CODES,
    SERVER_TERMINAL_DISCONNECT_CODES,
    TRANSPORT_CLOSE_CODES,
    UNSUBSCRIBE_CODES,
    show,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = ["main"]

#: A JSON value as the command prints it.
#: A cause, as ``--json`` prints it (see :func:`._causes.record`).
CauseRecord: TypeAlias = dict[str, str | None]
Json: TypeAlias = str | int | bool | list[CauseRecord] | None
Record: TypeAlias = dict[str, Json]
#: A member of any family the command explains.
Member: TypeAlias = (
    ErrorCode
    | UnsubscribeCode
    | DisconnectCode
    | ApiErrorCode
    | ConnectingCode
    | DisconnectedCode
    | SubscribingCode
    | UnsubscribedCode
    | ClientErrorCode
)

_EXAMPLES = """\
examples:
  %(prog)s 3012
      what a disconnect with code 3012 means
  %(prog)s 104 4501 1009
      several codes at once
  %(prog)s 3
      0-99: the codes SDKs report with their events, in every event
  %(prog)s --event disconnected 3
      3 as a disconnected event carries it
  %(prog)s NO_PONG "no pong" DisconnectCode.NO_PONG
      a code by its name or its wire text
  %(prog)s 3500-3503
      every code in a range (also written 3500..3503)
  %(prog)s - < client.log
      every code that the log lines mention, with how often
  %(prog)s --json 2500
      the same facts as JSON
  %(prog)s --json
      every known code of every family, as JSON
  %(prog)s --markdown
      the reference tables of every family
  %(prog)s metrics URL
      explain the codes a running server counted (see metrics --help)

Unknown codes are explained by the protocol's range rules: 4000-4499 are an
application's reconnecting disconnects, 4500-4999 its terminal ones, and so on.
"""

#: The SDK events whose codes ``--event`` reads, each through its ``events`` function.
_EVENTS: Final[dict[str, Callable[[int], object]]] = {
    "connecting": events.connecting,
    "disconnected": events.disconnected,
    "subscribing": events.subscribing,
    "unsubscribed": events.unsubscribed,
    "error": events.error,
}
#: The families a name or a wire text may name with each ``--event``: what
#: its ``events`` function can return (checked against it by the tests).
_EVENT_FAMILIES: Final[dict[str, tuple[type[Member], ...]]] = {
    "connecting": (ConnectingCode, ErrorCode, DisconnectCode),
    "disconnected": (DisconnectedCode, ErrorCode, DisconnectCode),
    "subscribing": (SubscribingCode, UnsubscribeCode),
    "unsubscribed": (UnsubscribedCode, ErrorCode, UnsubscribeCode),
    "error": (ClientErrorCode, ErrorCode),
}
#: Every family, in the order the command lists them.
_FAMILIES: Final[tuple[type[Member], ...]] = (
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnsubscribedCode,
    ClientErrorCode,
    ErrorCode,
    ApiErrorCode,
    UnsubscribeCode,
    DisconnectCode,
)

#: Error-event codes that one SDK uses and the others do not (the SDKs agree only on
#: 1-12, which :class:`ClientErrorCode` lists): code, SDK, and what failed.
_SDK_ERROR_CODES: Final = (
    (13, "centrifuge-js", "getting a subscription's state (its stream position) from the application failed"),
    (14, "centrifuge-js", "getting the signature for a shared poll subscription failed"),
    (13, "centrifuge-python", "connecting failed with an error the SDK reports as an event"),
    (14, "centrifuge-python", "subscribing failed with an error the SDK reports as an event"),
    (15, "centrifuge-python", "getting a subscription's state (its stream position) from the application failed"),
)

#: The most codes one range may expand to.
_MAX_RANGE: Final = 1000
_RANGE = re.compile(r"([0-9]+)(?:-|\.\.)([0-9]+)")
# A code as SDK and server logs write it: "code":3012, code=3012, code: 3012,
# disconnect code 3012. At most ten digits, and not the start of a longer number.
_LOGGED_CODE = re.compile(r"""\bcode\b["']?\s*[:=]?\s*["']?([0-9]{1,10})(?![0-9])""", re.IGNORECASE)

_EXPECTED = (
    f"expected a whole number from 0 to {MAX_CODE}, a range (3000-3010), a name (NO_PONG), "
    'a wire text ("no pong"), a log line (code=3012) or - (log lines on standard input)'
)


_DESCRIPTION: Final = (
    "Explain Centrifugo protocol codes: the codes SDKs report with their events, client "
    "errors, unsubscribes, disconnects, transport closes and server API errors, and what "
    "a client does after each."
)


def _build_parser(prog: str | None) -> Parser:
    parser = Parser(
        prog=prog,
        description="\n".join(wrap(_DESCRIPTION)),
        epilog=_EXAMPLES,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print a JSON list of objects, one per family a code is in")
    output.add_argument("--markdown", action="store_true", help="print the reference tables of every family")
    parser.add_argument(
        "--event",
        choices=tuple(_EVENTS),
        metavar="EVENT",
        help=(
            "read each number as this SDK event carries it (through centrifugo_protocol.events): " + ", ".join(_EVENTS)
        ),
    )
    parser.add_argument(
        "codes",
        nargs="*",
        metavar="CODE",
        help="a code (0-4294967295), a range A-B, a name, a wire text, a log line, or - for log lines on stdin",
    )
    return parser


def _formatter(prog: str) -> argparse.HelpFormatter:
    import argparse

    from ._command import width

    return argparse.RawDescriptionHelpFormatter(prog, width=width())


#: A client-side state code that its family does not list.
_UnknownState: TypeAlias = (
    UnknownConnectingCode | UnknownDisconnectedCode | UnknownSubscribingCode | UnknownUnsubscribedCode
)
_STATE_TYPES: Final = (
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnsubscribedCode,
    UnknownConnectingCode,
    UnknownDisconnectedCode,
    UnknownSubscribingCode,
    UnknownUnsubscribedCode,
)


# --- Arguments: codes, ranges, names, wire texts and log lines -----------------------------


class _BadArgument(Exception):
    """An argument that is none of the things a CODE may be; the message says why."""


#: What an argument stands for: a number, to explain in every family it is in (or
#: as one event carries it), or one family's member.
Subject: TypeAlias = int | Member


def _read_argument(text: str, event: str | None) -> list[Subject]:
    number = code_of(text)
    if number is not None:
        return [number]
    bounds = _RANGE.fullmatch(text)
    if bounds is not None:
        first, last = code_of(bounds[1]), code_of(bounds[2])
        if first is None or last is None or first > last:
            raise _BadArgument(
                f"{show(text)} is not a range: expected two codes from 0 to {MAX_CODE}, "
                "the first no larger than the second, such as 3000-3010"
            )
        if last - first >= _MAX_RANGE:
            raise _BadArgument(f"{show(text)} spans {last - first + 1:,} codes: a range covers {_MAX_RANGE:,} at most")
        return list(range(first, last + 1))
    members = _named(text)
    members += [member for member in _by_text(text) if not any(member is seen for seen in members)]
    members.sort(key=lambda member: _FAMILIES.index(type(member)))  # stable: codes stay in order
    if not members:
        # A pasted log line: the codes it mentions, as standard input's lines are read.
        logged = [code_of(found[1]) for found in _LOGGED_CODE.finditer(text)]
        codes = [code for code in logged if code is not None]
        if codes:
            return list(codes)
    if event is not None and members:
        members = [member for member in members if isinstance(member, _EVENT_FAMILIES[event])]
        if not members:
            raise _BadArgument(f"{show(text)} names no code that a {event} event carries")
    if not members:
        raise _BadArgument(f"{show(text)} is not a code: {_EXPECTED}")
    return list(members)


def _named(text: str) -> list[Member]:
    """The members named ``NAME`` or ``Family.NAME`` (in any case), in family order."""
    if not text.isascii():
        return []
    family, dot, name = text.rpartition(".")
    index = _name_index()
    found = index.get(name.upper(), [])
    if dot:
        found = [member for member in found if type(member).__name__.lower() == family.lower()]
    return list(found)


def _by_text(text: str) -> list[Member]:
    """The members whose wire text (message or reason) is ``text``, in any case."""
    return list(_text_index().get(text.strip().casefold(), []))


_NAMES: dict[str, list[Member]] = {}
_TEXTS: dict[str, list[Member]] = {}


def _name_index() -> dict[str, list[Member]]:
    if not _NAMES:
        for family in _FAMILIES:
            for member in family:
                _NAMES.setdefault(member.name, []).append(member)
    return _NAMES


def _text_index() -> dict[str, list[Member]]:
    if not _TEXTS:
        for family in _FAMILIES:
            for member in family:
                wire = _wire_text(member)
                if wire:
                    _TEXTS.setdefault(wire.casefold(), []).append(member)
    return _TEXTS


def _wire_text(member: Member) -> str:
    if isinstance(member, (ErrorCode, ApiErrorCode)):
        return member.message
    if isinstance(member, ClientErrorCode):
        return ""  # error events carry the SDK's own message text
    return member.reason


def _logged_codes() -> list[tuple[int, int]]:
    """Each code that the log lines on standard input mention, with how often, most first."""
    stream = sys.stdin
    if stream is None:
        raise _BadArgument("- reads log lines from standard input, which is closed")
    counts: dict[int, int] = {}
    binary = getattr(stream, "buffer", None)
    lines: Iterable[str] = (line.decode("utf-8", "replace") for line in binary) if binary is not None else stream
    try:
        for line in lines:
            for found in _LOGGED_CODE.finditer(line):
                code = code_of(found[1])
                if code is not None:
                    counts[code] = counts.get(code, 0) + 1
    except OSError as error:  # not a write error: said as what it is, with status 2
        raise _BadArgument(f"- cannot read standard input: {error.strerror or error}") from None
    # Most frequent first; a tie keeps the order of first appearance (sorted is stable).
    return sorted(counts.items(), key=lambda item: -item[1])


# --- What a client does: worded from classify's answers, in _command's vocabulary. -------


def _client_action(transition: classify.Transition[classify.ClientState]) -> str:
    return f"the client {client_words(transition)}"


def _subscription_action(transition: classify.Transition[classify.SubscriptionState]) -> str:
    return f"the client {subscription_words(transition)}"


def _forgets(
    transition: classify.Transition[classify.ClientState] | classify.Transition[classify.SubscriptionState],
) -> str:
    return ", after dropping cached stream positions" if transition.invalidate_state else ""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _error_action(code: int, temporary: bool) -> str:
    connect = classify.on_connect_error(code, temporary=temporary)
    subscribe = classify.on_subscribe_error(code, temporary=temporary)
    rebuilt = classify.on_subscribe_error(code, temporary=temporary, can_rebuild_state=True)
    text = f"On connect, {_client_action(connect)}; on subscribe, {_subscription_action(subscribe)}"
    if rebuilt != subscribe:
        text += (
            f"; if the application can rebuild the channel's state, {_subscription_action(rebuilt)}{_forgets(rebuilt)}"
        )
    return text + "."


#: The state each SDK event reports; its words are what the client does next.
_EVENT_STATES: Final[dict[str, classify.ClientState | classify.SubscriptionState]] = {
    "connecting": classify.ClientState.CONNECTING,
    "disconnected": classify.ClientState.DISCONNECTED,
    "subscribing": classify.SubscriptionState.SUBSCRIBING,
    "unsubscribed": classify.SubscriptionState.UNSUBSCRIBED,
}
_ERROR_EVENT_ACTION: Final = "Reported in an error event: the state does not change, and the SDK retries what it can."


def _event_action(event: str, code: int) -> str:
    state = _EVENT_STATES.get(event)
    if isinstance(state, classify.ClientState):
        transition = classify.Transition(state, code, "")
        if event == "connecting" and code in _ERROR_SPAN:
            # An error reply to connect that the client retries: 109 first fetches a token.
            transition = classify.on_connect_error(code, temporary=True)
        return _sentence(_client_action(transition))
    if isinstance(state, classify.SubscriptionState):
        return _sentence(_subscription_action(classify.Transition(state, code, "")))
    return _ERROR_EVENT_ACTION


# --- One record per family a code belongs to. ---------------------------------------------


def _error_record(code: int) -> Record:
    found = ErrorCode.lookup(code)
    action = _error_action(code, found.temporary if isinstance(found, ErrorCode) else False)
    if not isinstance(found, ErrorCode) and classify.on_connect_error(code).state is classify.ClientState.DISCONNECTED:
        action += " With temporary=true on the wire, the client retries instead."
    return {
        "family": "error",
        "code": code,
        "name": found.name if isinstance(found, ErrorCode) else None,
        "message": found.message if isinstance(found, ErrorCode) else None,
        "temporary": found.temporary if isinstance(found, ErrorCode) else None,
        "description": found.description,
        "action": action,
    }


def _client_error_record(found: ClientErrorCode | UnknownClientErrorCode) -> Record:
    return {
        "family": "client_error",
        "code": found.code,
        "name": found.name if isinstance(found, ClientErrorCode) else None,
        "sdk": None,
        "description": found.description,
        "action": "Reported by an SDK itself in an error event; the server never sends it.",
    }


def _sdk_error_records(code: int) -> Iterator[Record]:
    for number, sdk, meaning in _SDK_ERROR_CODES:
        if number == code:
            yield {
                "family": "client_error",
                "code": code,
                "name": None,
                "sdk": sdk,
                "description": (
                    f"With {sdk}, error event {code}: {meaning}. Other SDKs use this number for "
                    "something else or not at all; the SDKs share only 1-12."
                ),
                "action": f"Reported by {sdk} itself in an error event; the server never sends it.",
            }


def _state_record(
    found: ConnectingCode | DisconnectedCode | SubscribingCode | UnsubscribedCode | _UnknownState, event: str
) -> Record:
    known = (ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode)
    return {
        "family": event,
        "code": found.code,
        "name": found.name if isinstance(found, known) else None,
        "reason": found.reason if isinstance(found, known) else None,
        "description": found.description,
        "action": _event_action(event, found.code),
    }


def _unsubscribe_record(code: int) -> Record:
    found = UnsubscribeCode.lookup(code)
    transition = classify.on_unsubscribe(code)
    return {
        "family": "unsubscribe",
        "code": code,
        "name": found.name if isinstance(found, UnsubscribeCode) else None,
        # None where no text is defined: unknown codes, and 2502, whose senders choose one.
        "reason": found.reason if isinstance(found, UnsubscribeCode) and found.reason else None,
        "resubscribe": found.resubscribe,
        "description": found.description,
        "action": _sentence(_subscription_action(transition) + _forgets(transition)),
    }


def _disconnect_record(code: int) -> Record:
    found = DisconnectCode.lookup(code)
    transition = classify.on_disconnect(code)
    return {
        "family": "disconnect",
        "code": code,
        "name": found.name if isinstance(found, DisconnectCode) else None,
        "reason": found.reason if isinstance(found, DisconnectCode) else None,
        "reconnect": found.reconnect,
        "description": found.description,
        "action": _sentence(_client_action(transition) + _forgets(transition)),
    }


def _close_record(code: int) -> Record:
    transition = classify.on_close(code)
    return {
        "family": "close",
        "code": code,
        "name": None,
        "reason": transition.reason,
        "reconnect": transition.state is classify.ClientState.CONNECTING,
        "description": (
            "A close code of the transport itself (below 3000), not one Centrifugo assigns; "
            f"SDKs report it with client code {transition.code} {transition.reason!r}."
        ),
        "action": _sentence(_client_action(transition)),
    }


def _api_error_record(member: ApiErrorCode) -> Record:
    return {
        "family": "api_error",
        "code": member.code,
        "name": member.name,
        "message": member.message,
        "http_status": int(member.http_status),
        "grpc_status": member.grpc_status,
        "description": member.description,
        "action": f"A server API reply; in transport error mode HTTP {int(member.http_status)}, gRPC {member.grpc_status}.",
    }


# Which families a number belongs to, by the protocol's ranges. 0-99 are the SDKs' own
# codes, reported with their events; reply errors use 100-1999; unsubscribes
# 2000-2999; disconnects 3000 and up; transport closes the rest below 3000 that a
# WebSocket can carry (1000-2999). Server API codes are listed only when known: the
# API has no application range.
_ERROR_SPAN: Final = range(CLIENT_SIDE_ERROR_CODES.stop, APP_ERROR_CODES.stop)
_WEBSOCKET_CLOSE_CODES: Final = range(1000, TRANSPORT_CLOSE_CODES.stop)
_STATE_FAMILIES: Final = (
    ("connecting", ConnectingCode),
    ("disconnected", DisconnectedCode),
    ("subscribing", SubscribingCode),
    ("unsubscribed", UnsubscribedCode),
)


def _records(code: int) -> Iterator[Record]:
    if code in CLIENT_SIDE_ERROR_CODES:
        yield from _sdk_records(code)
    if code in _ERROR_SPAN:
        yield _error_record(code)
    if code in ApiErrorCode._value2member_map_:
        yield _api_error_record(ApiErrorCode(code))
    if code in UNSUBSCRIBE_CODES:
        yield _unsubscribe_record(code)
    if code >= SERVER_RECONNECT_DISCONNECT_CODES.start:
        yield _disconnect_record(code)
    if code in _WEBSOCKET_CLOSE_CODES:
        yield _close_record(code)


def _sdk_records(code: int) -> Iterator[Record]:
    """0-99: every event family that lists ``code``, or what error events make of it."""
    listed = False
    for event, family in _STATE_FAMILIES:
        if code in family._value2member_map_:
            listed = True
            yield _state_record(family(code), event)
    found = ClientErrorCode.lookup(code)
    sdk_specific = list(_sdk_error_records(code))
    if isinstance(found, ClientErrorCode) or not (listed or sdk_specific):
        yield _client_error_record(found)
    yield from sdk_specific


def _event_records(code: int, event: str) -> Iterator[Record]:
    """``code`` as an SDK's ``event`` carries it: one family, chosen by :mod:`events`."""
    found = _EVENTS[event](code)
    if isinstance(found, (ClientErrorCode, UnknownClientErrorCode)):
        record = _client_error_record(found)
        sdk_specific = list(_sdk_error_records(code))
        if sdk_specific and not isinstance(found, ClientErrorCode):
            for each in sdk_specific:
                yield {**each, "event": event, "action": _ERROR_EVENT_ACTION}
            return
    elif isinstance(found, (ErrorCode, UnknownErrorCode)):
        record = _error_record(code)
    elif isinstance(found, (UnsubscribeCode, UnknownUnsubscribeCode)):
        record = _unsubscribe_record(code)
    elif isinstance(found, (DisconnectCode, UnknownDisconnectCode)):
        record = _disconnect_record(code)
    else:
        assert isinstance(found, _STATE_TYPES)  # what the other events' functions return
        record = _state_record(found, event)
    yield {**record, "event": event, "action": _event_action(event, code)}


def _member_records(member: Member, event: str | None) -> Iterator[Record]:
    """The record of one family's ``member`` (named on the command line)."""
    record: Record
    if isinstance(member, ErrorCode):
        record = _error_record(member.code)
    elif isinstance(member, ApiErrorCode):
        record = _api_error_record(member)
    elif isinstance(member, UnsubscribeCode):
        record = _unsubscribe_record(member.code)
    elif isinstance(member, DisconnectCode):
        record = _disconnect_record(member.code)
    elif isinstance(member, ClientErrorCode):
        record = _client_error_record(member)
    else:
        record = _state_record(member, _STATE_EVENTS[type(member)])
    if event is not None:
        record = {**record, "event": event, "action": _event_action(event, member.code)}
    yield record


_STATE_EVENTS: Final[dict[type[Member], str]] = {family: event for event, family in _STATE_FAMILIES}


def _every_known_code() -> Iterator[Record]:
    for event, family in _STATE_FAMILIES:
        for state in family:
            yield _state_record(state, event)
    for client_error in ClientErrorCode:
        yield _client_error_record(client_error)
    for number in sorted({number for number, _, _ in _SDK_ERROR_CODES}):
        yield from _sdk_error_records(number)
    for error in ErrorCode:
        yield _error_record(error.code)
    for unsubscribe in UnsubscribeCode:
        yield _unsubscribe_record(unsubscribe.code)
    for disconnect in DisconnectCode:
        yield _disconnect_record(disconnect.code)
    for api_error in ApiErrorCode:
        yield _api_error_record(api_error)


# --- Text and Markdown --------------------------------------------------------------------

_FAMILY_TITLES: Final = {
    "connecting": ("ConnectingCode", "SDK connecting event"),
    "disconnected": ("DisconnectedCode", "SDK disconnected event"),
    "subscribing": ("SubscribingCode", "SDK subscribing event"),
    "unsubscribed": ("UnsubscribedCode", "SDK unsubscribed event"),
    "client_error": ("ClientErrorCode", "SDK error event"),
    "error": ("ErrorCode", "error in a reply to a client command"),
    "unsubscribe": ("UnsubscribeCode", "unsubscribe push"),
    "disconnect": ("DisconnectCode", "disconnect push or close frame"),
    "close": ("close code", "WebSocket close frame"),
    "api_error": ("ApiErrorCode", "server HTTP/gRPC API error"),
}
_FLAG_KEYS: Final = (
    "sdk",
    "message",
    "reason",
    "temporary",
    "resubscribe",
    "reconnect",
    "http_status",
    "grpc_status",
    "count",
)


def _shown(value: Json) -> str:
    if value is None:
        return "decided by the wire"
    if isinstance(value, bool):
        return _yes(value)
    return json.dumps(value) if isinstance(value, str) else str(value)


def _title(record: Record) -> str:
    name, sdk, event = record["name"], record.get("sdk"), record.get("event")
    family, kind = _FAMILY_TITLES[str(record["family"])]
    if name is not None:
        title = f"{family}.{name}"
    elif sdk is not None:
        title = f"error-event code of {sdk}"
    else:
        title = f"{family}, not a listed code"
    if event is not None:
        kind = f"as {'an' if event == 'error' else 'a'} {event} event carries it"
    return f"{record['code']}  {title}  ({kind})"


#: The families whose members say when they are sent, by a record's family name.
_CAUSE_FAMILIES: Final[dict[str, type[CodeEnum]]] = {
    "connecting": ConnectingCode,
    "disconnected": DisconnectedCode,
    "subscribing": SubscribingCode,
    "unsubscribed": UnsubscribedCode,
    "client_error": ClientErrorCode,
    "error": ErrorCode,
    "unsubscribe": UnsubscribeCode,
    "disconnect": DisconnectCode,
    "api_error": ApiErrorCode,
}


def _member_of(record: Record) -> CodeEnum | None:
    """The member a record explains, or None for an unknown code or a close code."""
    family, name = _CAUSE_FAMILIES.get(str(record["family"])), record["name"]
    return family[name] if family is not None and isinstance(name, str) else None


def _with_causes(record: Record) -> Record:
    """``record`` with its member's causes: a list in every family that has members,
    empty for a code no one listed (a close code belongs to no such family)."""
    if str(record["family"]) not in _CAUSE_FAMILIES:
        return record
    member = _member_of(record)
    return {**record, "causes": [] if member is None else cause_records(member)}


def _sent_when(member: CodeEnum) -> list[str]:
    """The "sent when" lines of ``member``, indented under its explanation and wrapped."""
    lines: list[str] = []
    for line in sent_when(member):
        if line.startswith("- "):
            lines += wrap(line[2:], "    ", first="  - ")
        elif line.startswith("  "):
            lines += wrap(line.strip(), "      ", first="    ")
        else:
            lines += wrap(line, "  ")
    return lines


def _text(record: Record) -> list[str]:
    lines = [_title(record)]
    for key in _FLAG_KEYS:
        if key not in record:
            continue
        value = record[key]
        if key == "sdk":
            if value is None:
                continue
            shown = str(value)
        elif key == "count":
            shown = f"{value} {'time' if value == 1 else 'times'} in the input"
            key = "seen"  # noqa: PLW2901
        elif key in ("message", "reason") and value is None:
            if record["name"] is None:
                continue
            shown = "none defined by the server; each sender chooses its own"
        else:
            shown = _shown(value)
        lines.append(f"  {key}: {shown}")
    description, action = str(record["description"]), str(record["action"])
    lines += wrap(description, "  ")
    # Most descriptions already say what the client does; say it again only when
    # the action adds something.
    if action.rstrip(".").lower() not in description.lower():
        lines += wrap(action, "     ", first="  -> ")
    member = _member_of(record)
    if member is not None:
        lines += _sent_when(member)
    return lines


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def _table(header: Sequence[str], rows: Iterator[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows)
    return lines


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _quoted(text: str) -> str:
    return f'"{text}"' if text else "(none defined)"


def _reason_table(family: type[ConnectingCode | DisconnectedCode | SubscribingCode | UnsubscribedCode]) -> list[str]:
    return _table(
        ("Code", "Name", "Reason", "Meaning"),
        ((m.code, f"`{m.name}`", _quoted(m.reason), m.description) for m in family),
    )


def markdown() -> str:
    """The reference tables of every family, as Markdown (the README embeds this)."""
    out = ["### Client error codes (`ErrorCode`)", ""]
    out += [
        f"Errors in replies to client commands. {span(CLIENT_SIDE_ERROR_CODES)} are client-side (SDK) codes, "
        f"{span(SERVER_ERROR_CODES)} belong to the server, and applications (proxies) use "
        f"{span(APP_ERROR_CODES)}. The wire's `temporary` flag wins over the defaults below.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Message", "Temporary", "Meaning"),
        ((m.code, f"`{m.name}`", f'"{m.message}"', _yes(m.temporary), m.description) for m in ErrorCode),
    )
    out += ["", "### Unsubscribe codes (`UnsubscribeCode`)", ""]
    out += [
        f"Codes from {MIN_RESUBSCRIBE_CODE} up make the client resubscribe; lower codes end the subscription. "
        f"The server sends codes in {span(UNSUBSCRIBE_CODES)}.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Reason", "Resubscribe", "Meaning"),
        ((m.code, f"`{m.name}`", _quoted(m.reason), _yes(m.resubscribe), m.description) for m in UnsubscribeCode),
    )
    out += ["", "### Disconnect codes (`DisconnectCode`)", ""]
    out += [
        f"Terminal (the client stops) in {span(SERVER_TERMINAL_DISCONNECT_CODES)} and "
        f"{span(APP_TERMINAL_DISCONNECT_CODES)}; every other code reconnects, including "
        f"{span(APP_RECONNECT_DISCONNECT_CODES)} (applications' reconnecting codes), codes from "
        f"{APP_TERMINAL_DISCONNECT_CODES.stop} up, and transport close codes below "
        f"{TRANSPORT_CLOSE_CODES.stop}.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Reason", "Reconnect", "Meaning"),
        ((m.code, f"`{m.name}`", f'"{m.reason}"', _yes(m.reconnect), m.description) for m in DisconnectCode),
    )
    out += ["", "### Server API error codes (`ApiErrorCode`)", ""]
    out += [
        "Errors of the server HTTP and gRPC API, with their statuses in transport error mode. "
        "Any other code maps to HTTP 500 and gRPC `INTERNAL`.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Message", "HTTP", "gRPC", "Meaning"),
        (
            (m.code, f"`{m.name}`", f'"{m.message}"', int(m.http_status), f"`{m.grpc_status}`", m.description)
            for m in ApiErrorCode
        ),
    )
    out += ["", "### Client-side codes", ""]
    out += ["SDKs report these with their own state changes; the server never sends them.", ""]
    for family in (ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode):
        out += [f"`{family.__name__}`:", ""]
        out += _reason_table(family)
        out += [""]
    out += ["`ClientErrorCode` (error events; SDKs disagree from 13 up, so those are not listed):", ""]
    out += _table(("Code", "Name", "Meaning"), ((m.code, f"`{m.name}`", m.description) for m in ClientErrorCode))
    return "\n".join(out) + "\n"


def _run(argv: Sequence[str] | None, prog: str | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    at = _subcommand_at(arguments)
    if at is not None:
        from . import _metrics

        # Options given before the subcommand's name are its own: --json metrics f.prom.
        return _metrics.main(arguments[:at] + arguments[at + 1 :], prog or PROG)
    parser = _build_parser(prog)
    args = parser.parse_args(arguments)
    texts: list[str] = args.codes
    event: str | None = args.event
    if args.markdown:
        if texts:
            parser.error("--markdown prints every table and takes no CODE")
        if event is not None:
            parser.error("--markdown prints every table and takes no --event")
        write(markdown())
        return 0
    if not texts:
        if event is not None:
            parser.error("--event reads the CODEs it is given: give at least one CODE")
        if args.json:
            write(json.dumps([_with_causes(record) for record in _every_known_code()], indent=2) + "\n")
            return 0
        parser.error("give at least one CODE (or --json / --markdown for every code)")
    try:
        records = [_with_causes(record) for text in texts for record in _argument_records(text, event)]
    except _BadArgument as bad:
        parser.error(f"argument CODE: {bad}")
    if args.json:
        write(json.dumps(records, indent=2) + "\n")
    elif records:
        write("\n\n".join("\n".join(_text(record)) for record in records) + "\n")
    else:
        write("No code found in the input.\n")
    return 0


def _subcommand_at(arguments: Sequence[str]) -> int | None:
    """Where ``metrics`` is the first argument that is not an option, or ``None``."""
    value_follows = False
    for at, argument in enumerate(arguments):
        if value_follows:  # the EVENT of --event
            value_follows = False
        elif argument == "--":  # only CODEs follow
            return None
        elif argument == "--event":
            value_follows = True
        elif argument == "-" or not argument.startswith("-"):
            return at if argument == "metrics" else None
    return None


def _argument_records(text: str, event: str | None) -> Iterator[Record]:
    if text == "-":
        for code, count in _logged_codes():
            for record in _number_records(code, event):
                yield {**record, "count": count}
        return
    for subject in _read_argument(text, event):
        if isinstance(subject, _FAMILIES):  # members are ints too: they go first
            yield from _member_records(subject, event)
        else:
            yield from _number_records(subject, event)


def _number_records(code: int, event: str | None) -> Iterator[Record]:
    return _records(code) if event is None else _event_records(code, event)


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run the command; returns the exit status (argparse exits with 2 on bad input).

    The statuses are :mod:`._command`'s: a reader that goes away (``| head``) ends
    the command quietly with 141; a closed standard output or another failure to
    write (a full disk) is one line on standard error and status 1.
    """
    return run(lambda: _run(argv, prog), prog or PROG)

"""Lines users' strict type checkers must reject, for ``centrifugo_protocol.events``.
Checked by mypy and pyright; never run.

The conventions of negative.py: each line that must be an error carries one
suppression per checker, naming the error it expects (``# type: ignore[code]`` for
mypy, ``# pyright: ignore[rule]``), and unused suppressions are errors, so the check
fails the day one of these lines stops being an error. Each exhaustive ``match``
below drops one alternative of a union, which both checkers must report.
"""

from __future__ import annotations

from typing import Protocol

from typing_extensions import assert_never

from centrifugo_protocol import (
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    SubscribingCode,
    UnknownClientErrorCode,
    UnknownConnectingCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownSubscribingCode,
    UnknownUnsubscribeCode,
    UnknownUnsubscribedCode,
    UnsubscribeCode,
    UnsubscribedCode,
    events,
)


def connecting_forgets_a_member(n: int) -> str:
    code = events.connecting(n)
    match code:
        case ConnectingCode.CONNECT_CALLED | ConnectingCode.TRANSPORT_CLOSED | ConnectingCode.NO_PING:
            return "network"
        case ConnectingCode.SUBSCRIBE_TIMEOUT:
            return "timeout"
        case UnknownConnectingCode() | ErrorCode() | UnknownErrorCode() | DisconnectCode() | UnknownDisconnectCode():
            return "other"
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def connecting_forgets_the_disconnect_codes(n: int) -> str:
    code = events.connecting(n)
    match code:
        case ConnectingCode() | UnknownConnectingCode():
            return "client side"
        case ErrorCode() | UnknownErrorCode():
            return "error reply"
        case UnknownDisconnectCode():
            return "custom disconnect"
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def disconnected_forgets_the_unknown_client_code(n: int) -> str:
    code = events.disconnected(n)
    match code:
        case DisconnectedCode():
            return code.reason
        case ErrorCode() | UnknownErrorCode() | DisconnectCode() | UnknownDisconnectCode():
            return code.description
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def subscribing_forgets_the_unknown_unsubscribe_code(n: int) -> bool:
    code = events.subscribing(n)
    match code:
        case SubscribingCode() | UnknownSubscribingCode():
            return True
        case UnsubscribeCode():
            return code.resubscribe
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def unsubscribed_forgets_the_error_replies(n: int) -> str:
    code = events.unsubscribed(n)
    match code:
        case UnsubscribedCode() | UnknownUnsubscribedCode():
            return "client side"
        case UnsubscribeCode() | UnknownUnsubscribeCode():
            return "server"
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def error_forgets_the_unknown_client_error(n: int) -> str:
    code = events.error(n)
    match code:
        case ClientErrorCode():
            return code.name
        case ErrorCode() | UnknownErrorCode():
            return code.description
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class HasReason(Protocol):
    @property
    def reason(self) -> str: ...


def show_reason(code: HasReason) -> str:
    return code.reason


def an_unknown_client_code_has_no_reason(n: int) -> str:
    # The SDK's event carries the reason; an unknown client-side code makes none up.
    return show_reason(ConnectingCode.lookup(n))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def a_subscribing_code_needs_narrowing_for_its_reason(n: int) -> str:
    return show_reason(events.subscribing(n))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def passes_a_str_to_an_event() -> None:
    events.disconnected("3500")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def writes_the_code_of_an_unknown_client_code() -> None:
    UnknownClientErrorCode(13).code = 14  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def takes_an_unknown_for_an_int() -> int:
    number: int = UnknownSubscribingCode(7)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    return number

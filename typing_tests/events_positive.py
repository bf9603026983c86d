"""What users' strict type checkers must accept from ``centrifugo_protocol.events``.
Checked by mypy and pyright; never run.

Written as an SDK's event handlers would be: each event's code goes through its
function, and an exhaustive ``match`` over the closed union ends in ``assert_never``.
Members are matched by value and families by class; the ``Unknown...`` types always by
class (mypy keeps them possible after value patterns, since they define ``__eq__``).
Inside a value-pattern case mypy does not narrow either (every family's members are
ints, and a value pattern compares with ``==``), so read a family's own attributes
after a class pattern.
"""

from __future__ import annotations

from typing_extensions import assert_never, assert_type

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
    UnknownDisconnectedCode,
    UnknownErrorCode,
    UnknownSubscribingCode,
    UnknownUnsubscribeCode,
    UnknownUnsubscribedCode,
    UnsubscribeCode,
    UnsubscribedCode,
    events,
)
from centrifugo_protocol.events import (
    ConnectingEventCode,
    DisconnectedEventCode,
    ErrorEventCode,
    SubscribingEventCode,
    UnsubscribedEventCode,
)

# --- Exhaustive matches: every alternative of each union --------------------------------


def on_connecting(n: int) -> str:
    code = events.connecting(n)
    match code:
        case ConnectingCode.CONNECT_CALLED:
            return "first attempt"
        case ConnectingCode.TRANSPORT_CLOSED | ConnectingCode.NO_PING:
            return "network"
        case ConnectingCode.SUBSCRIBE_TIMEOUT | ConnectingCode.UNSUBSCRIBE_ERROR:
            # A value pattern compares with ==, and the members of every family are
            # ints, so mypy does not narrow here; code and description need no narrowing.
            return code.description
        case UnknownConnectingCode(code=number):
            return f"newer SDK: {number}"
        case ErrorCode.TOKEN_EXPIRED:
            return "token refreshed"
        case ErrorCode():
            return code.message
        case UnknownErrorCode():
            return code.description
        case DisconnectCode():
            return code.reason
        case UnknownDisconnectCode(code=number) if number >= 4000:
            return "application asked to reconnect"
        case UnknownDisconnectCode():
            return "reconnect" if code.reconnect else "unexpected"
        case _:
            assert_never(code)


def on_disconnected(n: int) -> str:
    code = events.disconnected(n)
    match code:
        case DisconnectedCode.DISCONNECT_CALLED:
            return "on purpose"
        case DisconnectedCode():
            # A class pattern narrows to the family for both checkers.
            return code.reason
        case UnknownDisconnectedCode():
            return code.description
        case ErrorCode() | UnknownErrorCode():
            return f"error reply {code.code}"
        case DisconnectCode.INVALID_TOKEN:
            return "log in again"
        case DisconnectCode():
            return code.reason
        case UnknownDisconnectCode():
            return code.description
        case _:
            assert_never(code)


def on_subscribing(n: int) -> bool:
    code = events.subscribing(n)
    match code:
        case SubscribingCode.SUBSCRIBE_CALLED:
            return False
        case SubscribingCode.TRANSPORT_CLOSED:
            return True
        case UnknownSubscribingCode():
            return True
        case UnsubscribeCode():
            return code.resubscribe
        case UnknownUnsubscribeCode():
            return code.resubscribe
        case _:
            assert_never(code)


def on_unsubscribed(n: int) -> str:
    code = events.unsubscribed(n)
    match code:
        case UnsubscribedCode():
            return code.reason
        case UnknownUnsubscribedCode(number):
            return str(number)
        case ErrorCode.PERMISSION_DENIED:
            return "not allowed"
        case ErrorCode() | UnknownErrorCode():
            return code.description
        case UnsubscribeCode.SERVER:
            return "server unsubscribed"
        case UnsubscribeCode() | UnknownUnsubscribeCode():
            return code.description
        case _:
            assert_never(code)


def on_error(n: int) -> str:
    code = events.error(n)
    match code:
        case ClientErrorCode.TIMEOUT:
            return "slow server"
        case ClientErrorCode():
            return code.name
        case UnknownClientErrorCode():
            return code.description
        case ErrorCode():
            return code.message
        case UnknownErrorCode():
            return code.description
        case _:
            assert_never(code)


def every_client_error(code: ClientErrorCode | UnknownClientErrorCode) -> int:
    # Value patterns for all twelve members leave only the Unknown type.
    match code:
        case ClientErrorCode.TIMEOUT | ClientErrorCode.TRANSPORT_CLOSED | ClientErrorCode.CLIENT_DISCONNECTED:
            return 1
        case (
            ClientErrorCode.CLIENT_CLOSED | ClientErrorCode.CLIENT_CONNECT_TOKEN | ClientErrorCode.CLIENT_REFRESH_TOKEN
        ):
            return 2
        case (
            ClientErrorCode.SUBSCRIPTION_UNSUBSCRIBED
            | ClientErrorCode.SUBSCRIPTION_SUBSCRIBE_TOKEN
            | ClientErrorCode.SUBSCRIPTION_REFRESH_TOKEN
        ):
            return 3
        case (
            ClientErrorCode.TRANSPORT_WRITE_ERROR
            | ClientErrorCode.CONNECTION_CLOSED
            | ClientErrorCode.BAD_CONFIGURATION
        ):
            return 4
        case UnknownClientErrorCode():
            return 5
        case _:
            assert_never(code)


# --- The aliases work in annotations --------------------------------------------------------


def describe(code: ConnectingEventCode | DisconnectedEventCode | SubscribingEventCode) -> str:
    # code and description are shared by every alternative: no narrowing needed.
    return f"{code.code}: {code.description}"


def keep(code: UnsubscribedEventCode, errors: list[ErrorEventCode]) -> list[int]:
    return [code.code, *(error.code for error in errors)]


def types(n: int) -> None:
    assert_type(events.connecting(n), ConnectingEventCode)
    assert_type(events.disconnected(n), DisconnectedEventCode)
    assert_type(events.subscribing(n), SubscribingEventCode)
    assert_type(events.unsubscribed(n), UnsubscribedEventCode)
    assert_type(events.error(n), ErrorEventCode)
    assert_type(
        events.subscribing(n), "SubscribingCode | UnknownSubscribingCode | UnsubscribeCode | UnknownUnsubscribeCode"
    )
    assert_type(events.error(n), "ClientErrorCode | UnknownClientErrorCode | ErrorCode | UnknownErrorCode")
    assert_type(events.connecting(n).code, int)
    assert_type(events.unsubscribed(n).description, str)

    assert_type(ConnectingCode.lookup(n), "ConnectingCode | UnknownConnectingCode")
    assert_type(DisconnectedCode.lookup(n), "DisconnectedCode | UnknownDisconnectedCode")
    assert_type(SubscribingCode.lookup(n), "SubscribingCode | UnknownSubscribingCode")
    assert_type(UnsubscribedCode.lookup(n), "UnsubscribedCode | UnknownUnsubscribedCode")
    assert_type(ClientErrorCode.lookup(n), "ClientErrorCode | UnknownClientErrorCode")
    assert_type(UnknownConnectingCode(7).code, int)
    assert_type(UnknownDisconnectedCode(7).description, str)
    assert_type(UnknownSubscribingCode(7).description, str)
    assert_type(UnknownUnsubscribedCode(7).description, str)
    assert_type(UnknownClientErrorCode(13).description, str)
    assert_type(ConnectingCode.lookup(n).description, str)
    reached: list[ConnectingEventCode] = [ConnectingCode.NO_PING, ErrorCode.INTERNAL, DisconnectCode.lookup(n)]
    print(reached)

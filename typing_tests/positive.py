"""What users' strict type checkers must accept. Checked by mypy and pyright; never run.

Written as SDK and application code would be: exhaustive ``match`` statements ending in
``assert_never``, the types of every public attribute and function, and members used
as the ints they are.
"""

from __future__ import annotations

import operator
from http import HTTPStatus

from typing_extensions import assert_never, assert_type

import centrifugo_protocol
from centrifugo_protocol import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    MAX_CODE,
    ApiErrorCode,
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    SubscribingCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    UnsubscribedCode,
    classify,
    events,
    proxy,
    wire,
)
from centrifugo_protocol.classify import ClientState, SubscriptionState, Transition

# --- Exhaustive matches: every member plus the Unknown type -------------------------------


def match_error(n: int) -> str:
    code = ErrorCode.lookup(n)
    match code:
        case ErrorCode.INTERNAL | ErrorCode.TOO_MANY_REQUESTS | ErrorCode.CONCURRENT_PAGINATION:
            return "retry"
        case ErrorCode.TOKEN_EXPIRED:
            return "refresh"
        case ErrorCode():
            # mypy keeps the Unknown type possible after value patterns (it defines
            # __eq__), so narrow the remaining members with a class pattern.
            return code.message
        case UnknownErrorCode(code=number):
            return str(number)
        case _:
            assert_never(code)


def match_unsubscribe(n: int) -> bool:
    code = UnsubscribeCode.lookup(n)
    match code:
        case UnsubscribeCode.SERVER:
            return False
        case UnsubscribeCode.INSUFFICIENT | UnsubscribeCode.EXPIRED | UnsubscribeCode.STATE_INVALIDATED:
            return True
        case UnknownUnsubscribeCode():
            return code.resubscribe
        case _:
            assert_never(code)


def match_disconnect(n: int) -> str:
    code = DisconnectCode.lookup(n)
    match code:
        case DisconnectCode.STATE_INVALIDATED:
            return "refresh token and reconnect"
        case DisconnectCode():
            # A class pattern covers every remaining member at once.
            return code.reason
        case UnknownDisconnectCode(code=number) if number >= 5000:
            return "reconnect"
        case UnknownDisconnectCode():
            return "reconnect" if code.reconnect else "stop"
        case _:
            assert_never(code)


def match_api_error(n: int) -> HTTPStatus:
    code = ApiErrorCode.lookup(n)
    match code:
        case (
            ApiErrorCode.INTERNAL
            | ApiErrorCode.UNKNOWN_CHANNEL
            | ApiErrorCode.NOT_FOUND
            | ApiErrorCode.BAD_REQUEST
            | ApiErrorCode.NOT_AVAILABLE
            | ApiErrorCode.UNRECOVERABLE_POSITION
            | ApiErrorCode.CONFLICT
        ):
            return code.http_status
        case UnknownApiErrorCode(code=_):
            return code.http_status
        case _:
            assert_never(code)


def match_client_state(state: ClientState) -> int:
    match state:
        case ClientState.DISCONNECTED:
            return 0
        case ClientState.CONNECTING:
            return 1
        case ClientState.CONNECTED:
            return 2
        case _:
            assert_never(state)


def match_subscription_state(state: SubscriptionState) -> int:
    match state:
        case SubscriptionState.UNSUBSCRIBED:
            return 0
        case SubscriptionState.SUBSCRIBING:
            return 1
        case SubscriptionState.SUBSCRIBED:
            return 2
        case _:
            assert_never(state)


def match_transition(step: Transition[ClientState]) -> str:
    match step:
        case Transition(state=ClientState.DISCONNECTED, code=code, reason=reason):
            return f"stopped: {code} {reason}"
        case Transition(refresh_token=True):
            return "refresh token first"
        case _:
            return "go on"


# --- The types users see ---------------------------------------------------------------


def attribute_types(n: int, member: ErrorCode, state: ClientState) -> None:
    assert_type(ErrorCode.lookup(n), "ErrorCode | UnknownErrorCode")
    assert_type(UnsubscribeCode.lookup(n), "UnsubscribeCode | UnknownUnsubscribeCode")
    assert_type(DisconnectCode.lookup(n), "DisconnectCode | UnknownDisconnectCode")
    assert_type(ApiErrorCode.lookup(n), "ApiErrorCode | UnknownApiErrorCode")

    assert_type(ErrorCode.INTERNAL.code, int)
    assert_type(ErrorCode.INTERNAL.message, str)
    assert_type(ErrorCode.INTERNAL.temporary, bool)
    assert_type(ErrorCode.INTERNAL.description, str)
    assert_type(ErrorCode.INTERNAL.value, int)
    # The checkers infer narrower Literal types here (pyright a union of the names);
    # what users rely on is that they are str and int.
    name: str = member.name
    value: int = member.value
    state_value: str = state.value
    print(name, value, state_value)
    assert_type(ErrorCode(100), ErrorCode)
    assert_type(UnsubscribeCode.SERVER.code, int)
    assert_type(UnsubscribeCode.SERVER.reason, str)
    assert_type(UnsubscribeCode.SERVER.resubscribe, bool)
    assert_type(UnsubscribeCode.SERVER.description, str)
    assert_type(DisconnectCode.NO_PONG.code, int)
    assert_type(DisconnectCode.NO_PONG.reason, str)
    assert_type(DisconnectCode.NO_PONG.reconnect, bool)
    assert_type(DisconnectCode.NO_PONG.description, str)
    assert_type(DisconnectCode(3012), DisconnectCode)
    assert_type(ApiErrorCode.NOT_FOUND.code, int)
    assert_type(ApiErrorCode.NOT_FOUND.message, str)
    assert_type(ApiErrorCode.NOT_FOUND.http_status, HTTPStatus)
    assert_type(ApiErrorCode.NOT_FOUND.grpc_status, str)
    assert_type(ApiErrorCode.NOT_FOUND.description, str)

    assert_type(UnknownErrorCode(1000).code, int)
    assert_type(UnknownErrorCode(1000).description, str)
    assert_type(UnknownUnsubscribeCode(2600).resubscribe, bool)
    assert_type(UnknownDisconnectCode(4001).reconnect, bool)
    assert_type(UnknownDisconnectCode(4001).description, str)
    assert_type(UnknownApiErrorCode(4001).http_status, HTTPStatus)
    assert_type(UnknownApiErrorCode(4001).grpc_status, str)

    # Attributes shared by a family and its Unknown type need no narrowing.
    disconnect = DisconnectCode.lookup(n)
    assert_type(disconnect.code, int)
    assert_type(disconnect.reconnect, bool)
    assert_type(disconnect.description, str)
    assert_type(UnsubscribeCode.lookup(n).resubscribe, bool)
    assert_type(ApiErrorCode.lookup(n).grpc_status, str)

    assert_type(ConnectingCode.NO_PING.reason, str)
    assert_type(DisconnectedCode.MESSAGE_SIZE_LIMIT.reason, str)
    assert_type(SubscribingCode.TRANSPORT_CLOSED.reason, str)
    assert_type(UnsubscribedCode.CLIENT_CLOSED.reason, str)
    assert_type(ClientErrorCode.TIMEOUT.description, str)

    assert_type(APP_ERROR_CODES, range)
    assert_type(APP_RECONNECT_DISCONNECT_CODES, range)
    assert_type(APP_TERMINAL_DISCONNECT_CODES, range)
    max_code: int = MAX_CODE
    print(max_code)
    assert_type(centrifugo_protocol.__version__, str)


def classify_types(n: int, text: str) -> None:
    step = classify.on_disconnect(n)
    assert_type(step, Transition[ClientState])
    assert_type(step.state, ClientState)
    assert_type(step.code, int)
    assert_type(step.reason, str)
    assert_type(step.refresh_token, bool)
    assert_type(step.invalidate_state, bool)
    assert_type(classify.on_disconnect(n, text), Transition[ClientState])
    assert_type(classify.on_close(n, text), Transition[ClientState])
    assert_type(classify.on_connect_error(n, text, temporary=True), Transition[ClientState])
    assert_type(classify.on_refresh_error(n), Transition[ClientState])
    sub = classify.on_unsubscribe(n, text)
    assert_type(sub, Transition[SubscriptionState])
    assert_type(sub.state, SubscriptionState)
    assert_type(
        classify.on_subscribe_error(n, text, temporary=False, can_rebuild_state=True), Transition[SubscriptionState]
    )
    assert_type(classify.on_subscription_refresh_error(n), Transition[SubscriptionState])
    assert_type(classify.on_connection_lost(), Transition[SubscriptionState])
    assert_type(Transition(ClientState.CONNECTING, 1, "x"), Transition[ClientState])
    assert_type(step.event_code(), classify.ClientEventCode)
    assert_type(sub.event_code(), classify.SubscriptionEventCode)


def wire_and_proxy_types(data: object) -> None:
    error = wire.ReplyError.from_json(data)
    assert_type(error, wire.ReplyError)
    assert_type(error.code, int)
    assert_type(error.message, str)
    assert_type(error.temporary, bool)
    assert_type(error.error_code, "ErrorCode | UnknownErrorCode")
    assert_type(error.to_json(), wire.ReplyErrorJSON)
    assert_type(error.on_connect(), Transition[ClientState])
    assert_type(error.on_refresh(), Transition[ClientState])
    assert_type(error.on_subscribe(can_rebuild_state=True), Transition[SubscriptionState])
    assert_type(error.on_subscription_refresh(), Transition[SubscriptionState])
    disconnect = wire.Disconnect.from_json(data)
    assert_type(disconnect.disconnect_code, "DisconnectCode | UnknownDisconnectCode")
    assert_type(disconnect.to_json(), wire.DisconnectJSON)
    assert_type(disconnect.transition(), Transition[ClientState])
    unsubscribe = wire.Unsubscribe.from_json(data)
    assert_type(unsubscribe.unsubscribe_code, "UnsubscribeCode | UnknownUnsubscribeCode")
    assert_type(unsubscribe.to_json(), wire.UnsubscribeJSON)
    assert_type(unsubscribe.transition(), Transition[SubscriptionState])
    api = wire.ApiError.from_json(data)
    assert_type(api.api_error_code, "ApiErrorCode | UnknownApiErrorCode")
    assert_type(api.to_json(), wire.ApiErrorJSON)
    assert_type(proxy.custom_error(1000, "x", temporary=True), wire.ReplyError)
    assert_type(proxy.custom_disconnect(4500, "x"), wire.Disconnect)
    assert_type(proxy.error_response(error), proxy.ErrorResponse)
    assert_type(proxy.disconnect_response(disconnect), proxy.DisconnectResponse)
    assert_type(proxy.error_response(error)["error"]["code"], int)


# --- Members are ints -------------------------------------------------------------------


def takes_int(code: int) -> int:
    return code + 1


def members_are_ints(n: int) -> bool:
    takes_int(DisconnectCode.NO_PONG)
    takes_int(ErrorCode.TOKEN_EXPIRED)
    total: int = ApiErrorCode.NOT_FOUND + UnsubscribeCode.SERVER
    codes: list[int] = [*DisconnectCode, ConnectingCode.NO_PING]
    terminal = n in APP_TERMINAL_DISCONNECT_CODES
    return n == ErrorCode.TOKEN_EXPIRED or total in codes or terminal or n < DisconnectCode.INVALID_TOKEN


# --- Members and Unknown values work alike ------------------------------------------------


def log_line(code: centrifugo_protocol.Code) -> str:
    # Any code of any family, member or unknown: printed, formatted and converted alike.
    assert_type(code.code, int)
    assert_type(code.name, "str | None")
    assert_type(code.description, str)
    number: int = int(code)
    index: int = operator.index(code)
    return f"{code} {code:>6} {code.name or '?'}" + "%d %d" % (code, number + index)  # noqa: UP031


def any_code_is_a_code(n: int) -> list[str]:
    codes: list[centrifugo_protocol.Code] = [
        DisconnectCode.lookup(n),
        ErrorCode.lookup(n),
        UnsubscribeCode.lookup(n),
        ApiErrorCode.lookup(n),
        ConnectingCode.lookup(n),
        ClientErrorCode.lookup(n),
        events.connecting(n),
        events.error(n),
        UnknownDisconnectCode(4501),
        DisconnectCode.NO_PONG,
    ]
    return [log_line(code) for code in codes]


def unknown_values_convert(n: int) -> int:
    unknown = UnknownDisconnectCode(n)
    assert_type(unknown.name, None)
    member_name: str | None = DisconnectCode.NO_PONG.name
    assert member_name is not None
    return int(unknown) + operator.index(unknown) + int(DisconnectCode.lookup(n))


def one_import_for_every_event(code: events.EventCode) -> str:
    # events re-exports every family an event carries, and EventCode is their union.
    match code:
        case events.ConnectingCode() | events.DisconnectedCode() | events.SubscribingCode():
            return code.reason
        case events.UnsubscribedCode():
            return code.reason
        case events.ClientErrorCode() | events.UnknownClientErrorCode():
            return code.description
        case events.ErrorCode() | events.UnknownErrorCode():
            return code.description
        case events.UnsubscribeCode() | events.UnknownUnsubscribeCode():
            return str(code.resubscribe)
        case events.DisconnectCode() | events.UnknownDisconnectCode():
            return str(code.reconnect)
        case (
            events.UnknownConnectingCode()
            | events.UnknownDisconnectedCode()
            | events.UnknownSubscribingCode()
            | events.UnknownUnsubscribedCode()
        ):
            return code.description
        case _:
            assert_never(code)


def retry_or_not(data: object) -> bool:
    error = wire.ReplyError.from_json(data)
    assert_type(error.retryable, bool)
    assert_type(error.temporary, bool)
    assert_type(ErrorCode.INTERNAL.default_temporary, bool)
    assert_type(ErrorCode.INTERNAL.temporary, bool)
    return error.retryable

"""Lines users' strict type checkers must reject. Checked by mypy and pyright; never run.

Each line that must be an error carries one suppression per checker, naming the
error it expects: ``# type: ignore[code]`` for mypy and ``# pyright: ignore[rule]``.
Both checkers run with unused suppressions reported as errors (mypy's
``warn_unused_ignores``, pyright's ``reportUnnecessaryTypeIgnoreComment``), so the
check fails the day one of these lines stops being an error.
"""

from __future__ import annotations

from typing_extensions import assert_never

from centrifugo_protocol import (
    Code,
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    classify,
    wire,
)
from centrifugo_protocol.classify import ClientState


def forgets_a_member(n: int) -> str:
    code = UnsubscribeCode.lookup(n)
    match code:
        case UnsubscribeCode.SERVER:
            return "ended"
        case UnsubscribeCode.INSUFFICIENT | UnsubscribeCode.EXPIRED:
            return "again"
        case UnknownUnsubscribeCode():
            return "custom"
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def forgets_the_unknown_type(n: int) -> str:
    code = UnsubscribeCode.lookup(n)
    match code:
        case UnsubscribeCode.SERVER:
            return "ended"
        case UnsubscribeCode.INSUFFICIENT | UnsubscribeCode.EXPIRED | UnsubscribeCode.STATE_INVALIDATED:
            return "again"
        case _:
            assert_never(code)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def forgets_a_client_state(state: ClientState) -> int:
    match state:
        case ClientState.DISCONNECTED | ClientState.CONNECTING:
            return 0
        case _:
            assert_never(state)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def writes_a_member_attribute() -> None:
    ErrorCode.INTERNAL.message = "changed"  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def writes_a_flag() -> None:
    DisconnectCode.NO_PONG.reconnect = False  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def writes_the_code_of_an_unknown() -> None:
    UnknownDisconnectCode(4001).code = 4501  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def passes_a_str_to_lookup() -> None:
    DisconnectCode.lookup("3012")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def passes_temporary_positionally() -> None:
    classify.on_connect_error(100, "internal server error", True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def assigns_a_client_state_to_a_str() -> None:
    state: str = ClientState.CONNECTED  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    print(state)


def passes_none_for_an_absent_reason() -> None:
    # An absent field is left out (or ""), never None.
    classify.on_disconnect(3012, None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def takes_any_code(code: Code) -> int:
    return code.code


def passes_a_plain_int_as_a_code() -> None:
    takes_any_code(3012)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def reads_the_name_of_an_unknown_as_a_str() -> None:
    name: str = UnknownDisconnectCode(4501).name  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del name


def reads_the_name_of_any_code_as_a_str(code: Code) -> None:
    name: str = code.name  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del name


def writes_retryable(error: wire.ReplyError) -> None:
    error.retryable = True  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]

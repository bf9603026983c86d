"""What users' strict type checkers must accept about causes. Checked by mypy and
pyright; never run.

Every public attribute of a cause has a precise type, each family's ``causes`` is a
tuple of :class:`Cause`, and the enums are closed, so a ``match`` over them can be
exhaustive.
"""

from __future__ import annotations

from typing_extensions import assert_never, assert_type

from centrifugo_protocol import (
    CAUSES_MEASURED_ON,
    ApiErrorCode,
    Cause,
    CauseKind,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    Sender,
    SubscribingCode,
    UnsubscribeCode,
    UnsubscribedCode,
    Untriggerable,
)


def every_family_has_causes() -> None:
    assert_type(ErrorCode.UNAUTHORIZED.causes, tuple[Cause, ...])
    assert_type(UnsubscribeCode.SERVER.causes, tuple[Cause, ...])
    assert_type(DisconnectCode.BAD_REQUEST.causes, tuple[Cause, ...])
    assert_type(ApiErrorCode.CONFLICT.causes, tuple[Cause, ...])
    assert_type(ConnectingCode.TRANSPORT_CLOSED.causes, tuple[Cause, ...])
    assert_type(DisconnectedCode.DISCONNECT_CALLED.causes, tuple[Cause, ...])
    assert_type(SubscribingCode.SUBSCRIBE_CALLED.causes, tuple[Cause, ...])
    assert_type(UnsubscribedCode.UNSUBSCRIBE_CALLED.causes, tuple[Cause, ...])


def a_cause_is_typed(cause: Cause) -> None:
    assert_type(cause.id, str)
    assert_type(cause.code, int)
    assert_type(cause.family, str)
    assert_type(cause.situation, str)
    assert_type(cause.kind, CauseKind)
    assert_type(cause.involves, str)
    assert_type(cause.fix, "str | None")
    assert_type(cause.sender, Sender)
    assert_type(cause.untriggerable, "Untriggerable | None")
    assert_type(CAUSES_MEASURED_ON, str)


def what_to_look_at(cause: Cause) -> str:
    match cause.kind:
        case CauseKind.CONFIG_KEY:
            return f"the server's configuration: {cause.involves}"
        case CauseKind.API_METHOD:
            return f"who calls the server API method {cause.involves}"
        case CauseKind.PROXY_ANSWER:
            return "the proxy backend"
        case CauseKind.CLIENT_ACTION:
            return "the client"
        case CauseKind.SERVER_EVENT:
            return "the server's operations"
        case _:
            assert_never(cause.kind)


def who_to_ask(cause: Cause) -> str:
    match cause.sender:
        case Sender.SERVER | Sender.LIBRARY:
            return "the server"
        case Sender.PROXY | Sender.SERVER_API:
            return "the application"
        case Sender.SDK:
            return "the SDK"
        case Sender.NOBODY:
            return "nobody"
        case _:
            assert_never(cause.sender)


def why_unproven(cause: Cause) -> str:
    reason = cause.untriggerable
    if reason is None:
        return "proven live"
    match reason:
        case Untriggerable.NEVER_SENT | Untriggerable.NOT_IN_CENTRIFUGO:
            return "not sent by Centrifugo"
        case Untriggerable.NOT_OBSERVABLE | Untriggerable.NOT_DETERMINISTIC:
            return reason.text
        case _:
            assert_never(reason)


def build_one() -> Cause:
    return Cause(
        "disconnect.4500.banned",
        situation="The backend banned the user.",
        kind=CauseKind.PROXY_ANSWER,
        involves='{"disconnect": {"code": 4500}}',
        fix=None,
        sender=Sender.PROXY,
    )

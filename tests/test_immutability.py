# pyright: reportPrivateUsage=false
"""Shared answers cannot be changed: one caller can never alter what another one gets.

``classify`` and ``lookup`` hand the same objects to every caller, so every value they
return, and every value object a caller can make, refuses assignment, deletion and a
second ``__init__``. The wire exceptions keep what Python itself needs to write
(tracebacks, notes, causes) and freeze only their payload.
"""

from __future__ import annotations

import copy
import enum
import pickle
import subprocess
import sys
from typing import Any

import pytest

import centrifugo_protocol
from centrifugo_protocol import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    classify,
)
from centrifugo_protocol.classify import ClientState, SubscriptionState, Transition
from centrifugo_protocol.wire import ApiError, Disconnect, ReplyError, Unsubscribe

FAMILIES = [ErrorCode, UnsubscribeCode, DisconnectCode, ApiErrorCode]
UNKNOWNS = [UnknownErrorCode, UnknownUnsubscribeCode, UnknownDisconnectCode, UnknownApiErrorCode]
#: Every public code family and Unknown type, the SDKs' client-side ones included.
PUBLIC_FAMILIES: list[type[enum.IntEnum]] = [
    value
    for value in (getattr(centrifugo_protocol, name) for name in centrifugo_protocol.__all__)
    if isinstance(value, type) and issubclass(value, enum.IntEnum)
]
PUBLIC_UNKNOWNS: list[type] = [
    getattr(centrifugo_protocol, name) for name in centrifugo_protocol.__all__ if name.startswith("Unknown")
]


def frozen_values() -> list[tuple[object, tuple[Any, ...]]]:
    """Each immutable value, with arguments its class's ``__init__`` would accept."""
    return [
        (classify.on_disconnect(3012), (ClientState.DISCONNECTED, 1, "changed")),
        (classify.on_subscribe_error(112, can_rebuild_state=True), (SubscriptionState.UNSUBSCRIBED, 1, "changed")),
        (Transition(ClientState.CONNECTING, 3012, "no pong"), (ClientState.DISCONNECTED, 1, "changed", True, True)),
        (DisconnectCode.lookup(4501), (4001,)),
        (ErrorCode.lookup(1000), (1001,)),
        (UnknownUnsubscribeCode(2600), (2601,)),
        (ApiErrorCode.lookup(4001), (4002,)),
        (Disconnect(3012, "no pong"), (4501, "changed")),
        (Unsubscribe(2000, "server unsubscribe"), (2500, "changed")),
    ]


def snapshot(value: object) -> tuple[object, ...]:
    fields = ("state", "code", "reason", "refresh_token", "invalidate_state")
    return (*(getattr(value, name, None) for name in fields), repr(value), hash(value))


@pytest.mark.parametrize(("value", "arguments"), frozen_values(), ids=lambda v: type(v).__name__)
def test_values_refuse_assignment_deletion_and_a_second_init(value: object, arguments: tuple[Any, ...]) -> None:
    before = snapshot(value)
    names = [
        name
        for name in ("state", "code", "reason", "_state", "_code", "_reason", "_refresh_token")
        if hasattr(value, name)
    ]
    for name in [*names, "anything_new"]:
        with pytest.raises(AttributeError):
            setattr(value, name, 1)
        with pytest.raises(AttributeError):
            delattr(value, name)
    with pytest.raises(TypeError, match="immutable; it cannot be initialized again"):
        value.__init__(*arguments)  # type: ignore[misc]
    assert snapshot(value) == before


def test_a_shared_answer_stays_the_same_for_later_callers() -> None:
    expected = Transition(ClientState.CONNECTING, 3012, "")
    answer = classify.on_disconnect(3012)
    with pytest.raises(TypeError):
        answer.__init__(ClientState.DISCONNECTED, 3500, "hijacked")
    with pytest.raises(AttributeError):
        answer._state = ClientState.DISCONNECTED
    assert classify.on_disconnect(3012) == expected
    assert classify.on_disconnect(3012) is answer
    unknown = DisconnectCode.lookup(4501)
    assert isinstance(unknown, UnknownDisconnectCode)
    with pytest.raises(TypeError):
        unknown.__init__(4001)
    assert DisconnectCode.lookup(4501).code == 4501
    assert DisconnectCode.lookup(4501).reconnect is False


def test_a_second_init_with_bad_arguments_changes_nothing_either() -> None:
    value = Transition(ClientState.CONNECTING, 3012, "no pong")
    with pytest.raises((TypeError, ValueError)):
        value.__init__(ClientState.CONNECTING, -1, "x")
    with pytest.raises(TypeError):
        value.__init__("connecting", 1, "x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert (value.state, value.code, value.reason) == (ClientState.CONNECTING, 3012, "no pong")


# --- Members of the code families -------------------------------------------------------


@pytest.mark.parametrize("member", [m for family in FAMILIES for m in family], ids=repr)
def test_members_refuse_every_assignment(member: Any) -> None:
    before = {name: getattr(member, name) for name in dir(member) if not name.startswith("__")}
    for name in (
        "_message",
        "_reason",
        "_temporary",
        "_description",
        "_value_",
        "_name_",
        "_http_status",
        "new_attribute",
    ):
        with pytest.raises(AttributeError):
            setattr(member, name, "x")
        with pytest.raises(AttributeError):
            delattr(member, name)
    with pytest.raises(AttributeError):
        member.code = 1
    after = {name: getattr(member, name) for name in dir(member) if not name.startswith("__")}
    assert after == before


def test_error_internal_message_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        ErrorCode.INTERNAL._message = "x"
    assert ErrorCode.INTERNAL.message == "internal server error"
    with pytest.raises(AttributeError):
        UnsubscribeCode.STATE_INVALIDATED._reason = "state invalidated"
    assert UnsubscribeCode.STATE_INVALIDATED.reason == ""


def test_every_family_is_listed() -> None:
    assert set(FAMILIES) <= set(PUBLIC_FAMILIES)
    assert set(UNKNOWNS) <= set(PUBLIC_UNKNOWNS)
    assert len(PUBLIC_FAMILIES) == len(PUBLIC_UNKNOWNS)


@pytest.mark.parametrize("public", [*PUBLIC_FAMILIES, *PUBLIC_UNKNOWNS], ids=lambda c: c.__name__)
def test_public_classes_name_the_package_as_their_home(public: type) -> None:
    assert public.__module__ == "centrifugo_protocol"
    assert getattr(centrifugo_protocol, public.__name__) is public


@pytest.mark.parametrize("member", [m for family in PUBLIC_FAMILIES for m in family], ids=repr)
def test_members_of_every_family_are_sealed_and_pickle_to_themselves(member: Any) -> None:
    for name in ("_reason", "_description", "_value_", "new_attribute"):
        with pytest.raises(AttributeError):
            setattr(member, name, "x")
        with pytest.raises(AttributeError):
            delattr(member, name)
    assert pickle.loads(pickle.dumps(member)) is member


@pytest.mark.parametrize("member", [m for family in FAMILIES for m in family], ids=repr)
def test_members_pickle_to_themselves(member: Any) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(member, protocol=protocol)
        assert b"_codes" not in data
        assert pickle.loads(data) is member
    assert copy.copy(member) is member and copy.deepcopy(member) is member


@pytest.mark.parametrize("unknown", UNKNOWNS, ids=lambda c: c.__name__)
def test_unknown_values_pickle_to_equal_values(unknown: Any) -> None:
    value = unknown(4321)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(value, protocol=protocol)
        assert b"_codes" not in data
        again = pickle.loads(data)
        assert again == value and type(again) is unknown and again.code == 4321


def test_pickles_load_in_a_fresh_interpreter() -> None:
    values = [ErrorCode.INTERNAL, DisconnectCode.NO_PONG, UnknownDisconnectCode(4501), UnknownErrorCode(1000)]
    code = (
        "import pickle, sys\n"
        "values = pickle.loads(sys.stdin.buffer.read())\n"
        "import centrifugo_protocol as c\n"
        "print(values[0] is c.ErrorCode.INTERNAL, values[1] is c.DisconnectCode.NO_PONG, values[2:])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(values), capture_output=True, timeout=60, check=False
    )
    assert result.stdout.decode().strip() == "True True [UnknownDisconnectCode(4501), UnknownErrorCode(1000)]", (
        result.stderr
    )


# --- The wire exceptions ------------------------------------------------------------------


@pytest.fixture(params=["ReplyError", "ApiError"])
def error(request: pytest.FixtureRequest) -> ReplyError | ApiError:
    # A fresh error for every test, and every run of a test: some of them add notes or
    # rewrite args, and mutmut runs a test more than once in a process.
    if request.param == "ReplyError":
        return ReplyError(111, "too many requests", True)
    return ApiError(104, "not found")


def test_exception_payloads_are_frozen(error: ReplyError | ApiError) -> None:
    before = (error.code, error.message, str(error), repr(error), error.args)
    for name in ("_code", "_message", "_temporary", "code", "message"):
        with pytest.raises(AttributeError):
            setattr(error, name, 1)
    for name in ("_code", "_message", "_temporary"):
        with pytest.raises(AttributeError):
            delattr(error, name)
    with pytest.raises(TypeError, match="immutable; it cannot be initialized again"):
        error.__init__(1, "changed")  # type: ignore[misc]
    assert (error.code, error.message, str(error), repr(error), error.args) == before
    if isinstance(error, ReplyError):
        assert error.temporary is True


def test_exceptions_still_work_as_exceptions(error: ReplyError | ApiError) -> None:
    try:
        try:
            raise KeyError("cause")
        except KeyError as cause:
            raise error from cause
    except type(error) as caught:
        assert caught is error
        assert caught.__traceback__ is not None
        assert isinstance(caught.__cause__, KeyError)
    if sys.version_info >= (3, 11):
        error.add_note("while subscribing to news")
        assert error.__notes__ == ["while subscribing to news"]
    error.__traceback__ = None
    assert error.with_traceback(None) is error
    error.context = "anything"
    delattr(error, "context")
    assert not hasattr(error, "context")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert (again.code, again.message, again.args) == (error.code, error.message, error.args)
    assert copy.copy(error).code == error.code


def test_a_pickled_exception_keeps_its_notes(error: ReplyError | ApiError) -> None:
    error.notes = ["while subscribing to news"]
    if sys.version_info >= (3, 11):
        error.add_note("while subscribing to news")
        assert pickle.loads(pickle.dumps(error)).__notes__ == ["while subscribing to news"]
    assert getattr(pickle.loads(pickle.dumps(error)), "notes", None) == ["while subscribing to news"]


def test_a_pickled_exception_is_the_frozen_payload(error: ReplyError | ApiError) -> None:
    code, message = error.code, error.message
    error.args = (999, "rewritten")
    again = pickle.loads(pickle.dumps(error))
    assert (again.code, again.message) == (code, message)

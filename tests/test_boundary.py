# pyright: reportPrivateUsage=false
"""The boundary rule, tried as an attacker would.

Outside values cross one boundary and are read there as exact built-ins, their types
included: nothing a value's class or metaclass defines runs. Answers never depend on
the caller's stack or on ``sys.set_int_max_str_digits()``, and shared answers cannot
be changed for every caller where the package can close them.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest

from centrifugo_protocol import (
    ApiErrorCode,
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    SubscribingCode,
    UnsubscribeCode,
    UnsubscribedCode,
    classify,
    wire,
)

FAMILIES: list[Any] = [
    ErrorCode,
    UnsubscribeCode,
    DisconnectCode,
    ApiErrorCode,
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnsubscribedCode,
    ClientErrorCode,
]


class _Ran(Exception):
    """Raised by the hostile metaclasses: if it escapes, their code ran."""


class _EqMeta(type):
    def __eq__(cls, other: object) -> bool:
        raise _Ran("metaclass __eq__ ran")

    __hash__ = type.__hash__


class _HashMeta(type):
    def __hash__(cls) -> int:
        raise _Ran("metaclass __hash__ ran")

    __eq__ = type.__eq__


class _EqType(metaclass=_EqMeta):
    pass


class _HashType(metaclass=_HashMeta):
    pass


class _EqInt(int, metaclass=_EqMeta):
    pass


HOSTILE: list[Callable[[], object]] = [_EqType, _HashType, lambda: _EqInt(7)]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__)
@pytest.mark.parametrize("make", HOSTILE[:2], ids=["eq", "hash"])
def test_lookup_runs_no_metaclass_code(family: Any, make: Callable[[], object]) -> None:
    value = make()
    with pytest.raises(
        TypeError, match=rf"{family.__name__}\.lookup\(\) expects an int code, got <{type(value).__name__} object>"
    ):
        family.lookup(value)


def test_lookup_reads_an_int_with_a_hostile_metaclass_as_its_value() -> None:
    assert DisconnectCode.lookup(_EqInt(3012)) is DisconnectCode.NO_PONG


WIRE_TYPES: list[Any] = [wire.ReplyError, wire.ApiError, wire.Disconnect, wire.Unsubscribe]


@pytest.mark.parametrize("kind", WIRE_TYPES, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("make", HOSTILE[:2], ids=["eq", "hash"])
def test_from_json_runs_no_metaclass_code(kind: Any, make: Callable[[], object]) -> None:
    value = make()
    name = type(value).__name__
    text = "reason" if kind in (wire.Disconnect, wire.Unsubscribe) else "message"
    for payload, field in [(value, None), ({"code": value}, "code"), ({"code": 3000, text: value}, text)]:
        with pytest.raises(wire.WireFormatError) as caught:
            kind.from_json(payload)
        message = str(caught.value)
        assert f"<{name} object>" in message
        assert field is None or f"'{field}'" in message


# --- A deep stack ------------------------------------------------------------------------


def _at_headroom(frames: int, call: Callable[[], object]) -> object:
    """Call ``call`` with about ``frames`` frames left before the recursion limit."""
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back
    remaining = sys.getrecursionlimit() - depth - frames

    def down(n: int) -> object:
        return call() if n <= 0 else down(n - 1)

    return down(remaining)


def _nested(depth: int, reconnect: str) -> str:
    return '{"reason": "go away", "reconnect": ' + reconnect + ', "x": ' + "[" * depth + "]" * depth + "}"


def _answers(code: int, reason: str, headrooms: Iterator[int]) -> list[object]:
    answers: list[object] = []
    for frames in headrooms:
        try:
            answers.append(_at_headroom(frames, lambda: classify.on_close(code, reason)))
        except RecursionError:  # the caller's own stack ran out: no answer, none remembered
            continue
    answers.append(classify.on_close(code, reason))
    return answers


def test_deeply_nested_advice_gets_one_answer_at_any_stack_depth() -> None:
    reason = _nested(100, "false")
    answers = _answers(3000, reason, iter([40, 60, 90, 150, 400]))
    assert len(set(answers)) == 1, answers
    # Nested that deep, it is not protocol v1 advice: 3000 reconnects as a disconnect.
    assert answers[-1] == classify.on_disconnect(3000, reason)
    assert classify.on_close(3000, reason).state is classify.ClientState.CONNECTING


def test_shallow_advice_from_a_deep_stack_is_never_remembered_wrong() -> None:
    reason = _nested(2, "false")
    answers = _answers(3000, reason, iter([3, 6, 10, 20, 40, 60]))
    assert len(set(answers)) == 1, answers
    found: Any = answers[-1]
    assert (found.state, found.code, found.reason) == (classify.ClientState.DISCONNECTED, 3000, "go away")


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6, 7, 8])
def test_advice_within_the_nesting_limit_is_read(depth: int) -> None:
    assert classify._ADVICE_MAX_DEPTH == 8
    reason = '{"reconnect": false, "reason": "r", "x": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
    if depth == 1:
        reason = '{"reconnect": false, "reason": "r"}'
    assert classify.on_close(1000, reason).state is classify.ClientState.DISCONNECTED


@pytest.mark.parametrize(
    "reason",
    [
        '{"reconnect": false, "x": [[[[[[[[]]]]]]]]}',  # 9 levels
        '{"reconnect": false, "x": [{"a": [{"b": [{"c": [{}]}]}]}]}',  # 9 levels, mixed
        '{"reconnect": false, "x": "[[[[[[[[[[[[", "y": [[[[[[[]]]]]]]}',  # 8: brackets in strings do not count
    ],
)
def test_advice_nesting_is_bounded_and_strings_do_not_count(reason: str) -> None:
    state = classify.on_close(1000, reason).state
    within = reason.endswith("[[[[[[[]]]]]]]}")
    assert state is (classify.ClientState.DISCONNECTED if within else classify.ClientState.CONNECTING)


def test_a_string_left_open_is_not_advice() -> None:
    assert classify.on_close(3000, '{"reconnect": false, "reason": "x').state is classify.ClientState.CONNECTING
    assert classify.on_close(3000, '{"reconnect": false, "reason": "x\\').state is classify.ClientState.CONNECTING


def test_escaped_quotes_in_advice_strings_are_read_as_strings() -> None:
    reason = r'{"reason": "a \" [[[[[[[[[[ b", "reconnect": false}'
    found = classify.on_close(3000, reason)
    assert found.state is classify.ClientState.DISCONNECTED
    assert found.reason == 'a " [[[[[[[[[[ b'


# --- Huge ints under a digit limit -------------------------------------------------------


@pytest.fixture
def digit_limit() -> Iterator[None]:
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(before)


def _abbreviated(number: int) -> str:
    """The documented rendering, computed with no digit limit in force."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        digits = str(abs(number))
    finally:
        sys.set_int_max_str_digits(before)
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[:20]}...{digits[-10:]} (an int of {len(digits):,} digits)"


@pytest.mark.parametrize(
    "number", [10**700, 10**700 - 1, -(10**700), 7 * 10**3000 + 12345, 2**2127, 2**12000 - 1, 10**641]
)
def test_a_huge_int_gets_the_documented_message_under_a_digit_limit(number: int, digit_limit: None) -> None:
    with pytest.raises(ValueError) as caught:
        DisconnectCode.lookup(number)
    assert str(caught.value) == (
        f"DisconnectCode.lookup() expects a code in 0..4294967295 (uint32), got {_abbreviated(number)}"
    )


def test_huge_ints_beyond_the_exact_size_are_described_under_a_digit_limit(digit_limit: None) -> None:
    with pytest.raises(ValueError, match=r"got <int of about 5,000 digits>$"):
        DisconnectCode.lookup(10**5000)


def test_a_huge_int_in_a_payload_gets_the_wire_error_under_a_digit_limit(digit_limit: None) -> None:
    with pytest.raises(wire.WireFormatError, match=r"\(an int of 701 digits\)$"):
        wire.Disconnect.from_json({"code": 10**700})


# --- Shared answers ----------------------------------------------------------------------


def _instance_dict(member: object) -> dict[str, object]:
    return vars(member)


def test_an_instance_dict_cannot_change_a_member_flag() -> None:
    member = ErrorCode.INTERNAL
    vars(member)["_temporary"] = False
    vars(member)["_message"] = "changed"
    vars(member)["_description"] = "changed"
    try:
        found = ErrorCode.lookup(100)
        assert isinstance(found, ErrorCode)
        assert found.temporary is True
        assert found.default_temporary is True
        assert found.message == "internal server error"
        assert found.description != "changed"
    finally:
        for name in ("_temporary", "_message", "_description"):
            vars(member).pop(name, None)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__)
def test_no_family_reads_its_fields_from_the_instance_dict(family: Any) -> None:
    for member in family:
        for name in ("_description", "_message", "_reason", "_temporary", "_http_status", "_grpc_status"):
            if name[1:] not in dir(family) and name != "_description":
                continue
            before = getattr(member, name[1:])
            _instance_dict(member)[name] = object()
            try:
                assert getattr(member, name[1:]) == before
            finally:
                _instance_dict(member).pop(name, None)


def test_the_field_tables_are_read_only() -> None:
    field = type(ErrorCode).__getattribute__(ErrorCode, "__dict__")["_temporary"]
    with pytest.raises(TypeError):
        field._values[100] = False
    with pytest.raises(AttributeError):
        field._values = {100: False}
    with pytest.raises(AttributeError):
        ErrorCode.INTERNAL._temporary = False
    with pytest.raises(AttributeError):
        del ErrorCode.INTERNAL._temporary
    # Even object's own setattr and delattr, which pass the family's guards, meet the field.
    with pytest.raises(AttributeError, match=r"ErrorCode members are immutable; cannot set '_temporary'"):
        object.__setattr__(ErrorCode.INTERNAL, "_temporary", False)
    with pytest.raises(AttributeError, match=r"ErrorCode members are immutable; cannot delete '_temporary'"):
        object.__delattr__(ErrorCode.INTERNAL, "_temporary")
    assert ErrorCode._temporary is field
    assert ErrorCode.INTERNAL.temporary is True


def test_a_member_code_is_its_int_value() -> None:
    vars(DisconnectCode.NO_PONG)["_value_"] = 1
    try:
        assert DisconnectCode.NO_PONG.code == 3012
    finally:
        vars(DisconnectCode.NO_PONG)["_value_"] = 3012


STATES: list[enum.Enum] = [*classify.ClientState, *classify.SubscriptionState]


@pytest.mark.parametrize("state", STATES, ids=str)
@pytest.mark.parametrize("name", ["_value_", "_name_", "anything"])
def test_state_enums_are_sealed(state: enum.Enum, name: str) -> None:
    before = str(state)
    with pytest.raises(AttributeError, match="immutable"):
        setattr(state, name, "disconnected")
    if name != "anything":
        with pytest.raises(AttributeError, match="immutable"):
            delattr(state, name)
    assert str(state) == before
    assert state.value == before

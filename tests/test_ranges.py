"""The range constants against the spec, and the helpers every entry point shares."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol as cp
from centrifugo_protocol._ranges import check_code, check_flag, check_text, show

from . import spec


def bounds(codes: range) -> tuple[int, int]:
    return codes.start, codes.stop - 1


def test_ranges_are_the_spec_ranges() -> None:
    assert cp.MAX_CODE == spec.UINT32_MAX
    assert bounds(cp.CLIENT_SIDE_ERROR_CODES) == (0, 99)
    assert bounds(cp.SERVER_ERROR_CODES) == (100, 399)
    assert bounds(cp.APP_ERROR_CODES) == (400, 1999)
    assert bounds(cp.UNSUBSCRIBE_CODES) == (2000, 2999)
    assert cp.MIN_RESUBSCRIBE_CODE == 2500
    assert bounds(cp.TRANSPORT_CLOSE_CODES) == (0, 2999)
    assert bounds(cp.SERVER_RECONNECT_DISCONNECT_CODES) == (3000, 3499)
    assert bounds(cp.SERVER_TERMINAL_DISCONNECT_CODES) == (3500, 3999)
    assert bounds(cp.APP_RECONNECT_DISCONNECT_CODES) == (4000, 4499)
    assert bounds(cp.APP_TERMINAL_DISCONNECT_CODES) == (4500, 4999)
    assert cp.MAX_DISCONNECT_REASON_BYTES == 32


@given(code=st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_terminal_bands_are_exactly_where_the_rule_stops(code: int) -> None:
    terminal = code in cp.SERVER_TERMINAL_DISCONNECT_CODES or code in cp.APP_TERMINAL_DISCONNECT_CODES
    assert terminal is (not spec.reconnects(code))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2**64 - 1, "18446744073709551615"),
        (2**64, "<int of 65 bits>"),
        (-(2**64), "-<int of 65 bits>"),
        (-(2**64) + 1, "-18446744073709551615"),
        (True, "True"),
        # Strings, bytes and long ints inside containers are cut at 60 characters.
        ("x" * 58, "'" + "x" * 58 + "'"),
        ("x" * 59, "'" + "x" * 27 + "..." + "x" * 28 + "'"),
        (b"y" * 57, "b'" + "y" * 57 + "'"),
        (b"y" * 58, "b'" + "y" * 26 + "..." + "y" * 28 + "'"),
        ([10**59], "[1" + "0" * 59 + "]"),
        ([10**60], "[1" + "0" * 27 + "..." + "0" * 29 + "]"),
        # Nesting is shown three levels deep.
        ([[[1]]], "[[[1]]]"),
        ([[[[1]]]], "[[[[...]]]]"),
        # A value whose repr fails is named by its type.
        ([2**100000], "<list object>"),
    ],
)
def test_show_renders_bad_values_briefly(value: object, shown: str) -> None:
    assert show(value) == shown


def test_show_caps_the_total_length_at_120() -> None:
    exactly = ["a" * 56, "b" * 56]
    assert len(repr(exactly)) == 120
    assert show(exactly) == repr(exactly)
    over = ["a" * 56, "b" * 57]
    assert show(over) == repr(over)[:117] + "..."
    assert len(show(over)) == 120


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: check_code("1", "f()"), TypeError, "f() expects an int code, got '1' (str)"),
        (lambda: check_code(-1, "f()"), ValueError, "f() expects a code in 0..4294967295 (uint32), got -1"),
        (lambda: check_text(1, "f()", "reason"), TypeError, "f() expects reason to be a str, got 1 (int)"),
        (lambda: check_flag("yes", "f()", "temporary"), TypeError, "f() expects temporary to be a bool, got 'yes' (str)"),
    ],
)
def test_checks_name_the_value_and_what_was_expected(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        call()  # type: ignore[operator]  # pyright: ignore[reportCallIssue]
    assert str(caught.value) == message


def test_checks_return_plain_values() -> None:
    assert type(check_code(cp.DisconnectCode.NO_PONG, "f()")) is int
    assert check_code(0, "f()") == 0 and check_code(spec.UINT32_MAX, "f()") == spec.UINT32_MAX
    assert check_text("", "f()", "x") == ""
    assert check_flag(False, "f()", "x") is False

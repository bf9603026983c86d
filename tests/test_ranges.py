"""The range constants against the spec, and the helpers every entry point shares."""

from __future__ import annotations

import math
import re
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol as cp
from centrifugo_protocol._ranges import check_code, check_flag, check_text, exact_int, exact_str, show, type_name

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
    assert cp.MAX_DISCONNECT_REASON_BYTES == spec.MAX_DISCONNECT_REASON_CHARS
    assert cp.MAX_CLOSE_REASON_BYTES == spec.MAX_CLOSE_REASON_BYTES == 123
    assert {"MAX_CLOSE_REASON_BYTES", "MAX_DISCONNECT_REASON_BYTES"} <= set(cp.__all__)


@given(code=st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_terminal_bands_are_exactly_where_the_rule_stops(code: int) -> None:
    terminal = code in cp.SERVER_TERMINAL_DISCONNECT_CODES or code in cp.APP_TERMINAL_DISCONNECT_CODES
    assert terminal is (not spec.reconnects(code))


SEVENTY_DIGITS = int("1234567890" * 7)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # Ints of up to 60 digits are shown in full, whatever their size in bits.
        (2**64 - 1, "18446744073709551615"),
        (2**64, "18446744073709551616"),
        (-(2**64), "-18446744073709551616"),
        (10**59, "1" + "0" * 59),
        (-(10**59), "-1" + "0" * 59),
        # Longer: the first 20 digits, the last 10, and the count.
        (10**60, "1" + "0" * 19 + "..." + "0" * 10 + " (an int of 61 digits)"),
        (SEVENTY_DIGITS, "12345678901234567890...1234567890 (an int of 70 digits)"),
        (-SEVENTY_DIGITS, "-12345678901234567890...1234567890 (an int of 70 digits)"),
        (10**3000, "1" + "0" * 19 + "..." + "0" * 10 + " (an int of 3,001 digits)"),
        (True, "True"),
        (False, "False"),
        (None, "None"),
        (1.5, "1.5"),
        (float("nan"), "nan"),
        # Texts and bytes: up to 60 characters in full, longer ones cut with their size.
        ("x" * 60, "'" + "x" * 60 + "'"),
        ("x" * 61, "'" + "x" * 60 + "'... (61 in all)"),
        ("é" * 2000, "'" + "é" * 60 + "'... (2,000 in all)"),
        (b"y" * 60, "b'" + "y" * 60 + "'"),
        (b"y" * 61, "b'" + "y" * 60 + "'... (61 in all)"),
        (bytearray(b"z" * 100), "b'" + "z" * 60 + "'... (100 in all)"),
        # Small built-in containers by their first items.
        ([1, "a"], "[1, 'a']"),
        ([1, 2, 3, 4, 5, 6], "[1, 2, 3, 4, ... (6 items)]"),
        ((1,), "(1,)"),
        ({"code": 1}, "{'code': 1}"),
        ([10**60], "[1" + "0" * 19 + "...0000000000 (an int of 61 digits)]"),
    ],
    ids=lambda value: show(value)[:30],
)
def test_show_renders_bad_values_briefly(value: object, shown: str) -> None:
    assert show(value) == shown


def digits_of(number: int) -> int:
    """Decimal digits of a positive int, without converting it to decimal."""
    guess = int(number.bit_length() * math.log10(2))
    return guess + 1 if number >= 10**guess else guess


@pytest.mark.parametrize(
    "number",
    [2**12_001, 10**5000, 3**30_000, 2**100_000, 2**1_000_000 - 1],
    ids=["2**12001", "10**5000", "3**30000", "2**100000", "2**1000000-1"],
)
@pytest.mark.parametrize("sign", [1, -1])
def test_show_only_sizes_up_ints_too_long_to_convert(number: int, sign: int) -> None:
    shown = show(sign * number)
    found = re.fullmatch(r"(-?)<int of about ([0-9,]+) digits>", shown)
    assert found is not None, shown
    assert found.group(1) == ("-" if sign < 0 else "")
    assert abs(int(found.group(2).replace(",", "")) - digits_of(number)) <= 1


def test_show_has_no_rendering_that_fails() -> None:
    # 2**100000 has more digits than str() converts by default; show never needs them.
    assert show([2**100_000]).startswith("[<int of about 30,1")
    assert show({"code": -(2**100_000)}).startswith("{'code': -<int of about")


@pytest.mark.parametrize("size", [50_000_000])
@pytest.mark.parametrize("kind", [bytes, bytearray, str])
def test_show_renders_a_huge_value_cheaply(kind: type, size: int) -> None:
    value = kind(b"x" * size) if kind is not str else "x" * size
    tracemalloc.start()
    try:
        shown = show(value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(shown) < 100
    assert shown.endswith("... (50,000,000 in all)")
    assert peak < 5_000_000


# show() cuts each text at 60 characters and shows at most four items of a container,
# two levels deep, and cuts the whole at 160 characters: 60 characters that repr()
# escapes as \U0010ffff would otherwise take 600 each, and nested containers multiply
# that.
SHOW_LIMIT = 160


def nested(depth: int) -> object:
    value: object = "\U0010ffff" * 1000
    for _ in range(depth):
        value = [value, value, value, value, value]
    return value


@pytest.mark.parametrize("depth", [1, 2, 3, 10, 500])
def test_show_is_bounded_in_depth_and_length(depth: int) -> None:
    assert len(show(nested(depth))) <= SHOW_LIMIT


anything_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.binary()),
    lambda inner: st.one_of(
        st.lists(inner), st.tuples(inner, inner), st.dictionaries(st.text(), inner), st.frozensets(st.integers())
    ),
    max_leaves=50,
)


@given(value=anything_json)
def test_show_always_answers_briefly(value: object) -> None:
    assert len(show(value)) <= SHOW_LIMIT


def test_the_longest_rendering_the_rules_allow() -> None:
    text = "\U0010ffff" * 61
    inner = {text + str(i): text for i in range(5)}
    worst = show({text + str(i): inner for i in range(5)})
    assert len(worst) == SHOW_LIMIT
    assert worst.startswith("{'\\U0010ffff") and worst.endswith("...")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: check_code("1", "f()"), TypeError, "f() expects an int code, got '1' (str)"),
        (lambda: check_code(-1, "f()"), ValueError, "f() expects a code in 0..4294967295 (uint32), got -1"),
        (lambda: check_text(1, "f()", "reason"), TypeError, "f() expects reason to be a str, got 1 (int)"),
        (
            lambda: check_flag("yes", "f()", "temporary"),
            TypeError,
            "f() expects temporary to be a bool, got 'yes' (str)",
        ),
        (
            lambda: check_flag(None, "f()", "temporary"),
            TypeError,
            "f() expects temporary to be a bool, got None (NoneType)",
        ),
        (
            lambda: check_code(2**64, "f()"),
            ValueError,
            "f() expects a code in 0..4294967295 (uint32), got 18446744073709551616",
        ),
        (
            lambda: check_code(-(10**60), "f()"),
            ValueError,
            "f() expects a code in 0..4294967295 (uint32), got -10000000000000000000...0000000000 (an int of 61 digits)",
        ),
        (
            lambda: check_text(b"x" * 100, "f()", "reason"),
            TypeError,
            f"f() expects reason to be a str, got b'{'x' * 60}'... (100 in all) (bytes)",
        ),
        (lambda: check_code(object(), "f()"), TypeError, "f() expects an int code, got <object object> (object)"),
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


class Number(int):
    pass


class Text(str):
    pass


def test_exact_values_are_plain_built_ins() -> None:
    assert exact_int(5) == 5
    assert type(exact_int(Number(5))) is int and exact_int(Number(5)) == 5
    assert exact_int(cp.DisconnectCode.NO_PONG) == 3012 and type(exact_int(cp.DisconnectCode.NO_PONG)) is int
    for not_int in (True, False, 5.0, "5", None, b"5"):
        assert exact_int(not_int) is None
    assert exact_str("x") == "x"
    assert type(exact_str(Text("x"))) is str and exact_str(Text("x")) == "x"
    for not_str in (b"x", 1, None, ["x"]):
        assert exact_str(not_str) is None


def test_type_name_is_the_class_name() -> None:
    assert type_name(1) == "int"
    assert type_name(Text("x")) == "Text"
    assert type_name(None) == "NoneType"


def test_checks_return_exact_values_of_subclasses() -> None:
    assert type(check_code(Number(3012), "f()")) is int
    assert type(check_text(Text("x"), "f()", "reason")) is str
    with pytest.raises(ValueError, match=r"got 4294967296$"):
        check_code(Number(2**32), "f()")
    with pytest.raises(TypeError, match=r"^f\(\) expects an int code, got True \(bool\)$"):
        check_code(True, "f()")

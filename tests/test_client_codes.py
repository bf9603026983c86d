"""The client-side code families against the spec, their lookup() and their unknown codes."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol
from centrifugo_protocol import (
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    SubscribingCode,
    UnknownClientErrorCode,
    UnknownConnectingCode,
    UnknownDisconnectCode,
    UnknownDisconnectedCode,
    UnknownErrorCode,
    UnknownSubscribingCode,
    UnknownUnsubscribedCode,
    UnsubscribedCode,
)

from . import spec

StateFamily = type[ConnectingCode] | type[DisconnectedCode] | type[SubscribingCode] | type[UnsubscribedCode]
Family = StateFamily | type[ClientErrorCode]
# family, its unknown type, and the spec's codes for it
FAMILIES: list[tuple[Family, type[Any], set[int]]] = [
    (ConnectingCode, UnknownConnectingCode, set(spec.CLIENT_STATE_CODES["ConnectingCode"])),
    (DisconnectedCode, UnknownDisconnectedCode, set(spec.CLIENT_STATE_CODES["DisconnectedCode"])),
    (SubscribingCode, UnknownSubscribingCode, set(spec.CLIENT_STATE_CODES["SubscribingCode"])),
    (UnsubscribedCode, UnknownUnsubscribedCode, set(spec.CLIENT_STATE_CODES["UnsubscribedCode"])),
    (ClientErrorCode, UnknownClientErrorCode, set(spec.CLIENT_ERROR_CODES)),
]
STATE_FAMILIES = FAMILIES[:4]
ids = [family.__name__ for family, _, _ in FAMILIES]
state_ids = ids[:4]
UNKNOWNS = [unknown for _, unknown, _ in FAMILIES]
codes = st.integers(min_value=0, max_value=spec.UINT32_MAX)

# Written out from the spec: client-side codes are 0-99; error events agree on 1-12.
CLIENT_SIDE = range(100)


def first_unknown(known: set[int]) -> int:
    return next(code for code in CLIENT_SIDE if code not in known)


# --- Members against the spec ------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "code", "name", "reason"),
    [
        (family, code, name, reason)
        for family in (ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode)
        for code, (name, reason) in sorted(spec.CLIENT_STATE_CODES[family.__name__].items())
    ],
)
def test_state_member_matches_spec(family: StateFamily, code: int, name: str, reason: str) -> None:
    # A reason is the member's name in words, except DisconnectedCode 3's (see spec.py).
    member = family[name]
    assert member.code == code
    assert type(member.code) is int
    assert member.description[0].isupper()
    assert member.reason == reason


@pytest.mark.parametrize(("code", "name"), sorted(spec.CLIENT_ERROR_CODES.items()))
def test_client_error_member_matches_spec(code: int, name: str) -> None:
    member = ClientErrorCode[name]
    assert member.code == code
    assert not hasattr(member, "reason")


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_family_holds_exactly_the_spec_codes(family: Family, unknown: type[Any], known: set[int]) -> None:
    assert {member.code for member in family} == known
    assert len(family.__members__) == len(known)


# --- lookup() ----------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_lookup_returns_the_member_for_every_spec_code(family: Family, unknown: type[Any], known: set[int]) -> None:
    for code in known:
        assert family.lookup(code) is family(code)


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
@given(code=codes)
def test_lookup_accepts_every_uint32(family: Family, unknown: type[Any], known: set[int], code: int) -> None:
    found = family.lookup(code)
    assert found.code == code
    assert type(found.code) is int
    if code in known:
        assert type(found) is family
    else:
        assert type(found) is unknown
        assert found == unknown(code)
        assert not isinstance(found, int)
        assert found is family.lookup(code)  # memoized: the same object again


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_lookup_bounds(family: Family, unknown: type[Any], known: set[int]) -> None:
    for code in (99, 100, spec.UINT32_MAX):
        assert family.lookup(code) == unknown(code)
    assert family.lookup(1) is family(1)


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_lookup_reads_int_subclasses_as_their_number(family: Family, unknown: type[Any], known: set[int]) -> None:
    class Number(int):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = int.__hash__

    assert family.lookup(Number(1)) is family(1)
    assert family.lookup(DisconnectCode.NO_PONG) == unknown(3012)
    assert type(family.lookup(Number(500)).code) is int


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
@pytest.mark.parametrize(
    ("bad", "shown", "type_name"),
    [
        ("1", "'1'", "str"),
        (1.0, "1.0", "float"),
        (True, "True", "bool"),
        (False, "False", "bool"),
        (None, "None", "NoneType"),
        (b"1", "b'1'", "bytes"),
    ],
)
def test_lookup_rejects_non_ints(
    family: Family, unknown: type[Any], known: set[int], bad: object, shown: str, type_name: str
) -> None:
    with pytest.raises(TypeError) as caught:
        family.lookup(bad)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value) == f"{family.__name__}.lookup() expects an int code, got {shown} ({type_name})"


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
@pytest.mark.parametrize(
    "bad", [-1, spec.UINT32_MAX + 1, -(2**70), 2**100_000], ids=["-1", "2**32", "-2**70", "2**100000"]
)
def test_lookup_rejects_ints_outside_uint32(family: Family, unknown: type[Any], known: set[int], bad: int) -> None:
    with pytest.raises(
        ValueError, match=rf"^{family.__name__}\.lookup\(\) expects a code in 0\.\.4294967295 \(uint32\)"
    ):
        family.lookup(bad)


# --- Unknown objects ---------------------------------------------------------------------


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_unknown_value_objects(family: Family, unknown: type[Any], known: set[int]) -> None:
    number = first_unknown(known)
    a, b, c = unknown(number), unknown(number), unknown(5000)
    assert a == b and hash(a) == hash(b) and {a, b, c} == {a, c}
    assert a != c
    assert a != number and number != a  # an answer about a code, not a code
    assert not isinstance(a, int)
    assert repr(a) == f"{unknown.__name__}({number})"
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.copy(a) == a and copy.deepcopy(a) == a
    assert a.code == number


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_unknown_objects_are_immutable(family: Family, unknown: type[Any], known: set[int]) -> None:
    value = unknown(50)
    for name in ("code", "_code", "description", "anything_else"):
        with pytest.raises(AttributeError):
            setattr(value, name, 1)
    with pytest.raises(AttributeError):
        del value._code
    assert value.code == 50


@pytest.mark.parametrize(("family", "unknown", "known"), FAMILIES, ids=ids)
def test_unknown_refuses_a_known_code_and_bad_codes(family: Family, unknown: type[Any], known: set[int]) -> None:
    code = min(known)
    with pytest.raises(ValueError, match=rf"^{unknown.__name__}\(\) got {code}, which is the known code"):
        unknown(code)
    with pytest.raises(TypeError, match=rf"^{unknown.__name__}\(\) expects an int code, got True \(bool\)"):
        unknown(True)
    with pytest.raises(ValueError, match="uint32"):
        unknown(-1)


def test_unknowns_of_different_families_are_never_equal() -> None:
    values = [unknown(50) for unknown in UNKNOWNS] + [UnknownErrorCode(50), UnknownDisconnectCode(50)]
    assert len(set(values)) == len(values)
    for i, left in enumerate(values):
        for right in values[i + 1 :]:
            assert left != right


@pytest.mark.parametrize(("family", "unknown", "known"), STATE_FAMILIES, ids=state_ids)
def test_unknown_state_codes_carry_no_reason(family: Family, unknown: type[Any], known: set[int]) -> None:
    # The SDK's event carries the reason; an unknown code makes none up (documented choice).
    assert not hasattr(unknown(first_unknown(known)), "reason")
    assert not hasattr(unknown(5000), "reason")


def test_unknowns_match_by_class_keyword_and_position() -> None:
    seen: list[int] = []
    for value in (ConnectingCode.lookup(42), ConnectingCode.lookup(2)):
        match value:
            case UnknownConnectingCode(code=number):
                seen.append(number)
            case ConnectingCode():
                seen.append(-value.code)
        match value:
            case UnknownConnectingCode(number):
                seen.append(number)
            case _:
                pass
    assert seen == [42, 42, -2]


# --- Descriptions ------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "unknown", "known"), STATE_FAMILIES, ids=state_ids)
@given(code=codes)
def test_unknown_state_descriptions_name_the_range(
    family: Family, unknown: type[Any], known: set[int], code: int
) -> None:
    if code in known:
        return
    text: str = unknown(code).description
    event = family.__name__.removesuffix("Code").lower()
    if code in CLIENT_SIDE:
        assert text.startswith("A client-side code (0-99) that no official SDK reports with ")
        assert event in text
        assert "the reason it reported says why" in text
    else:
        assert text.startswith("Not a client-side code (those are 0-99). ")
        assert f"events.{event}()" in text


@pytest.mark.parametrize(
    ("unknown", "words"),
    [
        (UnknownConnectingCode, ["from 100 to 2999", "from 3000 up", "ErrorCode or DisconnectCode"]),
        (UnknownDisconnectedCode, ["from 100 to 2999", "from 3000 up", "ErrorCode or DisconnectCode"]),
        (UnknownSubscribingCode, ["from 100 up as an UnsubscribeCode"]),
        (UnknownUnsubscribedCode, ["from 100 to 1999", "from 2000 up", "ErrorCode or UnsubscribeCode"]),
        (UnknownClientErrorCode, ["From 100 up", "reads such codes as ErrorCode"]),
    ],
)
def test_descriptions_outside_0_99_name_the_server_ranges(unknown: type[Any], words: list[str]) -> None:
    for code in (100, 2999, 3000, spec.UINT32_MAX):
        text: str = unknown(code).description
        assert all(word in text for word in words), text


@pytest.mark.parametrize("code", [13, 14, 15, 16, 99])
def test_client_error_description_from_13_says_sdks_disagree(code: int) -> None:
    text = UnknownClientErrorCode(code).description
    assert "13-99" in text and "agree only on 1-12" in text
    assert "centrifuge-js uses 13 for getting a subscription's state and 14 for a shared poll signature" in text
    assert "centrifuge-python uses 13 for connect errors, 14 for subscribe errors and 15" in text


def test_client_error_description_of_0() -> None:
    assert "0, which no official SDK uses" in UnknownClientErrorCode(0).description


@given(code=codes)
def test_every_unknown_description_is_a_sentence(code: int) -> None:
    for family, unknown, known in FAMILIES:
        if code not in known:
            text: str = family.lookup(code).description
            assert isinstance(family.lookup(code), unknown)
            assert text[0].isupper() and text.endswith(".") and len(text) > 60


# --- The package's surface ----------------------------------------------------------------


def test_unknown_client_codes_are_exported_lazily() -> None:
    names = {unknown.__name__ for unknown in UNKNOWNS}
    assert names <= set(centrifugo_protocol.__all__)
    for unknown in UNKNOWNS:
        assert getattr(centrifugo_protocol, unknown.__name__) is unknown

"""centrifugo_protocol.events against rules written out here from the spec.

The ranges below are typed out from the upstream sources (centrifuge v0.38
disconnect.go and unsubscribe.go, centrifuge-js 5.7.4 src/codes.ts), not imported from
the package's range constants, so a wrong bound in either shows up.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import typing
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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

from . import spec

codes = st.integers(min_value=0, max_value=spec.UINT32_MAX)

# --- The independent rules -----------------------------------------------------------------

# family -> (its unknown type, the codes the spec lists for it)
FAMILY_FACTS: dict[type[Any], tuple[type[Any], set[int]]] = {
    ConnectingCode: (UnknownConnectingCode, set(spec.CLIENT_STATE_CODES["ConnectingCode"])),
    DisconnectedCode: (UnknownDisconnectedCode, set(spec.CLIENT_STATE_CODES["DisconnectedCode"])),
    SubscribingCode: (UnknownSubscribingCode, set(spec.CLIENT_STATE_CODES["SubscribingCode"])),
    UnsubscribedCode: (UnknownUnsubscribedCode, set(spec.CLIENT_STATE_CODES["UnsubscribedCode"])),
    ClientErrorCode: (UnknownClientErrorCode, set(spec.CLIENT_ERROR_CODES)),
    ErrorCode: (UnknownErrorCode, set(spec.ERRORS)),
    UnsubscribeCode: (UnknownUnsubscribeCode, set(spec.UNSUBSCRIBES)),
    DisconnectCode: (UnknownDisconnectCode, set(spec.DISCONNECTS)),
}


def family_for(event: str, code: int) -> type[Any]:
    """Which family an event's code belongs to, by the ranges centrifuge-js fills in."""
    if event == "connecting":
        return ConnectingCode if code <= 99 else ErrorCode if code <= 2999 else DisconnectCode
    if event == "disconnected":
        return DisconnectedCode if code <= 99 else ErrorCode if code <= 2999 else DisconnectCode
    if event == "subscribing":
        return SubscribingCode if code <= 99 else UnsubscribeCode
    if event == "unsubscribed":
        return UnsubscribedCode if code <= 99 else ErrorCode if code <= 1999 else UnsubscribeCode
    assert event == "error"
    return ClientErrorCode if code <= 99 else ErrorCode


def expected_type(event: str, code: int) -> type[Any]:
    family = family_for(event, code)
    unknown, known = FAMILY_FACTS[family]
    return family if code in known else unknown


FUNCTIONS: dict[str, Callable[[int], Any]] = {
    "connecting": events.connecting,
    "disconnected": events.disconnected,
    "subscribing": events.subscribing,
    "unsubscribed": events.unsubscribed,
    "error": events.error,
}
EVENTS = sorted(FUNCTIONS)
# Every bound the rules above have, with its neighbours.
BOUNDARIES = [0, 1, 98, 99, 100, 101, 1999, 2000, 2001, 2499, 2500, 2999, 3000, 3001, 4999, 5000, spec.UINT32_MAX]


# --- Every code ----------------------------------------------------------------------------


@pytest.mark.parametrize("event", EVENTS)
@given(code=codes)
def test_every_uint32_follows_the_rules(event: str, code: int) -> None:
    found = FUNCTIONS[event](code)
    assert type(found) is expected_type(event, code)
    assert found.code == code and type(found.code) is int
    family = family_for(event, code)
    assert found is family.lookup(code)  # the very object lookup() gives
    assert isinstance(found.description, str) and found.description


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("code", BOUNDARIES)
def test_boundaries(event: str, code: int) -> None:
    found = FUNCTIONS[event](code)
    assert type(found) is expected_type(event, code)
    assert found is family_for(event, code).lookup(code)


@pytest.mark.parametrize(
    ("event", "code", "expected"),
    [
        # spelled out, so the rules above are themselves checked against the brief
        ("connecting", 99, UnknownConnectingCode(99)),
        ("connecting", 100, ErrorCode.INTERNAL),
        ("connecting", 109, ErrorCode.TOKEN_EXPIRED),
        ("connecting", 2999, UnknownErrorCode(2999)),
        ("connecting", 3000, DisconnectCode.CONNECTION_CLOSED),
        ("connecting", 4000, UnknownDisconnectCode(4000)),
        ("disconnected", 3, DisconnectedCode.MESSAGE_SIZE_LIMIT),
        ("disconnected", 101, ErrorCode.UNAUTHORIZED),
        ("disconnected", 2500, UnknownErrorCode(2500)),
        ("disconnected", 3500, DisconnectCode.INVALID_TOKEN),
        ("disconnected", 4500, UnknownDisconnectCode(4500)),
        ("subscribing", 1, SubscribingCode.TRANSPORT_CLOSED),
        ("subscribing", 99, UnknownSubscribingCode(99)),
        ("subscribing", 100, UnknownUnsubscribeCode(100)),
        ("subscribing", 2500, UnsubscribeCode.INSUFFICIENT),
        ("subscribing", 2502, UnsubscribeCode.STATE_INVALIDATED),
        ("unsubscribed", 2, UnsubscribedCode.CLIENT_CLOSED),
        ("unsubscribed", 103, ErrorCode.PERMISSION_DENIED),
        ("unsubscribed", 1999, UnknownErrorCode(1999)),
        ("unsubscribed", 2000, UnsubscribeCode.SERVER),
        ("unsubscribed", 3000, UnknownUnsubscribeCode(3000)),
        ("error", 0, UnknownClientErrorCode(0)),
        ("error", 12, ClientErrorCode.BAD_CONFIGURATION),
        ("error", 13, UnknownClientErrorCode(13)),
        ("error", 100, ErrorCode.INTERNAL),
        ("error", 113, ErrorCode.CONCURRENT_PAGINATION),
        ("error", 3012, UnknownErrorCode(3012)),
    ],
)
def test_worked_examples(event: str, code: int, expected: object) -> None:
    found = FUNCTIONS[event](code)
    assert found == expected and type(found) is type(expected)


@pytest.mark.parametrize(
    ("event", "family"),
    [
        ("connecting", ConnectingCode),
        ("disconnected", DisconnectedCode),
        ("subscribing", SubscribingCode),
        ("unsubscribed", UnsubscribedCode),
        ("error", ClientErrorCode),
    ],
)
def test_every_client_side_member_comes_back_from_its_event(event: str, family: type[Any]) -> None:
    _, known = FAMILY_FACTS[family]
    assert {FUNCTIONS[event](code) for code in known} == set(family.__members__.values())
    for code in known:
        assert FUNCTIONS[event](code) is family(code)


@pytest.mark.parametrize(
    ("event", "family", "lowest"),
    [
        ("connecting", ErrorCode, 100),
        ("connecting", DisconnectCode, 3000),
        ("disconnected", ErrorCode, 100),
        ("disconnected", DisconnectCode, 3000),
        ("subscribing", UnsubscribeCode, 100),
        ("unsubscribed", ErrorCode, 100),
        ("unsubscribed", UnsubscribeCode, 2000),
        ("error", ErrorCode, 100),
    ],
)
def test_every_server_member_in_its_band_comes_back(
    event: str, family: type[ErrorCode] | type[UnsubscribeCode] | type[DisconnectCode], lowest: int
) -> None:
    for member in family:
        if member.code >= lowest and family_for(event, member.code) is family:
            assert FUNCTIONS[event](member.code) is member


@pytest.mark.parametrize("event", EVENTS)
def test_the_same_number_means_different_things_in_different_events(event: str) -> None:
    # 1 is a client-side code in every event, and a different one in each family.
    found = FUNCTIONS[event](1)
    assert type(found) is family_for(event, 1)
    assert (
        found.name
        == {
            "connecting": "TRANSPORT_CLOSED",
            "disconnected": "UNAUTHORIZED",
            "subscribing": "TRANSPORT_CLOSED",
            "unsubscribed": "UNAUTHORIZED",
            "error": "TIMEOUT",
        }[event]
    )


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize(
    ("bad", "shown", "type_name"),
    [
        ("x", "'x'", "str"),
        ("3012", "'3012'", "str"),
        (True, "True", "bool"),
        (False, "False", "bool"),
        (3012.0, "3012.0", "float"),
        (None, "None", "NoneType"),
        (b"1", "b'1'", "bytes"),
        ([1], "[1]", "list"),
    ],
)
def test_non_ints_are_a_type_error_naming_the_function(event: str, bad: object, shown: str, type_name: str) -> None:
    with pytest.raises(TypeError) as caught:
        FUNCTIONS[event](bad)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value) == f"events.{event}() expects an int code, got {shown} ({type_name})"


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("bad", [-1, -3012, spec.UINT32_MAX + 1, 2**63, -(2**63)])
def test_ints_outside_uint32_are_a_value_error_naming_the_function(event: str, bad: int) -> None:
    with pytest.raises(ValueError) as caught:
        FUNCTIONS[event](bad)
    assert str(caught.value) == f"events.{event}() expects a code in 0..4294967295 (uint32), got {bad}"


@pytest.mark.parametrize("event", EVENTS)
@given(bad=st.one_of(st.integers(max_value=-1), st.integers(min_value=spec.UINT32_MAX + 1)))
def test_any_int_outside_uint32_is_a_value_error(event: str, bad: int) -> None:
    with pytest.raises(ValueError, match=rf"^events\.{event}\(\) expects a code in 0\.\.4294967295 \(uint32\), got "):
        FUNCTIONS[event](bad)


@pytest.mark.parametrize("event", EVENTS)
def test_huge_ints_are_named_without_printing_them(event: str) -> None:
    prefix = f"events.{event}() expects a code in 0..4294967295 (uint32), got "
    for huge in (2**100_000, -(2**100_000)):
        with pytest.raises(ValueError) as caught:
            FUNCTIONS[event](huge)
        assert str(caught.value).startswith(prefix)
        assert len(str(caught.value)) < len(prefix) + 60


class PlainInt(int):
    pass


class ClaimsEverything(int):
    """An int subclass whose comparisons lie; the functions must read its number."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = int.__hash__


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("number", [0, 1, 99, 100, 109, 1999, 2000, 2500, 2999, 3000, 3012, 4500, spec.UINT32_MAX])
def test_int_subclasses_count_as_their_number(event: str, number: int) -> None:
    expected = FUNCTIONS[event](number)
    for value in (PlainInt(number), ClaimsEverything(number)):
        found = FUNCTIONS[event](value)
        assert found is expected
        assert type(found.code) is int


@pytest.mark.parametrize("event", EVENTS)
def test_members_of_any_family_count_as_their_number(event: str) -> None:
    for member in (DisconnectCode.NO_PONG, ErrorCode.TOKEN_EXPIRED, ConnectingCode.NO_PING, UnsubscribeCode.SERVER):
        assert FUNCTIONS[event](member) is FUNCTIONS[event](int(member))


@pytest.mark.parametrize("event", EVENTS)
def test_int_subclasses_outside_uint32_are_rejected(event: str) -> None:
    with pytest.raises(ValueError, match=rf"^events\.{event}\(\)"):
        FUNCTIONS[event](PlainInt(-1))
    with pytest.raises(ValueError, match=rf"^events\.{event}\(\)"):
        FUNCTIONS[event](PlainInt(spec.UINT32_MAX + 1))


# --- The values returned -------------------------------------------------------------------


UNKNOWN_SAMPLES = [
    ("connecting", 42),
    ("connecting", 2999),
    ("connecting", 4001),
    ("disconnected", 42),
    ("disconnected", 4501),
    ("subscribing", 42),
    ("subscribing", 2600),
    ("unsubscribed", 42),
    ("unsubscribed", 1000),
    ("unsubscribed", 2001),
    ("error", 13),
    ("error", 400),
]


@pytest.mark.parametrize(("event", "code"), UNKNOWN_SAMPLES)
def test_unknowns_are_immutable_hashable_picklable_and_not_ints(event: str, code: int) -> None:
    found = FUNCTIONS[event](code)
    assert type(found).__name__.startswith("Unknown")
    assert not isinstance(found, int)
    assert found != code and code != found
    assert found == type(found)(code) and hash(found) == hash(type(found)(code))
    assert pickle.loads(pickle.dumps(found)) == found
    assert copy.deepcopy(found) == found
    with pytest.raises(AttributeError):
        found.code = code + 1
    with pytest.raises(AttributeError):
        del found.code
    assert found.code == code


@pytest.mark.parametrize("event", EVENTS)
@given(code=codes)
def test_results_hash_and_compare_like_their_kind(event: str, code: int) -> None:
    found = FUNCTIONS[event](code)
    again = FUNCTIONS[event](code)
    assert found == again and hash(found) == hash(again)
    if isinstance(found, int):  # a member: an int, equal to its number
        assert found == code and hash(found) == hash(code)
        assert pickle.loads(pickle.dumps(found)) is found
    else:  # an unknown: never equal to a number
        assert found != code
        assert pickle.loads(pickle.dumps(found)) == found


# --- The module's surface ----------------------------------------------------------------------


ALIASES = {
    "ConnectingEventCode": {
        ConnectingCode, UnknownConnectingCode, ErrorCode, UnknownErrorCode, DisconnectCode, UnknownDisconnectCode,
    },
    "DisconnectedEventCode": {
        DisconnectedCode, UnknownDisconnectedCode, ErrorCode, UnknownErrorCode, DisconnectCode, UnknownDisconnectCode,
    },
    "SubscribingEventCode": {SubscribingCode, UnknownSubscribingCode, UnsubscribeCode, UnknownUnsubscribeCode},
    "UnsubscribedEventCode": {
        UnsubscribedCode, UnknownUnsubscribedCode, ErrorCode, UnknownErrorCode, UnsubscribeCode, UnknownUnsubscribeCode,
    },
    "ErrorEventCode": {ClientErrorCode, UnknownClientErrorCode, ErrorCode, UnknownErrorCode},
}  # fmt: skip
ALIAS_OF = {
    "connecting": "ConnectingEventCode",
    "disconnected": "DisconnectedEventCode",
    "subscribing": "SubscribingEventCode",
    "unsubscribed": "UnsubscribedEventCode",
    "error": "ErrorEventCode",
}


# Re-exported, so that a handler of any event needs only the events module.
FAMILIES = {
    family.__name__: family
    for family in (
        ConnectingCode, UnknownConnectingCode, DisconnectedCode, UnknownDisconnectedCode, SubscribingCode,
        UnknownSubscribingCode, UnsubscribedCode, UnknownUnsubscribedCode, ClientErrorCode, UnknownClientErrorCode,
        ErrorCode, UnknownErrorCode, UnsubscribeCode, UnknownUnsubscribeCode, DisconnectCode, UnknownDisconnectCode,
    )
}  # fmt: skip


def test_public_names() -> None:
    assert sorted(events.__all__) == sorted([*FUNCTIONS, *ALIASES, *FAMILIES, "EventCode", "Code"])
    for name in events.__all__:
        assert hasattr(events, name)
    for name, family in FAMILIES.items():
        assert getattr(events, name) is family


def test_event_code_is_the_union_of_every_event_code() -> None:
    every = {family for families in ALIASES.values() for family in families}
    assert set(typing.get_args(events.EventCode)) == every
    assert set(FAMILIES.values()) == every


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_aliases_are_the_unions_of_their_families(name: str) -> None:
    alias = getattr(events, name)
    assert set(typing.get_args(alias)) == ALIASES[name]


@pytest.mark.parametrize("event", EVENTS)
@given(code=codes)
def test_every_result_is_an_instance_of_its_alias(event: str, code: int) -> None:
    alias = getattr(events, ALIAS_OF[event])
    found = FUNCTIONS[event](code)
    assert isinstance(found, alias)
    assert type(found) in ALIASES[ALIAS_OF[event]]


@pytest.mark.parametrize("event", EVENTS)
def test_docstrings_give_the_ranges(event: str) -> None:
    doc = FUNCTIONS[event].__doc__
    assert doc is not None
    assert "0-99" in doc and f"``{event}``" in doc
    assert events.__doc__ is not None and f"``{event}``" in events.__doc__


def test_importing_events_stays_light() -> None:
    code = (
        "import sys\n"
        "import centrifugo_protocol.events\n"
        "heavy = ['centrifugo_protocol.classify', 'centrifugo_protocol.wire', 'centrifugo_protocol.proxy',\n"
        "         'centrifugo_protocol._cli', 'json', 'http', 'typing_extensions']\n"
        "print([name for name in heavy if name in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_events_is_a_lazy_submodule_of_the_package() -> None:
    import centrifugo_protocol

    assert "events" in centrifugo_protocol.__all__
    assert centrifugo_protocol.events is events

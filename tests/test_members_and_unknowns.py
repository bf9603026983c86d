"""Members and Unknown values work alike in application code: printing, formatting,
``%d``, ``int()``, ``operator.index()``, ``.name``, and the ``Code`` protocol; plus the
one answer for close code 1009 and the reply error's ``retryable``."""

from __future__ import annotations

import logging
import operator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol
from centrifugo_protocol import DisconnectCode, ErrorCode, classify, events, wire
from centrifugo_protocol.classify import ClientState

from . import spec

# Every family, each with a code no family lists (the families' members are all below 5000).
FAMILY_NAMES = [
    "ErrorCode",
    "UnsubscribeCode",
    "DisconnectCode",
    "ApiErrorCode",
    "ConnectingCode",
    "DisconnectedCode",
    "SubscribingCode",
    "UnsubscribedCode",
    "ClientErrorCode",
]
UNKNOWN_CODE = 4321
FORMAT_SPECS = ["", ">6", "<6", "^7", "06", "x", "#x", "o", "b", ",", "+d", "d", "_"]


def family_of(name: str) -> Any:
    return getattr(centrifugo_protocol, name)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_an_unknown_value_prints_and_converts_as_its_number(name: str) -> None:
    unknown = family_of(name).lookup(UNKNOWN_CODE)
    assert type(unknown).__name__ == f"Unknown{name}"
    assert str(unknown) == f"{unknown}" == "4321"
    for format_spec in FORMAT_SPECS:
        assert format(unknown, format_spec) == format(4321, format_spec), format_spec
    assert f"{unknown:>6}" == "  4321"
    assert "%d" % unknown == "%s" % unknown == "4321"  # noqa: UP031  # what log calls do
    assert "%5d|%x" % (unknown, unknown) == " 4321|10e1"  # noqa: UP031
    assert int(unknown) == operator.index(unknown) == 4321
    assert type(int(unknown)) is int and type(operator.index(unknown)) is int
    assert hex(unknown) == "0x10e1"
    assert unknown.name is None
    assert repr(unknown) == f"Unknown{name}(4321)"  # repr still says what it is
    assert unknown != 4321  # and it is still not an int


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_members_and_unknown_values_format_alike(name: str) -> None:
    family = family_of(name)
    member = next(iter(family))
    unknown = family.lookup(UNKNOWN_CODE)
    for value in (member, unknown):
        number = value.code
        assert str(value) == str(number)
        for format_spec in FORMAT_SPECS:
            assert format(value, format_spec) == format(number, format_spec)
        assert "%d" % value == str(number)  # noqa: UP031
        assert int(value) == operator.index(value) == number
    assert member.name == next(iter(family.__members__))
    assert isinstance(member.name, str)


def test_log_records_show_members_and_unknown_values_as_numbers(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test_members_and_unknowns")
    with caplog.at_level(logging.INFO, logger=logger.name):
        for code in (3012, 4501):
            logger.info("disconnect %d (%s)", DisconnectCode.lookup(code), DisconnectCode.lookup(code))
    assert caplog.messages == ["disconnect 3012 (3012)", "disconnect 4501 (4501)"]


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_every_code_has_what_the_code_protocol_promises(name: str) -> None:
    family = family_of(name)
    for value in (*family, family.lookup(UNKNOWN_CODE)):
        assert type(value.code) is int
        assert value.name is None or type(value.name) is str
        assert type(value.description) is str and value.description
        assert int(value) == operator.index(value) == value.code


def test_the_code_protocol_is_public() -> None:
    assert "Code" in centrifugo_protocol.__all__
    assert "Code" in events.__all__
    assert centrifugo_protocol.Code is events.Code
    assert set(events.Code.__dict__) >= {"code", "name", "description", "__int__", "__index__"}


def test_events_re_exports_every_family_an_event_can_carry() -> None:
    for name in FAMILY_NAMES:
        if name == "ApiErrorCode":  # not an SDK event's code
            assert name not in events.__all__
            continue
        for exported in (name, f"Unknown{name}"):
            assert exported in events.__all__
            assert getattr(events, exported) is getattr(centrifugo_protocol, exported)
    assert len(events.__all__) == len(set(events.__all__))
    for event in (events.connecting, events.disconnected, events.subscribing, events.unsubscribed, events.error):
        assert event.__name__ in events.__all__


# --- One answer for 1009 -----------------------------------------------------------------


def test_close_code_1009_stops_the_client_in_every_answer() -> None:
    found = DisconnectCode.lookup(1009)
    assert found.reconnect is False
    assert classify.on_close(1009).state is ClientState.DISCONNECTED
    assert spec.close(1009)[0] == "disconnected"
    assert "1009" in found.description
    assert "stops" in found.description and "does not reconnect" in found.description
    # Its neighbours are ordinary transport close codes, after which the client reconnects.
    for code in (1008, 1010, 1000, 1006):
        assert DisconnectCode.lookup(code).reconnect is True
        assert "transport close code" in DisconnectCode.lookup(code).description


@given(st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_lookup_reconnect_agrees_with_a_close_frame_without_advice(code: int) -> None:
    reconnects = classify.on_close(code).state is ClientState.CONNECTING
    assert DisconnectCode.lookup(code).reconnect is reconnects
    assert (spec.close(code)[0] == "connecting") is reconnects


# --- Reply errors: retry or not ---------------------------------------------------------


@given(st.integers(min_value=0, max_value=spec.UINT32_MAX), st.booleans())
def test_reply_error_retryable_follows_the_wire_flag_and_the_client_side_band(code: int, temporary: bool) -> None:
    error = wire.ReplyError(code, "x", temporary)
    assert error.retryable is (temporary or code < 100)
    assert error.temporary is temporary


def test_reply_error_retryable_reads_the_wire_not_the_code_default() -> None:
    # 100 is temporary by default, 103 is not; the wire's flag decides, absent meaning False.
    assert wire.ReplyError.from_json({"code": 100}).retryable is False
    assert wire.ReplyError.from_json({"code": 100, "temporary": True}).retryable is True
    assert wire.ReplyError.from_json({"code": 103, "temporary": True}).retryable is True
    assert wire.ReplyError.from_json({"code": 1}).retryable is True  # an SDK's own code
    assert wire.ReplyError.from_json({"code": 99}).retryable is True
    assert wire.ReplyError.from_json({"code": 400}).retryable is False


def test_error_code_default_temporary_is_the_server_default() -> None:
    for code, (_, _, temporary) in spec.ERRORS.items():
        member = ErrorCode(code)
        assert member.default_temporary is temporary
        assert member.temporary is temporary

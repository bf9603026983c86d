# pyright: reportPrivateUsage=false
"""classify against how the reference SDK reacts (centrifuge-js 5.7.4): a table of cases, then properties over uint32."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import DisconnectCode, UnsubscribeCode, _ranges, classify, wire
from centrifugo_protocol.classify import ClientState, SubscriptionState, Transition

from . import spec

C = ClientState
S = SubscriptionState
CONNECTING, DISCONNECTED, CONNECTED = C.CONNECTING, C.DISCONNECTED, C.CONNECTED
SUBSCRIBING, UNSUBSCRIBED, SUBSCRIBED = S.SUBSCRIBING, S.UNSUBSCRIBED, S.SUBSCRIBED
codes = st.integers(min_value=0, max_value=spec.UINT32_MAX)
texts = st.text(max_size=40)


def fields(t: Transition[Any]) -> tuple[object, int, str, bool, bool]:
    return (t.state, t.code, t.reason, t.refresh_token, t.invalidate_state)


# Each row: arguments, then (state, code, reason, refresh_token, invalidate_state),
# written from centrifuge-js 5.7.4 (src/centrifuge.ts, src/subscription.ts) and the
# tables of tests/spec.py. An argument left out is the wire's zero value (protocol
# v0.19.2 client.pb_easyjson.go omits empty and false fields): "" and False, never a
# code's built-in text or flag.
DISCONNECT_CASES: list[tuple[tuple[Any, ...], tuple[object, int, str, bool, bool]]] = [
    ((3000,), (CONNECTING, 3000, "", False, False)),
    ((3000, "connection closed"), (CONNECTING, 3000, "connection closed", False, False)),
    ((3001,), (CONNECTING, 3001, "", False, False)),
    ((3012,), (CONNECTING, 3012, "", False, False)),
    ((3012, "no pong"), (CONNECTING, 3012, "no pong", False, False)),
    ((3013, "too many requests"), (CONNECTING, 3013, "too many requests", False, False)),
    ((3014,), (CONNECTING, 3014, "", True, True)),
    ((3014, "state invalidated"), (CONNECTING, 3014, "state invalidated", True, True)),
    ((3014, "server tags filter changed"), (CONNECTING, 3014, "server tags filter changed", True, True)),
    ((3500,), (DISCONNECTED, 3500, "", False, False)),
    ((3500, "invalid token"), (DISCONNECTED, 3500, "invalid token", False, False)),
    ((3503, "force disconnect"), (DISCONNECTED, 3503, "force disconnect", False, False)),
    ((3509,), (DISCONNECTED, 3509, "", False, False)),
    ((3001, "node restarting"), (CONNECTING, 3001, "node restarting", False, False)),
    ((3499,), (CONNECTING, 3499, "", False, False)),
    ((3999,), (DISCONNECTED, 3999, "", False, False)),
    ((4000, "custom"), (CONNECTING, 4000, "custom", False, False)),
    ((4499,), (CONNECTING, 4499, "", False, False)),
    ((4500, "banned"), (DISCONNECTED, 4500, "banned", False, False)),
    ((4999,), (DISCONNECTED, 4999, "", False, False)),
    ((5000,), (CONNECTING, 5000, "", False, False)),
    ((spec.UINT32_MAX,), (CONNECTING, spec.UINT32_MAX, "", False, False)),
    ((1000,), (CONNECTING, 1000, "", False, False)),
    ((3012, ""), (CONNECTING, 3012, "", False, False)),
]

CLOSE_CASES: list[tuple[tuple[Any, ...], tuple[object, int, str, bool, bool]]] = [
    # Below 3000: transport close codes. 1009 stops with client code 3.
    ((1009,), (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)),
    ((1009, ""), (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)),
    ((1009, "too big"), (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)),
    ((1000,), (CONNECTING, 1, "transport closed", False, False)),
    ((1006, ""), (CONNECTING, 1, "transport closed", False, False)),
    ((1008, "policy"), (CONNECTING, 1, "transport closed", False, False)),
    ((0,), (CONNECTING, 1, "transport closed", False, False)),
    ((2999, "x"), (CONNECTING, 1, "transport closed", False, False)),
    # From 3000 up: the range rule with the frame's code and reason.
    ((3000, "connection closed"), (CONNECTING, 3000, "connection closed", False, False)),
    ((3012, "no pong"), (CONNECTING, 3012, "no pong", False, False)),
    ((3014, "state invalidated"), (CONNECTING, 3014, "state invalidated", True, True)),
    ((3500, "invalid token"), (DISCONNECTED, 3500, "invalid token", False, False)),
    # The reason is the frame's even when empty; the rule does not depend on it.
    ((3500, ""), (DISCONNECTED, 3500, "", False, False)),
    ((4500, ""), (DISCONNECTED, 4500, "", False, False)),
    ((4001, "custom"), (CONNECTING, 4001, "custom", False, False)),
    ((5000, "later"), (CONNECTING, 5000, "later", False, False)),
    # Protocol v1 advice in the reason gives the reason and whether to reconnect...
    ((3500, '{"reason": "go on", "reconnect": true}'), (CONNECTING, 3500, "go on", False, False)),
    ((3001, '{"reason": "bye", "reconnect": false}'), (DISCONNECTED, 3001, "bye", False, False)),
    ((4500, '{"reason": "ok", "reconnect": true}'), (CONNECTING, 4500, "ok", False, False)),
    ((3001, '{"reconnect": false, "reason": 7}'), (DISCONNECTED, 3001, "", False, False)),
    # ... 3014 still drops the token and the state, whatever the advice says ...
    ((3014, '{"reason": "x", "reconnect": false}'), (DISCONNECTED, 3014, "x", True, True)),
    ((3014, '{"reason": "state invalidated", "reconnect": true}'), (CONNECTING, 3014, "state invalidated", True, True)),
    # ... but below 3000 the client reports its own code: the advice only decides the
    # state, and 1009 stops whatever the advice says.
    ((1006, ' {"reconnect": false} '), (DISCONNECTED, 1, "transport closed", False, False)),
    ((1000, '{"reason": "bye", "reconnect": false}'), (DISCONNECTED, 1, "transport closed", False, False)),
    ((1006, '{"reason": "again", "reconnect": true}'), (CONNECTING, 1, "transport closed", False, False)),
    ((1009, '{"reason": "big", "reconnect": true}'), (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)),
    ((1009, '{"reason": "big", "reconnect": false}'), (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)),
    # Not advice: then the other rules apply with the raw reason.
    (
        (3500, '{"reason": "x", "reconnect": "yes"}'),
        (DISCONNECTED, 3500, '{"reason": "x", "reconnect": "yes"}', False, False),
    ),
    ((3500, '{"reason": "x"}'), (DISCONNECTED, 3500, '{"reason": "x"}', False, False)),
    ((4001, "[true]"), (CONNECTING, 4001, "[true]", False, False)),
    ((4501, "{not json"), (DISCONNECTED, 4501, "{not json", False, False)),
    ((4501, '{"reconnect": true} trailing'), (DISCONNECTED, 4501, '{"reconnect": true} trailing', False, False)),
    ((4501, "{" * 100_000), (DISCONNECTED, 4501, "{" * 100_000, False, False)),
    ((4501, '{"a":' * 100_000), (DISCONNECTED, 4501, '{"a":' * 100_000, False, False)),
    ((1006, "{}"), (CONNECTING, 1, "transport closed", False, False)),
]

CONNECT_ERROR_CASES: list[tuple[tuple[Any, ...], dict[str, Any], tuple[object, int, str, bool, bool]]] = [
    ((109,), {}, (CONNECTING, 109, "", True, False)),
    ((109, "token expired"), {"temporary": True}, (CONNECTING, 109, "token expired", True, False)),
    # 100, 111 and 113 are temporary by default, but only the wire's flag counts.
    ((100,), {}, (DISCONNECTED, 100, "", False, False)),
    ((100, "internal server error"), {"temporary": True}, (CONNECTING, 100, "internal server error", False, False)),
    ((111,), {}, (DISCONNECTED, 111, "", False, False)),
    ((111, "too many requests"), {"temporary": True}, (CONNECTING, 111, "too many requests", False, False)),
    ((113,), {"temporary": True}, (CONNECTING, 113, "", False, False)),
    ((100, "oops"), {"temporary": False}, (DISCONNECTED, 100, "oops", False, False)),
    ((101,), {}, (DISCONNECTED, 101, "", False, False)),
    ((103, "nope"), {}, (DISCONNECTED, 103, "nope", False, False)),
    ((110, "expired"), {}, (DISCONNECTED, 110, "expired", False, False)),
    ((101,), {"temporary": True}, (CONNECTING, 101, "", False, False)),
    ((0,), {}, (CONNECTING, 0, "", False, False)),
    ((99, "client timeout"), {}, (CONNECTING, 99, "client timeout", False, False)),
    ((100 + len(spec.ERRORS),), {}, (DISCONNECTED, 100 + len(spec.ERRORS), "", False, False)),
    ((1000, "custom"), {}, (DISCONNECTED, 1000, "custom", False, False)),
    ((1000, "custom"), {"temporary": True}, (CONNECTING, 1000, "custom", False, False)),
]

REFRESH_ERROR_CASES: list[tuple[tuple[Any, ...], dict[str, Any], tuple[object, int, str, bool, bool]]] = [
    ((100,), {}, (DISCONNECTED, 100, "", False, False)),
    ((100, "internal server error"), {"temporary": True}, (CONNECTED, 100, "internal server error", False, False)),
    ((111,), {"temporary": True}, (CONNECTED, 111, "", False, False)),
    ((50, "net"), {}, (CONNECTED, 50, "net", False, False)),
    ((109,), {}, (DISCONNECTED, 109, "", False, False)),
    ((109, "token expired"), {"temporary": True}, (CONNECTED, 109, "token expired", False, False)),
    ((101, "unauthorized"), {}, (DISCONNECTED, 101, "unauthorized", False, False)),
    ((1000, "custom"), {"temporary": True}, (CONNECTED, 1000, "custom", False, False)),
    ((100, "x"), {"temporary": False}, (DISCONNECTED, 100, "x", False, False)),
]

UNSUBSCRIBE_CASES: list[tuple[tuple[Any, ...], tuple[object, int, str, bool, bool]]] = [
    ((2000,), (UNSUBSCRIBED, 2000, "", False, False)),
    ((2000, "server unsubscribe"), (UNSUBSCRIBED, 2000, "server unsubscribe", False, False)),
    ((2500,), (SUBSCRIBING, 2500, "", False, False)),
    ((2501, "subscription expired"), (SUBSCRIBING, 2501, "subscription expired", False, False)),
    ((2502,), (SUBSCRIBING, 2502, "", True, True)),
    ((2502, spec.STATE_INVALIDATED_SENDER_REASON), (SUBSCRIBING, 2502, "server tags filter changed", True, True)),
    ((2499, "custom"), (UNSUBSCRIBED, 2499, "custom", False, False)),
    ((2999,), (SUBSCRIBING, 2999, "", False, False)),
    ((0,), (UNSUBSCRIBED, 0, "", False, False)),
    ((9999, "x"), (SUBSCRIBING, 9999, "x", False, False)),
]

SUBSCRIBE_ERROR_CASES: list[tuple[tuple[Any, ...], dict[str, Any], tuple[object, int, str, bool, bool]]] = [
    ((109,), {}, (SUBSCRIBING, 109, "", True, False)),
    ((109,), {"temporary": True}, (SUBSCRIBING, 109, "", True, False)),
    ((100,), {}, (UNSUBSCRIBED, 100, "", False, False)),
    ((100, "internal server error"), {"temporary": True}, (SUBSCRIBING, 100, "internal server error", False, False)),
    ((111,), {"temporary": True}, (SUBSCRIBING, 111, "", False, False)),
    ((12, "client"), {}, (SUBSCRIBING, 12, "client", False, False)),
    ((103,), {}, (UNSUBSCRIBED, 103, "", False, False)),
    ((102, "unknown channel"), {}, (UNSUBSCRIBED, 102, "unknown channel", False, False)),
    ((112,), {}, (UNSUBSCRIBED, 112, "", False, False)),
    ((112,), {"can_rebuild_state": True}, (SUBSCRIBING, 112, "", False, True)),
    ((112, "gone"), {"temporary": True}, (SUBSCRIBING, 112, "gone", False, False)),
    # 112 with a rebuildable state is checked first: temporary changes nothing.
    ((112, "gone"), {"temporary": True, "can_rebuild_state": True}, (SUBSCRIBING, 112, "gone", False, True)),
    ((112, "gone"), {"temporary": False, "can_rebuild_state": True}, (SUBSCRIBING, 112, "gone", False, True)),
    ((103,), {"can_rebuild_state": True}, (UNSUBSCRIBED, 103, "", False, False)),
    ((5,), {"can_rebuild_state": True}, (SUBSCRIBING, 5, "", False, False)),
    ((403, "no"), {"temporary": False}, (UNSUBSCRIBED, 403, "no", False, False)),
    ((403, "no"), {"temporary": True}, (SUBSCRIBING, 403, "no", False, False)),
    ((109,), {"can_rebuild_state": True}, (SUBSCRIBING, 109, "", True, False)),
]

SUBSCRIPTION_REFRESH_ERROR_CASES: list[tuple[tuple[Any, ...], dict[str, Any], tuple[object, int, str, bool, bool]]] = [
    ((100,), {}, (UNSUBSCRIBED, 100, "", False, False)),
    ((100, "internal server error"), {"temporary": True}, (SUBSCRIBED, 100, "internal server error", False, False)),
    ((5, "net"), {}, (SUBSCRIBED, 5, "net", False, False)),
    ((103,), {}, (UNSUBSCRIBED, 103, "", False, False)),
    ((109, "token expired"), {}, (UNSUBSCRIBED, 109, "token expired", False, False)),
    ((1000, "x"), {"temporary": True}, (SUBSCRIBED, 1000, "x", False, False)),
]


@pytest.mark.parametrize(("args", "expected"), DISCONNECT_CASES)
def test_on_disconnect(args: tuple[Any, ...], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_disconnect(*args)) == expected


@pytest.mark.parametrize(("args", "expected"), CLOSE_CASES, ids=lambda v: repr(v)[:40])
def test_on_close(args: tuple[Any, ...], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_close(*args)) == expected


@pytest.mark.parametrize(("args", "kwargs", "expected"), CONNECT_ERROR_CASES)
def test_on_connect_error(args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_connect_error(*args, **kwargs)) == expected


@pytest.mark.parametrize(("args", "kwargs", "expected"), REFRESH_ERROR_CASES)
def test_on_refresh_error(args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_refresh_error(*args, **kwargs)) == expected


@pytest.mark.parametrize(("args", "expected"), UNSUBSCRIBE_CASES)
def test_on_unsubscribe(args: tuple[Any, ...], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_unsubscribe(*args)) == expected


@pytest.mark.parametrize(("args", "kwargs", "expected"), SUBSCRIBE_ERROR_CASES)
def test_on_subscribe_error(args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[object, ...]) -> None:
    assert fields(classify.on_subscribe_error(*args, **kwargs)) == expected


@pytest.mark.parametrize(("args", "kwargs", "expected"), SUBSCRIPTION_REFRESH_ERROR_CASES)
def test_on_subscription_refresh_error(
    args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[object, ...]
) -> None:
    assert fields(classify.on_subscription_refresh_error(*args, **kwargs)) == expected


def test_on_connection_lost() -> None:
    assert fields(classify.on_connection_lost()) == (SUBSCRIBING, 1, "transport closed", False, False)


def test_states_have_the_sdk_names() -> None:
    assert [(s.name, s.value) for s in ClientState] == [
        ("DISCONNECTED", "disconnected"),
        ("CONNECTING", "connecting"),
        ("CONNECTED", "connected"),
    ]
    assert [(s.name, s.value) for s in SubscriptionState] == [
        ("UNSUBSCRIBED", "unsubscribed"),
        ("SUBSCRIBING", "subscribing"),
        ("SUBSCRIBED", "subscribed"),
    ]


# --- Properties over the whole code space ------------------------------------------------


def sdk_fields(t: Transition[Any]) -> tuple[str, int, str, bool, bool]:
    """The fields as spec.py's rules write them: the state by its SDK name."""
    return (t.state.value, t.code, t.reason, t.refresh_token, t.invalidate_state)


# None stands for "left out of the call" (absent from the payload).
maybe_texts = st.one_of(st.none(), texts)
maybe_flags = st.one_of(st.none(), st.booleans())


def given_fields(**fields: object) -> dict[str, Any]:
    """The keyword arguments of the fields that are present."""
    return {name: value for name, value in fields.items() if value is not None}


@given(code=codes, reason=maybe_texts)
def test_disconnect_state_follows_the_range_rule(code: int, reason: str | None) -> None:
    transition = classify.on_disconnect(code, **given_fields(reason=reason))
    assert (transition.state is CONNECTING) is spec.reconnects(code)
    assert transition.state is (CONNECTING if DisconnectCode.lookup(code).reconnect else DISCONNECTED)
    assert sdk_fields(transition) == spec.disconnect(code, reason or "")


@given(code=codes, reason=maybe_texts)
def test_unsubscribe_state_follows_the_range_rule(code: int, reason: str | None) -> None:
    transition = classify.on_unsubscribe(code, **given_fields(reason=reason))
    assert (transition.state is SUBSCRIBING) is spec.resubscribes(code)
    assert transition.state is (SUBSCRIBING if UnsubscribeCode.lookup(code).resubscribe else UNSUBSCRIBED)
    assert sdk_fields(transition) == spec.unsubscribe(code, reason or "")


@given(code=st.integers(min_value=3000, max_value=spec.UINT32_MAX), reason=texts)
def test_close_from_3000_up_agrees_with_disconnect_unless_advice(code: int, reason: str) -> None:
    if reason.strip().startswith("{"):
        return
    assert classify.on_close(code, reason) == classify.on_disconnect(code, reason)


@given(code=st.integers(min_value=0, max_value=2999), reason=maybe_texts)
def test_close_below_3000_reports_client_codes(code: int, reason: str | None) -> None:
    if reason is not None and reason.strip().startswith("{"):
        return
    transition = classify.on_close(code, **given_fields(reason=reason))
    if code == 1009:
        assert fields(transition) == (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)
    else:
        assert fields(transition) == (CONNECTING, 1, "transport closed", False, False)


advice_reasons = st.one_of(texts, st.integers(), st.none(), st.lists(st.booleans(), max_size=2))


@given(
    code=codes,
    reconnect=st.booleans(),
    reason=advice_reasons,
    spaces=st.tuples(st.sampled_from(["", " ", "\t", "\n "]), st.sampled_from(["", " ", "\r\n"])),
)
def test_close_v1_advice_decides_with_the_client_codes_below_3000(
    code: int, reconnect: bool, reason: object, spaces: tuple[str, str]
) -> None:
    advice = spaces[0] + json.dumps({"reason": reason, "reconnect": reconnect}) + spaces[1]
    transition = classify.on_close(code, advice)
    assert sdk_fields(transition) == spec.close(code, advice)
    if code >= 3000:
        assert transition.state is (CONNECTING if reconnect else DISCONNECTED)
        assert (transition.code, transition.reason) == (code, reason if isinstance(reason, str) else "")
        assert transition.refresh_token is transition.invalidate_state is (code == 3014)
    elif code == 1009:
        assert fields(transition) == (DISCONNECTED, 3, spec.MESSAGE_SIZE_LIMIT_REASON, False, False)
    else:
        assert fields(transition) == (CONNECTING if reconnect else DISCONNECTED, 1, "transport closed", False, False)


@given(
    code=st.one_of(codes, st.sampled_from([1000, 1006, 1009, 2999, 3000, 3014, 3500, 4500])),
    reason=st.one_of(texts, st.sampled_from(["{}", "[1]", '{"reconnect": 1}', '{"reconnect": null, "reason": "x"}'])),
)
def test_close_follows_the_spec_for_any_reason(code: int, reason: str) -> None:
    assert sdk_fields(classify.on_close(code, reason)) == spec.close(code, reason)


@given(code=codes, message=maybe_texts, temporary=maybe_flags)
def test_error_replies_follow_the_rules(code: int, message: str | None, temporary: bool | None) -> None:
    present = given_fields(message=message, temporary=temporary)
    wire_message, wire_temporary = message or "", bool(temporary)

    connect = classify.on_connect_error(code, **present)
    assert sdk_fields(connect) == spec.connect_error(code, wire_message, wire_temporary)
    retry = code < 100 or wire_temporary
    assert connect.state is (CONNECTING if code == 109 or retry else DISCONNECTED)

    refresh = classify.on_refresh_error(code, **present)
    assert sdk_fields(refresh) == spec.refresh_error(code, wire_message, wire_temporary)

    for rebuild in (False, True):
        subscribe = classify.on_subscribe_error(code, **present, can_rebuild_state=rebuild)
        assert sdk_fields(subscribe) == spec.subscribe_error(code, wire_message, wire_temporary, rebuild)

    sub_refresh = classify.on_subscription_refresh_error(code, **present)
    assert sdk_fields(sub_refresh) == spec.subscription_refresh_error(code, wire_message, wire_temporary)


@given(code=st.sampled_from(sorted(spec.ERRORS)), temporary=maybe_flags)
def test_built_in_defaults_never_stand_in_for_absent_fields(code: int, temporary: bool | None) -> None:
    # A known code's built-in message and flag are not what an absent field means.
    for event in (classify.on_connect_error, classify.on_refresh_error, classify.on_subscription_refresh_error):
        transition = event(code, **given_fields(temporary=temporary))
        assert transition.reason == ""
    expected_retry = bool(temporary)
    connect = classify.on_connect_error(code, **given_fields(temporary=temporary))
    assert (connect.state is CONNECTING) is (expected_retry or code == 109)


# --- One answer per input: a direct call and the wire object of the same payload -------

payload_codes = st.one_of(codes, st.sampled_from([*spec.ERRORS, *spec.UNSUBSCRIBES, *spec.DISCONNECTS, 0, 99, 1009]))


@given(code=payload_codes, reason=maybe_texts)
def test_a_disconnect_payload_means_the_same_as_the_call(code: int, reason: str | None) -> None:
    payload = given_fields(code=code, reason=reason)
    decoded = wire.Disconnect.from_json(json.loads(json.dumps(payload)))
    assert decoded.transition() == classify.on_disconnect(**payload)
    assert sdk_fields(decoded.transition()) == spec.disconnect(code, reason or "")


@given(code=payload_codes, reason=maybe_texts)
def test_an_unsubscribe_payload_means_the_same_as_the_call(code: int, reason: str | None) -> None:
    payload = given_fields(code=code, reason=reason)
    decoded = wire.Unsubscribe.from_json(json.loads(json.dumps(payload)))
    assert decoded.transition() == classify.on_unsubscribe(**payload)
    assert sdk_fields(decoded.transition()) == spec.unsubscribe(code, reason or "")


@given(code=payload_codes, message=maybe_texts, temporary=maybe_flags, rebuild=st.booleans())
def test_an_error_payload_means_the_same_as_the_call(
    code: int, message: str | None, temporary: bool | None, rebuild: bool
) -> None:
    # Centrifugo leaves out an empty message and a false flag; either may be present too.
    payload = given_fields(code=code, message=message, temporary=temporary)
    decoded = wire.ReplyError.from_json(json.loads(json.dumps(payload)))
    assert decoded.on_connect() == classify.on_connect_error(**payload)
    assert decoded.on_refresh() == classify.on_refresh_error(**payload)
    assert decoded.on_subscribe(can_rebuild_state=rebuild) == classify.on_subscribe_error(
        **payload, can_rebuild_state=rebuild
    )
    assert decoded.on_subscription_refresh() == classify.on_subscription_refresh_error(**payload)
    wire_message, wire_temporary = message or "", bool(temporary)
    assert sdk_fields(decoded.on_connect()) == spec.connect_error(code, wire_message, wire_temporary)
    assert sdk_fields(decoded.on_subscribe(can_rebuild_state=rebuild)) == spec.subscribe_error(
        code, wire_message, wire_temporary, rebuild
    )


@pytest.mark.parametrize("code", [100, 109, 111, 112, 113, 3012, 3014, 2502, 4501])
def test_left_out_and_zero_valued_arguments_are_one_input(code: int) -> None:
    assert classify.on_disconnect(code) == classify.on_disconnect(code, "") == classify.on_disconnect(code, reason="")
    assert classify.on_unsubscribe(code) == classify.on_unsubscribe(code, "")
    assert classify.on_close(code) == classify.on_close(code, "")
    for event in (classify.on_connect_error, classify.on_refresh_error, classify.on_subscription_refresh_error):
        assert event(code) == event(code, "") == event(code, "", temporary=False) == event(code, temporary=False)
    assert classify.on_subscribe_error(code) == classify.on_subscribe_error(
        code, "", temporary=False, can_rebuild_state=False
    )


@given(code=codes)
def test_every_answer_is_a_transition_of_the_right_state_type(code: int) -> None:
    for client in (
        classify.on_disconnect(code),
        classify.on_close(code),
        classify.on_connect_error(code),
        classify.on_refresh_error(code),
    ):
        assert isinstance(client.state, ClientState)
    for subscription in (
        classify.on_unsubscribe(code),
        classify.on_subscribe_error(code),
        classify.on_subscription_refresh_error(code),
    ):
        assert isinstance(subscription.state, SubscriptionState)


# --- Bad input -------------------------------------------------------------------------

ALL_EVENTS = [
    classify.on_disconnect,
    classify.on_close,
    classify.on_connect_error,
    classify.on_refresh_error,
    classify.on_unsubscribe,
    classify.on_subscribe_error,
    classify.on_subscription_refresh_error,
]


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", ["3012", 3012.0, True, None, b"1", [1], {1: 2}])
def test_bad_code_type_raises_type_error_naming_it(event: Any, bad: object) -> None:
    with pytest.raises(
        TypeError, match=rf"^{event.__name__}\(\) expects an int code, got .+ \({type(bad).__name__}\)$"
    ):
        event(bad)


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda f: f.__name__)
@given(bad=st.one_of(st.integers(max_value=-1), st.integers(min_value=spec.UINT32_MAX + 1)))
def test_out_of_range_code_raises_value_error(event: Any, bad: int) -> None:
    with pytest.raises(ValueError, match=rf"^{event.__name__}\(\) expects a code in 0\.\.4294967295"):
        event(bad)


@pytest.mark.parametrize(
    "event", [classify.on_disconnect, classify.on_close, classify.on_unsubscribe], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("bad", [b"x", 1, True, ["x"], None])
def test_bad_reason_raises_type_error(event: Any, bad: object) -> None:
    with pytest.raises(TypeError, match=rf"^{event.__name__}\(\) expects reason to be a str, got"):
        event(3012, bad)


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda f: f.__name__)
def test_none_is_no_longer_a_default(event: Any) -> None:
    # None used to mean "the code's built-in text or flag"; an absent field is now left
    # out of the call, so None is a wrong type like any other.
    text = "message" if "error" in event.__name__ else "reason"
    with pytest.raises(TypeError, match=rf"^{event.__name__}\(\) expects {text} to be a str, got None \(NoneType\)$"):
        event(3012, None)
    with pytest.raises(TypeError, match=rf"expects {text} to be a str, got None"):
        event(3012, **{text: None})
    if text == "message":
        with pytest.raises(TypeError, match=r"expects temporary to be a bool, got None \(NoneType\)$"):
            event(100, temporary=None)


ERROR_EVENTS = [
    classify.on_connect_error,
    classify.on_refresh_error,
    classify.on_subscribe_error,
    classify.on_subscription_refresh_error,
]


@pytest.mark.parametrize("event", ERROR_EVENTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [b"x", 1, ["x"], None])
def test_bad_message_raises_type_error(event: Any, bad: object) -> None:
    with pytest.raises(TypeError, match=rf"^{event.__name__}\(\) expects message to be a str, got"):
        event(100, bad)


@pytest.mark.parametrize("event", ERROR_EVENTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [0, 1, "yes", 1.0, ["x"], None])
def test_bad_temporary_raises_type_error(event: Any, bad: object) -> None:
    with pytest.raises(TypeError, match=rf"^{event.__name__}\(\) expects temporary to be a bool, got"):
        event(100, "x", temporary=bad)


@pytest.mark.parametrize("bad", [0, 1, None, "yes"])
def test_bad_can_rebuild_state_raises_type_error(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"on_subscribe_error\(\) expects can_rebuild_state to be a bool"):
        classify.on_subscribe_error(112, can_rebuild_state=bad)


def test_temporary_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        classify.on_connect_error(100, "x", True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def test_int_subclasses_are_taken_as_their_number() -> None:
    assert classify.on_disconnect(DisconnectCode.NO_PONG) == classify.on_disconnect(3012)
    assert type(classify.on_disconnect(DisconnectCode.NO_PONG).code) is int


def test_memo_does_not_confuse_equal_values_of_other_types() -> None:
    # 1 == True and 0 == False: a memo keyed on values alone would answer for the wrong type.
    classify.on_subscribe_error(403, "no", temporary=False)
    with pytest.raises(TypeError):
        classify.on_subscribe_error(403, "no", temporary=0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    classify.on_disconnect(3012)
    with pytest.raises(TypeError):
        classify.on_disconnect(3012.0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_memo_is_bounded_in_entries_and_text_length() -> None:
    memo = classify._CLOSES
    for i in range(3 * _ranges.MEMO_LIMIT):
        classify.on_close(4000 + i % 1000, f"reason {i}")
        assert len(memo) <= _ranges.MEMO_LIMIT
    memo.clear()
    long_reason = "x" * (classify._MEMO_TEXT_LIMIT + 1)
    assert classify.on_close(4001, long_reason).reason == long_reason
    assert len(memo) == 0
    short_reason = "x" * classify._MEMO_TEXT_LIMIT
    classify.on_close(4001, short_reason)
    assert len(memo) == 1


def test_memo_hands_out_equal_answers() -> None:
    first = classify.on_disconnect(3012)
    assert classify.on_disconnect(3012) is first
    assert classify.on_subscribe_error(112, can_rebuild_state=True) != classify.on_subscribe_error(112)


# --- Transition ------------------------------------------------------------------------


def test_transition_is_an_immutable_value() -> None:
    a = Transition(CONNECTING, 3012, "no pong")
    b = Transition(CONNECTING, 3012, "no pong", refresh_token=False, invalidate_state=False)
    assert a == b and hash(a) == hash(b)
    assert a != Transition(CONNECTING, 3012, "no pong", refresh_token=True)
    assert a != Transition(CONNECTING, 3012, "no pong", invalidate_state=True)
    assert a != Transition(DISCONNECTED, 3012, "no pong")
    assert a != (CONNECTING, 3012, "no pong", False, False)
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a
    with pytest.raises(AttributeError, match="immutable"):
        a.state = DISCONNECTED  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    with pytest.raises(AttributeError, match="immutable"):
        del a._state
    assert repr(a) == (
        "Transition(state=ClientState.CONNECTING, code=3012, reason='no pong', "
        "refresh_token=False, invalidate_state=False)"
    )


def test_transition_match_pattern() -> None:
    match classify.on_disconnect(3500, "invalid token"):
        case Transition(state=ClientState.DISCONNECTED, code=code, reason=reason):
            assert (code, reason) == (3500, "invalid token")
        case _:  # pragma: no cover - the case above must match
            pytest.fail("pattern did not match")


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (("connecting", 1, "x"), TypeError, "expects a ClientState or SubscriptionState, got 'connecting' (str)"),
        ((CONNECTING, -1, "x"), ValueError, "expects a code in 0..4294967295"),
        ((CONNECTING, 1, None), TypeError, "expects reason to be a str"),
        ((CONNECTING, 1, "x", 1), TypeError, "expects refresh_token to be a bool"),
        ((CONNECTING, 1, "x", False, None), TypeError, "expects invalidate_state to be a bool"),
    ],
)
def test_transition_checks_its_fields(args: tuple[Any, ...], error: type[Exception], words: str) -> None:
    with pytest.raises(error) as caught:
        Transition(*args)
    assert words in str(caught.value)


# --- The memo: same answers as a fresh computation, handed out again -----------------

# Argument shapes for every entry point: defaults, texts, flags.
CALLS: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = [
    (classify.on_disconnect, (3012,), {}),
    (classify.on_disconnect, (3012, "custom"), {}),
    (classify.on_disconnect, (4001,), {}),
    (classify.on_close, (1006,), {}),
    (classify.on_close, (3500, "invalid token"), {}),
    (classify.on_connect_error, (109,), {}),
    (classify.on_connect_error, (100, "oops"), {}),
    (classify.on_connect_error, (100,), {"temporary": False}),
    (classify.on_connect_error, (101,), {"temporary": True}),
    (classify.on_refresh_error, (100,), {}),
    (classify.on_refresh_error, (100, "oops"), {"temporary": False}),
    (classify.on_refresh_error, (101,), {"temporary": True}),
    (classify.on_unsubscribe, (2500,), {}),
    (classify.on_unsubscribe, (2500, "custom"), {}),
    (classify.on_subscribe_error, (112,), {}),
    (classify.on_subscribe_error, (112,), {"can_rebuild_state": True}),
    (classify.on_subscribe_error, (403, "no"), {"temporary": False}),
    (classify.on_subscribe_error, (403,), {"temporary": True}),
    (classify.on_subscription_refresh_error, (100,), {}),
    (classify.on_subscription_refresh_error, (100,), {"temporary": False}),
    (classify.on_subscription_refresh_error, (100, ""), {"temporary": False}),
    (classify.on_close, (1009, ""), {}),
    (classify.on_subscription_refresh_error, (101, "x"), {"temporary": True}),
    (classify.on_subscription_refresh_error, (101, "x"), {}),
]


@pytest.mark.parametrize(("event", "args", "kwargs"), CALLS, ids=lambda v: getattr(v, "__name__", repr(v)))
def test_repeated_calls_hand_out_the_remembered_answer(
    event: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    first = event(*args, **kwargs)
    assert event(*args, **kwargs) is first


def _memos() -> list[dict[Any, Any]]:
    return [value for name, value in vars(classify).items() if name.isupper() and isinstance(value, dict)]


# None stands for an argument left out of the call.
event_calls = st.one_of(
    st.tuples(st.just("disconnect"), codes, st.one_of(st.none(), st.sampled_from(["", "x", "no pong"]))),
    st.tuples(st.just("unsubscribe"), codes, st.one_of(st.none(), st.sampled_from(["", "x"]))),
    st.tuples(st.just("close"), codes, st.one_of(st.none(), st.sampled_from(["", "x", '{"reconnect": false}']))),
    st.tuples(
        st.just("subscribe"),
        st.sampled_from([100, 109, 112, 403, 5]),
        st.one_of(st.none(), st.sampled_from(["", "x"])),
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.booleans()),
    ),
    st.tuples(
        st.sampled_from(["connect", "refresh", "subscription_refresh"]),
        st.sampled_from([100, 109, 112, 403, 5]),
        st.one_of(st.none(), st.sampled_from(["", "x"])),
        st.one_of(st.none(), st.booleans()),
    ),
)


def _call(call: tuple[Any, ...]) -> Transition[Any]:
    kind, code, text, *flags = call
    events: dict[str, Any] = {
        "disconnect": classify.on_disconnect,
        "unsubscribe": classify.on_unsubscribe,
        "close": classify.on_close,
        "subscribe": classify.on_subscribe_error,
        "connect": classify.on_connect_error,
        "refresh": classify.on_refresh_error,
        "subscription_refresh": classify.on_subscription_refresh_error,
    }
    if kind in ("disconnect", "unsubscribe", "close"):
        arguments = given_fields(reason=text)
    else:
        arguments = given_fields(message=text, temporary=flags[0])
        if kind == "subscribe":
            arguments.update(given_fields(can_rebuild_state=flags[1]))
    transition: Transition[Any] = events[kind](code, **arguments)
    return transition


@given(calls=st.lists(event_calls, min_size=1, max_size=30))
def test_memo_never_answers_for_other_arguments(calls: list[tuple[Any, ...]]) -> None:
    remembered = [_call(call) for call in calls]
    again = [_call(call) for call in calls]
    for memo in _memos():
        memo.clear()
    fresh = [_call(call) for call in calls]
    assert remembered == again == fresh


def test_memo_keeps_answers_for_flags_and_texts() -> None:
    classify.on_subscribe_error(403, "no", temporary=False)
    classify.on_connect_error(100, "x", temporary=True)
    classify.on_refresh_error(100, temporary=True)
    classify.on_subscription_refresh_error(100, "x")
    classify.on_unsubscribe(2500, "x")
    classify.on_disconnect(3012, "x")
    classify.on_close(1006, "x")
    classify.on_subscribe_error(112, can_rebuild_state=True)
    assert (403, "no", False, False) in classify._SUBSCRIBE_ERRORS
    assert (112, "", False, True) in classify._SUBSCRIBE_ERRORS
    assert (100, "x", True) in classify._CONNECT_ERRORS
    assert (100, "", True) in classify._REFRESH_ERRORS
    assert (100, "x", False) in classify._SUBSCRIPTION_REFRESH_ERRORS
    assert (2500, "x") in classify._UNSUBSCRIBES
    assert (3012, "x") in classify._DISCONNECTS
    assert (1006, "x") in classify._CLOSES


def test_memo_keys_zero_values_by_the_bare_code() -> None:
    # An argument left out and the same argument given as its zero value are one
    # input, remembered once under the bare code.
    first = classify.on_disconnect(3012)
    assert classify.on_disconnect(3012, "") is first
    assert list(classify._DISCONNECTS) == [3012]
    closed = classify.on_close(1006, "")
    assert classify.on_close(1006) is closed
    assert list(classify._CLOSES) == [1006]
    connect = classify.on_connect_error(100, "", temporary=False)
    assert classify.on_connect_error(100) is connect
    assert list(classify._CONNECT_ERRORS) == [100]
    subscribe = classify.on_subscribe_error(112, "", temporary=False, can_rebuild_state=False)
    assert classify.on_subscribe_error(112) is subscribe
    assert list(classify._SUBSCRIBE_ERRORS) == [112]
    unsubscribe = classify.on_unsubscribe(2502, "")
    assert classify.on_unsubscribe(2502) is unsubscribe
    refresh = classify.on_refresh_error(100)
    assert classify.on_refresh_error(100, "", temporary=False) is refresh
    sub_refresh = classify.on_subscription_refresh_error(100)
    assert classify.on_subscription_refresh_error(100, "", temporary=False) is sub_refresh


def test_memo_skips_arguments_of_other_types() -> None:
    class Text(str):
        pass

    classify.on_disconnect(DisconnectCode.NO_PONG)
    classify.on_disconnect(3012, Text("x"))
    classify.on_unsubscribe(UnsubscribeCode.INSUFFICIENT, "x")
    assert classify._DISCONNECTS == {} and classify._UNSUBSCRIBES == {}


def test_on_close_default_reason_is_empty() -> None:
    assert classify.on_close(3500).reason == ""
    assert classify.on_close(4001).reason == ""


def test_absent_fields_mean_zero_values_not_built_in_defaults() -> None:
    # 100 is temporary by default and says "internal server error"; a reply without a
    # flag or a message is not temporary and has no message. The answers for omitted
    # fields are asked for first, so a memo that mixed them up would show.
    for event in (classify.on_connect_error, classify.on_refresh_error, classify.on_subscription_refresh_error):
        event(100)
        event(103)
    classify.on_subscribe_error(100)
    assert classify.on_connect_error(100).state is DISCONNECTED
    assert classify.on_connect_error(100, temporary=True).state is CONNECTING
    assert classify.on_connect_error(103, temporary=True).state is CONNECTING
    assert classify.on_subscribe_error(100).state is UNSUBSCRIBED
    assert classify.on_subscribe_error(100, temporary=True).state is SUBSCRIBING
    assert classify.on_refresh_error(103, temporary=True).state is CONNECTED
    assert classify.on_refresh_error(100).state is DISCONNECTED
    assert classify.on_subscription_refresh_error(100).state is UNSUBSCRIBED
    assert classify.on_subscription_refresh_error(103, temporary=True).state is SUBSCRIBED
    assert classify.on_refresh_error(103, "custom").reason == "custom"
    assert classify.on_subscription_refresh_error(103).reason == ""
    assert classify.on_disconnect(3012).reason == ""
    assert classify.on_unsubscribe(2000).reason == ""


def test_states_print_as_the_sdks_name_them() -> None:
    for state in (*ClientState, *SubscriptionState):
        assert str(state) == state.value
        assert f"{state}" == state.value
    assert str(ClientState.CONNECTING) == "connecting"
    assert f"{SubscriptionState.UNSUBSCRIBED}" == "unsubscribed"
    assert repr(Transition(SUBSCRIBING, 1, "transport closed")) == (
        "Transition(state=SubscriptionState.SUBSCRIBING, code=1, reason='transport closed', "
        "refresh_token=False, invalidate_state=False)"
    )


def test_transition_error_messages_name_the_constructor() -> None:
    with pytest.raises(ValueError, match=r"^Transition\(\) expects a code in 0\.\.4294967295 \(uint32\), got -1$"):
        Transition(CONNECTING, -1, "x")
    with pytest.raises(TypeError, match=r"^Transition\(\) expects reason to be a str, got None \(NoneType\)$"):
        Transition(CONNECTING, 1, None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^Transition\(\) expects refresh_token to be a bool, got 1 \(int\)$"):
        Transition(CONNECTING, 1, "x", 1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^Transition\(\) expects invalidate_state to be a bool, got 0 \(int\)$"):
        Transition(CONNECTING, 1, "x", False, 0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(AttributeError, match=r"^Transition is immutable; cannot delete '_code'$"):
        del Transition(CONNECTING, 1, "x")._code


def test_transitions_hash_apart() -> None:
    hashes = {hash(Transition(CONNECTING, code, "x")) for code in range(100)}
    assert len(hashes) > 90

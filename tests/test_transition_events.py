"""Transition.event_code(): classify and the SDK events speak one vocabulary.

The expectations are the SDK's own: which event reports each outcome (centrifuge-js
5.7.4 emits ``connecting``/``disconnected``/``subscribing``/``unsubscribed`` for a
state change and an ``error`` event for an error it retries without changing state),
and then what that event's function in ``events`` gives for the code.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import (
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    SubscribingCode,
    UnsubscribeCode,
    classify,
    events,
)
from centrifugo_protocol.classify import ClientState, SubscriptionState

codes = st.integers(0, 2**32 - 1)
flags = st.booleans()


def reported_by(state: ClientState | SubscriptionState, code: int) -> Callable[[int], object]:
    # Written out from the SDK's behaviour, not read from the package's table.
    if state is ClientState.CONNECTING:
        return events.connecting
    if state is ClientState.DISCONNECTED:
        return events.disconnected
    if state is SubscriptionState.UNSUBSCRIBED:
        return events.unsubscribed
    if state is SubscriptionState.SUBSCRIBING:
        return events.error if 100 <= code <= 1999 else events.subscribing
    return events.error  # staying connected or subscribed: a retried refresh


@given(code=codes, temporary=flags)
def test_client_transitions_are_typed_as_their_event(code: int, temporary: bool) -> None:
    for transition in (
        classify.on_disconnect(code),
        classify.on_close(code),
        classify.on_connect_error(code, temporary=temporary),
        classify.on_refresh_error(code, temporary=temporary),
    ):
        assert transition.event_code() is reported_by(transition.state, transition.code)(transition.code)


@given(code=codes, temporary=flags, rebuild=flags)
def test_subscription_transitions_are_typed_as_their_event(code: int, temporary: bool, rebuild: bool) -> None:
    for transition in (
        classify.on_unsubscribe(code),
        classify.on_subscribe_error(code, temporary=temporary, can_rebuild_state=rebuild),
        classify.on_subscription_refresh_error(code, temporary=temporary),
        classify.on_connection_lost(),
    ):
        assert transition.event_code() is reported_by(transition.state, transition.code)(transition.code)


def test_examples_read_as_a_user_would() -> None:
    assert classify.on_disconnect(3012).event_code() is DisconnectCode.NO_PONG
    assert classify.on_disconnect(3500).event_code() is DisconnectCode.INVALID_TOKEN
    # A temporary error to connect: centrifuge-js reports "connecting" with 100.
    assert classify.on_connect_error(100, temporary=True).event_code() is ErrorCode.INTERNAL
    assert classify.on_connect_error(101).event_code() is ErrorCode.UNAUTHORIZED
    assert classify.on_close(1000).event_code() is ConnectingCode.TRANSPORT_CLOSED
    assert classify.on_close(1009).event_code() is DisconnectedCode.MESSAGE_SIZE_LIMIT
    assert classify.on_unsubscribe(2500).event_code() is UnsubscribeCode.INSUFFICIENT
    assert classify.on_unsubscribe(2000).event_code() is UnsubscribeCode.SERVER
    # A temporary error to subscribe: the SDK stays subscribing and emits "error".
    assert classify.on_subscribe_error(111, temporary=True).event_code() is ErrorCode.TOO_MANY_REQUESTS
    assert classify.on_subscribe_error(103).event_code() is ErrorCode.PERMISSION_DENIED
    assert classify.on_refresh_error(1, "timeout").event_code() is ClientErrorCode.TIMEOUT
    assert classify.on_connection_lost().event_code() is SubscribingCode.TRANSPORT_CLOSED

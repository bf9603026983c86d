"""What the centrifuge library itself sends, through the trigger server.

Centrifugo v6.9.1 has no feature that sends 2502 or a custom unsubscribe code, or an
error reply to a refresh or a sub_refresh. The trigger server (``tests/live/trigger``)
runs the same library, and each client scripts it with its connect and subscribe
data (the contract is at the top of ``trigger/main.go``). These tests make it send
every kind of code on every command, then hold the package to what arrived: the
frame decodes with ``wire`` to the code, text and flag on the wire, and ``classify``
gives the next state that the protocol's rules (written out here, independently of
the package's code) call for.

One trigger process serves the whole module; every test opens its own connection.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import pytest

from centrifugo_protocol import (
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    classify,
    wire,
)
from centrifugo_protocol.classify import ClientState, SubscriptionState

from .explain import assert_cli_explains
from .harness import Closed, RawClient, TriggerServer, raw

# --- Independent facts (ground-truth.md §1 and §3), not the package's tables ----------

#: The library's own error values: code -> (message, temporary).
LIBRARY_ERRORS: Final = {
    100: ("internal server error", True),
    101: ("unauthorized", False),
    102: ("unknown channel", False),
    103: ("permission denied", False),
    104: ("method not found", False),
    105: ("already subscribed", False),
    106: ("limit exceeded", False),
    107: ("bad request", False),
    108: ("not available", False),
    109: ("token expired", False),
    110: ("expired", False),
    111: ("too many requests", True),
    112: ("unrecoverable position", False),
    113: ("concurrent pagination", True),
}

#: The library's own disconnect values: code -> reason.
LIBRARY_DISCONNECTS: Final = {
    3001: "shutdown",
    3004: "internal server error",
    3005: "connection expired",
    3006: "subscription expired",
    3008: "slow",
    3009: "write error",
    3010: "insufficient state",
    3011: "force reconnect",
    3012: "no pong",
    3013: "too many requests",
    3014: "state invalidated",
    3500: "invalid token",
    3501: "bad request",
    3502: "stale",
    3503: "force disconnect",
    3504: "connection limit",
    3505: "channel limit",
    3506: "inappropriate protocol",
    3507: "permission denied",
    3508: "not available",
    3509: "too many errors",
}


def reconnects(code: int) -> bool:
    """The disconnect range rule: terminal in 3500-3999 and 4500-4999 only."""
    return not (3500 <= code < 4000 or 4500 <= code < 5000)


def resubscribes(code: int) -> bool:
    """The unsubscribe rule: from 2500 up the client subscribes again."""
    return code >= 2500


# --- Scripts --------------------------------------------------------------------------

_ids: Iterator[int] = itertools.count(1)


def _channel(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _error(code: int, message: str, temporary: bool) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "temporary": temporary}}


def _connected(client: RawClient, script: dict[str, object]) -> dict[str, Any]:
    reply = client.reply(client.send({"connect": {"data": script}}))
    assert "connect" in reply, f"the trigger refused the script {script!r}: {reply!r}, closed={client.closed}"
    return reply


def _subscribed(client: RawClient, channel: str, script: dict[str, object] | None = None, **more: object) -> None:
    subscribe: dict[str, object] = {"channel": channel, **more}
    if script is not None:
        subscribe["data"] = script
    reply = client.reply(client.send({"subscribe": subscribe}))
    assert "subscribe" in reply, f"subscribe {subscribe!r} got {reply!r}"


#: Every command that a client sends and the server answers.
COMMANDS: Final = (
    "connect",
    "refresh",
    "subscribe",
    "sub_refresh",
    "publish",
    "rpc",
    "history",
    "presence",
    "presence_stats",
)


def _answer(
    trigger: TriggerServer, command: str, outcome: dict[str, object]
) -> tuple[RawClient, dict[str, Any] | None]:
    """Make the trigger answer ``command`` with ``outcome``; return the client and the
    reply (None when the connection closed instead). The caller closes the client."""
    client = RawClient(trigger.ws_url)
    channel = _channel(command)
    script: dict[str, object] = {"user": "trigger-test"}
    if command == "connect":
        command_id = client.send({"connect": {"data": {"connect": outcome}}})
    else:
        if command == "refresh":
            script["refresh"] = outcome
        elif command == "subscribe":
            script["commands"] = {"subscribe": outcome}
        elif command == "sub_refresh":
            script["commands"] = {"sub_refresh": outcome}
        else:
            script["commands"] = {command: outcome}
        _connected(client, script)
        if command == "sub_refresh":
            _subscribed(client, channel)
        bodies: dict[str, dict[str, object]] = {
            "refresh": {"token": "any"},
            "subscribe": {"channel": channel},
            "sub_refresh": {"channel": channel, "token": "any"},
            "publish": {"channel": channel, "data": {"n": 1}},
            "rpc": {"method": "m", "data": {}},
            "history": {"channel": channel},
            "presence": {"channel": channel},
            "presence_stats": {"channel": channel},
        }
        command_id = client.send({command: bodies[command]})
    try:
        return client, client.reply(command_id)
    except ConnectionError:
        return client, None


# --- Reply errors on every command ----------------------------------------------------

#: Built-in codes, and application codes at both ends of 400-1999 and inside.
ERROR_CODES: Final = (*range(100, 114), 400, 1000, 1999)


@dataclass(frozen=True)
class ErrorCase:
    command: str
    code: int
    temporary: bool

    @property
    def id(self) -> str:
        return f"{self.command}-{self.code}-{'temporary' if self.temporary else 'permanent'}"

    @property
    def message(self) -> str:
        return f"scripted {self.code} on {self.command}"


ERROR_CASES: Final = tuple(
    ErrorCase(command, code, temporary) for command in COMMANDS for code in ERROR_CODES for temporary in (False, True)
)


def _check_transition(command: str, error: wire.ReplyError) -> None:
    """The state that the rules of ground-truth.md §5 give for an error reply."""
    code, message, temporary = error.code, error.message, error.temporary
    if command == "connect":
        client = error.on_connect()
        assert client == classify.on_connect_error(code, message, temporary=temporary)
        expected = ClientState.CONNECTING if temporary or code == 109 else ClientState.DISCONNECTED
        assert (client.state, client.code, client.reason) == (expected, code, message)
        assert client.refresh_token is (code == 109)
        # Whatever event the SDK reports this with carries the reply's code.
        assert client.event_code() == ErrorCode.lookup(code)
    elif command == "refresh":
        client = error.on_refresh()
        assert client == classify.on_refresh_error(code, message, temporary=temporary)
        expected = ClientState.CONNECTED if temporary else ClientState.DISCONNECTED
        assert (client.state, client.code, client.reason) == (expected, code, message)
        assert client.event_code() == ErrorCode.lookup(code)
    elif command == "subscribe":
        sub = error.on_subscribe()
        assert sub == classify.on_subscribe_error(code, message, temporary=temporary)
        expected_sub = SubscriptionState.SUBSCRIBING if temporary or code == 109 else SubscriptionState.UNSUBSCRIBED
        assert (sub.state, sub.code, sub.reason) == (expected_sub, code, message)
        assert sub.refresh_token is (code == 109)
        assert sub.event_code() == ErrorCode.lookup(code)
        rebuilt = error.on_subscribe(can_rebuild_state=True)
        if code == 112:  # the application starts over, whatever the flag says
            assert (rebuilt.state, rebuilt.invalidate_state) == (SubscriptionState.SUBSCRIBING, True)
        else:
            assert rebuilt == sub
    elif command == "sub_refresh":
        sub = error.on_subscription_refresh()
        assert sub == classify.on_subscription_refresh_error(code, message, temporary=temporary)
        expected_sub = SubscriptionState.SUBSCRIBED if temporary else SubscriptionState.UNSUBSCRIBED
        assert (sub.state, sub.code, sub.reason) == (expected_sub, code, message)
        assert sub.event_code() == ErrorCode.lookup(code)


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.id)
def test_a_scripted_error_reply_decodes_and_classifies(trigger: TriggerServer, case: ErrorCase) -> None:
    client, reply = _answer(trigger, case.command, _error(case.code, case.message, case.temporary))
    client.close()
    assert reply is not None and "error" in reply, f"{case.id}: got {reply!r}, closed={client.closed}"
    frame = reply["error"]
    # What the library writes: the code and text as given; the flag only when true.
    expected_frame: dict[str, object] = {"code": case.code, "message": case.message}
    if case.temporary:
        expected_frame["temporary"] = True
    assert frame == expected_frame, case.id
    error = wire.ReplyError.from_json(frame)
    assert (error.code, error.message, error.temporary) == (case.code, case.message, case.temporary)
    looked_up = error.error_code
    if case.code in LIBRARY_ERRORS:
        assert looked_up is ErrorCode(case.code)
    else:
        assert isinstance(looked_up, UnknownErrorCode)
        assert looked_up.code == case.code
    _check_transition(case.command, error)
    assert_cli_explains(case.code)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_error_without_message_or_flag_reaches_the_client_without_them(trigger: TriggerServer, command: str) -> None:
    """An empty message and a false flag are left out of the frame: both mean their zero
    value (not the code's built-in text), and the package reads them so."""
    client, reply = _answer(trigger, command, {"error": {"code": 103, "message": "", "temporary": False}})
    client.close()
    assert reply is not None and reply.get("error") == {"code": 103}, reply
    error = wire.ReplyError.from_json(reply["error"])
    assert (error.code, error.message, error.temporary) == (103, "", False)
    _check_transition(command, error)


@pytest.mark.parametrize("code", sorted(LIBRARY_ERRORS))
def test_the_library_own_error_values_match_the_package_defaults(trigger: TriggerServer, code: int) -> None:
    """The library's own error with each built-in code carries the text and flag that
    the package gives as that code's defaults."""
    client, reply = _answer(trigger, "rpc", {"error": {"builtin": code}})
    client.close()
    assert reply is not None and "error" in reply, reply
    message, temporary = LIBRARY_ERRORS[code]
    expected: dict[str, object] = {"code": code, "message": message}
    if temporary:
        expected["temporary"] = True
    assert reply["error"] == expected
    member = ErrorCode(code)
    assert (member.message, member.temporary) == (message, temporary)
    error = wire.ReplyError.from_json(reply["error"])
    assert error.error_code is member
    assert (error.message, error.temporary) == (member.message, member.temporary)


@pytest.mark.parametrize("command", ["refresh", "sub_refresh"])
def test_the_library_answers_110_to_a_refresh_that_ends_in_the_past(trigger: TriggerServer, command: str) -> None:
    """The library's own reply error on the refresh path: a refresh whose new expiry
    is already over gets 110 "expired" (not a disconnect)."""
    channel = _channel("past")
    with raw(trigger.ws_url) as client:
        if command == "refresh":
            _connected(client, {"refresh_expire_in": -60})
            reply = client.reply(client.send({"refresh": {"token": "any"}}))
        else:
            _connected(client, {})
            _subscribed(client, channel, {"refresh_expire_in": -60})
            reply = client.reply(client.send({"sub_refresh": {"channel": channel, "token": "any"}}))
    assert reply.get("error") == {"code": 110, "message": "expired"}, reply
    error = wire.ReplyError.from_json(reply["error"])
    assert error.error_code is ErrorCode.EXPIRED
    assert (ErrorCode.EXPIRED.message, ErrorCode.EXPIRED.temporary) == ("expired", False)
    _check_transition(command, error)


# --- Disconnects from the library -----------------------------------------------------

#: Custom disconnect codes in each band: the server's (3000-3999) and the application's
#: (4000-4999), on both sides of each band's terminal line.
DISCONNECT_CODES: Final = (3011, 3014, 3499, 3500, 3509, 3999, 4000, 4001, 4499, 4500, 4999)


def _check_close(closed: Closed, code: int, reason: str) -> None:
    assert closed == Closed(True, code, reason)
    transition = classify.on_close(code, reason)
    expected = ClientState.CONNECTING if reconnects(code) else ClientState.DISCONNECTED
    assert (transition.state, transition.code, transition.reason) == (expected, code, reason)
    assert transition.refresh_token is transition.invalidate_state is (code == 3014)
    # The SDK's connecting or disconnected event carries the code as sent.
    assert transition.event_code() == DisconnectCode.lookup(code)


@pytest.mark.parametrize(
    ("command", "code"),
    [(command, code) for command in COMMANDS for code in (4001, 4501)],
    ids=str,
)
def test_a_disconnect_in_answer_to_a_command_is_a_close_frame(trigger: TriggerServer, command: str, code: int) -> None:
    """Over WebSocket the library closes with the code and reason it was given, in
    answer to any command; no reply and no push come first."""
    reason = f"closed on {command}"
    client, reply = _answer(trigger, command, {"disconnect": {"code": code, "reason": reason}})
    try:
        assert reply is None, reply
        closed = client.until_closed()
    finally:
        client.close()
    _check_close(closed, code, reason)
    assert not [m for m in client.messages if "push" in m], client.messages


@pytest.mark.parametrize("code", DISCONNECT_CODES)
def test_a_custom_disconnect_after_connect_is_a_close_frame(trigger: TriggerServer, code: int) -> None:
    reason = f"custom {code}"
    with raw(trigger.ws_url) as client:
        _connected(client, {"after_connect": {"delay_ms": 0, "disconnect": {"code": code, "reason": reason}}})
        closed = client.until_closed()
    _check_close(closed, code, reason)
    assert_cli_explains(code)


@pytest.mark.parametrize(
    "script",
    [{"refresh_expired": True}, {"expire_in": 1}],
    ids=["refresh-says-expired", "expiry-without-refresh"],
)
def test_the_library_closes_an_expired_connection_with_3005(trigger: TriggerServer, script: dict[str, object]) -> None:
    with raw(trigger.ws_url) as client:
        _connected(client, script)
        if "refresh_expired" in script:
            client.send({"refresh": {"token": "any"}})
        closed = client.until_closed(timeout=5)
    _check_close(closed, 3005, "connection expired")
    assert DisconnectCode.EXPIRED.reason == "connection expired"


def test_a_disconnect_code_above_65535_is_cut_to_16_bits_in_the_close_frame(trigger: TriggerServer) -> None:
    with raw(trigger.ws_url) as client:
        _connected(client, {"after_connect": {"disconnect": {"code": 70000, "reason": "big"}}})
        closed = client.until_closed()
    assert closed == Closed(True, 70000 % 65536, "big")
    assert 70000 % 65536 == 4464
    assert classify.on_close(4464, "big").state is ClientState.CONNECTING


@pytest.mark.parametrize(("size", "framed"), [(123, True), (124, False)], ids=["123-bytes", "124-bytes"])
def test_a_reason_over_123_bytes_loses_the_close_frame(trigger: TriggerServer, size: int, framed: bool) -> None:
    reason = "r" * size
    with raw(trigger.ws_url) as client:
        _connected(client, {"after_connect": {"disconnect": {"code": 4500, "reason": reason}}})
        closed = client.until_closed()
    if framed:
        _check_close(closed, 4500, reason)
    else:
        # Measured: no close frame at all, TCP just ends. A WebSocket client reports
        # an abnormal closure (1006) and reconnects, though 4500 is terminal.
        assert closed == Closed(False, None, ""), closed
        assert classify.on_close(1006).state is ClientState.CONNECTING


@pytest.mark.parametrize("code", [4001, 4500, 5000, 70000, 3014, 3500])
def test_http_stream_carries_a_disconnect_push_with_the_code_unchanged(trigger: TriggerServer, code: int) -> None:
    reason = f"push {code}"
    messages = trigger.http_stream(
        {"connect": {"data": {"after_connect": {"delay_ms": 0, "disconnect": {"code": code, "reason": reason}}}}}
    )
    assert "connect" in messages[0], messages
    pushes = [m["push"]["disconnect"] for m in messages if "disconnect" in m.get("push", {})]
    assert pushes == [{"code": code, "reason": reason}], messages
    disconnect = wire.Disconnect.from_json(pushes[0])
    assert (disconnect.code, disconnect.reason) == (code, reason)
    transition = disconnect.transition()
    assert transition == classify.on_disconnect(code, reason)
    expected = ClientState.CONNECTING if reconnects(code) else ClientState.DISCONNECTED
    assert (transition.state, transition.code, transition.reason) == (expected, code, reason)
    assert transition.invalidate_state is (code == 3014)


@pytest.mark.parametrize("code", sorted(LIBRARY_DISCONNECTS))
def test_the_library_own_disconnect_values_match_the_package(trigger: TriggerServer, code: int) -> None:
    """Each of the library's own disconnects, as a push over http_stream in answer to
    connect: the reason is the one the package gives for the code."""
    messages = trigger.http_stream({"connect": {"data": {"connect": {"disconnect": {"builtin": code}}}}})
    if code == 3008:
        # Measured: for "slow" the library drops what is still queued, the push
        # included, so an http_stream client only sees its stream end (a transport
        # close: it reconnects, as 3008 says anyway).
        assert messages == [], messages
        assert DisconnectCode(code).reason == LIBRARY_DISCONNECTS[code]
        assert DisconnectCode(code).reconnect is reconnects(code)
        return
    assert messages == [{"push": {"disconnect": {"code": code, "reason": LIBRARY_DISCONNECTS[code]}}}], messages
    disconnect = wire.Disconnect.from_json(messages[0]["push"]["disconnect"])
    member = disconnect.disconnect_code
    assert not isinstance(member, UnknownDisconnectCode), member
    assert member is DisconnectCode(code)
    assert member.reason == disconnect.reason
    assert member.reconnect is reconnects(code)


# --- Unsubscribes ---------------------------------------------------------------------


def _check_unsubscribe(push: dict[str, Any], channel: str, code: int, reason: str) -> None:
    assert push["channel"] == channel
    frame = push["unsubscribe"]
    expected: dict[str, object] = {"code": code}
    if reason:
        expected["reason"] = reason
    assert frame == expected, push
    unsubscribe = wire.Unsubscribe.from_json(frame)
    assert (unsubscribe.code, unsubscribe.reason) == (code, reason)
    looked_up = UnsubscribeCode.lookup(code)
    if code in (2000, 2500, 2501, 2502):
        assert looked_up is UnsubscribeCode(code)
    else:
        assert isinstance(looked_up, UnknownUnsubscribeCode)
    assert looked_up.resubscribe is resubscribes(code)
    assert unsubscribe.unsubscribe_code == looked_up
    transition = classify.on_unsubscribe(code, reason)
    assert unsubscribe.transition() == transition
    expected_state = SubscriptionState.SUBSCRIBING if resubscribes(code) else SubscriptionState.UNSUBSCRIBED
    assert (transition.state, transition.code, transition.reason) == (expected_state, code, reason)
    assert transition.refresh_token is transition.invalidate_state is (code == 2502)
    if 2000 <= code < 3000:
        # The SDK's subscribing or unsubscribed event carries the code as sent.
        assert transition.event_code() == looked_up


def test_the_library_sends_2502_when_a_sub_refresh_changes_a_map_tags_filter(trigger: TriggerServer) -> None:
    """2502's only sender in the library: a sub_refresh that changes the server tags
    filter of a map subscription. The sub_refresh gets no reply: the push replaces it."""
    channel = _channel("map")
    with raw(trigger.ws_url) as client:
        _connected(client, {})
        _subscribed(client, channel, {"tags_filter_change": True}, type=1, phase=2, limit=100)
        refresh_id = client.send({"sub_refresh": {"channel": channel, "token": "any"}})
        push = client.push("unsubscribe")
        # A later command's reply proves that no reply to the sub_refresh was written.
        later = client.reply(client.send({"rpc": {"method": "m", "data": {}}}))
        assert "rpc" in later, later
        assert not [m for m in client.messages if m.get("id") == refresh_id], client.messages
    _check_unsubscribe(push, channel, 2502, "server tags filter changed")
    # The library defines no text for 2502; the package does not invent one.
    assert UnsubscribeCode.STATE_INVALIDATED.reason == ""
    assert_cli_explains(2502, "unsubscribe")


def test_the_library_sends_2500_when_a_positioned_subscription_misses_a_publication(
    trigger: TriggerServer,
) -> None:
    """The node gets a publication whose offset skips one: the library finds the hole
    and tells the client its state is insufficient, so it resubscribes and recovers."""
    channel = _channel("gap")
    with raw(trigger.ws_url) as client:
        _connected(client, {})
        _subscribed(client, channel, {"positioned": True, "after_subscribe": {"gap": True}}, positioned=True)
        push = client.push("unsubscribe")
    _check_unsubscribe(push, channel, 2500, "insufficient state")
    assert UnsubscribeCode.INSUFFICIENT.reason == "insufficient state"


def test_the_library_sends_2501_when_a_subscription_expires_unrefreshed(trigger: TriggerServer) -> None:
    channel = _channel("expiring")
    with raw(trigger.ws_url) as client:
        _connected(client, {})
        _subscribed(client, channel, {"expire_in": 1})
        push = client.push("unsubscribe", timeout=5)
    _check_unsubscribe(push, channel, 2501, "subscription expired")
    assert UnsubscribeCode.EXPIRED.reason == "subscription expired"


def test_the_library_default_server_unsubscribe_is_2000(trigger: TriggerServer) -> None:
    channel = _channel("plain")
    with raw(trigger.ws_url) as client:
        _connected(client, {})
        _subscribed(client, channel, {"after_subscribe": {"unsubscribe": {"builtin": 2000}}})
        push = client.push("unsubscribe")
    _check_unsubscribe(push, channel, 2000, "server unsubscribe")
    assert UnsubscribeCode.SERVER.reason == "server unsubscribe"


#: Custom unsubscribe codes: the band that ends the subscription (2000-2499), the band
#: that resubscribes (2500-2999), reused built-in codes with other texts, and numbers
#: outside 2000-2999 that the library passes through all the same.
UNSUBSCRIBE_CASES: Final = (
    (2001, "custom end"),
    (2100, "custom end"),
    (2499, "last of the end band"),
    (2500, "reused with another text"),
    (2502, "reused state invalidated"),
    (2503, "custom resubscribe"),
    (2600, ""),
    (2999, "last of the resubscribe band"),
    (1999, "below the band"),
    (3000, "above the band"),
)


@pytest.mark.parametrize(
    ("code", "reason"), UNSUBSCRIBE_CASES, ids=lambda v: str(v) if isinstance(v, int) else (v or "no reason")
)
def test_a_custom_unsubscribe_code_arrives_unchanged_and_follows_the_range_rule(
    trigger: TriggerServer, code: int, reason: str
) -> None:
    channel = _channel("custom")
    with raw(trigger.ws_url) as client:
        _connected(client, {})
        _subscribed(client, channel, {"after_subscribe": {"unsubscribe": {"code": code, "reason": reason}}})
        push = client.push("unsubscribe")
    _check_unsubscribe(push, channel, code, reason)
    if 2000 <= code < 3000:
        assert_cli_explains(code, "unsubscribe")


@pytest.mark.parametrize(
    "script",
    [{"commands": {"nope": {}}}, {"refresh_expird": True}, {"connect": {"error": {"builtin": 999}}}],
    ids=["unknown-command", "misspelt-key", "unknown-builtin"],
)
def test_the_trigger_refuses_a_script_it_cannot_follow(trigger: TriggerServer, script: dict[str, object]) -> None:
    """A broken script fails the test loudly, never a silent success."""
    with raw(trigger.ws_url) as client:
        client.send({"connect": {"data": script}})
        closed = client.until_closed()
    assert closed.code == 3501 and closed.reason.startswith("trigger:"), closed

"""Disconnects and unsubscribes, sent for real by Centrifugo v6.9.1 to a raw client.

Over WebSocket a disconnect arrives as a close frame: a 16-bit code and the reason's
bytes. Each trigger checks that the frame decodes with ``wire`` to the member (or
Unknown value) whose reason the package gives, that ``classify.on_close`` takes the
side the protocol's range rule takes, and that the CLI explains the code.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from centrifugo_protocol import DisconnectCode, UnknownDisconnectCode, UnknownUnsubscribeCode, UnsubscribeCode, wire
from centrifugo_protocol.classify import ClientState, SubscriptionState, on_close

from .explain import assert_cli_explains
from .harness import Centrifugo, Closed, RawClient, jwt, raw

_counter = iter(range(1, 1_000_000))


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}-{time.monotonic_ns() % 10**9}"


def connect_as(client: RawClient, user: str, **claims: object) -> dict[str, object]:
    reply = client.reply(client.send({"connect": {"token": jwt({"sub": user, **claims})}}))
    assert "connect" in reply, reply
    return reply


def reconnects_by_range(code: int) -> bool:
    """The protocol's rule for a close code, written out from the spec's bands."""
    return 3000 <= code <= 3499 or 4000 <= code <= 4499


@dataclass(frozen=True)
class Trigger:
    id: str
    code: int
    run: Callable[[Centrifugo], Closed]
    on: str = "server"
    #: The reason the server writes itself ("" when an API call or a proxy chose it).
    builtin: bool = True


def _api_disconnect(code: int | None, reason: str = "") -> Callable[[Centrifugo], Closed]:
    def run(live: Centrifugo) -> Closed:
        user = unique("api-disconnect")
        with raw(live.ws_url) as client:
            connect_as(client, user)
            body: dict[str, object] = {"user": user}
            if code is not None:
                body["disconnect"] = {"code": code, "reason": reason}
            answer = live.api("disconnect", body)
            assert answer.status == 200 and "error" not in (answer.body or {}), answer
            return client.until_closed()

    return run


def _proxy_disconnect(code: int, reason: str) -> Callable[[Centrifugo], Closed]:
    def run(live: Centrifugo) -> Closed:
        with raw(live.ws_url) as client:
            answer = {"disconnect": {"code": code, "reason": reason}}
            client.send({"connect": {"data": {"proxy": {"answer": answer}}}})
            return client.until_closed()

    return run


def _bad_token(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send({"connect": {"token": "not-a-token"}})
        return client.until_closed()


def _command_before_connect(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send({"subscribe": {"channel": "early"}})
        return client.until_closed()


def _not_json(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send_raw("this is not json")
        return client.until_closed()


def _no_credentials(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send({"connect": {}})
        return client.until_closed()


def _never_connects(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        return client.until_closed(timeout=8)


def _no_pong(live: Centrifugo) -> Closed:
    with raw(live.ws_url, pong=False) as client:
        connect_as(client, unique("silent"))
        return client.until_closed(timeout=8)


def _expired_by_api(live: Centrifugo) -> Closed:
    user = unique("refresh")
    with raw(live.ws_url) as client:
        connect_as(client, user)
        answer = live.api("refresh", {"user": user, "expired": True})
        assert answer.status == 200, answer
        return client.until_closed()


def _expired_token(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        connect_as(client, unique("expiring"), exp=int(time.time()) + 2)
        return client.until_closed(timeout=10)


def _slow(live: Centrifugo) -> Closed:
    user = unique("slow")
    with raw(live.ws_url) as client:
        connect_as(client, user)
        channel = unique("slow")
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": channel}}))
        answer = live.api("publish", {"channel": channel, "data": {"blob": "x" * 4096}})
        assert answer.status == 200, answer
        return client.until_closed()


def _inappropriate_protocol(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        connect_as(client, unique("json-only"))
        channel = unique("bin")
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": channel}}))
        answer = live.api("publish", {"channel": channel, "b64data": "aGVsbG8="})
        assert answer.status == 200, answer
        return client.until_closed()


def _connection_limit(live: Centrifugo) -> Closed:
    user = unique("twice")
    with raw(live.ws_url) as first, raw(live.ws_url) as second:
        connect_as(first, user)
        second.send({"connect": {"token": jwt({"sub": user})}})
        return second.until_closed()


def _channel_limit(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send({"connect": {"token": jwt({"sub": unique("subs"), "subs": {"one": {}, "two": {}}})}})
        return client.until_closed()


def _anonymous_token(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        client.send({"connect": {"token": jwt({"sub": ""})}})
        return client.until_closed()


def _send_without_handler(live: Centrifugo) -> Closed:
    with raw(live.ws_url) as client:
        connect_as(client, unique("sender"))
        client.send_raw(json.dumps({"send": {"data": {"hello": 1}}}))
        return client.until_closed()


def _subscription_expired(live: Centrifugo) -> Closed:
    user = unique("server-sub")
    with raw(live.ws_url) as client:
        connect_as(client, user)
        answer = live.api("subscribe", {"user": user, "channel": unique("ss"), "expire_at": int(time.time()) + 1})
        assert answer.status == 200, answer
        return client.until_closed(timeout=10)


def _refresh_proxy_bad_info(live: Centrifugo) -> Closed:
    """The server refreshes the connection itself, and the refresh proxy's answer
    carries connection info that is not base64: the server cannot apply it."""
    user = unique("bad-info")
    script = {
        "answer": {"result": {"user": user, "expire_at": int(time.time()) + 1}},
        "refresh": {"result": {"expire_at": int(time.time()) + 3600, "b64info": "!!"}},
    }
    with raw(live.ws_url) as client:
        assert "connect" in client.reply(client.send({"connect": {"data": {"proxy": script}}}))
        return client.until_closed(timeout=10)


def _refresh_with_other_subs(live: Centrifugo) -> Closed:
    """A connection token's server-side subscriptions are its state: a refresh whose
    token names other ones cannot be applied in place."""
    user = unique("resubs")
    with raw(live.ws_url) as client:
        expires = int(time.time()) + 60  # a token that expires is one the client refreshes
        connect_as(client, user, exp=expires, subs={unique("first"): {}})
        client.send({"refresh": {"token": jwt({"sub": user, "exp": expires + 60, "subs": {unique("second"): {}}})}})
        return client.until_closed()


def _client_refresh(live: Centrifugo) -> Closed:
    """With a refresh proxy the server refreshes connections itself, and a client's
    own refresh command is a protocol error, even with a valid token."""
    user = unique("self-refresh")
    with raw(live.ws_url) as client:
        expires = int(time.time()) + 60
        connect_as(client, user, exp=expires)
        client.send({"refresh": {"token": jwt({"sub": user, "exp": expires + 60})}})
        return client.until_closed()


TRIGGERS: tuple[Trigger, ...] = (
    Trigger("disconnect.3004.refresh-proxy-bad-info", 3004, _refresh_proxy_bad_info, on="refreshing"),
    Trigger("disconnect.3005.api-refresh-expired", 3005, _expired_by_api),
    Trigger("disconnect.3005.token-expired", 3005, _expired_token),
    Trigger("disconnect.3006.server-side-subscription-expired", 3006, _subscription_expired),
    Trigger("disconnect.3008.slow", 3008, _slow, on="limits"),
    Trigger("disconnect.3010.refresh-with-other-subs", 3010, _refresh_with_other_subs),
    Trigger("disconnect.3012.no-pong", 3012, _no_pong),
    Trigger("disconnect.3500.malformed-token", 3500, _bad_token),
    Trigger("disconnect.3501.no-credentials", 3501, _no_credentials, on="limits"),
    Trigger("disconnect.3501.command-before-connect", 3501, _command_before_connect),
    Trigger("disconnect.3501.not-json", 3501, _not_json),
    Trigger("disconnect.3501.client-refresh-with-refresh-proxy", 3501, _client_refresh, on="refreshing"),
    Trigger("disconnect.3502.never-connects", 3502, _never_connects),
    Trigger("disconnect.3503.api-disconnect", 3503, _api_disconnect(None)),
    Trigger("disconnect.3504.user-connection-limit", 3504, _connection_limit, on="limits"),
    Trigger("disconnect.3505.subs-claim-over-channel-limit", 3505, _channel_limit, on="limits"),
    Trigger("disconnect.3506.binary-publication", 3506, _inappropriate_protocol),
    Trigger("disconnect.3507.anonymous-token", 3507, _anonymous_token, on="limits"),
    Trigger("disconnect.3508.send-without-handler", 3508, _send_without_handler),
    Trigger("disconnect.3011.api", 3011, _api_disconnect(3011, "tls required"), builtin=False),
    Trigger("disconnect.3013.api", 3013, _api_disconnect(3013, "too many requests"), builtin=False),
    Trigger("disconnect.3014.api", 3014, _api_disconnect(3014, "state invalidated"), builtin=False),
    Trigger("disconnect.3509.api", 3509, _api_disconnect(3509, "too many errors"), builtin=False),
    Trigger("disconnect.app.4000.api", 4000, _api_disconnect(4000, "maintenance"), builtin=False),
    Trigger("disconnect.app.4499.proxy", 4499, _proxy_disconnect(4499, "come back"), builtin=False),
    Trigger("disconnect.app.4500.proxy", 4500, _proxy_disconnect(4500, "banned"), builtin=False),
    Trigger("disconnect.app.4999.api", 4999, _api_disconnect(4999, "gone"), builtin=False),
)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_the_live_close_frame_decodes_as_the_package_says(trigger: Trigger, request: pytest.FixtureRequest) -> None:
    live = request.getfixturevalue(trigger.on)
    assert isinstance(live, Centrifugo)
    closed = trigger.run(live)
    assert closed.frame, f"{trigger.id}: TCP closed without a close frame"
    assert closed.code == trigger.code, f"{trigger.id}: expected {trigger.code}, got {closed}"
    decoded = wire.Disconnect(trigger.code, closed.reason).disconnect_code
    if trigger.code in DisconnectCode._value2member_map_:
        member = DisconnectCode(trigger.code)
        assert decoded is member
        if trigger.builtin:
            assert closed.reason == member.reason, trigger.id
        assert member.reconnect is reconnects_by_range(trigger.code), trigger.id
    else:
        assert isinstance(decoded, UnknownDisconnectCode)
        assert decoded.reconnect is reconnects_by_range(trigger.code)
    transition = on_close(trigger.code, closed.reason)
    expected = ClientState.CONNECTING if reconnects_by_range(trigger.code) else ClientState.DISCONNECTED
    assert transition.state is expected, (trigger.id, transition)
    assert transition.code == closed.code
    assert_cli_explains(trigger.code)


def test_a_code_above_65535_arrives_truncated_to_16_bits(server: Centrifugo) -> None:
    """The server takes any uint32 code; the close frame keeps its low 16 bits."""
    closed = _api_disconnect(70000, "wide")(server)
    assert closed.frame
    assert closed.code == 70000 % 65536 == 4464
    # What arrives is what the package must explain: an application code that reconnects.
    assert on_close(4464, closed.reason).state is ClientState.CONNECTING


@pytest.mark.parametrize(("length", "framed"), [(123, True), (124, False)])
def test_a_reason_over_123_bytes_loses_the_close_frame(server: Centrifugo, length: int, framed: bool) -> None:
    """A close frame's payload is at most 125 bytes: 2 for the code, 123 for the reason.
    At 124 the server closes TCP with no close frame at all, so a client sees an
    abnormal closure and reconnects, even after a terminal code."""
    closed = _api_disconnect(4500, "r" * length)(server)
    assert closed.frame is framed
    if framed:
        assert (closed.code, closed.reason) == (4500, "r" * length)
        assert on_close(4500, closed.reason).state is ClientState.DISCONNECTED
    else:
        assert closed.code is None
        assert on_close(1006).state is ClientState.CONNECTING


def test_shutdown_closes_every_client_with_3001(backend_url: str) -> None:
    """A node that stops (SIGTERM) closes its clients with 3001, which reconnect."""
    from .conftest import start_server

    live = start_server(backend_url, "shutdown")
    try:
        with raw(live.ws_url) as client:
            connect_as(client, unique("shutdown"))
            live.process.terminate()
            closed = client.until_closed()
    finally:
        live.stop()
    assert (closed.code, closed.reason) == (3001, DisconnectCode.SHUTDOWN.reason)
    assert on_close(3001, closed.reason).state is ClientState.CONNECTING


# --- Unsubscribes ---------------------------------------------------------------------------


def test_server_unsubscribe_by_api_is_2000(server: Centrifugo) -> None:
    user, channel = unique("unsub"), unique("chan")
    with raw(server.ws_url) as client:
        connect_as(client, user)
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": channel}}))
        assert server.api("unsubscribe", {"user": user, "channel": channel}).status == 200
        push = client.push("unsubscribe")
    _check_unsubscribe(push, channel, 2000)


def test_expired_subscription_token_is_2501(server: Centrifugo) -> None:
    user, channel = unique("sub-exp"), "closed:" + unique("x")
    with raw(server.ws_url) as client:
        connect_as(client, user)
        token = jwt({"sub": user, "channel": channel, "exp": int(time.time()) + 2})
        reply = client.reply(client.send({"subscribe": {"channel": channel, "token": token}}))
        assert "subscribe" in reply, reply
        push = client.push("unsubscribe", timeout=10)
    _check_unsubscribe(push, channel, 2501)


def _check_unsubscribe(push: dict[str, object], channel: str, code: int) -> None:
    assert push["channel"] == channel
    frame = push["unsubscribe"]
    unsubscribe = wire.Unsubscribe.from_json(frame)
    assert unsubscribe.code == code
    decoded = unsubscribe.unsubscribe_code
    assert not isinstance(decoded, UnknownUnsubscribeCode)
    assert decoded is UnsubscribeCode(code)
    assert unsubscribe.reason == decoded.reason
    expected = SubscriptionState.SUBSCRIBING if code >= 2500 else SubscriptionState.UNSUBSCRIBED
    assert unsubscribe.transition().state is expected
    assert_cli_explains(code)

"""Reply errors, sent for real by Centrifugo v6.9.1 to a raw client.

Each trigger makes the live server answer one command with an error, through one of
its own features or through the proxy backend. The test then holds the package to
what arrived: ``wire`` decodes the error to the member (or Unknown value) with the
text the package gives as the server's, the flag is what the server sent, and
``classify`` and the CLI explain the code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from centrifugo_protocol import APP_ERROR_CODES, ErrorCode, UnknownErrorCode, classify, wire
from centrifugo_protocol.classify import ClientState, SubscriptionState

from .explain import assert_cli_explains
from .harness import SECRET, Centrifugo, RawClient, jwt, raw


# One proxy answer per order: ``{"proxy": {...}}`` in a command's data.
def _status(status: int) -> dict[str, object]:
    return {"proxy": {"status": status}}


def _answer(answer: object) -> dict[str, object]:
    return {"proxy": {"answer": answer}}


def _error(code: int, message: str, *, temporary: bool = False) -> dict[str, object]:
    error: dict[str, object] = {"code": code, "message": message}
    if temporary:
        error["temporary"] = True
    return _answer({"error": error})


_counter = iter(range(1, 1_000_000))


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}x{int(time.monotonic() * 1000) % 100000}"


def _connected(client: RawClient, *, token: str | None = None, data: object = None) -> None:
    connect: dict[str, object] = {}
    if token is not None:
        connect["token"] = token
    if data is not None:
        connect["data"] = data
    reply = client.reply(client.send({"connect": connect}))
    assert "connect" in reply, reply


def _user_token(**claims: object) -> str:
    return jwt({"sub": _unique("user"), **claims})


@dataclass(frozen=True)
class Trigger:
    """One way to make the live server answer a command with an error."""

    id: str
    command: str
    code: int
    run: Callable[[Centrifugo], dict[str, Any]]
    on: str = "server"
    #: Whether the server itself wrote the message (else a proxy backend did).
    builtin: bool = True


def _connect_error(data: object = None, token: str | None = None) -> Callable[[Centrifugo], dict[str, Any]]:
    def run(live: Centrifugo) -> dict[str, Any]:
        with raw(live.ws_url) as client:
            connect: dict[str, object] = {}
            if data is not None:
                connect["data"] = data
            if token is not None:
                connect["token"] = token
            return client.reply(client.send({"connect": connect}))

    return run


def _after_connect(
    command: Callable[[], dict[str, object]],
    *,
    before: list[dict[str, object]] | None = None,
    token: Callable[[], str] | None = None,
) -> Callable[[Centrifugo], dict[str, Any]]:
    def run(live: Centrifugo) -> dict[str, Any]:
        with raw(live.ws_url) as client:
            _connected(client, token=token() if token else _user_token())
            for step in before or []:
                client.reply(client.send(step))
            return client.reply(client.send(command()))

    return run


def _sub(channel: str, **more: object) -> Callable[[], dict[str, object]]:
    return lambda: {"subscribe": {"channel": channel, **more}}


def _expired_sub_token() -> dict[str, object]:
    return {"subscribe": {"channel": "closed:e", "token": jwt({"sub": "", "channel": "closed:e", "exp": 1})}}


TRIGGERS: tuple[Trigger, ...] = (
    Trigger("error.100.connect-proxy-fails", "connect", 100, _connect_error(_status(500))),
    Trigger("error.100.subscribe-proxy-fails", "subscribe", 100, _after_connect(_sub("px:a", data=_status(500)))),
    Trigger(
        "error.100.rpc-proxy-fails", "rpc", 100, _after_connect(lambda: {"rpc": {"method": "m", "data": _status(500)}})
    ),
    Trigger("error.101.proxy", "connect", 101, _connect_error(_error(101, "unauthorized")), builtin=False),
    Trigger("error.102.unknown-namespace-subscribe", "subscribe", 102, _after_connect(_sub("nope:x"))),
    Trigger(
        "error.102.unknown-namespace-publish",
        "publish",
        102,
        _after_connect(lambda: {"publish": {"channel": "nope:x", "data": {}}}),
    ),
    Trigger(
        "error.102.unknown-namespace-history",
        "history",
        102,
        _after_connect(lambda: {"history": {"channel": "nope:x"}}),
    ),
    Trigger("error.103.subscribe-not-allowed", "subscribe", 103, _after_connect(_sub("closed:x"))),
    Trigger(
        "error.103.subscription-token-bad-signature",
        "subscribe",
        103,
        _after_connect(
            lambda: {
                "subscribe": {"channel": "closed:s", "token": jwt({"sub": "", "channel": "closed:s"}, secret="wrong")}
            }
        ),
    ),
    Trigger(
        "error.103.publish-not-allowed",
        "publish",
        103,
        _after_connect(lambda: {"publish": {"channel": "closed:x", "data": {}}}),
    ),
    Trigger(
        "error.104.rpc-unknown-namespace", "rpc", 104, _after_connect(lambda: {"rpc": {"method": "nope:m", "data": {}}})
    ),
    Trigger("error.105.subscribe-twice", "subscribe", 105, _after_connect(_sub("twice"), before=[_sub("twice")()])),
    Trigger(
        "error.106.channel-limit",
        "subscribe",
        106,
        _after_connect(_sub("second"), before=[_sub("first")()]),
        on="limits",
    ),
    Trigger("error.107.channel-regex", "subscribe", 107, _after_connect(_sub("re:ABC"))),
    Trigger(
        "error.107.publication-data-format",
        "publish",
        107,
        _after_connect(lambda: {"publish": {"channel": "json:x", "data": [1, 2]}}),
    ),
    Trigger("error.107.channel-too-long", "subscribe", 107, _after_connect(_sub("c" * 300))),
    Trigger("error.108.history-disabled", "history", 108, _after_connect(lambda: {"history": {"channel": "plain"}})),
    Trigger("error.108.presence-disabled", "presence", 108, _after_connect(lambda: {"presence": {"channel": "plain"}})),
    Trigger(
        "error.108.rpc-without-proxy",
        "rpc",
        108,
        _after_connect(lambda: {"rpc": {"method": "m", "data": {}}}),
        on="limits",
    ),
    Trigger("error.109.connection-token-expired", "connect", 109, _connect_error(token=jwt({"sub": "late", "exp": 1}))),
    Trigger(
        "error.109.connection-token-not-yet-valid",
        "connect",
        109,
        _connect_error(token=jwt({"sub": "early", "nbf": int(time.time()) + 3600})),
    ),
    Trigger("error.109.subscription-token-expired", "subscribe", 109, _after_connect(_expired_sub_token)),
    Trigger(
        "error.110.connect-proxy-expire-at-past",
        "connect",
        110,
        _connect_error(_answer({"result": {"user": "past", "expire_at": 1}})),
    ),
    Trigger(
        "error.111.proxy",
        "rpc",
        111,
        _after_connect(lambda: {"rpc": {"method": "m", "data": _error(111, "refresh the page", temporary=True)}}),
        builtin=False,
    ),
    Trigger(
        "error.112.history-bad-epoch",
        "history",
        112,
        _after_connect(lambda: {"history": {"channel": "hist:b", "since": {"offset": 0, "epoch": "bogus"}}}),
    ),
    Trigger(
        "error.113.proxy",
        "subscribe",
        113,
        _after_connect(_sub("px:c", data=_error(113, "concurrent pagination", temporary=True))),
        builtin=False,
    ),
    Trigger(
        "error.app.400.proxy",
        "publish",
        400,
        _after_connect(lambda: {"publish": {"channel": "px:p", "data": _error(400, "spam")}}),
        builtin=False,
    ),
    Trigger(
        "error.app.1000-temporary.proxy",
        "subscribe",
        1000,
        _after_connect(_sub("px:t", data=_error(1000, "try later", temporary=True))),
        builtin=False,
    ),
    Trigger("error.app.1999.proxy", "connect", 1999, _connect_error(_error(1999, "banned")), builtin=False),
)


def _live(request: pytest.FixtureRequest, name: str) -> Centrifugo:
    live = request.getfixturevalue(name)
    assert isinstance(live, Centrifugo)
    return live


def _predict(command: str, error: wire.ReplyError) -> classify.Transition[Any]:
    if command == "connect":
        return error.on_connect()
    if command == "subscribe":
        return error.on_subscribe()
    # publish, rpc, history, presence: the reply goes to the caller; no state changes.
    return classify.on_subscribe_error(error.code, error.message, temporary=error.temporary)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_the_live_reply_error_decodes_as_the_package_says(trigger: Trigger, request: pytest.FixtureRequest) -> None:
    reply = trigger.run(_live(request, trigger.on))
    assert "error" in reply, f"{trigger.id}: the server answered {reply!r}"
    frame = reply["error"]
    # The encoder leaves out a false flag: a present flag is always true.
    assert frame.get("temporary", False) in (True, False)
    assert "temporary" not in frame or frame["temporary"] is True
    error = wire.ReplyError.from_json(frame)
    assert error.code == trigger.code, f"{trigger.id}: expected {trigger.code}, the server sent {frame!r}"
    decoded = error.error_code
    if trigger.code in APP_ERROR_CODES:
        assert isinstance(decoded, UnknownErrorCode)
        assert decoded.code == trigger.code
    else:
        assert decoded is ErrorCode(trigger.code)
        assert isinstance(decoded, ErrorCode)
        if trigger.builtin:
            # What the package gives as the server's text and default flag is what came.
            assert frame["message"] == decoded.message, trigger.id
            assert error.temporary is decoded.temporary, trigger.id
    assert error.temporary is bool(frame.get("temporary", False))
    transition = _predict(trigger.command, error)
    if trigger.command == "connect":
        expected = ClientState.CONNECTING if error.temporary or error.code == 109 else ClientState.DISCONNECTED
        assert transition.state is expected, (trigger.id, transition)
    elif trigger.command == "subscribe":
        expected_sub = (
            SubscriptionState.SUBSCRIBING if error.temporary or error.code == 109 else SubscriptionState.UNSUBSCRIBED
        )
        assert transition.state is expected_sub, (trigger.id, transition)
    assert_cli_explains(trigger.code)


def test_every_builtin_error_code_has_a_live_trigger() -> None:
    """100-113 all reach a raw client from the live server (some only from a proxy)."""
    covered = {t.code for t in TRIGGERS}
    assert {member.code for member in ErrorCode} <= covered
    assert {400, 1999} <= covered


def test_triggers_are_named_once() -> None:
    ids = [t.id for t in TRIGGERS]
    assert len(ids) == len(set(ids))
    assert SECRET

"""What real SDKs do when the live server sends a code, and what the package predicts.

A :class:`Scenario` says how a client connects (token or proxy data), which channel
it subscribes to (with what data), and what the test then makes the live server do
(an API call). The SDK's first reaction, a connecting, disconnected, subscribing or
unsubscribed event with its code and reason, is compared with the package's answer
for what the server sent.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import os
import select
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from centrifugo_protocol import classify, events

from .harness import Centrifugo, jwt

__all__ = ["SCENARIOS", "Reaction", "Scenario", "go_spec", "js_spec", "predicted", "run_driver", "run_python"]

#: The events that end a scenario: the SDK's reaction to what the server sent.
CLIENT_REACTIONS: Final = ("connecting", "disconnected")
SUB_REACTIONS: Final = ("subscribing", "unsubscribed")
SETTLE: Final = 10.0
#: How long a state must stay put after an error event for the error to be the reaction.
ERROR_SETTLE: Final = 0.3


@dataclass(frozen=True)
class Reaction:
    """An SDK's reaction: which object, which event, with which code and reason."""

    target: str
    name: str
    code: int
    reason: str


@dataclass(frozen=True)
class Scenario:
    id: str
    #: Which reaction to wait for: "client" or "sub".
    target: str
    #: How the package reads what the server sent, as it reaches a transport.
    expect: Callable[[str], classify.Transition[Any]]
    user: str
    token: bool = True
    connect_data: object = None
    channel: str | None = None
    sub_data: object = None
    #: Done by the test once the client is connected (and subscribed).
    act: Callable[[Centrifugo, Scenario], object] | None = None
    extra: dict[str, object] = field(default_factory=dict[str, object])


def predicted(scenario: Scenario, transport: str = "websocket") -> Reaction:
    transition = scenario.expect(transport)
    return Reaction(scenario.target, str(transition.state), transition.code, transition.reason)


def _api_disconnect(code: int, reason: str) -> Callable[[Centrifugo, Scenario], object]:
    return lambda live, s: live.api("disconnect", {"user": s.user, "disconnect": {"code": code, "reason": reason}})


def _api_unsubscribe(live: Centrifugo, s: Scenario) -> object:
    return live.api("unsubscribe", {"user": s.user, "channel": s.channel})


def _proxy_error(code: int, message: str, *, temporary: bool = False) -> dict[str, object]:
    error: dict[str, object] = {"code": code, "message": message}
    if temporary:
        error["temporary"] = True
    return {"proxy": {"answer": {"error": error}}}


def _disconnect(code: int, reason: str) -> Callable[[str], classify.Transition[Any]]:
    """A disconnect with ``code`` and ``reason``, as it reaches a client on ``transport``:
    over WebSocket a close frame (16-bit code; no frame at all past 123 bytes of
    reason, so an abnormal closure), elsewhere a disconnect push."""

    def expect(transport: str) -> classify.Transition[Any]:
        if transport != "websocket":
            return classify.on_disconnect(code, reason)
        if len(reason.encode()) > 123:
            return classify.on_close(1006)
        return classify.on_close(code % 65536, reason)

    return expect


def _same(transition: Callable[[], classify.Transition[Any]]) -> Callable[[str], classify.Transition[Any]]:
    return lambda _transport: transition()


_LONG = "x" * 124
#: The longest reason a close frame carries: 123 bytes.
_AT_LIMIT = "y" * 123
#: A reason that is JSON, as the SDKs read disconnect advice from a close frame.
_ADVICE = '{"reason": "advice", "reconnect": false}'

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "disconnect.3503",
        "client",
        _disconnect(3503, "force disconnect"),
        "sdk-3503",
        act=lambda live, s: live.api("disconnect", {"user": s.user}),
    ),
    Scenario(
        "disconnect.3014",
        "client",
        _disconnect(3014, "state invalidated"),
        "sdk-3014",
        act=_api_disconnect(3014, "state invalidated"),
    ),
    Scenario(
        "disconnect.3509",
        "client",
        _disconnect(3509, "too many errors"),
        "sdk-3509",
        act=_api_disconnect(3509, "too many errors"),
    ),
    Scenario(
        "disconnect.4000",
        "client",
        _disconnect(4000, "maintenance"),
        "sdk-4000",
        act=_api_disconnect(4000, "maintenance"),
    ),
    Scenario("disconnect.4500", "client", _disconnect(4500, "banned"), "sdk-4500", act=_api_disconnect(4500, "banned")),
    Scenario(
        "disconnect.4999.empty-reason", "client", _disconnect(4999, ""), "sdk-4999", act=_api_disconnect(4999, "")
    ),
    Scenario("disconnect.70000", "client", _disconnect(70000, "wide"), "sdk-70000", act=_api_disconnect(70000, "wide")),
    Scenario(
        "disconnect.4500.reason-124-bytes",
        "client",
        _disconnect(4500, _LONG),
        "sdk-long",
        act=_api_disconnect(4500, _LONG),
    ),
    Scenario(
        "disconnect.4500.reason-123-bytes",
        "client",
        _disconnect(4500, _AT_LIMIT),
        "sdk-limit",
        act=_api_disconnect(4500, _AT_LIMIT),
    ),
    Scenario(
        "disconnect.4000.json-reason",
        "client",
        _disconnect(4000, _ADVICE),
        "sdk-json",
        act=_api_disconnect(4000, _ADVICE),
    ),
    Scenario(
        "disconnect.4500.json-null-reason",
        "client",
        _disconnect(4500, "null"),
        "sdk-null",
        act=_api_disconnect(4500, "null"),
    ),
    Scenario("disconnect.1000.api", "client", _disconnect(1000, "bye"), "sdk-1000", act=_api_disconnect(1000, "bye")),
    Scenario(
        "disconnect.5000.api", "client", _disconnect(5000, "beyond"), "sdk-5000", act=_api_disconnect(5000, "beyond")
    ),
    Scenario(
        "connect.100.proxy-down",
        "client",
        _same(lambda: classify.on_connect_error(100, "internal server error", temporary=True)),
        "sdk-c100",
        token=False,
        connect_data={"proxy": {"status": 500}},
    ),
    Scenario(
        "connect.1999.proxy",
        "client",
        _same(lambda: classify.on_connect_error(1999, "banned")),
        "sdk-c1999",
        token=False,
        connect_data=_proxy_error(1999, "banned"),
    ),
    Scenario(
        "connect.1500.proxy-temporary",
        "client",
        _same(lambda: classify.on_connect_error(1500, "try later", temporary=True)),
        "sdk-c1500",
        token=False,
        connect_data=_proxy_error(1500, "try later", temporary=True),
    ),
    Scenario(
        "subscribe.103.not-allowed",
        "sub",
        _same(lambda: classify.on_subscribe_error(103, "permission denied")),
        "sdk-s103",
        channel="closed:sdk",
    ),
    Scenario(
        "subscribe.1000.proxy",
        "sub",
        _same(lambda: classify.on_subscribe_error(1000, "nope")),
        "sdk-s1000",
        channel="px:sdk",
        sub_data=_proxy_error(1000, "nope"),
    ),
    Scenario(
        "subscribe.1001.proxy-temporary",
        "sub",
        _same(lambda: classify.on_subscribe_error(1001, "busy", temporary=True)),
        "sdk-s1001",
        channel="px:sdk-temporary",
        sub_data=_proxy_error(1001, "busy", temporary=True),
    ),
    Scenario(
        "unsubscribe.2000.api",
        "sub",
        _same(lambda: classify.on_unsubscribe(2000, "server unsubscribe")),
        "sdk-u2000",
        channel="sdk-unsub",
        act=_api_unsubscribe,
    ),
)


EventCode = (
    events.ConnectingEventCode
    | events.DisconnectedEventCode
    | events.SubscribingEventCode
    | events.UnsubscribedEventCode
)


def typed(reaction: Reaction) -> EventCode:
    """``events`` types the code the SDK reported, for the event it came with."""
    typer = {
        "connecting": events.connecting,
        "disconnected": events.disconnected,
        "subscribing": events.subscribing,
        "unsubscribed": events.unsubscribed,
    }[reaction.name]
    return typer(reaction.code)


# --- centrifuge-python ------------------------------------------------------------------


async def _python(live: Centrifugo, scenario: Scenario) -> Reaction:
    sdk: Any = importlib.import_module("centrifuge")
    loop = asyncio.get_running_loop()
    ready = asyncio.Event()
    reaction: asyncio.Future[Reaction] = loop.create_future()
    state = {"connected": False, "subscribed": scenario.channel is None}

    def check_ready() -> None:
        if state["connected"] and state["subscribed"]:
            ready.set()

    def react(target: str, name: str, ctx: Any) -> None:
        if target == scenario.target and not reaction.done() and (ready.is_set() or scenario.act is None):
            reaction.set_result(Reaction(target, name, int(ctx.code), str(ctx.reason)))

    async def stays_on_error(target: str, ctx: Any, still: Callable[[], bool], name: str) -> None:
        """A server error that leaves the state as it was (a temporary error: the SDK
        retries) shows only as an error event; it is the reaction once the state has
        stayed put for a moment."""
        error = getattr(ctx, "error", None)
        code, message = getattr(error, "code", None), getattr(error, "message", None)
        if not isinstance(code, int) or not isinstance(message, str):
            return
        await asyncio.sleep(ERROR_SETTLE)
        if still() and target == scenario.target and not reaction.done():
            reaction.set_result(Reaction(target, name, code, message))

    class ClientEvents:
        async def on_connected(self, ctx: Any) -> None:
            state["connected"] = True
            check_ready()

        async def on_connecting(self, ctx: Any) -> None:
            if ctx.code != 0:  # 0: the connect() call itself
                react("client", "connecting", ctx)

        async def on_disconnected(self, ctx: Any) -> None:
            react("client", "disconnected", ctx)

        async def on_error(self, ctx: Any) -> None:
            await stays_on_error("client", ctx, lambda: client.state.value == "connecting", "connecting")

    class SubEvents:
        async def on_subscribed(self, ctx: Any) -> None:
            state["subscribed"] = True
            check_ready()

        async def on_subscribing(self, ctx: Any) -> None:
            if ctx.code != 0:  # 0: the subscribe() call itself
                react("sub", "subscribing", ctx)

        async def on_unsubscribed(self, ctx: Any) -> None:
            react("sub", "unsubscribed", ctx)

        async def on_error(self, ctx: Any) -> None:
            await stays_on_error("sub", ctx, lambda: sub.state.value == "subscribing", "subscribing")

    client: Any = sdk.Client(
        live.ws_url,
        events=ClientEvents(),
        token=jwt({"sub": scenario.user}) if scenario.token else "",
        data=scenario.connect_data,
        min_reconnect_delay=0.5,
        max_reconnect_delay=1.0,
        proxy=None,
    )
    if scenario.channel is not None:
        sub: Any = client.new_subscription(
            scenario.channel, events=SubEvents(), data=scenario.sub_data, min_resubscribe_delay=0.5
        )
        await sub.subscribe()
    try:
        await client.connect()
        if scenario.act is not None:
            await asyncio.wait_for(ready.wait(), SETTLE)
            await asyncio.to_thread(scenario.act, live, scenario)
        return await asyncio.wait_for(reaction, SETTLE)
    finally:
        await client.disconnect()


def run_python(live: Centrifugo, scenario: Scenario) -> Reaction:
    """centrifuge-python's reaction to the scenario, on the live server.

    After ``disconnect()`` the SDK can leave a reconnect attempt's socket open, which
    the garbage collector later reports in whatever test runs then. That is the SDK's
    housekeeping, not what the scenario measures: the loop's leftovers are collected
    here, with their ResourceWarnings silenced, so that they never land elsewhere."""
    try:
        return asyncio.run(_python(live, scenario))
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


# --- Drivers in other processes (centrifuge-js, centrifuge-go) ------------------------------


def _lines(process: subprocess.Popen[str], deadline: float) -> Iterator[dict[str, Any]]:
    """The JSON lines a driver prints, until ``deadline`` (then TimeoutError).

    It reads the pipe's descriptor itself: a buffered reader can hold several lines
    that arrived together (``connected`` and ``ready``, say) while ``select`` waits for
    more bytes that never come."""
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    pending = b""
    seen: list[str] = []
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            if line.strip():
                seen.append(line.decode())
                yield json.loads(line)
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the driver did not react in time; it printed {seen}")
        ready, _, _ = select.select([descriptor], [], [], left)
        if not ready:
            continue
        chunk = os.read(descriptor, 65536)
        if not chunk:
            status = process.wait(timeout=5)
            raise ConnectionError(
                f"the driver exited with {status} before reacting; it printed {[*seen, pending.decode()]}"
            )
        pending += chunk


def run_driver(command: list[str], live: Centrifugo, scenario: Scenario) -> Reaction:
    """Run a driver that prints ``ready`` and then ``reaction`` lines (see js_live.mjs)."""
    deadline = time.monotonic() + 3 * SETTLE
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            for record in _lines(process, deadline):
                if record.get("event") == "ready" and scenario.act is not None:
                    scenario.act(live, scenario)
                elif record.get("event") == "reaction":
                    reason = record.get("reason")
                    return Reaction(
                        str(record["target"]),
                        str(record["name"]),
                        int(record["code"]),
                        reason if isinstance(reason, str) else f"<{record.get('reason_repr')}>",
                    )
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            process.kill()


def js_spec(live: Centrifugo, scenario: Scenario, transport: str) -> str:
    return json.dumps(
        {
            "base": live.base,
            "transport": transport,
            "token": jwt({"sub": scenario.user}) if scenario.token else "",
            "data": scenario.connect_data,
            "channel": scenario.channel,
            "sub_data": scenario.sub_data,
            "target": scenario.target,
        }
    )


def go_spec(live: Centrifugo, scenario: Scenario) -> str:
    """The scenario as godriver/main.go reads it (centrifuge-go has only WebSocket)."""
    return json.dumps(
        {
            "url": live.ws_url,
            "token": jwt({"sub": scenario.user}) if scenario.token else "",
            "data": scenario.connect_data,
            "channel": scenario.channel,
            "sub_data": scenario.sub_data,
            "target": scenario.target,
            "timeout": 2 * SETTLE,
        }
    )

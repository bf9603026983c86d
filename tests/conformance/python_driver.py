"""Runs centrifuge-python against the scripted server, many cases per process.

Usage: ``python -m tests.conformance.python_driver <cases.json> <results.json>``

The mirror image of ``js_driver.mjs`` (same input, same output, same rules): per case
a client with token ``ctok-0`` and a ``get_token`` that hands out ``ctok-1``,
``ctok-2``...; one subscription to ``chan`` with token ``stok-0``, its own
``get_token`` and, when the case says so, a ``get_state`` that returns offset k,
epoch ``app-k``. Every event is recorded in order with both states as they were when
it fired. Once connected and subscribed the driver records ``armed`` and sends the
rpc ``arm``. When the case has settled disconnected or unsubscribed, the driver
records ``restart`` and connects (subscribes) again, as an application would; the
case ends once connected and subscribed, or after the settle timeout (see the JS
driver for the rules, which are the same).

The SDK ships no type information, so it is loaded with ``importlib`` and handled as
``Any``; the event handlers are plain objects with the methods the SDK calls.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any, Final

_CLIENT_REACTIONS: Final = frozenset({"connecting", "disconnected", "error"})
_SUB_REACTIONS: Final = frozenset({"subscribing", "unsubscribed", "error"})
# Reconnect and resubscribe delays, in seconds: as small as the SDK allows.
_MIN_DELAY: Final = 0.001
_MAX_DELAY: Final = 0.01


def _error_fields(ctx: Any) -> dict[str, object]:
    """An error event's server code and message, when the error came from a reply;
    otherwise the SDK's own error-event code and the error's text."""
    error = getattr(ctx, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None)
    if isinstance(code, int) and isinstance(message, str):
        return {"code": code, "reason": message, "error_type": type(error).__name__}
    return {"code": ctx.code, "reason": str(error), "error_type": type(error).__name__}


class _Case:
    """One case: its client, its subscription and what they did."""

    def __init__(self, sdk: Any, spec: dict[str, Any], settle_timeout: float) -> None:
        self.spec = spec
        self.settle_timeout = settle_timeout
        self.events: list[dict[str, object]] = []
        self.phase = "setup"
        self.reconnect_called = False
        self.resubscribe_called = False
        self.reactions = 0
        self.left_connected = False
        self.settled = asyncio.Event()
        self.tokens = 0
        self.sub_tokens = 0
        self.states = 0
        self.background: set[asyncio.Task[Any]] = set()
        self._sdk = sdk
        self.client: Any = sdk.Client(
            spec["url"],
            events=_ClientEvents(self),
            token="ctok-0",
            get_token=self.get_token,
            min_reconnect_delay=_MIN_DELAY,
            max_reconnect_delay=_MAX_DELAY,
            proxy=None,
        )
        self.sub: Any = self.client.new_subscription(
            "chan",
            events=_SubEvents(self),
            token="stok-0",
            get_token=self.get_sub_token,
            min_resubscribe_delay=_MIN_DELAY,
            max_resubscribe_delay=_MAX_DELAY,
            get_state=self.get_state if spec["get_state"] else None,
        )

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self.background.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: an rpc cut short by a disconnect is expected

    def record(self, target: str, name: str, fields: dict[str, object]) -> None:
        sub = getattr(self, "sub", None)
        self.events.append(
            {
                "seq": len(self.events) + 1,
                "target": target,
                "name": name,
                "client_state": self.client.state.value,
                "sub_state": None if sub is None else sub.state.value,
                **fields,
            }
        )

    async def get_token(self) -> str:
        self.tokens += 1
        token = f"ctok-{self.tokens}"
        self.record("client", "get-token", {"token": token})
        return token

    async def get_sub_token(self, _channel: str) -> str:
        self.sub_tokens += 1
        token = f"stok-{self.sub_tokens}"
        self.record("sub", "get-token", {"token": token})
        return token

    async def get_state(self, _channel: str) -> Any:
        self.states += 1
        self.record("sub", "get-state", {"offset": self.states, "epoch": f"app-{self.states}"})
        return self._sdk.StreamPosition(offset=self.states, epoch=f"app-{self.states}")

    def on_event(self, target: str, name: str, fields: dict[str, object]) -> None:
        if self.settled.is_set():
            return
        self.record(target, name, fields)
        if self.phase == "event":
            names = _CLIENT_REACTIONS if target == "client" else _SUB_REACTIONS
            if target == self.spec["target"] and name in names:
                self.reactions += 1
            if target == "client" and name in ("connecting", "disconnected"):
                self.left_connected = True
        self.check()

    def check(self) -> None:
        client_state: str = self.client.state.value
        sub_state: str = self.sub.state.value
        if self.phase == "setup":
            if client_state == "connected" and sub_state == "subscribed":
                self.phase = "event"
                self.record("driver", "armed", {})
                self._spawn(self.client.rpc("arm", {}))
            return
        if self.phase == "event":
            quiet = client_state == "disconnected" or (
                client_state == "connected" and sub_state in ("subscribed", "unsubscribed")
            )
            reacted = self.left_connected if self.spec["primed"] else self.reactions > 0
            if not reacted or not quiet:
                return
            if client_state == "connected" and sub_state == "subscribed":
                self.settled.set()
                return
            self.phase = "restart"
            self.record("driver", "restart", {})
        if client_state == "connected" and sub_state == "subscribed":
            self.settled.set()
            return
        # Not from inside the SDK's own event dispatch: in a task of its own.
        self._spawn(self.restart())

    async def restart(self) -> None:
        if self.settled.is_set():
            return
        client_state: str = self.client.state.value
        sub_state: str = self.sub.state.value
        if client_state == "disconnected" and not self.reconnect_called:
            self.reconnect_called = True
            await self.client.connect()
        elif client_state == "connected" and sub_state == "unsubscribed" and not self.resubscribe_called:
            self.resubscribe_called = True
            await self.sub.subscribe()

    async def run(self) -> dict[str, object]:
        await self.sub.subscribe()
        self._spawn(self.client.connect())
        try:
            await asyncio.wait_for(self.settled.wait(), self.settle_timeout)
            timed_out = False
        except asyncio.TimeoutError:
            timed_out = True
        self.settled.set()  # nothing more is recorded
        result: dict[str, object] = {
            "id": self.spec["id"],
            "events": self.events,
            "timed_out": timed_out,
            "final_client_state": self.client.state.value,
            "final_sub_state": self.sub.state.value,
        }
        try:
            await self.client.disconnect()
        except Exception as error:
            result["cleanup_error"] = repr(error)
        return result


class _ClientEvents:
    """The client's event handlers: each records the event."""

    def __init__(self, case: _Case) -> None:
        self._case = case

    async def on_connecting(self, ctx: Any) -> None:
        self._case.on_event("client", "connecting", {"code": ctx.code, "reason": ctx.reason})

    async def on_connected(self, ctx: Any) -> None:
        self._case.on_event("client", "connected", {})

    async def on_disconnected(self, ctx: Any) -> None:
        self._case.on_event("client", "disconnected", {"code": ctx.code, "reason": ctx.reason})

    async def on_error(self, ctx: Any) -> None:
        self._case.on_event("client", "error", _error_fields(ctx))

    # Server-side subscriptions: none in these cases, but the SDK may look them up.
    async def on_subscribed(self, ctx: Any) -> None:
        self._case.on_event("client", "server-subscribed", {})

    async def on_subscribing(self, ctx: Any) -> None:
        self._case.on_event("client", "server-subscribing", {})

    async def on_unsubscribed(self, ctx: Any) -> None:
        self._case.on_event("client", "server-unsubscribed", {})

    async def on_publication(self, ctx: Any) -> None:
        self._case.on_event("client", "server-publication", {})

    async def on_join(self, ctx: Any) -> None:
        self._case.on_event("client", "server-join", {})

    async def on_leave(self, ctx: Any) -> None:
        self._case.on_event("client", "server-leave", {})


class _SubEvents:
    """The subscription's event handlers: each records the event."""

    def __init__(self, case: _Case) -> None:
        self._case = case

    async def on_subscribing(self, ctx: Any) -> None:
        self._case.on_event("sub", "subscribing", {"code": ctx.code, "reason": ctx.reason})

    async def on_subscribed(self, ctx: Any) -> None:
        self._case.on_event("sub", "subscribed", {})

    async def on_unsubscribed(self, ctx: Any) -> None:
        self._case.on_event("sub", "unsubscribed", {"code": ctx.code, "reason": ctx.reason})

    async def on_error(self, ctx: Any) -> None:
        self._case.on_event("sub", "error", _error_fields(ctx))

    async def on_publication(self, ctx: Any) -> None:
        self._case.on_event("sub", "publication", {})

    async def on_join(self, ctx: Any) -> None:
        self._case.on_event("sub", "join", {})

    async def on_leave(self, ctx: Any) -> None:
        self._case.on_event("sub", "leave", {})


async def _run_all(spec: dict[str, Any]) -> list[dict[str, object]]:
    sdk = importlib.import_module("centrifuge")
    limit = asyncio.Semaphore(max(1, int(spec["concurrency"])))
    timeout = float(spec["settle_timeout_ms"]) / 1000

    async def one(case_spec: dict[str, Any]) -> dict[str, object]:
        async with limit:
            return await _Case(sdk, case_spec, timeout).run()

    return list(await asyncio.gather(*(one(case_spec) for case_spec in spec["cases"])))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m tests.conformance.python_driver <cases.json> <results.json>", file=sys.stderr)
        return 2
    spec: dict[str, Any] = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    results = asyncio.run(_run_all(spec))
    output = {
        "sdk": "centrifuge-python",
        "version": importlib.metadata.version("centrifuge-python"),
        "websocket": f"websockets {importlib.metadata.version('websockets')}",
        "runtime": f"python {sys.version.split()[0]}",
        "results": results,
    }
    Path(argv[1]).write_text(json.dumps(output), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

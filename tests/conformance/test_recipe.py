"""The event-handler recipe of ``docs/events.md``, run against the real centrifuge-python.

The page's block titled ``events_recipe.py`` is read as it stands and executed into a
namespace of its own. Each scenario then does what an application would: it calls the
recipe's ``start()``, which connects a real ``centrifuge.Client`` to the scripted
server (:mod:`tests.conformance.server`) and subscribes to its channel. Once the
client is connected and subscribed, the test sends the ``arm`` rpc and the server
plays the scenario's one event. The test waits, with a bound, for the log record the
recipe's handler should write, then checks the reaction on the recipe's ``Status``.

Only one thing of the recipe is swapped: ``Client`` is the SDK's own class with
the shortest reconnect delays and no proxy lookup, so that a scenario takes a fraction
of a second and stays on the loopback interface whatever the environment says.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from centrifugo_protocol import ErrorCode, UnsubscribeCode

from .cases import CHANNEL, Case
from .server import ServerThread

pytestmark = pytest.mark.conformance

PAGE: Final = Path(__file__).resolve().parent.parent.parent / "docs" / "events.md"
RECIPE: Final = re.compile(r'^```python title="events_recipe\.py"\n(?P<body>.*?)^```[ \t]*$', re.MULTILINE | re.DOTALL)
LOGGER: Final = "app.centrifugo"
#: Seconds to wait for the client to be ready and for the expected record.
TIMEOUT: Final = 5.0
#: The SDK's reconnect delays, in seconds: as short as it allows.
MIN_DELAY: Final = 0.001
MAX_DELAY: Final = 0.01


def recipe_source() -> str:
    """The recipe's code, exactly as the page shows it."""
    found = [match.group("body") for match in RECIPE.finditer(PAGE.read_text(encoding="utf-8"))]
    assert len(found) == 1, f'{PAGE.name} must have exactly one ```python title="events_recipe.py" block'
    return found[0]


@dataclass(frozen=True)
class Scenario:
    """One server event, and what the recipe should log and do about it."""

    case: Case
    #: The recipe method that logs it, and the record it writes.
    handler: str
    level: int
    message: str
    #: ``Status`` afterwards: whether the user must sign in again, and why the channel ended.
    sign_in_needed: bool = False
    ended: object = None


SCENARIOS: Final = [
    Scenario(
        Case("no-pong", "disconnect", 3012, {"code": 3012, "reason": "no pong"}),
        "on_connecting", logging.WARNING, "reconnecting: the server got no pong in time",
    ),
    Scenario(
        Case("invalid-token", "disconnect", 3500, {"code": 3500, "reason": "invalid token"}),
        "on_disconnected", logging.WARNING, "stopped, the user has to sign in again: invalid token",
        sign_in_needed=True,
    ),
    Scenario(
        Case("application-stop", "disconnect", 4501, {"code": 4501, "reason": "session revoked"}),
        "on_disconnected", logging.WARNING, "stopped by the application, code 4501: session revoked",
        sign_in_needed=True,
    ),
    Scenario(
        Case("server-unsubscribe", "unsubscribe", 2000, {"code": 2000, "reason": "server unsubscribe"}),
        "on_unsubscribed", logging.WARNING, f"{CHANNEL}: ended, SERVER: server unsubscribe",
        ended=UnsubscribeCode.SERVER,
    ),
    Scenario(
        Case("insufficient-state", "unsubscribe", 2500, {"code": 2500, "reason": "insufficient state"}),
        "on_subscribing", logging.WARNING, f"{CHANNEL}: the server lost publications, recovering",
    ),
    # Primed: the server first closes the connection, and refuses the resubscribe.
    Scenario(
        Case("permission-denied", "subscribe-error", 103, {"code": 103, "message": "permission denied"}),
        "on_unsubscribed", logging.WARNING, f"{CHANNEL}: ended, PERMISSION_DENIED: permission denied",
        ended=ErrorCode.PERMISSION_DENIED,
    ),
    # A temporary refusal: an error event with the SDK's own code 14 (not a shared
    # client-side code), and the SDK subscribes again. After "error 14: " comes the
    # text of the SDK's ReplyError.
    Scenario(
        Case("busy", "subscribe-error", 111, {"code": 111, "message": "too many requests", "temporary": True}),
        "log_error", logging.WARNING, f"{CHANNEL} error 14: Error 111: too many requests (temporary: True)",
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The scripted server, playing every scenario at a path of its own."""
    server = ServerThread({f"/recipe/{scenario.case.id}": scenario.case for scenario in SCENARIOS})
    base = server.start()
    yield f"{base}/recipe"
    server.stop()


@pytest.fixture
def recipe(python_sdk: None) -> dict[str, Any]:
    """The recipe's namespace, with ``Client`` quickened for the loopback server."""
    namespace: dict[str, Any] = {"__name__": "events_recipe"}
    exec(compile(recipe_source(), f"{PAGE.name}:events_recipe.py", "exec"), namespace)
    sdk: Any = importlib.import_module("centrifuge")
    assert namespace["Client"] is sdk.Client
    # start() looks Client up when it runs: it gets the SDK's class, with these options.
    namespace["Client"] = functools.partial(
        sdk.Client, min_reconnect_delay=MIN_DELAY, max_reconnect_delay=MAX_DELAY, proxy=None
    )
    return namespace


def _describe(records: list[logging.LogRecord]) -> str:
    lines = [f"  {r.funcName} {r.levelname} {r.getMessage()!r}" for r in records if r.name == LOGGER]
    return "\n".join(lines) or "  (none)"


async def _until(condition: Callable[[], bool], what: str, details: Callable[[], str] = str) -> None:
    """Polls ``condition`` until it holds; fails after :data:`TIMEOUT` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"timed out after {TIMEOUT} s waiting for {what}{details()}")
        await asyncio.sleep(0.005)


async def _play(
    scenario: Scenario, recipe: dict[str, Any], url: str, caplog: pytest.LogCaptureFixture
) -> tuple[bool, object]:
    """Runs the recipe through the scenario; returns its Status as it was then."""
    status = recipe["Status"]()
    client = await recipe["start"](url, "token-0", CHANNEL, status)
    try:
        sub = client.get_subscription(CHANNEL)
        await _until(
            lambda: client.state.value == "connected" and sub.state.value == "subscribed", "connected and subscribed"
        )
        await client.rpc("arm", {})  # the server answers, then plays the event

        def logged() -> bool:
            return any(
                record.name == LOGGER
                and record.funcName == scenario.handler
                and record.getMessage() == scenario.message
                for record in caplog.records
            )

        def seen() -> str:
            return f"; the recipe logged:\n{_describe(caplog.records)}"

        await _until(logged, f"{scenario.handler} to log {scenario.message!r}", seen)
        return status.sign_in_needed, status.ended.get(CHANNEL)
    finally:
        await client.disconnect()


async def _run(
    scenario: Scenario, recipe: dict[str, Any], url: str, caplog: pytest.LogCaptureFixture
) -> tuple[bool, object]:
    try:
        return await asyncio.wait_for(_play(scenario, recipe, url, caplog), 4 * TIMEOUT)
    finally:
        await _drain()


async def _drain() -> None:
    """Lets the SDK's background tasks end: it closes a transport in a task of its own
    without waiting for it, and a task cut short by the end of the loop leaks its socket."""
    others = asyncio.all_tasks() - {asyncio.current_task()}
    if others:
        _, pending = await asyncio.wait(others, timeout=TIMEOUT)
        assert not pending, f"the SDK's tasks did not end: {pending}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario.case.id for scenario in SCENARIOS])
def test_the_recipe_logs_and_reacts(
    scenario: Scenario, recipe: dict[str, Any], base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    url = f"{base_url}/{scenario.case.id}"
    sign_in_needed, ended = asyncio.run(_run(scenario, recipe, url, caplog))
    [record] = [r for r in caplog.records if r.name == LOGGER and r.getMessage() == scenario.message]
    assert record.levelno == scenario.level
    assert sign_in_needed is scenario.sign_in_needed
    assert ended is scenario.ended
    # No branch the scenario does not call for: nothing logged as an error.
    assert not [r for r in caplog.records if r.name == LOGGER and r.levelno >= logging.ERROR], _describe(caplog.records)

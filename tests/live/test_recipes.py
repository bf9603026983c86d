"""The backend recipes (tests/recipes/, shown in docs/recipes/) as the real server's proxies.

Each recipe, Starlette served by uvicorn and Django served by the standard library's
WSGI server, answers a live Centrifugo v6.9.1's connect, subscribe, publish and RPC
proxies. The test's policy reads the client's data: ``{"refuse": name}`` picks one of
:data:`REFUSALS`, ``"forbidden"`` makes the framework answer 403 (its own way:
``HTTPException`` or ``PermissionDenied``), ``"bad"`` makes it answer 400. The server
is configured with transforms written by ``proxy.status_to_code_transforms()`` for 403
only, so 400 shows what an unmapped status does: error 100, temporary.

Every refusal is then met by the real centrifuge-python SDK, and what it reports is
compared with what the package says: ``classify`` for the connection and
subscription states, and the refusal as built for the errors of publish and RPC calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any, Final, NoReturn, TypeVar, cast
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from starlette.exceptions import HTTPException

from centrifugo_protocol import proxy
from centrifugo_protocol.classify import ClientState, Transition, on_close, on_connect_error, on_subscribe_error
from centrifugo_protocol.wire import Disconnect, ReplyError

from ..recipes import django_backend, starlette_backend
from .conftest import _start  # pyright: ignore[reportPrivateUsage]
from .harness import Centrifugo, base_config, free_port, jwt
from .scenarios import Reaction, Scenario, run_python

SETTLE: Final = 10.0

T = TypeVar("T")


def sdk_run(run: Callable[[], T]) -> T:
    """``run()``, then the sockets centrifuge-python 0.7.0 leaves behind collected here.

    The SDK does not always close the socket of a connection that ended while it was
    being used (the session's other SDK tests show the same at exit); collected later,
    in whichever test is running, its ResourceWarning would fail that test instead.
    """
    try:
        return run()
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


#: Refusals in every application band and both kinds, plus a reused built-in code.
REFUSALS: Final[Mapping[str, ReplyError | Disconnect]] = {
    "error-400": proxy.custom_error(400, "lowest app code"),
    "error-1403": proxy.custom_error(1403, "not a member"),
    "error-1999-temporary": proxy.custom_error(1999, "busy", temporary=True),
    "error-103-builtin": proxy.custom_error(103, "permission denied"),
    "disconnect-4000": proxy.custom_disconnect(4000, "moved"),
    "disconnect-4499": proxy.custom_disconnect(4499, "come back"),
    "disconnect-4500": proxy.custom_disconnect(4500, "banned"),
    "disconnect-4999": proxy.custom_disconnect(4999, ""),
}

#: What each proxy turns a 403 into: the block the recipes' docs tell users to write.
FORBIDDEN: Final[Mapping[str, ReplyError | Disconnect]] = {
    "connect": proxy.custom_disconnect(4503, "forbidden"),
    "subscribe": proxy.custom_error(1403, "forbidden"),
    "publish": proxy.custom_error(1404, "may not publish", temporary=False),
    "rpc": proxy.custom_disconnect(4403, "forbidden rpc"),
}
#: What an unmapped status (400 here) reaches the client as.
UNMAPPED: Final = ReplyError(100, "internal server error", temporary=True)


def client_data(request: Mapping[str, Any]) -> Mapping[str, object]:
    """The data the client sent with its command, as the proxy request carries it."""
    data = request.get("data")
    return cast("dict[str, object]", data) if isinstance(data, dict) else {}


ACCEPT: Final[Mapping[str, Callable[[Mapping[str, Any]], Mapping[str, object]]]] = {
    "connect": lambda request: {"user": str(client_data(request).get("user") or "recipe-user")},
    "subscribe": lambda _request: {},
    "publish": lambda _request: {},
    "rpc": lambda _request: {"data": {"ok": True}},
}


#: Connect requests seen, by the key the client sent: a refusal that makes the client
#: reconnect while it is still connecting shows only as the next attempt.
CONNECT_ATTEMPTS: Final[dict[str, int]] = {}
_ATTEMPTS_LOCK: Final = threading.Lock()


def policy(
    kind: str, forbid: Callable[[], NoReturn], bad: Callable[[], NoReturn]
) -> Callable[[Mapping[str, Any]], Any]:
    def decide(request: Mapping[str, Any]) -> ReplyError | Disconnect | Mapping[str, object]:
        data = client_data(request)
        order, key = data.get("refuse"), data.get("key")
        if kind == "connect" and isinstance(key, str):
            with _ATTEMPTS_LOCK:
                CONNECT_ATTEMPTS[key] = CONNECT_ATTEMPTS.get(key, 0) + 1
        if order == "forbidden":
            forbid()
        if order == "bad":
            bad()
        if isinstance(order, str) and order in REFUSALS:
            return REFUSALS[order]
        return ACCEPT[kind](request)

    return decide


# --- Starlette, served by uvicorn ---------------------------------------------------------


def _starlette_forbid() -> NoReturn:
    raise HTTPException(403)


def _starlette_bad() -> NoReturn:
    raise HTTPException(400)


@contextlib.contextmanager  # pyright: ignore[reportDeprecated]
def served_by_uvicorn() -> Iterator[str]:
    import uvicorn

    app = starlette_backend.centrifugo_app(**{kind: policy(kind, _starlette_forbid, _starlette_bad) for kind in ACCEPT})
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + SETTLE
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(SETTLE)
        sock.close()


# --- Django, served by wsgiref -----------------------------------------------------------


def _django_forbid() -> NoReturn:
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _django_bad() -> NoReturn:
    from django.core.exceptions import BadRequest

    raise BadRequest


#: The URL configuration Django serves (ROOT_URLCONF names this module).
urlpatterns = django_backend.centrifugo_urls(**{kind: policy(kind, _django_forbid, _django_bad) for kind in ACCEPT})


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: failures show in the assertions."""


@contextlib.contextmanager  # pyright: ignore[reportDeprecated]
def served_by_django() -> Iterator[str]:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="live-tests-only",
            ALLOWED_HOSTS=["127.0.0.1"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        import django

        django.setup()
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="django", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(SETTLE)


SERVE: Final = {"starlette": served_by_uvicorn, "django": served_by_django}


def recipe_config(port: int, backend: str) -> dict[str, Any]:
    """The shared live configuration, with the 403 transforms on each proxy."""
    config = base_config(port, backend)
    blocks = {kind: proxy.status_to_code_transforms({403: refusal}) for kind, refusal in FORBIDDEN.items()}
    config["client"]["proxy"]["connect"]["http"] = {"status_to_code_transforms": blocks["connect"]}
    config["channel"]["proxy"]["subscribe"]["http"] = {"status_to_code_transforms": blocks["subscribe"]}
    config["channel"]["proxy"]["publish"]["http"] = {"status_to_code_transforms": blocks["publish"]}
    config["rpc"]["proxy"]["http"] = {"status_to_code_transforms": blocks["rpc"]}
    return config


@pytest.fixture(scope="module", params=sorted(SERVE))
def recipe_server(request: pytest.FixtureRequest) -> Iterator[Centrifugo]:
    with SERVE[request.param]() as url:
        live = _start(recipe_config(free_port(), url), f"recipe-{request.param}")
        try:
            yield live
        finally:
            live.stop()


# --- What the package says each refusal does ---------------------------------------------


def _user() -> str:
    return f"recipe-{uuid.uuid4().hex[:8]}"


ORDERS: Final = (*REFUSALS, "forbidden", "bad")


def _refusal(kind: str, order: str) -> ReplyError | Disconnect:
    if order == "forbidden":
        return FORBIDDEN[kind]
    if order == "bad":
        return UNMAPPED
    return REFUSALS[order]


def _connect_scenario(order: str) -> Scenario:
    refusal = _refusal("connect", order)
    if isinstance(refusal, Disconnect):
        expect = on_close(refusal.code, refusal.reason)
    else:
        expect = on_connect_error(refusal.code, refusal.message, temporary=refusal.temporary)
    return Scenario(
        f"connect.{order}", "client", lambda _t: expect, _user(), token=False, connect_data={"refuse": order}
    )


def _subscribe_scenario(order: str) -> Scenario:
    refusal = _refusal("subscribe", order)
    expect: Transition[Any]
    if isinstance(refusal, Disconnect):
        target, expect = "client", on_close(refusal.code, refusal.reason)
    else:
        target = "sub"
        expect = on_subscribe_error(refusal.code, refusal.message, temporary=refusal.temporary)
    return Scenario(
        f"subscribe.{order}",
        target,
        lambda _t: expect,
        _user(),
        channel=f"px:{uuid.uuid4().hex[:8]}",
        sub_data={"refuse": order},
    )


@pytest.mark.parametrize("order", ORDERS)
def test_connect_refusals_reach_the_sdk_as_the_package_says(recipe_server: Centrifugo, order: str) -> None:
    scenario = _connect_scenario(order)
    transition = scenario.expect("websocket")
    refusal = _refusal("connect", order)
    if isinstance(refusal, Disconnect) and transition.state is ClientState.CONNECTING:
        # The SDK is still connecting, so no event reports the code: the client stays
        # connecting and tries again, which the backend sees as a second connect.
        assert sdk_run(lambda: asyncio.run(_attempts_while_connecting(recipe_server, order))) >= 2
        return
    expected = Reaction("client", str(transition.state), transition.code, transition.reason)
    assert sdk_run(lambda: run_python(recipe_server, scenario)) == expected


async def _attempts_while_connecting(live: Centrifugo, order: str) -> int:
    sdk: Any = importlib.import_module("centrifuge")
    key = uuid.uuid4().hex
    left: list[str] = []

    class Events:  # the four client events the SDK calls on a connection without subscriptions
        async def on_connecting(self, ctx: Any) -> None:
            pass

        async def on_connected(self, ctx: Any) -> None:
            pass

        async def on_disconnected(self, ctx: Any) -> None:
            left.append(f"disconnected {ctx.code} {ctx.reason}")

        async def on_error(self, ctx: Any) -> None:
            pass

    client: Any = sdk.Client(
        live.ws_url,
        events=Events(),
        data={"refuse": order, "key": key},
        min_reconnect_delay=0.2,
        max_reconnect_delay=0.5,
    )
    try:
        await client.connect()
        deadline = time.monotonic() + SETTLE
        while CONNECT_ATTEMPTS.get(key, 0) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not left, left
        assert client.state.value == "connecting"
        return CONNECT_ATTEMPTS.get(key, 0)
    finally:
        await client.disconnect()
        # An attempt cut short by disconnect() closes its socket on a later turn of
        # the loop; let it, so that nothing is left open when the loop ends.
        await asyncio.sleep(0.5)


@pytest.mark.parametrize("order", ORDERS)
def test_subscribe_refusals_reach_the_sdk_as_the_package_says(recipe_server: Centrifugo, order: str) -> None:
    scenario = _subscribe_scenario(order)
    transition = scenario.expect("websocket")
    expected = Reaction(scenario.target, str(transition.state), transition.code, transition.reason)
    assert sdk_run(lambda: run_python(recipe_server, scenario)) == expected


def test_a_403_on_connect_stops_the_client_for_good_through_the_transform(recipe_server: Centrifugo) -> None:
    """Without the transform a 403 is error 100, temporary, and the client retries forever."""
    reaction = sdk_run(lambda: run_python(recipe_server, _connect_scenario("forbidden")))
    assert reaction == Reaction("client", "disconnected", 4503, "forbidden")
    assert on_close(4503, "forbidden").state is ClientState.DISCONNECTED
    assert on_connect_error(100, "internal server error", temporary=True).state is ClientState.CONNECTING


# --- Publish and RPC: the call fails, or the connection ends ------------------------------


@dataclass(frozen=True)
class CallOutcome:
    """A publish or RPC call's end: the SDK's ReplyError, or the client event that ended it."""

    kind: str
    code: int
    text: str
    temporary: bool | None = None


async def _call(live: Centrifugo, kind: str, order: str) -> CallOutcome:
    sdk: Any = importlib.import_module("centrifuge")
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[CallOutcome] = loop.create_future()

    class Events:  # the four client events the SDK calls on a connection without subscriptions
        async def on_connected(self, ctx: Any) -> None:
            pass

        async def on_error(self, ctx: Any) -> None:
            pass

        async def on_connecting(self, ctx: Any) -> None:
            if ctx.code != 0 and not ended.done():
                ended.set_result(CallOutcome("connecting", int(ctx.code), str(ctx.reason)))

        async def on_disconnected(self, ctx: Any) -> None:
            if not ended.done():
                ended.set_result(CallOutcome("disconnected", int(ctx.code), str(ctx.reason)))

    client: Any = sdk.Client(
        live.ws_url,
        events=Events(),
        token=jwt({"sub": _user()}),
        min_reconnect_delay=0.5,
        max_reconnect_delay=1.0,
    )
    try:
        await client.connect()
        await client.ready(timeout=SETTLE)
        try:
            if kind == "rpc":
                await client.rpc("recipe", {"refuse": order}, timeout=SETTLE)
            else:
                await client.publish(f"px:{uuid.uuid4().hex[:8]}", {"refuse": order}, timeout=SETTLE)
        except sdk.ReplyError as error:
            return CallOutcome("error", int(error.code), str(error.message), bool(error.temporary))
        except sdk.CentrifugeError:
            pass  # the connection ended under the call: the event says how
        return await asyncio.wait_for(ended, SETTLE)
    finally:
        await client.disconnect()


def _expected_call(kind: str, order: str) -> CallOutcome:
    refusal = _refusal(kind, order)
    if isinstance(refusal, ReplyError):
        return CallOutcome("error", refusal.code, refusal.message, refusal.temporary)
    transition = on_close(refusal.code, refusal.reason)
    return CallOutcome(str(transition.state), transition.code, transition.reason)


@pytest.mark.parametrize("kind", ["publish", "rpc"])
@pytest.mark.parametrize("order", ORDERS)
def test_publish_and_rpc_refusals_reach_the_sdk_as_built(recipe_server: Centrifugo, kind: str, order: str) -> None:
    assert sdk_run(lambda: asyncio.run(_call(recipe_server, kind, order))) == _expected_call(kind, order)


@pytest.mark.parametrize("kind", ["publish", "rpc"])
def test_an_accepted_call_succeeds(recipe_server: Centrifugo, kind: str) -> None:
    async def call() -> object:
        sdk: Any = importlib.import_module("centrifuge")
        client: Any = sdk.Client(recipe_server.ws_url, token=jwt({"sub": _user()}))
        try:
            await client.connect()
            await client.ready(timeout=SETTLE)
            if kind == "rpc":
                return (await client.rpc("recipe", {}, timeout=SETTLE)).data
            return await client.publish(f"px:{uuid.uuid4().hex[:8]}", {"n": 1}, timeout=SETTLE)
        finally:
            await client.disconnect()

    result = sdk_run(lambda: asyncio.run(call()))
    if kind == "rpc":
        assert result == {"ok": True}

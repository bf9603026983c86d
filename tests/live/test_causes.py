"""Every cause the package gives for a code is proven on a live Centrifugo v6.9.1.

``PROOFS`` maps each cause id to a run that makes the real server send the code in
exactly that situation, and returns the code that arrived. The test is parametrized
over every cause the package lists, by id: a cause without a proof fails, a proof that
brings another code fails, and a proof left for a cause that no longer exists fails.
A cause that no live test can produce must carry an ``Untriggerable`` reason, and
must then have no proof (a proof would show the reason wrong).

Most proofs reuse the triggers of ``test_replies``, ``test_disconnects`` and
``test_api`` under the same ids; the rest are written here. The client-side causes
are proven with centrifuge-python, which reports them with its own events.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final, TypeVar

import pytest

from centrifugo_protocol import CAUSES_MEASURED_ON, Cause, Sender, Untriggerable
from centrifugo_protocol._causes import CAUSES

from . import test_api, test_disconnects, test_replies
from .conftest import start_server
from .harness import Centrifugo, Closed, RawClient, SetupError, as_object, base_config, free_port, jwt, raw
from .test_disconnects import connect_as, unique

#: How long a proof waits for a push or a close that a timer sends.
TIMER_WAIT: Final = 10.0


@dataclass(frozen=True)
class Proof:
    """A way to make the live server send a code: ``run`` returns the code that came."""

    run: Callable[[pytest.FixtureRequest], int]


def _on(server: str, run: Callable[[Centrifugo], int]) -> Proof:
    def proof(request: pytest.FixtureRequest) -> int:
        live = request.getfixturevalue(server)
        assert isinstance(live, Centrifugo)
        return run(live)

    return Proof(proof)


def _reply_code(trigger: test_replies.Trigger) -> Callable[[Centrifugo], int]:
    def run(live: Centrifugo) -> int:
        reply = trigger.run(live)
        assert "error" in reply, f"{trigger.id}: the server answered {reply!r}"
        return int(reply["error"]["code"])

    return run


def _close_code(run: Callable[[Centrifugo], Closed]) -> Callable[[Centrifugo], int]:
    def code(live: Centrifugo) -> int:
        closed = run(live)
        assert closed.frame and closed.code is not None, closed
        return closed.code

    return code


def _api_code(trigger: test_api.Trigger) -> Callable[[Centrifugo], int]:
    def run(live: Centrifugo) -> int:
        body = as_object(live.api(trigger.method, trigger.body).body)
        assert "error" in body, (trigger.id, body)
        return int(body["error"]["code"])

    return run


# --- Proofs written here ----------------------------------------------------------------


def _connected(client: RawClient, **claims: object) -> str:
    user = unique("cause")
    connect_as(client, user, **claims)
    return user


def _after_connect(*commands: dict[str, object], **claims: object) -> Callable[[Centrifugo], int]:
    """Connect, send ``commands`` in order, and return the error code of the last reply."""

    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            _connected(client, **claims)
            reply: dict[str, Any] = {}
            for command in commands:
                reply = client.reply(client.send(command))
            assert "error" in reply, reply
            return int(reply["error"]["code"])

    return run


def _closes_after(*commands: dict[str, object], **claims: object) -> Callable[[Centrifugo], int]:
    """Connect, send ``commands``, and return the code the server closes with."""

    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            _connected(client, **claims)
            for command in commands:
                client.send(command)
            closed = client.until_closed()
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


def _proxy_disconnect(code: int, reason: str) -> Callable[[Centrifugo], int]:
    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            answer = {"disconnect": {"code": code, "reason": reason}}
            client.send({"connect": {"data": {"proxy": {"answer": answer}}}})
            closed = client.until_closed()
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


def _unsubscribe_code(client: RawClient, channel: str, timeout: float = TIMER_WAIT) -> int:
    push = client.push("unsubscribe", timeout=timeout)
    assert push["channel"] == channel, push
    return int(push["unsubscribe"]["code"])


def _api_unsubscribe(live: Centrifugo) -> int:
    with raw(live.ws_url) as client:
        user, channel = _connected(client), unique("unsub")
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": channel}}))
        assert live.api("unsubscribe", {"user": user, "channel": channel}).status == 200
        return _unsubscribe_code(client, channel)


def _stream_reset(live: Centrifugo) -> int:
    """A subscription that recovers (namespace ``short`` forces recovery) sees its
    stream start again with a new epoch: the stream's meta data expired while the
    channel was idle, so the next publication starts a new stream."""
    with raw(live.ws_url) as client:
        _connected(client)
        channel = "short:" + unique("reset")
        assert live.api("publish", {"channel": channel, "data": {"n": 1}}).status == 200
        reply = client.reply(client.send({"subscribe": {"channel": channel, "recover": True}}))
        assert "subscribe" in reply, reply
        # Idle past history_meta_ttl (2 s) and the next one-second cleanup. Reading the
        # history meanwhile would keep the stream alive, so nothing is asked.
        idle_until = time.monotonic() + 4.0
        while time.monotonic() < idle_until:
            with contextlib.suppress(TimeoutError):  # read, and answer pings, meanwhile
                client.wait(lambda: False, timeout=0.5)
        assert live.api("publish", {"channel": channel, "data": {"n": 2}}).status == 200
        return _unsubscribe_code(client, channel)


def _subscription_token_expires(live: Centrifugo) -> int:
    with raw(live.ws_url) as client:
        user, channel = _connected(client), "closed:" + unique("exp")
        token = jwt({"sub": user, "channel": channel, "exp": int(time.time()) + 2})
        reply = client.reply(client.send({"subscribe": {"channel": channel, "token": token}}))
        assert "subscribe" in reply, reply
        return _unsubscribe_code(client, channel)


def _shutdown(request: pytest.FixtureRequest) -> int:
    live = start_server(str(request.getfixturevalue("backend_url")), "cause-shutdown")
    try:
        with raw(live.ws_url) as client:
            _connected(client)
            live.process.terminate()
            closed = client.until_closed()
    finally:
        live.stop()
    assert closed.frame and closed.code is not None, closed
    return closed.code


def _refresh_changes_subs(live: Centrifugo) -> int:
    with raw(live.ws_url) as client:
        user = unique("subs")
        exp = int(time.time()) + 3600
        connect_as(client, user, exp=exp, subs={unique("a"): {}})
        client.send({"refresh": {"token": jwt({"sub": user, "exp": exp, "subs": {unique("b"): {}}})}})
        closed = client.until_closed()
        assert closed.frame and closed.code is not None, closed
        return closed.code


def _connect_closes(token: str) -> Callable[[Centrifugo], int]:
    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            client.send({"connect": {"token": token}})
            closed = client.until_closed()
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


def _refresh_with(token_for: Callable[[str], str]) -> Callable[[Centrifugo], int]:
    """Connect with a token that expires in an hour, then refresh with ``token_for(user)``."""

    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            user = unique("refresher")
            connect_as(client, user, exp=int(time.time()) + 3600)
            client.send({"refresh": {"token": token_for(user)}})
            closed = client.until_closed()
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


def _unknown_command(live: Centrifugo) -> int:
    with raw(live.ws_url) as client:
        _connected(client)
        client.send_raw(json.dumps({"id": 99, "no_such_method": {}}))
        closed = client.until_closed()
        assert closed.frame and closed.code is not None, closed
        return closed.code


def _connect_asking_for(channel: str) -> Callable[[Centrifugo], int]:
    """A connect command whose subs field asks for a server-side subscription to ``channel``."""

    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            client.send({"connect": {"token": jwt({"sub": unique("asker")}), "subs": {channel: {}}}})
            closed = client.until_closed()
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


def _open_after_connect_error(live: Centrifugo) -> int:
    with raw(live.ws_url) as client:
        reply = client.reply(client.send({"connect": {"token": jwt({"sub": unique("late"), "exp": 1})}}))
        assert reply["error"]["code"] == 109, reply
        closed = client.until_closed(timeout=TIMER_WAIT)
        assert closed.frame and closed.code is not None, closed
        return closed.code


# --- A server whose connections expire at once, with a refresh proxy ---------------------


class RefreshBackend:
    """A connect and refresh proxy: connections expire a second after they connect,
    and the refresh answer depends on the user's name (``bad-info-...`` gets
    b64info that is not base64, ``expired-...`` gets ``expired: true``)."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                now = int(time.time())
                if self.path == "/connect":
                    user = str(as_object(body.get("data")).get("user", "anyone"))
                    answer: object = {"result": {"user": user, "expire_at": now + 1}}
                elif str(body.get("user", "")).startswith("expired-"):
                    answer = {"result": {"expired": True}}
                else:
                    answer = {"result": {"expire_at": now + 3600, "b64info": "!!"}}
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, name="refresh-backend", daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def refreshing() -> Iterator[Centrifugo]:
    """Centrifugo whose connect proxy gives a one-second lifetime and whose refresh
    proxy is :class:`RefreshBackend`."""
    backend = RefreshBackend()
    config = base_config(free_port(), backend.url)
    proxy: dict[str, Any] = config["client"]["proxy"]
    proxy["connect"]["endpoint"] = f"{backend.url}/connect"
    proxy["refresh"] = {"enabled": True, "endpoint": f"{backend.url}/refresh", "timeout": "2s"}
    config["channel"]["namespaces"].append(
        {
            "name": "short",
            "history_size": 10,
            "history_ttl": "1s",
            "history_meta_ttl": "2s",
            "force_recovery": True,
            "allow_subscribe_for_client": True,
        }
    )
    try:
        live = Centrifugo.start(config, name="refreshing")
    except SetupError as error:
        backend.close()
        pytest.fail(f"live server setup: {error}", pytrace=False)
    yield live
    live.stop()
    backend.close()


def _refreshed_as(prefix: str) -> Callable[[Centrifugo], int]:
    def run(live: Centrifugo) -> int:
        with raw(live.ws_url) as client:
            reply = client.reply(client.send({"connect": {"data": {"user": unique(prefix)}}}))
            assert "connect" in reply, reply
            closed = client.until_closed(timeout=TIMER_WAIT)
            assert closed.frame and closed.code is not None, closed
            return closed.code

    return run


# --- Client-side codes, as centrifuge-python reports them ---------------------------------


def _collect_sockets_left_to(port: int) -> None:
    """Collect what centrifuge-python 0.7.0 can leave behind when it is disconnected
    while it changes state (a stalled server, a refused token): a socket it never
    closed, which the garbage collector would complain about during whichever test
    runs then. Collected here, each complaint must be about a socket to the server
    (or its asyncio transport), nothing else."""
    complaints: list[sys.UnraisableHookArgs] = []
    previous = sys.unraisablehook
    sys.unraisablehook = complaints.append
    try:
        gc.collect()
    finally:
        sys.unraisablehook = previous
    for complaint in complaints:
        about = repr(complaint.object)
        mine = f"raddr=('127.0.0.1', {port})" in about or "fd=-1" in about  # fd -1: closed meanwhile
        assert (about.startswith("<socket.socket ") and mine) or "_SelectorTransport.__del__" in about, about


_T = TypeVar("_T")


def _run_sdk(live: Centrifugo, run: Coroutine[Any, Any, _T]) -> _T:
    """Run centrifuge-python's part of a proof, then collect what it left behind."""
    try:
        return asyncio.run(run)
    finally:
        _collect_sockets_left_to(live.port)


SdkEvents = dict[str, list[tuple[str, int, str]]]


async def _python_sdk(live: Centrifugo) -> SdkEvents:
    """Drive centrifuge-python through connect, subscribe, a lost transport, unsubscribe
    and disconnect; record the state events of each step."""
    sdk: Any = importlib.import_module("centrifuge")
    steps: SdkEvents = {}
    step = ["connect"]
    connected, subscribed = asyncio.Event(), asyncio.Event()

    def note(name: str, ctx: Any) -> None:
        steps.setdefault(step[0], []).append((name, int(ctx.code), str(ctx.reason)))

    class ClientEvents:
        async def on_connecting(self, ctx: Any) -> None:
            note("connecting", ctx)

        async def on_connected(self, ctx: Any) -> None:
            connected.set()

        async def on_disconnected(self, ctx: Any) -> None:
            note("disconnected", ctx)

    class SubEvents:
        async def on_subscribing(self, ctx: Any) -> None:
            note("subscribing", ctx)

        async def on_subscribed(self, ctx: Any) -> None:
            subscribed.set()

        async def on_unsubscribed(self, ctx: Any) -> None:
            note("unsubscribed", ctx)

    user = unique("sdk-causes")
    client: Any = sdk.Client(
        live.ws_url,
        events=ClientEvents(),
        token=jwt({"sub": user}),
        min_reconnect_delay=0.2,
        max_reconnect_delay=0.5,
        proxy=None,
    )
    try:
        await client.connect()
        await asyncio.wait_for(connected.wait(), TIMER_WAIT)
        step[0] = "subscribe"
        sub: Any = client.new_subscription(unique("sdk-chan"), events=SubEvents())
        await sub.subscribe()
        await asyncio.wait_for(subscribed.wait(), TIMER_WAIT)
        # A disconnect whose reason is too long for a close frame: TCP closes bare.
        step[0] = "transport-lost"
        connected.clear()
        subscribed.clear()
        too_long = {"user": user, "disconnect": {"code": 4500, "reason": "r" * 124}}
        await asyncio.to_thread(live.api, "disconnect", too_long)
        await asyncio.wait_for(connected.wait(), TIMER_WAIT)
        await asyncio.wait_for(subscribed.wait(), TIMER_WAIT)
        step[0] = "unsubscribe"
        await sub.unsubscribe()
        step[0] = "disconnect"
        await client.disconnect()
    finally:
        await client.disconnect()
    return steps


@pytest.fixture(scope="module")
def sdk_events(server: Centrifugo) -> SdkEvents:
    return _run_sdk(server, _python_sdk(server))


def _sdk(step: str, event: str) -> Proof:
    def proof(request: pytest.FixtureRequest) -> int:
        steps: SdkEvents = request.getfixturevalue("sdk_events")
        codes = [code for name, code, _reason in steps.get(step, []) if name == event]
        assert codes, f"centrifuge-python reported no {event} event at step {step!r}: {steps!r}"
        return codes[0]

    return Proof(proof)


async def _first_event(client: Any, events: dict[str, list[int]], name: str) -> int:
    """Wait (bounded) for the SDK's first ``name`` event, then disconnect the client."""
    try:
        deadline = time.monotonic() + TIMER_WAIT
        while not events.get(name):
            assert time.monotonic() < deadline, f"centrifuge-python reported no {name} event: {events!r}"
            await asyncio.sleep(0.05)
        return events[name][0]
    finally:
        await client.disconnect()


def _recorder(events: dict[str, list[int]]) -> tuple[Any, Any]:
    """Client and subscription event handlers that record each state event's code."""
    sdk: Any = importlib.import_module("centrifuge")

    async def note(name: str, ctx: Any) -> None:
        events.setdefault(name, []).append(int(ctx.code))

    class ClientEvents(sdk.ClientEventHandler):  # type: ignore[misc]  # the SDK is untyped here
        async def on_connecting(self, ctx: Any) -> None:
            await note("connecting", ctx)

        async def on_connected(self, ctx: Any) -> None:
            events.setdefault("connected", []).append(0)  # a connected event has no code

        async def on_disconnected(self, ctx: Any) -> None:
            await note("disconnected", ctx)

    class SubEvents(sdk.SubscriptionEventHandler):  # type: ignore[misc]  # the SDK is untyped here
        async def on_subscribed(self, ctx: Any) -> None:
            events.setdefault("subscribed", []).append(0)

        async def on_unsubscribed(self, ctx: Any) -> None:
            await note("unsubscribed", ctx)

    return ClientEvents(), SubEvents()


def _token_source_refuses(target: str) -> Proof:
    """centrifuge-python's token source (of the connection, or of a subscription)
    raises the SDK's UnauthorizedError."""

    async def run(live: Centrifugo) -> int:
        sdk: Any = importlib.import_module("centrifuge")
        events: dict[str, list[int]] = {}
        client_events, sub_events = _recorder(events)

        async def refuse(*_channel: str) -> str:  # a subscription's source is given the channel
            raise sdk.UnauthorizedError

        if target == "client":
            client: Any = sdk.Client(live.ws_url, events=client_events, get_token=refuse, proxy=None)
            await client.connect()
            return await _first_event(client, events, "disconnected")
        client = sdk.Client(live.ws_url, events=client_events, token=jwt({"sub": unique("sub-token")}), proxy=None)
        sub: Any = client.new_subscription("closed:" + unique("t"), events=sub_events, get_token=refuse)
        await client.connect()
        await sub.subscribe()
        return await _first_event(client, events, "unsubscribed")

    return _on("server", lambda live: _run_sdk(live, run(live)))


async def _expired_fixed_token(live: Centrifugo) -> int:
    sdk: Any = importlib.import_module("centrifuge")
    events: dict[str, list[int]] = {}
    client_events, _ = _recorder(events)
    client: Any = sdk.Client(
        live.ws_url, events=client_events, token=jwt({"sub": unique("late"), "exp": 1}), proxy=None
    )
    await client.connect()
    return await _first_event(client, events, "disconnected")


def _wait_stopped(live: Centrifugo) -> None:
    """Wait until the kernel reports the server's process stopped (state T)."""
    stat = Path(f"/proc/{live.process.pid}/stat")
    deadline = time.monotonic() + TIMER_WAIT
    while stat.read_text(encoding="ascii").rpartition(")")[2].split()[0] != "T":
        assert time.monotonic() < deadline, "the server did not stop on SIGSTOP"
        time.sleep(0.01)


def _stalled_server(step: str) -> Proof:
    """A server of its own, paused with SIGSTOP while centrifuge-python is connected:
    a subscribe made then gets no reply (``subscribe``), or pings stop (``ping``)."""

    async def run(live: Centrifugo) -> int:
        sdk: Any = importlib.import_module("centrifuge")
        events: dict[str, list[int]] = {}
        client_events, sub_events = _recorder(events)
        client: Any = sdk.Client(
            live.ws_url,
            events=client_events,
            token=jwt({"sub": unique("stalled")}),
            timeout=0.5,
            # Pings come every 2 s: waiting for them must outlast the subscribe's timeout,
            # unless pings are what the run is about.
            max_server_ping_delay=0.5 if step == "ping" else TIMER_WAIT,
            min_reconnect_delay=5.0,
            proxy=None,
        )
        await client.connect()
        deadline = time.monotonic() + TIMER_WAIT
        while not events.get("connected"):
            assert time.monotonic() < deadline, events
            await asyncio.sleep(0.05)
        events.pop("connecting", None)
        live.process.send_signal(signal.SIGSTOP)
        try:
            _wait_stopped(live)
            if step == "subscribe":
                sub: Any = client.new_subscription(unique("late-sub"), events=sub_events)
                await sub.subscribe()
            deadline = time.monotonic() + TIMER_WAIT
            while not events.get("connecting"):
                assert time.monotonic() < deadline, f"centrifuge-python reported no connecting event: {events!r}"
                await asyncio.sleep(0.05)
            return events["connecting"][0]
        finally:
            # The server runs again before the client leaves, so that the SDK can close
            # its sockets cleanly instead of leaving them to the garbage collector.
            live.process.send_signal(signal.SIGCONT)
            await client.disconnect()

    def proof(request: pytest.FixtureRequest) -> int:
        live = start_server(str(request.getfixturevalue("backend_url")), f"cause-stalled-{step}")
        try:
            return _run_sdk(live, run(live))
        finally:
            live.stop()

    return Proof(proof)


# --- The registry -------------------------------------------------------------------------

_REUSED: dict[str, Proof] = {
    **{t.id: _on(t.on, _reply_code(t)) for t in test_replies.TRIGGERS},
    **{t.id: _on(t.on, _close_code(t.run)) for t in test_disconnects.TRIGGERS},
    **{t.id: _on("server", _api_code(t)) for t in test_api.TRIGGERS},
}

_WRITTEN: dict[str, Proof] = {
    "error.103.private-channel-without-token": _on("server", _after_connect({"subscribe": {"channel": "$secret"}})),
    "error.103.sub-refresh-not-subscribed": _on(
        "server", _after_connect({"sub_refresh": {"channel": "never", "token": jwt({"sub": "", "channel": "never"})}})
    ),
    "error.105.server-side-then-client": _on(
        "server", _after_connect({"subscribe": {"channel": "held"}}, subs={"held": {}})
    ),
    "error.107.sub-refresh-without-token": _on(
        "server", _after_connect({"subscribe": {"channel": "plainsub"}}, {"sub_refresh": {"channel": "plainsub"}})
    ),
    "error.110.subscribe-proxy-expire-at-past": _on(
        "server",
        _after_connect(
            {"subscribe": {"channel": "px:past", "data": {"proxy": {"answer": {"result": {"expire_at": 1}}}}}}
        ),
    ),
    "unsubscribe.2000.api-unsubscribe": _on("server", _api_unsubscribe),
    "unsubscribe.2500.stream-reset": _on("refreshing", _stream_reset),
    "unsubscribe.2501.subscription-token-expired": _on("server", _subscription_token_expires),
    "disconnect.3001.shutdown": Proof(_shutdown),
    "disconnect.3004.refresh-proxy-bad-info": _on("refreshing", _refreshed_as("bad-info-")),
    "disconnect.3004.proxy": _on("server", _proxy_disconnect(3004, "internal server error")),
    "disconnect.3005.refresh-proxy-expired": _on("refreshing", _refreshed_as("expired-")),
    "disconnect.3010.refresh-changes-subs": _on("server", _refresh_changes_subs),
    "disconnect.3011.proxy": _on("server", _proxy_disconnect(3011, "force reconnect")),
    "disconnect.3013.proxy": _on("server", _proxy_disconnect(3013, "too many requests")),
    "disconnect.3014.proxy": _on("server", _proxy_disconnect(3014, "state invalidated")),
    "disconnect.3509.proxy": _on("server", _proxy_disconnect(3509, "too many errors")),
    "disconnect.3500.bad-signature": _on("server", _connect_closes(jwt({"sub": "forger"}, secret="not-the-key"))),
    "disconnect.3500.subscription-token-other-channel": _on(
        "server",
        _closes_after({"subscribe": {"channel": "closed:mine", "token": jwt({"sub": "", "channel": "closed:other"})}}),
    ),
    "disconnect.3501.second-connect": _on("server", _closes_after({"connect": {}})),
    "disconnect.3501.unknown-command": _on("server", _unknown_command),
    "disconnect.3501.connect-subs-unknown-namespace": _on("server", _connect_asking_for("nope:x")),
    "disconnect.3502.open-after-connect-error": _on("server", _open_after_connect_error),
    "disconnect.3005.refresh-with-expired-token": _on(
        "server", _refresh_with(lambda user: jwt({"sub": user, "exp": 1}))
    ),
    "disconnect.3500.invalid-refresh-token": _on(
        "server", _refresh_with(lambda user: jwt({"sub": user, "exp": int(time.time()) + 3600}, secret="not-the-key"))
    ),
    "disconnect.3500.channel-claim-in-connection-token": _on(
        "server", _connect_closes(jwt({"sub": "mixed-up", "channel": "closed:c"}))
    ),
    "connecting.0.connect-called": _sdk("connect", "connecting"),
    "connecting.1.transport-lost": _sdk("transport-lost", "connecting"),
    "subscribing.0.subscribe-called": _sdk("subscribe", "subscribing"),
    "subscribing.1.transport-lost": _sdk("transport-lost", "subscribing"),
    "unsubscribed.0.unsubscribe-called": _sdk("unsubscribe", "unsubscribed"),
    "disconnected.0.disconnect-called": _sdk("disconnect", "disconnected"),
    "connecting.2.server-pings-stopped": _stalled_server("ping"),
    "connecting.3.subscribe-reply-late": _stalled_server("subscribe"),
    "disconnected.1.token-source-unauthorized": _token_source_refuses("client"),
    "disconnected.1.expired-token-without-source": _on(
        "server", lambda live: _run_sdk(live, _expired_fixed_token(live))
    ),
    "unsubscribed.1.token-source-unauthorized": _token_source_refuses("sub"),
}

#: Every proof, by the id of the cause it proves. Reused triggers whose ids name no
#: cause (application codes such as error.app.400.proxy) prove codes, not causes.
_IDS: Final = frozenset(cause.id for cause in CAUSES)
PROOFS: Final[dict[str, Proof]] = {
    **{name: proof for name, proof in _REUSED.items() if name in _IDS},
    **_WRITTEN,
}
PROVABLE: Final = [cause for cause in CAUSES if cause.untriggerable is None]
UNTRIGGERABLE: Final = [cause for cause in CAUSES if cause.untriggerable is not None]


@pytest.mark.parametrize("cause", PROVABLE, ids=lambda c: c.id)
def test_the_live_server_sends_the_code_through_the_cause(cause: Cause, request: pytest.FixtureRequest) -> None:
    proof = PROOFS.get(cause.id)
    assert proof is not None, (
        f"{cause.id} has no live proof: add one to PROOFS in {__name__}, or give the cause an Untriggerable reason"
    )
    observed = proof.run(request)
    assert observed == cause.code, f"{cause.id}: the live server sent {observed}, not {cause.code}"


@pytest.mark.parametrize("cause", UNTRIGGERABLE, ids=lambda c: c.id)
def test_a_cause_no_live_test_can_produce_says_why(cause: Cause) -> None:
    reason = cause.untriggerable
    assert isinstance(reason, Untriggerable)
    assert cause.id not in PROOFS, f"{cause.id} has a live proof, so {reason!r} is wrong"
    # The reason reads as a sentence a user can take in, and agrees with the sender.
    assert len(reason.text.split()) >= 6
    if reason is Untriggerable.NEVER_SENT:
        assert cause.sender is Sender.NOBODY
    if reason is Untriggerable.NOT_IN_CENTRIFUGO:
        assert cause.sender is Sender.LIBRARY
        assert CAUSES_MEASURED_ON in reason.text


def test_every_proof_proves_a_cause_the_package_lists() -> None:
    stale = sorted(set(PROOFS) - {cause.id for cause in PROVABLE})
    assert not stale, f"proofs for causes the package does not list as provable: {stale}"
    assert len(PROOFS) == len(PROVABLE)

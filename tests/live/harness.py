"""A real Centrifugo v6.9.1 for the live tests: the server, a scripted proxy backend,
a raw WebSocket client, tokens and server API calls.

The binaries come from ``tests/live/build.sh`` (the pins are ``tests/live/go.mod`` and
``go.sum``). Nothing here skips: a missing Go toolchain, a build that fails or a
server that does not start raises :class:`SetupError`, which the fixtures turn into a
failing test with the reason.

Every server listens on 127.0.0.1 on a port the kernel picked, and every wait is
bounded by a deadline.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

__all__ = [
    "API_KEY",
    "BUILD",
    "SECRET",
    "Backend",
    "Centrifugo",
    "Closed",
    "RawClient",
    "SetupError",
    "TriggerServer",
    "base_config",
    "binary",
    "jwt",
]

HERE: Final = Path(__file__).resolve().parent
REPO: Final = HERE.parent.parent
BUILD: Final = HERE / ".build"
#: The HMAC key the servers verify connection and subscription tokens with.
SECRET: Final = "live-test-secret"
#: The server API key.
API_KEY: Final = "live-api-key"
#: Bounds: how long a broken setup takes to fail, never how long a test waits when
#: things work (a settled wait returns at once).
BUILD_TIMEOUT: Final = 900.0
START_TIMEOUT: Final = 20.0
RECV_TIMEOUT: Final = 10.0


class SetupError(Exception):
    """The live components cannot be built or started here."""


def binary(name: str) -> Path:
    """The built binary ``name`` (``centrifugo``, ``trigger``, ``godriver``...),
    building every pinned component first when it is missing."""
    path = BUILD / name
    if not path.exists():
        if shutil.which("go") is None:
            raise SetupError("Go is required by the live tests (tests/live/build.sh), and is not on PATH")
        try:
            result = subprocess.run(
                ["bash", str(HERE / "build.sh")],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SetupError(f"tests/live/build.sh took longer than {BUILD_TIMEOUT:.0f} s") from error
        if result.returncode != 0:
            raise SetupError(f"tests/live/build.sh failed:\n{result.stdout}{result.stderr}")
        if not path.exists():
            raise SetupError(f"tests/live/build.sh did not build {path}")
    return path


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_object(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def jwt(claims: Mapping[str, object], *, secret: str = SECRET) -> str:
    """An HS256 JSON Web Token with ``claims``, signed with ``secret``."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(dict(claims)).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


# --- The proxy backend ----------------------------------------------------------------

#: What the backend answers when the client's data holds no script.
_DEFAULTS: Final[Mapping[str, Callable[[dict[str, Any]], object]]] = {
    "connect": lambda request: {"result": {"user": request.get("data", {}).get("user", "proxy-user")}},
    "subscribe": lambda _request: {"result": {}},
    "publish": lambda _request: {"result": {}},
    "rpc": lambda _request: {"result": {"data": {}}},
    "refresh": lambda _request: {"result": {"expire_at": int(time.time()) + 3600}},
    "sub_refresh": lambda _request: {"result": {"expire_at": int(time.time()) + 3600}},
}


class Backend:
    """A proxy backend on 127.0.0.1, scripted by the client.

    Each proxy request carries the data that the client sent with its command
    (connect, subscribe, publish or rpc). When that data holds ``"proxy"``, the
    backend obeys it: ``{"proxy": {"status": 500}}`` answers with that HTTP status,
    ``{"proxy": {"answer": {...}}}`` with that JSON body (written by the tests with
    :mod:`centrifugo_protocol.proxy`). Otherwise it accepts the command. A refresh
    request carries no client data, so a connect script may hold the answer for its
    user's later refreshes: ``{"proxy": {"answer": ..., "refresh": {...}}}``. Every
    request is kept in :attr:`requests`, in order, as ``(path, body)``.
    """

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        #: The refresh answer a connect script left for its user.
        self.refresh_answers: dict[str, object] = {}
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                kind = self.path.strip("/")
                backend.requests.append((kind, body))
                order = as_object(as_object(body.get("data")).get("proxy"))
                if "status" in order:
                    self._send(int(order["status"]), b"backend says no")
                    return
                answer: object = order["answer"] if "answer" in order else _DEFAULTS[kind](body)
                if kind == "connect" and "refresh" in order:
                    user = as_object(as_object(answer).get("result")).get("user")
                    backend.refresh_answers[str(user)] = order["refresh"]
                if kind == "refresh" and str(body.get("user")) in backend.refresh_answers:
                    answer = backend.refresh_answers[str(body.get("user"))]
                self._send(200, json.dumps(answer).encode())

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the requests are kept in ``requests``."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="proxy-backend", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- Centrifugo -----------------------------------------------------------------------


def base_config(port: int, backend: str) -> dict[str, Any]:
    """The configuration most live tests share (v6 keys): tokens with :data:`SECRET`,
    short timers, a connect proxy for connections without a token, subscribe and
    publish proxies in namespace ``px``, an RPC proxy, history in ``hist``, a channel
    regex in ``re``, a JSON-only namespace ``json``, the server API, http_stream and
    Prometheus."""
    return {
        "http_server": {"address": "127.0.0.1", "port": port},
        "log": {"level": "info"},
        "health": {"enabled": True},
        "client": {
            "token": {"hmac_secret_key": SECRET},
            "ping_interval": "2s",
            "pong_timeout": "1s",
            "stale_close_delay": "1s",
            "expired_close_delay": "1s",
            "expired_sub_close_delay": "1s",
            "presence_update_interval": "1s",
            "proxy": {
                "connect": {"enabled": True, "endpoint": f"{backend}/connect", "timeout": "2s"},
            },
        },
        "channel": {
            "proxy": {
                "subscribe": {"endpoint": f"{backend}/subscribe", "timeout": "2s"},
                "publish": {"endpoint": f"{backend}/publish", "timeout": "2s"},
            },
            "without_namespace": {
                "allow_subscribe_for_client": True,
                "allow_publish_for_client": True,
                "allow_presence_for_client": True,
                "allow_history_for_client": True,
            },
            "namespaces": [
                {"name": "px", "subscribe_proxy_enabled": True, "publish_proxy_enabled": True},
                {
                    "name": "hist",
                    "history_size": 10,
                    "history_ttl": "60s",
                    "force_recovery": True,
                    "allow_subscribe_for_client": True,
                    "allow_history_for_client": True,
                },
                {"name": "re", "channel_regex": "^[a-z]+$", "allow_subscribe_for_client": True},
                {"name": "closed"},
                {
                    "name": "json",
                    "allow_subscribe_for_client": True,
                    "allow_publish_for_client": True,
                    "publication_data_format": "json_object",
                },
                {
                    "name": "pres",
                    "presence": True,
                    "allow_subscribe_for_client": True,
                    "allow_presence_for_client": True,
                },
            ],
        },
        "rpc": {
            "proxy": {"endpoint": f"{backend}/rpc", "timeout": "2s"},
            "without_namespace": {"proxy_enabled": True},
        },
        "http_api": {"key": API_KEY},
        "http_stream": {"enabled": True},
        "uni_websocket": {"enabled": True},
        "prometheus": {"enabled": True},
    }


@dataclass
class ApiReply:
    """A server API answer: its HTTP status, and its body as JSON (None when not JSON)."""

    status: int
    body: Any
    text: str


@dataclass
class Centrifugo:
    """A running Centrifugo, started by :meth:`start` with a configuration file."""

    config: dict[str, Any]
    process: subprocess.Popen[bytes]
    port: int
    workdir: Path
    log: Path
    _closed: bool = field(default=False)

    @classmethod
    def start(cls, config: dict[str, Any], *, name: str = "centrifugo") -> Centrifugo:
        workdir = Path(tempfile.mkdtemp(prefix=f"live-{name}-"))
        path = workdir / "config.json"
        path.write_text(json.dumps(config, indent=2))
        log = workdir / "server.log"
        port = int(config["http_server"]["port"])
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(binary("centrifugo")), "--config", str(path)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=workdir,
                env={**os.environ, "CENTRIFUGO_LOG_LEVEL": str(config.get("log", {}).get("level", "info"))},
            )
        server = cls(config, process, port, workdir, log)
        server._wait_ready()
        return server

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/connection/websocket"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"centrifugo exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise SetupError(f"centrifugo did not answer /health within {START_TIMEOUT:.0f} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def api(self, method: str, body: Mapping[str, object], *, key: str | None = API_KEY) -> ApiReply:
        """``POST /api/<method>`` with ``body`` as JSON."""
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["X-API-Key"] = key
        request = urllib.request.Request(
            f"{self.base}/api/{method}", data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=RECV_TIMEOUT) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            with error:  # closed here, not by the collector, which would warn
                status, raw = error.code, error.read()
        text = raw.decode(errors="replace")
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = None
        return ApiReply(status, parsed, text)

    def metrics(self) -> str:
        with urllib.request.urlopen(f"{self.base}/metrics", timeout=RECV_TIMEOUT) as answer:
            return str(answer.read().decode())

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- The trigger server ---------------------------------------------------------------


@dataclass
class TriggerServer:
    """A running ``trigger`` (``tests/live/trigger``): a server on the centrifuge
    library that each client scripts with its connect and subscribe data."""

    process: subprocess.Popen[bytes]
    addr: str
    log: Path
    _closed: bool = field(default=False)

    @classmethod
    def start(cls) -> TriggerServer:
        handle, name = tempfile.mkstemp(prefix="live-trigger-", suffix=".log")
        os.close(handle)
        log = Path(name)
        with log.open("wb") as err:
            process = subprocess.Popen(
                [str(binary("trigger")), "-addr", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=err
            )
        server = cls(process, "", log)
        server.addr = server._read_addr()
        return server

    def _read_addr(self) -> str:
        """The address of the ready line, ``{"addr": "127.0.0.1:PORT"}``, read within
        :data:`START_TIMEOUT`."""
        assert self.process.stdout is not None
        out = self.process.stdout
        deadline = time.monotonic() + START_TIMEOUT
        line = b""
        with selectors.DefaultSelector() as selector:
            selector.register(out, selectors.EVENT_READ)
            while not line.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise self._failed(f"trigger printed no address within {START_TIMEOUT:.0f} s")
                chunk = os.read(out.fileno(), 4096)
                if not chunk:
                    raise self._failed(f"trigger exited before it was ready (got {line!r})")
                line += chunk
        try:
            addr = as_object(json.loads(line)).get("addr")
        except ValueError:
            addr = None
        if not isinstance(addr, str) or not addr.startswith("127.0.0.1:"):
            raise self._failed(f'trigger\'s ready line is not {{"addr": "127.0.0.1:PORT"}}: {line!r}')
        return addr

    def _failed(self, what: str) -> SetupError:
        """Stop the process and describe the failure, with what it wrote to stderr."""
        self.stop(keep_log=True)
        error = SetupError(f"{what}:\n{self.log_text()}")
        self.log.unlink(missing_ok=True)
        return error

    @property
    def ws_url(self) -> str:
        return f"ws://{self.addr}/connection/websocket"

    def http_stream(self, *commands: Mapping[str, object]) -> list[dict[str, Any]]:
        """POST ``commands`` (ids from 1 up) to ``/connection/http_stream`` and return
        every message of the stream, in order, once the server ends it."""
        host, port = self.addr.rsplit(":", 1)
        body = "\n".join(json.dumps({"id": i, **c}) for i, c in enumerate(commands, 1))
        conn = http.client.HTTPConnection(host, int(port), timeout=RECV_TIMEOUT)
        try:
            conn.request("POST", "/connection/http_stream", body=body, headers={"Content-Type": "application/json"})
            answer = conn.getresponse()
            text = answer.read().decode()
        finally:
            conn.close()
        if answer.status != 200:
            raise AssertionError(f"http_stream answered {answer.status}: {text!r}")
        return [json.loads(line) for line in text.split("\n") if line.strip()]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self, *, keep_log: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if not keep_log:
            self.log.unlink(missing_ok=True)


# --- A raw client ---------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    """How the server ended a raw client's connection: the close frame's code and
    reason, or ``frame=False`` when TCP closed without a close frame."""

    frame: bool
    code: int | None
    reason: str


class RawClient:
    """A client that speaks Centrifugo's JSON protocol by hand, over WebSocket.

    Commands get ids from 1 up. Pings (``{}``) are answered unless ``pong=False``.
    Frames may hold several messages separated by newlines; :attr:`messages` keeps
    every message received, in order.
    """

    def __init__(self, url: str, *, pong: bool = True) -> None:
        self.url = url
        self.pong = pong
        self.messages: list[dict[str, Any]] = []
        self.closed: Closed | None = None
        self._next_id = 0
        # Imported here: the documentation build reads this folder's data without
        # the test requirements. Entered by hand: websockets 17 wants connect() used
        # as a context manager.
        from websockets.sync.client import connect

        self._opened = connect(url, open_timeout=RECV_TIMEOUT, close_timeout=2, max_size=None)
        self._conn: ClientConnection = self._opened.__enter__()

    def send(self, command: Mapping[str, object]) -> int:
        """Send one command; returns the id it was given."""
        self._next_id += 1
        self._conn.send(json.dumps({"id": self._next_id, **command}))
        return self._next_id

    def send_raw(self, text: str | bytes) -> None:
        self._conn.send(text)

    def _pump(self, timeout: float) -> bool:
        """Read one frame (False once the connection has closed)."""
        from websockets.exceptions import ConnectionClosed

        if self.closed is not None:
            return False
        try:
            frame = self._conn.recv(timeout=timeout)
        except TimeoutError:
            return True
        except ConnectionClosed as error:
            rcvd = error.rcvd
            self.closed = Closed(True, rcvd.code, rcvd.reason) if rcvd is not None else Closed(False, None, "")
            return False
        text = frame.decode() if isinstance(frame, bytes) else frame
        for line in text.split("\n"):
            if not line.strip():
                continue
            message = json.loads(line)
            if message == {}:
                if self.pong:
                    self._conn.send("{}")
                continue
            self.messages.append(message)
        return True

    def wait(self, found: Callable[[], object], timeout: float = RECV_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not found():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"nothing matched within {timeout} s; got {self.messages!r}, closed={self.closed}")
            if not self._pump(min(left, 0.5)) and not found():
                raise ConnectionError(f"closed before a match: {self.closed}; got {self.messages!r}")

    def reply(self, command_id: int, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The reply to the command with ``command_id``."""

        def find() -> dict[str, Any] | None:
            return next((m for m in self.messages if m.get("id") == command_id), None)

        self.wait(find, timeout)
        found = find()
        assert found is not None
        return found

    def push(self, kind: str, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The first push that holds ``kind`` (``unsubscribe``, ``disconnect``...)."""

        def find() -> dict[str, Any] | None:
            return next((m["push"] for m in self.messages if kind in m.get("push", {})), None)

        self.wait(find, timeout)
        found = find()
        assert found is not None
        return found

    def until_closed(self, timeout: float = RECV_TIMEOUT) -> Closed:
        deadline = time.monotonic() + timeout
        while self.closed is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the server did not close within {timeout} s; got {self.messages!r}")
            self._pump(min(left, 0.5))
        return self.closed

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._opened.__exit__(None, None, None)


@contextlib.contextmanager  # pyright: ignore[reportDeprecated]
def raw(url: str, *, pong: bool = True) -> Iterator[RawClient]:
    client = RawClient(url, pong=pong)
    try:
        yield client
    finally:
        client.close()

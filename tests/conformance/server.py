"""A scripted fake Centrifugo server: protocol v2, JSON, over WebSocket on 127.0.0.1.

Each case has a URL path of its own (``/<sdk>/<n>``) and a script, a
:class:`~tests.conformance.cases.Case`. The server answers ``connect``, ``subscribe``,
``refresh``, ``sub_refresh``, ``unsubscribe`` and ``rpc`` commands as a permissive
Centrifugo would, and plays the case's ONE scripted event at the moment the script
names:

* a push (disconnect or unsubscribe), a close frame or a dropped TCP connection:
  when the driver says it is ready, with an ``rpc`` command whose method is ``arm``
  (sent once its client is connected and its subscription subscribed);
* an error reply to a connection or subscription token refresh: to the first such
  command after the driver is ready (earlier ones succeed and ask for another
  refresh a second later);
* an error reply to connect or subscribe: to the first such command after the
  *prime*. A primed case first lets the client connect and subscribe (so that the
  subscription holds a stream position and both hold tokens), and answers the
  driver's ``arm`` by closing the connection with 1001; the SDK reconnects, and the
  reconnect's connect (or resubscribe) gets the error.

Every other reply is a success. Commands arrive as newline-delimited JSON in text
frames; each reply goes out in a frame of its own. The server records every command
with the number of the frame that carried it, and the frame on which it played the
scripted event, so that the tests can tell what an SDK sent *after* it saw the event.

Wire shapes follow what the SDKs themselves read: a reply is
``{"id": N, "<method>": {...}}`` or ``{"id": N, "error": {...}}``; a push is
``{"push": {"disconnect": {...}}}`` or ``{"push": {"channel": ..., "unsubscribe": {...}}}``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, cast

from .cases import CHANNEL, Case

if TYPE_CHECKING:
    from websockets.asyncio.server import ServerConnection

__all__ = ["CaseLog", "Command", "ServerThread", "given_position"]

#: The stream position every successful subscribe reply hands out.
OFFSET: Final = 5
EPOCH: Final = "e1"
#: How the prime ends the first connection: a close frame every SDK reconnects after.
PRIME_CLOSE: Final = (1001, "going away")
#: Seconds until a token expires, in replies that ask for a refresh.
REFRESH_TTL: Final = 1

_METHODS: Final = ("connect", "subscribe", "refresh", "sub_refresh", "unsubscribe", "rpc")


def given_position() -> tuple[int, str]:
    """The (offset, epoch) that the server gives every subscription."""
    return (OFFSET, EPOCH)


@dataclass(frozen=True)
class Command:
    """One command as received: which frame and connection carried it, and its fields."""

    frame: int
    conn: int
    method: str
    params: dict[str, Any]


@dataclass
class CaseLog:
    """What the server saw and did for one case."""

    commands: list[Command] = field(default_factory=list[Command])
    #: The frame whose handling played the scripted event; None if it never played.
    played_frame: int | None = None
    #: Positions handed out in subscribe replies: (frame, offset, epoch).
    positions: list[tuple[int, int, str]] = field(default_factory=list[tuple[int, int, str]])
    notes: list[str] = field(default_factory=list[str])


@dataclass
class _Progress:
    connections: int = 0
    frames: int = 0
    armed: bool = False
    primed: bool = False
    played: bool = False


@dataclass(frozen=True)
class _Send:
    text: str


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str


@dataclass(frozen=True)
class _Drop:
    pass


_Action = _Send | _Close | _Drop


def _dump(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _method(command: Mapping[str, Any]) -> str:
    for name in _METHODS:
        if name in command:
            return name
    return "" if not command else "other"


class _Script:
    """Answers one case's commands, one at a time, and plays its event once."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.progress = _Progress()
        self.log = CaseLog()
        # Connections whose connect got the scripted error: the server answers nothing
        # more on them (the SDK closes them).
        self.refused: set[int] = set()

    def _play(self, frame: int) -> None:
        self.progress.played = True
        self.log.played_frame = frame

    def _event(self) -> list[_Action]:
        case = self.case
        if case.kind == "disconnect":
            return [_Send(_dump({"push": {"disconnect": case.payload}}))]
        if case.kind == "unsubscribe":
            return [_Send(_dump({"push": {"channel": CHANNEL, "unsubscribe": case.payload}}))]
        if case.kind == "close":
            return [_Close(case.code, case.close_reason)]
        return [_Drop()]

    def answer(self, conn: int, frame: int, command: Mapping[str, Any]) -> list[_Action]:
        """The actions that answer one command."""
        method = _method(command)
        params_value = command.get(method) if method else None
        params: dict[str, Any] = (
            dict(cast("Mapping[str, Any]", params_value)) if isinstance(params_value, Mapping) else {}
        )
        self.log.commands.append(Command(frame, conn, method, params))
        ident = command.get("id")
        if conn in self.refused or not isinstance(ident, int):
            return []  # nothing to answer: a pong, or a command after a refused connect
        case, progress = self.case, self.progress
        if method == "connect":
            if case.kind == "connect-error" and progress.primed and not progress.played:
                self._play(frame)
                self.refused.add(conn)
                return [_Send(_dump({"id": ident, "error": case.payload}))]
            result: dict[str, object] = {"client": f"client-{conn}", "version": "0.0.0-conformance"}
            if case.kind == "refresh-error" and not progress.played:
                result.update(expires=True, ttl=REFRESH_TTL)
            return [_Send(_dump({"id": ident, "connect": result}))]
        if method == "subscribe":
            if case.kind in ("subscribe-error", "subscribe-error-rebuild") and progress.primed and not progress.played:
                self._play(frame)
                return [_Send(_dump({"id": ident, "error": case.payload}))]
            self.log.positions.append((frame, OFFSET, EPOCH))
            result = {"recoverable": True, "positioned": True, "epoch": EPOCH, "offset": OFFSET}
            if case.kind == "sub-refresh-error" and not progress.played:
                result.update(expires=True, ttl=REFRESH_TTL)
            return [_Send(_dump({"id": ident, "subscribe": result}))]
        if method in ("refresh", "sub_refresh"):
            scripted = "refresh-error" if method == "refresh" else "sub-refresh-error"
            if case.kind == scripted and not progress.played:
                if progress.armed:
                    self._play(frame)
                    return [_Send(_dump({"id": ident, "error": case.payload}))]
                # Too early (the driver is not ready yet): succeed, and ask again soon.
                return [_Send(_dump({"id": ident, method: {"expires": True, "ttl": REFRESH_TTL}}))]
            return [_Send(_dump({"id": ident, method: {}}))]
        if method == "unsubscribe":
            return [_Send(_dump({"id": ident, "unsubscribe": {}}))]
        if method == "rpc":
            reply: list[_Action] = [_Send(_dump({"id": ident, "rpc": {}}))]
            if params.get("method") != "arm" or progress.armed:
                return reply
            progress.armed = True
            if case.primed:
                progress.primed = True
                return [*reply, _Close(*PRIME_CLOSE)]
            if case.kind in ("disconnect", "unsubscribe", "close", "drop"):
                self._play(frame)
                return [*reply, *self._event()]
            return reply
        self.log.notes.append(f"unanswered command in frame {frame}: {_dump(dict(command))}")
        return []


class _Server:
    def __init__(self, scripts: Mapping[str, Case]) -> None:
        self.scripts = {path: _Script(case) for path, case in scripts.items()}

    async def handle(self, ws: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        request = ws.request
        script = self.scripts.get(request.path if request is not None else "")
        if script is None:
            await ws.close(1008, "unknown case path")
            return
        conn = script.progress.connections
        script.progress.connections += 1
        try:
            async for message in ws:
                if not isinstance(message, str):
                    script.log.notes.append("binary frame ignored")
                    continue
                script.progress.frames += 1
                frame = script.progress.frames
                for line in message.split("\n"):
                    if not line.strip():
                        continue
                    decoded: Any = json.loads(line)
                    if not isinstance(decoded, dict):
                        script.log.notes.append(f"not a JSON object: {line!r}")
                        continue
                    command = cast("dict[str, Any]", decoded)
                    for action in script.answer(conn, frame, command):
                        if isinstance(action, _Send):
                            await ws.send(action.text)
                        elif isinstance(action, _Close):
                            await ws.close(action.code, action.reason)
                            return
                        else:
                            ws.transport.abort()
                            return
        except ConnectionClosed:
            pass


class ServerThread:
    """Runs the scripted server on its own event loop in a background thread.

    ``start()`` returns the base URL (``ws://127.0.0.1:<ephemeral port>``); the logs,
    keyed by case path, are complete once ``stop()`` returned.
    """

    def __init__(self, scripts: Mapping[str, Case]) -> None:
        self._server = _Server(scripts)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="conformance-server", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._port = 0
        self._error: BaseException | None = None

    @property
    def logs(self) -> dict[str, CaseLog]:
        return {path: script.log for path, script in self._server.scripts.items()}

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as error:  # reported by start() or stop()
            self._error = error
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._ready.set()

    async def _main(self) -> None:
        # Imported here, so that a missing websockets is reported by start(), with the
        # other setup problems, instead of breaking the import of the test modules.
        from websockets.asyncio.server import serve

        self._stop = asyncio.Event()
        # Large messages and slow peers are not what this server tests: no size limit,
        # no keepalive pings (the SDKs answer them differently), a short close wait.
        server = serve(self._server.handle, "127.0.0.1", 0, max_size=None, ping_interval=None, close_timeout=2)
        await server  # starts listening; the object itself is the server
        try:
            self._port = int(server.sockets[0].getsockname()[1])
            self._ready.set()
            await self._stop.wait()
        finally:
            server.close(close_connections=True)
            await server.wait_closed()

    def start(self, timeout: float = 10.0) -> str:
        self._thread.start()
        if not self._ready.wait(timeout) or self._port == 0:
            raise RuntimeError(f"the scripted server did not start: {self._error!r}")
        return f"ws://127.0.0.1:{self._port}"

    def stop(self, timeout: float = 15.0) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("the scripted server did not stop in time")
        if self._error is not None:
            raise RuntimeError(f"the scripted server failed: {self._error!r}")

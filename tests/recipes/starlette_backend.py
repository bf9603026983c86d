"""A Centrifugo proxy backend in Starlette (a FastAPI app mounts it as it is).

Centrifugo POSTs a JSON request to one endpoint per proxy (connect, subscribe,
publish, rpc) and reads the JSON answer: ``{"result": {...}}`` lets the client
through; an error or a disconnect refuses it. Your code decides, one function per
proxy; this module turns each decision into the answer Centrifugo expects.

Refusals are built once, at import, with :mod:`centrifugo_protocol.proxy`, which
refuses codes outside the application bands and reasons a close frame cannot carry,
so a typo fails at start-up instead of in front of users.

A decision function may also raise ``HTTPException(403)``, as an authentication
layer does: Centrifugo then sees a status, not an answer, and tells the client error
100, temporary, unless the proxy's ``status_to_code_transforms`` (written by
``proxy.status_to_code_transforms()``) maps 403 to a refusal of your choice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from centrifugo_protocol import proxy
from centrifugo_protocol.wire import Disconnect, ReplyError

#: What a decision function returns: a result to let the client through, or a refusal.
Decision = ReplyError | Disconnect | Mapping[str, object]
#: One per proxy: reads Centrifugo's request body, returns a decision.
Decide = Callable[[Mapping[str, Any]], Decision]


def answer(decision: Decision) -> Mapping[str, object]:
    """The JSON answer Centrifugo expects for ``decision``."""
    if isinstance(decision, ReplyError):
        return proxy.error_response(decision)
    if isinstance(decision, Disconnect):
        return proxy.disconnect_response(decision)
    return {"result": dict(decision)}


def endpoint(decide: Decide) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint that answers one proxy with ``decide``."""

    async def handle(request: Request) -> Response:
        body: object = await request.json()
        if not isinstance(body, dict):
            raise HTTPException(400, "a proxy request is a JSON object")
        return JSONResponse(answer(decide(cast("dict[str, Any]", body))))

    return handle


def centrifugo_app(
    *,
    connect: Decide | None = None,
    subscribe: Decide | None = None,
    publish: Decide | None = None,
    rpc: Decide | None = None,
) -> Starlette:
    """An app with an endpoint per proxy given: ``/connect``, ``/subscribe``, ``/publish``
    and ``/rpc``. Mount it in your application, e.g. ``app.mount("/centrifugo", ...)``,
    and point the proxies' ``endpoint`` settings at it."""
    given = {"connect": connect, "subscribe": subscribe, "publish": publish, "rpc": rpc}
    routes = [Route(f"/{name}", endpoint(decide), methods=["POST"]) for name, decide in given.items() if decide]
    return Starlette(routes=routes)


# --- An example policy ------------------------------------------------------------------

#: The application's refusals, each checked here, at import.
BANNED = proxy.custom_disconnect(4501, "banned")  # 4500-4999: the client stops for good
MOVED = proxy.custom_disconnect(4001, "reconnect elsewhere")  # 4000-4499: the client comes back
NOT_A_MEMBER = proxy.custom_error(1403, "not a member")  # permanent: the SDK gives up
BUSY = proxy.custom_error(1429, "busy, try again", temporary=True)  # the SDK retries with backoff

#: Statuses the backend's own layers answer with, and what clients get instead of 100.
TRANSFORMS = proxy.status_to_code_transforms({403: proxy.custom_disconnect(4503, "forbidden")})


def example_connect(request: Mapping[str, Any]) -> Decision:
    """Lets a user in by the credentials the client sent (here, plainly, a name)."""
    data: Mapping[str, object] = request.get("data") or {}
    user = data.get("user")
    if not isinstance(user, str) or not user:
        raise HTTPException(403)  # as an auth layer would; mapped by TRANSFORMS
    if user == "mallory":
        return BANNED
    return {"user": user}


example_app = centrifugo_app(connect=example_connect)

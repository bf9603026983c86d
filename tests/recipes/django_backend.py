"""A Centrifugo proxy backend in Django.

The same shape as the Starlette recipe: one view per proxy (connect, subscribe,
publish, rpc), each calling a decision function of yours and answering with the JSON
Centrifugo expects, ``{"result": {...}}`` or a refusal built with
:mod:`centrifugo_protocol.proxy`.

Centrifugo calls these views from the server, not from a browser, so they are exempt
from CSRF checks; protect them as any internal endpoint (a network rule, or a header
set with the proxy's ``http.static_headers`` and checked here). A decision function
may raise Django's ``PermissionDenied``: Django answers 403, which Centrifugo turns
into error 100 (temporary, clients retry) unless ``status_to_code_transforms`` maps it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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


def proxy_view(decide: Decide) -> Callable[[HttpRequest], HttpResponse]:
    """A Django view that answers one proxy with ``decide``."""

    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        try:
            body: object = json.loads(request.body)
        except ValueError:
            return HttpResponseBadRequest("a proxy request is JSON")
        if not isinstance(body, dict):
            return HttpResponseBadRequest("a proxy request is a JSON object")
        return JsonResponse(dict(answer(decide(cast("dict[str, Any]", body)))))

    return view


def centrifugo_urls(
    *,
    connect: Decide | None = None,
    subscribe: Decide | None = None,
    publish: Decide | None = None,
    rpc: Decide | None = None,
) -> list[URLPattern]:
    """URL patterns for the proxies given: ``connect``, ``subscribe``, ``publish``, ``rpc``.
    Include them under a prefix: ``path("centrifugo/", include(centrifugo_urls(...)))``."""
    given = {"connect": connect, "subscribe": subscribe, "publish": publish, "rpc": rpc}
    return [path(name, proxy_view(decide), name=f"centrifugo-{name}") for name, decide in given.items() if decide]


# --- An example policy ------------------------------------------------------------------

#: The application's refusals, each checked here, at import.
NOT_A_MEMBER = proxy.custom_error(1403, "not a member")  # permanent: the subscription stops
BUSY = proxy.custom_error(1429, "busy, try again", temporary=True)  # the SDK resubscribes with backoff

#: A 403 from PermissionDenied reaches clients as this error instead of 100.
TRANSFORMS = proxy.status_to_code_transforms({403: proxy.custom_error(1403, "forbidden")})


def example_subscribe(request: Mapping[str, Any]) -> Decision:
    """Lets users into channels of the rooms they belong to."""
    user, channel = request.get("user"), request.get("channel")
    if not isinstance(user, str) or not user:
        raise PermissionDenied  # anonymous: Django answers 403, mapped by TRANSFORMS
    if channel != f"px:room-of-{user}":
        return NOT_A_MEMBER
    return {}

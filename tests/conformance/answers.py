"""The package's answer to a case, asked in two ways that must agree.

* Through :mod:`centrifugo_protocol.wire`: the payload object as the server wrote it
  goes to ``from_json``, and the decoded object gives the transition. This is the
  path an SDK author takes with a frame in hand.
* By calling the :mod:`centrifugo_protocol.classify` function directly, passing only
  what the wire carried: a key that is absent on the wire is an argument that is not
  passed at all.

A close frame has no payload object, so both answers come from ``on_close``: with
the reason as received, and with the reason left out when the frame had none. A
dropped TCP connection is asked as close code 1006 (what WebSocket APIs report for
a connection that ended without a close frame).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from centrifugo_protocol import classify, wire
from centrifugo_protocol.classify import ClientState, SubscriptionState, Transition

from .cases import Case

__all__ = ["Answer", "direct_answer", "lost_answer", "wire_answer"]

Answer = Transition[ClientState] | Transition[SubscriptionState]

_S = TypeVar("_S", ClientState, SubscriptionState)


class _OnError(Protocol[_S]):
    def __call__(self, code: int, message: str = ..., *, temporary: bool = ...) -> Transition[_S]: ...


def _payload(case: Case) -> dict[str, object]:
    if case.payload is None:
        raise ValueError(f"case {case.id} has no payload object")
    return case.payload


def wire_answer(case: Case) -> Answer:
    """The answer through :mod:`centrifugo_protocol.wire`."""
    if case.kind in ("close", "drop"):
        return classify.on_close(case.code, case.close_reason)
    payload = _payload(case)
    if case.kind == "disconnect":
        return wire.Disconnect.from_json(payload).transition()
    if case.kind == "unsubscribe":
        return wire.Unsubscribe.from_json(payload).transition()
    error = wire.ReplyError.from_json(payload)
    if case.kind == "connect-error":
        return error.on_connect()
    if case.kind == "refresh-error":
        return error.on_refresh()
    if case.kind == "subscribe-error":
        return error.on_subscribe()
    if case.kind == "subscribe-error-rebuild":
        return error.on_subscribe(can_rebuild_state=True)
    return error.on_subscription_refresh()


def _text(payload: dict[str, object], key: str) -> str | None:
    value = payload.get(key)
    return value if isinstance(value, str) else None


def _flag(payload: dict[str, object]) -> bool | None:
    value = payload.get("temporary")
    return value if isinstance(value, bool) else None


def _call(on_error: _OnError[_S], code: int, message: str | None, temporary: bool | None) -> Transition[_S]:
    if message is None and temporary is None:
        return on_error(code)
    if message is None:
        assert temporary is not None
        return on_error(code, temporary=temporary)
    if temporary is None:
        return on_error(code, message)
    return on_error(code, message, temporary=temporary)


def _rebuild(code: int, message: str | None, temporary: bool | None) -> Transition[SubscriptionState]:
    on = classify.on_subscribe_error
    if message is None and temporary is None:
        return on(code, can_rebuild_state=True)
    if message is None:
        assert temporary is not None
        return on(code, temporary=temporary, can_rebuild_state=True)
    if temporary is None:
        return on(code, message, can_rebuild_state=True)
    return on(code, message, temporary=temporary, can_rebuild_state=True)


def direct_answer(case: Case) -> Answer:
    """The answer from a direct ``classify`` call that omits what the wire omitted."""
    if case.kind in ("close", "drop"):
        return (
            classify.on_close(case.code) if case.close_reason == "" else classify.on_close(case.code, case.close_reason)
        )
    payload = _payload(case)
    if case.kind in ("disconnect", "unsubscribe"):
        reason = _text(payload, "reason")
        if case.kind == "disconnect":
            return classify.on_disconnect(case.code) if reason is None else classify.on_disconnect(case.code, reason)
        return classify.on_unsubscribe(case.code) if reason is None else classify.on_unsubscribe(case.code, reason)
    message, temporary = _text(payload, "message"), _flag(payload)
    if case.kind == "connect-error":
        return _call(classify.on_connect_error, case.code, message, temporary)
    if case.kind == "refresh-error":
        return _call(classify.on_refresh_error, case.code, message, temporary)
    if case.kind == "subscribe-error":
        return _call(classify.on_subscribe_error, case.code, message, temporary)
    if case.kind == "subscribe-error-rebuild":
        return _rebuild(case.code, message, temporary)
    return _call(classify.on_subscription_refresh_error, case.code, message, temporary)


def lost_answer() -> Transition[SubscriptionState]:
    """Each subscription's answer when its client leaves ``connected``."""
    return classify.on_connection_lost()

"""How what an SDK did becomes a transition to compare with the package's.

Inputs: the driver's record of one case (every client and subscription event in
order, each with both states as they were when it fired, an ``armed`` marker where
the driver told the server to go ahead) and the server's log (every command with the
frame that carried it, and the frame on which the scripted event was played).

The fields, for a row whose *target* is the client or the subscription (``event`` is
shown with a difference but not compared; the other five are a transition's):

``event``
    The *reaction*: the first event of the target, after the ``armed`` marker, that
    reports a change or a failure: ``connecting``, ``disconnected`` or ``error`` for
    the client; ``subscribing``, ``unsubscribed`` or ``error`` for the subscription.
    In a primed case (the event answers a reconnect), the first such event is the
    reaction to the prime's close instead, and must be ``connecting``/``subscribing``
    with code 1; the reaction is the next one. ``none`` when there is no reaction.
    An ``error`` event that only announces the target's next reaction is not the
    reaction itself: when the target's very next reaction is a state event
    (``connecting``/``disconnected``, ``subscribing``/``unsubscribed``) and the error
    either reports that event's code or carries no code at all (an error of the
    SDK's own, such as a request cut short by the disconnect), that state event is
    the reaction. centrifuge-go reports a failure first and changes state after it.
``state``
    The target's state when the reaction fired. Without a reaction: ``connecting``
    (``subscribing``) if the target came back to ``connected`` (``subscribed``)
    before the case settled, i.e. it reconnected (resubscribed) on its own; else the
    target's state when the case settled. A ``connecting`` (``subscribing``) reaction
    that no reconnect (resubscribe) followed is reported as such, so that it cannot
    pass for one that happened.
``code``, ``reason``
    What the reaction reported: the event's code and reason, or, for an error event,
    the code and message of the server's error (centrifuge-python wraps it in an
    error context with a code of its own; the server's is the one compared). A
    reason that is not a string (JavaScript ``undefined``) is kept as ``None`` and
    shown as such: it never equals ``""``. No reaction: both ``None``.
``refresh_token``
    A connect (subscribe) command arrived after the event, in a later frame than the
    one that carried the event, and its token is none of the tokens the client
    (subscription) presented before it. Every token the drivers' callbacks hand out
    is new, so an unseen token means the SDK dropped its own and asked for another;
    going back to a token it presented earlier (centrifuge-go keeps the token it had
    when a refresh with a new one is refused) is keeping one.
``invalidate_state``
    A subscribe command arrived after the event, and it does not ask to recover from
    the stream position the server last handed out (``recover`` with offset 5 and
    epoch ``e1``). For the client this is the subscription's resubscribe after the
    reconnect; for a subscription its own next subscribe.

Both flags are about the *next attempt*. When the SDK stopped (``disconnected`` or
``unsubscribed``) the drivers make that attempt themselves, as an application
would (``connect()`` or ``subscribe()`` again, after a ``restart`` marker), so that
what the SDK kept or dropped shows there too.

A ``#connection-lost`` row is the subscription's reaction to its client leaving
``connected``; it compares state, code and reason only, because what a subscription
keeps across a reconnect is the connection's transition to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .cases import CHANNEL, Case
from .server import CaseLog, Command, given_position

__all__ = ["COMPARED", "LOST_COMPARED", "Observation", "ObservationError", "observe", "observe_lost"]

COMPARED: Final = ("state", "code", "reason", "refresh_token", "invalidate_state")
LOST_COMPARED: Final = ("state", "code", "reason")

_REACTIONS: Final = {
    "client": frozenset({"connecting", "disconnected", "error"}),
    "sub": frozenset({"subscribing", "unsubscribed", "error"}),
}
# What the prime's close (1001) makes the target report before the scripted event.
_PRIME: Final = {"client": ("connecting", 1), "sub": ("subscribing", 1)}


class ObservationError(Exception):
    """The run did not go as the script says, so there is nothing to compare."""


@dataclass(frozen=True)
class Observation:
    """What an SDK did, in the shape of a transition, plus how it was seen."""

    state: str
    code: int | None
    reason: str | None
    refresh_token: bool
    invalidate_state: bool
    event: str
    #: How the SDK rendered a reason that was not a string ("undefined").
    reason_repr: str | None = None
    detail: str = ""

    def field(self, name: str) -> object:
        values: dict[str, object] = {
            "state": self.state,
            "code": self.code,
            "reason": self.reason,
            "refresh_token": self.refresh_token,
            "invalidate_state": self.invalidate_state,
        }
        return values[name]

    def render(self, fields: tuple[str, ...] = COMPARED) -> str:
        parts: list[str] = []
        for name in fields:
            value = self.field(name)
            if name == "reason" and value is None:
                parts.append(f"reason=<{self.reason_repr or 'none'}>")
            else:
                parts.append(f"{name}={value!r}")
        return " ".join(parts) + f" (event: {self.event})"


def _events_after_arm(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The events between the ``armed`` marker and the ``restart`` marker (if any)."""
    events: list[dict[str, Any]] = list(result["events"])
    names = [event["name"] for event in events]
    if "armed" not in names:
        raise ObservationError(
            "the driver never saw its client connected and its subscription subscribed "
            f"(timed out: {result['timed_out']}; events: {_brief(events)})"
        )
    start = names.index("armed") + 1
    end = names.index("restart") if "restart" in names else len(events)
    return events[start:end]


def _brief(events: list[dict[str, Any]]) -> str:
    return ", ".join(f"{e['target']}:{e['name']}" + (f"({e.get('code')})" if "code" in e else "") for e in events)


def _reactions(events: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    return [e for e in events if e["target"] == target and e["name"] in _REACTIONS[target]]


def _token(command: Command) -> object:
    return command.params.get("token")


def _position(command: Command) -> tuple[object, object, object]:
    params = command.params
    return (params.get("recover"), params.get("offset"), params.get("epoch"))


def _describe(command: Command | None) -> str:
    if command is None:
        return "none"
    if command.method == "connect":
        return f"connect with token {_token(command)!r}"
    recover, offset, epoch = _position(command)
    return f"subscribe with token {_token(command)!r}, recover={recover!r} offset={offset!r} epoch={epoch!r}"


@dataclass(frozen=True)
class _Server:
    """The server-side facts about one case, around the scripted event."""

    played: int
    tokens_before: tuple[object, ...]
    sub_tokens_before: tuple[object, ...]
    next_connect: Command | None
    next_subscribe: Command | None
    position: tuple[int, str] | None

    @classmethod
    def read(cls, log: CaseLog) -> _Server:
        played = log.played_frame
        if played is None:
            raise ObservationError(f"the server never played the scripted event (notes: {log.notes})")
        before = [c for c in log.commands if c.frame <= played]
        after = [c for c in log.commands if c.frame > played]
        client_tokens = [_token(c) for c in before if c.method in ("connect", "refresh")]
        sub_tokens = [
            _token(c) for c in before if c.method in ("subscribe", "sub_refresh") and c.params.get("channel") == CHANNEL
        ]
        given = [(offset, epoch) for frame, offset, epoch in log.positions if frame <= played]
        return cls(
            played=played,
            tokens_before=tuple(client_tokens),
            sub_tokens_before=tuple(sub_tokens),
            next_connect=next((c for c in after if c.method == "connect"), None),
            next_subscribe=next(
                (c for c in after if c.method == "subscribe" and c.params.get("channel") == CHANNEL), None
            ),
            position=given[-1] if given else None,
        )

    def refresh_token(self, target: str) -> bool:
        if target == "client":
            return self.next_connect is not None and _token(self.next_connect) not in self.tokens_before
        return self.next_subscribe is not None and _token(self.next_subscribe) not in self.sub_tokens_before

    def invalidate_state(self) -> bool:
        if self.next_subscribe is None:
            return False
        offset, epoch = self.position if self.position is not None else given_position()
        return _position(self.next_subscribe) != (True, offset, epoch)


_BACK: Final = {"client": ("connected", "connecting"), "sub": ("subscribed", "subscribing")}


def _announced(reactions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first reaction, or the state event that a first ``error`` event announced."""
    if not reactions:
        return None
    first = reactions[0]
    if first["name"] != "error" or len(reactions) < 2:
        return first
    following = reactions[1]
    if following["name"] != "error" and first.get("code") in (None, following.get("code")):
        return following
    return first


def observe(case: Case, result: dict[str, Any], log: CaseLog) -> Observation:
    """The transition an SDK went through for the case's own target (see the module doc)."""
    target = case.target
    events = _events_after_arm(result)
    if case.primed:
        prime = _reactions(events, target)
        if not prime:
            raise ObservationError(f"the prime's close got no reaction (events: {_brief(events)})")
        if (prime[0]["name"], prime[0].get("code")) != _PRIME[target]:
            raise ObservationError(f"the prime's close got an unexpected reaction: {prime[0]}")
        events = events[events.index(prime[0]) + 1 :]
    reactions = _reactions(events, target)
    reaction = _announced(reactions)
    back, again = _BACK[target]
    later = events[events.index(reaction) + 1 :] if reaction is not None else events
    came_back = any(e["target"] == target and e["name"] == back for e in later)
    server = _Server.read(log)
    details = [f"next {_describe(server.next_connect)}", f"next {_describe(server.next_subscribe)}"]
    names = [e["name"] for e in result["events"]]
    token_calls = [
        e for e in result["events"][names.index("armed") + 1 :] if e["name"] == "get-token" and e["target"] == target
    ]
    details.append(f"{len(token_calls)} token callback call(s) after the arm")
    if "restart" in names:
        details.append("restarted by the driver after the SDK stopped")
    if result["timed_out"]:
        details.append("did not settle before the timeout")
    if reaction is None:
        settled = [e for e in result["events"] if e["name"] == "restart"]
        key = "client_state" if target == "client" else "sub_state"
        final = settled[0][key] if settled else result["final_" + key]
        state = again if came_back else str(final)
        code: int | None = None
        reason: str | None = None
        reason_repr: str | None = None
        event = "none"
    else:
        state = str(reaction["client_state" if target == "client" else "sub_state"])
        raw_code = reaction.get("code")
        code = raw_code if isinstance(raw_code, int) else None
        raw_reason = reaction.get("reason")
        reason = raw_reason if isinstance(raw_reason, str) else None
        reason_repr = reaction.get("reason_repr")
        event = str(reaction["name"])
        if state == again and not came_back:
            state = f"{again} (but never {back} again on its own)"
    return Observation(
        state=state,
        code=code,
        reason=reason,
        refresh_token=server.refresh_token(target),
        invalidate_state=server.invalidate_state(),
        event=event,
        reason_repr=reason_repr,
        detail="; ".join(details),
    )


def observe_lost(case: Case, result: dict[str, Any]) -> Observation:
    """What the subscription did when the case's event ended the connection."""
    events = _events_after_arm(result)
    client = _reactions(events, "client")
    left = [e for e in client if e["name"] in ("connecting", "disconnected")]
    sub = _reactions(events, "sub")
    detail = f"client: {_brief(left[:1]) or 'stayed connected'}"
    if not sub:
        final = str(result["final_sub_state"])
        return Observation(final, None, None, False, False, "none", detail=detail)
    first = sub[0]
    raw_code = first.get("code")
    raw_reason = first.get("reason")
    return Observation(
        state=str(first["sub_state"]),
        code=raw_code if isinstance(raw_code, int) else None,
        reason=raw_reason if isinstance(raw_reason, str) else None,
        refresh_token=False,
        invalidate_state=False,
        event=str(first["name"]),
        reason_repr=first.get("reason_repr"),
        detail=detail,
    )

"""What a client does next after a server event: the protocol's state machine as data.

Everything that decides a client's or a subscription's next state lives in this
module, in one small function per event (the ``_decide_...`` functions below). The
public ``on_...`` functions only check their input, fill in defaults and remember
recent answers; they decide nothing themselves.

Theory of operation. A client is ``disconnected``, ``connecting`` or ``connected``; a
subscription is ``unsubscribed``, ``subscribing`` or ``subscribed``. Each event below
yields a :class:`Transition`: the next state, the code and text the client reports
with it, and whether to drop the cached token (``refresh_token``) or cached stream
positions (``invalidate_state``) before trying again.

Every argument is what the event carried, and one that is left out means what the
same field absent from the wire means: Centrifugo leaves out an empty reason or
message and a false ``temporary``, so the defaults are ``""`` and ``False``, never a
code's built-in text or flag. A call and the :mod:`~centrifugo_protocol.wire` object
decoded from the same payload therefore always give the same answer.

The rules, as the reference SDK (centrifuge-js) applies them:

* Disconnect push with code C: the range rule decides (terminal in 3500-3999 and
  4500-4999, reconnect elsewhere, 5000 and up included). 3014 (state invalidated)
  also drops the connection token and every subscription's position.
* Transport close frame with code C and reason R:

  1. if R is a JSON object with a boolean ``reconnect`` (protocol v1 advice), that
     flag decides whether to reconnect, and the advice's ``reason`` is reported;
  2. below 3000 (a transport close code) the client reports its own code instead:
     1009 (message too big) always stops, with client code 3 "message size limit
     exceeded", whatever the advice said; any other reports client code 1
     "transport closed" and reconnects unless the advice said not to;
  3. from 3000 up, without advice, as a disconnect push with C and R.

* Error reply to connect: 109 drops the token and reconnects; a client-side code
  (below 100) or a temporary error reconnects with backoff; anything else stops.
* Error reply to a connection token refresh: below 100 or temporary, stay
  ``connected`` and retry the refresh later; anything else stops.
* Unsubscribe push: from 2500 up the subscription goes to ``subscribing``; 2502 also
  drops its token and position. Below 2500 it ends (``unsubscribed``).
* Error reply to subscribe: first, 112 resubscribes from scratch (dropping the
  position) when the application can rebuild the channel's state, temporary or not;
  then 109 drops the subscription token and resubscribes; below 100 or temporary,
  resubscribe with backoff; anything else ends the subscription.
* Error reply to a subscription token refresh: below 100 or temporary, stay
  ``subscribed`` and retry later; anything else ends the subscription.
* Whenever the client leaves ``connected``, each subscription goes to
  ``subscribing`` with client code 1 "transport closed".

Where the official SDKs disagree, these functions follow the rule above, not any one
SDK's quirk. The conformance suite runs the real centrifuge-js and centrifuge-python
against these rules, and lists every difference with its reason.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Final, Generic, NoReturn, TypeAlias, TypeVar, cast, final, overload

from . import events
from ._client_codes import ConnectingCode, DisconnectedCode, SubscribingCode
from ._codes import DisconnectCode, ErrorCode, UnsubscribeCode
from ._ranges import (
    APP_ERROR_CODES,
    CLIENT_SIDE_ERROR_CODES,
    TRANSPORT_CLOSE_CODES,
    WS_MESSAGE_TOO_BIG,
    Frozen,
    Memo,
    SelfAnswering,
    check_code,
    check_flag,
    check_text,
    disconnect_reconnects,
    show,
    type_name,
    unsubscribe_resubscribes,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

__all__ = [
    "ClientEventCode",
    "ClientState",
    "SubscriptionEventCode",
    "SubscriptionState",
    "Transition",
    "on_close",
    "on_connect_error",
    "on_connection_lost",
    "on_disconnect",
    "on_refresh_error",
    "on_subscribe_error",
    "on_subscription_refresh_error",
    "on_unsubscribe",
]


class _State(Enum):
    """A state, printed as the SDKs name it: ``str(ClientState.CONNECTING) == "connecting"``."""

    def __str__(self) -> str:
        return str(self._value_)


class ClientState(_State):
    """The states of a client connection, as every official SDK names them."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"


class SubscriptionState(_State):
    """The states of a channel subscription, as every official SDK names them."""

    UNSUBSCRIBED = "unsubscribed"
    SUBSCRIBING = "subscribing"
    SUBSCRIBED = "subscribed"


def _refuse_setattr(state: _State, name: str, value: object) -> NoReturn:
    raise AttributeError(f"{type(state).__name__} members are immutable; cannot set {name!r}")


def _refuse_delattr(state: _State, name: str) -> NoReturn:
    raise AttributeError(f"{type(state).__name__} members are immutable; cannot delete {name!r}")


# Sealed once enum has built them, like the code families: states are shared answers.
for _states in (ClientState, SubscriptionState):
    type.__setattr__(_states, "__setattr__", _refuse_setattr)
    type.__setattr__(_states, "__delattr__", _refuse_delattr)

_StateT = TypeVar("_StateT", ClientState, SubscriptionState)


@final
class Transition(Frozen, Generic[_StateT]):
    """The outcome of one event: the next state and what to report and forget with it.

    Immutable and compared by value. ``code`` and ``reason`` are what the client
    reports with its state change: the server's, or a client-side code such as
    :attr:`ConnectingCode.TRANSPORT_CLOSED` when the client causes the change itself.
    """

    __slots__ = ("_code", "_invalidate_state", "_reason", "_refresh_token", "_state")
    __match_args__ = ("state", "code", "reason", "refresh_token", "invalidate_state")

    _state: _StateT
    _code: int
    _reason: str
    _refresh_token: bool
    _invalidate_state: bool

    def __init__(
        self,
        state: _StateT,
        code: int,
        reason: str,
        refresh_token: bool = False,
        invalidate_state: bool = False,
    ) -> None:
        # Callers without a type checker can pass anything.
        if type(state) is not ClientState and type(state) is not SubscriptionState:
            raise TypeError(
                f"Transition() expects a ClientState or SubscriptionState, got {show(state)} ({type_name(state)})"
            )
        where = "Transition()"
        self._freeze(
            _state=state,
            _code=check_code(code, where),
            _reason=check_text(reason, where, "reason"),
            _refresh_token=check_flag(refresh_token, where, "refresh_token"),
            _invalidate_state=check_flag(invalidate_state, where, "invalidate_state"),
        )

    @property
    def state(self) -> _StateT:
        """The state the client or subscription goes to."""
        return self._state

    @property
    def code(self) -> int:
        """The code the client reports with the state change."""
        return self._code

    @property
    def reason(self) -> str:
        """The text the client reports with the state change."""
        return self._reason

    @property
    def refresh_token(self) -> bool:
        """Drop the cached token and get a new one before the next attempt."""
        return self._refresh_token

    @property
    def invalidate_state(self) -> bool:
        """Drop cached stream state: every subscription's position for a connection,
        the subscription's own position for a subscription."""
        return self._invalidate_state

    @overload
    def event_code(self: Transition[ClientState]) -> ClientEventCode: ...
    @overload
    def event_code(self: Transition[SubscriptionState]) -> SubscriptionEventCode: ...
    def event_code(self) -> ClientEventCode | SubscriptionEventCode:
        """The code typed as the SDK event that reports this change carries it.

        Each state has its event: ``connecting``, ``disconnected``, ``subscribing``,
        ``unsubscribed``; staying ``connected`` or ``subscribed`` (a refresh to retry),
        and staying ``subscribing`` after an error reply to subscribe, is reported
        with an ``error`` event. The answer is what the matching
        :mod:`~centrifugo_protocol.events` function gives for :attr:`code`.

        Below 100 the event's own family decides, as it does for the SDKs, which
        number their client-side codes per event: a subscription that retries after
        a client-side error (a timeout, say) is read as :class:`SubscribingCode`.
        """
        code = self._code
        event = _reported_by[self._state]
        if event is events.subscribing and code in _ERROR_REPLY_CODES:
            event = events.error  # the error reply to subscribe that is being retried
        return event(code)

    def _fields(self) -> tuple[_StateT, int, str, bool, bool]:
        return (self._state, self._code, self._reason, self._refresh_token, self._invalidate_state)

    def __eq__(self, other: object) -> bool:
        if type(other) is Transition:
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Transition(state={type(self._state).__name__}.{self._state.name}, code={self._code}, reason={self._reason!r}, "
            f"refresh_token={self._refresh_token}, invalidate_state={self._invalidate_state})"
        )

    def __reduce__(self) -> tuple[type[Transition[_StateT]], tuple[_StateT, int, str, bool, bool]]:
        return (Transition, self._fields())


#: What :meth:`Transition.event_code` gives for a client's transition.
ClientEventCode: TypeAlias = events.ConnectingEventCode | events.DisconnectedEventCode | events.ErrorEventCode
#: What :meth:`Transition.event_code` gives for a subscription's transition.
SubscriptionEventCode: TypeAlias = events.SubscribingEventCode | events.UnsubscribedEventCode | events.ErrorEventCode

# The SDK event that reports each state, for Transition.event_code.
_reported_by: Final[dict[ClientState | SubscriptionState, Callable[[int], ClientEventCode | SubscriptionEventCode]]] = {
    ClientState.CONNECTING: events.connecting,
    ClientState.DISCONNECTED: events.disconnected,
    ClientState.CONNECTED: events.error,
    SubscriptionState.SUBSCRIBING: events.subscribing,
    SubscriptionState.UNSUBSCRIBED: events.unsubscribed,
    SubscriptionState.SUBSCRIBED: events.error,
}
#: Codes of the server's error replies (below them, the SDKs' own codes).
_ERROR_REPLY_CODES: Final = range(CLIENT_SIDE_ERROR_CODES.stop, APP_ERROR_CODES.stop)


# --- The decisions: one function per event. Inputs are already checked. ---------------


def _decide_disconnect(code: int, reason: str, reconnect: bool | None = None) -> Transition[ClientState]:
    if reconnect is None:
        reconnect = disconnect_reconnects(code)
    invalidated = code == DisconnectCode.STATE_INVALIDATED
    return Transition(
        ClientState.CONNECTING if reconnect else ClientState.DISCONNECTED, code, reason, invalidated, invalidated
    )


def _decide_close(code: int, reason: str) -> Transition[ClientState]:
    advice = _v1_advice(reason)
    if code in TRANSPORT_CLOSE_CODES:
        if code == WS_MESSAGE_TOO_BIG:  # too big to retry, whatever any advice says
            too_big = DisconnectedCode.MESSAGE_SIZE_LIMIT
            return Transition(ClientState.DISCONNECTED, too_big.code, too_big.reason)
        closed = ConnectingCode.TRANSPORT_CLOSED
        reconnect = True if advice is None else advice[0]
        return Transition(ClientState.CONNECTING if reconnect else ClientState.DISCONNECTED, closed.code, closed.reason)
    if advice is None:
        return _decide_disconnect(code, reason)
    return _decide_disconnect(code, advice[1], advice[0])


def _decide_connect_error(code: int, message: str, temporary: bool) -> Transition[ClientState]:
    if code == ErrorCode.TOKEN_EXPIRED:
        return Transition(ClientState.CONNECTING, code, message, refresh_token=True)
    if code in CLIENT_SIDE_ERROR_CODES or temporary:
        return Transition(ClientState.CONNECTING, code, message)
    return Transition(ClientState.DISCONNECTED, code, message)


def _decide_refresh_error(code: int, message: str, temporary: bool) -> Transition[ClientState]:
    retry = code in CLIENT_SIDE_ERROR_CODES or temporary
    return Transition(ClientState.CONNECTED if retry else ClientState.DISCONNECTED, code, message)


def _decide_unsubscribe(code: int, reason: str) -> Transition[SubscriptionState]:
    invalidated = code == UnsubscribeCode.STATE_INVALIDATED
    state = SubscriptionState.SUBSCRIBING if unsubscribe_resubscribes(code) else SubscriptionState.UNSUBSCRIBED
    return Transition(state, code, reason, invalidated, invalidated)


def _decide_subscribe_error(
    code: int, message: str, temporary: bool, can_rebuild_state: bool
) -> Transition[SubscriptionState]:
    # 112 comes first: an application that can rebuild the state starts over from
    # scratch, whether or not the error says it is temporary.
    if code == ErrorCode.UNRECOVERABLE_POSITION and can_rebuild_state:
        return Transition(SubscriptionState.SUBSCRIBING, code, message, invalidate_state=True)
    if code == ErrorCode.TOKEN_EXPIRED:
        return Transition(SubscriptionState.SUBSCRIBING, code, message, refresh_token=True)
    if code in CLIENT_SIDE_ERROR_CODES or temporary:
        return Transition(SubscriptionState.SUBSCRIBING, code, message)
    return Transition(SubscriptionState.UNSUBSCRIBED, code, message)


def _decide_subscription_refresh_error(code: int, message: str, temporary: bool) -> Transition[SubscriptionState]:
    retry = code in CLIENT_SIDE_ERROR_CODES or temporary
    return Transition(SubscriptionState.SUBSCRIBED if retry else SubscriptionState.UNSUBSCRIBED, code, message)


# Leaving connected puts every subscription back to subscribing, reported with
# client code 1; one answer serves every subscription.
_CONNECTION_LOST: Final = Transition(
    SubscriptionState.SUBSCRIBING, SubscribingCode.TRANSPORT_CLOSED.code, SubscribingCode.TRANSPORT_CLOSED.reason
)


#: Advice is a flat object; text nested deeper than this is not advice. The bound is
#: checked before any parsing, so the answer never depends on the caller's stack.
_ADVICE_MAX_DEPTH: Final = 8
#: JSON strings (with their escapes), whose brackets do not nest anything. One left
#: open runs to the end of the text, so that no part of a text is scanned twice.
_JSON_STRING: Final = r'"(?:[^"\\]|\\.)*"?'
#: Everything but brackets, once strings are gone.
_NOT_BRACKET: Final = r"[^\[\]{}]+"
#: An innermost pair of brackets.
_INNERMOST: Final = r"\[\]|\{\}"


def _nesting_exceeds(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests arrays and objects more than ``limit`` deep.

    Each round removes every innermost pair, one level of the whole text, so
    well-formed text of depth ``limit`` or less is gone after ``limit`` rounds.
    Malformed text may count as deeper; it is not advice either way.
    """
    import re  # only for text that may be advice, as json is; re caches the patterns

    brackets = re.sub(_NOT_BRACKET, "", re.sub(_JSON_STRING, "", text, flags=re.DOTALL))
    for _ in range(limit):
        brackets = re.sub(_INNERMOST, "", brackets)
    return brackets != ""


def _v1_advice(reason: str) -> tuple[bool, str] | None:
    """Protocol v1 put ``{"reason": ..., "reconnect": bool}`` into the close reason."""
    # JSON allows only these four characters of white space around a value; a
    # reason that starts with anything else is not JSON, whatever follows.
    if not reason.lstrip(" \t\n\r").startswith("{"):
        return None
    if _nesting_exceeds(reason, _ADVICE_MAX_DEPTH):
        return None
    import json

    # Text that starts with "{" decodes to a JSON object or not at all. Nested no
    # deeper than the limit, it needs only a few frames; a caller whose stack has not
    # even those left gets the RecursionError, and no answer is remembered.
    try:
        fields: dict[object, object] = json.loads(reason)
    except ValueError:  # not JSON
        return None
    reconnect = fields.get("reconnect")
    if not isinstance(reconnect, bool):
        return None
    advice_reason = fields.get("reason")
    return reconnect, advice_reason if isinstance(advice_reason, str) else ""


# --- Input checks, defaults and the memo --------------------------------------------------

# Recent answers, keyed by the exact arguments. SDKs see the same few codes over and
# over, and a Transition is immutable, so it can be handed out again. Each event has
# one _Event: the memo every lookup uses (bounded, as arguments come from untrusted
# peers; a text longer than _MEMO_TEXT_LIMIT is never a key), which on a miss checks
# the arguments and asks the event's decision.
#
# Each public function reads its memo only when the arguments have exactly the types
# a key may hold, so that 3012.0 or temporary=0 can never match a key made from 3012
# or False. The key is the bare code when every other argument is at its default
# (what an absent field means on the wire), else the tuple of all arguments. The
# default text is recognised by identity (the interpreter keeps one empty str), which
# costs less than comparing; an empty text that is another object is keyed by the
# tuple, with the same answer. Anything else is checked and decided, not remembered.
# The read stays in each public function rather than behind a shared helper: a call
# more would add about a third of what an answer costs.
_MEMO_TEXT_LIMIT: Final = 256
#: The default text of every public function: what an absent reason or message means.
_NO_TEXT: Final = ""


class _Event(SelfAnswering["Hashable", Transition[_StateT]]):
    """One event's answers, which ask the event's :class:`Memo` on a miss, and how to
    check arguments of any type and decide."""

    __slots__ = ("_decide", "_defaults", "_names", "_where")
    _where: str
    _decide: Callable[..., Transition[_StateT]]
    _names: tuple[str, ...]
    _defaults: tuple[object, ...]

    # Runs only while the package is imported, before mutmut can switch a mutant on;
    # the tests check its effects instead (see docs/verification.md).
    def __init__(
        self, where: str, decide: Callable[..., Transition[_StateT]], **defaults: object
    ) -> None:  # pragma: no mutate block
        memo = Memo(self._decide_key, answers=self, admits=_keeps)
        # mypy cannot match the memo's method to a constrained type variable here.
        super().__init__(memo.miss)  # type: ignore[arg-type]
        self._where = where
        self._decide = decide
        self._names = tuple(defaults)
        self._defaults = tuple(defaults.values())

    def _decide_key(self, key: Hashable) -> Transition[_StateT]:
        # A key holds exact values of the right types; only the code's range is unchecked.
        code, *options = (key, *self._defaults) if type(key) is int else cast("tuple[int, ...]", key)
        return self._decide(check_code(code, self._where), *options)

    def checked(self, code: object, text: object, *flags: object) -> Transition[_StateT]:
        """Check arguments of any type, text first and then the flags, and decide."""
        where, (text_name, *flag_names) = self._where, self._names
        checked = [check_code(code, where), check_text(text, where, text_name)]
        checked += (check_flag(flag, where, name) for flag, name in zip(flags, flag_names, strict=True))
        return self._decide(*checked)


def _keeps(key: Hashable) -> bool:
    """Whether an answer may be remembered: never one keyed by a long text."""
    return type(key) is int or len(cast("tuple[int, str]", key)[1]) <= _MEMO_TEXT_LIMIT


_DISCONNECTS: Final = _Event("on_disconnect()", _decide_disconnect, reason=_NO_TEXT)
_CLOSES: Final = _Event("on_close()", _decide_close, reason=_NO_TEXT)
_CONNECT_ERRORS: Final = _Event("on_connect_error()", _decide_connect_error, message=_NO_TEXT, temporary=False)
_REFRESH_ERRORS: Final = _Event("on_refresh_error()", _decide_refresh_error, message=_NO_TEXT, temporary=False)
_UNSUBSCRIBES: Final = _Event("on_unsubscribe()", _decide_unsubscribe, reason=_NO_TEXT)
_SUBSCRIBE_ERRORS: Final = _Event(
    "on_subscribe_error()", _decide_subscribe_error, message=_NO_TEXT, temporary=False, can_rebuild_state=False
)
_SUBSCRIPTION_REFRESH_ERRORS: Final = _Event(
    "on_subscription_refresh_error()", _decide_subscription_refresh_error, message=_NO_TEXT, temporary=False
)


def on_disconnect(code: int, reason: str = "") -> Transition[ClientState]:
    """The client's next state after a disconnect push with ``code`` and ``reason``.

    ``reason`` is the push's, reported as it came; leave it out when the push has
    none (Centrifugo omits an empty reason). Raises ``TypeError`` or ``ValueError``
    for a code that is not a uint32 ``int`` or a reason that is not a ``str``.
    """
    if reason is _NO_TEXT and type(code) is int:
        return _DISCONNECTS[code]
    if type(code) is int and type(reason) is str:
        return _DISCONNECTS[code, reason]
    return _DISCONNECTS.checked(code, reason)


def on_close(code: int, reason: str = "") -> Transition[ClientState]:
    """The client's next state after the transport closed with ``code`` and ``reason``.

    ``code`` and ``reason`` are the WebSocket close frame's (or the equivalent of
    another transport). Raises ``TypeError`` or ``ValueError`` for a code that is not a
    uint32 ``int`` or a reason that is not a ``str``.
    """
    if reason is _NO_TEXT and type(code) is int:
        return _CLOSES[code]
    if type(code) is int and type(reason) is str:
        return _CLOSES[code, reason]
    return _CLOSES.checked(code, reason)


def on_connect_error(code: int, message: str = "", *, temporary: bool = False) -> Transition[ClientState]:
    """The client's next state after an error reply to its connect command.

    ``message`` and ``temporary`` are the reply's; leave out what the reply left out
    (Centrifugo omits an empty message and a false flag), which is not the same as
    the code's built-in defaults: a proxy may reuse a code with its own flag. Raises
    ``TypeError`` or ``ValueError`` for arguments of the wrong type or a code outside
    uint32.
    """
    if message is _NO_TEXT and temporary is False and type(code) is int:
        return _CONNECT_ERRORS[code]
    if type(code) is int and type(message) is str and (temporary is False or temporary is True):
        return _CONNECT_ERRORS[code, message, temporary]
    return _CONNECT_ERRORS.checked(code, message, temporary)


def on_refresh_error(code: int, message: str = "", *, temporary: bool = False) -> Transition[ClientState]:
    """The client's next state after an error reply to a connection token refresh.

    :attr:`ClientState.CONNECTED` means: stay connected and retry the refresh later,
    with backoff. Arguments and errors as for :func:`on_connect_error`.
    """
    if message is _NO_TEXT and temporary is False and type(code) is int:
        return _REFRESH_ERRORS[code]
    if type(code) is int and type(message) is str and (temporary is False or temporary is True):
        return _REFRESH_ERRORS[code, message, temporary]
    return _REFRESH_ERRORS.checked(code, message, temporary)


def on_unsubscribe(code: int, reason: str = "") -> Transition[SubscriptionState]:
    """The subscription's next state after an unsubscribe push with ``code``.

    ``reason`` is the push's; leave it out when the push has none. Raises
    ``TypeError`` or ``ValueError`` for bad arguments.
    """
    if reason is _NO_TEXT and type(code) is int:
        return _UNSUBSCRIBES[code]
    if type(code) is int and type(reason) is str:
        return _UNSUBSCRIBES[code, reason]
    return _UNSUBSCRIBES.checked(code, reason)


def on_subscribe_error(
    code: int,
    message: str = "",
    *,
    temporary: bool = False,
    can_rebuild_state: bool = False,
) -> Transition[SubscriptionState]:
    """The subscription's next state after an error reply to subscribe.

    Pass ``can_rebuild_state=True`` when the application can rebuild the channel's
    state from scratch (for example by reloading it over HTTP): then 112
    (unrecoverable position) resubscribes without a position instead of ending the
    subscription. Arguments and errors as for :func:`on_connect_error`.
    """
    if message is _NO_TEXT and temporary is False and can_rebuild_state is False and type(code) is int:
        return _SUBSCRIBE_ERRORS[code]
    if (
        type(code) is int
        and type(message) is str
        and (temporary is False or temporary is True)
        and (can_rebuild_state is False or can_rebuild_state is True)
    ):
        return _SUBSCRIBE_ERRORS[code, message, temporary, can_rebuild_state]
    return _SUBSCRIBE_ERRORS.checked(code, message, temporary, can_rebuild_state)


def on_subscription_refresh_error(
    code: int, message: str = "", *, temporary: bool = False
) -> Transition[SubscriptionState]:
    """The subscription's next state after an error reply to a subscription token refresh.

    :attr:`SubscriptionState.SUBSCRIBED` means: stay subscribed and retry the refresh
    later, with backoff. Arguments and errors as for :func:`on_connect_error`.
    """
    if message is _NO_TEXT and temporary is False and type(code) is int:
        return _SUBSCRIPTION_REFRESH_ERRORS[code]
    if type(code) is int and type(message) is str and (temporary is False or temporary is True):
        return _SUBSCRIPTION_REFRESH_ERRORS[code, message, temporary]
    return _SUBSCRIPTION_REFRESH_ERRORS.checked(code, message, temporary)


def on_connection_lost() -> Transition[SubscriptionState]:
    """Each subscription's next state when its client leaves ``connected``."""
    return _CONNECTION_LOST

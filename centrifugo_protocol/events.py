"""Typed codes for the events a client SDK emits, one function per event.

An SDK reports every state change and every error event with a bare number. The
same number means different things in different events, and within one event a
small number is the SDK's own (client-side) code while a larger one is the
server's. Each function here takes the number an event carried and returns what it
is: a member of the right family, or that family's ``Unknown...`` value object.
The result is a closed union (a ``...EventCode`` alias below) that a type checker
can check a ``match`` against; every alternative has ``code`` and ``description``.

The ranges, as centrifuge-js (the reference SDK) fills the events:

* ``connecting``: 0-99 :class:`ConnectingCode`, 100-2999 :class:`ErrorCode`,
  from 3000 :class:`DisconnectCode`;
* ``disconnected``: 0-99 :class:`DisconnectedCode`, 100-2999 :class:`ErrorCode`,
  from 3000 :class:`DisconnectCode`;
* ``subscribing``: 0-99 :class:`SubscribingCode`, from 100 :class:`UnsubscribeCode`;
* ``unsubscribed``: 0-99 :class:`UnsubscribedCode`, 100-1999 :class:`ErrorCode`,
  from 2000 :class:`UnsubscribeCode`;
* ``error``: 0-99 :class:`ClientErrorCode`, from 100 :class:`ErrorCode`.

Why the bands fall where they do: 0-99 is the SDKs' own range; the server's error
replies use 100-1999 (100-399 built in, 400-1999 from applications through a
proxy); unsubscribe codes are 2000-2999; disconnect codes start at 3000. A
WebSocket close code (below 3000) never reaches an event as such: the SDK reports
it with a client-side code instead (``connecting`` with 1, "transport closed", or
``disconnected`` with 3 after a 1009 close), so for ``connecting`` and
``disconnected`` everything from 100 to 2999 is an error reply's code.

Every function accepts any ``uint32`` and never guesses: a code outside the band's
known members gives the band's ``Unknown...`` object, whose ``description`` names
the band. The results are the very objects ``Family.lookup(code)`` returns. Like
``lookup()``, the functions raise ``TypeError`` for anything that is not an ``int``
(``bool`` included) and ``ValueError`` outside 0..2**32-1, naming themselves.
"""

from __future__ import annotations

from typing import Final, Protocol, TypeAlias

from ._client_codes import (
    ClientErrorCode,
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnknownClientErrorCode,
    UnknownConnectingCode,
    UnknownDisconnectedCode,
    UnknownSubscribingCode,
    UnknownUnsubscribedCode,
    UnsubscribedCode,
)
from ._codes import (
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from ._ranges import CLIENT_SIDE_ERROR_CODES, MAX_CODE, TRANSPORT_CLOSE_CODES, UNSUBSCRIBE_CODES, check_code

# The families are re-exported, so that a handler of any event needs only this module.
__all__ = [
    "ClientErrorCode",
    "Code",
    "ConnectingCode",
    "ConnectingEventCode",
    "DisconnectCode",
    "DisconnectedCode",
    "DisconnectedEventCode",
    "ErrorCode",
    "ErrorEventCode",
    "EventCode",
    "SubscribingCode",
    "SubscribingEventCode",
    "UnknownClientErrorCode",
    "UnknownConnectingCode",
    "UnknownDisconnectCode",
    "UnknownDisconnectedCode",
    "UnknownErrorCode",
    "UnknownSubscribingCode",
    "UnknownUnsubscribeCode",
    "UnknownUnsubscribedCode",
    "UnsubscribeCode",
    "UnsubscribedCode",
    "UnsubscribedEventCode",
    "connecting",
    "disconnected",
    "error",
    "subscribing",
    "unsubscribed",
]

#: What :func:`connecting` returns.
ConnectingEventCode: TypeAlias = (
    ConnectingCode | UnknownConnectingCode | ErrorCode | UnknownErrorCode | DisconnectCode | UnknownDisconnectCode
)
#: What :func:`disconnected` returns.
DisconnectedEventCode: TypeAlias = (
    DisconnectedCode | UnknownDisconnectedCode | ErrorCode | UnknownErrorCode | DisconnectCode | UnknownDisconnectCode
)
#: What :func:`subscribing` returns.
SubscribingEventCode: TypeAlias = SubscribingCode | UnknownSubscribingCode | UnsubscribeCode | UnknownUnsubscribeCode
#: What :func:`unsubscribed` returns.
UnsubscribedEventCode: TypeAlias = (
    UnsubscribedCode | UnknownUnsubscribedCode | ErrorCode | UnknownErrorCode | UnsubscribeCode | UnknownUnsubscribeCode
)
#: What :func:`error` returns.
ErrorEventCode: TypeAlias = ClientErrorCode | UnknownClientErrorCode | ErrorCode | UnknownErrorCode
#: The code of any SDK event: what any of the functions here returns.
EventCode: TypeAlias = (
    ConnectingEventCode | DisconnectedEventCode | SubscribingEventCode | UnsubscribedEventCode | ErrorEventCode
)


class Code(Protocol):  # pragma: no cover (a protocol's method bodies never run)
    """What every code has, member or ``Unknown...`` value, of every family.

    Annotate with it where any code will do, in logging or metrics for example; it
    is also exported as ``centrifugo_protocol.Code``. ``str()`` and ``format()``
    give the number as well. To branch on the family, annotate with a closed union
    instead (such as :data:`EventCode`, or ``DisconnectCode | UnknownDisconnectCode``),
    which a type checker can check a ``match`` against. For JSON, write ``int(code)``.
    """

    @property
    def code(self) -> int:
        """The numeric code as a plain ``int``."""
        ...

    @property
    def name(self) -> str | None:
        """The member's name, or ``None`` for an unknown code."""
        ...

    @property
    def description(self) -> str:
        """What the code means, in plain words."""
        ...

    def __int__(self) -> int:
        """The number, as ``int(code)``."""
        ...

    def __index__(self) -> int:
        """The number, as ``operator.index(code)``, which ``%d`` uses too."""
        ...


# The first code of each band, as plain ints: the per-event work is then one type
# check, two or three comparisons with module constants, and one lookup.
_FIRST_SERVER_CODE: Final = CLIENT_SIDE_ERROR_CODES.stop  # everything below is the SDK's own
_FIRST_UNSUBSCRIBE_CODE: Final = UNSUBSCRIBE_CODES.start  # error replies end below it
# Below 3000 only a transport close code could be a disconnect, and SDKs never report
# those as such (they become "transport closed"), so disconnect codes start here.
_FIRST_DISCONNECT_CODE: Final = TRANSPORT_CLOSE_CODES.stop

# The lookups, fetched once rather than on every event.
_connecting_lookup: Final = ConnectingCode.lookup
_disconnected_lookup: Final = DisconnectedCode.lookup
_subscribing_lookup: Final = SubscribingCode.lookup
_unsubscribed_lookup: Final = UnsubscribedCode.lookup
_client_error_lookup: Final = ClientErrorCode.lookup
_error_lookup: Final = ErrorCode.lookup
_unsubscribe_lookup: Final = UnsubscribeCode.lookup
_disconnect_lookup: Final = DisconnectCode.lookup


# _GUARD: each function's first line only keeps valid codes off the slow path:
# check_code() returns a valid code unchanged, so a mutant of that line changes how
# much work a call does, never its answer. mutmut is told to leave it alone.


def connecting(code: int) -> ConnectingEventCode:
    """The code of a ``connecting`` event: the client is trying to (re)connect.

    * 0-99: the SDK's own reason for connecting (:class:`ConnectingCode`), such as
      connect() being called or the transport closing.
    * 100-2999: the code of the error reply to connect that made the client try
      again (:class:`ErrorCode`): a temporary error, a client-side one, or 109
      (token expired), after which the SDK fetches a new token first.
    * 3000 up: a server disconnect, pushed or in a close frame, after which the
      client reconnects (:class:`DisconnectCode`); its ``reconnect`` is true.

    Nothing here needs handling: the SDK is already retrying. Count the codes to see
    why clients reconnect.
    """
    if type(code) is not int or not 0 <= code <= MAX_CODE:  # pragma: no mutate (fast path; see _GUARD)
        code = check_code(code, "events.connecting()")
    if code < _FIRST_SERVER_CODE:
        return _connecting_lookup(code)
    if code < _FIRST_DISCONNECT_CODE:
        return _error_lookup(code)
    return _disconnect_lookup(code)


def disconnected(code: int) -> DisconnectedEventCode:
    """The code of a ``disconnected`` event: the client has stopped for good.

    * 0-99: the SDK's own reason (:class:`DisconnectedCode`), such as disconnect()
      being called or the token source refusing the user.
    * 100-2999: the code of the error reply that stopped the client
      (:class:`ErrorCode`): a permanent error to connect or to a token refresh,
      such as 101 (unauthorized) or an application's code in 400-1999.
    * 3000 up: a terminal server disconnect, pushed or in a close frame
      (:class:`DisconnectCode`), such as 3500 (invalid token) or an application's
      code in 4500-4999; its ``reconnect`` is false.

    The client will not reconnect by itself: apart from a deliberate disconnect(),
    this is the event to alert on.
    """
    if type(code) is not int or not 0 <= code <= MAX_CODE:  # pragma: no mutate (fast path; see _GUARD)
        code = check_code(code, "events.disconnected()")
    if code < _FIRST_SERVER_CODE:
        return _disconnected_lookup(code)
    if code < _FIRST_DISCONNECT_CODE:
        return _error_lookup(code)
    return _disconnect_lookup(code)


def subscribing(code: int) -> SubscribingEventCode:
    """The code of a ``subscribing`` event: a subscription is being (re)established.

    * 0-99: the SDK's own reason (:class:`SubscribingCode`), such as subscribe()
      being called or the client losing its connection.
    * 100 up: the server's unsubscribe push that asked the client to subscribe again
      (:class:`UnsubscribeCode`, normally 2500-2999, with ``resubscribe`` true).

    The SDK is already resubscribing; a steady rate of 2500 (insufficient state)
    points at trouble between the server and its broker.
    """
    if type(code) is not int or not 0 <= code <= MAX_CODE:  # pragma: no mutate (fast path; see _GUARD)
        code = check_code(code, "events.subscribing()")
    if code < _FIRST_SERVER_CODE:
        return _subscribing_lookup(code)
    return _unsubscribe_lookup(code)


def unsubscribed(code: int) -> UnsubscribedEventCode:
    """The code of an ``unsubscribed`` event: a subscription has ended.

    * 0-99: the SDK's own reason (:class:`UnsubscribedCode`), such as unsubscribe()
      being called or the token source refusing the subscription.
    * 100-1999: the code of the error reply to subscribe that ended the subscription
      (:class:`ErrorCode`), such as 103 (permission denied) or an application's code
      in 400-1999.
    * 2000 up: the server's unsubscribe push (:class:`UnsubscribeCode`), such as 2000
      when the server ended the subscription on purpose.

    The subscription is not retried: subscribe again only if the application wants
    to and the cause is gone.
    """
    if type(code) is not int or not 0 <= code <= MAX_CODE:  # pragma: no mutate (fast path; see _GUARD)
        code = check_code(code, "events.unsubscribed()")
    if code < _FIRST_SERVER_CODE:
        return _unsubscribed_lookup(code)
    if code < _FIRST_UNSUBSCRIBE_CODE:
        return _error_lookup(code)
    return _unsubscribe_lookup(code)


def error(code: int) -> ErrorEventCode:
    """The code of an ``error`` event: something failed, the state did not change.

    * 0-99: a problem the SDK found itself (:class:`ClientErrorCode`, 1-12 shared by
      every SDK that numbers error events; 13-99 differ between SDKs and come back
      as :class:`UnknownClientErrorCode`).
    * 100 up: the code of a server's error reply (:class:`ErrorCode`), for example
      a temporary error to subscribe that the SDK retries.

    Error events are for logging: the SDK retries what it can and reports a lasting
    failure with a ``disconnected`` or ``unsubscribed`` event.
    """
    if type(code) is not int or not 0 <= code <= MAX_CODE:  # pragma: no mutate (fast path; see _GUARD)
        code = check_code(code, "events.error()")
    if code < _FIRST_SERVER_CODE:
        return _client_error_lookup(code)
    return _error_lookup(code)

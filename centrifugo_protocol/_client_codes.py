"""Codes that client SDKs report for state changes and errors they cause themselves.

The server never sends these. Every official SDK reports them with its ``connecting``,
``disconnected``, ``subscribing`` and ``unsubscribed`` events. Only centrifuge-js and
centrifuge-python number their error events (centrifuge-go, -java, -swift and -dart
have no numeric error-event codes), and those two agree on 1-12. Small numbers overlap between families (a 1 can be
"transport closed" or "unauthorized"), so the family always travels with the code.

Error-event codes from 13 up are not shared: centrifuge-js uses 13 for "subscription
get state" and 14 for "shared poll get signature", while centrifuge-python uses 13
for "connect error", 14 for "subscribe error" and 15 for "subscription get state".
:class:`ClientErrorCode` therefore stops at 12.

Like the server families, each family has ``lookup(n)``, which takes any wire code
(0..2**32-1) and returns the member or an ``Unknown...`` value object. A client-side
code is 0-99; an unknown code in that range is one a newer or unofficial SDK may
use, and an unknown code above it is not client-side at all: SDKs report the
server's own error, unsubscribe or disconnect code with their events there, which
:mod:`centrifugo_protocol.events` sorts out per event. Each unknown's
``description`` says which of these it is.

The unknown state codes (``UnknownConnectingCode`` and the rest) have no
``reason``, just like :class:`UnknownDisconnectCode`: the SDK's event carries its
own reason text, and any text made up here (even ``""``) could be mistaken for it.
A type checker therefore asks for narrowing to the family before ``.reason`` is
read; ``code`` and ``description`` are common to every member and unknown.
"""

from __future__ import annotations

from enum import unique
from typing import TYPE_CHECKING, final

# The shared machinery of the server families' lookup() and unknown codes, reused
# so that every family behaves alike (checks, error messages, memo bound, equality).
from ._codes import CodeEnum, ReasonCodeEnum, _Unknown, row, unknown_of  # pyright: ignore[reportPrivateUsage]
from ._ranges import CLIENT_SIDE_ERROR_CODES

if TYPE_CHECKING:
    from ._causes import Cause

__all__ = [
    "ClientErrorCode",
    "ConnectingCode",
    "DisconnectedCode",
    "SubscribingCode",
    "UnknownClientErrorCode",
    "UnknownConnectingCode",
    "UnknownDisconnectedCode",
    "UnknownSubscribingCode",
    "UnknownUnsubscribedCode",
    "UnsubscribedCode",
]


@unique
class ConnectingCode(ReasonCodeEnum):
    """Client-side codes reported when a client goes to ``connecting``."""

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> ConnectingCode | UnknownConnectingCode:
            """The member for ``code``, or an :class:`UnknownConnectingCode` for any other code."""
            ...

    # fmt: off
    CONNECT_CALLED = row(
        0, reason="connect called",
        description="The application called connect().",
    )
    TRANSPORT_CLOSED = row(
        1, reason="transport closed",
        description="The transport closed (lost network, server restart, or a close frame that allows "
            "reconnecting). The client reconnects with backoff.",
    )
    NO_PING = row(
        2, reason="no ping",
        description="The server's pings stopped arriving in time, so the client treats the connection "
            "as dead and reconnects.",
    )
    SUBSCRIBE_TIMEOUT = row(
        3, reason="subscribe timeout",
        description="A subscribe request got no reply in time; the client reconnects to start from a "
            "clean state.",
    )
    UNSUBSCRIBE_ERROR = row(
        4, reason="unsubscribe error",
        description="An unsubscribe request failed; the client reconnects so that it and the server "
            "agree on its subscriptions again.",
    )
    # fmt: on

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class DisconnectedCode(ReasonCodeEnum):
    """Client-side codes reported when a client goes to ``disconnected``."""

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> DisconnectedCode | UnknownDisconnectedCode:
            """The member for ``code``, or an :class:`UnknownDisconnectedCode` for any other code."""
            ...

    # fmt: off
    DISCONNECT_CALLED = row(
        0, reason="disconnect called",
        description="The application called disconnect().",
    )
    UNAUTHORIZED = row(
        1, reason="unauthorized",
        description="The application's token source said that the user may not connect. The client "
            "stops.",
    )
    BAD_PROTOCOL = row(
        2, reason="bad protocol",
        description="The client received data it could not decode under the protocol. The client stops.",
    )
    MESSAGE_SIZE_LIMIT = row(
        3, reason="message size limit exceeded",
        description="A message was larger than the transport accepts (a WebSocket close with code "
            "1009). The client stops.",
    )
    # fmt: on

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class SubscribingCode(ReasonCodeEnum):
    """Client-side codes reported when a subscription goes to ``subscribing``."""

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> SubscribingCode | UnknownSubscribingCode:
            """The member for ``code``, or an :class:`UnknownSubscribingCode` for any other code."""
            ...

    # fmt: off
    SUBSCRIBE_CALLED = row(
        0, reason="subscribe called",
        description="The application called subscribe().",
    )
    TRANSPORT_CLOSED = row(
        1, reason="transport closed",
        description="The client left the connected state; the subscription waits and is set up again "
            "once the client is connected.",
    )
    # fmt: on

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class UnsubscribedCode(ReasonCodeEnum):
    """Client-side codes reported when a subscription goes to ``unsubscribed``."""

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> UnsubscribedCode | UnknownUnsubscribedCode:
            """The member for ``code``, or an :class:`UnknownUnsubscribedCode` for any other code."""
            ...

    # fmt: off
    UNSUBSCRIBE_CALLED = row(
        0, reason="unsubscribe called",
        description="The application called unsubscribe().",
    )
    UNAUTHORIZED = row(
        1, reason="unauthorized",
        description="The application's subscription token source said that the user may not subscribe "
            "to the channel.",
    )
    CLIENT_CLOSED = row(
        2, reason="client closed",
        description="The client was closed, so the subscription ended with it.",
    )
    # fmt: on

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class ClientErrorCode(CodeEnum):
    """Codes of the error events SDKs emit for problems found on the client side (1-12).

    Every SDK that numbers its error events agrees on 1-12; from 13 up they differ (see
    the module documentation), so those numbers are not members.
    """

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> ClientErrorCode | UnknownClientErrorCode:
            """The member for ``code``, or an :class:`UnknownClientErrorCode` for any other code."""
            ...

    # fmt: off
    TIMEOUT = row(
        1,
        description="A request to the server got no reply in time.",
    )
    TRANSPORT_CLOSED = row(
        2,
        description="The transport closed while a request was in flight.",
    )
    CLIENT_DISCONNECTED = row(
        3,
        description="The client was disconnected while a request was waiting.",
    )
    CLIENT_CLOSED = row(
        4,
        description="The client was closed while a request was waiting.",
    )
    CLIENT_CONNECT_TOKEN = row(
        5,
        description="Getting a connection token from the application failed.",
    )
    CLIENT_REFRESH_TOKEN = row(
        6,
        description="Refreshing the connection token through the application failed.",
    )
    SUBSCRIPTION_UNSUBSCRIBED = row(
        7,
        description="The subscription was unsubscribed while a request was waiting.",
    )
    SUBSCRIPTION_SUBSCRIBE_TOKEN = row(
        8,
        description="Getting a subscription token from the application failed.",
    )
    SUBSCRIPTION_REFRESH_TOKEN = row(
        9,
        description="Refreshing a subscription token through the application failed.",
    )
    TRANSPORT_WRITE_ERROR = row(
        10,
        description="Writing to the transport failed.",
    )
    CONNECTION_CLOSED = row(
        11,
        description="The connection was closed, so the request cannot complete.",
    )
    BAD_CONFIGURATION = row(
        12,
        description="The client was configured in a way that cannot work.",
    )
    # fmt: on


# --- Unknown client-side codes -----------------------------------------------------------

# Said of every code above 99 that a client-side family is asked about.
_NOT_CLIENT_SIDE = "Not a client-side code (those are 0-99)."


@final
@unknown_of(ConnectingCode)
class UnknownConnectingCode(_Unknown):
    """A code that :class:`ConnectingCode` does not list.

    In 0-99 it is a client-side code that a newer or unofficial SDK may report. From
    100 up it is not client-side: with a ``connecting`` event it is the code of the
    server's error reply or disconnect, which :func:`centrifugo_protocol.events.connecting`
    looks up in :class:`ErrorCode` or :class:`DisconnectCode` instead.
    """

    __slots__ = ()

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a client."""
        if self._code in CLIENT_SIDE_ERROR_CODES:
            return (
                "A client-side code (0-99) that no official SDK reports with connecting today, perhaps from "
                "a newer SDK. The client is connecting again; the reason it reported says why."
            )
        return (
            f"{_NOT_CLIENT_SIDE} With a connecting event, SDKs report the server's code instead: an error "
            "reply to connect from 100 to 2999, a disconnect from 3000 up; events.connecting() reads such "
            "codes as ErrorCode or DisconnectCode."
        )


@final
@unknown_of(DisconnectedCode)
class UnknownDisconnectedCode(_Unknown):
    """A code that :class:`DisconnectedCode` does not list.

    In 0-99 it is a client-side code that a newer or unofficial SDK may report. From
    100 up it is not client-side: with a ``disconnected`` event it is the code of the
    server's error reply or disconnect, which
    :func:`centrifugo_protocol.events.disconnected` looks up in :class:`ErrorCode` or
    :class:`DisconnectCode` instead.
    """

    __slots__ = ()

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a client."""
        if self._code in CLIENT_SIDE_ERROR_CODES:
            return (
                "A client-side code (0-99) that no official SDK reports with disconnected today, perhaps "
                "from a newer SDK. The client has stopped and does not reconnect by itself; the reason it "
                "reported says why."
            )
        return (
            f"{_NOT_CLIENT_SIDE} With a disconnected event, SDKs report the server's code instead: the "
            "error reply to connect that stopped the client from 100 to 2999, a terminal disconnect from "
            "3000 up; events.disconnected() reads such codes as ErrorCode or DisconnectCode."
        )


@final
@unknown_of(SubscribingCode)
class UnknownSubscribingCode(_Unknown):
    """A code that :class:`SubscribingCode` does not list.

    In 0-99 it is a client-side code that a newer or unofficial SDK may report. From
    100 up it is not client-side: with a ``subscribing`` event it is the code of the
    server's unsubscribe push, which :func:`centrifugo_protocol.events.subscribing`
    looks up in :class:`UnsubscribeCode` instead.
    """

    __slots__ = ()

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a subscription."""
        if self._code in CLIENT_SIDE_ERROR_CODES:
            return (
                "A client-side code (0-99) that no official SDK reports with subscribing today, perhaps "
                "from a newer SDK. The subscription is being set up again; the reason it reported says why."
            )
        return (
            f"{_NOT_CLIENT_SIDE} With a subscribing event, SDKs report the code of the server's unsubscribe "
            "push that asked the client to subscribe again; events.subscribing() reads every code from 100 "
            "up as an UnsubscribeCode."
        )


@final
@unknown_of(UnsubscribedCode)
class UnknownUnsubscribedCode(_Unknown):
    """A code that :class:`UnsubscribedCode` does not list.

    In 0-99 it is a client-side code that a newer or unofficial SDK may report. From
    100 up it is not client-side: with an ``unsubscribed`` event it is the code of the
    server's error reply or unsubscribe push, which
    :func:`centrifugo_protocol.events.unsubscribed` looks up in :class:`ErrorCode` or
    :class:`UnsubscribeCode` instead.
    """

    __slots__ = ()

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a subscription."""
        if self._code in CLIENT_SIDE_ERROR_CODES:
            return (
                "A client-side code (0-99) that no official SDK reports with unsubscribed today, perhaps "
                "from a newer SDK. The subscription has ended and is not retried; the reason it reported "
                "says why."
            )
        return (
            f"{_NOT_CLIENT_SIDE} With an unsubscribed event, SDKs report the server's code instead: the "
            "error reply to subscribe that ended the subscription from 100 to 1999, an unsubscribe push "
            "from 2000 up; events.unsubscribed() reads such codes as ErrorCode or UnsubscribeCode."
        )


@final
@unknown_of(ClientErrorCode)
class UnknownClientErrorCode(_Unknown):
    """An error-event code that :class:`ClientErrorCode` does not list.

    0 numbers no error event. 13-99 are error events of one SDK or another: the SDKs
    agree only on 1-12 (see the module documentation). From 100 up the code is not
    client-side: an error event then carries the server's error reply code, which
    :func:`centrifugo_protocol.events.error` looks up in :class:`ErrorCode` instead.
    """

    __slots__ = ()

    @property
    def description(self) -> str:
        """Which range the code falls in, and how far SDKs agree on it."""
        code = self._code
        if code not in CLIENT_SIDE_ERROR_CODES:
            return (
                f"{_NOT_CLIENT_SIDE} From 100 up an error event carries the code of the server's error "
                "reply; events.error() reads such codes as ErrorCode."
            )
        if code > ClientErrorCode.BAD_CONFIGURATION:  # past the last code the numbering SDKs share
            return (
                "An error-event code of one particular SDK (13-99): the SDKs that number error events agree only on 1-12. "
                "centrifuge-js uses 13 for getting a subscription's state and 14 for a shared poll "
                "signature; centrifuge-python uses 13 for connect errors, 14 for subscribe errors and 15 "
                "for getting a subscription's state. Read it with the SDK that emitted it."
            )
        return "Error-event code 0, which no official SDK uses: they number their error events from 1."

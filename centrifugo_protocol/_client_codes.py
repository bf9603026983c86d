"""Codes that client SDKs report for state changes and errors they cause themselves.

The server never sends these. Every official SDK reports them with its ``connecting``,
``disconnected``, ``subscribing`` and ``unsubscribed`` events, and numbers its own
error events 1-12 the same way. Small numbers overlap between families (a 1 can be
"transport closed" or "unauthorized"), so the family always travels with the code.

Error-event codes from 13 up are not shared: centrifuge-js uses 13 for "subscription
get state" and 14 for "shared poll get signature", while centrifuge-python uses 13
for "connect error", 14 for "subscribe error" and 15 for "subscription get state".
:class:`ClientErrorCode` therefore stops at 12.
"""

from __future__ import annotations

from enum import unique
from typing import TYPE_CHECKING, cast

from ._codes import CodeEnum, ReasonCodeEnum, Row, row

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["ClientErrorCode", "ConnectingCode", "DisconnectedCode", "SubscribingCode", "UnsubscribedCode"]


@unique
class ConnectingCode(ReasonCodeEnum):
    """Client-side codes reported when a client goes to ``connecting``."""

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


@unique
class DisconnectedCode(ReasonCodeEnum):
    """Client-side codes reported when a client goes to ``disconnected``."""

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
        3, reason="message size limit",
        description="A message was larger than the transport accepts (a WebSocket close with code "
            "1009). The client stops; SDKs word the reason as \"message size limit exceeded\".",
    )


@unique
class SubscribingCode(ReasonCodeEnum):
    """Client-side codes reported when a subscription goes to ``subscribing``."""

    SUBSCRIBE_CALLED = row(
        0, reason="subscribe called",
        description="The application called subscribe().",
    )
    TRANSPORT_CLOSED = row(
        1, reason="transport closed",
        description="The client left the connected state; the subscription waits and is set up again "
            "once the client is connected.",
    )


@unique
class UnsubscribedCode(ReasonCodeEnum):
    """Client-side codes reported when a subscription goes to ``unsubscribed``."""

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


@unique
class ClientErrorCode(CodeEnum):
    """Codes of the error events SDKs emit for problems found on the client side (1-12).

    Every SDK that numbers its error events agrees on 1-12; from 13 up they differ (see
    the module documentation), so those numbers are not members.
    """

    def __new__(cls, value: int) -> Self:
        row = cast("Row", value)  # enum passes only class-body rows here; see Row
        member = int.__new__(cls, row)
        member._value_ = int(row)
        member._description = row.description
        return member

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

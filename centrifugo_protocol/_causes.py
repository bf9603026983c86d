"""Why a code was sent: the situations that make a server (or an SDK) send each code.

A code's ``description`` says what it means and what a client does next. Its
``causes`` say which situations produce it, what is involved (a configuration key, a
server API method, a proxy answer, a client action or a server event) and what fixes
it, where anything does. Causes are listed most common first, so a member's first
cause is the one to suspect before the others.

Rules kept here:

* every cause has an id, ``<family>.<code>.<slug>`` (``disconnect.3501.no-credentials``),
  that names it for good; the live tests (``tests/live/test_causes.py``) make the real
  server send the code through each cause, by that id, and fail for an id without a
  proof;
* a cause that no live test can produce says why, with an :class:`Untriggerable`
  reason; a code that no feature of the server chooses by itself says who sends it
  instead, with the causes' :class:`Sender` (a proxy backend, a server API call that
  names the code, a server built on the centrifuge library, or nobody);
* the server's behaviour was measured on Centrifugo v6.9.1 (:data:`CAUSES_MEASURED_ON`);
  another version may send a code in other situations;
* the texts are ours; none is copied from Centrifugo or its SDKs.

The code families ask :func:`causes_of` from their ``causes`` property, and the
command line and the documentation render the same data with :func:`sent_when` and
:func:`markdown`, so that every place shows the same facts.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING, Final, final

from ._ranges import Frozen, check_text, show, type_name

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._codes import CodeEnum

__all__ = [
    "CAUSES_MEASURED_ON",
    "Cause",
    "CauseKind",
    "Sender",
    "Untriggerable",
]

#: The server version whose behaviour the causes describe (the live tests run it).
CAUSES_MEASURED_ON: Final[str] = "Centrifugo v6.9.1"


class CauseKind(Enum):
    """What a cause involves, the thing to look at first."""

    #: A key of the server's configuration (``client.channel_limit``).
    CONFIG_KEY = "config key"
    #: A server API method that an application called (``disconnect``).
    API_METHOD = "server API method"
    #: What a proxy backend answered (``{"error": {"code": 101, ...}}``).
    PROXY_ANSWER = "proxy answer"
    #: Something the client did or failed to do (connect without a token).
    CLIENT_ACTION = "client action"
    #: Something that happened to the server itself (a node shutting down).
    SERVER_EVENT = "server event"

    def __str__(self) -> str:
        return self.value


class Sender(Enum):
    """Who chose the code in this situation."""

    #: The server's own features chose the code.
    SERVER = "server"
    #: A proxy backend put the code in its answer; the server passed it on.
    PROXY = "proxy"
    #: An application named the code in a server API call; the server passed it on.
    SERVER_API = "server API"
    #: Only a server built on the centrifuge library sends it; Centrifugo does not.
    LIBRARY = "library"
    #: The client SDK itself reports the code; no server sends it.
    SDK = "SDK"
    #: Nothing sends the code on the wire.
    NOBODY = "nobody"

    def __str__(self) -> str:
        return self.value

    @property
    def text(self) -> str:
        """The sender in plain words, as the causes' renderings show it."""
        return _SENDER_TEXTS[self]


_SENDER_TEXTS: Final = {
    Sender.SERVER: "the server's own features",
    Sender.PROXY: "a proxy backend's answer only",
    Sender.SERVER_API: "a server API call that names the code only",
    Sender.LIBRARY: "a server built on the centrifuge library only, never Centrifugo",
    Sender.SDK: "the client SDK itself",
    Sender.NOBODY: "nothing: the code never travels on the wire",
}


class Untriggerable(Enum):
    """Why no live test can make the server send a code through a cause."""

    #: No frame ever carries the code; it only labels something in the server.
    NEVER_SENT = "never sent"
    #: Centrifugo never sends it; only servers built on the library can.
    NOT_IN_CENTRIFUGO = "not in Centrifugo"
    #: The connection the code ends is already broken, so its client never sees it.
    NOT_OBSERVABLE = "not observable"
    #: The situation needs a race between requests, which no test can force.
    NOT_DETERMINISTIC = "not deterministic"

    def __str__(self) -> str:
        return self.value

    @property
    def text(self) -> str:
        """The reason in plain words."""
        return _UNTRIGGERABLE_TEXTS[self]


_UNTRIGGERABLE_TEXTS: Final = {
    Untriggerable.NEVER_SENT: "no frame ever carries this code, so no client can receive it",
    Untriggerable.NOT_IN_CENTRIFUGO: f"{CAUSES_MEASURED_ON} has no feature that sends it",
    Untriggerable.NOT_OBSERVABLE: "the connection it ends is already broken, so its client never receives it",
    Untriggerable.NOT_DETERMINISTIC: "it needs two requests to race, which a test cannot force",
}

#: The families whose members have causes, by the prefix of their causes' ids.
FAMILY_PREFIXES: Final = {
    "error": "ErrorCode",
    "unsubscribe": "UnsubscribeCode",
    "disconnect": "DisconnectCode",
    "api": "ApiErrorCode",
    "connecting": "ConnectingCode",
    "disconnected": "DisconnectedCode",
    "subscribing": "SubscribingCode",
    "unsubscribed": "UnsubscribedCode",
}
_CLIENT_SIDE_PREFIXES: Final = frozenset(("connecting", "disconnected", "subscribing", "unsubscribed"))
_ID: Final = re.compile(r"(?P<prefix>[a-z]+)\.(?P<code>0|[1-9][0-9]{0,9})\.[a-z0-9]+(?:-[a-z0-9]+)*")


@final
class Cause(Frozen):
    """One situation that makes a code be sent, measured on :data:`CAUSES_MEASURED_ON`.

    ``id`` names the cause for good (``disconnect.3501.no-credentials``: the family,
    the code, a slug). ``situation`` says what happened in plain words; ``kind`` and
    ``involves`` name what is involved (a config key such as ``client.channel_limit``,
    a server API method, a proxy answer, a client action or a server event); ``fix``
    says what makes it stop, or is None when nothing needs fixing. ``sender`` says who
    chose the code, and ``untriggerable`` why no live test can produce it (None: a
    live test does).
    """

    __slots__ = ("_fix", "_id", "_involves", "_kind", "_sender", "_situation", "_untriggerable")
    _id: str
    _situation: str
    _kind: CauseKind
    _involves: str
    _fix: str | None
    _sender: Sender
    _untriggerable: Untriggerable | None

    def __init__(
        self,
        id: str,
        *,
        situation: str,
        kind: CauseKind,
        involves: str,
        fix: str | None,
        sender: Sender = Sender.SERVER,
        untriggerable: Untriggerable | None = None,
    ) -> None:
        where = "Cause()"
        name = check_text(id, where, "id")
        match = _ID.fullmatch(name)
        if match is None or match.group("prefix") not in FAMILY_PREFIXES:
            prefixes = ", ".join(FAMILY_PREFIXES)
            raise ValueError(
                f"{where} expects an id like 'disconnect.3501.no-credentials' ({prefixes}), got {show(id)}"
            )
        for what, text in (("situation", situation), ("involves", involves)):
            if not check_text(text, where, what).strip():
                raise ValueError(f"{where} expects {what} to say something, got {show(text)}")
        if fix is not None and not check_text(fix, where, "fix").strip():
            raise ValueError(f"{where} expects fix to be None or to say something, got {show(fix)}")
        _check_member(kind, CauseKind, "kind")
        _check_member(sender, Sender, "sender")
        if untriggerable is not None:
            _check_member(untriggerable, Untriggerable, "untriggerable")
        client_side = match.group("prefix") in _CLIENT_SIDE_PREFIXES
        if client_side is not (sender is Sender.SDK):
            raise ValueError(
                f"{where}: {name} is {'a client-side' if client_side else 'a server'} code, so its sender must "
                f"{'' if client_side else 'not '}be Sender.SDK, got {sender!r}"
            )
        if (sender is Sender.NOBODY) is not (untriggerable is Untriggerable.NEVER_SENT):
            raise ValueError(f"{where}: {name}: Sender.NOBODY goes with Untriggerable.NEVER_SENT and only with it")
        if sender is Sender.LIBRARY and untriggerable is None:
            raise ValueError(f"{where}: {name}: a cause only a library server sends needs an Untriggerable reason")
        if sender in (Sender.PROXY, Sender.SERVER_API) and untriggerable is not None:
            raise ValueError(
                f"{where}: {name}: a proxy answer or an API call can always be made; untriggerable must be None"
            )
        self._freeze(
            _id=name,
            _situation=situation,
            _kind=kind,
            _involves=involves,
            _fix=fix,
            _sender=sender,
            _untriggerable=untriggerable,
        )

    @property
    def id(self) -> str:
        """The cause's name for good: ``<family>.<code>.<slug>``."""
        return self._id

    @property
    def code(self) -> int:
        """The code this cause makes the server (or SDK) send."""
        return int(self._id.split(".")[1])

    @property
    def family(self) -> str:
        """The name of the code family, such as ``"DisconnectCode"``."""
        return FAMILY_PREFIXES[self._id.split(".")[0]]

    @property
    def situation(self) -> str:
        """What happened, in plain words."""
        return self._situation

    @property
    def kind(self) -> CauseKind:
        """What kind of thing is involved."""
        return self._kind

    @property
    def involves(self) -> str:
        """The thing involved: a config key, an API method, a proxy answer or an action."""
        return self._involves

    @property
    def fix(self) -> str | None:
        """What makes the code stop coming, or None when nothing needs fixing."""
        return self._fix

    @property
    def sender(self) -> Sender:
        """Who chose the code in this situation."""
        return self._sender

    @property
    def untriggerable(self) -> Untriggerable | None:
        """Why no live test can produce this cause; None when one does."""
        return self._untriggerable

    def __eq__(self, other: object) -> bool:
        if type(other) is Cause:
            return self._key() == other._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (
            self._id,
            self._situation,
            self._kind,
            self._involves,
            self._fix,
            self._sender,
            self._untriggerable,
        )

    def __repr__(self) -> str:
        return f"Cause({self._id!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_cause_by_id, (self._id,))


def _check_member(value: object, enum: type[Enum], what: str) -> None:
    if type(value) is not enum:
        raise TypeError(f"Cause() expects {what} to be a {enum.__name__}, got {show(value)} ({type_name(value)})")


_C = Cause
_K = CauseKind
_S = Sender
_U = Untriggerable

# fmt: off
#: Every cause, grouped by code and, within a code, most common first.
CAUSES: Final[tuple[Cause, ...]] = (
    # --- ErrorCode ------------------------------------------------------------------------
    _C("error.100.connect-proxy-fails", kind=_K.PROXY_ANSWER, involves="client.proxy.connect",
       situation="A client connected without a token, so the server asked the connect proxy, and the "
           "proxy backend answered with an HTTP error status or did not answer at all.",
       fix="Make the connect proxy backend answer with HTTP 200. Clients retry by themselves meanwhile."),
    _C("error.100.subscribe-proxy-fails", kind=_K.PROXY_ANSWER, involves="channel.proxy.subscribe",
       situation="A subscribe went to the subscribe proxy, whose backend answered with an HTTP error status "
           "or did not answer.",
       fix="Make the subscribe proxy backend answer with HTTP 200. The subscription retries meanwhile."),
    _C("error.100.rpc-proxy-fails", kind=_K.PROXY_ANSWER, involves="rpc.proxy",
       situation="An RPC went to the RPC proxy, whose backend answered with an HTTP error status or did "
           "not answer.",
       fix="Make the RPC proxy backend answer with HTTP 200."),
    _C("error.101.proxy", kind=_K.PROXY_ANSWER, involves='{"error": {"code": 101}}', sender=_S.PROXY,
       situation="A proxy backend refused the command with code 101. The server itself never sends 101: a "
           "connect without usable credentials gets disconnect 3501 (no credentials), 3500 (a bad token) "
           "or error 109 (an expired token) instead.",
       fix="Look at why the proxy backend refused the user."),
    _C("error.102.unknown-namespace-subscribe", kind=_K.CONFIG_KEY, involves="channel.namespaces",
       situation="A client subscribed to a channel whose namespace (the part before the colon) is not "
           "configured.",
       fix="Add the namespace to channel.namespaces, or fix the channel name the client uses."),
    _C("error.102.unknown-namespace-publish", kind=_K.CONFIG_KEY, involves="channel.namespaces",
       situation="A client published to a channel whose namespace is not configured.",
       fix="Add the namespace to channel.namespaces, or fix the channel name the client uses."),
    _C("error.102.unknown-namespace-history", kind=_K.CONFIG_KEY, involves="channel.namespaces",
       situation="A client asked for the history (or presence) of a channel whose namespace is not "
           "configured.",
       fix="Add the namespace to channel.namespaces, or fix the channel name the client uses."),
    _C("error.103.subscribe-not-allowed", kind=_K.CONFIG_KEY, involves="allow_subscribe_for_client",
       situation="A client subscribed without a subscription token to a channel whose namespace does not "
           "let clients subscribe on their own.",
       fix="Give the subscription a token, or set allow_subscribe_for_client on the namespace."),
    _C("error.103.subscription-token-bad-signature", kind=_K.CLIENT_ACTION,
       involves="subscription token signed with another key",
       situation="A client subscribed with a subscription token whose signature the server could not "
           "verify. A bad connection token is disconnect 3500; a bad subscription token is this error.",
       fix="Sign subscription tokens with the key the server verifies them with (client.token, or "
           "client.subscription_token when set)."),
    _C("error.103.private-channel-without-token", kind=_K.CLIENT_ACTION,
       involves="subscribe to a $ channel without a token",
       situation="A client subscribed to a private channel (its name starts with $) without a subscription "
           "token.",
       fix="Give the subscription a token from your backend."),
    _C("error.103.publish-not-allowed", kind=_K.CONFIG_KEY, involves="allow_publish_for_client",
       situation="A client published to a channel whose namespace does not let clients publish.",
       fix="Publish from the backend through the server API, or set allow_publish_for_client on the "
           "namespace."),
    _C("error.103.sub-refresh-not-subscribed", kind=_K.CLIENT_ACTION, involves="sub_refresh command",
       situation="A client sent a subscription token refresh for a channel it is not subscribed to. The "
           "SDKs do not do this; hand-written clients can.",
       fix="Refresh a subscription's token only while it is subscribed."),
    _C("error.104.rpc-unknown-namespace", kind=_K.CONFIG_KEY, involves="rpc.namespaces",
       situation="A client called an RPC method whose RPC namespace (the part before the colon) is not "
           "configured, while an RPC proxy is. An RPC with no RPC proxy at all gets 108 instead, and an "
           "unknown command gets disconnect 3501.",
       fix="Add the RPC namespace to rpc.namespaces, or fix the method name the client calls."),
    _C("error.105.subscribe-twice", kind=_K.CLIENT_ACTION, involves="subscribe to a channel twice",
       situation="A client subscribed to a channel it was already subscribed to on this connection.",
       fix="Subscribe once per channel; SDKs refuse a second subscription object for the same channel."),
    _C("error.105.server-side-then-client", kind=_K.CLIENT_ACTION,
       involves="client subscribe to a server-side channel",
       situation="The connection already held the channel as a server-side subscription (from the token's "
           "subs claim or the server API subscribe method), and the client subscribed to it as well.",
       fix="Do not subscribe from the client to channels the server subscribes the connection to."),
    _C("error.106.channel-limit", kind=_K.CONFIG_KEY, involves="client.channel_limit",
       situation="A client subscribed to more channels than client.channel_limit allows on one connection.",
       fix="Raise client.channel_limit, or subscribe to fewer channels per connection."),
    _C("error.107.channel-regex", kind=_K.CONFIG_KEY, involves="channel_regex",
       situation="A client subscribed to a channel whose name does not match the namespace's channel_regex.",
       fix="Fix the channel name the client uses, or the namespace's channel_regex."),
    _C("error.107.publication-data-format", kind=_K.CONFIG_KEY, involves="publication_data_format",
       situation="A client published data that the namespace's publication_data_format does not accept "
           "(for example a list where a JSON object is required).",
       fix="Publish data in the format the namespace requires."),
    _C("error.107.channel-too-long", kind=_K.CONFIG_KEY, involves="channel.max_length",
       situation="A client used a channel name longer than channel.max_length allows.",
       fix="Use shorter channel names, or raise channel.max_length."),
    _C("error.107.sub-refresh-without-token", kind=_K.CLIENT_ACTION, involves="sub_refresh command",
       situation="A client sent a subscription token refresh with no token in it. The SDKs do not do "
           "this; hand-written clients can.",
       fix="Send the new subscription token with the refresh."),
    _C("error.108.rpc-without-proxy", kind=_K.CONFIG_KEY, involves="rpc.proxy",
       situation="A client called an RPC, but no RPC proxy is configured for it (or "
           "rpc.without_namespace.proxy_enabled is off).",
       fix="Configure an RPC proxy, or stop calling RPCs from the client."),
    _C("error.108.history-disabled", kind=_K.CONFIG_KEY, involves="history_size",
       situation="A client asked for the history of a channel whose namespace keeps no history.",
       fix="Set history_size and history_ttl on the namespace, or stop asking for its history."),
    _C("error.108.presence-disabled", kind=_K.CONFIG_KEY, involves="presence",
       situation="A client asked for the presence of a channel whose namespace has presence off.",
       fix="Set presence on the namespace, or stop asking for its presence."),
    _C("error.109.connection-token-expired", kind=_K.CLIENT_ACTION, involves="connection token exp claim",
       situation="A client connected with a connection token whose exp time has passed.",
       fix="Nothing, if the client has a token source: SDKs fetch a fresh token and connect again. "
           "Otherwise give the client a way to get new tokens."),
    _C("error.109.connection-token-not-yet-valid", kind=_K.CLIENT_ACTION, involves="connection token nbf claim",
       situation="A client connected with a connection token whose nbf time is still in the future.",
       fix="Do not set nbf ahead of time, and check the clocks of the machines that mint tokens."),
    _C("error.109.subscription-token-expired", kind=_K.CLIENT_ACTION, involves="subscription token exp claim",
       situation="A client subscribed with a subscription token whose exp time has passed.",
       fix="Nothing, if the subscription has a token source: SDKs fetch a fresh token and subscribe again."),
    _C("error.110.connect-proxy-expire-at-past", kind=_K.PROXY_ANSWER, involves='{"result": {"expire_at": 1}}',
       situation="The connect proxy accepted the client but gave an expire_at time that has already passed.",
       fix="Have the connect proxy backend give an expire_at in the future."),
    _C("error.110.subscribe-proxy-expire-at-past", kind=_K.PROXY_ANSWER, involves='{"result": {"expire_at": 1}}',
       situation="The subscribe proxy accepted the subscription but gave an expire_at time that has "
           "already passed.",
       fix="Have the subscribe proxy backend give an expire_at in the future."),
    _C("error.111.proxy", kind=_K.PROXY_ANSWER, involves='{"error": {"code": 111}}', sender=_S.PROXY,
       situation=f"A proxy backend refused the command with code 111. {CAUSES_MEASURED_ON} has no rate "
           "limit of its own that answers with it.",
       fix="Look at the proxy backend's rate limits. Send \"temporary\": true with it: the server copies "
           "the backend's flag."),
    _C("error.112.history-bad-epoch", kind=_K.CLIENT_ACTION, involves="history since a position",
       situation="A client asked for history since a stream position whose epoch is not the stream's "
           "(the stream was reset or trimmed).",
       fix="Nothing, if the application can load the channel's state from scratch; then continue from "
           "the current position."),
    _C("error.113.proxy", kind=_K.PROXY_ANSWER, involves='{"error": {"code": 113}}', sender=_S.PROXY,
       situation="A proxy backend refused the command with code 113.",
       fix="Look at why the proxy backend refused it; send \"temporary\": true with it so that clients "
           "retry."),
    _C("error.113.concurrent-pagination", kind=_K.CLIENT_ACTION, involves="map subscription pages",
       sender=_S.LIBRARY, untriggerable=_U.NOT_DETERMINISTIC,
       situation="The centrifuge library answers it when one connection asks for two pages of a map "
           "subscription's state at the same time; Centrifugo's own features give no reliable way to "
           "make that happen.",
       fix=None),
    # --- UnsubscribeCode ------------------------------------------------------------------
    _C("unsubscribe.2000.api-unsubscribe", kind=_K.API_METHOD, involves="unsubscribe",
       situation="An application called the server API unsubscribe method for the user and channel. That "
           "method takes no code of its own, so it always sends 2000.",
       fix=None),
    _C("unsubscribe.2500.stream-reset", kind=_K.SERVER_EVENT, involves="the channel's stream changed epoch",
       situation="A subscription that tracks its stream position saw a publication from a stream with a new "
           "epoch or with a gap (history removed, expired or lost by the broker). The client subscribes "
           "again and recovers what it can.",
       fix="Nothing, if it is rare. Often: keep history longer (history_ttl, history_meta_ttl) or look at "
           "the broker."),
    _C("unsubscribe.2501.subscription-token-expired", kind=_K.CLIENT_ACTION,
       involves="subscription token exp claim",
       situation="A subscription's token expired and no refreshed token arrived; the server ends it at its "
           "next check after the expiry plus client.expired_sub_close_delay.",
       fix="Give the subscription a token source so that the SDK refreshes the token before it expires."),
    _C("unsubscribe.2502.server-tags-filter-changed", kind=_K.SERVER_EVENT, involves="map subscription tags filter",
       sender=_S.LIBRARY, untriggerable=_U.NOT_IN_CENTRIFUGO,
       situation="A server built on the centrifuge library changed the tags filter of a map subscription on "
           "a token refresh. Centrifugo never sets that filter, so it never sends 2502.",
       fix=None),
    # --- DisconnectCode -------------------------------------------------------------------
    _C("disconnect.3000.never-sent", kind=_K.SERVER_EVENT, involves="a close without a code",
       sender=_S.NOBODY, untriggerable=_U.NEVER_SENT,
       situation="The server labels a connection that closed without any disconnect code with 3000 in its "
           "own bookkeeping; it writes no frame for it, and its metrics skip it.",
       fix=None),
    _C("disconnect.3001.shutdown", kind=_K.SERVER_EVENT, involves="SIGTERM or SIGINT",
       situation="The server node was stopped (a deploy or a restart) and closed every connection. The "
           "clients reconnect, usually to another node.",
       fix=None),
    _C("disconnect.3004.refresh-proxy-bad-info", kind=_K.PROXY_ANSWER, involves="client.proxy.refresh",
       situation="The refresh proxy answered a connection refresh with data the server could not use (for "
           "example b64info that is not base64).",
       fix="Make the refresh proxy backend send valid base64 in b64info."),
    _C("disconnect.3004.proxy", kind=_K.PROXY_ANSWER, involves='{"disconnect": {"code": 3004}}', sender=_S.PROXY,
       situation="A proxy backend answered with a disconnect carrying 3004.",
       fix="Look at why the proxy backend ended the connection."),
    _C("disconnect.3005.token-expired", kind=_K.CLIENT_ACTION, involves="connection token exp claim",
       situation="The connection token's exp time passed and the client did not refresh it in time; the "
           "server closes the connection after client.expired_close_delay.",
       fix="Give the client a token source so that the SDK refreshes the token before it expires."),
    _C("disconnect.3005.api-refresh-expired", kind=_K.API_METHOD, involves="refresh",
       situation="An application called the server API refresh method with expired set, ending the user's "
           "connections.",
       fix=None),
    _C("disconnect.3005.refresh-proxy-expired", kind=_K.PROXY_ANSWER, involves='{"result": {"expired": true}}',
       situation="The connection's lifetime ended and the refresh proxy answered that it must not be extended.",
       fix=None),
    _C("disconnect.3005.refresh-with-expired-token", kind=_K.CLIENT_ACTION, involves="refresh command",
       situation="A client refreshed its connection with a token whose exp time had already passed.",
       fix="Have the token source return a fresh token, not the one the client already holds."),
    _C("disconnect.3006.server-side-subscription-expired", kind=_K.API_METHOD, involves="subscribe",
       situation="A server-side subscription (here from the server API subscribe method with expire_at) "
           "reached its expiry time. From Centrifugo v6.9.6 on, a subscription refreshed with an expired "
           "token gets 3006 too; v6.9.1 accepts that token.",
       fix="Give server-side subscriptions a later expire_at, or none."),
    _C("disconnect.3008.slow", kind=_K.CONFIG_KEY, involves="client.queue_max_size",
       situation="More data waited for the client than client.queue_max_size allows, because the client "
           "read too slowly or a single message was larger than the queue.",
       fix="Raise client.queue_max_size, publish smaller messages, or give the client more bandwidth."),
    _C("disconnect.3009.write-error", kind=_K.SERVER_EVENT, involves="a failed write to the connection",
       untriggerable=_U.NOT_OBSERVABLE,
       situation="The server failed to write to the connection, usually because the network under it "
           "broke.",
       fix=None),
    _C("disconnect.3010.refresh-changes-subs", kind=_K.CLIENT_ACTION, involves="connection token subs claim",
       situation="A client refreshed its connection with a token whose server-side subscriptions (subs or "
           "channels claim) differ from those it holds.",
       fix="Keep the subs claim the same in refreshed tokens, or let the client reconnect."),
    _C("disconnect.3011.api", kind=_K.API_METHOD, involves="disconnect", sender=_S.SERVER_API,
       situation="An application called the server API disconnect method with code 3011. No feature of "
           "the server sends it by itself.",
       fix=None),
    _C("disconnect.3011.proxy", kind=_K.PROXY_ANSWER, involves='{"disconnect": {"code": 3011}}', sender=_S.PROXY,
       situation="A proxy backend answered with a disconnect carrying 3011.",
       fix=None),
    _C("disconnect.3012.no-pong", kind=_K.CONFIG_KEY, involves="client.pong_timeout",
       situation="The client did not answer the server's ping within client.pong_timeout. The SDKs always "
           "answer, so it usually means a stalled client or a network that holds frames back.",
       fix="Look at the client's network; raise client.pong_timeout if replies are merely slow."),
    _C("disconnect.3013.api", kind=_K.API_METHOD, involves="disconnect", sender=_S.SERVER_API,
       situation=f"An application called the server API disconnect method with code 3013. {CAUSES_MEASURED_ON} "
           "has no rate limit of its own that sends it.",
       fix=None),
    _C("disconnect.3013.proxy", kind=_K.PROXY_ANSWER, involves='{"disconnect": {"code": 3013}}', sender=_S.PROXY,
       situation="A proxy backend answered with a disconnect carrying 3013.",
       fix="Look at the proxy backend's rate limits."),
    _C("disconnect.3014.api", kind=_K.API_METHOD, involves="disconnect", sender=_S.SERVER_API,
       situation="An application called the server API disconnect method with code 3014, to make the "
           "client drop its token and stream positions and start over.",
       fix=None),
    _C("disconnect.3014.proxy", kind=_K.PROXY_ANSWER, involves='{"disconnect": {"code": 3014}}', sender=_S.PROXY,
       situation="A proxy backend answered with a disconnect carrying 3014.",
       fix=None),
    _C("disconnect.3500.malformed-token", kind=_K.CLIENT_ACTION, involves="connection token",
       situation="A client connected with a connection token that is not a well-formed JWT.",
       fix="Send the token your backend minted, unchanged."),
    _C("disconnect.3500.bad-signature", kind=_K.CONFIG_KEY, involves="client.token.hmac_secret_key",
       situation="A client connected with a connection token whose signature the server could not verify.",
       fix="Sign connection tokens with the key in the server's client.token configuration."),
    _C("disconnect.3500.subscription-token-other-channel", kind=_K.CLIENT_ACTION,
       involves="subscription token channel claim",
       situation="A client subscribed with a subscription token minted for another channel (or another "
           "user or client).",
       fix="Mint each subscription token for the channel and user it is used with."),
    _C("disconnect.3500.channel-claim-in-connection-token", kind=_K.CLIENT_ACTION,
       involves="connection token channel claim",
       situation="A client connected with a token that carries a channel claim, which only subscription "
           "tokens may carry: a subscription token was used as a connection token.",
       fix="Connect with a connection token; keep subscription tokens for subscribing."),
    _C("disconnect.3500.invalid-refresh-token", kind=_K.CLIENT_ACTION, involves="refresh command",
       situation="A client refreshed its connection with a token the server could not verify.",
       fix="Refresh with a token signed with the server's key."),
    _C("disconnect.3501.no-credentials", kind=_K.CLIENT_ACTION, involves="connect without a token",
       situation="A client connected with no token while the server has no connect proxy and does not "
           "allow anonymous connections. This is the usual 3501.",
       fix="Give the client a connection token (or a token source), or configure a connect proxy."),
    _C("disconnect.3501.not-json", kind=_K.CLIENT_ACTION, involves="a frame that is not JSON",
       situation="A client sent a frame the server could not decode, such as text that is not JSON, or "
           "Protobuf to a JSON connection.",
       fix="Use an SDK, or fix the hand-written client's encoding."),
    _C("disconnect.3501.command-before-connect", kind=_K.CLIENT_ACTION, involves="a command before connect",
       situation="A client sent a command other than connect as its first command.",
       fix="Send connect first and wait for its reply."),
    _C("disconnect.3501.second-connect", kind=_K.CLIENT_ACTION, involves="a second connect command",
       situation="A client sent connect again on a connection that was already connected.",
       fix="Connect once per connection."),
    _C("disconnect.3501.unknown-command", kind=_K.CLIENT_ACTION, involves="a command the server does not know",
       situation="A client sent a command that names no method the server knows (often a client newer or "
           "older than the server).",
       fix="Use an SDK version that matches the server's protocol."),
    _C("disconnect.3501.connect-subs-unknown-namespace", kind=_K.CONFIG_KEY, involves="channel.namespaces",
       situation="A client's connect command asked for a server-side subscription (its subs field) to a "
           "channel in a namespace that is not configured.",
       fix="Add the namespace to channel.namespaces, or fix the channels the client asks for."),
    _C("disconnect.3502.never-connects", kind=_K.CONFIG_KEY, involves="client.stale_close_delay",
       situation="A client opened a connection but sent no connect command within client.stale_close_delay.",
       fix="Send connect right after the connection opens; raise client.stale_close_delay for slow "
           "token sources."),
    _C("disconnect.3502.open-after-connect-error", kind=_K.CLIENT_ACTION, involves="a socket kept after a connect error",
       situation="A client kept its connection open after the server answered its connect with an error; "
           "the server closes it after client.stale_close_delay.",
       fix="Close the connection after a connect error and open a new one to try again."),
    _C("disconnect.3503.api-disconnect", kind=_K.API_METHOD, involves="disconnect",
       situation="An application called the server API disconnect method for the user without a "
           "disconnect of its own, so the server used 3503.",
       fix=None),
    _C("disconnect.3504.user-connection-limit", kind=_K.CONFIG_KEY, involves="client.user_connection_limit",
       situation="A user opened more connections than client.user_connection_limit allows. The node-wide "
           "client.connection_limit refuses the WebSocket upgrade with HTTP 503 instead, with no code.",
       fix="Raise client.user_connection_limit, or close the user's other connections (other tabs)."),
    _C("disconnect.3505.subs-claim-over-channel-limit", kind=_K.CONFIG_KEY, involves="client.channel_limit",
       situation="A connection token's subs claim (or the server API subscribe method) asked for more "
           "channels than client.channel_limit allows.",
       fix="Raise client.channel_limit, or put fewer channels in the token."),
    _C("disconnect.3506.binary-publication", kind=_K.API_METHOD, involves="publish",
       situation="Binary data (b64data) was published to a channel that a JSON connection is subscribed to; "
           "JSON cannot carry it.",
       fix="Publish JSON to channels that JSON clients read, or have those clients use Protobuf."),
    _C("disconnect.3507.anonymous-token", kind=_K.CONFIG_KEY, involves="client.disallow_anonymous_connection_tokens",
       situation="A client connected with a token whose sub claim is empty while "
           "client.disallow_anonymous_connection_tokens is on.",
       fix="Put the user's id in the token's sub claim."),
    _C("disconnect.3508.send-without-handler", kind=_K.CLIENT_ACTION, involves="send()",
       situation="A client sent an asynchronous message (send()), which Centrifugo has no handler for.",
       fix="Use an RPC, or publish, instead of send()."),
    _C("disconnect.3509.api", kind=_K.API_METHOD, involves="disconnect", sender=_S.SERVER_API,
       situation="An application called the server API disconnect method with code 3509. No feature of the "
           "server sends it by itself.",
       fix=None),
    _C("disconnect.3509.proxy", kind=_K.PROXY_ANSWER, involves='{"disconnect": {"code": 3509}}', sender=_S.PROXY,
       situation="A proxy backend answered with a disconnect carrying 3509.",
       fix=None),
    # --- ApiErrorCode ---------------------------------------------------------------------
    _C("api.100.history-reverse-with-since", kind=_K.API_METHOD, involves="history",
       situation="A history call asked for reverse order together with a since position, which the server "
           "cannot combine; it reports the failure as an internal error.",
       fix="Do not combine reverse with since."),
    _C("api.102.unknown-namespace", kind=_K.CONFIG_KEY, involves="channel.namespaces",
       situation="An API call named a channel whose namespace is not configured.",
       fix="Add the namespace to channel.namespaces, or fix the channel name."),
    _C("api.104.rpc-unknown-method", kind=_K.API_METHOD, involves="rpc",
       situation="The API rpc method was called with a method the server does not have (Centrifugo's open "
           "source edition has none), or a batch held an empty command.",
       fix="Call a method the server offers."),
    _C("api.107.empty-channel", kind=_K.API_METHOD, involves="publish",
       situation="An API call was missing a required field or had a bad one, such as an empty channel.",
       fix="Send the fields the method requires."),
    _C("api.108.history-disabled", kind=_K.CONFIG_KEY, involves="history_size",
       situation="A history call named a channel whose namespace keeps no history.",
       fix="Set history_size and history_ttl on the namespace."),
    _C("api.108.presence-disabled", kind=_K.CONFIG_KEY, involves="presence",
       situation="A presence call named a channel whose namespace has presence off.",
       fix="Set presence on the namespace."),
    _C("api.112.history-bad-epoch", kind=_K.API_METHOD, involves="history",
       situation="A history call asked for publications since a position whose epoch is not the stream's.",
       fix="Read the stream's current position and start from there."),
    _C("api.113.never-sent", kind=_K.SERVER_EVENT, involves="no sender", sender=_S.NOBODY,
       untriggerable=_U.NEVER_SENT,
       situation=f"{CAUSES_MEASURED_ON} defines the conflict error but no API method returns it.",
       fix=None),
    # --- Client-side codes ------------------------------------------------------------------
    _C("connecting.0.connect-called", kind=_K.CLIENT_ACTION, involves="connect()", sender=_S.SDK,
       situation="The application called connect().",
       fix=None),
    _C("connecting.1.transport-lost", kind=_K.SERVER_EVENT, involves="a close without a Centrifugo code",
       sender=_S.SDK,
       situation="The transport closed without a Centrifugo code: the network dropped, the server process "
           "died, or a close frame carried a transport code (below 3000) or none, as when a disconnect "
           "reason is too long for a close frame.",
       fix="Nothing, if it is rare: the SDK reconnects with backoff."),
    _C("connecting.2.server-pings-stopped", kind=_K.SERVER_EVENT, involves="server pings (client.ping_interval)",
       sender=_S.SDK,
       situation="No ping came from the server within its ping interval plus the SDK's allowance (for "
           "centrifuge-python, max_server_ping_delay): the server stalled, or the network held frames back.",
       fix="Look at the network between client and server, and at the server's load."),
    _C("connecting.3.subscribe-reply-late", kind=_K.SERVER_EVENT, involves="the SDK's request timeout",
       sender=_S.SDK,
       situation="A subscribe got no reply within the SDK's timeout (a slow subscribe proxy or a stalled "
           "server). The SDK reconnects, because the server may have subscribed it anyway.",
       fix="Make the subscribe proxy answer well within the SDK's timeout, or raise that timeout."),
    _C("disconnected.0.disconnect-called", kind=_K.CLIENT_ACTION, involves="disconnect()", sender=_S.SDK,
       situation="The application called disconnect().",
       fix=None),
    _C("disconnected.1.token-source-unauthorized", kind=_K.CLIENT_ACTION,
       involves="the token source raises UnauthorizedError", sender=_S.SDK,
       situation="The application's connection token source said that the user may not connect (it raised "
           "the SDK's UnauthorizedError).",
       fix=None),
    _C("disconnected.1.expired-token-without-source", kind=_K.CLIENT_ACTION,
       involves="a fixed token and no token source", sender=_S.SDK,
       situation="The server answered connect with 109 (token expired), and the client had a fixed token but "
           "no token source to get a new one from.",
       fix="Give the client a token source (getToken, get_token) instead of a fixed token."),
    _C("subscribing.0.subscribe-called", kind=_K.CLIENT_ACTION, involves="subscribe()", sender=_S.SDK,
       situation="The application called subscribe() on the subscription.",
       fix=None),
    _C("subscribing.1.transport-lost", kind=_K.SERVER_EVENT, involves="the client left connected",
       sender=_S.SDK,
       situation="The client lost its connection (for any reason that lets it reconnect); its "
           "subscriptions wait and subscribe again once it is connected.",
       fix=None),
    _C("unsubscribed.0.unsubscribe-called", kind=_K.CLIENT_ACTION, involves="unsubscribe()", sender=_S.SDK,
       situation="The application called unsubscribe() on the subscription.",
       fix=None),
    _C("unsubscribed.1.token-source-unauthorized", kind=_K.CLIENT_ACTION,
       involves="the subscription token source raises UnauthorizedError", sender=_S.SDK,
       situation="The application's subscription token source said that the user may not subscribe to the "
           "channel (it raised the SDK's UnauthorizedError).",
       fix=None),
)
# fmt: on

_BY_ID: Final = {cause.id: cause for cause in CAUSES}


def _by_code(causes: tuple[Cause, ...]) -> dict[tuple[str, int], tuple[Cause, ...]]:
    grouped: dict[tuple[str, int], tuple[Cause, ...]] = {}
    for cause in causes:
        key = (cause.family, cause.code)
        grouped[key] = (*grouped.get(key, ()), cause)
    return grouped


_BY_CODE: Final = _by_code(CAUSES)


def _cause_by_id(cause_id: str) -> Cause:
    """The cause named ``cause_id`` (pickles of causes come back through here)."""
    try:
        return _BY_ID[cause_id]
    except KeyError:
        raise KeyError(f"no cause has the id {show(cause_id)}") from None


def causes_of(member: CodeEnum) -> tuple[Cause, ...]:
    """The causes of a code family's member, most common first (empty when none is known)."""
    return _BY_CODE.get((type(member).__name__, member.code), ())


def senders(member: CodeEnum) -> frozenset[Sender]:
    """Who sends ``member`` in any of its causes."""
    return frozenset(cause.sender for cause in causes_of(member))


def no_builtin_sender(member: CodeEnum) -> str | None:
    """Why the server's own features never send ``member``, or None when they do.

    Client-side codes are reported by SDKs, never sent by the server: they get None
    too, since the question does not arise for them.
    """
    found = senders(member)
    if not found or Sender.SERVER in found or Sender.SDK in found:
        return None
    if found == frozenset((Sender.NOBODY,)):
        return "Never sent: no frame carries it."
    who = " or ".join(_WHO[sender] for sender in _ORDER if sender in found)
    return f"No feature of {CAUSES_MEASURED_ON} sends it by itself: only {who}."


_ORDER: Final = (Sender.PROXY, Sender.SERVER_API, Sender.LIBRARY)
_WHO: Final = {
    Sender.PROXY: "a proxy backend's answer",
    Sender.SERVER_API: "a server API call that names the code",
    Sender.LIBRARY: "a server built on the centrifuge library",
}


def _one_line(cause: Cause) -> str:
    return f"{cause.situation} [{cause.kind}: {cause.involves}]"


def sent_when(member: CodeEnum) -> tuple[str, ...]:
    """Lines that explain when ``member`` is sent, headed "sent when".

    The first line is the heading, naming the server version measured. A member that
    no server feature sends then has a line that says so. Each cause gives one line
    (``- `` and its situation, then what is involved in brackets), followed by a
    ``  fix:`` line when something fixes it and a ``  not provable live:`` line when no
    live test can produce it. Empty when no cause is known. The caller indents (and,
    if it likes, wraps) the lines.
    """
    causes = causes_of(member)
    if not causes:
        return ()
    lines = [f"sent when (measured on {CAUSES_MEASURED_ON}):"]
    note = no_builtin_sender(member)
    if note is not None:
        lines.append(note)
    for cause in causes:
        lines.append(f"- {_one_line(cause)}")
        if cause.fix is not None:
            lines.append(f"  fix: {cause.fix}")
        if cause.untriggerable is not None:
            lines.append(f"  not provable live: {cause.untriggerable.text}")
    return tuple(lines)


def most_often(member: CodeEnum) -> Cause | None:
    """The cause to suspect first for ``member`` (its most common), or None when none is known."""
    causes = causes_of(member)
    return causes[0] if causes else None


def record(cause: Cause) -> dict[str, str | None]:
    """``cause`` as a JSON object (what ``--json`` prints for it)."""
    return {
        "id": cause.id,
        "situation": cause.situation,
        "kind": cause.kind.value,
        "involves": cause.involves,
        "fix": cause.fix,
        "sender": cause.sender.value,
        "untriggerable": None if cause.untriggerable is None else cause.untriggerable.value,
    }


def records(member: CodeEnum) -> list[dict[str, str | None]]:
    """The causes of ``member`` as JSON objects, most common first."""
    return [record(cause) for cause in causes_of(member)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(families: Iterable[type[CodeEnum]] | None = None) -> str:
    """Every cause as Markdown: one section per family, one table row per cause."""
    if families is None:
        families = _families()
    out = [
        f"Measured on {CAUSES_MEASURED_ON}. Causes are listed most common first; each id is proven by a live "
        "test, except where the last column says why none can be.",
        "",
    ]
    for family in families:
        out += [f"### `{family.__name__}`", ""]
        out += [
            "| Code | Cause | Situation | Involves | Fix | Not provable live |",
            "|---|---|---|---|---|---|",
        ]
        for member in family:
            note = no_builtin_sender(member)
            for cause in causes_of(member):
                # Who sends a code that no feature sends stands once, before its first cause.
                situation = cause.situation if note is None else f"{note} {cause.situation}"
                note = None
                out.append(
                    f"| {member.code} `{member.name}` | `{cause.id}` | {_cell(situation)} | "
                    f"{cause.kind}: `{_cell(cause.involves)}` | {_cell(cause.fix or 'nothing to fix')} | "
                    f"{_cell(cause.untriggerable.text) if cause.untriggerable else ''} |"
                )
        out.append("")
    return "\n".join(out)


def _families() -> list[type[CodeEnum]]:
    from ._api_codes import ApiErrorCode
    from ._client_codes import ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode
    from ._codes import DisconnectCode, ErrorCode, UnsubscribeCode

    return [
        ErrorCode,
        UnsubscribeCode,
        DisconnectCode,
        ApiErrorCode,
        ConnectingCode,
        DisconnectedCode,
        SubscribingCode,
        UnsubscribedCode,
    ]


for _public in (Cause, CauseKind, Sender, Untriggerable):
    _public.__module__ = "centrifugo_protocol"

"""The code families a Centrifugo server sends its clients, and what every family shares.

This module holds the three families of the client protocol, :class:`ErrorCode`,
:class:`UnsubscribeCode` and :class:`DisconnectCode`, with their unknown
counterparts, and the machinery every code family is built from (``row``,
``CodeEnum``, the ``Unknown...`` base, the lookup memo and ``seal``). The server API's
codes (:mod:`centrifugo_protocol._api_codes`) and the client-side codes
(:mod:`centrifugo_protocol._client_codes`) reuse that machinery from modules of their
own, which load only when first used.

Each family is one table that reads like the protocol's own list, one entry a member:
``NAME = row(code, message=... or reason=..., [flags,] description=...)``, the wire
text exactly as the server sends it. Flags that a range rule decides
(``reconnect``, ``resubscribe``) are not in the tables: the members ask the same
function in :mod:`centrifugo_protocol._ranges` that decides for codes nobody has
listed, so the two can never disagree.

``Family.lookup(n)`` turns any wire code into something typed: the member when the
code is known, otherwise an ``Unknown...`` value object that still answers every
question a range rule can answer. The unknown types are deliberately not ``int``
subclasses, so that ``Family | UnknownFamily`` is a closed union a type checker can
check a ``match`` against.
"""

from enum import IntEnum, unique
from typing import TYPE_CHECKING, Any, ClassVar, Final, NoReturn, TypeVar, cast, final

from ._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    CLIENT_SIDE_ERROR_CODES,
    SERVER_ERROR_CODES,
    SERVER_RECONNECT_DISCONNECT_CODES,
    SERVER_TERMINAL_DISCONNECT_CODES,
    TRANSPORT_CLOSE_CODES,
    UNSUBSCRIBE_CODES,
    Frozen,
    check_code,
    disconnect_reconnects,
    unsubscribe_resubscribes,
)

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._causes import Cause

__all__ = [
    "DisconnectCode",
    "ErrorCode",
    "UnknownDisconnectCode",
    "UnknownErrorCode",
    "UnknownUnsubscribeCode",
    "UnsubscribeCode",
]


class Row(int):
    """One line of a code table: the code, carrying the member's data to ``__new__``.

    A row is an ``int`` so that type checkers see every member's value as an int, as it
    is at run time (a tuple value would make them think ``code == Member`` can never
    hold). Each family's ``__new__`` reads the fields it needs; a missing one fails at
    import. ``__new__`` declares its parameter as ``int`` because type checkers read that
    signature for ``Family(104)``; at run time enum only ever hands it the rows of the
    class body, since calling the class looks a value up instead.
    """

    description: str
    message: str
    reason: str
    temporary: bool
    http_status: int
    grpc_status: str


def row(
    code: int,
    *,
    description: str,
    message: str | None = None,
    reason: str | None = None,
    temporary: bool | None = None,
    http_status: int | None = None,
    grpc_status: str | None = None,
) -> Row:
    row = Row(code)
    given = {
        "description": description,
        "message": message,
        "reason": reason,
        "temporary": temporary,
        "http_status": http_status,
        "grpc_status": grpc_status,
    }
    row.__dict__.update((name, value) for name, value in given.items() if value is not None)
    return row


class CodeEnum(IntEnum):
    """What every code family shares: the number is the value, shown as a number.

    ``str()``, ``format()`` and ``repr()`` are spelled out here because Python 3.10's
    ``IntEnum`` prints ``str()`` as ``Family.NAME``, unlike 3.11 and later.
    """

    _value_: int
    _description: str

    @property
    def code(self) -> int:
        """The numeric code as a plain ``int``."""
        return self._value_

    @property
    def description(self) -> str:
        """What the code means and what a client does about it, in plain words."""
        return self._description

    def __str__(self) -> str:
        return str(self._value_)

    def __format__(self, format_spec: str) -> str:
        return format(self._value_, format_spec)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_}>"


def _refuse_setattr(member: CodeEnum, name: str, value: object) -> NoReturn:
    raise AttributeError(f"{type(member).__name__} members are immutable; cannot set {name!r}")


def _refuse_delattr(member: CodeEnum, name: str) -> NoReturn:
    raise AttributeError(f"{type(member).__name__} members are immutable; cannot delete {name!r}")


def seal(*families: type[CodeEnum]) -> None:
    """Make the members of ``families`` immutable and name the package as their home.

    Members are shared answers, so nothing may change them once their class is
    complete. The guards are installed only then: enum sets several attributes on
    each member while it builds the class, and a guard in the class body would be
    called for every one of them. The families are defined in private modules but
    are public under ``centrifugo_protocol``; ``help()`` and pickles name that
    module, where they stay.
    """
    for family in families:
        family.__module__ = "centrifugo_protocol"
        type.__setattr__(family, "__setattr__", _refuse_setattr)
        type.__setattr__(family, "__delattr__", _refuse_delattr)


class ReasonCodeEnum(CodeEnum):
    """A code family whose members carry a reason text (disconnects, unsubscribes, and
    the client-side state codes)."""

    _reason: str

    def __new__(cls, value: int) -> "Self":
        row = cast("Row", value)  # enum passes only class-body rows here; see Row
        member = int.__new__(cls, row)
        member._value_ = int(row)
        member._reason = row.reason
        member._description = row.description
        return member

    @property
    def reason(self) -> str:
        """The reason text the server library defines for this code, as it is sent.

        Empty where it defines none (2502): the wire's reason is then whatever the
        sender chose.
        """
        return self._reason


class _Unknown(Frozen):
    """Shared machinery of the ``Unknown...`` value objects.

    Immutable, hashable, equal when the family and the code are equal, picklable, and
    never equal to an ``int``: they are answers about a code, not codes themselves.
    """

    __slots__ = ("_code",)
    __match_args__ = ("code",)
    _family: ClassVar[type[CodeEnum]]
    _code: int

    def __init__(self, code: int) -> None:
        where = f"{type(self).__name__}()"
        value = check_code(code, where)
        family = self._family
        if value in family._value2member_map_:
            known = family(value)
            raise ValueError(
                f"{where} got {value}, which is the known code {known!r}; "
                f"use {family.__name__}.lookup({value}) to get a member or an unknown code"
            )
        self._freeze(_code=value)

    @property
    def code(self) -> int:
        """The numeric code as a plain ``int``."""
        return self._code

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._code == other._code
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._code))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._code})"

    def __reduce__(self) -> "tuple[type[Self], tuple[int]]":
        return (type(self), (self._code,))


# Memos of the answers ``lookup`` gave, one module global per family: every member,
# plus at most _MEMO_LIMIT unknown codes. Unknown codes come from untrusted peers, so a
# memo that would grow past that bound is replaced by a fresh one that holds only the
# members. A memo is never emptied in place: a thread that is reading the old one
# still finds every member there, so no thread can ever see a known code go missing.
_MEMO_LIMIT: Final = 1024

_MemberT = TypeVar("_MemberT", bound=CodeEnum)
_UnknownT = TypeVar("_UnknownT", bound=_Unknown)


def _lookup_slow(
    namespace: dict[str, Any], memo_name: str, family: type[_MemberT], unknown: type[_UnknownT], code: object
) -> _MemberT | _UnknownT:
    """What ``lookup`` does on a memo miss: check the code, then memoize the answer.

    The memo is ``namespace[memo_name]``: a global of the module that defines the
    family, whose ``globals()`` the caller passes, so that a memo replaced here is the
    one that module's fast path reads next.
    """
    value = check_code(code, f"{family.__name__}.lookup()")
    memo: dict[int, _MemberT | _UnknownT] = namespace[memo_name]
    found = memo.get(value)
    if found is not None:
        return found
    member = family._value2member_map_.get(value)
    if member is not None:  # an int subclass of a known code: never memoized by its own key
        return cast("_MemberT", member)
    found = unknown(value)
    if len(memo) >= len(family) + _MEMO_LIMIT:
        memo = {member.value: member for member in family}
        namespace[memo_name] = memo
    memo[value] = found
    return found


def _reset_memos() -> None:
    """Forget every unknown code the lookups have memoized (tests start from here)."""
    namespace = globals()
    for name, family in _MEMO_FAMILIES.items():
        namespace[name] = {member.value: member for member in family}


@unique
class ErrorCode(CodeEnum):
    """Error codes in the server's replies to client commands (100-113).

    Each member's ``message`` and ``temporary`` are the server's defaults. A proxy may
    reuse a code with its own message, so in a reply the wire's message and
    ``temporary`` flag win over these.
    """

    _message: str
    _temporary: bool

    def __new__(cls, value: int) -> "Self":
        row = cast("Row", value)  # enum passes only class-body rows here; see Row
        member = int.__new__(cls, row)
        member._value_ = int(row)
        member._message = row.message
        member._temporary = row.temporary
        member._description = row.description
        return member

    @property
    def message(self) -> str:
        """The server's default message for this code, exactly as on the wire."""
        return self._message

    @property
    def temporary(self) -> bool:
        """Whether the server marks this error as temporary (worth retrying)."""
        return self._temporary

    @staticmethod
    def lookup(code: int) -> "ErrorCode | UnknownErrorCode":
        """Return the member for ``code``, or an :class:`UnknownErrorCode` for any other code.

        Raises ``TypeError`` if ``code`` is not an ``int`` (``bool`` included) and
        ``ValueError`` if it is outside 0..2**32-1.
        """
        if type(code) is int:  # exactly int: anything else, an int subclass too, is checked first
            try:
                return _ERROR_MEMO[code]
            except KeyError:  # first sight of this code: the slow path checks and memoizes it
                pass
        return _lookup_slow(globals(), "_ERROR_MEMO", ErrorCode, UnknownErrorCode, code)

    # fmt: off
    INTERNAL = row(
        100, message="internal server error", temporary=True,
        description="Something failed inside the server while it handled the command; the client is not "
            "at fault. Temporary: the client retries after a backoff.",
    )
    UNAUTHORIZED = row(
        101, message="unauthorized", temporary=False,
        description="The server did not accept the client's credentials for this command, for example a "
            "connect without a usable token. Not temporary: a connect that gets it stops.",
    )
    UNKNOWN_CHANNEL = row(
        102, message="unknown channel", temporary=False,
        description="The channel belongs to a namespace the server has not configured. Retrying cannot "
            "help until the server's configuration changes.",
    )
    PERMISSION_DENIED = row(
        103, message="permission denied", temporary=False,
        description="The client may not do this with this channel or resource. The command fails for good.",
    )
    METHOD_NOT_FOUND = row(
        104, message="method not found", temporary=False,
        description="The server does not know the command or RPC method the client asked for: usually a "
            "version mismatch or a misspelt RPC method name.",
    )
    ALREADY_SUBSCRIBED = row(
        105, message="already subscribed", temporary=False,
        description="The client already holds a subscription to this channel (a client gets one per "
            "channel, server-side subscriptions included). It usually means the SDK is misused.",
    )
    LIMIT_EXCEEDED = row(
        106, message="limit exceeded", temporary=False,
        description="A server-side limit was reached; the server's log names it. Rate limiting uses 111 "
            "instead.",
    )
    BAD_REQUEST = row(
        107, message="bad request", temporary=False,
        description="The server could not use the command because its data was malformed. The same "
            "request will fail the same way.",
    )
    NOT_AVAILABLE = row(
        108, message="not available", temporary=False,
        description="The feature asked for is not enabled here, such as history or presence in a "
            "namespace configured without them.",
    )
    TOKEN_EXPIRED = row(
        109, message="token expired", temporary=False,
        description="The connection or subscription token has expired. SDKs fetch a fresh token and "
            "try again at once.",
    )
    EXPIRED = row(
        110, message="expired", temporary=False,
        description="The connection's allowed lifetime is over, with no token to renew it. Not temporary.",
    )
    TOO_MANY_REQUESTS = row(
        111, message="too many requests", temporary=True,
        description="The server's rate limits refused the command. Temporary: the client retries after a "
            "backoff.",
    )
    UNRECOVERABLE_POSITION = row(
        112, message="unrecoverable position", temporary=False,
        description="The stream no longer holds what is needed to continue from the requested position "
            "(history trimmed, or the epoch changed). A subscription can go on only if the "
            "application rebuilds the channel's state from scratch.",
    )
    CONCURRENT_PAGINATION = row(
        113, message="concurrent pagination", temporary=True,
        description="Another paginated read of the same stream was in progress. Temporary: the client "
            "retries after a backoff.",
    )
    # fmt: on

    @property
    def causes(self) -> "tuple[Cause, ...]":
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class UnsubscribeCode(ReasonCodeEnum):
    """Codes of the server's unsubscribe pushes (2000-2999).

    ``resubscribe`` is not stored per member: it is the protocol's rule (code >= 2500),
    the same one that decides for unknown codes.
    """

    @property
    def resubscribe(self) -> bool:
        """Whether the client subscribes again after this code (code >= 2500)."""
        return unsubscribe_resubscribes(self._value_)

    @staticmethod
    def lookup(code: int) -> "UnsubscribeCode | UnknownUnsubscribeCode":
        """Return the member for ``code``, or an :class:`UnknownUnsubscribeCode` for any other code.

        Raises ``TypeError`` if ``code`` is not an ``int`` (``bool`` included) and
        ``ValueError`` if it is outside 0..2**32-1.
        """
        if type(code) is int:  # exactly int: anything else, an int subclass too, is checked first
            try:
                return _UNSUBSCRIBE_MEMO[code]
            except KeyError:  # first sight of this code: the slow path checks and memoizes it
                pass
        return _lookup_slow(globals(), "_UNSUBSCRIBE_MEMO", UnsubscribeCode, UnknownUnsubscribeCode, code)

    # fmt: off
    SERVER = row(
        2000, reason="server unsubscribe",
        description="The server ended the subscription on purpose, typically through its server API "
            "unsubscribe call. The subscription becomes unsubscribed and is not retried.",
    )
    INSUFFICIENT = row(
        2500, reason="insufficient state",
        description="The server found publications missing or out of order in the channel's stream "
            "(lost between broker and server). The client subscribes again and recovers from "
            "its last position; a rising rate of these points at broker trouble.",
    )
    EXPIRED = row(
        2501, reason="subscription expired",
        description="The subscription's lifetime ran out because its token was not refreshed in time. "
            "The client subscribes again, with a fresh subscription token if it uses tokens.",
    )
    STATE_INVALIDATED = row(
        2502, reason="",
        description="Something the subscription depended on changed on the server, so the state "
            "the client holds for it is no longer valid. The server defines no reason text for "
            "this code; the only server feature that sends it today says \"server tags filter "
            "changed\". The client forgets the subscription token and its stream position, then "
            "subscribes again from scratch.",
    )
    # fmt: on

    @property
    def causes(self) -> "tuple[Cause, ...]":
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@unique
class DisconnectCode(ReasonCodeEnum):
    """Codes of the server's disconnects (3000-3999), sent as a push or a close frame.

    ``reconnect`` is not stored per member: it is the protocol's range rule, the same
    one that decides for unknown codes and for applications' custom codes.
    """

    @property
    def reconnect(self) -> bool:
        """Whether the client reconnects after this code (False: it stops for good)."""
        return disconnect_reconnects(self._value_)

    @staticmethod
    def lookup(code: int) -> "DisconnectCode | UnknownDisconnectCode":
        """Return the member for ``code``, or an :class:`UnknownDisconnectCode` for any other code.

        Raises ``TypeError`` if ``code`` is not an ``int`` (``bool`` included) and
        ``ValueError`` if it is outside 0..2**32-1.
        """
        if type(code) is int:  # exactly int: anything else, an int subclass too, is checked first
            try:
                return _DISCONNECT_MEMO[code]
            except KeyError:  # first sight of this code: the slow path checks and memoizes it
                pass
        return _lookup_slow(globals(), "_DISCONNECT_MEMO", DisconnectCode, UnknownDisconnectCode, code)

    # fmt: off
    CONNECTION_CLOSED = row(
        3000, reason="connection closed",
        description="The connection closed with no word from the server: a clean close or a lost "
            "network, the server cannot tell which. Servers never send it; it labels such "
            "closes. The client reconnects.",
    )
    SHUTDOWN = row(
        3001, reason="shutdown",
        description="The server node is shutting down. The client reconnects, usually reaching another "
            "node.",
    )
    SERVER_ERROR = row(
        3004, reason="internal server error",
        description="An internal error on the server ended the connection. The client reconnects.",
    )
    EXPIRED = row(
        3005, reason="connection expired",
        description="The connection's lifetime ended without a refresh. The client reconnects; if its "
            "token is outdated, the connect gets error 109 and the SDK fetches a new token.",
    )
    SUB_EXPIRED = row(
        3006, reason="subscription expired",
        description="One of the connection's server-side subscriptions expired. The client reconnects.",
    )
    SLOW = row(
        3008, reason="slow",
        description="The client read too slowly and its queue on the server overflowed. The client "
            "reconnects; if it happens often, the client cannot keep up with its channels.",
    )
    WRITE_ERROR = row(
        3009, reason="write error",
        description="The server failed to write to the connection. The client reconnects.",
    )
    INSUFFICIENT_STATE = row(
        3010, reason="insufficient state",
        description="The server saw a wrong stream position in one of the client's channels "
            "(publications lost between broker and server). The client reconnects and "
            "recovers what it missed; a rising rate of these points at broker trouble.",
    )
    FORCE_RECONNECT = row(
        3011, reason="force reconnect",
        description="The server closed the connection and asked the client to come back. The client "
            "reconnects.",
    )
    NO_PONG = row(
        3012, reason="no pong",
        description="The client did not answer the server's ping within the configured time. The client "
            "reconnects.",
    )
    TOO_MANY_REQUESTS = row(
        3013, reason="too many requests",
        description="The client sent commands faster than the server allows. The client reconnects "
            "after a backoff.",
    )
    STATE_INVALIDATED = row(
        3014, reason="state invalidated",
        description="Something the connection depended on changed on the server. The client forgets "
            "its connection token and every subscription's stream position, fetches a new "
            "token and reconnects.",
    )
    INVALID_TOKEN = row(
        3500, reason="invalid token",
        description="The server rejected the connection token (bad signature, malformed, wrong "
            "audience or issuer). The client stops: the same token would fail again.",
    )
    BAD_REQUEST = row(
        3501, reason="bad request",
        description="The client sent frames the server could not parse, usually an SDK bug or a "
            "protocol mismatch. The client stops.",
    )
    STALE = row(
        3502, reason="stale",
        description="The connection was opened but sent no connect command within the time the server "
            "allows. The client stops.",
    )
    FORCE_NO_RECONNECT = row(
        3503, reason="force disconnect",
        description="The server disconnected the client and told it not to come back, for example "
            "through a server API disconnect call. The client stops.",
    )
    CONNECTION_LIMIT = row(
        3504, reason="connection limit",
        description="A configured limit on connections (per user or another rule) was exceeded. The "
            "client stops.",
    )
    CHANNEL_LIMIT = row(
        3505, reason="channel limit",
        description="The connection went past the configured number of channels. The client stops.",
    )
    INAPPROPRIATE_PROTOCOL = row(
        3506, reason="inappropriate protocol",
        description="The connection's format cannot carry what was sent to it, typically binary data "
            "for a JSON client: a programming error. The client stops.",
    )
    PERMISSION_DENIED = row(
        3507, reason="permission denied",
        description="The client lacks the permissions to use the server. The client stops.",
    )
    NOT_AVAILABLE = row(
        3508, reason="not available",
        description="The client used something the server does not offer where an error reply does not "
            "fit, such as an asynchronous message with no handler on the server. The client "
            "stops.",
    )
    TOO_MANY_ERRORS = row(
        3509, reason="too many errors",
        description="The client caused too many errors and the server gave up on it. The client stops.",
    )
    # fmt: on

    @property
    def causes(self) -> "tuple[Cause, ...]":
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


def _consequence(reconnects: bool) -> str:
    return "the client reconnects" if reconnects else "the client stops (disconnected) and does not reconnect"


@final
class UnknownErrorCode(_Unknown):
    """A reply error code that :class:`ErrorCode` does not list.

    Proxies may send their own codes (400-1999) and newer servers may add codes; SDKs
    use 0-99 for errors found on the client side. The wire's ``temporary`` flag is the
    only guide to retrying such an error.
    """

    __slots__ = ()
    _family = ErrorCode

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a client."""
        code = self._code
        if code in CLIENT_SIDE_ERROR_CODES:
            return (
                "A client-side error code (0-99): an SDK reports it for a problem found on the client, "
                "not the server. A client retries errors in this range."
            )
        if code in SERVER_ERROR_CODES:
            return (
                "An unassigned code in the range reserved for the server (100-399), perhaps from a newer "
                "server. The wire's temporary flag tells whether retrying can help."
            )
        if code in APP_ERROR_CODES:
            return (
                "A custom error from the application, sent through a Centrifugo proxy (400-1999). "
                "The wire's temporary flag tells whether retrying can help."
            )
        return "A number outside every reply error range (0-1999); no Centrifugo component assigns it."


@final
class UnknownUnsubscribeCode(_Unknown):
    """An unsubscribe code that :class:`UnsubscribeCode` does not list.

    ``resubscribe`` follows the protocol's rule for every code: from 2500 up the
    subscription goes back to subscribing, below it the subscription ends.
    """

    __slots__ = ()
    _family = UnsubscribeCode

    @property
    def resubscribe(self) -> bool:
        """Whether the client subscribes again (code >= 2500)."""
        return unsubscribe_resubscribes(self._code)

    @property
    def description(self) -> str:
        """Which range the code falls in, and what that means for a client."""
        code = self._code
        band = (
            "An unassigned unsubscribe code (2000-2999)"
            if code in UNSUBSCRIBE_CODES
            else "A number outside the unsubscribe range 2000-2999, which the server does not send"
        )
        outcome = (
            "by the rule for codes from 2500 up, the client subscribes again"
            if self.resubscribe
            else "by the rule for codes below 2500, the subscription ends (unsubscribed)"
        )
        return f"{band}; {outcome}."


# Numbers that protocol v1 (before 2022) used and v2 left unassigned. Later reuses of
# retired numbers (3012, 3013) are members; these three only explain old logs.
_RETIRED_V1_DISCONNECTS: Final = {3002: "invalid token", 3003: "bad request", 3007: "stale"}


@final
class UnknownDisconnectCode(_Unknown):
    """A disconnect code that :class:`DisconnectCode` does not list.

    ``reconnect`` follows the protocol's rule for every code: terminal in 3500-3999 and
    4500-4999, reconnect everywhere else (4000-4499 and 5000 up included).
    """

    __slots__ = ()
    _family = DisconnectCode

    @property
    def reconnect(self) -> bool:
        """Whether the client reconnects after this code."""
        return disconnect_reconnects(self._code)

    @property
    def description(self) -> str:
        """Which band the code falls in, and what that means for a client."""
        code = self._code
        if code in TRANSPORT_CLOSE_CODES:
            band = "A transport close code (below 3000), not a Centrifugo disconnect code"
        elif code in SERVER_RECONNECT_DISCONNECT_CODES or code in SERVER_TERMINAL_DISCONNECT_CODES:
            band = "An unassigned code in the server's band (3000-3999), perhaps from a newer server"
            retired = _RETIRED_V1_DISCONNECTS.get(code)
            if retired is not None:
                band += f" (protocol v1 used it for {retired!r})"
        elif code in APP_RECONNECT_DISCONNECT_CODES:
            band = "A custom disconnect from the application, in its reconnect band (4000-4499)"
        elif code in APP_TERMINAL_DISCONNECT_CODES:
            band = "A custom disconnect from the application, in its terminal band (4500-4999)"
        else:
            band = "A code from 5000 up, outside every assigned band"
        return f"{band}; {_consequence(self.reconnect)}."


_ERROR_MEMO: dict[int, ErrorCode | UnknownErrorCode] = {}
_UNSUBSCRIBE_MEMO: dict[int, UnsubscribeCode | UnknownUnsubscribeCode] = {}
_DISCONNECT_MEMO: dict[int, DisconnectCode | UnknownDisconnectCode] = {}
_MEMO_FAMILIES: Final[dict[str, type[CodeEnum]]] = {
    "_ERROR_MEMO": ErrorCode,
    "_UNSUBSCRIBE_MEMO": UnsubscribeCode,
    "_DISCONNECT_MEMO": DisconnectCode,
}
_reset_memos()
seal(ErrorCode, UnsubscribeCode, DisconnectCode)
for _public in (UnknownErrorCode, UnknownUnsubscribeCode, UnknownDisconnectCode):
    _public.__module__ = "centrifugo_protocol"

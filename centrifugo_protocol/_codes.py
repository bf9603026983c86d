"""The code families a Centrifugo server sends its clients, and what every family shares.

This module holds the three families of the client protocol, :class:`ErrorCode`,
:class:`UnsubscribeCode` and :class:`DisconnectCode`, with their unknown
counterparts, and the machinery every code family is built from (``row``,
``CodeEnum``, the ``Unknown...`` base, and ``unknown_of``, which joins a family to its
unknown type and gives it its ``lookup``). The server API's
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

from __future__ import annotations

from enum import IntEnum, unique
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Final, NoReturn, TypeVar, cast, final

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
    WS_MESSAGE_TOO_BIG,
    Frozen,
    Memo,
    check_code,
    disconnect_reconnects,
    type_name,
    unsubscribe_resubscribes,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

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
    hold). :meth:`CodeEnum.__new__`, the one constructor of every family, copies each
    field the family has a property for onto the member as ``_field``, where that
    property reads it; a row that lacks one fails at import. ``__new__`` declares its parameter as ``int`` because type checkers read
    that signature for ``Family(104)``; at run time enum only ever hands it the rows of
    the class body, since calling the class looks a value up instead.
    """

    description: str
    message: str
    reason: str
    temporary: bool
    http_status: int
    grpc_status: str


_ROW_FIELDS: Final = tuple(Row.__annotations__)
_FAMILY_FIELDS: Final[dict[type, list[str]]] = {}


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

    def __new__(cls, value: int) -> Self:
        row = cast("Row", value)  # enum passes only class-body rows here; see Row
        member = int.__new__(cls, row)
        member._value_ = int(row)
        fields = _FAMILY_FIELDS.get(cls)
        if fields is None:  # the fields this family has properties for, found once
            fields = _FAMILY_FIELDS[cls] = [name for name in _ROW_FIELDS if hasattr(cls, name)]
        for name in fields:
            field = cls.__dict__.get(f"_{name}")
            if field is None:
                field = _Field(f"_{name}")
                type.__setattr__(cls, f"_{name}", field)
            field.fill(int(row), getattr(row, name))  # a row without the field fails here, at import
        return member

    @property
    def code(self) -> int:
        """The numeric code as a plain ``int``."""
        return int.__int__(self)  # the int itself, which no attribute can change

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


class _Field:
    """A member field (``_message``, ``_temporary``...), read from its family's table.

    A data descriptor on the family, so it wins over anything written into a member's
    ``__dict__``; the table is keyed by the member's int value and becomes read-only
    when the family is sealed.
    """

    __slots__ = ("_name", "_values")
    _name: str
    _values: Mapping[int, object]

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", {})

    def fill(self, code: int, value: object) -> None:
        cast("dict[int, object]", self._values)[code] = value

    def freeze(self) -> None:
        object.__setattr__(self, "_values", MappingProxyType(self._values))

    def __get__(self, member: object, owner: object = None) -> object:
        if member is None:
            return self
        return self._values[int.__int__(cast("int", member))]

    def __set__(self, member: object, value: object) -> NoReturn:
        raise AttributeError(f"{type_name(member)} members are immutable; cannot set {self._name!r}")

    def __delete__(self, member: object) -> NoReturn:
        raise AttributeError(f"{type_name(member)} members are immutable; cannot delete {self._name!r}")

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a member field is immutable; cannot set {name!r}")


def _refuse_setattr(member: CodeEnum, name: str, value: object) -> NoReturn:
    raise AttributeError(f"{type(member).__name__} members are immutable; cannot set {name!r}")


def _refuse_delattr(member: CodeEnum, name: str) -> NoReturn:
    raise AttributeError(f"{type(member).__name__} members are immutable; cannot delete {name!r}")


# Runs only while the package is imported, before mutmut can switch a mutant on;
# the tests check its effects instead (see docs/verification.md).
def seal(*families: type[CodeEnum]) -> None:  # pragma: no mutate block
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
        for field in family.__dict__.values():
            if type(field) is _Field:
                field.freeze()
        type.__setattr__(family, "__setattr__", _refuse_setattr)
        type.__setattr__(family, "__delattr__", _refuse_delattr)


class ReasonCodeEnum(CodeEnum):
    """A code family whose members carry a reason text (disconnects, unsubscribes, and
    the client-side state codes)."""

    _reason: str

    @property
    def reason(self) -> str:
        """The reason text the server library defines for this code, as it is sent.

        Empty where it defines none (2502): the wire's reason is then whatever the
        sender chose.
        """
        return self._reason


class MessageCodeEnum(CodeEnum):
    """A code family whose members carry the server's message text (reply errors, and
    the server API's errors)."""

    _message: str

    @property
    def message(self) -> str:
        """The server's message for this code, exactly as it sends it (a proxy may send
        its own text with the code)."""
        return self._message


class _Unknown(Frozen):
    """Shared machinery of the ``Unknown...`` value objects.

    Immutable, hashable, equal when the family and the code are equal, picklable, and
    never equal to an ``int``: they are answers about a code, not codes themselves.
    Otherwise they stand in for members: ``str()``, ``format()`` (with format specs),
    ``%d``, ``int()`` and ``operator.index()`` give the number, and ``name`` is ``None``.
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

    @property
    def name(self) -> None:
        """``None``: an unknown code has no member name (a member's ``name`` is a ``str``)."""
        return None

    # Shown and converted as the number, like the members, so that an f-string, a
    # ``%d`` in a log call, ``int()`` and ``operator.index()`` treat both alike. Not an
    # ``int`` subclass all the same: equality with ints and the closed unions stay.
    def __str__(self) -> str:
        return str(self._code)

    def __format__(self, format_spec: str) -> str:
        return format(self._code, format_spec)

    def __int__(self) -> int:
        return self._code

    def __index__(self) -> int:
        return self._code

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._code == other._code
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._code))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._code})"

    def __reduce__(self) -> tuple[type[Self], tuple[int]]:
        return (type(self), (self._code,))


_MemberT = TypeVar("_MemberT", bound=CodeEnum)
_UnknownT = TypeVar("_UnknownT", bound=_Unknown)


# Each family's lookup memo, for tests to look into.
_LOOKUP_MEMOS: Final[dict[type[CodeEnum], Memo[int, object]]] = {}


# Runs only while the package is imported, before mutmut can switch a mutant on;
# the tests check its effects instead (see docs/verification.md).
def unknown_of(family: type[_MemberT]) -> Callable[[type[_UnknownT]], type[_UnknownT]]:  # pragma: no mutate block
    """Join ``family`` and the ``Unknown...`` class below it: the one way every family is made.

    It gives the family its ``lookup()`` and its memo (every member, plus a bounded
    number of the unknown codes seen, see :class:`Memo`), tells the unknown class its
    family, and seals the family. ``lookup`` is a static method, so that reading it
    from the class binds nothing; its fast path is one type check and one dict read.
    """

    def join(unknown: type[_UnknownT]) -> type[_UnknownT]:
        where = f"{family.__name__}.lookup()"
        members = family._value2member_map_

        def answer(code: int) -> _MemberT | _UnknownT:
            value = check_code(code, where)
            member = members.get(value)
            return unknown(value) if member is None else cast("_MemberT", member)

        memo: Memo[int, _MemberT | _UnknownT] = Memo(answer, {member.value: member for member in family})
        _LOOKUP_MEMOS[family] = cast("Memo[int, object]", memo)
        answers, miss = memo.answers, memo.miss

        def lookup(code: int) -> _MemberT | _UnknownT:
            if type(code) is int:  # exactly int: anything else, an int subclass too, is checked first
                try:
                    return answers[code]
                except KeyError:
                    return miss(code)
            return lookup(check_code(code, where))  # an int subclass is memoized by its exact value

        lookup.__qualname__ = f"{family.__name__}.lookup"
        lookup.__module__ = "centrifugo_protocol"
        lookup.__annotations__ = {"code": "int", "return": f"{family.__name__} | {unknown.__name__}"}
        lookup.__doc__ = (
            f"Return the member for ``code``, or an :class:`{unknown.__name__}` for any other code.\n\n"
            "Raises ``TypeError`` if ``code`` is not an ``int`` (``bool`` included) and\n"
            "``ValueError`` if it is outside 0..2**32-1."
        )
        type.__setattr__(family, "lookup", staticmethod(lookup))
        unknown._family = family  # pyright: ignore[reportPrivateUsage]
        unknown.__module__ = "centrifugo_protocol"
        seal(family)
        return unknown

    return join


@unique
class ErrorCode(MessageCodeEnum):
    """Error codes in the server's replies to client commands (100-113).

    Each member's ``message`` and ``default_temporary`` (also spelt ``temporary``) are
    the server's defaults. A proxy may reuse a code with its own message, so in a reply
    the wire's message and ``temporary`` flag win over these: read them, and
    ``retryable``, from :class:`~centrifugo_protocol.wire.ReplyError`.
    """

    _temporary: bool

    @property
    def default_temporary(self) -> bool:
        """Whether the server marks this error temporary by default (worth retrying).

        A default, not what a reply says: a reply carries its own flag, which wins
        (:attr:`wire.ReplyError.temporary <centrifugo_protocol.wire.ReplyError.temporary>`,
        and :attr:`~centrifugo_protocol.wire.ReplyError.retryable` for "retry or not").
        """
        return self._temporary

    @property
    def temporary(self) -> bool:
        """The same as :attr:`default_temporary`, the server's default flag for this code."""
        return self._temporary

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> ErrorCode | UnknownErrorCode:
            """The member for ``code``, or an :class:`UnknownErrorCode` for any other code."""
            ...

    # fmt: off
    INTERNAL = row(
        100, message="internal server error", temporary=True,
        description="Something failed inside the server while it handled the command; the client is not "
            "at fault. Temporary: the client retries after a backoff.",
    )
    UNAUTHORIZED = row(
        101, message="unauthorized", temporary=False,
        description="A proxy backend refused the client's credentials for this command. Centrifugo "
            "itself never sends it: a connect without usable credentials gets disconnect 3501, 3500 "
            "or error 109 instead. Not temporary: a connect that gets it stops.",
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
        description="The RPC method's namespace is not configured, while an RPC proxy exists for others: "
            "usually a misspelt method name. (An unknown command ends the connection with 3501; an "
            "RPC with no RPC proxy at all gets 108.)",
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
    def causes(self) -> tuple[Cause, ...]:
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

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> UnsubscribeCode | UnknownUnsubscribeCode:
            """The member for ``code``, or an :class:`UnknownUnsubscribeCode` for any other code."""
            ...

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
    def causes(self) -> tuple[Cause, ...]:
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

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> DisconnectCode | UnknownDisconnectCode:
            """The member for ``code``, or an :class:`UnknownDisconnectCode` for any other code."""
            ...

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
        description="The server rejected a token: a connection token that is malformed, badly signed "
            "or of the wrong audience or issuer; a subscription token for another channel, user or "
            "client; an invalid refresh token. The client stops: the same token would fail again.",
    )
    BAD_REQUEST = row(
        3501, reason="bad request",
        description="The client broke the protocol. Most often it connected without credentials where "
            "anonymous connections are not allowed; also a frame that is not JSON, a command before "
            "connect, an unknown command or a second connect. The client stops.",
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
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


def _consequence(reconnects: bool) -> str:
    return "the client reconnects" if reconnects else "the client stops (disconnected) and does not reconnect"


@final
@unknown_of(ErrorCode)
class UnknownErrorCode(_Unknown):
    """A reply error code that :class:`ErrorCode` does not list.

    Proxies may send their own codes (400-1999) and newer servers may add codes; SDKs
    use 0-99 for errors found on the client side. The wire's ``temporary`` flag is the
    only guide to retrying such an error.
    """

    __slots__ = ()

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
@unknown_of(UnsubscribeCode)
class UnknownUnsubscribeCode(_Unknown):
    """An unsubscribe code that :class:`UnsubscribeCode` does not list.

    ``resubscribe`` follows the protocol's rule for every code: from 2500 up the
    subscription goes back to subscribing, below it the subscription ends.
    """

    __slots__ = ()

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
@unknown_of(DisconnectCode)
class UnknownDisconnectCode(_Unknown):
    """A disconnect code that :class:`DisconnectCode` does not list.

    ``reconnect`` follows the protocol's rule for every code: terminal in 3500-3999 and
    4500-4999, reconnect everywhere else (4000-4499 and 5000 up included), except for
    the WebSocket close code 1009, after which the client stops.
    """

    __slots__ = ()

    @property
    def reconnect(self) -> bool:
        """Whether the client reconnects after this code.

        False for 1009: a close frame is the only way a transport close code reaches
        a client, and one with 1009 (message too big) stops it, as
        :func:`~centrifugo_protocol.classify.on_close` says.
        """
        code = self._code
        return code != WS_MESSAGE_TOO_BIG and disconnect_reconnects(code)

    @property
    def description(self) -> str:
        """Which band the code falls in, and what that means for a client."""
        code = self._code
        if code == WS_MESSAGE_TOO_BIG:
            return (
                "WebSocket close code 1009 (message too big), not a Centrifugo disconnect code: a message "
                "was larger than the transport accepts. A close frame with it stops the client, which "
                "reports client code 3 (message size limit exceeded) and does not reconnect."
            )
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

"""Typed, validated objects for the protocol's error, disconnect and unsubscribe payloads.

``X.from_json(data)`` takes what a JSON decoder made of an untrusted peer's payload
(``json.loads``, ``orjson.loads``, ...: a ``dict`` with ``str`` keys) and either
returns a checked object or raises :class:`WireFormatError`, a ``ValueError`` that
names the field and the bad value. Nothing else escapes, whatever the input: a value
that is not a ``dict`` (another ``Mapping`` included) is refused with that error, and
a ``dict`` subclass is read with ``dict``'s own methods, never its overrides; likewise
an ``int`` or ``str`` subclass in a field is read as its exact value.
``x.to_json()`` gives back a plain ``dict`` that ``from_json`` accepts again.

Decoding rules, as the protocol's JSON encoding has them:

* the payload is a JSON object; keys this package does not know are ignored, so a
  newer server's extra fields do no harm;
* ``code`` is required and must be an integer from 0 to 2**32-1 (``true`` and
  ``3.0`` are not integers);
* absent optional fields take the protocol's zero values: ``""`` for texts and
  ``False`` for ``temporary``; a present field of the wrong type is an error.

``code`` stays the plain ``int`` from the wire; ``error_code``, ``disconnect_code``,
``unsubscribe_code`` and ``api_error_code`` give the looked-up member or Unknown
object, and the ``on_...``/``transition`` methods give the
:mod:`~centrifugo_protocol.classify` answer for the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict, cast, final

from . import classify
from ._codes import (
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from ._ranges import CLIENT_SIDE_ERROR_CODES, Frozen, check_code, check_flag, check_text, exact_str, show, type_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import Self

    from ._api_codes import ApiErrorCode, UnknownApiErrorCode
    from .classify import ClientState, SubscriptionState, Transition

__all__ = [
    "ApiError",
    "ApiErrorJSON",
    "Disconnect",
    "DisconnectJSON",
    "ReplyError",
    "ReplyErrorJSON",
    "Unsubscribe",
    "UnsubscribeJSON",
    "WireFormatError",
]


class WireFormatError(ValueError):
    """A protocol payload that does not have the protocol's shape.

    The message names the payload type, the field and the offending value.
    """


class ReplyErrorJSON(TypedDict):
    """The JSON shape of an error in a reply to a client command."""

    code: int
    message: str
    temporary: bool


class ApiErrorJSON(TypedDict):
    """The JSON shape of an error in a server API reply."""

    code: int
    message: str


class DisconnectJSON(TypedDict):
    """The JSON shape of a disconnect."""

    code: int
    reason: str


class UnsubscribeJSON(TypedDict):
    """The JSON shape of an unsubscribe push."""

    code: int
    reason: str


# --- Field readers: each turns one field of an untrusted object into a checked value.

#: Stands for a field the payload does not have.
_ABSENT: object = object()
#: dict's own ``get``, called on the payload so that a subclass's override never runs.
_dict_get: Callable[[dict[object, object], object, object], object] = dict[object, object].get


def _fields(data: object, kind: str) -> dict[object, object]:
    if not issubclass(type(data), dict):  # type(), not isinstance(): a value's __class__ can lie
        raise WireFormatError(f"{kind}: expected a JSON object (a dict), got {show(data)} ({type_name(data)})")
    return cast("dict[object, object]", data)


def _field(fields: dict[object, object], name: str, kind: str) -> object:
    # dict's own get, not an override. Keys that a JSON decoder makes are str, whose
    # comparison cannot fail; a key of another type may, and is reported as malformed.
    try:
        return _dict_get(fields, name, _ABSENT)
    except Exception as error:
        raise WireFormatError(
            f"{kind}: cannot read field {name!r}: a key failed to compare ({type_name(error)})"
        ) from None


def _read_code(fields: dict[object, object], kind: str) -> int:
    value = _field(fields, "code", kind)
    if value is _ABSENT:
        raise WireFormatError(f"{kind}: field 'code' is required but missing")
    try:
        return check_code(value, f"{kind}: field 'code'")  # the one uint32 rule
    except (TypeError, ValueError) as error:
        raise WireFormatError(str(error)) from None


def _read_text(fields: dict[object, object], name: str, kind: str) -> str:
    value = _field(fields, name, kind)
    if value is _ABSENT:
        return ""
    text = exact_str(value)
    if text is None:
        raise WireFormatError(f"{kind}: field {name!r} must be a string, got {show(value)} ({type_name(value)})")
    return text


def _read_flag(fields: dict[object, object], name: str, kind: str) -> bool:
    value = _field(fields, name, kind)
    if value is _ABSENT:
        return False
    if value is True or value is False:
        return value
    raise WireFormatError(f"{kind}: field {name!r} must be a boolean, got {show(value)} ({type_name(value)})")


# --- Errors -----------------------------------------------------------------------------


class _ErrorPayload(Exception):
    """What both error payloads share: a checked code and message, shown as ``code: message``.

    An exception must stay writable for Python's own bookkeeping (``__traceback__``,
    ``__context__``, notes), so only the payload's fields are frozen: each is set once,
    and ``__init__`` cannot run twice.
    """

    _code: int
    _message: str
    _FROZEN_FIELDS: ClassVar[frozenset[str]] = frozenset(("_code", "_message", "_temporary"))

    def _keep(self, code: object, message: object, **more: object) -> None:
        where = f"{type(self).__name__}()"
        if "_code" in self.__dict__:
            raise TypeError(f"{type(self).__name__} is immutable; it cannot be initialized again")
        fields = {"_code": check_code(code, where), "_message": check_text(message, where, "message"), **more}
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        if name in self._FROZEN_FIELDS:
            raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._FROZEN_FIELDS:
            raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")
        super().__delattr__(name)

    def _arguments(self) -> tuple[object, ...]:
        return (self._code, self._message)

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...], dict[str, object] | None]:
        # Rebuilt from the frozen fields (``args`` can be reassigned), with the rest of
        # the instance's attributes, notes included, carried as state.
        state = {name: value for name, value in self.__dict__.items() if name not in self._FROZEN_FIELDS}
        return (type(self), self._arguments(), state or None)

    @property
    def code(self) -> int:
        """The error code, as sent."""
        return self._code

    @property
    def message(self) -> str:
        """The error message, as sent."""
        return self._message

    def __str__(self) -> str:
        return f"{self._code}: {self._message}"


class ReplyError(_ErrorPayload):
    """An error in the server's reply to a client command; raise it from an SDK.

    ``message`` and ``temporary`` are the wire's: a proxy may reuse a built-in code with
    its own text, so they can differ from the :class:`ErrorCode` defaults.
    :attr:`retryable` answers "retry or not" for a reply to publish, rpc, history or
    presence.
    """

    _temporary: bool

    def __init__(self, code: int, message: str = "", temporary: bool = False) -> None:
        self._keep(code, message, _temporary=check_flag(temporary, "ReplyError()", "temporary"))
        super().__init__(self._code, self._message, self._temporary)

    @property
    def temporary(self) -> bool:
        """The wire's ``temporary`` flag for this reply (``False`` when it was absent).

        Not the code's default, :attr:`ErrorCode.default_temporary`: a proxy may send
        any code with either flag, and this one is what the server sent.
        """
        return self._temporary

    @property
    def retryable(self) -> bool:
        """Whether sending the same command again can succeed: the plain answer for
        replies to publish, rpc, history and presence.

        True when the wire marked the error temporary, or when the code is a
        client-side one (0-99, such as an SDK's timeout), which the SDKs retry too;
        False otherwise, built-in codes and applications' 400-1999 alike.
        """
        return self._temporary or self._code in CLIENT_SIDE_ERROR_CODES

    def _arguments(self) -> tuple[object, ...]:
        return (self._code, self._message, self._temporary)

    @property
    def error_code(self) -> ErrorCode | UnknownErrorCode:
        """The code looked up in :class:`ErrorCode`."""
        return ErrorCode.lookup(self._code)

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Decode ``{"code": ..., "message": ..., "temporary": ...}``."""
        kind = f"{cls.__name__} payload"
        fields = _fields(data, kind)
        return cls(_read_code(fields, kind), _read_text(fields, "message", kind), _read_flag(fields, "temporary", kind))

    def to_json(self) -> ReplyErrorJSON:
        """The payload as a JSON-ready dict."""
        return {"code": self._code, "message": self._message, "temporary": self._temporary}

    def on_connect(self) -> Transition[ClientState]:
        """The client's next state when this error answers its connect."""
        return classify.on_connect_error(self._code, self._message, temporary=self._temporary)

    def on_refresh(self) -> Transition[ClientState]:
        """The client's next state when this error answers a connection token refresh."""
        return classify.on_refresh_error(self._code, self._message, temporary=self._temporary)

    def on_subscribe(self, *, can_rebuild_state: bool = False) -> Transition[SubscriptionState]:
        """The subscription's next state when this error answers its subscribe."""
        return classify.on_subscribe_error(
            self._code, self._message, temporary=self._temporary, can_rebuild_state=can_rebuild_state
        )

    def on_subscription_refresh(self) -> Transition[SubscriptionState]:
        """The subscription's next state when this error answers a subscription token refresh."""
        return classify.on_subscription_refresh_error(self._code, self._message, temporary=self._temporary)

    def __str__(self) -> str:
        return super().__str__() + (" (temporary)" if self._temporary else "")

    def __repr__(self) -> str:
        return f"ReplyError(code={self._code}, message={self._message!r}, temporary={self._temporary})"


class ApiError(_ErrorPayload):
    """An error in a reply of the server HTTP or gRPC API; raise it from an API client."""

    def __init__(self, code: int, message: str = "") -> None:
        self._keep(code, message)
        super().__init__(self._code, self._message)

    @property
    def api_error_code(self) -> ApiErrorCode | UnknownApiErrorCode:
        """The code looked up in :class:`ApiErrorCode`."""
        # Imported here, not with the module: SDKs decode the other payloads with
        # wire and never need the server API's codes.
        from ._api_codes import ApiErrorCode

        return ApiErrorCode.lookup(self._code)

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Decode the ``error`` object of an API reply: ``{"code": ..., "message": ...}``."""
        kind = f"{cls.__name__} payload"
        fields = _fields(data, kind)
        return cls(_read_code(fields, kind), _read_text(fields, "message", kind))

    def to_json(self) -> ApiErrorJSON:
        """The payload as a JSON-ready dict."""
        return {"code": self._code, "message": self._message}

    def __repr__(self) -> str:
        return f"ApiError(code={self._code}, message={self._message!r})"


# --- Pushes -----------------------------------------------------------------------------


class _CodeAndReason(Frozen):
    """Shared machinery of the immutable ``{"code", "reason"}`` payloads."""

    __slots__ = ("_code", "_reason")
    __match_args__ = ("code", "reason")
    _code: int
    _reason: str

    def __init__(self, code: int, reason: str = "") -> None:
        where = f"{type(self).__name__}()"
        self._freeze(_code=check_code(code, where), _reason=check_text(reason, where, "reason"))

    @property
    def code(self) -> int:
        """The code, as sent."""
        return self._code

    @property
    def reason(self) -> str:
        """The reason text, as sent."""
        return self._reason

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Decode ``{"code": ..., "reason": ...}``."""
        kind = f"{cls.__name__} payload"
        fields = _fields(data, kind)
        return cls(_read_code(fields, kind), _read_text(fields, "reason", kind))

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return (self._code, self._reason) == (other._code, other._reason)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._code, self._reason))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self._code}, reason={self._reason!r})"

    def __reduce__(self) -> tuple[type[Self], tuple[int, str]]:
        return (type(self), (self._code, self._reason))


@final
class Disconnect(_CodeAndReason):
    """A disconnect: the server's push, or what a proxy tells Centrifugo to send."""

    __slots__ = ()

    @property
    def disconnect_code(self) -> DisconnectCode | UnknownDisconnectCode:
        """The code looked up in :class:`DisconnectCode`."""
        return DisconnectCode.lookup(self._code)

    def to_json(self) -> DisconnectJSON:
        """The payload as a JSON-ready dict."""
        return {"code": self._code, "reason": self._reason}

    def transition(self) -> Transition[ClientState]:
        """The client's next state after this disconnect push."""
        return classify.on_disconnect(self._code, self._reason)


@final
class Unsubscribe(_CodeAndReason):
    """An unsubscribe push from the server."""

    __slots__ = ()

    @property
    def unsubscribe_code(self) -> UnsubscribeCode | UnknownUnsubscribeCode:
        """The code looked up in :class:`UnsubscribeCode`."""
        return UnsubscribeCode.lookup(self._code)

    def to_json(self) -> UnsubscribeJSON:
        """The payload as a JSON-ready dict."""
        return {"code": self._code, "reason": self._reason}

    def transition(self) -> Transition[SubscriptionState]:
        """The subscription's next state after this unsubscribe push."""
        return classify.on_unsubscribe(self._code, self._reason)

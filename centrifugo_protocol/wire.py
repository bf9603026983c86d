"""Typed, validated objects for the protocol's error, disconnect and unsubscribe payloads.

``X.from_json(data)`` takes a value that a JSON decoder produced (``json.loads``,
``orjson.loads``, ...) from an untrusted peer and either returns a checked object or
raises :class:`WireFormatError`, a ``ValueError`` that names the field and the bad
value. Nothing else escapes, whatever the input. ``x.to_json()`` gives back a plain
``dict`` that ``from_json`` accepts again.

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

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict, final

from . import classify
from ._codes import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from ._ranges import Frozen, check_code, check_flag, check_text, show

if TYPE_CHECKING:
    from typing_extensions import Self

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


def _fields(data: object, kind: str) -> Mapping[object, object]:
    if not isinstance(data, Mapping):
        raise WireFormatError(f"{kind}: expected a JSON object, got {show(data)} ({type(data).__name__})")
    return data  # pyright: ignore[reportUnknownVariableType]  # a Mapping of unknown key and value types


def _read_code(fields: Mapping[object, object], kind: str) -> int:
    if "code" not in fields:
        raise WireFormatError(f"{kind}: field 'code' is required but missing")
    try:
        return check_code(fields["code"], f"{kind}: field 'code'")  # the one uint32 rule
    except (TypeError, ValueError) as error:
        raise WireFormatError(str(error)) from None


def _read_text(fields: Mapping[object, object], name: str, kind: str) -> str:
    value = fields.get(name, "")
    if not isinstance(value, str):
        raise WireFormatError(f"{kind}: field {name!r} must be a string, got {show(value)} ({type(value).__name__})")
    return value


def _read_flag(fields: Mapping[object, object], name: str, kind: str) -> bool:
    value = fields.get(name, False)
    if not isinstance(value, bool):
        raise WireFormatError(f"{kind}: field {name!r} must be a boolean, got {show(value)} ({type(value).__name__})")
    return value


# --- Errors -----------------------------------------------------------------------------


class _ErrorPayload(Exception):
    """What both error payloads share: a checked code and message, shown as ``code: message``."""

    _code: int
    _message: str

    def _keep(self, code: object, message: object) -> None:
        where = f"{type(self).__name__}()"
        self._code = check_code(code, where)
        self._message = check_text(message, where, "message")

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
    """

    def __init__(self, code: int, message: str = "", temporary: bool = False) -> None:
        self._keep(code, message)
        self._temporary = check_flag(temporary, "ReplyError()", "temporary")
        super().__init__(self._code, self._message, self._temporary)

    @property
    def temporary(self) -> bool:
        """Whether the server marked the error temporary (worth retrying)."""
        return self._temporary

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
        object.__setattr__(self, "_code", check_code(code, where))
        object.__setattr__(self, "_reason", check_text(reason, where, "reason"))

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
        if isinstance(other, _CodeAndReason) and type(other) is type(self):
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

"""Answers for a Centrifugo proxy backend that refuses a client.

Centrifugo can hand connect, subscribe, publish and RPC events to an application
backend (the proxy), whose JSON answer may refuse the client in one of two ways:

* a custom error, ``{"error": {"code", "message", "temporary"}}``: the code must be
  in :data:`APP_ERROR_CODES` (400-1999) or be a built-in :class:`ErrorCode`, which
  the application may reuse with its own message;
* a custom disconnect, ``{"disconnect": {"code", "reason"}}``: the code must be in
  :data:`APP_RECONNECT_DISCONNECT_CODES` (4000-4499, the client comes back) or
  :data:`APP_TERMINAL_DISCONNECT_CODES` (4500-4999, the client stops for good), and
  the reason may be at most :data:`MAX_DISCONNECT_REASON_BYTES` (32) ASCII
  characters, the limit Centrifugo documents for it. The transport's own limit is
  higher (a WebSocket close frame carries up to :data:`MAX_CLOSE_REASON_BYTES`, 123
  bytes, of reason), but only the documented limit is promised to work.

Two limits of the transport are hard, and a live Centrifugo v6.9.1 shows what breaking
them does: a close frame's code is 16 bits, so a code above :data:`MAX_CLOSE_CODE`
(65535) reaches WebSocket clients cut to its low 16 bits (70000 arrives as 4464); and
a reason longer than 123 bytes of UTF-8 makes the server drop the close frame, so the
client sees an abnormal closure and reconnects even after a terminal code. Every
builder of a disconnect in this package (here, and
:func:`centrifugo_protocol.api.disconnect_request`) refuses both, and says which
limit the value breaks.

Every other number is reserved by the server. A code outside these bands is not a
cosmetic slip: a disconnect meant to be final but sent as 5000 makes clients reconnect
forever. So the builders here refuse anything outside the bands, with a message that
names them; choosing the right band is the caller's part, which the constant names
make plain.

Centrifugo ignores custom errors and disconnects in answers to refresh and
subscription refresh requests (the client is told "expired" instead); use them in
answers to connect, subscribe, publish and RPC.

When the backend answers with an HTTP status other than 200 (a 401 or 403 from an
authentication layer, a 500 from a crash), Centrifugo v6 tells the client error 100,
which is temporary, so the client retries. The proxy's
``http.status_to_code_transforms`` setting maps chosen statuses to a custom error or
disconnect instead; :func:`status_to_code_transforms` writes that block from a
mapping of status to :func:`custom_error` or :func:`custom_disconnect`, and
:func:`check_status_to_code_transforms` checks a block read from a configuration file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, TypedDict, cast

from ._codes import ErrorCode
from ._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    MAX_CLOSE_REASON_BYTES,
    MAX_DISCONNECT_REASON_BYTES,
    check_flag,
    check_text,
    exact_int,
    show,
    type_name,
)
from .wire import Disconnect, DisconnectJSON, ReplyError, ReplyErrorJSON, WireFormatError

__all__ = [
    "APP_ERROR_CODES",
    "APP_RECONNECT_DISCONNECT_CODES",
    "APP_TERMINAL_DISCONNECT_CODES",
    "MAX_CLOSE_CODE",
    "MAX_CLOSE_REASON_BYTES",
    "MAX_DISCONNECT_REASON_BYTES",
    "DisconnectResponse",
    "ErrorResponse",
    "StatusTransformJSON",
    "check_status_to_code_transforms",
    "custom_disconnect",
    "custom_error",
    "disconnect_response",
    "error_response",
    "status_to_code_transforms",
]


#: The largest code a WebSocket close frame can carry: its code field is 16 bits wide.
MAX_CLOSE_CODE: Final = 65535


def _close_code_problem(code: int) -> str:
    """Why ``code`` breaks the close frame's limit, as a clause to add to a message, or ``""``."""
    if code > MAX_CLOSE_CODE:
        return (
            f"; {show(code)} does not fit the 16 bits of a WebSocket close frame and would reach "
            f"clients as {code % (MAX_CLOSE_CODE + 1)}"
        )
    return ""


def _reason_size(text: str) -> int:
    """The size of ``text`` in UTF-8, the encoding a close frame carries (a lone
    surrogate, which UTF-8 cannot carry, counts as the 3 bytes it would take)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _close_reason_problem(size: int) -> str:
    """Why a reason of ``size`` bytes breaks the close frame's limit, as a clause, or ``""``."""
    if size > MAX_CLOSE_REASON_BYTES:
        return (
            f"; at {size} bytes, more than the {MAX_CLOSE_REASON_BYTES} a WebSocket close frame holds, "
            "the server would drop the close frame and the client would reconnect even after a terminal code"
        )
    return ""


class ErrorResponse(TypedDict):
    """A proxy answer that refuses the request with an error."""

    error: ReplyErrorJSON


class DisconnectResponse(TypedDict):
    """A proxy answer that disconnects the client."""

    disconnect: DisconnectJSON


def _span(codes: range) -> str:
    return f"{codes.start}..{codes.stop - 1}"


def _check_int(value: object, where: str) -> int:
    number = exact_int(value)
    if number is None:
        raise TypeError(f"{where} expects an int code, got {show(value)} ({type_name(value)})")
    return number


def custom_error(code: int, message: str, *, temporary: bool = False) -> ReplyError:
    """An error for a proxy to return: an application code (400-1999) or a built-in one.

    ``message`` must not be empty. Set ``temporary`` when retrying can succeed (for
    example rate limiting); clients then retry with backoff instead of giving up.
    Raises ``TypeError`` for arguments of the wrong type and ``ValueError`` for a code
    outside the allowed ranges or an empty message.
    """
    where = "custom_error()"
    value = _check_int(code, where)
    if value not in APP_ERROR_CODES and value not in ErrorCode._value2member_map_:
        builtins = ", ".join(str(member.code) for member in ErrorCode)
        raise ValueError(
            f"{where} expects an application error code in {_span(APP_ERROR_CODES)} "
            f"or a built-in ErrorCode ({builtins}), got {show(value)}"
        )
    text = check_text(message, where, "message")
    if not text.strip():
        raise ValueError(f"{where} expects a non-empty message, got {show(text)}")
    return ReplyError(value, text, check_flag(temporary, where, "temporary"))


def custom_disconnect(code: int, reason: str) -> Disconnect:
    """A disconnect for a proxy to return, with a code in 4000-4999.

    Codes in :data:`APP_RECONNECT_DISCONNECT_CODES` (4000-4499) make the client
    reconnect; codes in :data:`APP_TERMINAL_DISCONNECT_CODES` (4500-4999) make it stop
    for good. ``reason`` must be ASCII and at most :data:`MAX_DISCONNECT_REASON_BYTES`
    (32) characters long, as Centrifugo documents. Raises ``TypeError`` for arguments
    of the wrong type and ``ValueError`` for a code outside 4000-4999 or a reason that
    is not ASCII or too long.
    """
    where = "custom_disconnect()"
    value = _check_int(code, where)
    if value not in APP_RECONNECT_DISCONNECT_CODES and value not in APP_TERMINAL_DISCONNECT_CODES:
        raise ValueError(
            f"{where} expects an application disconnect code: "
            f"{_span(APP_RECONNECT_DISCONNECT_CODES)} (client reconnects) or "
            f"{_span(APP_TERMINAL_DISCONNECT_CODES)} (client stops), got {show(value)}"
            f"{_close_code_problem(value)}"
        )
    text = check_text(reason, where, "reason")
    if not text.isascii() or len(text) > MAX_DISCONNECT_REASON_BYTES:
        problem = "non-ASCII characters" if not text.isascii() else f"{len(text)} characters"
        raise ValueError(
            f"{where} expects a reason of at most {MAX_DISCONNECT_REASON_BYTES} ASCII characters "
            f"(Centrifugo's documented limit; a WebSocket close frame itself carries at most "
            f"{MAX_CLOSE_REASON_BYTES} bytes of reason), got {problem}"
            f"{_close_reason_problem(_reason_size(text))}: {show(text)}"
        )
    return Disconnect(value, text)


def error_response(err: ReplyError) -> ErrorResponse:
    """The proxy answer ``{"error": {...}}`` for ``err``; ``json.dumps`` writes it as is."""
    if not issubclass(type(err), ReplyError):  # pyright: ignore[reportUnnecessaryIsInstance]  # for callers without a type checker; type(): __class__ can lie
        raise TypeError(f"error_response() expects a wire.ReplyError, got {show(err)} ({type_name(err)})")
    return {"error": err.to_json()}


def disconnect_response(disconnect: Disconnect) -> DisconnectResponse:
    """The proxy answer ``{"disconnect": {...}}`` for ``disconnect``; ``json.dumps`` writes it as is."""
    if not issubclass(type(disconnect), Disconnect):  # pyright: ignore[reportUnnecessaryIsInstance]  # for callers without a type checker; type(): __class__ can lie
        raise TypeError(
            f"disconnect_response() expects a wire.Disconnect, got {show(disconnect)} ({type_name(disconnect)})"
        )
    return {"disconnect": disconnect.to_json()}


# --- status_to_code_transforms ------------------------------------------------------


class _StatusTransformRequired(TypedDict):
    status_code: int


class StatusTransformJSON(_StatusTransformRequired, total=False):
    """One entry of a proxy's ``http.status_to_code_transforms`` list (Centrifugo v6):
    ``status_code`` and exactly one of ``to_error`` or ``to_disconnect``."""

    to_error: ReplyErrorJSON
    to_disconnect: DisconnectJSON


#: dict's own copy: what it returns is a plain dict, whatever the value's class overrides.
_dict_copy: Callable[[dict[object, object]], dict[object, object]] = dict[object, object].copy

#: The statuses a transform may name: any HTTP status but 200, which Centrifugo reads
#: as the backend's answer and never transforms.
_TRANSFORMABLE = range(100, 600)


def _transform(status: int, refusal: ReplyError | Disconnect, where: str) -> StatusTransformJSON:
    if issubclass(type(refusal), ReplyError):
        error = cast("ReplyError", refusal)
        # Built again, so that the bands are checked whoever made the value.
        checked = custom_error(error.code, error.message, temporary=error.temporary)
        if not checked.message.isascii() or len(checked.message) > MAX_CLOSE_REASON_BYTES:
            raise ValueError(
                f"{where}: the error message for status {status} must be ASCII and at most "
                f"{MAX_CLOSE_REASON_BYTES} characters (Centrifugo refuses to start otherwise), "
                f"got {show(checked.message)}"
            )
        return {"status_code": status, "to_error": checked.to_json()}
    if issubclass(type(refusal), Disconnect):
        disconnect = cast("Disconnect", refusal)
        return {"status_code": status, "to_disconnect": custom_disconnect(disconnect.code, disconnect.reason).to_json()}
    raise TypeError(
        f"{where} expects each status to map to a custom_error() or custom_disconnect(), "
        f"got {show(refusal)} ({type_name(refusal)}) for status {status}"
    )


def status_to_code_transforms(mapping: Mapping[int, ReplyError | Disconnect]) -> list[StatusTransformJSON]:
    """The ``status_to_code_transforms`` block for a proxy, from HTTP status to refusal.

    ``{403: custom_disconnect(4503, "forbidden"), 429: custom_error(1429, "slow down",
    temporary=True)}`` makes Centrifugo answer a client whose request the backend
    refused with 403 by disconnecting it for good, and one refused with 429 with a
    temporary error, instead of error 100 for both. Put the list under the proxy's
    ``http`` key: ``client.proxy.connect.http``, ``channel.proxy.subscribe.http``,
    ``channel.proxy.publish.http`` or ``rpc.proxy.http``. Entries come sorted by
    status, so the output is stable.

    Every refusal is checked as :func:`custom_error` and :func:`custom_disconnect`
    check theirs (the application bands, the reason limits), and an error message
    must be ASCII and at most 123 characters, as Centrifugo checks at start. Raises
    ``TypeError`` for a status that is not an ``int`` or a value that is neither
    refusal, and ``ValueError`` for a status outside 100..599, 200, or a refusal the
    checks refuse.
    """
    where = "status_to_code_transforms()"
    if not issubclass(type(mapping), Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]  # for callers without a type checker
        raise TypeError(
            f"{where} expects a mapping of HTTP status to refusal, got {show(mapping)} ({type_name(mapping)})"
        )
    by_status: dict[int, StatusTransformJSON] = {}
    for key in mapping:
        status = exact_int(key)
        if status is None:
            raise TypeError(f"{where} expects int HTTP statuses as keys, got {show(key)} ({type_name(key)})")
        if status not in _TRANSFORMABLE or status == 200:
            raise ValueError(
                f"{where} expects HTTP statuses in 100..599 other than 200 (a 200 answer is read, "
                f"never transformed), got {show(status)}"
            )
        by_status[status] = _transform(status, mapping[key], where)
    return [by_status[status] for status in sorted(by_status)]


def check_status_to_code_transforms(block: object) -> list[StatusTransformJSON]:
    """Check a ``status_to_code_transforms`` block read from a configuration file.

    ``block`` is the decoded JSON list. Each entry must have an int ``status_code``
    and exactly one of ``to_error`` (``code``, ``message``, optional ``temporary``)
    or ``to_disconnect`` (``code``, ``reason``), each held to the rules of
    :func:`status_to_code_transforms`; a status may appear once (Centrifugo uses
    the first match, so a second one would never apply). Returns the block as
    :func:`status_to_code_transforms` writes it; raises ``TypeError`` or
    ``ValueError`` naming the entry, by its index, and what is wrong with it.
    """
    where = "check_status_to_code_transforms()"
    if not issubclass(type(block), list):
        raise TypeError(f"{where} expects a list of transforms, got {show(block)} ({type_name(block)})")
    mapping: dict[int, ReplyError | Disconnect] = {}
    for index, item in enumerate(cast("list[object]", block)):
        at = f"{where}: status_to_code_transforms[{index}]"
        if not issubclass(type(item), dict):
            raise TypeError(f"{at} must be an object, got {show(item)} ({type_name(item)})")
        # A plain copy, made by dict's own code: a subclass's overrides never run.
        fields = _dict_copy(cast("dict[object, object]", item))
        unknown = sorted(str(key) for key in fields if key not in ("status_code", "to_error", "to_disconnect"))
        if unknown:
            raise ValueError(f"{at} has unknown keys: {', '.join(unknown)}")
        status = exact_int(fields.get("status_code"))
        if status is None:
            raise TypeError(f"{at} needs an int status_code, got {show(fields.get('status_code'))}")
        if status in mapping:
            raise ValueError(f"{at} repeats status {status}; Centrifugo applies only the first entry for a status")
        has_error, has_disconnect = "to_error" in fields, "to_disconnect" in fields
        if has_error == has_disconnect:
            raise ValueError(f"{at} needs exactly one of to_error or to_disconnect")
        try:
            if has_error:
                mapping[status] = ReplyError.from_json(fields["to_error"])
            else:
                mapping[status] = Disconnect.from_json(fields["to_disconnect"])
        except WireFormatError as error:
            raise ValueError(f"{at}: {error}") from None
        try:
            status_to_code_transforms({status: mapping[status]})
        except (TypeError, ValueError) as error:
            raise type(error)(f"{at}: {error}") from None
    return status_to_code_transforms(mapping)

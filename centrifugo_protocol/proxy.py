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
"""

from __future__ import annotations

from typing import Final, TypedDict

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
from .wire import Disconnect, DisconnectJSON, ReplyError, ReplyErrorJSON

__all__ = [
    "APP_ERROR_CODES",
    "APP_RECONNECT_DISCONNECT_CODES",
    "APP_TERMINAL_DISCONNECT_CODES",
    "MAX_CLOSE_CODE",
    "MAX_CLOSE_REASON_BYTES",
    "MAX_DISCONNECT_REASON_BYTES",
    "DisconnectResponse",
    "ErrorResponse",
    "custom_disconnect",
    "custom_error",
    "disconnect_response",
    "error_response",
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

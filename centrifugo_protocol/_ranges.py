"""The protocol's numeric ranges and the rules that read them.

Every bound the package uses lives here, once. The code families, the classifier,
the wire objects, the proxy helpers and the command line all ask these constants
and functions, so a range can never be right in one place and wrong in another.

Rules kept here:

* a code on the wire is a protobuf ``uint32``: an ``int`` from 0 to 2**32 - 1;
  ``bool`` is not accepted even though it subclasses ``int``;
* a disconnect code is terminal (the client stops) when it lies in one of the two
  terminal bands, 3500-3999 (server) and 4500-4999 (application); every other code,
  including transport close codes below 3000 and anything from 5000 up, lets the
  client reconnect;
* an unsubscribe code from 2500 up sends the subscription back to subscribing;
  below that it ends the subscription.
"""

from typing import Final, NoReturn

__all__ = [
    "APP_ERROR_CODES",
    "APP_RECONNECT_DISCONNECT_CODES",
    "APP_TERMINAL_DISCONNECT_CODES",
    "CLIENT_SIDE_ERROR_CODES",
    "MAX_CODE",
    "MAX_DISCONNECT_REASON_BYTES",
    "MIN_RESUBSCRIBE_CODE",
    "SERVER_ERROR_CODES",
    "SERVER_RECONNECT_DISCONNECT_CODES",
    "SERVER_TERMINAL_DISCONNECT_CODES",
    "TRANSPORT_CLOSE_CODES",
    "UNSUBSCRIBE_CODES",
]

#: The largest code the wire can carry (codes are protobuf ``uint32``).
MAX_CODE: Final = 2**32 - 1

#: Error codes that client SDKs use for problems found on the client side.
CLIENT_SIDE_ERROR_CODES: Final = range(0, 100)
#: Error codes reserved for the Centrifugo server (built-in codes are 100-113).
SERVER_ERROR_CODES: Final = range(100, 400)
#: Error codes an application (a proxy backend) may use for its own errors.
APP_ERROR_CODES: Final = range(400, 2000)

#: Codes the server sends in unsubscribe pushes.
UNSUBSCRIBE_CODES: Final = range(2000, 3000)
#: Unsubscribe codes from this one up make the client subscribe again.
MIN_RESUBSCRIBE_CODE: Final = 2500

#: Close codes of the transport itself (WebSocket 1000-2999 and below).
TRANSPORT_CLOSE_CODES: Final = range(0, 3000)
#: Server disconnect codes after which the client reconnects.
SERVER_RECONNECT_DISCONNECT_CODES: Final = range(3000, 3500)
#: Server disconnect codes after which the client stops for good.
SERVER_TERMINAL_DISCONNECT_CODES: Final = range(3500, 4000)
#: Application (proxy) disconnect codes after which the client reconnects.
APP_RECONNECT_DISCONNECT_CODES: Final = range(4000, 4500)
#: Application (proxy) disconnect codes after which the client stops for good.
APP_TERMINAL_DISCONNECT_CODES: Final = range(4500, 5000)
#: Longest disconnect reason, in UTF-8 bytes, that fits the WebSocket close frame
#: Centrifugo sends it in (the documented limit for applications' reasons).
MAX_DISCONNECT_REASON_BYTES: Final = 32


def disconnect_reconnects(code: int) -> bool:
    """Whether a client reconnects after a disconnect with ``code``.

    Terminal only inside the two terminal bands; everything else reconnects,
    which includes codes from 5000 up (the server and every official SDK agree).
    """
    return code not in SERVER_TERMINAL_DISCONNECT_CODES and code not in APP_TERMINAL_DISCONNECT_CODES


def unsubscribe_resubscribes(code: int) -> bool:
    """Whether a subscription goes back to subscribing after unsubscribe ``code``."""
    return code >= MIN_RESUBSCRIBE_CODE


class Frozen:
    """Base of the package's immutable value objects: attributes are set once, through
    ``object.__setattr__`` in ``__init__``, and never again."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")


#: The longest rendering of a bad value that an error message includes.
_SHOW_LIMIT: Final = 120


def show(value: object) -> str:
    """A short, always-printable rendering of a bad value for an error message.

    ``repr`` alone can fail (ints past the str-conversion digit limit, very deep
    containers) or be enormous; an error message must never do either.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        sign = "-" if value < 0 else ""
        return f"{sign}<int of {value.bit_length()} bits>"
    import reprlib

    shorter = reprlib.Repr()
    shorter.maxstring = 60
    shorter.maxother = 60
    shorter.maxlevel = 3
    shorter.maxlong = 60
    try:
        text = shorter.repr(value)
    except Exception:  # a hostile __repr__: name the type instead
        return f"<{type(value).__name__} object>"
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 3] + "..."


def check_code(value: object, where: str) -> int:
    """Return ``value`` as a plain ``int`` if it is a valid wire code.

    Raises ``TypeError`` for anything that is not an ``int`` (``bool`` included) and
    ``ValueError`` for an ``int`` outside 0..2**32-1. ``where`` names the caller in the
    message, e.g. ``"DisconnectCode.lookup()"``.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{where} expects an int code, got {show(value)} ({type(value).__name__})")
    if not 0 <= value <= MAX_CODE:
        raise ValueError(f"{where} expects a code in 0..{MAX_CODE} (uint32), got {show(value)}")
    return int(value)


def check_text(value: object, where: str, what: str) -> str:
    """Return ``value`` if it is a ``str``; raise ``TypeError`` naming it otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{where} expects {what} to be a str, got {show(value)} ({type(value).__name__})")
    return value


def check_flag(value: object, where: str, what: str) -> bool:
    """Return ``value`` if it is a ``bool``; raise ``TypeError`` naming it otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"{where} expects {what} to be a bool, got {show(value)} ({type(value).__name__})")
    return value

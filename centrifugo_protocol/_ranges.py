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

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping
from itertools import islice
from typing import Final, Generic, NoReturn, TypeVar, cast

__all__ = [
    "APP_ERROR_CODES",
    "APP_RECONNECT_DISCONNECT_CODES",
    "APP_TERMINAL_DISCONNECT_CODES",
    "CLIENT_SIDE_ERROR_CODES",
    "MAX_CLOSE_REASON_BYTES",
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
CLIENT_SIDE_ERROR_CODES: Final = range(100)
#: Error codes reserved for the Centrifugo server (built-in codes are 100-113).
SERVER_ERROR_CODES: Final = range(100, 400)
#: Error codes an application (a proxy backend) may use for its own errors.
APP_ERROR_CODES: Final = range(400, 2000)

#: Codes the server sends in unsubscribe pushes.
UNSUBSCRIBE_CODES: Final = range(2000, 3000)
#: Unsubscribe codes from this one up make the client subscribe again.
MIN_RESUBSCRIBE_CODE: Final = 2500

#: Close codes of the transport itself (WebSocket 1000-2999 and below).
TRANSPORT_CLOSE_CODES: Final = range(3000)
#: Server disconnect codes after which the client reconnects.
SERVER_RECONNECT_DISCONNECT_CODES: Final = range(3000, 3500)
#: Server disconnect codes after which the client stops for good.
SERVER_TERMINAL_DISCONNECT_CODES: Final = range(3500, 4000)
#: Application (proxy) disconnect codes after which the client reconnects.
APP_RECONNECT_DISCONNECT_CODES: Final = range(4000, 4500)
#: Application (proxy) disconnect codes after which the client stops for good.
APP_TERMINAL_DISCONNECT_CODES: Final = range(4500, 5000)
#: WebSocket close code 1009, "message too big": a close frame with it stops the
#: client whatever the range rule says (the SDKs report it as their code 3, "message
#: size limit exceeded").
WS_MESSAGE_TOO_BIG: Final = 1009
#: Longest custom disconnect reason an application may send, in ASCII characters:
#: Centrifugo's documented limit for proxies' disconnect reasons. The transport allows
#: more (see :data:`MAX_CLOSE_REASON_BYTES`), but only this much is promised to work.
MAX_DISCONNECT_REASON_BYTES: Final = 32
#: Longest reason a WebSocket close frame can carry, in bytes: a control frame's
#: payload is at most 125 bytes, two of which hold the close code.
MAX_CLOSE_REASON_BYTES: Final = 123


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
    """Base of the package's immutable value objects.

    Attributes are set once, through :meth:`_freeze` in ``__init__``, and never again:
    assigning, deleting, and calling ``__init__`` a second time all raise. Answers are
    memoized and shared between callers, so one caller must not be able to change
    what another one gets.
    """

    __slots__ = ()

    def _freeze(self, **fields: object) -> None:
        for name in fields:
            try:
                object.__getattribute__(self, name)
            except AttributeError:
                continue
            raise TypeError(f"{type(self).__name__} is immutable; it cannot be initialized again")
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")


# --- The memo ----------------------------------------------------------------------------

#: How many answers a memo holds besides the ones it always keeps. Keys come from
#: untrusted peers, so every memo is bounded.
MEMO_LIMIT: Final = 1024

_KeyT = TypeVar("_KeyT", bound=Hashable)
_ValueT = TypeVar("_ValueT")

# Every memo, so that tests can start from fresh ones.
_MEMOS: list[Memo[Hashable, object]] = []


class Memo(Generic[_KeyT, _ValueT]):
    """Answers given before, handed out again: the one memo of every lookup and event.

    A hot path reads ``memo.answers[key]``, a plain dict read, and only with a key of
    exactly the types it was made from (so that ``3012.0`` or ``0`` for ``False`` can
    never find the answer for ``3012`` or ``False``); on a miss it calls :meth:`miss`,
    which asks ``answer(key)`` (the checks and the decision) and remembers the result
    when ``admits(key)`` allows it (always, without ``admits``). Past
    :data:`MEMO_LIMIT` answers the memo starts again from the entries it keeps, in
    place; a reader that misses an entry meanwhile is answered afresh, with the same
    answer.
    """

    __slots__ = ("_admits", "_answer", "_kept", "answers")

    # Runs only while the package is imported, before mutmut can switch a mutant on;
    # the tests check its effects instead (see docs/verification.md).
    def __init__(
        self,
        answer: Callable[[_KeyT], _ValueT],
        kept: Mapping[_KeyT, _ValueT] | None = None,
        answers: dict[_KeyT, _ValueT] | None = None,
        admits: Callable[[_KeyT], bool] | None = None,
    ) -> None:  # pragma: no mutate block
        self._answer = answer
        self._admits = admits
        self._kept: dict[_KeyT, _ValueT] = {} if kept is None else dict(kept)
        #: The answers, by key: a plain dict unless the caller gives its own.
        self.answers: dict[_KeyT, _ValueT] = {} if answers is None else answers
        self.answers.update(self._kept)
        _MEMOS.append(cast("Memo[Hashable, object]", self))

    def miss(self, key: _KeyT) -> _ValueT:
        """Answer ``key``, which :attr:`answers` does not hold, and remember the answer."""
        value = self._answer(key)
        if self._admits is None or self._admits(key):
            answers = self.answers
            if len(answers) >= len(self._kept) + MEMO_LIMIT:
                self.reset()
            answers[key] = value
        return value

    def reset(self) -> None:
        """Forget every answer except the kept ones."""
        self.answers.clear()
        self.answers.update(self._kept)


class SelfAnswering(dict[_KeyT, _ValueT]):
    """A memo's :attr:`~Memo.answers` that asks the memo itself on a miss.

    For hot paths that should read an answer with one subscript and nothing else; a
    plain dict read is a little faster, so the lookups, the hottest path, use one.
    """

    __slots__ = ("_miss",)

    # Runs only while the package is imported, before mutmut can switch a mutant on;
    # the tests check its effects instead (see docs/verification.md).
    def __init__(self, miss: Callable[[_KeyT], _ValueT]) -> None:  # pragma: no mutate block
        super().__init__()
        self._miss = miss

    def __missing__(self, key: _KeyT) -> _ValueT:
        return self._miss(key)


def reset_memos() -> None:
    """Forget what every memo learnt (tests start from here)."""
    for memo in _MEMOS:
        memo.reset()


# --- The boundary ------------------------------------------------------------------------
#
# Values from outside cross here once. An int or a str is read as its exact built-in
# value with int's and str's own methods, never the object's: a subclass may override
# __int__, __eq__, __lt__, strip() or encode(), and must not be able to answer for
# itself. Error messages render values the same way, so building one cannot fail or
# run a caller's code either.

#: Digits of an int that an error message shows in full; longer ones are abbreviated.
_SHOW_DIGITS: Final = 60
#: Characters of a text (or bytes) that an error message shows before cutting it short.
_SHOW_CHARS: Final = 60
#: Items of a container that an error message shows.
_SHOW_ITEMS: Final = 4
#: The longest rendering of a bad value that an error message includes.
_SHOW_LIMIT: Final = 160
#: Ints with more bits than this are only described by their approximate size:
#: converting them to decimal would cost more than an error message should.
_SHOW_EXACT_BITS: Final = 12_000


#: Ints of at most this many bits have at most 640 digits, the lowest limit
#: ``sys.set_int_max_str_digits()`` accepts, so ``str()`` can always convert them.
_STR_SAFE_BITS: Final = 2126


def type_name(value: object) -> str:
    """The name of ``value``'s type, read without calling anything the type defines."""
    name: str = type.__dict__["__name__"].__get__(type(value), type)
    return name


def exact_int(value: object) -> int | None:
    """``value`` as a plain ``int`` if it is an ``int`` (not a ``bool``), else ``None``."""
    kind = type(value)
    if kind is int:
        return cast("int", value)
    if kind is bool or not issubclass(kind, int):
        return None
    # A subclass: int's own conversion, not the subclass's override.
    return int.__int__(cast("int", value))


def exact_str(value: object) -> str | None:
    """``value`` as a plain ``str`` if it is a ``str``, else ``None``."""
    kind = type(value)
    if kind is str:
        return cast("str", value)
    if not issubclass(kind, str):
        return None
    # A subclass: str's own copy, not the subclass's override.
    return str.__str__(cast("str", value))


def _show_int(number: int) -> str:
    sign, size = ("-", -number) if number < 0 else ("", number)
    if size.bit_length() > _SHOW_EXACT_BITS:
        import math

        return f"{sign}<int of about {int(size.bit_length() * math.log10(2)):,} digits>"
    if size.bit_length() <= _STR_SAFE_BITS:
        digits = str(size)
        if len(digits) <= _SHOW_DIGITS:
            return sign + digits
        count, head, tail = len(digits), digits[:20], digits[-10:]
    else:
        # More digits than sys.set_int_max_str_digits() may allow: count them and take
        # the ends by arithmetic, which no limit restricts.
        count = _digit_count(size)
        head, tail = str(size // 10 ** (count - 20)), f"{size % 10**10:010d}"
    return f"{sign}{head}...{tail} (an int of {count:,} digits)"


def _digit_count(size: int) -> int:
    """The number of decimal digits of ``size`` (positive), without converting it."""
    import math

    # 2**(bits-1) <= size < 2**bits, so the count is this estimate or one more.
    count = int((size.bit_length() - 1) * math.log10(2)) + 1
    return count + 1 if size >= 10**count else count


def _show_text(text: str | bytes, size: int) -> str:
    if size <= _SHOW_CHARS:
        return repr(text)
    return f"{text[:_SHOW_CHARS]!r}... ({size:,} in all)"


def show(value: object) -> str:
    """A short, always-printable rendering of a bad value for an error message.

    Built-in scalars are shown by value (long ints and texts abbreviated, with their
    size), built-in containers by their first few items; anything else by its type
    alone. Nothing the value's own class defines is called, the work done is bounded
    whatever the value's size, and the result is at most :data:`_SHOW_LIMIT`
    characters long.
    """
    text = _show(value, 0)
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 3] + "..."


def _show(value: object, depth: int) -> str:
    kind = type(value)
    number = exact_int(value)
    if number is not None:
        return _show_int(number)
    if issubclass(kind, str):
        # str's own slicing and length: only the part shown is ever copied.
        whole = cast("str", value)
        return _show_text(str.__getitem__(whole, slice(0, _SHOW_CHARS + 1)), str.__len__(whole))
    if issubclass(kind, bytes):
        data = cast("bytes", value)
        return _show_text(bytes.__getitem__(data, slice(0, _SHOW_CHARS + 1)), bytes.__len__(data))
    if issubclass(kind, bytearray):
        array = cast("bytearray", value)
        return _show_text(bytes(bytearray.__getitem__(array, slice(0, _SHOW_CHARS + 1))), bytearray.__len__(array))
    if kind is bool or value is None:
        return repr(value)
    if issubclass(kind, float):
        return float.__repr__(cast("float", value))
    # Identity, not ``in``: a tuple's ``in`` compares with ``==``, which a metaclass can define.
    if (kind is list or kind is tuple or kind is set or kind is frozenset or kind is dict) and depth < 2:
        return _show_container(cast("Collection[object]", value), kind, depth)
    return f"<{type_name(value)} object>"


def _show_container(value: Collection[object], kind: type, depth: int) -> str:
    # Only exact built-in containers reach here, so iterating them runs no caller code;
    # only the first few items are taken, and each is shown in turn.
    size = len(value)
    if kind is dict:
        pairs = islice(cast("dict[object, object]", value).items(), _SHOW_ITEMS)
        shown = [f"{_show(key, depth + 1)}: {_show(entry, depth + 1)}" for key, entry in pairs]
    else:
        shown = [_show(item, depth + 1) for item in islice(value, _SHOW_ITEMS)]
    if size > _SHOW_ITEMS:
        shown.append(f"... ({size:,} items)")
    inner = ", ".join(shown)
    if kind is list:
        return f"[{inner}]"
    if kind is tuple:
        return f"({inner}{',' if size == 1 else ''})"
    if kind is dict:
        return "{" + inner + "}"
    return f"{type_name(value)}({{{inner}}})" if size else f"{type_name(value)}()"


def check_code(value: object, where: str) -> int:
    """Return ``value`` as a plain ``int`` if it is a valid wire code.

    Raises ``TypeError`` for anything that is not an ``int`` (``bool`` included) and
    ``ValueError`` for an ``int`` outside 0..2**32-1. ``where`` names the caller in the
    message, e.g. ``"DisconnectCode.lookup()"``. An ``int`` subclass is read as its
    exact value; none of its own methods is called.
    """
    number = exact_int(value)
    if number is None:
        raise TypeError(f"{where} expects an int code, got {show(value)} ({type_name(value)})")
    if number < 0 or number > MAX_CODE:
        raise ValueError(f"{where} expects a code in 0..{MAX_CODE} (uint32), got {show(number)}")
    return number


def check_text(value: object, where: str, what: str) -> str:
    """Return ``value`` as a plain ``str``; raise ``TypeError`` naming it otherwise."""
    text = exact_str(value)
    if text is None:
        raise TypeError(f"{where} expects {what} to be a str, got {show(value)} ({type_name(value)})")
    return text


def check_flag(value: object, where: str, what: str) -> bool:
    """Return ``value`` if it is a ``bool``; raise ``TypeError`` naming it otherwise."""
    if value is True or value is False:
        return value
    raise TypeError(f"{where} expects {what} to be a bool, got {show(value)} ({type_name(value)})")

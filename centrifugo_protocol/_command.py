"""What every subcommand of ``centrifugo-codes`` shares: parsing, words and output.

The code explainer (:mod:`centrifugo_protocol._cli`) and the metrics report
(:mod:`centrifugo_protocol.metrics`) are two faces of one command. They parse their
arguments with one :class:`Parser`, read a code with one :func:`code_of`, say what
a client does with one vocabulary (:func:`client_words`, :func:`subscription_words`)
and write through one :func:`write`, so that an answer, an error line or an exit
status never depends on the subcommand that gave it.

Exit statuses, for every subcommand: 0 with an answer; 1 when the output cannot be
written (a full disk, a closed standard output), with one line on standard error;
2 for bad arguments or input, with one line on standard error; 141 when the reader
went away (``| head``), quietly, as a shell reports a filter stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Final, NoReturn

from . import classify
from ._ranges import MAX_CODE

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_WRITE_ERROR",
    "PROG",
    "ClosedOutputError",
    "Parser",
    "client_words",
    "code_of",
    "span",
    "subcommand_arguments",
    "subscription_words",
    "write",
]

#: The command's name where the caller gives none.
PROG: Final = "centrifugo-codes"
#: Exit status for bad arguments or input.
EXIT_BAD_INPUT: Final = 2
#: Exit status when the output cannot be written.
EXIT_WRITE_ERROR: Final = 1
#: Exit status of a filter whose reader went away: what a shell reports for SIGPIPE.
EXIT_BROKEN_PIPE: Final = 128 + 13


class Parser(argparse.ArgumentParser):
    """argparse, with one error line (no usage dump) and status 2 for bad arguments."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


# --- Codes --------------------------------------------------------------------------------

#: Digits of the largest code: longer digit strings are refused before ``int()`` runs.
_CODE_DIGITS: Final = len(str(MAX_CODE))


def code_of(text: str) -> int | None:
    """The code that ``text`` names, a decimal uint32 in ASCII digits, or ``None``.

    Leading zeros are allowed; signs, spaces, other digits and anything longer than
    the largest code are not, so a 5,000-digit text never reaches ``int()``.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > _CODE_DIGITS:
        return None
    number = int(digits)
    return number if number <= MAX_CODE else None


def span(codes: range) -> str:
    """A range as people write it: ``range(4000, 4500)`` is ``4000-4499``."""
    return f"{codes.start}-{codes.stop - 1}"


# --- What a client does: one vocabulary ---------------------------------------------------

_CLIENT_WORDS: Final = {
    classify.ClientState.CONNECTING: "reconnects",
    classify.ClientState.DISCONNECTED: "stops",
    classify.ClientState.CONNECTED: "retries later",
}
_SUBSCRIPTION_WORDS: Final = {
    classify.SubscriptionState.SUBSCRIBING: "resubscribes",
    classify.SubscriptionState.UNSUBSCRIBED: "ends the subscription",
    classify.SubscriptionState.SUBSCRIBED: "retries later",
}


def client_words(transition: classify.Transition[classify.ClientState]) -> str:
    """What the client does after ``transition``, in a few words: ``"stops"``."""
    words = _CLIENT_WORDS[transition.state]
    return f"fetches a new token and {words}" if transition.refresh_token else words


def subscription_words(transition: classify.Transition[classify.SubscriptionState]) -> str:
    """What the subscription does after ``transition``, in a few words."""
    words = _SUBSCRIPTION_WORDS[transition.state]
    return f"fetches a new token and {words}" if transition.refresh_token else words


# --- Output -------------------------------------------------------------------------------


class ClosedOutputError(Exception):
    """Standard output is closed or its reader has gone away."""


def write(text: str) -> None:
    """Write ``text`` to standard output, all of it or an exception.

    Raises :class:`ClosedOutputError` when there is no standard output, and the
    ``OSError`` of a failed write otherwise (``BrokenPipeError`` when the reader left).
    """
    stream = sys.stdout
    if stream is None:  # standard output was closed before Python started
        raise ClosedOutputError
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream, such as a test's StringIO
        stream.write(text)
        stream.flush()
        return
    # Bytes, in a loop that checks each count: unbuffered (python -u), a text stream
    # drops the rest of a partial write to a pipe whose reader left, and the command
    # would end with status 0 and its output cut short.
    stream.flush()
    data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    while data:
        written = binary.write(data)
        data = data[written or 0 :]
    binary.flush()


def write_lines(lines: Iterable[str]) -> None:
    """Write each of ``lines`` followed by a newline, in one :func:`write`."""
    write("".join(f"{line}\n" for line in lines))


# --- Subcommands --------------------------------------------------------------------------


def subcommand_arguments(arguments: Sequence[str], name: str, leading_flags: Iterable[str]) -> list[str] | None:
    """The arguments for subcommand ``name`` when ``arguments`` run it, else ``None``.

    The subcommand is the first argument, or comes after flags of its own that
    people also write first (``--json metrics page.prom``); those are passed on.
    """
    flags = frozenset(leading_flags)
    for index, argument in enumerate(arguments):
        if argument == name:
            return [*arguments[:index], *arguments[index + 1 :]]
        if argument not in flags:
            return None
    return None

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
:func:`run` keeps them: a subcommand only writes with :func:`write` and raises.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Final, NoReturn, cast

from . import classify
from ._ranges import MAX_CODE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_WRITE_ERROR",
    "PROG",
    "ClosedOutputError",
    "Parser",
    "client_words",
    "code_of",
    "install_hint",
    "run",
    "span",
    "subscription_words",
    "width",
    "wrap",
    "write",
    "write_lines",
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
    """argparse, with one error line (no usage dump) and status 2 for bad arguments.

    Its help and version text go through :func:`write`, so that they fail as any
    other output does: argparse itself ignores a failed write and exits with 0.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            say(message.rstrip("\n"))
        raise SystemExit(status)

    def _print_message(self, message: str, file: object = None) -> None:
        # argparse prints only help, usage and version text here (errors go to exit()),
        # and passes None for a standard output that is closed.
        write(message)


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
    """Standard output was closed before the command started (``>&-``)."""


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


def width() -> int:
    """How wide text may be: the terminal's width, or 80 columns when not writing to one."""
    stream = sys.stdout
    try:
        terminal = stream is not None and stream.isatty()
    except (OSError, ValueError):  # closed or detached: not a terminal
        terminal = False  # pragma: no mutate (None is as false as False here)
    # shutil reads $COLUMNS, then the terminal; it falls back to 80 columns.
    return max(shutil.get_terminal_size().columns, 20) if terminal else _DEFAULT_WIDTH


#: Width of text written anywhere but to a terminal.
_DEFAULT_WIDTH: Final = 80


def wrap(text: str, indent: str = "", *, first: str | None = None, columns: int | None = None) -> list[str]:
    """``text`` as lines of at most ``columns`` (by default :func:`width`).

    Each line starts with ``indent``, the first with ``first`` if given; a word longer
    than a line is broken.
    """
    return textwrap.wrap(
        text,
        columns if columns is not None else width(),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,  # pragma: no mutate (textwrap only tests its truth)
    )


# --- Running a subcommand -----------------------------------------------------------------


def run(body: Callable[[], int], prog: str) -> int:
    """Run ``body`` and turn a failed output into the documented exit status.

    A reader that goes away (``| head``) ends the command quietly with status 141;
    a closed standard output or another failure to write (a full disk) is one line
    on standard error and status 1. argparse's own exits (``--help``, bad
    arguments) pass through as ``SystemExit``, after the output is flushed.
    """
    try:
        try:
            return body()
        finally:
            # Also after argparse's exits: the output must be out, or fail here,
            # before the interpreter's final flush.
            if sys.stdout is not None:
                sys.stdout.flush()
    except ClosedOutputError:
        reason = os.strerror(errno.EBADF)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as error:  # OSError(EPIPE, ...) is a BrokenPipeError: not here
        reason = error.strerror or str(error)
    _silence_stdout()
    say(f"{prog}: error: cannot write the output: {reason}")
    return EXIT_WRITE_ERROR


def _silence_stdout() -> None:
    # Python flushes standard output again at exit; point it at /dev/null first so that
    # the data still buffered cannot fail a second time with a traceback.
    _to_devnull(1)
    sys.stdout = None  # nothing more may be written


def _to_devnull(fd: int) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def say(line: str) -> None:
    """Write one line to standard error, or nothing if standard error is gone or full."""
    stream = sys.stderr
    if stream is None:  # closed before the command started (2>&-)
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError):
        # Nobody can read it; and the interpreter's exit flush must not fail (status 120).
        _to_devnull(2)
        sys.stderr = None


# --- Install hints ------------------------------------------------------------------------

#: The distribution this package is installed as.
_DISTRIBUTION: Final = "centrifugo-protocol"


def install_hint(extra: str) -> str:
    """The command that adds the optional ``extra`` to this installation of the package.

    It follows how the package was installed (PEP 610's ``direct_url.json``): from a
    local directory, the same directory; from a VCS or an archive URL, that URL; from
    a package index, the index's name. The installer is the one that installed it
    (``pip``, or ``uv pip``). Without metadata (running from a source tree), the
    hint installs the current directory.
    """
    from importlib import metadata

    try:
        distribution = metadata.distribution(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"pip install '.[{extra}]'"
    installer = (distribution.read_text("INSTALLER") or "pip").strip()  # pragma: no mutate (only "uv" differs from pip)
    tool = "uv pip" if installer == "uv" else "pip"
    direct = _json_object(distribution.read_text("direct_url.json"))
    target = f"{_DISTRIBUTION}[{extra}]"
    url = direct.get("url")
    if not isinstance(url, str):  # from a package index: no direct URL recorded
        return f"{tool} install '{target}'"
    if url.startswith("file://") and "dir_info" in direct:
        editable = _json_object(direct["dir_info"]).get("editable") is True
        return f"{tool} install {'-e ' if editable else ''}'{url.removeprefix('file://')}[{extra}]'"
    vcs = _json_object(direct.get("vcs_info")).get("vcs")
    return f"{tool} install '{target} @ {vcs}+{url}'" if isinstance(vcs, str) else f"{tool} install '{target} @ {url}'"


def _json_object(value: object) -> dict[str, object]:
    """``value`` as a JSON object: parsed if it is a text, ``{}`` if it is no object."""
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return {}
    return cast("dict[str, object]", value)  # pragma: no mutate (cast() is a run-time no-op)

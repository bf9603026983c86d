"""``centrifugo-codes`` / ``python -m centrifugo_protocol``: explain codes seen in a log.

Everything printed here is generated from the code tables, the range rules and
:mod:`centrifugo_protocol.classify`; this module adds wording, never facts.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from typing import TYPE_CHECKING, Final, NoReturn

from . import __version__, classify
from ._api_codes import ApiErrorCode
from ._client_codes import ClientErrorCode, ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode
from ._codes import DisconnectCode, ErrorCode, UnsubscribeCode
from ._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    CLIENT_SIDE_ERROR_CODES,
    MAX_CODE,
    MIN_RESUBSCRIBE_CODE,
    SERVER_ERROR_CODES,
    SERVER_RECONNECT_DISCONNECT_CODES,
    SERVER_TERMINAL_DISCONNECT_CODES,
    TRANSPORT_CLOSE_CODES,
    UNSUBSCRIBE_CODES,
    show,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["main"]

#: The command's name where the caller gives none.
_PROG: Final = "centrifugo-codes"

#: A JSON value as the command prints it.
Json = str | int | bool | None
Record = dict[str, Json]

_EXAMPLES = """\
examples:
  %(prog)s 3012            what a disconnect with code 3012 means
  %(prog)s 104 4501 1009   several codes at once
  %(prog)s --json 2500     the same facts as JSON
  %(prog)s --json          every known code of every family, as JSON
  %(prog)s --markdown      the reference tables of every family
  %(prog)s metrics URL     explain the codes a running server counted (see
                           %(prog)s metrics --help)

Unknown codes are explained by the protocol's range rules: 4000-4499 are an
application's reconnecting disconnects, 4500-4999 its terminal ones, and so on.
"""


def _parse_code(text: str) -> int:
    """argparse type: a decimal uint32, or an error message naming the input."""
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0") or "0"
        # Ten digits at most before int(): a 5,000-digit argument must not reach it.
        if len(digits) <= len(str(MAX_CODE)) and int(digits) <= MAX_CODE:
            return int(digits)
    raise argparse.ArgumentTypeError(f"{show(text)} is not a code: expected a whole number from 0 to {MAX_CODE}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump and no traceback: the line names what was wrong.
        self.exit(2, f"{self.prog}: error: {message}\n")


def _build_parser(prog: str | None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description=(
            "Explain Centrifugo protocol codes: client errors, unsubscribes, disconnects, "
            "transport closes and server API errors, and what a client does after each."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print a JSON list of objects, one per family a code is in")
    output.add_argument("--markdown", action="store_true", help="print the reference tables of every family")
    parser.add_argument("codes", nargs="*", type=_parse_code, metavar="CODE", help="a code from a log, 0-4294967295")
    return parser


# --- What a client does: worded from classify's answers. --------------------------------


_CLIENT_OUTCOMES = {
    classify.ClientState.DISCONNECTED: "the client stops (disconnected) and does not reconnect",
    classify.ClientState.CONNECTING: "the client reconnects",
    classify.ClientState.CONNECTED: "the client stays connected and retries later",
}
_SUBSCRIPTION_OUTCOMES = {
    classify.SubscriptionState.UNSUBSCRIBED: "the subscription ends (unsubscribed)",
    classify.SubscriptionState.SUBSCRIBING: "the client resubscribes",
    classify.SubscriptionState.SUBSCRIBED: "the subscription stays and retries later",
}


def _client_action(transition: classify.Transition[classify.ClientState]) -> str:
    if transition.refresh_token:
        return "the client fetches a new token and reconnects"
    return _CLIENT_OUTCOMES[transition.state]


def _subscription_action(transition: classify.Transition[classify.SubscriptionState]) -> str:
    if transition.refresh_token:
        return "the client fetches a new subscription token and resubscribes"
    return _SUBSCRIPTION_OUTCOMES[transition.state]


def _forgets(
    transition: classify.Transition[classify.ClientState] | classify.Transition[classify.SubscriptionState],
) -> str:
    return ", after dropping cached stream positions" if transition.invalidate_state else ""


def _error_action(code: int, temporary: bool) -> str:
    connect = classify.on_connect_error(code, temporary=temporary)
    subscribe = classify.on_subscribe_error(code, temporary=temporary)
    rebuilt = classify.on_subscribe_error(code, temporary=temporary, can_rebuild_state=True)
    text = f"On connect, {_client_action(connect)}; on subscribe, {_subscription_action(subscribe)}"
    if rebuilt != subscribe:
        text += (
            f"; if the application can rebuild the channel's state, {_subscription_action(rebuilt)}{_forgets(rebuilt)}"
        )
    return text + "."


# --- One record per family a code belongs to. ---------------------------------------------


def _error_record(code: int) -> Record:
    found = ErrorCode.lookup(code)
    action = _error_action(code, found.temporary if isinstance(found, ErrorCode) else False)
    if not isinstance(found, ErrorCode) and classify.on_connect_error(code).state is classify.ClientState.DISCONNECTED:
        action += " With temporary=true on the wire, the client retries instead."
    return {
        "family": "error",
        "code": code,
        "name": found.name if isinstance(found, ErrorCode) else None,
        "message": found.message if isinstance(found, ErrorCode) else None,
        "temporary": found.temporary if isinstance(found, ErrorCode) else None,
        "description": found.description,
        "action": action,
    }


def _client_error_record(member: ClientErrorCode) -> Record:
    return {
        "family": "client_error",
        "code": member.code,
        "name": member.name,
        "description": member.description,
        "action": "Reported by the SDK itself in an error event; the server never sends it.",
    }


def _unsubscribe_record(code: int) -> Record:
    found = UnsubscribeCode.lookup(code)
    transition = classify.on_unsubscribe(code)
    return {
        "family": "unsubscribe",
        "code": code,
        "name": found.name if isinstance(found, UnsubscribeCode) else None,
        # None where no text is defined: unknown codes, and 2502, whose senders choose one.
        "reason": found.reason if isinstance(found, UnsubscribeCode) and found.reason else None,
        "resubscribe": found.resubscribe,
        "description": found.description,
        "action": _subscription_action(transition).capitalize() + _forgets(transition) + ".",
    }


def _disconnect_record(code: int) -> Record:
    found = DisconnectCode.lookup(code)
    transition = classify.on_disconnect(code)
    return {
        "family": "disconnect",
        "code": code,
        "name": found.name if isinstance(found, DisconnectCode) else None,
        "reason": found.reason if isinstance(found, DisconnectCode) else None,
        "reconnect": found.reconnect,
        "description": found.description,
        "action": _client_action(transition).capitalize() + _forgets(transition) + ".",
    }


def _close_record(code: int) -> Record:
    transition = classify.on_close(code)
    return {
        "family": "close",
        "code": code,
        "name": None,
        "reason": transition.reason,
        "reconnect": transition.state is classify.ClientState.CONNECTING,
        "description": (
            "A close code of the transport itself (below 3000), not one Centrifugo assigns; "
            f"SDKs report it with client code {transition.code} {transition.reason!r}."
        ),
        "action": _client_action(transition).capitalize() + ".",
    }


def _api_error_record(member: ApiErrorCode) -> Record:
    return {
        "family": "api_error",
        "code": member.code,
        "name": member.name,
        "message": member.message,
        "http_status": int(member.http_status),
        "grpc_status": member.grpc_status,
        "description": member.description,
        "action": f"A server API reply; in transport error mode HTTP {int(member.http_status)}, gRPC {member.grpc_status}.",
    }


# Which families a number belongs to, by the protocol's ranges. Reply errors use
# 0-1999; unsubscribes 2000-2999; disconnects 3000 and up; transport closes the rest
# below 3000 that a WebSocket can carry (1000-2999). Server API codes are listed
# only when known: the API has no application range.
_ERROR_SPAN = range(CLIENT_SIDE_ERROR_CODES.start, APP_ERROR_CODES.stop)
_WEBSOCKET_CLOSE_CODES = range(1000, TRANSPORT_CLOSE_CODES.stop)


def _records(code: int) -> Iterator[Record]:
    if code in _ERROR_SPAN:
        yield _error_record(code)
    if code in ClientErrorCode._value2member_map_:
        yield _client_error_record(ClientErrorCode(code))
    if code in ApiErrorCode._value2member_map_:
        yield _api_error_record(ApiErrorCode(code))
    if code in UNSUBSCRIBE_CODES:
        yield _unsubscribe_record(code)
    if code >= SERVER_RECONNECT_DISCONNECT_CODES.start:
        yield _disconnect_record(code)
    if code in _WEBSOCKET_CLOSE_CODES:
        yield _close_record(code)


def _every_known_code() -> Iterator[Record]:
    for error in ErrorCode:
        yield _error_record(error.code)
    for client_error in ClientErrorCode:
        yield _client_error_record(client_error)
    for unsubscribe in UnsubscribeCode:
        yield _unsubscribe_record(unsubscribe.code)
    for disconnect in DisconnectCode:
        yield _disconnect_record(disconnect.code)
    for api_error in ApiErrorCode:
        yield _api_error_record(api_error)


# --- Text and Markdown --------------------------------------------------------------------

_FAMILY_TITLES = {
    "error": ("ErrorCode", "error in a reply to a client command"),
    "client_error": ("ClientErrorCode", "error event raised by an SDK itself"),
    "unsubscribe": ("UnsubscribeCode", "unsubscribe push"),
    "disconnect": ("DisconnectCode", "disconnect push or close frame"),
    "close": ("close code", "WebSocket close frame"),
    "api_error": ("ApiErrorCode", "server HTTP/gRPC API error"),
}
_FLAG_KEYS = ("message", "reason", "temporary", "resubscribe", "reconnect", "http_status", "grpc_status")


def _yes_no(value: Json) -> str:
    if value is None:
        return "decided by the wire"
    if isinstance(value, bool):
        return _yes(value)
    return str(value)


def _text(record: Record) -> str:
    name = record["name"]
    family, kind = _FAMILY_TITLES[str(record["family"])]
    title = f"{family}.{name}" if name is not None else f"{family}, not a listed code"
    lines = [f"{record['code']}  {title}  ({kind})"]
    for key in _FLAG_KEYS:
        if key not in record:
            continue
        value = record[key]
        if key in ("message", "reason") and value is None:
            if name is None:
                continue
            shown = "none defined by the server; each sender chooses its own"
        else:
            shown = json.dumps(value) if isinstance(value, str) else _yes_no(value)
        lines.append(f"  {key}: {shown}")
    description, action = str(record["description"]), str(record["action"])
    lines.append(f"  {description}")
    # Most descriptions already say what the client does; say it again only when
    # the action adds something.
    if action.rstrip(".").lower() not in description.lower():
        lines.append(f"  -> {action}")
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def _table(header: Sequence[str], rows: Iterator[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows)
    return lines


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _span(codes: range) -> str:
    return f"{codes.start}-{codes.stop - 1}"


def _quoted(text: str) -> str:
    return f'"{text}"' if text else "(none defined)"


def _reason_table(family: type[ConnectingCode | DisconnectedCode | SubscribingCode | UnsubscribedCode]) -> list[str]:
    return _table(
        ("Code", "Name", "Reason", "Meaning"),
        ((m.code, f"`{m.name}`", _quoted(m.reason), m.description) for m in family),
    )


def markdown() -> str:
    """The reference tables of every family, as Markdown (the README embeds this)."""
    out = ["### Client error codes (`ErrorCode`)", ""]
    out += [
        f"Errors in replies to client commands. {_span(CLIENT_SIDE_ERROR_CODES)} are client-side (SDK) codes, "
        f"{_span(SERVER_ERROR_CODES)} belong to the server, and applications (proxies) use "
        f"{_span(APP_ERROR_CODES)}. The wire's `temporary` flag wins over the defaults below.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Message", "Temporary", "Meaning"),
        ((m.code, f"`{m.name}`", f'"{m.message}"', _yes(m.temporary), m.description) for m in ErrorCode),
    )
    out += ["", "### Unsubscribe codes (`UnsubscribeCode`)", ""]
    out += [
        f"Codes from {MIN_RESUBSCRIBE_CODE} up make the client resubscribe; lower codes end the subscription. "
        f"The server sends codes in {_span(UNSUBSCRIBE_CODES)}.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Reason", "Resubscribe", "Meaning"),
        ((m.code, f"`{m.name}`", _quoted(m.reason), _yes(m.resubscribe), m.description) for m in UnsubscribeCode),
    )
    out += ["", "### Disconnect codes (`DisconnectCode`)", ""]
    out += [
        f"Terminal (the client stops) in {_span(SERVER_TERMINAL_DISCONNECT_CODES)} and "
        f"{_span(APP_TERMINAL_DISCONNECT_CODES)}; every other code reconnects, including "
        f"{_span(APP_RECONNECT_DISCONNECT_CODES)} (applications' reconnecting codes), codes from "
        f"{APP_TERMINAL_DISCONNECT_CODES.stop} up, and transport close codes below "
        f"{TRANSPORT_CLOSE_CODES.stop}.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Reason", "Reconnect", "Meaning"),
        ((m.code, f"`{m.name}`", f'"{m.reason}"', _yes(m.reconnect), m.description) for m in DisconnectCode),
    )
    out += ["", "### Server API error codes (`ApiErrorCode`)", ""]
    out += [
        "Errors of the server HTTP and gRPC API, with their statuses in transport error mode. "
        "Any other code maps to HTTP 500 and gRPC `INTERNAL`.",
        "",
    ]
    out += _table(
        ("Code", "Name", "Message", "HTTP", "gRPC", "Meaning"),
        (
            (m.code, f"`{m.name}`", f'"{m.message}"', int(m.http_status), f"`{m.grpc_status}`", m.description)
            for m in ApiErrorCode
        ),
    )
    out += ["", "### Client-side codes", ""]
    out += ["SDKs report these with their own state changes; the server never sends them.", ""]
    for family in (ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode):
        out += [f"`{family.__name__}`:", ""]
        out += _reason_table(family)
        out += [""]
    out += ["`ClientErrorCode` (error events; SDKs disagree from 13 up, so those are not listed):", ""]
    out += _table(("Code", "Name", "Meaning"), ((m.code, f"`{m.name}`", m.description) for m in ClientErrorCode))
    return "\n".join(out) + "\n"


def _run(argv: Sequence[str] | None, prog: str | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    from ._command import subcommand_arguments

    metrics_arguments = subcommand_arguments(arguments, "metrics", ("--json",))
    if metrics_arguments is not None:
        from . import _metrics

        return _metrics.main(metrics_arguments, prog or _PROG)
    args = _build_parser(prog).parse_args(arguments)
    codes: list[int] = args.codes
    if args.markdown:
        if codes:
            _build_parser(prog).error("--markdown prints every table and takes no CODE")
        _write(markdown())
        return 0
    if args.json:
        records = [r for code in codes for r in _records(code)] if codes else list(_every_known_code())
        _write(json.dumps(records, indent=2) + "\n")
        return 0
    if not codes:
        _build_parser(prog).error("give at least one CODE (or --json / --markdown for every code)")
    _write("\n\n".join(_text(r) for code in codes for r in _records(code)) + "\n")
    return 0


def _write(text: str) -> None:
    stream = sys.stdout
    if stream is None:  # standard output was closed before Python started
        raise _ClosedOutput
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


class _ClosedOutput(Exception):
    """Standard output is closed or its reader has gone away."""


#: Exit status of a filter whose reader went away: what a shell reports for SIGPIPE.
_EXIT_BROKEN_PIPE: Final = 128 + 13


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run the command; returns the exit status (argparse exits with 2 on bad input).

    A reader that goes away (``| head``) or a closed standard output ends the command
    quietly with status 141, as a shell reports for a filter stopped by SIGPIPE;
    another failure to write (a full disk) is a one-line error and status 1.
    """
    try:
        try:
            return _run(argv, prog)
        finally:
            # Also after argparse's own exits (--help, --version): the output must be
            # out, or fail here, before the interpreter's final flush.
            if sys.stdout is not None:
                sys.stdout.flush()
    except (_ClosedOutput, BrokenPipeError):
        status = _EXIT_BROKEN_PIPE
    except OSError as error:
        if error.errno != errno.EBADF:
            _silence_stdout()
            _say(f"{prog or _PROG}: error: cannot write the output: {error.strerror or error}")
            return 1
        status = _EXIT_BROKEN_PIPE
    _silence_stdout()
    return status


def _silence_stdout() -> None:
    # Python flushes standard output again at exit; point it at /dev/null first so that
    # the data still buffered cannot fail a second time with a traceback.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = None  # nothing more may be written


def _say(line: str) -> None:
    stream = sys.stderr
    if stream is not None:
        try:
            stream.write(line + "\n")
            stream.flush()
        except OSError:
            pass

"""``centrifugo-codes metrics SOURCE...``: the report of :mod:`centrifugo_protocol.metrics` as a command.

It parses its arguments with the command line's shared :class:`~._command.Parser`
and writes through :func:`~._command.write`, so exit statuses and stream handling
are those of every subcommand (see :mod:`centrifugo_protocol._command`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING, Final

from .._codes import DisconnectCode, ErrorCode, UnsubscribeCode
from .._command import EXIT_BAD_INPUT, EXIT_WRITE_ERROR, ClosedOutputError, Parser, write
from . import MAX_TIMEOUT, NAMESPACE_SYNTAX, MetricsError, Report, read, read_prometheus
from ._prometheus import DURATION_SYNTAX
from ._render import text_report
from ._report import FREQUENT_PERCENT
from ._sources import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from ._text import SHOWN_WIDTH, clip

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

_DESCRIPTION = """\
Explain the protocol codes that running Centrifugo nodes counted: read their
Prometheus metrics pages and report, per family (reply errors, unsubscribes,
disconnects, close frames, server API errors), each code's count, share, what
the client does after it and what it means, with notes on the causes the codes
point at."""

_EPILOG = f"""\
A SOURCE is a file, - for standard input, or an http:// or https:// URL of a
/metrics endpoint. Several SOURCEs are several nodes: their counts are added up.

--since OLD subtracts an earlier page of the same node, so the report covers the
time between the two pages. Give it once per SOURCE, in the same order (OLD is
a file saved earlier, e.g. with curl, or - or a URL). A node whose counters went
down restarted in between; the report says so and counts it from the restart.

--prometheus URL asks Prometheus (URL is its base, e.g. http://localhost:9090)
for every node it scrapes, one node per instance label, summed. --since 5m then
gives the exact increase over the last 5 minutes, counter resets included.
--timeout bounds each query as a whole, --max-bytes each answer.

Notes: codes that point at a cause get a note. Slow clients ({DisconnectCode.SLOW}),
missed pongs ({DisconnectCode.NO_PONG}) and rate limits ({ErrorCode.TOO_MANY_REQUESTS}, \
{DisconnectCode.TOO_MANY_REQUESTS}) are noted from {FREQUENT_PERCENT}%% of
their family; insufficient state ({DisconnectCode.INSUFFICIENT_STATE}, {UnsubscribeCode.INSUFFICIENT}), \
server errors ({ErrorCode.INTERNAL}, {DisconnectCode.SERVER_ERROR}),
invalid tokens ({DisconnectCode.INVALID_TOKEN}), terminal codes and codes no table lists are
noted at any count.

Bounds: --timeout bounds reading each source as a whole (for a URL: connection,
headers, body and up to 3 redirects, to http:// or https:// only), --max-bytes
the bytes read from each. A line longer than 65536 characters or a series with
more than 64 labels is an error, as is a series written twice. Memory stays
within a few times the bytes read (about 2.5 for a page of distinct series).

Exit status: 0 with a report; 2 for bad arguments or input (one line on stderr);
1 when the output cannot be written; 141, quietly, when its reader goes away.
Needs the prometheus-client package: pip install 'centrifugo-protocol[metrics]'.

examples:
  %(prog)s http://localhost:8000/metrics
  %(prog)s a.txt b.txt --since a-old.txt --since b-old.txt
  curl -s http://localhost:8000/metrics | %(prog)s --json -
"""

#: Options of ``metrics`` that the command line also accepts before the word ``metrics``.
LEADING_FLAGS: Final = ("--json",)


def _quoted(text: str) -> str:
    return clip(ascii(text), SHOWN_WIDTH)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a number of seconds above 0 and at most 3600")
    return value


def _byte_count(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) <= 12 and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a whole number of bytes above 0")


def _namespace(text: str) -> str:
    if NAMESPACE_SYNTAX.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a metrics namespace ([A-Za-z_][A-Za-z0-9_]*)")
    return text


def _build_parser(prog: str) -> Parser:
    parser = Parser(
        prog=f"{prog} metrics",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="a metrics page: file, - (stdin) or URL")
    parser.add_argument(
        "--prometheus",
        metavar="URL",
        help="ask the Prometheus server at URL (its HTTP API) instead of reading pages",
    )
    parser.add_argument(
        "--since",
        action="append",
        default=[],
        metavar="OLD",
        help="an earlier page of the matching SOURCE; once per SOURCE, same order. "
        "With --prometheus: a window such as 5m or 1h30m",
    )
    parser.add_argument(
        "--namespace",
        type=_namespace,
        metavar="NS",
        help="the metrics namespace (default: find centrifugo or centrifuge)",
    )
    parser.add_argument("--json", action="store_true", help="print the same report as JSON, with stable keys")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"most time to read each source, or for each Prometheus query, as a whole (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_byte_count,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"most bytes to read from a page (default {DEFAULT_MAX_BYTES}, 64 MiB)",
    )
    return parser


def main(argv: Sequence[str], prog: str) -> int:
    """Run ``PROG metrics ARGV...``; returns the exit status.

    As in the rest of the command line, argparse exits with 2 (``SystemExit``) on
    bad arguments and with 0 after ``--help``; errors writing the output propagate
    to the command line's own handler.
    """
    parser = _build_parser(prog)
    args = parser.parse_args(argv)
    sources: list[str] = args.sources
    since: list[str] = args.since
    prometheus: str | None = args.prometheus
    if prometheus is not None:
        return _from_prometheus(parser, args, prometheus)
    if not sources:
        parser.error("give at least one SOURCE, or --prometheus URL")
    if since and len(since) != len(sources):
        parser.error(f"give --since once per SOURCE, in the same order ({len(since)} for {len(sources)})")
    if [*sources, *since].count("-") > 1:
        parser.error("standard input (-) can be read only once")
    try:
        report = read(
            sources, since=since or None, namespace=args.namespace, timeout=args.timeout, max_bytes=args.max_bytes
        )
    except MetricsError as error:
        return _bad(parser, error)
    return _print(report, json_output=args.json, prog=parser.prog)


def _print(report: Report, *, json_output: bool, prog: str) -> int:
    text = json.dumps(report.to_json(), indent=2) + "\n" if json_output else text_report(report)
    try:
        write(text)
    except ClosedOutputError:  # started with standard output closed (>&-)
        stream = sys.stderr
        if stream is not None:
            stream.write(f"{prog}: error: cannot write the output: standard output is closed\n")
        return EXIT_WRITE_ERROR
    return 0


def _from_prometheus(parser: Parser, args: argparse.Namespace, url: str) -> int:
    sources: list[str] = args.sources
    since: list[str] = args.since
    if sources:
        parser.error("give either SOURCEs or --prometheus, not both")
    if len(since) > 1:
        parser.error("with --prometheus, give --since once, as a window such as 5m")
    if not url.lower().startswith(("http://", "https://")):
        parser.error(f"--prometheus: {_quoted(url)} is not an http:// or https:// URL")
    window = since[0] if since else None
    if window is not None and DURATION_SYNTAX.fullmatch(window) is None:
        parser.error(f"--since: {_quoted(window)} is not a window such as 90s, 5m, 1h30m or 250ms")
    try:
        report = read_prometheus(
            url, since=window, namespace=args.namespace, timeout=args.timeout, max_bytes=args.max_bytes
        )
    except ValueError as error:  # a window beyond a year
        parser.error(f"--since: {error}")
    except MetricsError as error:
        return _bad(parser, error)
    return _print(report, json_output=args.json, prog=parser.prog)


def _bad(parser: Parser, error: MetricsError) -> int:
    stream = sys.stderr
    if stream is not None:
        stream.write(f"{parser.prog}: error: {error}\n")
    return EXIT_BAD_INPUT

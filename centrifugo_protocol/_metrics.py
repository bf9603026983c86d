"""``centrifugo-codes metrics SOURCE...``: which codes a running server sent, and what they mean.

A Centrifugo node (or any server built on the centrifuge Go library) counts the
protocol codes it sends in four Prometheus counters. This command reads the
metrics pages of one or more nodes and explains those counts with the package's
own tables: every name, flag, range bound and description below comes from
:mod:`centrifugo_protocol._codes`, :mod:`centrifugo_protocol._ranges` and
:mod:`centrifugo_protocol.classify`; this module adds wording, never facts.

The four families, ``<ns>`` being the metrics namespace:

* ``<ns>_client_num_reply_errors`` (labels ``method``, ``code``,
  ``channel_namespace``, sometimes more): errors in replies to client commands;
* ``<ns>_client_num_server_unsubscribes`` (``code``, ``channel_namespace``);
* ``<ns>_client_num_server_disconnects`` (``code``);
* ``<ns>_transport_outgoing_close_count`` (``transport``, ``code``): close frames.

Rules:

* A SOURCE is a file, ``-`` for standard input, or an ``http://`` or ``https://``
  URL. Pages are parsed by ``prometheus_client``'s text parser (the ``metrics``
  extra), streamed and decoded as UTF-8; at most ``--max-bytes`` bytes are read from
  each. For a URL, ``--timeout`` bounds every wait for the server and, checked
  between reads, the whole answer; an answer shorter than its stated length is an
  error, not a smaller page.
* A sample belongs to a family when its name is the family's name with or without
  the ``_total`` suffix that newer expositions add to counters. Labels other than
  ``code`` and (for reply errors) ``method`` are summed over.
* The namespace is ``--namespace`` if given; otherwise each page must have metrics
  named ``centrifugo_*`` or ``centrifuge_*``, not both. A page without any metric of
  its namespace is not a Centrifugo page: an error. A page that has some but none of
  the four families is fine: a node that never sent a code does not list them.
* Counts must be whole numbers from 0 to 2**53 (the counters are float64); ``3.0``
  is accepted, ``2.5``, ``NaN``, ``+Inf`` and negative values are errors.
* Several SOURCEs are nodes whose counts are added up. With ``--since OLD``, given
  once per SOURCE in the same order, each node's earlier page is subtracted so the
  report covers the time between the two. If any of a node's counters went down,
  the node restarted in between: the report says so and takes that node's new
  counts as they are (everything since the restart).
* A code label is a decimal number from 0 to 2**32-1. Anything else is kept and
  shown as it is, with the kind ``invalid``; codes that no table lists are shown
  with the range that decides what the client does. No count is ever dropped,
  except codes whose count is 0.
* Rows are sorted by count, largest first; ties by code, labels that are no code
  last.
* What the client does: for disconnects the range rule (``reconnect``), for close
  frames :func:`classify.on_close`, for unsubscribes ``resubscribe``. The metrics do
  not carry a reply error's ``temporary`` flag, so a known error code is judged by
  the server's own flag for it, and a code no table lists shows "per wire flag"
  where the flag would decide. Per method, :mod:`classify` decides for
  ``connect``, ``refresh``, ``subscribe`` and ``sub_refresh`` (the server's
  ``method`` labels); after any other command the SDK hands the error to the
  application.
* Notes name causes the codes point at. "Frequent" means 10% or more of the
  family's count (:data:`_FREQUENT_PERCENT`); the other notes appear for any count.
  Notes about disconnect codes read the server disconnects family only, since a
  disconnect over WebSocket is also counted as a close frame.
* Bad input of any kind prints one line on standard error and exits with 2.

JSON output (``--json``), with keys that do not change::

    {
      "interval": "since_start" | "between_snapshots",
      "nodes": [{"node": 1, "source": str, "since": str | null,
                 "namespace": str, "restarted": bool,
                 "totals": {"reply_errors": int, "unsubscribes": int,
                            "disconnects": int, "closes": int}}],
      "families": [{"family": "reply_errors" | "unsubscribes" | "disconnects"
                              | "closes",
                    "metric": str (the name after "<ns>_"), "total": int,
                    "codes": [{"code": int | null (null: the label is no code),
                               "label": str (as on the page; the first seen),
                               "kind": "known" | "application" | "client_side"
                                       | "transport" | "unlisted" | "invalid",
                               "name": str | null (the member's name),
                               "range": str | null (the range the code is in),
                               "count": int, "share": float (percent, 2 places),
                               "client": str (what the client does),
                               "meaning": str,
                               "methods": [{"method": str, "count": int,
                                            "client": str}] | null}]}],
      "notes": [{"rule": str, "text": str}]
    }

``methods`` is a list for reply errors and null for the other families.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import re
import sys
import textwrap
import time
from typing import TYPE_CHECKING, Final, NamedTuple, NoReturn, Protocol

from . import classify
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
)

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Sequence
    from typing import TextIO

    from _typeshed import WriteableBuffer
    from prometheus_client.metrics_core import Metric

__all__ = ["main"]

#: Namespaces looked for when ``--namespace`` is not given: Centrifugo's, then the
#: Go library's default.
_DETECTED_NAMESPACES: Final = ("centrifugo", "centrifuge")
#: What a namespace may be: the characters of a Prometheus metric name, no colon.
_NAMESPACE_SYNTAX: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFAULT_TIMEOUT: Final = 10.0
_DEFAULT_MAX_BYTES: Final = 64 * 2**20
#: The largest count a float64 counter holds exactly; a larger one is no count.
_MAX_COUNT: Final = 2**53
#: A code is "frequent" from this share of its family on (percent).
_FREQUENT_PERCENT: Final = 10
#: The text report's width; every line fits in it.
_WIDTH: Final = 80
#: Widest code label in the table; longer labels are cut there (the JSON has them whole).
_CODE_WIDTH: Final = 10
#: Widest method label in the report.
_METHOD_WIDTH: Final = 24
#: Widest rendering of a source, a value or a library's message in an error line.
_SHOWN_WIDTH: Final = 100
#: What to ask a server for: the classic text format, which the parser reads.
_ACCEPT: Final = "text/plain;version=0.0.4;q=1.0, */*;q=0.1"
_URL_SCHEMES: Final = ("http://", "https://")


class _Family(NamedTuple):
    key: str
    metric: str
    title: str
    noun: str


_REPLY_ERRORS: Final = _Family("reply_errors", "client_num_reply_errors", "Reply errors", "reply errors")
_UNSUBSCRIBES: Final = _Family("unsubscribes", "client_num_server_unsubscribes", "Server unsubscribes", "unsubscribes")
_DISCONNECTS: Final = _Family("disconnects", "client_num_server_disconnects", "Server disconnects", "disconnects")
_CLOSES: Final = _Family("closes", "transport_outgoing_close_count", "Close frames sent", "close frames")
_FAMILIES: Final = (_REPLY_ERRORS, _UNSUBSCRIBES, _DISCONNECTS, _CLOSES)

#: One counter on one page: its family's key and all its labels, sorted.
_Series = tuple[str, tuple[tuple[str, str], ...]]
#: A code as the report keys it: the number, or the label itself when it is no code.
_CodeKey = int | str
_Json = str | int | float | bool | None | list["_Json"] | dict[str, "_Json"]


class _Bad(Exception):
    """Input the command cannot use; the message is the one line the user sees."""


# --- Reading pages --------------------------------------------------------------------


class _Readable(Protocol):
    def read1(self, size: int, /) -> bytes: ...


class _Capped(io.RawIOBase):
    """A byte stream that refuses to go past a size and, for a URL, past a deadline.

    The parser reads line by line through this, so memory stays bounded however
    large or slow the page is. A socket timeout bounds each read; the deadline
    bounds the whole answer, which a server could otherwise drip out forever.
    """

    def __init__(self, raw: _Readable, where: str, limit: int, deadline: float | None) -> None:
        super().__init__()
        self._raw = raw
        self._where = where
        self._limit = limit
        self._deadline = deadline
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        # read1 returns what one read of the source gives, so the deadline is checked
        # at least once per socket timeout however slowly the bytes come.
        view = memoryview(buffer).cast("B")
        data = self._raw.read1(len(view))
        count = len(data)
        view[:count] = data
        self._total += count
        if self._total > self._limit:
            raise _Bad(f"{self._where}: the page is larger than {self._limit} bytes (--max-bytes)")
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise _Bad(f"{self._where}: no complete answer within the timeout (--timeout)")
        return count


class _Page(NamedTuple):
    namespace: str
    series: dict[_Series, int]


def _where(source: str) -> str:
    return "stdin" if source == "-" else _printable(source)


def _is_url(source: str) -> bool:
    return source.lower().startswith(_URL_SCHEMES)


def _failure(where: str, error: Exception, timeout: float) -> _Bad:
    """One line for an error from opening or reading a source."""
    import urllib.error

    if isinstance(error, urllib.error.HTTPError):
        return _Bad(f"{where}: the server answered HTTP {error.code} {_printable(str(error.reason))}")
    if isinstance(error, urllib.error.URLError):
        reason: object = error.reason
        if isinstance(reason, TimeoutError):
            error = reason
        else:
            return _Bad(f"{where}: cannot connect: {_printable(str(reason))}")
    if isinstance(error, TimeoutError):
        return _Bad(f"{where}: no answer within {timeout:g} s (--timeout)")
    if isinstance(error, OSError):
        return _Bad(f"{where}: cannot read: {_printable(error.strerror or str(error))}")
    # http.client's own errors: the server broke off or garbled its answer.
    return _Bad(f"{where}: the server's answer is broken ({type(error).__name__})")


@contextlib.contextmanager
def _opened(
    source: str, where: str, timeout: float
) -> Generator[tuple[_Readable, float | None, tuple[type[Exception], ...]], None, None]:
    """The source's bytes, the deadline for reading them, and the errors reading may raise."""
    if source == "-":
        stdin: _Readable | None = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # Python started without a standard input
            raise _Bad("stdin: there is no standard input to read")
        yield stdin, None, (OSError,)
        return
    if _is_url(source):
        import http.client
        import urllib.request

        deadline = time.monotonic() + timeout
        request = urllib.request.Request(source, headers={"Accept": _ACCEPT})
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=timeout)
        except (ValueError, http.client.InvalidURL) as error:  # a URL urllib cannot use
            raise _Bad(f"{where}: not a usable URL ({_printable(str(error))})") from None
        except (OSError, http.client.HTTPException) as error:
            raise _failure(where, error, timeout) from None
        with response:
            yield response, deadline, (OSError, http.client.HTTPException)
            # http.client ends a body cut short without a word when the server gave
            # its length; a page read in part would count too little. (A redirect to
            # ftp: gives another kind of response, without the attribute.)
            missing: int | None = getattr(response, "length", None)
            if missing:
                raise _Bad(f"{where}: the answer ended {missing} bytes short of its length")
        return
    try:
        file = open(source, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise _Bad(f"{where}: cannot open: {_printable(error.strerror or str(error))}") from None
    with file:
        yield file, None, (OSError,)


def _count(value: float, name: str, labels: dict[str, str], where: str) -> int:
    # NaN fails every comparison, so it lands here with the infinities and fractions.
    if not 0 <= value <= _MAX_COUNT or not float(value).is_integer():
        shown = ",".join(f"{key}={val!r}" for key, val in sorted(labels.items()))
        raise _Bad(
            f"{where}: {_printable(f'{name}{{{shown}}}')} has the value {_number(value)}; a count must "
            f"be a whole number from 0 to 2**53"
        )
    return int(value)


def _number(value: float) -> str:
    # Parsers before prometheus-client 0.21 read every value as a float, later ones
    # whole numbers as ints: show a value the same way whichever did.
    if isinstance(value, int) or (value.is_integer() and abs(value) <= _MAX_COUNT):
        return str(int(value))
    return repr(value)


def _collect(families: Iterable[Metric], namespaces: Sequence[str], where: str) -> _Page:
    """Pick this page's series of the four families, under each candidate namespace."""
    wanted = {f"{ns}_{family.metric}": (ns, family) for ns in namespaces for family in _FAMILIES}
    present: set[str] = set()
    series: dict[str, dict[_Series, int]] = {ns: {} for ns in namespaces}
    for metric in families:
        present.update(ns for ns in namespaces if metric.name.startswith(f"{ns}_"))
        for sample in metric.samples:
            hit = wanted.get(sample.name.removesuffix("_total"))
            if hit is not None:
                ns, family = hit
                key = (family.key, tuple(sorted(sample.labels.items())))
                found = series[ns]
                # A series written twice is counted twice, as the page says.
                found[key] = found.get(key, 0) + _count(sample.value, sample.name, sample.labels, where)
    chosen = [ns for ns in namespaces if ns in present]
    if not chosen:
        names = " or ".join(f"{ns}_*" for ns in namespaces)
        raise _Bad(
            f"{where}: no metric named {names}, so this is not a Centrifugo metrics page "
            f"(a server with its own namespace needs --namespace)"
        )
    if len(chosen) > 1:
        raise _Bad(f"{where}: has metrics of both namespaces {' and '.join(chosen)}; choose one with --namespace")
    return _Page(chosen[0], series[chosen[0]])


class _Options(NamedTuple):
    timeout: float
    max_bytes: int
    parse: Callable[[TextIO], Iterable[Metric]]


def _read(source: str, namespaces: Sequence[str], options: _Options) -> _Page:
    where = _where(source)
    with _opened(source, where, options.timeout) as (raw, deadline, failures):
        capped = _Capped(raw, where, options.max_bytes, deadline)
        try:
            with io.TextIOWrapper(io.BufferedReader(capped), encoding="utf-8", newline="\n") as text:
                return _collect(options.parse(text), namespaces, where)
        except UnicodeDecodeError:
            raise _Bad(f"{where}: the page is not UTF-8 text") from None
        except (ValueError, IndexError) as error:  # the parser's verdict on a line it cannot read
            raise _Bad(f"{where}: not the Prometheus text format ({_printable(str(error))})") from None
        except failures as error:
            raise _failure(where, error, options.timeout) from None


# --- One node's counts over the interval ------------------------------------------------


class _Node(NamedTuple):
    source: str
    since: str | None
    namespace: str
    restarted: bool
    counts: dict[_Series, int]


def _node(source: str, since: str | None, namespaces: Sequence[str], options: _Options) -> _Node:
    page = _read(source, namespaces, options)
    if since is None:
        return _Node(source, None, page.namespace, False, page.series)
    old = _read(since, (page.namespace,), options).series
    # A counter only goes down when its process starts again from zero: the node
    # restarted, and its new counts are everything since then.
    restarted = any(page.series.get(key, 0) < value for key, value in old.items())
    if restarted:
        return _Node(source, since, page.namespace, True, page.series)
    counts = {key: value - old.get(key, 0) for key, value in page.series.items()}
    return _Node(source, since, page.namespace, False, counts)


# --- What each code means, from the package -----------------------------------------------


def _span(codes: range) -> str:
    return f"{codes.start}-{codes.stop - 1}"


def _band(code: int, bands: Sequence[tuple[range, str]], above: str) -> str:
    for codes, label in bands:
        if code in codes:
            return f"{label} ({_span(codes)})"
    return f"{above} ({bands[-1][0].stop} and up)"


_ERROR_BANDS: Final = (
    (CLIENT_SIDE_ERROR_CODES, "client side"),
    (SERVER_ERROR_CODES, "server"),
    (APP_ERROR_CODES, "application"),
)
_UNSUBSCRIBE_BANDS: Final = (
    (range(UNSUBSCRIBE_CODES.start), "not an unsubscribe code"),
    (range(UNSUBSCRIBE_CODES.start, MIN_RESUBSCRIBE_CODE), "server, ends"),
    (range(MIN_RESUBSCRIBE_CODE, UNSUBSCRIBE_CODES.stop), "server, resubscribe"),
)
_DISCONNECT_BANDS: Final = (
    (TRANSPORT_CLOSE_CODES, "transport close"),
    (SERVER_RECONNECT_DISCONNECT_CODES, "server, reconnect"),
    (SERVER_TERMINAL_DISCONNECT_CODES, "server, terminal"),
    (APP_RECONNECT_DISCONNECT_CODES, "application, reconnect"),
    (APP_TERMINAL_DISCONNECT_CODES, "application, terminal"),
)


class _Meaning(NamedTuple):
    name: str | None
    band: str | None
    kind: str
    client: str
    meaning: str


_CLIENT_WORDS: Final = {
    classify.ClientState.CONNECTING: "reconnects",
    classify.ClientState.DISCONNECTED: "stops",
    classify.ClientState.CONNECTED: "retries later",
}
_SUBSCRIPTION_WORDS: Final = {
    classify.SubscriptionState.SUBSCRIBING: "resubscribes",
    classify.SubscriptionState.UNSUBSCRIBED: "ends subscription",
    classify.SubscriptionState.SUBSCRIBED: "retries later",
}


def _client_words(transition: classify.Transition[classify.ClientState]) -> str:
    words = _CLIENT_WORDS[transition.state]
    return f"new token, {words}" if transition.refresh_token else words


def _subscription_words(transition: classify.Transition[classify.SubscriptionState]) -> str:
    words = _SUBSCRIPTION_WORDS[transition.state]
    return f"new token, {words}" if transition.refresh_token else words


# The reply-error methods after which a client changes state, as the server's
# ``method`` label spells them; classify decides each. After any other method the
# SDK hands the error to the application and changes nothing.
_METHOD_OUTCOMES: Final[dict[str, Callable[[int, bool], str]]] = {
    "connect": lambda code, temporary: _client_words(classify.on_connect_error(code, temporary=temporary)),
    "refresh": lambda code, temporary: _client_words(classify.on_refresh_error(code, temporary=temporary)),
    "subscribe": lambda code, temporary: _subscription_words(classify.on_subscribe_error(code, temporary=temporary)),
    "sub_refresh": lambda code, temporary: _subscription_words(
        classify.on_subscription_refresh_error(code, temporary=temporary)
    ),
}
_TO_THE_APP: Final = "error to the app"
_PER_WIRE_FLAG: Final = "per wire flag"


def _method_outcome(method: str, code: int | None) -> str:
    decide = _METHOD_OUTCOMES.get(method)
    if decide is None:
        return _TO_THE_APP
    if code is None:
        return "-"  # no code, no rule
    found = ErrorCode.lookup(code)
    if isinstance(found, ErrorCode):
        # The server's own flag for the code; a proxy that reuses it may send another.
        return decide(code, found.temporary)
    # A code no table lists: the wire's temporary flag decides, unless both agree.
    if_not = decide(code, False)
    return if_not if if_not == decide(code, True) else _PER_WIRE_FLAG


def _error_meaning(code: int) -> _Meaning:
    found = ErrorCode.lookup(code)
    band = _band(code, _ERROR_BANDS, "outside the error ranges")
    # Without the wire's flag (the metrics do not carry it): only the code decides here.
    connect = classify.on_connect_error(code)
    if connect.refresh_token:
        client = "new token"
    elif isinstance(found, ErrorCode):
        client = "retries" if found.temporary else "gives up"
    elif connect.state is classify.ClientState.CONNECTING:
        client = "retries"  # client-side codes are retried whatever the flag says
    else:
        client = _PER_WIRE_FLAG
    if isinstance(found, ErrorCode):
        return _Meaning(found.name, band, "known", client, found.description)
    if code in CLIENT_SIDE_ERROR_CODES:
        kind = "client_side"
    elif code in APP_ERROR_CODES:
        kind = "application"
    else:
        kind = "unlisted"
    return _Meaning(None, band, kind, client, found.description)


def _unsubscribe_meaning(code: int) -> _Meaning:
    found = UnsubscribeCode.lookup(code)
    band = _band(code, _UNSUBSCRIBE_BANDS, "not an unsubscribe code")
    client = _SUBSCRIPTION_WORDS[
        classify.SubscriptionState.SUBSCRIBING if found.resubscribe else classify.SubscriptionState.UNSUBSCRIBED
    ]
    if isinstance(found, UnsubscribeCode):
        return _Meaning(found.name, band, "known", client, found.description)
    return _Meaning(None, band, "unlisted", client, found.description)


def _disconnect_kind(code: int) -> str:
    if code in APP_RECONNECT_DISCONNECT_CODES or code in APP_TERMINAL_DISCONNECT_CODES:
        return "application"
    return "transport" if code in TRANSPORT_CLOSE_CODES else "unlisted"


def _disconnect_meaning(code: int) -> _Meaning:
    found = DisconnectCode.lookup(code)
    band = _band(code, _DISCONNECT_BANDS, "unassigned")
    client = _CLIENT_WORDS[classify.ClientState.CONNECTING if found.reconnect else classify.ClientState.DISCONNECTED]
    if isinstance(found, DisconnectCode):
        return _Meaning(found.name, band, "known", client, found.description)
    return _Meaning(None, band, _disconnect_kind(code), client, found.description)


def _close_meaning(code: int) -> _Meaning:
    meaning = _disconnect_meaning(code)
    if code not in TRANSPORT_CLOSE_CODES:
        # From 3000 up a close code is a disconnect code; classify.on_close agrees.
        return meaning
    # Below it the transport's own code: classify.on_close knows what SDKs make of it.
    transition = classify.on_close(code)
    return meaning._replace(
        client=_client_words(transition),
        meaning=(
            f"A close code of the transport itself, not one of Centrifugo's codes; SDKs report "
            f"it with client code {transition.code} {transition.reason!r}."
        ),
    )


_MEANINGS: Final[dict[str, Callable[[int], _Meaning]]] = {
    _REPLY_ERRORS.key: _error_meaning,
    _UNSUBSCRIBES.key: _unsubscribe_meaning,
    _DISCONNECTS.key: _disconnect_meaning,
    _CLOSES.key: _close_meaning,
}


def _code_of(label: str) -> int | None:
    """The code a label names: a decimal number that fits the wire's uint32."""
    digits = label.lstrip("0") or "0"
    # The length check keeps a 5,000-digit label away from int().
    if label.isascii() and label.isdigit() and len(digits) <= len(str(MAX_CODE)) and int(digits) <= MAX_CODE:
        return int(digits)
    return None


# --- The report as data ---------------------------------------------------------------------


class _Row(NamedTuple):
    code: int | None
    label: str
    meaning: _Meaning
    events: int
    methods: list[tuple[str, int, str]] | None


class _Tally:
    """Counts per family and code over all nodes, and per method for reply errors."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[_CodeKey, int]] = {family.key: {} for family in _FAMILIES}
        self.labels: dict[tuple[str, _CodeKey], str] = {}
        self.methods: dict[_CodeKey, dict[str, int]] = {}

    def add(self, family: str, labels: dict[str, str], count: int) -> None:
        label = labels.get("code", "")
        code = _code_of(label)
        key: _CodeKey = label if code is None else code
        found = self.counts[family]
        found[key] = found.get(key, 0) + count
        self.labels.setdefault((family, key), label)
        if family == _REPLY_ERRORS.key:
            by_method = self.methods.setdefault(key, {})
            method = labels.get("method", "")
            by_method[method] = by_method.get(method, 0) + count

    def total(self, family: str) -> int:
        return sum(self.counts[family].values())

    def count(self, family: _Family, code: int) -> int:
        return self.counts[family.key].get(code, 0)

    def rows(self, family: str) -> list[_Row]:
        rows: list[_Row] = []
        for key, count in self.counts[family].items():
            if count == 0:
                continue
            code = key if isinstance(key, int) else None
            if code is None:
                meaning = _Meaning(
                    None, None, "invalid", "-", f"The code label is not a whole number from 0 to {MAX_CODE}."
                )
            else:
                meaning = _MEANINGS[family](code)
            methods = None
            if family == _REPLY_ERRORS.key:
                methods = sorted(
                    ((method, n, _method_outcome(method, code)) for method, n in self.methods[key].items() if n),
                    key=lambda item: (-item[1], item[0]),
                )
            rows.append(_Row(code, self.labels[family, key], meaning, count, methods))
        rows.sort(key=lambda row: (-row.events, row.code is None, row.code or 0, row.label))
        return rows


def _tally(nodes: Sequence[_Node]) -> _Tally:
    tally = _Tally()
    for node in nodes:
        for (family, labels), count in node.counts.items():
            tally.add(family, dict(labels), count)
    return tally


# --- Notes: causes the codes point at ------------------------------------------------------


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%"


def _frequent(count: int, total: int) -> bool:
    return count > 0 and count * 100 >= _FREQUENT_PERCENT * total


def _named(member: DisconnectCode | UnsubscribeCode) -> str:
    return f"{member.code} ({member.reason})"


def _error_named(member: ErrorCode) -> str:
    return f"{member.code} ({member.message})"


def _notes(tally: _Tally, nodes: Sequence[_Node]) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    for number, node in enumerate(nodes, start=1):
        if node.restarted:
            notes.append(
                (
                    "restarted",
                    f"Node {number} ({_where(node.source)}) restarted between the two snapshots: one of "
                    f"its counters went down. Its counts are everything since the restart.",
                )
            )
    kinds: dict[str, int] = {}
    for family in _FAMILIES:
        for row in tally.rows(family.key):
            kinds[row.meaning.kind] = kinds.get(row.meaning.kind, 0) + row.events
    if kinds.get("invalid"):
        notes.append(
            (
                "invalid",
                f"{kinds['invalid']:,} counted with a code label that is not a whole number from 0 to "
                f"{MAX_CODE}: no rule applies to them, and the report shows the label as it is.",
            )
        )
    if kinds.get("unlisted"):
        notes.append(
            (
                "unlisted",
                f"{kinds['unlisted']:,} counted with codes that no table in this package lists, in ranges "
                f"the server keeps for itself or outside every range; a newer server may send them. "
                f"Each is shown with the range that decides what the client does.",
            )
        )
    disconnects = tally.total(_DISCONNECTS.key)
    errors = tally.total(_REPLY_ERRORS.key)
    lost_disconnects = tally.count(_DISCONNECTS, DisconnectCode.INSUFFICIENT_STATE)
    lost_unsubscribes = tally.count(_UNSUBSCRIBES, UnsubscribeCode.INSUFFICIENT)
    if lost_disconnects or lost_unsubscribes:
        notes.append(
            (
                "insufficient_state",
                f"{lost_disconnects:,} disconnects {_named(DisconnectCode.INSUFFICIENT_STATE)} and "
                f"{lost_unsubscribes:,} unsubscribes {_named(UnsubscribeCode.INSUFFICIENT)}: the server "
                f"found publications missing from channel streams, lost between the broker and the "
                f"server. Clients recover, but a steady count points at the broker or at the channels' "
                f"history settings.",
            )
        )
    for member, text in (
        (
            DisconnectCode.SLOW,
            "those clients could not keep up: their queues on the server filled "
            "because they read more slowly than messages arrived.",
        ),
        (
            DisconnectCode.NO_PONG,
            "those clients did not answer the server's pings in time, so the server gave up on the connections.",
        ),
    ):
        count = tally.count(_DISCONNECTS, member)
        if _frequent(count, disconnects):
            notes.append(
                (
                    member.name.lower(),
                    f"{count:,} of {disconnects:,} {_DISCONNECTS.title.lower()} ({_share(count, disconnects)}; "
                    f"noted from {_FREQUENT_PERCENT}%) were {_named(member)}: {text}",
                )
            )
    limited_errors = tally.count(_REPLY_ERRORS, ErrorCode.TOO_MANY_REQUESTS)
    limited_disconnects = tally.count(_DISCONNECTS, DisconnectCode.TOO_MANY_REQUESTS)
    if _frequent(limited_errors, errors) or _frequent(limited_disconnects, disconnects):
        notes.append(
            (
                "too_many_requests",
                f"{limited_errors:,} reply errors {_error_named(ErrorCode.TOO_MANY_REQUESTS)} and "
                f"{limited_disconnects:,} disconnects {_named(DisconnectCode.TOO_MANY_REQUESTS)}: the "
                f"server's rate limits refused these clients' commands (noted from {_FREQUENT_PERCENT}% "
                f"of either family).",
            )
        )
    failed_errors = tally.count(_REPLY_ERRORS, ErrorCode.INTERNAL)
    failed_disconnects = tally.count(_DISCONNECTS, DisconnectCode.SERVER_ERROR)
    if failed_errors or failed_disconnects:
        notes.append(
            (
                "server_error",
                f"{failed_errors:,} reply errors {_error_named(ErrorCode.INTERNAL)} and "
                f"{failed_disconnects:,} disconnects {_named(DisconnectCode.SERVER_ERROR)}: the server "
                f"failed while serving clients; its log says why.",
            )
        )
    refused = tally.count(_DISCONNECTS, DisconnectCode.INVALID_TOKEN)
    if refused:
        notes.append(
            (
                "invalid_token",
                f"{refused:,} disconnects {_named(DisconnectCode.INVALID_TOKEN)}: the server rejected "
                f"these connection tokens and the clients stop. Check that the key the tokens are signed "
                f"with, their audience and their issuer match the server's settings.",
            )
        )
    for codes, rule, text in (
        (SERVER_TERMINAL_DISCONNECT_CODES, "server_terminal", "the server's terminal band"),
        (APP_TERMINAL_DISCONNECT_CODES, "application_terminal", "the application's terminal band"),
    ):
        stopped = sum(n for code, n in tally.counts[_DISCONNECTS.key].items() if code in codes)
        if stopped:
            source = (
                "the application sent them (in a proxy answer or from its own server code)"
                if rule == "application_terminal"
                else "the server sent them"
            )
            notes.append(
                (
                    rule,
                    f"{stopped:,} disconnects in {text} {_span(codes)}: {source}, and those clients "
                    f"stop and do not reconnect by themselves.",
                )
            )
    custom = sum(n for code, n in tally.counts[_REPLY_ERRORS.key].items() if code in APP_ERROR_CODES)
    if custom:
        notes.append(
            (
                "application_errors",
                f"{custom:,} reply errors with application codes {_span(APP_ERROR_CODES)}: the "
                f"application's proxy backend refused these commands with its own errors.",
            )
        )
    return notes


# --- Output -------------------------------------------------------------------------------


def _printable(text: str, width: int = _SHOWN_WIDTH) -> str:
    """``text`` if it is short printable ASCII, else its escaped form; cut to ``width``."""
    shown = text if text and text.isascii() and text.isprintable() else ascii(text)
    return _clip(shown, width)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _first_sentence(text: str) -> str:
    sentence, end, _rest = text.partition(". ")
    return sentence + "." if end else text


def _wrapped(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent)


def _node_totals(node: _Node) -> dict[str, int]:
    totals = {family.key: 0 for family in _FAMILIES}
    for (family, _labels), count in node.counts.items():
        totals[family] += count
    return totals


def _json_report(tally: _Tally, nodes: Sequence[_Node], notes: list[tuple[str, str]]) -> dict[str, _Json]:
    node_records: list[_Json] = []
    for number, node in enumerate(nodes, start=1):
        node_records.append(
            {
                "node": number,
                "source": node.source,
                "since": node.since,
                "namespace": node.namespace,
                "restarted": node.restarted,
                "totals": {**_node_totals(node)},
            }
        )
    families: list[_Json] = []
    for family in _FAMILIES:
        total = tally.total(family.key)
        codes: list[_Json] = []
        for row in tally.rows(family.key):
            methods: _Json = None
            if row.methods is not None:
                methods = [{"method": m, "count": n, "client": c} for m, n, c in row.methods]
            codes.append(
                {
                    "code": row.code,
                    "label": row.label,
                    "kind": row.meaning.kind,
                    "name": row.meaning.name,
                    "range": row.meaning.band,
                    "count": row.events,
                    "share": round(100 * row.events / total, 2),
                    "client": row.meaning.client,
                    "meaning": row.meaning.meaning,
                    "methods": methods,
                }
            )
        families.append({"family": family.key, "metric": family.metric, "total": total, "codes": codes})
    return {
        "interval": "since_start" if nodes[0].since is None else "between_snapshots",
        "nodes": node_records,
        "families": families,
        "notes": [{"rule": rule, "text": text} for rule, text in notes],
    }


def _node_lines(nodes: Sequence[_Node]) -> list[str]:
    lines: list[str] = []
    for number, node in enumerate(nodes, start=1):
        head = f"Node {number}: {_where(node.source)} (namespace {node.namespace})"
        if node.since is not None:
            head += f", since {_where(node.since)}"
            if node.restarted:
                head += "; it restarted in between"
        totals = _node_totals(node)
        counted = ", ".join(f"{family.noun} {totals[family.key]:,}" for family in _FAMILIES)
        lines += _wrapped(head, "    ", "")
        lines += _wrapped(counted, "    ")
    return lines


def _family_lines(family: _Family, rows: list[_Row], prefix: str) -> list[str]:
    total = sum(row.events for row in rows)
    head = f"{family.title} ({prefix}{family.metric}): "
    if not rows:
        return _wrapped(head + "none counted", "  ", "")
    lines = _wrapped(head + f"{total:,}", "  ", "")
    codes = [_printable(row.label, _CODE_WIDTH) if row.code is None else str(row.code) for row in rows]
    counts = [f"{row.events:,}" for row in rows]
    code_width = max(4, *map(len, codes))
    count_width = max(5, *map(len, counts))
    client_width = max(len(row.meaning.client) for row in rows)
    names = [row.meaning.name or row.meaning.band or "not a code" for row in rows]
    # The name column is as wide as its longest name, within what the other columns
    # leave of _WIDTH; a longer name is cut.
    room = max(_WIDTH - (2 + code_width + 2 + 2 + count_width + 2 + 6 + 2 + client_width), 8)
    name_width = min(max(len("name or range"), *map(len, names)), room)
    lines.append(
        f"  {'code':<{code_width}}  {_clip('name or range', name_width):<{name_width}}  "
        f"{'count':>{count_width}}  {'share':>6}  client"
    )
    indent = " " * (4 + code_width)
    for row, code, count, name in zip(rows, codes, counts, names, strict=True):
        lines.append(
            f"  {code:<{code_width}}  {_clip(name, name_width):<{name_width}}  {count:>{count_width}}  "
            f"{_share(row.events, total):>6}  {row.meaning.client}"
        )
        lines += _wrapped(_first_sentence(row.meaning.meaning), indent)
        if row.methods:
            shown = ", ".join(f"{_printable(m, _METHOD_WIDTH)} {n:,} ({c})" for m, n, c in row.methods)
            lines += _wrapped(f"by method: {shown}", indent)
    return lines


def _text_report(tally: _Tally, nodes: Sequence[_Node], notes: list[tuple[str, str]]) -> str:
    namespaces = sorted({node.namespace for node in nodes})
    if nodes[0].since is None:
        interval = "Counts since each node started."
    else:
        interval = "Counts between the earlier snapshots (--since) and now."
    lines = _wrapped(
        f"Protocol codes counted by {len(nodes)} node{'s' if len(nodes) > 1 else ''} "
        f"(namespace {', '.join(namespaces)}). {interval}",
        "",
    )
    lines += _node_lines(nodes)
    prefix = f"{namespaces[0]}_" if len(namespaces) == 1 else "<ns>_"
    for family in _FAMILIES:
        lines.append("")
        lines += _family_lines(family, tally.rows(family.key), prefix)
    lines.append("")
    if notes:
        lines.append("Notes:")
        for _rule, text in notes:
            lines += _wrapped(text, "    ", "  - ")
    else:
        lines.append("Notes: none.")
    return "\n".join(lines) + "\n"


# --- The command ----------------------------------------------------------------------------

_DESCRIPTION = """\
Explain the protocol codes that running Centrifugo nodes counted: read their
Prometheus metrics pages and report, per family (reply errors, unsubscribes,
disconnects, close frames), each code's count, share, what the client does after
it and what it means, with notes on the causes the codes point at."""

_EPILOG = f"""\
A SOURCE is a file, - for standard input, or an http:// or https:// URL of a
/metrics endpoint. Several SOURCEs are several nodes: their counts are added up.

--since OLD subtracts an earlier page of the same node, so the report covers the
time between the two pages. Give it once per SOURCE, in the same order (OLD is
a file saved earlier, e.g. with curl, or - or a URL). A node whose counters went
down restarted in between; the report says so and counts it from the restart.

Notes: codes that point at a cause get a note. Slow clients ({DisconnectCode.SLOW}),
missed pongs ({DisconnectCode.NO_PONG}) and rate limits ({ErrorCode.TOO_MANY_REQUESTS}, \
{DisconnectCode.TOO_MANY_REQUESTS}) are noted from {_FREQUENT_PERCENT}%% of
their family; insufficient state ({DisconnectCode.INSUFFICIENT_STATE}, {UnsubscribeCode.INSUFFICIENT}), \
server errors ({ErrorCode.INTERNAL}, {DisconnectCode.SERVER_ERROR}),
invalid tokens ({DisconnectCode.INVALID_TOKEN}), terminal codes and codes no table lists are
noted at any count.

Exit status: 0 with a report, 2 for bad arguments or input (one line on stderr).
Needs the prometheus-client package: pip install 'centrifugo-protocol[metrics]'.

examples:
  %(prog)s http://localhost:8000/metrics
  %(prog)s a.txt b.txt --since a-old.txt --since b-old.txt
  curl -s http://localhost:8000/metrics | %(prog)s --json -
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: the line names what was wrong.
        self.exit(2, f"{self.prog}: error: {message}\n")


def _quoted(text: str) -> str:
    return _clip(ascii(text), _SHOWN_WIDTH)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a number of seconds from 0 to 3600")
    return value


def _byte_count(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) <= 12 and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a whole number of bytes above 0")


def _namespace(text: str) -> str:
    if _NAMESPACE_SYNTAX.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a metrics namespace ([A-Za-z_][A-Za-z0-9_]*)")
    return text


def _build_parser(prog: str) -> _Parser:
    parser = _Parser(
        prog=f"{prog} metrics",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a metrics page: file, - (stdin) or URL")
    parser.add_argument(
        "--since",
        action="append",
        default=[],
        metavar="OLD",
        help="an earlier page of the matching SOURCE; once per SOURCE, same order",
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
        default=_DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"most time to read a URL (default {_DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_byte_count,
        default=_DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"most bytes to read from a page (default {_DEFAULT_MAX_BYTES}, 64 MiB)",
    )
    return parser


def main(argv: Sequence[str], prog: str) -> int:
    """Run ``PROG metrics ARGV...``; returns the exit status.

    As in the rest of the command line, argparse exits with 2 (``SystemExit``) on
    bad arguments and with 0 after ``--help``.
    """
    parser = _build_parser(prog)
    args = parser.parse_args(argv)
    sources: list[str] = args.sources
    since: list[str] = args.since
    if since and len(since) != len(sources):
        parser.error(f"give --since once per SOURCE, in the same order ({len(since)} for {len(sources)})")
    if [*sources, *since].count("-") > 1:
        parser.error("standard input (-) can be read only once")
    try:
        from prometheus_client.parser import text_fd_to_metric_families
    except ImportError:
        sys.stderr.write(
            f"{parser.prog}: error: needs the prometheus-client package: pip install 'centrifugo-protocol[metrics]'\n"
        )
        return 2
    namespace: str | None = args.namespace
    namespaces = _DETECTED_NAMESPACES if namespace is None else (namespace,)
    options = _Options(args.timeout, args.max_bytes, text_fd_to_metric_families)
    olds: list[str | None] = [*since] if since else [None] * len(sources)
    try:
        nodes = [_node(source, old, namespaces, options) for source, old in zip(sources, olds, strict=True)]
    except _Bad as error:
        sys.stderr.write(f"{parser.prog}: error: {error}\n")
        return 2
    tally = _tally(nodes)
    notes = _notes(tally, nodes)
    if args.json:
        sys.stdout.write(json.dumps(_json_report(tally, nodes, notes), indent=2) + "\n")
    else:
        sys.stdout.write(_text_report(tally, nodes, notes))
    return 0

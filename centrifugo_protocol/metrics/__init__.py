"""Which protocol codes running Centrifugo nodes sent, and what they mean.

A Centrifugo node counts the codes it sends in five Prometheus counters (``<ns>``
is the metrics namespace, ``centrifugo`` for Centrifugo itself):

* ``<ns>_client_num_reply_errors{method,code,channel_namespace}``: errors in
  replies to client commands;
* ``<ns>_client_num_server_unsubscribes{code,channel_namespace}``;
* ``<ns>_client_num_server_disconnects{code}``;
* ``<ns>_transport_outgoing_close_count{transport,code}``: close frames;
* ``<ns>_api_command_errors_total{protocol,method,error}``: server API errors,
  ``error`` being an :class:`~centrifugo_protocol.ApiErrorCode` or the stage that
  failed (``read_body``, ``unmarshal``, ``marshal``).

:func:`read` reads the pages of one or more nodes (URLs, files or ``-``),
:func:`read_text` a page held in memory and :func:`read_prometheus` the counters
Prometheus scraped from every node, over a window; all three return a :class:`Report` of typed
:class:`Row` values, which ``centrifugo-codes metrics`` prints (``--json`` is
:meth:`Report.to_json`). An alerting script can use it directly::

    from centrifugo_protocol import DisconnectCode, metrics

    report = metrics.read(["http://127.0.0.1:8000/metrics"])
    if report.family(metrics.Family.DISCONNECTS).count(DisconnectCode.SLOW) > 100:
        ...

Rules:

* Pages are parsed by ``prometheus_client``'s text parser (the ``metrics`` extra),
  streamed and decoded as UTF-8; at most ``max_bytes`` bytes are read from each.
  For a URL, ``timeout`` bounds every wait for the server and, checked between
  reads, the whole answer; an answer shorter than its stated length is an error.
* A sample belongs to a family when its name is the family's name with or without
  a ``_total`` suffix. Labels other than the code and (for reply errors and server
  API errors) the method and protocol are summed over.
* The namespace is ``namespace`` if given; otherwise each page must have metrics
  named ``centrifugo_*`` or ``centrifuge_*``, not both. A page without any metric of
  its namespace is an error; a page without any of the five families is fine.
* Counts are whole numbers from 0 to 2**53; anything else is an error.
* Several sources are nodes whose counts are added up. With ``since`` (one earlier
  page per source, in the same order) each node's earlier counts are subtracted;
  a node whose counters went down restarted, and its new counts are taken as they are.
* A code label is a decimal number from 0 to 2**32-1; anything else is kept as it
  is, with the kind ``invalid``. No count is dropped, except codes counted 0.
* Rows are sorted by count, largest first; ties by code, labels that are no code last.

Every problem with a source raises :class:`MetricsError`, whose message is one line.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Final

from ._counting import Member, NodeCounts, node_counts
from ._families import FAMILIES, Family, MetricsError
from ._report import FREQUENT_PERCENT, FamilyReport, Json, MethodCount, Node, Note, Report, Row, build
from ._sources import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DETECTED_NAMESPACES, Options, parse_stream

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "FAMILIES",
    "FREQUENT_PERCENT",
    "Family",
    "FamilyReport",
    "Json",
    "Member",
    "MethodCount",
    "MetricsError",
    "Node",
    "Note",
    "Report",
    "Row",
    "read",
    "read_prometheus",
    "read_text",
]

#: What a namespace may be: the characters of a Prometheus metric name, no colon.
NAMESPACE_SYNTAX: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The most time one source may take, in seconds.
MAX_TIMEOUT: Final = 3600.0
_INSTALL_HINT: Final = "needs the prometheus-client package: pip install 'centrifugo-protocol[metrics]'"


def _namespaces(namespace: str | None) -> tuple[str, ...]:
    if namespace is None:
        return DETECTED_NAMESPACES
    if not isinstance(namespace, str) or NAMESPACE_SYNTAX.fullmatch(namespace) is None:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"namespace must match [A-Za-z_][A-Za-z0-9_]*, not {namespace!r:.100}")
    return (namespace,)


def _options(timeout: float, max_bytes: int) -> Options:
    if type(timeout) not in (int, float) or not 0 < timeout <= MAX_TIMEOUT:
        raise ValueError(f"timeout must be a number of seconds above 0 and at most 3600, not {timeout!r:.100}")
    if type(max_bytes) is not int or max_bytes <= 0:
        raise ValueError(f"max_bytes must be an int above 0, not {max_bytes!r:.100}")
    try:
        from prometheus_client.parser import text_fd_to_metric_families
    except ImportError:
        raise MetricsError(_INSTALL_HINT) from None
    return Options(float(timeout), max_bytes, text_fd_to_metric_families)


def read(
    sources: Sequence[str],
    *,
    since: Sequence[str] | None = None,
    namespace: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Read the metrics pages of one or more nodes and report their codes.

    Each source is a file's path, ``"-"`` for standard input, or an ``http://`` or
    ``https://`` URL. ``since``, if given, holds one earlier page per source, in the
    same order, and the report covers the time between the two.

    Raises :class:`MetricsError` for a source that cannot be read or is no metrics
    page (and when prometheus-client is not installed), ``ValueError`` for bad
    arguments.
    """
    if isinstance(sources, str) or not sources:
        raise ValueError(f"sources must be a non-empty sequence of sources, not {sources!r:.100}")
    sources = _texts(sources, "sources")
    olds: list[str | None] = [None] * len(sources)
    if since is not None:
        if isinstance(since, str) or len(since) != len(sources):
            raise ValueError(f"since must hold one earlier page per source ({len(sources)}), not {since!r:.100}")
        olds = [*_texts(since, "since")]
    if [*sources, *(old for old in olds if old is not None)].count("-") > 1:
        raise ValueError("standard input (-) can be read only once")
    namespaces = _namespaces(namespace)
    options = _options(timeout, max_bytes)
    nodes = [node_counts(source, old, namespaces, options) for source, old in zip(sources, olds, strict=True)]
    return build(nodes)


def _texts(values: Sequence[str], name: str) -> list[str]:
    """``values`` as a list of exact strs, read once at the boundary; TypeError otherwise."""
    if type(values) not in (list, tuple):
        raise TypeError(f"{name} must be a list or tuple of str, not {type(values).__name__}")
    for value in values:
        if type(value) is not str:
            raise TypeError(f"{name} must hold str sources, not {type(value).__name__}: {value!r:.60}")
    return list(values)


def read_text(page: str, *, source: str = "<text>", namespace: str | None = None) -> Report:
    """Report the codes on one metrics page held in ``page``, named ``source`` in the report.

    Raises :class:`MetricsError` when ``page`` is no metrics page.
    """
    if not isinstance(page, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"page must be a str, not {type(page).__name__}")
    namespaces = _namespaces(namespace)
    options = _options(DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES)
    found = parse_stream(io.StringIO(page), namespaces, options, source)
    return build([NodeCounts(source, None, found.namespace, False, found.series)])


def read_prometheus(
    url: str,
    *,
    since: str | None = None,
    namespace: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    at: float | None = None,
) -> Report:
    """Report the codes Prometheus (at ``url``, its HTTP API's base) scraped from every node.

    One node per ``instance`` label. Without ``since`` the counts are each series'
    latest value; with a Prometheus duration (``"5m"``, ``"1h30m"``) they are the
    exact increases over the window that ends at ``at`` (a Unix time, default now),
    summed over nodes, with counter resets handled. ``timeout`` bounds each query as
    a whole and ``max_bytes`` each answer.

    Raises :class:`MetricsError` when Prometheus cannot be reached, refuses a query,
    answers something else than asked, or holds no Centrifugo series; ``ValueError``
    for bad arguments.
    """
    from ._prometheus import duration_seconds, query_nodes

    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"url must be an http:// or https:// URL, not {url!r:.100}")
    seconds = None if since is None else duration_seconds(since)
    namespaces = _namespaces(namespace)
    options = _options(timeout, max_bytes)
    if at is not None and (type(at) not in (int, float) or not math.isfinite(at)):
        raise ValueError(f"at must be a Unix time, not {at!r:.100}")
    nodes = query_nodes(
        url,
        since=seconds,
        since_text=since,
        namespaces=namespaces,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        at=at,
    )
    return build(nodes)

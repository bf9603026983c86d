"""Reading Prometheus: the nodes' counters over a window, through Prometheus's HTTP API.

Prometheus already scrapes every node, so the report can ask it instead of each
node. Without a window the counts are each series' latest value (everything since
each node started). With ``since`` seconds, the counts are exact increases over the
window ``[end - since, end]``: for every series, its value at the window's start
(0 when it did not exist yet) is compared with each raw sample in the window, and a
value that went down is a counter reset, after which the new value counts as it is.
Nothing is extrapolated, so the counts are whole numbers that equal the difference
of the nodes' own pages taken at the same scrapes.

Every answer is checked before it is used: a bounded body, JSON, ``status`` and
``resultType`` as asked, label sets of strings, and values that are whole counts.
One deadline bounds the whole of each query (connection, headers and body), and
every failure is one :class:`MetricsError` line.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import time
import urllib.parse
from typing import TYPE_CHECKING, Final, cast

from ._counting import NodeCounts
from ._families import BY_METRIC, MetricsError
from ._sources import DETECTED_NAMESPACES, MAX_COUNT, Series, Watch, series_key
from ._text import printable

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["DURATION_SYNTAX", "duration_seconds", "query_nodes"]

#: A window as Prometheus writes durations: ``90s``, ``5m``, ``1h30m``, ``250ms``.
DURATION_SYNTAX: Final = re.compile(r"(?:[0-9]{1,9}(?:ms|s|m|h|d|w))+")
_UNIT_SECONDS: Final = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
#: The longest window, a year: beyond it Prometheus keeps nothing by default anyway.
MAX_WINDOW: Final = 366 * 86400.0
#: Labels Prometheus adds to every scraped series: they name the node, not the count.
_TARGET_LABELS: Final = ("instance", "job")
_HTTP_SCHEMES: Final = ("http", "https")
_MAX_REDIRECTS: Final = 3


def duration_seconds(text: str) -> float:
    """The seconds in a Prometheus duration (``5m``, ``1h30m``); ValueError if it is none."""
    if not isinstance(text, str) or DURATION_SYNTAX.fullmatch(text) is None:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"{text!r:.60} is not a duration such as 90s, 5m, 1h30m or 250ms")
    seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in re.findall(r"([0-9]+)(ms|s|m|h|d|w)", text))
    if not 0 < seconds <= MAX_WINDOW:
        raise ValueError(f"{text!r:.60} is not a window above 0 and at most a year")
    return seconds


# --- One bounded HTTP GET --------------------------------------------------------------


def _get(url: str, deadline: float, max_bytes: int) -> bytes:
    """The body of a 200 answer to GET ``url``, all of it before ``deadline``."""
    import http.client

    for _hop in range(_MAX_REDIRECTS + 1):
        try:
            parts = urllib.parse.urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise MetricsError(f"{printable(url)}: not a usable URL ({printable(str(error))})") from None
        if parts.scheme not in _HTTP_SCHEMES or not parts.hostname:
            raise MetricsError(f"{printable(url)}: not an http:// or https:// URL")
        left = deadline - time.monotonic()
        if left <= 0:
            raise MetricsError(f"{printable(url)}: no complete answer within the timeout (--timeout)")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname, port, timeout=left)
        # The watchdog ends the connection at the deadline, whatever it is waiting
        # for: a server that drips its headers or its body cannot hold the query.
        watch = Watch(left)
        try:
            connection.connect()
            watch.register(connection.sock)
            path = parts.path or "/"
            connection.request(
                "GET", f"{path}?{parts.query}" if parts.query else path, headers={"Accept": "application/json"}
            )
            response = connection.getresponse()
            body = response.read(max_bytes + 1)
            # A connection the watchdog ended reads as a short answer, not as an error.
            if watch.expired.is_set():
                raise TimeoutError
            if response.status in (301, 302, 303, 307, 308):
                target = response.getheader("Location") or ""
                url = urllib.parse.urljoin(url, target)
                continue
            if len(body) > max_bytes:
                raise MetricsError(f"{printable(url)}: the answer is larger than {max_bytes} bytes (--max-bytes)")
            if response.status != 200 and response.status not in (400, 422, 503):
                raise MetricsError(f"{printable(url)}: Prometheus answered HTTP {response.status}")
            return body
        except (OSError, http.client.HTTPException) as error:
            if watch.expired.is_set() or isinstance(error, TimeoutError):
                raise MetricsError(f"{printable(url)}: no complete answer within the timeout (--timeout)") from None
            if isinstance(error, OSError):
                raise MetricsError(
                    f"{printable(url)}: cannot reach Prometheus: {printable(error.strerror or str(error))}"
                ) from None
            raise MetricsError(f"{printable(url)}: Prometheus's answer is broken ({type(error).__name__})") from None
        finally:
            watch.stop()
            connection.close()
    raise MetricsError(f"{printable(url)}: more than {_MAX_REDIRECTS} redirects")


# --- Queries and their answers ------------------------------------------------------------


def _selector(namespaces: Sequence[str]) -> str:
    names = "|".join(re.escape(metric) for metric in BY_METRIC)
    return f'{{__name__=~"({"|".join(namespaces)})_({names})(_total)?"}}'


def _object(value: object) -> dict[str, object] | None:
    """``value`` if it is a JSON object (its keys are strings, as JSON's are), else None."""
    if isinstance(value, dict):
        return cast("dict[str, object]", value)  # pragma: no mutate (cast has no run-time effect)
    return None


def _array(value: object) -> list[object] | None:
    if isinstance(value, list):
        return cast("list[object]", value)  # pragma: no mutate (cast has no run-time effect)
    return None


def _query(base: str, promql: str, at: float, deadline: float, max_bytes: int, kind: str) -> list[object]:
    """The ``result`` list of an instant query, checked to be of ``kind``."""
    url = f"{base.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": promql, "time": f"{at:.3f}"})
    where = printable(base)
    body = _get(url, deadline, max_bytes)
    try:
        answer: object = json.loads(body, parse_constant=lambda name: math.nan)
    except (ValueError, RecursionError):
        raise MetricsError(f"{where}: Prometheus's answer is not JSON") from None
    top = _object(answer)
    if top is None:
        raise MetricsError(f"{where}: Prometheus's answer is not a JSON object")
    if top.get("status") != "success":
        reason = top.get("error")
        shown = printable(reason) if isinstance(reason, str) else "no reason given"
        raise MetricsError(f"{where}: Prometheus refused the query: {shown}")
    data = _object(top.get("data"))
    result = None if data is None or data.get("resultType") != kind else _array(data.get("result"))
    if result is None:
        raise MetricsError(f"{where}: Prometheus's answer is not a {kind} result")
    return result


def _count(text: object, where: str, name: str) -> int:
    value = math.nan
    if isinstance(text, str) and len(text) <= 40:
        with contextlib.suppress(ValueError):
            value = float(text)
    if not (0 <= value <= MAX_COUNT and value.is_integer()):
        shown = printable(text, 40) if isinstance(text, str) else type(text).__name__
        raise MetricsError(
            f"{where}: {printable(name, 80)} has the value {shown}; a count must be a whole number from 0 to 2**53"
        )
    return int(value)


def _series(item: object, where: str) -> tuple[dict[str, str], object]:
    """The labels of one result item, and its value or values field."""
    found = _object(item)
    if found is None:
        raise MetricsError(f"{where}: Prometheus's answer has a result that is not an object")
    labels = _object(found.get("metric"))
    if labels is None or not all(isinstance(value, str) for value in labels.values()):
        raise MetricsError(f"{where}: Prometheus's answer has a series without string labels")
    strings = cast("dict[str, str]", labels)  # pragma: no mutate (cast has no run-time effect)
    return strings, found.get("value", found.get("values"))


def _sample(pair: object, where: str, name: str) -> tuple[float, int]:
    found = _array(pair)
    if found is None or len(found) != 2 or type(found[0]) not in (int, float):
        raise MetricsError(f"{where}: Prometheus's answer has a sample that is not [time, value]")
    stamp: object = found[0]
    when = float(cast("float", stamp))  # pragma: no mutate (cast has no run-time effect)
    return when, _count(found[1], where, name)


class _Found:
    """Counts per node (instance) and series, and the nodes whose counters reset."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[Series, int]] = {}
        self.reset: set[str] = set()
        self.namespaces: set[str] = set()


def _key(labels: dict[str, str], namespaces: Sequence[str]) -> tuple[str, str, Series] | None:
    name = labels.get("__name__", "")
    for ns in namespaces:
        if name.startswith(f"{ns}_"):
            family = BY_METRIC.get(name[len(ns) + 1 :].removesuffix("_total"))
            if family is not None:
                node = labels.get("instance", "")
                rest = {k: v for k, v in labels.items() if k != "__name__" and k not in _TARGET_LABELS}
                return ns, node, series_key(family, rest)
    return None


def query_nodes(
    base: str,
    *,
    since: float | None,
    since_text: str | None,
    namespaces: Sequence[str] = DETECTED_NAMESPACES,
    timeout: float,
    max_bytes: int,
    at: float | None = None,
) -> list[NodeCounts]:
    """Each node's counts as Prometheus holds them, one node per ``instance`` label."""
    where = printable(base)
    end = time.time() if at is None else at
    selector = _selector(namespaces)
    found = _Found()
    if since is None:
        result = _query(base, selector, end, time.monotonic() + timeout, max_bytes, "vector")
        for item in result:
            labels, value = _series(item, where)
            key = _key(labels, namespaces)
            if key is None:
                continue
            ns, node, series = key
            found.namespaces.add(ns)
            _stamp, count = _sample(value, where, labels.get("__name__", ""))
            per_node = found.counts.setdefault(node, {})
            per_node[series] = per_node.get(series, 0) + count
    else:
        window = f"{round(since * 1000)}ms"
        start_values = _query(base, selector, end - since, time.monotonic() + timeout, max_bytes, "vector")
        baseline: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        for item in start_values:
            labels, value = _series(item, where)
            if _key(labels, namespaces) is not None:
                baseline[labels.get("instance", ""), tuple(sorted(labels.items()))] = _sample(
                    value, where, labels.get("__name__", "")
                )[1]
        ranged = _query(base, f"{selector}[{window}]", end, time.monotonic() + timeout, max_bytes, "matrix")
        for item in ranged:
            labels, values = _series(item, where)
            key = _key(labels, namespaces)
            if key is None:
                continue
            ns, node, series = key
            found.namespaces.add(ns)
            samples = _array(values)
            if samples is None:
                raise MetricsError(f"{where}: Prometheus's answer has a range without samples")
            previous = baseline.get((node, tuple(sorted(labels.items()))), 0)
            increase = 0
            for pair in samples:
                _stamp, value = _sample(pair, where, labels.get("__name__", ""))
                if value < previous:  # a reset: the node restarted and counts from zero
                    increase += value
                    found.reset.add(node)
                else:
                    increase += value - previous
                previous = value
            per_node = found.counts.setdefault(node, {})
            per_node[series] = per_node.get(series, 0) + increase
    if not found.namespaces:
        names = " or ".join(f"{ns}_*" for ns in namespaces)
        raise MetricsError(f"{where}: Prometheus holds no Centrifugo series ({names} counters of the report)")
    if len(found.namespaces) > 1:
        both = " and ".join(sorted(found.namespaces))
        raise MetricsError(f"{where}: Prometheus holds series of both namespaces {both}; choose one with --namespace")
    namespace = found.namespaces.pop()
    return [
        NodeCounts(node or "(no instance label)", since_text, namespace, node in found.reset, counts)
        for node, counts in sorted(found.counts.items())
    ]

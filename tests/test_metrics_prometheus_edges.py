# pyright: reportPrivateUsage=false
"""``query_nodes``'s edges: the longest window, the count limits, and the labels kept.

Prometheus's answers are given straight to the reader (its HTTP fetch is replaced),
so each test says exactly which JSON came back; the expected counts and messages
are worked out by hand from the rules in the module's documentation.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import json
import os
import re
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

import pytest

from centrifugo_protocol import metrics as m
from centrifugo_protocol.metrics import _prometheus
from centrifugo_protocol.metrics._counting import NodeCounts
from centrifugo_protocol.metrics._sources import Series, series_key

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = "http://prom.test:9090"
END = 1_800_000_000.0
DISCONNECT = "centrifugo_client_num_server_disconnects"


def vector(*items: tuple[dict[str, str], object]) -> dict[str, Any]:
    result = [{"metric": labels, "value": [END, value]} for labels, value in items]
    return {"status": "success", "data": {"resultType": "vector", "result": result}}


def matrix(*items: tuple[dict[str, str], list[object]]) -> dict[str, Any]:
    result = [{"metric": labels, "values": [[END - 10, v] for v in values]} for labels, values in items]
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


def answering(monkeypatch: pytest.MonkeyPatch, latest: object, start: object = None, ranged: object = None) -> None:
    """Prometheus answers ``latest`` at the end, ``start`` at the window's start, ``ranged`` to a range."""

    def get(url: str, deadline: float, max_bytes: int) -> bytes:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        if query["query"].endswith("]"):
            answer = ranged
        elif float(query["time"]) < END:
            answer = start
        else:
            answer = latest
        return json.dumps(answer).encode()

    monkeypatch.setattr(_prometheus, "_get", get)


def latest(monkeypatch: pytest.MonkeyPatch, *items: tuple[dict[str, str], object]) -> list[NodeCounts]:
    answering(monkeypatch, vector(*items))
    return _prometheus.query_nodes(BASE, since=None, since_text=None, timeout=5, max_bytes=10_000, at=END)


def refused(monkeypatch: pytest.MonkeyPatch, value: object, name: str = DISCONNECT) -> str:
    with pytest.raises(m.MetricsError) as caught:
        latest(monkeypatch, ({"__name__": name, "code": "3001", "instance": "n:1"}, value))
    return str(caught.value)


def disconnects(labels: dict[str, str]) -> Series:
    return series_key(m.Family.DISCONNECTS, labels)


def total(nodes: list[NodeCounts]) -> dict[str, int]:
    return {node.source: sum(node.counts.values()) for node in nodes}


# --- Windows -------------------------------------------------------------------------------


def test_a_long_text_is_shown_cut_in_the_error() -> None:
    with pytest.raises(ValueError, match=r"^'x{59} is not a duration such as 90s, 5m, 1h30m or 250ms$"):
        _prometheus.duration_seconds("x" * 100)
    with pytest.raises(ValueError, match=r"^'(0s){29}0 is not a window above 0 and at most a year$"):
        _prometheus.duration_seconds("0s" * 40)


def test_a_year_is_the_longest_window() -> None:
    assert _prometheus.duration_seconds("366d") == 366 * 86400
    assert _prometheus.duration_seconds("52w2d") == 366 * 86400
    with pytest.raises(ValueError, match=r"^'366d1ms' is not a window above 0 and at most a year$"):
        _prometheus.duration_seconds("366d1ms")


# --- Counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "count"),
    [("0", 0), ("9007199254740992", 2**53), ("0" * 39 + "7", 7), ("1e3", 1000)],
)
def test_counts_at_the_limits_are_read(monkeypatch: pytest.MonkeyPatch, value: str, count: int) -> None:
    nodes = latest(monkeypatch, ({"__name__": DISCONNECT, "code": "3001", "instance": "n:1"}, value))
    assert [(node.source, node.counts) for node in nodes] == [("n:1", {disconnects({"code": "3001"}): count})]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0" * 40 + "7", "0" * 37 + "..."),  # 41 characters: too long to be a count
        ("lots", "lots"),  # not a number at all
        ("-1", "-1"),
        ("9007199254740994", "9007199254740994"),
        ("Inf", "Inf"),
    ],
)
def test_values_that_are_not_counts(monkeypatch: pytest.MonkeyPatch, value: str, shown: str) -> None:
    assert refused(monkeypatch, value) == (
        f"{BASE}: {DISCONNECT} has the value {shown}; a count must be a whole number from 0 to 2**53"
    )


def test_the_series_name_is_shown_cut_to_80_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    name = DISCONNECT + "_total"
    assert refused(monkeypatch, "x", name).startswith(f"{BASE}: {name} has the value x;")
    namespace = "n" * 70
    long_name = f"{namespace}_{m.Family.DISCONNECTS.metric}"
    answering(monkeypatch, vector(({"__name__": long_name}, "x")))
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(
            BASE, since=None, since_text=None, namespaces=(namespace,), timeout=5, max_bytes=10_000, at=END
        )
    assert str(caught.value) == (
        f"{BASE}: {long_name[:77]}... has the value x; a count must be a whole number from 0 to 2**53"
    )


def test_a_sample_value_that_is_no_number_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    answering(monkeypatch, None, vector(), matrix(({"__name__": DISCONNECT, "instance": "n:1"}, ["1", "many"])))
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert str(caught.value) == (
        f"{BASE}: {DISCONNECT} has the value many; a count must be a whole number from 0 to 2**53"
    )


# --- Labels --------------------------------------------------------------------------------


def test_a_series_without_a_name_is_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = latest(
        monkeypatch,
        ({"instance": "n:1", "code": "3001"}, "100"),
        ({"__name__": DISCONNECT, "code": "3001", "instance": "n:1"}, "2"),
    )
    assert total(nodes) == {"n:1": 2}


def test_the_target_labels_and_the_name_are_not_part_of_a_series(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two jobs scrape the same node, and the counter's name comes with and without
    # ``_total``: it is still one series, whose counts add up.
    nodes = latest(
        monkeypatch,
        ({"__name__": DISCONNECT, "code": "3001", "instance": "n:1", "job": "a"}, "2"),
        ({"__name__": DISCONNECT + "_total", "code": "3001", "instance": "n:1", "job": "b"}, "3"),
    )
    assert [(node.source, node.counts) for node in nodes] == [("n:1", {disconnects({"code": "3001"}): 5})]


def test_series_with_and_without_an_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = latest(
        monkeypatch,
        ({"__name__": DISCONNECT, "code": "3001"}, "2"),
        ({"__name__": DISCONNECT, "code": "3001", "instance": "n:1"}, "3"),
    )
    assert total(nodes) == {"(no instance label)": 2, "n:1": 3}


def test_a_window_without_an_instance_starts_from_its_start_value(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {"__name__": DISCONNECT, "code": "3001"}
    answering(monkeypatch, None, vector((labels, "2")), matrix((labels, ["3", "5"])))
    nodes = _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert [(node.source, node.restarted, total([node])) for node in nodes] == [
        ("(no instance label)", False, {"(no instance label)": 3})
    ]


# --- Whole error lines ------------------------------------------------------------------------


def failure(monkeypatch: pytest.MonkeyPatch, answer: object, *, since: float | None = None) -> str:
    answering(monkeypatch, answer, answer, answer)
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(BASE, since=since, since_text=None, timeout=5, max_bytes=10_000, at=END)
    return str(caught.value)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([1], "Prometheus's answer is not a JSON object"),
        ({"status": "error", "error": "bad\nquery"}, "Prometheus refused the query: 'bad\\nquery'"),
        ({"status": "error", "error": 7}, "Prometheus refused the query: no reason given"),
        ({"status": "success", "data": []}, "Prometheus's answer is not a vector result"),
        ({"status": "success", "data": {"resultType": "vector", "result": {}}}, "Prometheus's answer is not a vector result"),
        ({"status": "success", "data": {"resultType": "vector", "result": [[1]]}}, "Prometheus's answer has a result that is not an object"),
        ({"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"a": 1}}]}}, "Prometheus's answer has a series without string labels"),
        (vector(({"__name__": DISCONNECT}, "1"), ({"__name__": "centrifuge_" + m.Family.DISCONNECTS.metric}, "1")),
         "Prometheus holds series of both namespaces centrifuge and centrifugo; choose one with --namespace"),
        (vector(({"__name__": "centrifugo_node_num_clients"}, "1")),
         "Prometheus holds no Centrifugo series (centrifugo_* or centrifuge_* counters of the report)"),
    ],
)  # fmt: skip
def test_each_bad_answer_is_one_whole_line(monkeypatch: pytest.MonkeyPatch, answer: object, message: str) -> None:
    assert failure(monkeypatch, answer) == f"{BASE}: {message}"


def test_a_base_with_a_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    urls: list[str] = []

    def get(address: str, deadline: float, max_bytes: int) -> bytes:
        urls.append(address)
        return json.dumps(vector(({"__name__": DISCONNECT}, "1"))).encode()

    monkeypatch.setattr(_prometheus, "_get", get)
    # Prometheus behind a path prefix (which here ends in an X), written with slashes after it.
    _prometheus.query_nodes(BASE + "/BOX//", since=None, since_text=None, timeout=5, max_bytes=10_000, at=END)
    assert [address.partition("?")[0] for address in urls] == [f"{BASE}/BOX/api/v1/query"]


def test_the_query_selects_exactly_the_report_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    urls: list[str] = []

    def get(address: str, deadline: float, max_bytes: int) -> bytes:
        urls.append(address)
        return json.dumps(vector(({"__name__": DISCONNECT}, "1"))).encode()

    monkeypatch.setattr(_prometheus, "_get", get)
    _prometheus.query_nodes(BASE, since=None, since_text=None, timeout=5, max_bytes=10_000, at=END)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(urls[0]).query))["query"]
    found = re.fullmatch(r'\{__name__=~"(.*)"\}', query)
    assert found is not None
    pattern = found[1]  # Prometheus anchors a label regex at both ends
    for namespace in ("centrifugo", "centrifuge"):
        for family in m.Family:
            base = f"{namespace}_{family.metric.removesuffix('_total')}"  # a page may add ``_total`` or not
            for name in (base, f"{base}_total"):
                assert re.fullmatch(pattern, name), name
    for name in ("centrifugo_node_num_clients", "other_client_num_server_disconnects", "centrifugo_api_command"):
        assert re.fullmatch(pattern, name) is None, name


def test_a_window_asks_the_same_series_at_its_start_and_over_it(monkeypatch: pytest.MonkeyPatch) -> None:
    queries: list[str] = []
    labels = {"__name__": DISCONNECT}

    def get(address: str, deadline: float, max_bytes: int) -> bytes:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(address).query))["query"]
        queries.append(query)
        return json.dumps(matrix((labels, ["1"])) if query.endswith("]") else vector()).encode()

    monkeypatch.setattr(_prometheus, "_get", get)
    _prometheus.query_nodes(BASE, since=90, since_text="90s", timeout=5, max_bytes=10_000, at=END)
    assert len(queries) == 2
    assert queries[0].startswith('{__name__=~"(centrifugo|centrifuge)_(')
    assert queries[1] == f"{queries[0]}[90000ms]"


@pytest.mark.parametrize("at_start", [True, False])
def test_a_bad_item_in_a_window_is_one_whole_line(monkeypatch: pytest.MonkeyPatch, at_start: bool) -> None:
    bad = {"status": "success", "data": {"resultType": "vector" if at_start else "matrix", "result": [7]}}
    answering(monkeypatch, None, bad if at_start else vector(), matrix() if at_start else bad)
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert str(caught.value) == f"{BASE}: Prometheus's answer has a result that is not an object"


def test_a_window_skips_other_series_and_adds_up_each_series(monkeypatch: pytest.MonkeyPatch) -> None:
    # Another counter comes first; then one node's series is scraped by two jobs.
    other = {"__name__": "centrifugo_node_num_clients", "instance": "n:1"}
    job_a = {"__name__": DISCONNECT, "code": "3001", "instance": "n:1", "job": "a"}
    job_b = {**job_a, "job": "b"}
    answering(monkeypatch, None, vector((job_a, "1")), matrix((other, ["50"]), (job_a, ["3"]), (job_b, ["4"])))
    nodes = _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert [(node.source, node.counts) for node in nodes] == [("n:1", {disconnects({"code": "3001"}): 2 + 4})]


def test_a_sample_equal_to_the_last_one_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {"__name__": DISCONNECT, "instance": "n:1"}
    answering(monkeypatch, None, vector((labels, "4")), matrix((labels, ["4", "4", "6", "6"])))
    nodes = _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert [(node.source, node.since, node.restarted, total([node])) for node in nodes] == [
        ("n:1", "1m", False, {"n:1": 2})
    ]


def test_a_start_value_that_is_no_count_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {"__name__": DISCONNECT + "_total", "instance": "n:1"}
    answering(monkeypatch, None, vector((labels, "-3")), matrix((labels, ["1"])))
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert str(caught.value) == (
        f"{BASE}: {DISCONNECT}_total has the value -3; a count must be a whole number from 0 to 2**53"
    )


def test_a_range_must_be_a_matrix_with_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {"__name__": DISCONNECT, "instance": "n:1"}
    assert failure(monkeypatch, vector(), since=60) == f"{BASE}: Prometheus's answer is not a matrix result"
    answering(
        monkeypatch,
        None,
        vector(),
        {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": labels, "values": 3}]}},
    )
    with pytest.raises(m.MetricsError) as caught:
        _prometheus.query_nodes(BASE, since=60, since_text="1m", timeout=5, max_bytes=10_000, at=END)
    assert str(caught.value) == f"{BASE}: Prometheus's answer has a range without samples"


def test_a_sample_must_be_a_time_and_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    for sample in ([END], [END, "1", "2"], ["now", "1"], {"0": END, "1": "1"}):
        assert failure(monkeypatch, {"status": "success", "data": {"resultType": "vector", "result": [
            {"metric": {"__name__": DISCONNECT}, "value": sample}]}}) == (
            f"{BASE}: Prometheus's answer has a sample that is not [time, value]"
        )  # fmt: skip


# --- The HTTP fetch ------------------------------------------------------------------------------


class Server(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            kind, _, rest = self.path.lstrip("/").partition("/")
            status, body, location = 200, self.path.encode(), ""
            if kind == "status":
                status = int(rest)
            elif kind == "big":
                body = b" " * int(rest)
            elif kind == "accept":
                body = str(self.headers.get("Accept")).encode()
            elif kind == "redirect":  # /redirect/STATUS sends STATUS to /done
                status, location = int(rest), "/done"
            elif kind == "nowhere":  # a redirect that names no target
                status = 302
            elif kind == "garbled":
                self.wfile.write(b"NONSENSE\r\n\r\n")
                return
            elif kind == "hop":  # /hop/N redirects N times, relative to the current URL
                left = int(rest)
                status, location = (307, str(left - 1)) if left else (200, "")
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def url(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1")
    return server


def get(address: str, max_bytes: int = 1000) -> bytes:
    return _prometheus._get(address, time.monotonic() + 5, max_bytes)


def get_error(address: str, max_bytes: int = 1000) -> str:
    with pytest.raises(m.MetricsError) as caught:
        get(address, max_bytes)
    return str(caught.value)


def test_the_path_and_query_are_sent_as_given(url: str) -> None:
    assert get(f"{url}/echo/x?query=up&time=1.000") == b"/echo/x?query=up&time=1.000"
    assert get(f"{url}/echo") == b"/echo"
    assert get(url) == b"/"
    assert get(f"{url}/accept") == b"application/json"


@pytest.mark.parametrize("status", [200, 400, 422, 503])
def test_answers_that_carry_prometheus_json_are_read(url: str, status: int) -> None:
    assert get(f"{url}/status/{status}") == f"/status/{status}".encode()


@pytest.mark.parametrize("status", [201, 204, 404, 500])
def test_other_statuses_are_one_error(url: str, status: int) -> None:
    assert get_error(f"{url}/status/{status}") == f"{url}/status/{status}: Prometheus answered HTTP {status}"


def test_the_size_limit_is_exact(url: str) -> None:
    assert get(f"{url}/big/1000") == b" " * 1000
    assert get_error(f"{url}/big/1001") == f"{url}/big/1001: the answer is larger than 1000 bytes (--max-bytes)"


def test_a_timeout_under_a_second_is_enough_for_a_quick_answer(url: str) -> None:
    assert _prometheus._get(f"{url}/echo", time.monotonic() + 0.5, 1000) == b"/echo"


def test_three_redirects_are_followed_and_not_four(url: str) -> None:
    assert get(f"{url}/hop/3") == b"/hop/0"
    assert get_error(f"{url}/hop/4") == f"{url}/hop/0: more than 3 redirects"


def test_a_url_that_is_not_http(url: str) -> None:
    assert get_error("ftp://127.0.0.1/") == "ftp://127.0.0.1/: not an http:// or https:// URL"
    assert get_error("http:///path") == "http:///path: not an http:// or https:// URL"
    assert get_error("http://127.0.0.1:99999/") == (
        "http://127.0.0.1:99999/: not a usable URL (Port out of range 0-65535)"
    )


def test_an_unreachable_prometheus_is_named() -> None:
    reason = os.strerror(errno.ECONNREFUSED)
    assert get_error("http://127.0.0.1:1/") == f"http://127.0.0.1:1/: cannot reach Prometheus: {reason}"


def test_https_speaks_tls(url: str) -> None:
    # The test server speaks plain HTTP: an https:// URL must try TLS, and fail.
    address = url.replace("http://", "https://") + "/echo"
    assert get_error(address).startswith(f"{address}: cannot reach Prometheus: ")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_redirect_status_is_followed(url: str, status: int) -> None:
    assert get(f"{url}/redirect/{status}") == b"/done"


def test_a_redirect_without_a_target_goes_nowhere(url: str) -> None:
    assert get_error(f"{url}/nowhere") == f"{url}/nowhere: more than 3 redirects"


def test_a_deadline_already_passed_names_the_url() -> None:
    with pytest.raises(m.MetricsError) as caught:
        _prometheus._get("http://127.0.0.1:1/x", time.monotonic() - 1, 1000)
    assert str(caught.value) == "http://127.0.0.1:1/x: no complete answer within the timeout (--timeout)"


def test_a_garbled_answer_names_the_url(url: str) -> None:
    assert get_error(f"{url}/garbled") == f"{url}/garbled: Prometheus's answer is broken (BadStatusLine)"

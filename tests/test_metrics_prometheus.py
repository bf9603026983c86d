# pyright: reportPrivateUsage=false
"""``metrics --prometheus``: counts from Prometheus's HTTP API, against a scripted Prometheus.

The scripted server answers ``/api/v1/query`` as Prometheus does (``status``,
``data.resultType``, ``data.result``), under a path prefix that picks the scenario:
good answers, and the hostile ones (slow, huge, not JSON, wrong result types, NaN,
refusals, redirects). The expected counts are worked out by hand from the samples
below. ``tests/live`` runs the same report against a real Prometheus.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from centrifugo_protocol import metrics as m
from centrifugo_protocol.metrics import _main, _prometheus

if TYPE_CHECKING:
    from collections.abc import Iterator

PROG = "centrifugo-codes"
ERROR_PREFIX = "centrifugo-codes metrics: error: "
END = 1_800_000_000.0
WINDOW = 300.0

REPLY = {
    "__name__": "centrifugo_client_num_reply_errors",
    "code": "103",
    "method": "subscribe",
    "channel_namespace": "",
}
DISCONNECT = {"__name__": "centrifugo_client_num_server_disconnects", "code": "3001"}
API = {"__name__": "centrifugo_api_command_errors_total", "error": "unmarshal", "method": "publish", "protocol": "http"}
OTHER = {"__name__": "centrifugo_node_num_clients"}


def labelled(labels: dict[str, str], instance: str) -> dict[str, str]:
    return {**labels, "instance": instance, "job": "centrifugo"}


#: The latest values (a query without a window, and the values at the window's end).
LATEST = [
    (labelled(REPLY, "n1:1"), "5"),
    (labelled(DISCONNECT, "n2:2"), "2"),
    (labelled(API, "n2:2"), "4"),
    (labelled(OTHER, "n1:1"), "17"),
]
#: The values at the window's start: the disconnect series did not exist yet.
AT_START = [(labelled(REPLY, "n1:1"), "2"), (labelled(API, "n2:2"), "1"), (labelled(OTHER, "n1:1"), "3")]
#: The raw samples in the window.
IN_WINDOW = [
    (labelled(REPLY, "n1:1"), ["3", "5"]),  # from 2: +1, +2
    (labelled(DISCONNECT, "n2:2"), ["1", "4", "1", "2"]),  # from 0: +1, +3, reset to 1, +1
    (labelled(API, "n2:2"), ["4"]),  # from 1: +3
    (labelled(OTHER, "n1:1"), ["9"]),
]


def vector(rows: list[tuple[dict[str, str], str]], at: float) -> dict[str, Any]:
    result = [{"metric": labels, "value": [at, value]} for labels, value in rows]
    return {"status": "success", "data": {"resultType": "vector", "result": result}}


def matrix(rows: list[tuple[dict[str, str], list[str]]], at: float) -> dict[str, Any]:
    result = [
        {"metric": labels, "values": [[at - 10 * (len(values) - i), v] for i, v in enumerate(values)]}
        for labels, values in rows
    ]
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


def one(value: object, *, kind: str = "vector", labels: object = None) -> dict[str, Any]:
    item: dict[str, object] = {"metric": labelled(DISCONNECT, "n:1") if labels is None else labels}
    item["value" if kind == "vector" else "values"] = value
    return {"status": "success", "data": {"resultType": kind, "result": [item]}}


#: Scenario -> the answer to every query: (status, JSON value or raw bytes).
FIXED: dict[str, tuple[int, object]] = {
    "refused": (400, {"status": "error", "errorType": "bad_data", "error": "1:2: parse error"}),
    "refused-quietly": (200, {"status": "error"}),
    "notjson": (200, b"<html>no</html>"),
    "array": (200, [1, 2]),
    "scalar": (200, {"status": "success", "data": {"resultType": "scalar", "result": [1, "1"]}}),
    "noresult": (200, {"status": "success", "data": {"resultType": "vector"}}),
    "nodata": (200, {"status": "success"}),
    "nan": (200, one([END, "NaN"])),
    "nan-constant": (200, b'{"status":"success","data":{"resultType":"vector","result":'
                          b'[{"metric":{"__name__":"centrifugo_client_num_server_disconnects"},"value":[1,NaN]}]}}'),
    "fraction": (200, one([END, "2.5"])),
    "long-value": (200, one([END, "1" * 50])),
    "labels": (200, one([END, "1"], labels={"__name__": "centrifugo_client_num_server_disconnects", "code": 3001})),
    "metric-missing": (200, {"status": "success", "data": {"resultType": "vector", "result": [{"value": [1, "1"]}]}}),
    "notobject": (200, {"status": "success", "data": {"resultType": "vector", "result": [1]}}),
    "badsample": (200, one("1")),
    "badtime": (200, one([True, "1"])),
    "empty": (200, {"status": "success", "data": {"resultType": "vector", "result": []}}),
    "both": (200, vector([(labelled(DISCONNECT, "a"), "1"),
                          (labelled({**DISCONNECT, "__name__": "centrifuge_client_num_server_disconnects"}, "b"), "1")],
                         END)),
    "noinstance": (200, vector([(DISCONNECT, "3")], END)),
    "huge": (200, b" " * 5000 + b"{}"),
    "status500": (500, {"status": "error", "error": "boom"}),
}  # fmt: skip


class Prometheus(http.server.BaseHTTPRequestHandler):
    queries: ClassVar[list[dict[str, str]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.route()

    def send(self, status: int, body: object) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        scenario, _, rest = parts.path.lstrip("/").partition("/")
        query = dict(urllib.parse.parse_qsl(parts.query))
        if scenario == "ok" and rest == "api/v1/query":
            self.queries.append(query)
            at = float(query["time"])
            if query["query"].endswith("]"):
                self.send(200, matrix(IN_WINDOW, at))
            elif at < END:
                self.send(200, vector(AT_START, at))
            else:
                self.send(200, vector(LATEST, at))
        elif scenario == "range-broken":
            if query["query"].endswith("]"):
                self.send(200, one("not samples", kind="matrix"))
            else:
                self.send(200, vector([], 0))
        elif scenario == "range-nan":
            self.send(200, one([[1, "NaN"]], kind="matrix") if query["query"].endswith("]") else vector([], 0))
        elif scenario in FIXED:
            self.send(*FIXED[scenario])
        elif scenario == "redirect":
            self.send_response(302)
            self.send_header("Location", f"/ok/{rest}?{parts.query}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif scenario in ("loop", "to-ftp", "to-bad-port"):
            target = {"loop": self.path, "to-ftp": "ftp://example.org/", "to-bad-port": "http://127.0.0.1:99999/"}
            self.send_response(307)
            self.send_header("Location", target[scenario])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif scenario == "drip":  # one header line every 0.2 s, for up to 4 s
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for n in range(20):
                self.wfile.write(f"X-Slow-{n}: 1\r\n".encode())
                self.wfile.flush()
                time.sleep(0.2)
        elif scenario == "drip-body":  # whole headers, then the body a byte every 0.2 s
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        elif scenario == "garbled":
            self.wfile.write(b"NONSENSE\r\n\r\n")
        else:
            self.send(404, b"404 page not found\n")


@pytest.fixture(scope="module")
def prometheus_server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Prometheus)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def base(prometheus_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1")
    return prometheus_server


def by_code(report: m.Report, family: m.Family) -> dict[int | str, int]:
    return {row.label if row.code is None else row.code: row.count for row in report.family(family).rows}


# --- Counts -----------------------------------------------------------------------------------


def test_latest_values_summed_per_node(base: str) -> None:
    report = m.read_prometheus(f"{base}/ok", at=END)
    assert report.interval == "since_start"
    assert [(node.source, node.since, node.restarted) for node in report.nodes] == [
        ("n1:1", None, False),
        ("n2:2", None, False),
    ]
    assert by_code(report, m.Family.REPLY_ERRORS) == {103: 5}
    assert by_code(report, m.Family.DISCONNECTS) == {3001: 2}
    assert by_code(report, m.Family.API_ERRORS) == {"unmarshal": 4}
    assert report.nodes[1].totals[m.Family.API_ERRORS] == 4
    query = Prometheus.queries[-1]["query"]
    assert query.startswith('{__name__=~"(centrifugo|centrifuge)_(') and query.endswith(')(_total)?"}')
    for metric in ("client_num_reply_errors", "transport_outgoing_close_count", "api_command_errors"):
        assert metric in query


def test_a_window_counts_exact_increases_with_resets(base: str) -> None:
    Prometheus.queries.clear()
    report = m.read_prometheus(f"{base}/ok", since="5m", at=END)
    assert report.interval == "between_snapshots"
    assert by_code(report, m.Family.REPLY_ERRORS) == {103: 5 - 2}
    assert by_code(report, m.Family.DISCONNECTS) == {3001: 1 + 3 + 1 + 1}
    assert by_code(report, m.Family.API_ERRORS) == {"unmarshal": 4 - 1}
    assert [(node.source, node.since, node.restarted) for node in report.nodes] == [
        ("n1:1", "5m", False),
        ("n2:2", "5m", True),
    ]
    assert [note.rule for note in report.notes if note.rule == "restarted"] == ["restarted"]
    times = sorted(float(query["time"]) for query in Prometheus.queries)
    assert times == [END - WINDOW, END]
    assert any(query["query"].endswith("[300000ms]") for query in Prometheus.queries)


def test_a_redirect_is_followed(base: str) -> None:
    assert by_code(m.read_prometheus(f"{base}/redirect", at=END), m.Family.REPLY_ERRORS) == {103: 5}


def test_series_without_an_instance_label(base: str) -> None:
    report = m.read_prometheus(f"{base}/noinstance")
    assert report.nodes[0].source == "(no instance label)"


def test_the_namespace_narrows_the_query(base: str) -> None:
    Prometheus.queries.clear()
    with pytest.raises(m.MetricsError, match=r"holds no Centrifugo series \(myapp_\* counters"):
        m.read_prometheus(f"{base}/ok", namespace="myapp", at=END)
    assert Prometheus.queries[-1]["query"].startswith('{__name__=~"(myapp)_(')


def test_now_is_the_default_end(base: str) -> None:
    Prometheus.queries.clear()
    before = time.time()
    m.read_prometheus(f"{base}/ok")
    assert before - 1 <= float(Prometheus.queries[-1]["time"]) <= time.time() + 1


# --- Hostile and broken answers: one line each ------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("refused", "Prometheus refused the query: 1:2: parse error"),
        ("refused-quietly", "Prometheus refused the query: no reason given"),
        ("notjson", "Prometheus's answer is not JSON"),
        ("array", "Prometheus's answer is not a JSON object"),
        ("scalar", "Prometheus's answer is not a vector result"),
        ("noresult", "Prometheus's answer is not a vector result"),
        ("nodata", "Prometheus's answer is not a vector result"),
        ("nan", "has the value NaN; a count must be a whole number from 0 to 2**53"),
        ("nan-constant", "has the value float; a count must be"),
        ("fraction", "has the value 2.5; a count"),
        ("long-value", "has the value 1111111111111111111111111111111111111...; a count"),
        ("labels", "Prometheus's answer has a series without string labels"),
        ("metric-missing", "Prometheus's answer has a series without string labels"),
        ("notobject", "Prometheus's answer has a result that is not an object"),
        ("badsample", "Prometheus's answer has a sample that is not [time, value]"),
        ("badtime", "Prometheus's answer has a sample that is not [time, value]"),
        ("empty", "Prometheus holds no Centrifugo series (centrifugo_* or centrifuge_* counters of the report)"),
        ("both", "Prometheus holds series of both namespaces centrifuge and centrifugo; choose one with --namespace"),
        ("status500", "Prometheus answered HTTP 500"),
        ("nothing-here", "Prometheus answered HTTP 404"),
        ("loop", "more than 3 redirects"),
        ("to-ftp", "ftp://example.org/: not an http:// or https:// URL"),
        ("to-bad-port", "not a usable URL (Port out of range 0-65535)"),
        ("garbled", "Prometheus's answer is broken (BadStatusLine)"),
    ],
)
def test_bad_answers(base: str, scenario: str, message: str) -> None:
    with pytest.raises(m.MetricsError) as caught:
        m.read_prometheus(f"{base}/{scenario}", at=END)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and len(text) < 400


@pytest.mark.parametrize(
    ("scenario", "message"),
    [("range-broken", "has a range without samples"), ("range-nan", "has the value NaN")],
)
def test_bad_ranges(base: str, scenario: str, message: str) -> None:
    with pytest.raises(m.MetricsError, match=message):
        m.read_prometheus(f"{base}/{scenario}", since="1h", at=END)


def test_a_huge_answer_is_refused(base: str) -> None:
    with pytest.raises(m.MetricsError, match="the answer is larger than 1000 bytes"):
        m.read_prometheus(f"{base}/huge", max_bytes=1000)


@pytest.mark.parametrize("scenario", ["drip", "drip-body"])
def test_the_timeout_bounds_the_whole_query(base: str, scenario: str) -> None:
    started = time.monotonic()
    with pytest.raises(m.MetricsError, match=r"no complete answer within the timeout \(--timeout\)"):
        m.read_prometheus(f"{base}/{scenario}", timeout=1)
    assert time.monotonic() - started < 2.5


def test_a_deadline_already_passed() -> None:
    with pytest.raises(m.MetricsError, match="no complete answer within the timeout"):
        _prometheus._get("http://127.0.0.1:1/", time.monotonic() - 1, 1000)


def test_unreachable_prometheus() -> None:
    with pytest.raises(m.MetricsError, match="cannot reach Prometheus"):
        m.read_prometheus("http://127.0.0.1:1", timeout=2)
    with pytest.raises(m.MetricsError, match="cannot reach Prometheus"):
        m.read_prometheus("https://127.0.0.1:1", timeout=2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: m.read_prometheus("ftp://x"), "url must be an http:// or https:// URL"),
        (lambda: m.read_prometheus(3), "url must be"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        (lambda: m.read_prometheus("http://x", since="5"), "'5' is not a duration such as 90s"),
        (lambda: m.read_prometheus("http://x", since="0s"), "'0s' is not a window above 0 and at most a year"),
        (lambda: m.read_prometheus("http://x", since="400d"), "at most a year"),
        (lambda: m.read_prometheus("http://x", at=float("nan")), "at must be a Unix time"),
        (lambda: m.read_prometheus("http://x", at="now"), "at must be a Unix time"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        (lambda: m.read_prometheus("http://x", timeout=0), "timeout must be"),
    ],
)
def test_bad_arguments(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("5m", 300), ("1h30m", 5400), ("250ms", 0.25), ("1d", 86400), ("2w", 1209600)]
)
def test_durations(text: str, seconds: float) -> None:
    assert _prometheus.duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "m", "-5m", "5 m", "1.5h", "5M", 5])
def test_not_durations(text: Any) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        _prometheus.duration_seconds(text)


# --- The command ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = _main.main(list(args), PROG)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        _main.main(list(args), PROG)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(ERROR_PREFIX) and err.count("\n") == 1
    return err[len(ERROR_PREFIX) : -1]


def test_the_command_reads_prometheus(capsys: pytest.CaptureFixture[str], base: str) -> None:
    status, out, err = run(capsys, "--json", "--prometheus", f"{base}/ok")
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert [node["source"] for node in report["nodes"]] == ["n1:1", "n2:2"]
    status, out, err = run(capsys, "--prometheus", f"{base}/ok", "--since", "5m")
    assert (status, err) == (0, "")
    assert "Node 2: n2:2 (namespace centrifugo), since 5m; it restarted in between\n" in out


def test_the_command_errors(capsys: pytest.CaptureFixture[str], base: str, tmp_path: Any) -> None:
    status, out, err = run(capsys, "--prometheus", f"{base}/empty")
    assert (status, out) == (2, "")
    assert (
        err
        == f"{ERROR_PREFIX}{base}/empty: Prometheus holds no Centrifugo series (centrifugo_* or centrifuge_* counters of the report)\n"
    )
    assert usage_error(capsys) == "give at least one SOURCE, or --prometheus URL"
    assert usage_error(capsys, "--prometheus", base, "page.prom") == "give either SOURCEs or --prometheus, not both"
    assert usage_error(capsys, "--prometheus", base, "--since", "5m", "--since", "1m") == (
        "with --prometheus, give --since once, as a window such as 5m"
    )
    assert usage_error(capsys, "--prometheus", "localhost:9090") == (
        "--prometheus: 'localhost:9090' is not an http:// or https:// URL"
    )
    assert usage_error(capsys, "--prometheus", base, "--since", "old.prom") == (
        "--since: 'old.prom' is not a window such as 90s, 5m, 1h30m or 250ms"
    )
    assert usage_error(capsys, "--prometheus", base, "--since", "999w").startswith(
        "--since: '999w' is not a window above 0 and at most a year"
    )

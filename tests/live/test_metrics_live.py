"""The metrics report on a real Centrifugo v6.9.1's own /metrics page.

A server of its own (so that no other test adds to its counters) is made to send a
known set of codes: reply errors to several commands, server unsubscribes,
disconnects, close frames (the WebSocket's own 1009 among them) and server API
errors. Then the report of its page, read through ``centrifugo_protocol.metrics``,
through ``centrifugo-codes metrics --json`` and as text, must count exactly what was
triggered, per family, code and method.

The expected counts are written out below from the triggers, not from the page; the
few places where the server counts something the trigger list does not name are
said where they arise.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from centrifugo_protocol import metrics

from .conftest import start_server
from .harness import (
    API_KEY,
    RECV_TIMEOUT,
    START_TIMEOUT,
    Centrifugo,
    RawClient,
    SetupError,
    base_config,
    free_port,
    jwt,
    raw,
)

#: A frame larger than the server's default websocket.message_size_limit (65536).
_TOO_LARGE: bytes = b"x" * (65536 + 1024)


@pytest.fixture(scope="module")
def node(backend_url: str) -> Iterator[Centrifugo]:
    live = start_server(backend_url, "metrics")
    yield live
    live.stop()


def _connected(live: Centrifugo, user: str) -> RawClient:
    client = RawClient(live.ws_url)
    reply = client.reply(client.send({"connect": {"token": jwt({"sub": user})}}))
    assert "connect" in reply, reply
    return client


def _error_code(client: RawClient, command: dict[str, object]) -> int:
    reply = client.reply(client.send(command))
    assert "error" in reply, reply
    code: int = reply["error"]["code"]
    return code


def _api_error(live: Centrifugo, method: str, body: dict[str, object]) -> int:
    answer = live.api(method, body)
    assert answer.status == 200, answer
    code: int = answer.body["error"]["code"]
    return code


def _bad_json(live: Centrifugo, method: str) -> int:
    request = urllib.request.Request(
        f"{live.base}/api/{method}",
        data=b"{not json",
        headers={"X-API-Key": API_KEY, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=RECV_TIMEOUT) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        with error:
            return int(error.code)


class Triggered:
    """What the test made the server send, counted as it was sent."""

    def __init__(self) -> None:
        self.reply_errors: Counter[tuple[int, str]] = Counter()
        self.unsubscribes: Counter[int] = Counter()
        self.disconnects: Counter[int] = Counter()
        self.closes: Counter[int] = Counter()
        self.api_errors: Counter[tuple[str, str]] = Counter()

    def closed(self, client: RawClient, code: int) -> None:
        """The server closed ``client`` with ``code``: one disconnect and one close frame."""
        found = client.until_closed()
        assert (found.frame, found.code) == (True, code), found
        self.disconnects[code] += 1
        self.closes[code] += 1


def _trigger(live: Centrifugo) -> Triggered:
    done = Triggered()
    # Reply errors, per code and method.
    with raw(live.ws_url) as client:
        reply = client.reply(client.send({"connect": {"token": jwt({"sub": "m-user"})}}))
        assert "connect" in reply
        for _ in range(3):
            assert _error_code(client, {"subscribe": {"channel": "closed:a"}}) == 103
            done.reply_errors[103, "subscribe"] += 1
        for _ in range(2):
            assert _error_code(client, {"publish": {"channel": "closed:b", "data": {}}}) == 103
            done.reply_errors[103, "publish"] += 1
        assert _error_code(client, {"subscribe": {"channel": "nope:x"}}) == 102
        done.reply_errors[102, "subscribe"] += 1
        assert _error_code(client, {"history": {"channel": "nope:y"}}) == 102
        done.reply_errors[102, "history"] += 1
        assert _error_code(client, {"subscribe": {"channel": "re:ABC"}}) == 107
        done.reply_errors[107, "subscribe"] += 1
        assert _error_code(client, {"history": {"channel": "plain"}}) == 108
        done.reply_errors[108, "history"] += 1
        assert _error_code(client, {"presence": {"channel": "plain"}}) == 108
        done.reply_errors[108, "presence"] += 1
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": "m-free"}}))
        assert _error_code(client, {"subscribe": {"channel": "m-free"}}) == 105
        done.reply_errors[105, "subscribe"] += 1
    # A connect refused with an expired token: the reply error, and the client goes away
    # before the server would close the now unusable socket.
    with raw(live.ws_url) as client:
        expired = jwt({"sub": "m-expired", "exp": int(time.time()) - 60})
        assert _error_code(client, {"connect": {"token": expired}}) == 109
        done.reply_errors[109, "connect"] += 1

    # Server unsubscribes: the server API's unsubscribe sends 2000 to each subscriber.
    subscribers = [_connected(live, "m-unsub") for _ in range(2)]
    for client in subscribers:
        assert "subscribe" in client.reply(client.send({"subscribe": {"channel": "m-room"}}))
    answer = live.api("unsubscribe", {"user": "m-unsub", "channel": "m-room"})
    assert answer.status == 200 and "error" not in (answer.body or {}), answer
    for client in subscribers:
        assert client.push("unsubscribe")["unsubscribe"]["code"] == 2000
        done.unsubscribes[2000] += 1
        client.close()

    # Disconnects, each also a close frame over WebSocket.
    for code, reason in ((4501, "m custom"), (4001, "m again"), (4001, "m again")):
        user = f"m-disconnect-{code}-{sum(done.disconnects.values())}"
        client = _connected(live, user)
        answer = live.api("disconnect", {"user": user, "disconnect": {"code": code, "reason": reason}})
        assert answer.status == 200, answer
        done.closed(client, code)
        client.close()
    client = _connected(live, "m-force")
    assert live.api("disconnect", {"user": "m-force"}).status == 200
    done.closed(client, 3503)
    client.close()
    with raw(live.ws_url) as client:
        client.send_raw("not json")
        done.closed(client, 3501)
    with raw(live.ws_url) as client:
        client.send({"connect": {"token": jwt({"sub": "m-bad"}, secret="another-secret")}})
        done.closed(client, 3500)
    with raw(live.ws_url, pong=False) as client:
        reply = client.reply(client.send({"connect": {"token": jwt({"sub": "m-nopong"})}}))
        assert "connect" in reply
        done.closed(client, 3012)

    # The WebSocket's own close code: a frame over the size limit closes with 1009.
    with raw(live.ws_url) as client:
        reply = client.reply(client.send({"connect": {"token": jwt({"sub": "m-big"})}}))
        assert "connect" in reply
        client.send_raw(_TOO_LARGE)
        found = client.until_closed()
        assert (found.frame, found.code) == (True, 1009), found
        done.closes[1009] += 1  # a close frame only: the server counts no disconnect for it

    # Server API errors, per error label and method (all over http).
    for _ in range(2):
        assert _api_error(live, "publish", {"channel": "nope:x", "data": {}}) == 102
        done.api_errors["102", "publish"] += 1
    assert _api_error(live, "publish", {"channel": "", "data": {}}) == 107
    done.api_errors["107", "publish"] += 1
    assert _api_error(live, "history", {"channel": "plain", "limit": 1}) == 108
    done.api_errors["108", "history"] += 1
    assert _api_error(live, "rpc", {"method": "nope:m", "data": {}}) == 104
    done.api_errors["104", "rpc"] += 1
    assert _bad_json(live, "publish") == 400
    done.api_errors["unmarshal", "publish"] += 1
    return done


@pytest.fixture(scope="module")
def triggered(node: Centrifugo) -> Triggered:
    return _trigger(node)


@pytest.fixture(scope="module")
def report(node: Centrifugo, triggered: Triggered) -> metrics.Report:
    del triggered
    return metrics.read([f"{node.base}/metrics"])


def _by_code(found: metrics.FamilyReport) -> dict[int | str, int]:
    return {row.label if row.code is None else row.code: row.count for row in found.rows}


def test_reply_errors_per_code_and_method(report: metrics.Report, triggered: Triggered) -> None:
    found = report.family(metrics.Family.REPLY_ERRORS)
    expected: Counter[int] = Counter()
    for (code, _method), count in triggered.reply_errors.items():
        expected[code] += count
    assert _by_code(found) == dict(expected)
    per_method = {(row.code, m.method): m.count for row in found.rows for m in row.methods or ()}
    assert per_method == dict(triggered.reply_errors)
    assert found.total == sum(triggered.reply_errors.values())


def test_unsubscribes(report: metrics.Report, triggered: Triggered) -> None:
    assert _by_code(report.family(metrics.Family.UNSUBSCRIBES)) == dict(triggered.unsubscribes)


def test_disconnects(report: metrics.Report, triggered: Triggered) -> None:
    assert _by_code(report.family(metrics.Family.DISCONNECTS)) == dict(triggered.disconnects)


def test_close_frames(report: metrics.Report, triggered: Triggered) -> None:
    found = report.family(metrics.Family.CLOSES)
    assert _by_code(found) == dict(triggered.closes)
    rows = {row.code: row for row in found.rows}
    assert rows[1009].kind == "transport" and rows[1009].client == "stops"


def test_server_api_errors_per_error_and_method(report: metrics.Report, triggered: Triggered) -> None:
    found = report.family(metrics.Family.API_ERRORS)
    expected: Counter[str] = Counter()
    for (error, _method), count in triggered.api_errors.items():
        expected[error] += count
    assert {row.label: row.count for row in found.rows} == dict(expected)
    per_method = {(row.label, m.protocol, m.method): m.count for row in found.rows for m in row.methods or ()}
    assert per_method == {(error, "http", method): n for (error, method), n in triggered.api_errors.items()}
    rows = {row.label: row for row in found.rows}
    assert rows["unmarshal"].kind == "stage"
    assert rows["102"].name == "UNKNOWN_CHANNEL"


def test_the_page_has_the_names_and_labels_of_v6_9_1(node: Centrifugo, triggered: Triggered) -> None:
    del triggered
    page = node.metrics()
    samples = [line for line in page.splitlines() if line and not line.startswith("#")]

    def labels(metric: str) -> set[frozenset[str]]:
        found = {line.split("{", 1)[1].split("}", 1)[0] for line in samples if line.startswith(metric + "{")}
        return {frozenset(part.split("=", 1)[0] for part in text.split(",")) for text in found}

    assert labels("centrifugo_client_num_reply_errors") == {frozenset({"channel_namespace", "code", "method"})}
    assert labels("centrifugo_client_num_server_unsubscribes") == {frozenset({"channel_namespace", "code"})}
    assert labels("centrifugo_client_num_server_disconnects") == {frozenset({"code"})}
    assert labels("centrifugo_transport_outgoing_close_count") == {frozenset({"code", "transport"})}
    assert labels("centrifugo_api_command_errors_total") == {frozenset({"error", "method", "protocol"})}
    # v6.9.1 leaves the channel namespace empty, whatever the channel.
    assert all('channel_namespace=""' in line for line in samples if "channel_namespace=" in line)
    assert "# TYPE centrifugo_client_num_reply_errors counter" in page
    assert "# TYPE centrifugo_api_command_errors_total counter" in page


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "centrifugo_protocol", "metrics", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_gives_the_same_report(node: Centrifugo, report: metrics.Report) -> None:
    url = f"{node.base}/metrics"
    result = _cli("--json", url)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["families"] == report.to_json()["families"]
    text = _cli(url)
    assert text.returncode == 0, text.stderr
    total = report.family(metrics.Family.API_ERRORS).total
    assert f"Server API errors (centrifugo_api_command_errors_total): {total}\n" in text.stdout
    assert "\n  1009  " in text.stdout


_FAMILY_METRICS = (
    "centrifugo_client_num_reply_errors",
    "centrifugo_client_num_server_unsubscribes",
    "centrifugo_client_num_server_disconnects",
    "centrifugo_transport_outgoing_close_count",
    "centrifugo_api_command_errors_total",
)


def test_the_v6_9_1_sample_page_matches_the_real_one(node: Centrifugo, triggered: Triggered) -> None:
    """tests/metrics_samples/node1.prom stands for a v6.9.1 page: same HELP, TYPE and label names."""
    del triggered
    real = node.metrics().splitlines()
    sample = (Path(__file__).resolve().parent.parent / "metrics_samples" / "node1.prom").read_text().splitlines()

    def shape(lines: list[str], metric: str) -> tuple[list[str], set[str]]:
        heads = [line for line in lines if line.startswith((f"# HELP {metric} ", f"# TYPE {metric} "))]
        names = {
            part.split("=", 1)[0]
            for line in lines
            if line.startswith(metric + "{")
            for part in line.split("{", 1)[1].split("}", 1)[0].split(",")
        }
        return heads, names

    for metric in _FAMILY_METRICS:
        assert shape(sample, metric) == shape(real, metric), metric


# --- A cluster: two nodes on a Redis broker, scraped by a real Prometheus ----------------------

#: The Debian packages the cluster test runs, as CI installs them (Debian 12 bookworm).
DEBIAN_PACKAGES = {"redis-server": "5:7.0.15-1~deb12u10", "prometheus": "2.42.0+ds-5+deb12u1"}
#: How long Prometheus may take to scrape what the nodes counted (it scrapes every second).
_SCRAPED_WITHIN = 30.0


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if found is None:
        pytest.fail(
            f"{name} is needed by the cluster test: apt-get install -y {name}={DEBIAN_PACKAGES[name]}", pytrace=False
        )
    return found


def _wait_for(check: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout:.0f} s", pytrace=False)


@dataclass
class Cluster:
    nodes: list[Centrifugo]
    prometheus: str


@pytest.fixture(scope="module")
def cluster(backend_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("cluster")
    processes: list[subprocess.Popen[bytes]] = []
    nodes: list[Centrifugo] = []
    try:
        redis_port = free_port()
        processes.append(
            subprocess.Popen(
                [_tool("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip

        def redis_answers() -> bool:
            with socket.create_connection(("127.0.0.1", redis_port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")

        _wait_for(redis_answers, "redis-server did not answer PING")
        for name in ("a", "b"):
            config = base_config(free_port(), backend_url)
            config["engine"] = {
                "type": "redis",
                "redis": {"address": [f"redis://127.0.0.1:{redis_port}"], "prefix": "metrics-live"},
            }
            nodes.append(start_server_with(config, f"cluster-{name}"))
        prometheus_port = free_port()
        targets = ", ".join(f"'127.0.0.1:{node.port}'" for node in nodes)
        (folder / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"scrape_configs:\n  - job_name: centrifugo\n    static_configs:\n      - targets: [{targets}]\n"
        )
        with (folder / "prometheus.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [_tool("prometheus"), f"--config.file={folder / 'prometheus.yml'}",
                     f"--storage.tsdb.path={folder / 'tsdb'}", f"--web.listen-address=127.0.0.1:{prometheus_port}"],
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            )  # fmt: skip
        base = f"http://127.0.0.1:{prometheus_port}"

        def ready() -> bool:
            with urllib.request.urlopen(f"{base}/-/ready", timeout=1) as answer:
                return int(answer.status) == 200

        _wait_for(ready, "prometheus was not ready")
        yield Cluster(nodes, base)
    finally:
        for node in nodes:
            node.stop()
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def start_server_with(config: dict[str, Any], name: str) -> Centrifugo:
    try:
        return Centrifugo.start(config, name=name)
    except SetupError as error:
        pytest.fail(f"live server setup: {error}", pytrace=False)


def _pages(cluster: Cluster, folder: Path, tag: str) -> list[str]:
    paths: list[str] = []
    for number, node in enumerate(cluster.nodes):
        path = folder / f"{tag}-{number}.prom"
        path.write_text(node.metrics(), encoding="utf-8")
        paths.append(str(path))
    return paths


def _families(report: metrics.Report) -> list[Any]:
    families = report.to_json()["families"]
    assert isinstance(families, list)
    return list(families)


def _scraped(cluster: Cluster, folder: Path, tag: str) -> list[str]:
    """The nodes' pages, once Prometheus holds the same counts (it scrapes every second)."""
    pages = _pages(cluster, folder, tag)
    expected = _families(metrics.read(pages))

    def same() -> bool:
        try:
            return _families(metrics.read_prometheus(cluster.prometheus)) == expected
        except metrics.MetricsError:  # before the first scrape: no series yet
            return False

    _wait_for(same, "Prometheus did not hold the nodes' counts", _SCRAPED_WITHIN)
    return pages


def _phase_one(cluster: Cluster) -> None:
    a, b = cluster.nodes
    with raw(a.ws_url) as client:
        assert "connect" in client.reply(client.send({"connect": {"token": jwt({"sub": "c-one"})}}))
        for _ in range(3):
            assert _error_code(client, {"subscribe": {"channel": "closed:a"}}) == 103
    with raw(b.ws_url) as client:
        assert "connect" in client.reply(client.send({"connect": {"token": jwt({"sub": "c-two"})}}))
        for _ in range(2):
            assert _error_code(client, {"subscribe": {"channel": "nope:x"}}) == 102
    assert _api_error(a, "publish", {"channel": "nope:x", "data": {}}) == 102
    assert _api_error(b, "publish", {"channel": "", "data": {}}) == 107


def _phase_two(cluster: Cluster) -> None:
    """An API call to node a reaches clients on node b, through Redis."""
    a, b = cluster.nodes
    subscriber = _connected(b, "c-far")
    assert "subscribe" in subscriber.reply(subscriber.send({"subscribe": {"channel": "c-room"}}))
    assert a.api("unsubscribe", {"user": "c-far", "channel": "c-room"}).status == 200
    assert subscriber.push("unsubscribe")["unsubscribe"]["code"] == 2000
    assert a.api("disconnect", {"user": "c-far", "disconnect": {"code": 4502, "reason": "far"}}).status == 200
    found = subscriber.until_closed()
    assert (found.frame, found.code) == (True, 4502), found
    subscriber.close()
    with raw(a.ws_url) as client:
        assert "connect" in client.reply(client.send({"connect": {"token": jwt({"sub": "c-three"})}}))
        assert _error_code(client, {"history": {"channel": "plain"}}) == 108
    assert _api_error(b, "history", {"channel": "plain", "limit": 1}) == 108


def test_prometheus_sums_the_nodes_and_counts_a_window(cluster: Cluster, tmp_path: Path) -> None:
    _phase_one(cluster)
    before = _scraped(cluster, tmp_path, "before")
    report = metrics.read_prometheus(cluster.prometheus)
    assert sorted(node.source for node in report.nodes) == sorted(f"127.0.0.1:{n.port}" for n in cluster.nodes)
    assert report.family(metrics.Family.REPLY_ERRORS).count(103) == 3
    assert report.family(metrics.Family.REPLY_ERRORS).count(102) == 2
    assert _by_code(report.family(metrics.Family.API_ERRORS)) == {102: 1, 107: 1}
    window_start = time.time()  # after Prometheus scraped phase one, before phase two
    time.sleep(1.5)
    _phase_two(cluster)
    after = _scraped(cluster, tmp_path, "after")
    end = time.time()
    window = f"{round((end - window_start) * 1000)}ms"
    over = metrics.read_prometheus(cluster.prometheus, since=window, at=end)
    assert _families(over) == _families(metrics.read(after, since=before))
    assert _by_code(over.family(metrics.Family.UNSUBSCRIBES)) == {2000: 1}
    assert _by_code(over.family(metrics.Family.DISCONNECTS)) == {4502: 1}
    assert _by_code(over.family(metrics.Family.CLOSES)) == {4502: 1}
    assert _by_code(over.family(metrics.Family.REPLY_ERRORS)) == {108: 1}
    assert _by_code(over.family(metrics.Family.API_ERRORS)) == {108: 1}
    # The 2000 and the 4502 were counted by node b, where the client was, though the
    # API call went to node a.
    far = next(node for node in over.nodes if node.source.endswith(f":{cluster.nodes[1].port}"))
    assert far.totals[metrics.Family.DISCONNECTS] == 1 and far.totals[metrics.Family.UNSUBSCRIBES] == 1
    # The command gives the same report, as text and as JSON.
    result = _cli("--json", "--prometheus", cluster.prometheus)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["families"] == _families(metrics.read(after))
    window = f"{round((time.time() - window_start) * 1000)}ms"
    text = _cli("--prometheus", cluster.prometheus, "--since", window)
    assert text.returncode == 0, text.stderr
    assert (
        "\n  4502  " in text.stdout
        and "Server unsubscribes (centrifugo_client_num_server_unsubscribes): 1\n" in text.stdout
    )


def test_prometheus_errors_are_one_line(cluster: Cluster) -> None:
    del cluster
    port = free_port()  # nothing listens there
    result = _cli("--prometheus", f"http://127.0.0.1:{port}")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "cannot reach Prometheus" in result.stderr


def test_a_query_refused_and_no_series(cluster: Cluster) -> None:
    refused = _cli("--prometheus", cluster.prometheus, "--namespace", "nothing_here")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.endswith("Prometheus holds no Centrifugo series (nothing_here_* counters of the report)\n")


def test_ci_installs_the_cluster_packages_this_test_runs() -> None:
    """CI installs the very versions named here (a fresh machine has neither)."""
    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    for name, version in DEBIAN_PACKAGES.items():
        assert f'"{name}={version}"' in script, name

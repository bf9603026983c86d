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
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from centrifugo_protocol import metrics

from .conftest import start_server
from .harness import API_KEY, RECV_TIMEOUT, Centrifugo, RawClient, jwt, raw

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

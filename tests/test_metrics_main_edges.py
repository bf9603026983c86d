# pyright: reportPrivateUsage=false
"""``centrifugo-codes metrics --prometheus``: the options reach every query, and https works.

Prometheus's HTTP fetch is replaced by one that records what each query was given
and answers a single disconnect series, so the tests see the command's options as
the queries receive them.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.parse

import pytest

from centrifugo_protocol.metrics import _main, _prometheus

PROG = "centrifugo-codes"
ERROR = f"{PROG} metrics: error: "
SERIES = {"__name__": "centrifugo_client_num_server_disconnects", "code": "3001", "instance": "n:1"}
VECTOR = {"status": "success", "data": {"resultType": "vector", "result": [{"metric": SERIES, "value": [1, "4"]}]}}
MATRIX = {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": SERIES, "values": [[1, "6"]]}]}}


class Fetches:
    """What each query was given: the URL, the seconds left before its deadline, and the size limit."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float, int]] = []

    def __call__(self, url: str, deadline: float, max_bytes: int) -> bytes:
        self.calls.append((url, deadline - time.monotonic(), max_bytes))
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["query"]
        return json.dumps(MATRIX if query.endswith("]") else VECTOR).encode()


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> Fetches:
    fake = Fetches()
    monkeypatch.setattr(_prometheus, "_get", fake)
    return fake


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = _main.main(list(args), PROG)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("url", ["https://prom.test:9090", "HTTPS://prom.test:9090", "Http://prom.test:9090"])
def test_https_and_any_case_of_the_scheme_are_accepted(
    capsys: pytest.CaptureFixture[str], fetches: Fetches, url: str
) -> None:
    status, out, err = run(capsys, "--json", "--prometheus", url)
    assert (status, err) == (0, "")
    assert [node["source"] for node in json.loads(out)["nodes"]] == ["n:1"]
    assert fetches.calls[0][0].startswith(f"{url}/api/v1/query?")


def test_timeout_and_max_bytes_reach_each_query(capsys: pytest.CaptureFixture[str], fetches: Fetches) -> None:
    status, _out, err = run(
        capsys, "--prometheus", "http://prom.test", "--since", "5m", "--timeout", "0.5", "--max-bytes", "1234"
    )
    assert (status, err) == (0, "")
    assert len(fetches.calls) == 2
    for _url, left, max_bytes in fetches.calls:
        assert 0 < left <= 0.5
        assert max_bytes == 1234


def test_the_namespace_is_the_one_asked_for(capsys: pytest.CaptureFixture[str], fetches: Fetches) -> None:
    status, out, err = run(capsys, "--prometheus", "http://prom.test", "--namespace", "centrifuge")
    assert (status, out) == (2, "")
    assert err == (
        f"{ERROR}http://prom.test: Prometheus holds no Centrifugo series (centrifuge_* counters of the report)\n"
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(fetches.calls[0][0]).query))["query"]
    assert query.startswith('{__name__=~"(centrifuge)_(')


def test_a_closed_output_is_named_with_the_program(
    capsys: pytest.CaptureFixture[str], fetches: Fetches, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    status = _main.main(["--prometheus", "http://prom.test"], PROG)
    assert status != 0
    assert capsys.readouterr().err == f"{ERROR}cannot write the output: standard output is closed\n"
    assert len(fetches.calls) == 1

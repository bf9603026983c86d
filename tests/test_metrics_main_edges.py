# pyright: reportPrivateUsage=false
"""Edges of ``centrifugo-codes metrics --prometheus``: which URLs it takes, that the
options reach the Prometheus reader, and the error for a closed standard output."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from centrifugo_protocol import metrics
from centrifugo_protocol.metrics import _main

SAMPLE = str(Path(__file__).resolve().parent / "metrics_samples" / "node3.prom")
PROG = "centrifugo-codes"


class FakeReader:
    """Stands in for read_prometheus: records each call and answers with a real report."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object]]] = []

    def __call__(self, url: str, **options: object) -> metrics.Report:
        self.calls.append((url, options))
        return metrics.read([SAMPLE])


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch) -> FakeReader:
    fake = FakeReader()
    monkeypatch.setattr(_main, "read_prometheus", fake)
    return fake


@pytest.mark.parametrize("url", ["https://prometheus.example:9090", "HTTPS://PROMETHEUS.EXAMPLE", "Http://p:9090/"])
def test_both_web_schemes_are_taken_in_any_case(
    reader: FakeReader, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert _main.main(["--prometheus", url], PROG) == 0
    assert [called for called, _ in reader.calls] == [url]
    assert capsys.readouterr().err == ""


def test_the_options_reach_the_prometheus_reader(reader: FakeReader, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--prometheus", "http://p:9090", "--namespace", "myapp", "--timeout", "2.5", "--max-bytes", "4096"]
    assert _main.main([*argv, "--since", "5m"], PROG) == 0
    assert reader.calls == [
        ("http://p:9090", {"since": "5m", "namespace": "myapp", "timeout": 2.5, "max_bytes": 4096}),
    ]
    capsys.readouterr()


def test_a_closed_standard_output_is_reported_under_the_command_name(
    reader: FakeReader, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert _main.main(["--prometheus", "http://p:9090"], PROG) == 1
    assert len(reader.calls) == 1
    err = capsys.readouterr().err
    assert err == "centrifugo-codes metrics: error: cannot write the output: standard output is closed\n"

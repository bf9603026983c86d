"""``query_nodes``'s edges: the longest window, the count limits, and the labels kept.

Prometheus's answers are given straight to the reader (its HTTP fetch is replaced),
so each test says exactly which JSON came back; the expected counts and messages
are worked out by hand from the rules in the module's documentation.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from centrifugo_protocol import metrics as m
from centrifugo_protocol.metrics import _prometheus
from centrifugo_protocol.metrics._counting import NodeCounts
from centrifugo_protocol.metrics._sources import Series, series_key

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

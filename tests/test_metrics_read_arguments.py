"""metrics.read() reads its sources once, as exact strs: anything else is a TypeError naming it."""

from __future__ import annotations

from typing import Any

import pytest

from centrifugo_protocol import metrics

PAGE = "tests/metrics_samples/node1.prom"


@pytest.mark.parametrize(
    ("sources", "words"),
    [
        (3, "sources must be a list or tuple of str, not int"),
        ({PAGE}, "sources must be a list or tuple of str, not set"),
        ([3], "sources must hold str sources, not int: 3"),
        ([PAGE, b"x"], "sources must hold str sources, not bytes: b'x'"),
    ],
)
def test_sources_that_are_not_strs_are_refused(sources: Any, words: str) -> None:
    with pytest.raises(TypeError) as caught:
        metrics.read(sources)
    assert str(caught.value) == words


def test_since_is_read_the_same_way() -> None:
    since: Any = [7]
    with pytest.raises(TypeError, match=r"^since must hold str sources, not int: 7$"):
        metrics.read([PAGE], since=since)


def test_a_tuple_of_paths_is_read() -> None:
    assert len(metrics.read((PAGE,)).nodes) == 1

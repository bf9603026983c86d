"""How fast the metrics report reads a large page, as a ratio to prometheus-client's parser.

One page of 100,000 series (half of them in the five counted families, with the
codes an operator meets over many label sets, half in other metrics a node writes)
is written to a temporary file; see :func:`page`. In the same process, alternately, the benchmark times:

* the baseline: ``prometheus_client.parser.text_fd_to_metric_families`` over the
  file, every sample visited (what reading the page costs at the least);
* the report: ``centrifugo_protocol.metrics.read([path])``, which streams the same
  file through its size and time bounds, parses it with that parser, keeps the
  counted families and builds the report.

The ratio of the best rounds is the figure (the ratio of the medians is given too);
the goal is at most 1.5. A second figure,
with no goal, reads a page whose every counted series has a code of its own: the
report's worst case, since it explains each distinct code once. Run from the
repository root (the package need not be installed)::

    python benchmarks/bench_metrics.py            # a line of text
    python benchmarks/bench_metrics.py --json     # the same as JSON

It reports; it never fails on a figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERIES = 100_000
GOAL = 1.5
ROUNDS = 7


#: The codes on the page: every code the tables list, and unlisted ones in each band.
_CODES = {
    "reply": (*range(100, 114), 400, 1000, 1999, 150, 2001),
    "unsubscribe": (2000, 2500, 2501, 2502, 2600, 1999),
    "disconnect": (*range(3001, 3015), *range(3500, 3510), 4000, 4001, 4500, 4501, 5001),
    "close": (1000, 1001, 1002, 1009, 1011, *range(3001, 3015), 3500, 3501, 3502, 4001, 4501),
    "api": ("100", "102", "104", "107", "108", "112", "113", "150", "read_body", "unmarshal", "marshal"),
}
_METHODS = ("connect", "subscribe", "publish", "rpc", "history", "presence", "presence_stats", "refresh")


def page(series: int = SERIES, *, distinct: bool = False) -> str:
    """A v6.9.1-shaped page with ``series`` samples.

    By default the counted families hold the codes an operator sees (about 100 of
    them), over many label sets: an extra ``node`` label, as a relabelling
    federation adds, multiplies the series. Half the page is other metrics a node
    writes. With ``distinct``, every counted series has a code of its own instead:
    the worst case for the report, which explains each code once.
    """
    lines: list[str] = []
    counted = series // 2
    share = counted // 5

    def code(kind: str, n: int, spread: int) -> tuple[str, int]:
        """The code of the ``n``-th series of a family whose codes repeat every ``spread``
        series, and the node that keeps the label set unique."""
        table = _CODES[kind]
        if distinct:
            base = {"reply": 100, "unsubscribe": 2000, "disconnect": 3000, "close": 3000, "api": 100}[kind]
            return str(base + n // spread), 0
        return str(table[(n // spread) % len(table)]), n // (spread * len(table))

    lines.append("# HELP centrifugo_client_num_reply_errors Number of errors in replies sent to clients.")
    lines.append("# TYPE centrifugo_client_num_reply_errors counter")
    for n in range(share):
        value, node = code("reply", n, len(_METHODS))
        lines.append(
            f'centrifugo_client_num_reply_errors{{channel_namespace="",code="{value}",'
            f'method="{_METHODS[n % len(_METHODS)]}",node="n{node}"}} {n % 97 + 1}'
        )
    lines.append("# TYPE centrifugo_client_num_server_unsubscribes counter")
    for n in range(share):
        value, node = code("unsubscribe", n, 1)
        lines.append(
            f'centrifugo_client_num_server_unsubscribes{{channel_namespace="",code="{value}",node="n{node}"}} {n + 1}'
        )
    lines.append("# TYPE centrifugo_client_num_server_disconnects counter")
    for n in range(share):
        value, node = code("disconnect", n, 1)
        lines.append(f'centrifugo_client_num_server_disconnects{{code="{value}",node="n{node}"}} 3')
    lines.append("# TYPE centrifugo_transport_outgoing_close_count counter")
    for n in range(share):
        value, node = code("close", n, 2)
        transport = ("websocket", "uni_websocket")[n % 2]
        lines.append(
            f'centrifugo_transport_outgoing_close_count{{code="{value}",node="n{node}",transport="{transport}"}} 1'
        )
    lines.append("# TYPE centrifugo_api_command_errors_total counter")
    for n in range(counted - 4 * share):
        value, node = code("api", n, 3)
        protocol = ("http", "grpc", "consuming")[n % 3]
        lines.append(
            f'centrifugo_api_command_errors_total{{error="{value}",method="publish",'
            f'node="n{node}",protocol="{protocol}"}} 2'
        )
    lines.append("# TYPE centrifugo_client_command_duration_seconds summary")
    lines.extend(
        f'centrifugo_client_command_duration_seconds_count{{channel_namespace="",method="m{n % 9}",'
        f'node="n{n // 9}"}} {n}'
        for n in range(series - counted)
    )
    return "\n".join(lines) + "\n"


def _baseline(path: str) -> int:
    from prometheus_client.parser import text_fd_to_metric_families

    count = 0
    with open(path, encoding="utf-8") as text:
        for family in text_fd_to_metric_families(text):
            count += len(family.samples)
    return count


def _report(path: str) -> int:
    from centrifugo_protocol import metrics

    report = metrics.read([path])
    return sum(found.total for found in report.families)


def measure(series: int = SERIES, rounds: int = ROUNDS, *, distinct: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "page.prom")
        text = page(series, distinct=distinct)
        Path(path).write_text(text, encoding="utf-8")
        samples = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        assert _baseline(path) == samples
        _report(path)  # warm up: imports, caches
        base: list[float] = []
        ours: list[float] = []
        for _ in range(rounds):
            for target, times in ((_baseline, base), (_report, ours)):
                started = time.perf_counter()
                target(path)
                times.append(time.perf_counter() - started)
        return {
            "series": samples,
            "bytes": len(text.encode()),
            # The best of the rounds, as timeit advises: on a shared machine the
            # other rounds measure the neighbours as well.
            "baseline_s": min(base),
            "report_s": min(ours),
            "ratio": min(ours) / min(base),
            "ratio_of_medians": statistics.median(ours) / statistics.median(base),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--series", type=int, default=SERIES)
    args = parser.parse_args()
    figures = {"page": measure(args.series), "distinct_codes": measure(args.series, 3, distinct=True)}
    if args.json:
        print(json.dumps({**figures, "goal": {"page": GOAL, "distinct_codes": None}}, indent=2))
        return
    for name, found in figures.items():
        goal = f"goal at most {GOAL}" if name == "page" else "reported, no goal"
        print(
            f"{name}: metrics.read of {found['series']:,} series ({found['bytes']:,} bytes): "
            f"{found['report_s'] * 1000:.0f} ms against prometheus-client's parser "
            f"{found['baseline_s'] * 1000:.0f} ms; ratio {found['ratio']:.2f} ({goal})"
        )


if __name__ == "__main__":
    main()

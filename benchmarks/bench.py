"""How fast lookups, classify and the import are, as ratios to the standard library.

Shared machines are noisy, so nothing here is an absolute time: every case is timed in
the same process as the baseline, ``http.HTTPStatus(404)`` (the standard library's own
enum value lookup), interleaved with it, and reported as a ratio. Each timing loop
gets its names the same way, as locals bound in the loop's setup.

The import is compared with ``import http`` the same way: fresh interpreters that have
already imported ``typing`` and ``enum`` report ``-X importtime``; the median of
alternating runs is used.

Run from the repository root (the package need not be installed):

    python benchmarks/bench.py            # a table
    python benchmarks/bench.py --json     # the same figures as JSON

It reports; it never fails on a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = ("from http import HTTPStatus as H", "H(404)")

# ``Family.lookup`` is a static method, so fetching it from the class binds nothing.
# Before 3.12 every attribute read on an enum class also passes through the enum
# metaclass's ``__getattr__`` hook (about 0.15 of the baseline by itself), so the goal
# there is the figure the package had before that change rather than 0.3.
LOOKUP_GOAL = 0.3 if sys.version_info >= (3, 12) else 0.5

# (label, setup, statement, goal as a ratio to the baseline; None: reported, no goal)
CASES: list[tuple[str, str, str, float | None]] = [
    (
        "DisconnectCode.lookup(3012)",
        "from centrifugo_protocol import DisconnectCode as D",
        "D.lookup(3012)",
        LOOKUP_GOAL,
    ),
    ("ErrorCode.lookup(109)", "from centrifugo_protocol import ErrorCode as E", "E.lookup(109)", LOOKUP_GOAL),
    (
        "UnsubscribeCode.lookup(2500)",
        "from centrifugo_protocol import UnsubscribeCode as U",
        "U.lookup(2500)",
        LOOKUP_GOAL,
    ),
    ("ApiErrorCode.lookup(104)", "from centrifugo_protocol import ApiErrorCode as A", "A.lookup(104)", LOOKUP_GOAL),
    # An events function checks the code, picks the family by range and looks it up.
    ("events.disconnected(3012)", "from centrifugo_protocol.events import disconnected as f", "f(3012)", 0.6),
    ("events.connecting(1)", "from centrifugo_protocol.events import connecting as f", "f(1)", 0.6),
    ("on_disconnect(3012)", "from centrifugo_protocol.classify import on_disconnect as f", "f(3012)", 0.3),
    ("on_unsubscribe(2500)", "from centrifugo_protocol.classify import on_unsubscribe as f", "f(2500)", 0.3),
    ("on_connect_error(109)", "from centrifugo_protocol.classify import on_connect_error as f", "f(109)", 0.3),
    ("DisconnectCode.lookup(4001)", "from centrifugo_protocol import DisconnectCode as D", "D.lookup(4001)", 0.6),
    # What a hot loop can do: fetch the lookup once (no goal; for the docs).
    (
        "lookup(3012), DisconnectCode.lookup bound once",
        "from centrifugo_protocol import DisconnectCode as D; lookup = D.lookup",
        "lookup(3012)",
        None,
    ),
    ("on_disconnect(4001)", "from centrifugo_protocol.classify import on_disconnect as f", "f(4001)", 0.6),
    (
        'on_disconnect(3001, "node restarting")',
        "from centrifugo_protocol.classify import on_disconnect as f",
        'f(3001, "node restarting")',
        0.6,
    ),
    ('on_close(1006, "")', "from centrifugo_protocol.classify import on_close as f", 'f(1006, "")', 0.6),
    (
        'on_subscribe_error(403, "no", temporary=False)',
        "from centrifugo_protocol.classify import on_subscribe_error as f",
        'f(403, "no", temporary=False)',
        0.6,
    ),
]
IMPORT_GOAL = 3.0
# (module, goal as a ratio to ``import http``; None: reported, no goal). The second
# is everything a client SDK loads: classify brings the client-side codes and events.
IMPORTS: list[tuple[str, float | None]] = [
    ("centrifugo_protocol", IMPORT_GOAL),
    ("centrifugo_protocol.classify", None),
]


def best_time(setup: str, statement: str, number: int, repeat: int) -> float:
    """Seconds per call: the best of ``repeat`` runs (the least disturbed one)."""
    return min(timeit.Timer(statement, setup).repeat(repeat=repeat, number=number)) / number


def call_ratios(number: int, rounds: int) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    for label, setup, statement, goal in CASES:
        ratios: list[float] = []
        for _ in range(rounds):
            base = best_time(*BASELINE, number=number, repeat=3)
            case = best_time(setup, statement, number=number, repeat=3)
            ratios.append(case / base)
        ratio = statistics.median(ratios)
        met = None if goal is None else ratio <= goal
        results.append({"case": label, "ratio": round(ratio, 3), "goal": goal, "met": met})
    return results


_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")


def cumulative_import_us(module: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import typing, enum; import {module}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    for line in result.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match and match.group(3) == module:
            return int(match.group(2))
    raise RuntimeError(f"no importtime line for {module}:\n{result.stderr}")


def import_ratio(module: str, runs: int, goal: float | None) -> dict[str, object]:
    ours: list[int] = []
    http: list[int] = []
    cumulative_import_us(module)  # writes the bytecode cache if it is missing
    for _ in range(runs):
        ours.append(cumulative_import_us(module))
        http.append(cumulative_import_us("http"))
    ratio = statistics.median(ours) / statistics.median(http)
    return {
        "case": f"import {module} vs import http",
        "ratio": round(ratio, 3),
        "goal": goal,
        "met": None if goal is None else ratio <= goal,
        "median_us": {module: statistics.median(ours), "http": statistics.median(http)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Time lookups, classify and the import against the stdlib.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--number", type=int, default=200_000, help="calls per timing run")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved baseline/case rounds per case")
    parser.add_argument("--import-runs", type=int, default=11, help="alternating import runs (median)")
    args = parser.parse_args()

    baseline_ns = best_time(*BASELINE, number=args.number, repeat=5) * 1e9
    rows = call_ratios(args.number, args.rounds)
    rows.extend(import_ratio(module, args.import_runs, goal) for module, goal in IMPORTS)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    if args.json:
        print(json.dumps({"python": python, "baseline_ns": round(baseline_ns, 1), "results": rows}, indent=2))
        return 0
    print(f"{python}; baseline HTTPStatus(404) = {baseline_ns:.0f} ns (for scale only; ratios are what count)")
    print(f"{'case':<50} {'ratio':>7} {'goal':>6}  met")
    for row in rows:
        goal = "-" if row["goal"] is None else f"{row['goal']:.1f}"
        met = "-" if row["met"] is None else "yes" if row["met"] else "NO"
        print(f"{row['case']:<50} {row['ratio']:>7.3f} {goal:>6}  {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

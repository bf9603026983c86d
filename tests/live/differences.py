"""Where a real SDK, on the live server, does something else than the package says.

Each row of ``differences.json`` names the SDK, the transport and the scenario, what
the SDK did and what the package answers, and why the package keeps its answer. A
difference that has no row fails, and so does a row that no longer matches: the
SDK's reaction must be the row's, and the package's answer the row's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from .scenarios import Reaction

__all__ = ["ROWS", "expected_reaction"]

_PATH: Final = Path(__file__).resolve().parent / "differences.json"


def _reaction(fields: dict[str, Any]) -> Reaction:
    return Reaction(str(fields["target"]), str(fields["name"]), int(fields["code"]), str(fields["reason"]))


def _load() -> dict[tuple[str, str, str], dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(_PATH.read_text(encoding="utf-8"))
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (str(row["sdk"]), str(row["transport"]), str(row["scenario"]))
        assert key not in table, f"two rows for {key}"
        assert str(row["why"]).strip(), f"a row without a reason: {key}"
        table[key] = row
    return table


ROWS: Final = _load()


def expected_reaction(sdk: str, transport: str, scenario: str, package: Reaction, seen: Reaction) -> Reaction:
    """What ``sdk`` must have done: the package's answer, or the recorded difference."""
    row = ROWS.get((sdk, transport, scenario))
    if row is None:
        if seen != package:
            raise AssertionError(
                f"{sdk} over {transport}, {scenario}: the SDK did {seen}, the package says {package}; "
                "fix the package, or record the difference in tests/live/differences.json with its reason"
            )
        return package
    recorded_package = _reaction(row["package_answers"])
    assert recorded_package == package, (
        f"the row for {scenario} records the package answer {recorded_package}, now {package}"
    )
    sdk_does = _reaction(row["sdk_does"])
    assert sdk_does != package, f"the row for {sdk}/{transport}/{scenario} records no difference any more"
    return sdk_does

"""The command line explains what the live server sent: ``python -m centrifugo_protocol``."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from typing import Any

__all__ = ["assert_cli_explains", "cli_json"]


@functools.cache
def cli_json(code: int) -> tuple[dict[str, Any], ...]:
    """The CLI's ``--json`` answer for ``code``: one record per family it belongs to."""
    result = subprocess.run(
        [sys.executable, "-m", "centrifugo_protocol", "--json", str(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    assert isinstance(records, list)
    return tuple(records)


def assert_cli_explains(code: int, family: str | None = None) -> dict[str, Any]:
    """``code`` is explained (in ``family``, when given) with a description."""
    records = [r for r in cli_json(code) if r.get("code") == code and (family is None or r.get("family") == family)]
    assert records, f"the CLI does not explain {code} as {family or 'any family'}: {cli_json(code)!r}"
    assert all(str(r.get("description", "")).strip() for r in records), records
    return records[0]

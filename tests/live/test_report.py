"""The verification page's live tables cover every code and every SDK scenario."""

from __future__ import annotations

from centrifugo_protocol import ApiErrorCode, DisconnectCode, ErrorCode, UnsubscribeCode

from .report import SDK_COLUMNS, markdown
from .scenarios import SCENARIOS


def test_every_member_has_a_row_that_says_how_it_was_sent() -> None:
    page = markdown()
    for family in (ErrorCode, UnsubscribeCode, DisconnectCode, ApiErrorCode):
        for member in family:
            (row,) = [line for line in page.splitlines() if line.startswith(f"| {member.code} | `{family.__name__}.")]
            how = row.rsplit(" | ", 1)[1]
            assert how.strip(" |") and "no known cause" not in how, row


def test_every_scenario_has_a_cell_for_every_sdk() -> None:
    page = markdown()
    for scenario in SCENARIOS:
        (row,) = [line for line in page.splitlines() if line.startswith(f"| `{scenario.id}` |")]
        assert row.count(" | ") == 1 + len(SDK_COLUMNS), row

"""The real SDKs against the package: every case, every SDK, and the table of differences.

For each case the package's answer is asked twice (through ``wire`` and by a direct
``classify`` call, see :mod:`tests.conformance.answers`); the two must be equal. Then
each SDK's observed transition (see :mod:`tests.conformance.observe` for how an
observation becomes one) must equal the package's answer, or the row must be covered
by an entry of ``differences.json``. An entry that covers a row where the SDK agrees,
or that covers no disagreement at all, fails too: the table cannot go stale.

Run with ``python -m pytest tests/conformance -m conformance``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from .answers import Answer, direct_answer, lost_answer, wire_answer
from .cases import LOST_SUFFIX, Case, all_cases
from .differences import SDK_NAMES, Difference, load, markdown, matches
from .harness import Run, pinned_versions
from .observe import COMPARED, LOST_COMPARED, Observation, ObservationError, observe, observe_lost

pytestmark = pytest.mark.conformance

CASES = all_cases()
BY_ID = {case.id: case for case in CASES}
ROWS = [case.id for case in CASES] + [case.id + LOST_SUFFIX for case in CASES if case.loses_connection]


def _render(answer: Answer, fields: tuple[str, ...]) -> str:
    values: dict[str, object] = {
        "state": answer.state.value,
        "code": answer.code,
        "reason": answer.reason,
        "refresh_token": answer.refresh_token,
        "invalidate_state": answer.invalidate_state,
    }
    return " ".join(f"{name}={values[name]!r}" for name in fields)


@dataclass(frozen=True)
class Verdict:
    """One SDK on one row: what it did, what the package answers, where they differ."""

    sdk: str
    row: str
    case: Case
    fields: tuple[str, ...]
    package: Answer
    observed: Observation | None
    error: str | None
    differing: tuple[str, ...]
    listed: tuple[Difference, ...]

    def report(self) -> str:
        lines = [
            f"{self.sdk} on {self.row}",
            f"  server sent:      {self.case.text()}",
            f"  package answers:  {_render(self.package, self.fields)}",
        ]
        if self.observed is not None:
            lines.append(f"  SDK did:          {self.observed.render(self.fields)}")
            lines.append(f"  seen:             {self.observed.detail}")
        if self.differing:
            lines.append(f"  differing fields: {', '.join(self.differing)}")
        return "\n".join(lines)


def _package(value: Answer, name: str) -> object:
    return {
        "state": value.state.value,
        "code": value.code,
        "reason": value.reason,
        "refresh_token": value.refresh_token,
        "invalidate_state": value.invalidate_state,
    }[name]


def _verdict(run: Run, table: list[Difference], sdk: str, row: str) -> Verdict:
    lost = row.endswith(LOST_SUFFIX)
    case = BY_ID[row.removesuffix(LOST_SUFFIX)]
    fields = LOST_COMPARED if lost else COMPARED
    package: Answer = lost_answer() if lost else wire_answer(case)
    listed = tuple(entry for entry in table if matches(entry, sdk, row))
    result = run.results[sdk].get(case.id)
    if result is None:
        return Verdict(sdk, row, case, fields, package, None, "the driver returned no result", (), listed)
    try:
        observed = observe_lost(case, result) if lost else observe(case, result, run.logs[sdk][case.id])
    except ObservationError as error:
        return Verdict(sdk, row, case, fields, package, None, str(error), (), listed)
    differing = tuple(name for name in fields if observed.field(name) != _package(package, name))
    return Verdict(sdk, row, case, fields, package, observed, None, differing, listed)


@pytest.fixture(scope="module")
def table() -> list[Difference]:
    return load()


@pytest.fixture(scope="module")
def verdicts(conformance_run: Run, table: list[Difference]) -> dict[tuple[str, str], Verdict]:
    return {(sdk, row): _verdict(conformance_run, table, sdk, row) for sdk in SDK_NAMES for row in ROWS}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_wire_and_direct_call_agree(case: Case) -> None:
    """The two ways of asking the package give the same transition."""
    through_wire, direct = wire_answer(case), direct_answer(case)
    assert through_wire == direct, (
        f"{case.id}: server sent {case.text()}\n  through wire: {through_wire!r}\n  direct call:  {direct!r}"
    )


@pytest.mark.parametrize(
    ("sdk", "row"),
    [(sdk, row) for sdk in SDK_NAMES for row in ROWS],
    ids=[f"{sdk}:{row}" for sdk in SDK_NAMES for row in ROWS],
)
def test_sdk_does_what_the_package_answers(verdicts: dict[tuple[str, str], Verdict], sdk: str, row: str) -> None:
    """The SDK's observed transition equals the package's answer, or the table lists the row."""
    verdict = verdicts[sdk, row]
    if verdict.error is not None:
        pytest.fail(f"{verdict.report()}\n  the run did not go as scripted: {verdict.error}", pytrace=False)
    if not verdict.differing:
        if verdict.listed:
            cases = ", ".join(entry["case"] for entry in verdict.listed)
            pytest.fail(
                f"{verdict.report()}\n  the SDK agrees, but differences.json lists this row ({cases}): "
                "narrow or remove the entry",
                pytrace=False,
            )
        return
    if not verdict.listed:
        pytest.fail(f"{verdict.report()}\n  not listed in tests/conformance/differences.json", pytrace=False)


def test_every_listed_difference_still_occurs(
    verdicts: dict[tuple[str, str], Verdict], table: list[Difference]
) -> None:
    """Each entry matches at least one row where the SDK disagrees (no stale entries)."""
    stale = [
        entry
        for entry in table
        if not any(verdict.differing and entry in verdict.listed for verdict in verdicts.values())
    ]
    assert not stale, "entries that match no current disagreement:\n" + "\n".join(
        f"  {entry['sdk']} {entry['case']}" for entry in stale
    )


def test_difference_entries_name_the_pinned_versions(table: list[Difference]) -> None:
    """An entry is about the SDK version the suite runs; a version bump revisits the table."""
    pins = pinned_versions()
    wrong = [entry for entry in table if entry["version"] != pins[entry["sdk"]]]
    assert not wrong, f"entries for other versions than {pins}: {[entry['case'] for entry in wrong]}"


def test_difference_entries_are_unique(table: list[Difference]) -> None:
    keys = [(entry["sdk"], entry["case"]) for entry in table]
    assert len(keys) == len(set(keys))


def test_markdown_renders_every_entry(table: list[Difference]) -> None:
    text = markdown()
    lines = text.splitlines()
    assert lines[0] == "| SDK | case | SDK does | package answers | why |"
    assert len(lines) == 2 + len(table)
    for line, entry in zip(lines[2:], table, strict=True):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]
        assert len(cells) == 7 and cells[0] == cells[-1] == "", line
        assert cells[1] == f"{entry['sdk']} {entry['version']}"
        assert cells[2] == f"`{entry['case']}`"


def test_compact_markdown_names_each_sdk_where_it_changes(table: list[Difference]) -> None:
    order = [entry["sdk"] for entry in table]
    groups = [sdk for index, sdk in enumerate(order) if index == 0 or order[index - 1] != sdk]
    assert len(groups) == len(set(groups)), f"keep each SDK's entries together in differences.json: {groups}"
    lines = markdown(compact=True).splitlines()
    assert lines[:2] == ["| SDK | case | difference |", "| --- | --- | --- |"]
    assert len(lines) == 2 + len(table)
    shown = ""
    for index, (line, entry) in enumerate(zip(lines[2:], table, strict=True)):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]
        assert len(cells) == 5 and cells[0] == cells[-1] == "", line
        label = f"{entry['sdk']} {entry['version']}"
        changes = index == 0 or table[index - 1]["sdk"] != entry["sdk"]
        assert cells[1] == (label if changes else ""), line
        shown = cells[1] or shown
        assert shown == label, line
        assert cells[2] == f"`{entry['case']}`"


def test_drivers_ran_every_case_on_the_pinned_sdks(conformance_run: Run) -> None:
    pins = pinned_versions()
    for sdk in SDK_NAMES:
        assert conformance_run.about[sdk]["version"] == pins[sdk], conformance_run.about[sdk]
        assert set(conformance_run.results[sdk]) == set(BY_ID), f"{sdk}: cases missing from the driver's results"

"""The README's examples run, its commands are the ones CI runs, and its table is the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.DOTALL)

INSTALL_COMMAND = "pip install . && python -m centrifugo_protocol 3012"
TEST_COMMAND = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements-dev.txt"
    " && python -m coverage run -m pytest && python -m coverage report"
)
DIFFERENCES_START, DIFFERENCES_END = "<!-- differences:start -->\n", "<!-- differences:end -->"
#: The README is the package's description on PyPI: what a visitor needs, no more.
MAX_BYTES = 10 * 1024


def test_readme_has_what_a_visitor_needs() -> None:
    for heading in ("## Quick start", "## How it is verified", "## Documentation", "## Development"):
        assert heading in TEXT
    assert len(BLOCKS) >= 2
    assert len(TEXT.encode("utf-8")) < MAX_BYTES


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_blocks_run(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(source, str(README), "exec"), namespace)


def test_readme_examples_need_only_the_package() -> None:
    # `pip install .` installs nothing else: typing_extensions is not there to import.
    for source in BLOCKS:
        assert "typing_extensions" not in source


def test_first_example_prints_what_its_comment_claims(capsys: pytest.CaptureFixture[str]) -> None:
    assert "# 4501 False" in BLOCKS[0]
    exec(compile(BLOCKS[0], str(README), "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out == "4501 False\n"


def test_readme_gives_the_two_commands() -> None:
    assert INSTALL_COMMAND in TEXT
    assert TEST_COMMAND in TEXT.splitlines()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in TEXT.splitlines() if "python -m coverage run -m pytest" in line)
    assert command in ci.splitlines()


def test_quick_start_output_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from centrifugo_protocol._cli import main

    shown = re.search(r"python -m centrifugo_protocol 3012\n```\n\n```text\n(.*?)```", TEXT, flags=re.DOTALL)
    assert shown, "the quick start shows the output of its command"
    assert main(["3012"]) == 0
    assert capsys.readouterr().out == shown.group(1)


def test_readme_differences_table_is_the_conformance_data() -> None:
    from tests.conformance.differences import markdown

    embedded = TEXT[TEXT.index(DIFFERENCES_START) + len(DIFFERENCES_START) : TEXT.index(DIFFERENCES_END)]
    # The README carries the short form; the documentation has the whole table.
    assert embedded == markdown(compact=True), (
        "README's SDK differences table drifted from tests/conformance/differences.py; paste the output of "
        "python -c \"from tests.conformance.differences import markdown; print(markdown(compact=True), end='')\""
    )


def test_readme_names_the_sdk_versions_it_is_tested_against() -> None:
    for sdk in ("centrifuge-js 5.7.4", "centrifuge-python 0.7.0"):
        assert sdk in TEXT
    assert "python -m pytest -m conformance" in TEXT


def test_readme_links_point_at_files_that_exist() -> None:
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", TEXT)
    local = [target for target in targets if "://" not in target]
    assert local, "the README links to the documentation"
    for target in local:
        assert (ROOT / target).is_file(), f"README links to {target}, which does not exist"


def test_metrics_example_is_part_of_a_real_report(capsys: pytest.CaptureFixture[str]) -> None:
    from centrifugo_protocol._cli import main

    shown = re.search(r"## Explain a running server\n.*?```text\n(.*?)```", TEXT, flags=re.DOTALL)
    assert shown, "the metrics section shows a report"
    assert main(["metrics", str(ROOT / "tests" / "metrics_samples" / "node3.prom")]) == 0
    assert shown.group(1) in capsys.readouterr().out

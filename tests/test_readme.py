"""The README's examples run, and its reference tables are the CLI's output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from centrifugo_protocol._cli import markdown

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.DOTALL)


def test_readme_has_the_examples_the_docs_promise() -> None:
    for heading in ("## Quick start", "## Handling disconnects and errors", "## Typing", "## Writing a proxy"):
        assert heading in TEXT
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_blocks_run(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(source, str(README), "exec"), namespace)


def test_first_example_prints_what_its_comment_claims(capsys: pytest.CaptureFixture[str]) -> None:
    assert "# 4501 False" in BLOCKS[0]
    exec(compile(BLOCKS[0], str(README), "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out == "4501 False\n"


def test_readme_code_tables_are_the_cli_markdown() -> None:
    start, end = "<!-- codes:start -->\n", "<!-- codes:end -->"
    embedded = TEXT[TEXT.index(start) + len(start) : TEXT.index(end)]
    assert embedded == markdown(), "README tables drifted: regenerate with python -m centrifugo_protocol --markdown"


def test_readme_gives_the_two_commands() -> None:
    assert "pip install . && python -m centrifugo_protocol 3012" in TEXT
    assert "pip install -e '.[test]' && python -m coverage run -m pytest && python -m coverage report" in TEXT


def test_ci_runs_the_readme_test_command() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in TEXT.splitlines() if "python -m coverage run -m pytest" in line)
    assert command in ci.splitlines()


def test_quick_start_output_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from centrifugo_protocol._cli import main

    shown = re.search(r"python -m centrifugo_protocol 3012\n```\n\n```text\n(.*?)```", TEXT, flags=re.DOTALL)
    assert shown, "the quick start shows the output of its command"
    assert main(["3012"]) == 0
    assert capsys.readouterr().out == shown.group(1)

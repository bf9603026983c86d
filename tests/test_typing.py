"""The typing contract: both checkers, both Python targets, and the expected errors.

typing_tests/positive.py must pass mypy --strict and pyright strict. Every line of
typing_tests/negative.py that carries suppressions must be an error for both
checkers: the unused-suppression checks catch one that stops being an error, and
here the suppressions are also stripped to see each checker report the line itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.typecheck

ROOT = Path(__file__).resolve().parent.parent
NEGATIVE = ROOT / "typing_tests" / "negative.py"
TARGETS = ["3.10", "3.13"]
SUPPRESSIONS = re.compile(r"  # type: ignore\[([a-z-]+)\]  # pyright: ignore\[(\w+)\]$")


def tool(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("target", TARGETS)
def test_mypy_strict_is_clean(target: str) -> None:
    result = run(tool("mypy"), "--python-version", target, "--no-incremental", "--config-file", "mypy.ini")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


@pytest.mark.parametrize("target", TARGETS)
def test_pyright_strict_is_clean(target: str) -> None:
    result = run(tool("basedpyright"), "--pythonversion", target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def expected_errors() -> dict[int, tuple[str, str]]:
    expected: dict[int, tuple[str, str]] = {}
    for number, line in enumerate(NEGATIVE.read_text().splitlines(), start=1):
        match = SUPPRESSIONS.search(line)
        if match:
            expected[number] = (match.group(1), match.group(2))
    return expected


def test_negative_file_covers_the_contract() -> None:
    text = NEGATIVE.read_text()
    for function in (
        "forgets_a_member",
        "forgets_the_unknown_type",
        "writes_a_member_attribute",
        "writes_the_code_of_an_unknown",
        "passes_a_str_to_lookup",
        "passes_temporary_positionally",
        "assigns_a_client_state_to_a_str",
    ):
        assert f"def {function}(" in text
    # Every suppression in the file is of the checked two-checker form.
    assert text.count("  # type: ignore[") == text.count("  # pyright: ignore[") == len(expected_errors()) >= 7


@pytest.fixture(scope="module")
def stripped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("negative")
    lines = [SUPPRESSIONS.sub("", line) for line in NEGATIVE.read_text().splitlines()]
    path = folder / "negative_stripped.py"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("target", TARGETS)
def test_mypy_reports_every_expected_error(stripped: Path, target: str) -> None:
    result = run(
        tool("mypy"), "--strict", "--python-version", target, "--no-incremental",
        "--enable-error-code", "exhaustive-match", "--warn-unreachable", str(stripped),
    )  # fmt: skip
    reported = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"negative_stripped\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, flags=re.M)
    }
    expected = {(line, code) for line, (code, _) in expected_errors().items()}
    assert reported == expected, result.stdout


@pytest.mark.parametrize("target", TARGETS)
def test_pyright_reports_every_expected_error(stripped: Path, target: str) -> None:
    config = stripped.parent / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": target}))
    result = run(tool("basedpyright"), "--outputjson", "--project", str(config), str(stripped), cwd=stripped.parent)
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    reported = {(d["range"]["start"]["line"] + 1, d.get("rule", "")) for d in diagnostics if d["severity"] == "error"}
    expected = {(line, rule) for line, (_, rule) in expected_errors().items()}
    assert reported == expected, json.dumps(diagnostics, indent=1)


def test_verifytypes_reports_full_completeness(tmp_path: Path) -> None:
    result = run(tool("basedpyright"), "--verifytypes", "centrifugo_protocol", "--ignoreexternal", "--outputjson", cwd=tmp_path)
    report = json.loads(result.stdout)
    completeness = report["typeCompleteness"]
    assert completeness["completenessScore"] == 1.0, json.dumps(completeness, indent=1)[:4000]
    assert completeness["exportedSymbolCounts"]["withUnknownType"] == 0
    assert completeness["exportedSymbolCounts"]["withAmbiguousType"] == 0


@pytest.fixture(scope="module")
def readme_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 4
    for number, block in enumerate(blocks):
        (folder / f"example_{number}.py").write_text(block)
    return folder


@pytest.mark.parametrize("target", TARGETS)
def test_readme_examples_pass_both_checkers(readme_examples: Path, target: str) -> None:
    # What the README shows users must itself pass the checks it promises them.
    files = sorted(str(path) for path in readme_examples.glob("example_*.py"))
    mypy = run(
        tool("mypy"), "--strict", "--python-version", target, "--no-incremental",
        "--enable-error-code", "exhaustive-match", *files, cwd=readme_examples,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    config = readme_examples / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": target}))
    pyright = run(tool("basedpyright"), "--project", str(config), *files, cwd=readme_examples)
    assert pyright.returncode == 0, pyright.stdout + pyright.stderr

"""The typing contract: both checkers, both Python targets, and the expected errors.

typing_tests/positive.py and events_positive.py must pass mypy --strict and pyright
strict. Every line of typing_tests/negative.py and events_negative.py that carries
suppressions must be an error for both checkers: the unused-suppression checks catch
one that stops being an error, and here the suppressions are also stripped to see
each checker report the line itself.
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
EVENTS_NEGATIVE = ROOT / "typing_tests" / "events_negative.py"
NEGATIVES = [NEGATIVE, EVENTS_NEGATIVE]
TARGETS = ["3.10", "3.13"]
SUPPRESSIONS = re.compile(r"  # type: ignore\[([a-z-]+)\]  # pyright: ignore\[(\w+)\]$")


def tool(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -r requirements-dev.txt"
    return found


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # pyright finds the Python whose packages it reads on PATH: put this interpreter's
    # folder first, so that the tests pass whether or not the venv is activated.
    path = os.pathsep.join((os.path.dirname(sys.executable), os.environ.get("PATH", "")))
    env = {**os.environ, "PATH": path}
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=600, env=env)


@pytest.mark.parametrize("target", TARGETS)
def test_mypy_strict_is_clean(target: str) -> None:
    result = run(tool("mypy"), "--python-version", target, "--no-incremental", "--config-file", "mypy.ini")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


@pytest.mark.parametrize("target", TARGETS)
def test_pyright_strict_is_clean(target: str) -> None:
    # The project's own configuration, named: pyright would otherwise take a
    # pyrightconfig.json that happens to lie in a parent folder.
    result = run(tool("basedpyright"), "--project", str(ROOT), "--pythonversion", target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def expected_errors(source: Path = NEGATIVE) -> dict[int, tuple[str, str]]:
    expected: dict[int, tuple[str, str]] = {}
    for number, line in enumerate(source.read_text().splitlines(), start=1):
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
        "passes_a_plain_int_as_a_code",
        "reads_the_name_of_an_unknown_as_a_str",
        "reads_the_name_of_any_code_as_a_str",
        "writes_retryable",
    ):
        assert f"def {function}(" in text
    # Every suppression in the file is of the checked two-checker form.
    assert text.count("  # type: ignore[") == text.count("  # pyright: ignore[") == len(expected_errors()) >= 11


def test_events_negative_file_covers_the_contract() -> None:
    text = EVENTS_NEGATIVE.read_text()
    for function in (
        "connecting_forgets_a_member",
        "connecting_forgets_the_disconnect_codes",
        "disconnected_forgets_the_unknown_client_code",
        "subscribing_forgets_the_unknown_unsubscribe_code",
        "unsubscribed_forgets_the_error_replies",
        "error_forgets_the_unknown_client_error",
        "an_unknown_client_code_has_no_reason",
        "passes_a_str_to_an_event",
    ):
        assert f"def {function}(" in text
    expected = expected_errors(EVENTS_NEGATIVE)
    assert text.count("  # type: ignore[") == text.count("  # pyright: ignore[") == len(expected) >= 8
    # One dropped alternative per event function, each reported at its assert_never.
    lines = text.splitlines()
    assert sum("assert_never(code)" in lines[number - 1] for number in expected) >= 6


@pytest.fixture(scope="module", params=NEGATIVES, ids=[path.stem for path in NEGATIVES])
def stripped(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The negative file (source) and a copy without its suppressions (stripped)."""
    source: Path = request.param
    folder = tmp_path_factory.mktemp(source.stem)
    lines = [SUPPRESSIONS.sub("", line) for line in source.read_text().splitlines()]
    path = folder / f"{source.stem}_stripped.py"
    path.write_text("\n".join(lines) + "\n")
    return source, path


@pytest.mark.parametrize("target", TARGETS)
def test_mypy_reports_every_expected_error(stripped: tuple[Path, Path], target: str) -> None:
    source, path = stripped
    result = run(
        tool("mypy"), "--strict", "--python-version", target, "--no-incremental",
        "--enable-error-code", "exhaustive-match", "--warn-unreachable", str(path),
    )  # fmt: skip
    reported = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(rf"{path.stem}\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, flags=re.MULTILINE)
    }
    expected = {(line, code) for line, (code, _) in expected_errors(source).items()}
    assert reported == expected, result.stdout


@pytest.mark.parametrize("target", TARGETS)
def test_pyright_reports_every_expected_error(stripped: tuple[Path, Path], target: str) -> None:
    source, path = stripped
    config = path.parent / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": target}))
    result = run(tool("basedpyright"), "--outputjson", "--project", str(config), str(path), cwd=path.parent)
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    reported = {(d["range"]["start"]["line"] + 1, d.get("rule", "")) for d in diagnostics if d["severity"] == "error"}
    expected = {(line, rule) for line, (_, rule) in expected_errors(source).items()}
    assert reported == expected, json.dumps(diagnostics, indent=1)


def test_verifytypes_reports_full_completeness(tmp_path: Path) -> None:
    result = run(
        tool("basedpyright"), "--verifytypes", "centrifugo_protocol", "--ignoreexternal", "--outputjson", cwd=tmp_path
    )
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
    assert len(blocks) >= 2
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

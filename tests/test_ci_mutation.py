"""The incremental mutation testing of CI (.ci/mutation.py) measures every change.

A small tree stands in for the repository: a two-module package, a test for each
module, shared test files, and a ``mutants/`` folder laid out as mutmut writes it.
Each test changes one thing and checks which modules the plan measures again.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = "mutmut 0; python 3.x"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_mutation", ROOT / ".ci" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ci_mutation"] = module
    spec.loader.exec_module(module)
    return module


mutation = _load()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "centrifugo_protocol/__init__.py", "")
    write(tmp_path / "centrifugo_protocol/a.py", "def f():\n    return 1\n")
    write(tmp_path / "centrifugo_protocol/sub/__init__.py", "def g():\n    return 2\n")
    write(tmp_path / "tests/test_a.py", "def test_f(): ...\n")
    write(tmp_path / "tests/test_g.py", "def test_g(): ...\n")
    write(tmp_path / "tests/test_other.py", "def test_other(): ...\n")
    write(tmp_path / "tests/conftest.py", "")
    write(tmp_path / "tests/live/harness.py", "")
    write(
        tmp_path / "pyproject.toml", '[tool.mutmut]\nsource_paths = ["centrifugo_protocol/"]\n\n[tool.other]\nx = 1\n'
    )
    write(tmp_path / "requirements-test.txt", "pytest==9\n")
    stats = {
        "tests_by_mangled_function_name": {
            "centrifugo_protocol.a.x_f": ["tests/test_a.py::test_f"],
            "centrifugo_protocol.sub.x_g": ["tests/test_g.py::test_g[1]", "tests/test_g.py::test_g[2]"],
        }
    }
    write(tmp_path / "mutants/mutmut-stats.json", json.dumps(stats))
    write(
        tmp_path / "mutants/centrifugo_protocol/a.py.meta",
        json.dumps(
            {"exit_code_by_key": {"centrifugo_protocol.a.x_f__mutmut_1": 1, "centrifugo_protocol.a.x_f__mutmut_2": 0}}
        ),
    )
    write(
        tmp_path / "mutants/centrifugo_protocol/sub/__init__.py.meta",
        json.dumps({"exit_code_by_key": {"centrifugo_protocol.sub.x_g__mutmut_1": 3}}),
    )
    return tmp_path


def recorded(tree: Path) -> dict[str, Any]:
    empty: dict[str, Any] = {"fingerprint": None, "modules": {}}
    todo = mutation.stale(empty, tree, VERSIONS)
    result: dict[str, Any] = mutation.record(empty, todo, tree, VERSIONS)
    return result


def test_without_a_baseline_everything_is_measured(tree: Path) -> None:
    assert mutation.stale({"fingerprint": None, "modules": {}}, tree, VERSIONS) == [
        "centrifugo_protocol/__init__.py",
        "centrifugo_protocol/a.py",
        "centrifugo_protocol/sub/__init__.py",
    ]


def test_a_recorded_tree_needs_nothing(tree: Path) -> None:
    baseline = recorded(tree)
    assert mutation.stale(baseline, tree, VERSIONS) == []
    a = baseline["modules"]["centrifugo_protocol/a.py"]
    assert (a["total"], a["killed"], a["not_killed"]) == (2, 1, ["centrifugo_protocol.a.x_f__mutmut_2"])
    assert list(a["tests"]) == ["tests/test_a.py"]
    g = baseline["modules"]["centrifugo_protocol/sub/__init__.py"]
    assert (g["total"], g["killed"], list(g["tests"])) == (1, 1, ["tests/test_g.py"])


def test_a_changed_module_is_measured_alone(tree: Path) -> None:
    baseline = recorded(tree)
    write(tree / "centrifugo_protocol/a.py", "def f():\n    return 3\n")
    assert mutation.stale(baseline, tree, VERSIONS) == ["centrifugo_protocol/a.py"]


def test_a_changed_test_measures_the_modules_it_reaches(tree: Path) -> None:
    baseline = recorded(tree)
    write(tree / "tests/test_g.py", "def test_g(): assert True\n")
    assert mutation.stale(baseline, tree, VERSIONS) == ["centrifugo_protocol/sub/__init__.py"]
    (tree / "tests/test_a.py").unlink()
    assert mutation.stale(baseline, tree, VERSIONS) == [
        "centrifugo_protocol/a.py",
        "centrifugo_protocol/sub/__init__.py",
    ]


def test_a_test_that_reaches_no_function_changes_nothing(tree: Path) -> None:
    baseline = recorded(tree)
    write(tree / "tests/test_other.py", "def test_other(): assert 1\n")
    write(tree / "tests/live/harness.py", "x = 1\n")  # the live suite is not run on mutants
    write(tree / "pyproject.toml", (tree / "pyproject.toml").read_text() + "y = 2\n")  # not a mutmut setting
    assert mutation.stale(baseline, tree, VERSIONS) == []


@pytest.mark.parametrize(
    "change",
    ["conftest", "requirements", "mutmut-setting", "versions", "new-helper"],
)
def test_what_every_run_depends_on_measures_everything(tree: Path, change: str) -> None:
    baseline = recorded(tree)
    versions = VERSIONS
    if change == "conftest":
        write(tree / "tests/conftest.py", "import os\n")
    elif change == "requirements":
        write(tree / "requirements-test.txt", "pytest==10\n")
    elif change == "mutmut-setting":
        text = (tree / "pyproject.toml").read_text().replace('["centrifugo_protocol/"]', '["centrifugo_protocol/a.py"]')
        write(tree / "pyproject.toml", text)
    elif change == "versions":
        versions = "mutmut 1; python 3.x"
    else:
        write(tree / "tests/helpers.py", "")
    assert len(mutation.stale(baseline, tree, versions)) == 3


def test_a_new_module_is_measured(tree: Path) -> None:
    baseline = recorded(tree)
    write(tree / "centrifugo_protocol/b.py", "")
    assert mutation.stale(baseline, tree, VERSIONS) == ["centrifugo_protocol/b.py"]


def test_record_refuses_unchecked_mutants(tree: Path) -> None:
    write(
        tree / "mutants/centrifugo_protocol/a.py.meta",
        json.dumps({"exit_code_by_key": {"centrifugo_protocol.a.x_f__mutmut_1": None}}),
    )
    with pytest.raises(SystemExit, match=r"centrifugo_protocol/a\.py: 1 mutants were not checked"):
        recorded(tree)


def test_check_holds_the_bar_and_the_tree(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = recorded(tree)  # 2 of 3 killed: below the bar
    assert mutation.check(baseline, tree, VERSIONS) == 1
    assert "below 95%" in capsys.readouterr().err
    baseline["modules"]["centrifugo_protocol/a.py"]["killed"] = 2
    assert mutation.check(baseline, tree, VERSIONS) == 0
    assert "mutation score: 3/3 killed (100.0%)" in capsys.readouterr().out
    write(tree / "centrifugo_protocol/a.py", "")
    assert mutation.check(baseline, tree, VERSIONS) == 1
    assert "centrifugo_protocol/a.py is not measured" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("centrifugo_protocol/_codes.py", "centrifugo_protocol._codes.x*"),
        ("centrifugo_protocol/__init__.py", "centrifugo_protocol.x*"),
        ("centrifugo_protocol/metrics/_read.py", "centrifugo_protocol.metrics._read.x*"),
    ],
)
def test_patterns_name_a_modules_mutants(module: str, expected: str) -> None:
    assert mutation.pattern(module) == expected

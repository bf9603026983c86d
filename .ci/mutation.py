"""Mutation testing that measures what changed, against a recorded baseline.

A full mutmut run over the package takes about 15 minutes on two cores. Most changes
touch one or two modules, and a module's mutation score can only move when the module
or a test that runs its code changes. So ``.ci/mutation-baseline.json`` records, per
module of the package:

* the SHA-256 of its source;
* the SHA-256 of every test file that runs its functions (from mutmut's own record of
  which tests reach which function, ``mutants/mutmut-stats.json``);
* its mutants: how many, how many killed, and the names of the others.

The whole record also carries a fingerprint of what every test run depends on: the
test suite's shared files (``conftest.py``, ``spec.py``, helpers), the pinned test
requirements, the mutmut and pytest settings, and the versions of mutmut and Python.

Commands (run from the repository root):

``plan``
    Print one mutant-name pattern per module that must be measured again: a module
    that is new, whose source changed, or one of whose tests changed; every module
    when the fingerprint changed or there is no baseline. A module without functions
    has no mutants and gets no pattern. Prints nothing when the baseline holds.
``record`` [``--all``]
    After ``mutmut run``, take the results of the modules ``plan`` lists (with
    ``--all``, of every module: after a full run) from ``mutants/`` into the baseline
    and drop modules that no longer exist.
``check``
    Print the score per module and for the package from the baseline, and exit 1 when
    the package's score is below the bar (95% killed) or the baseline does not match
    the tree (a module unmeasured, or measured on other bytes).

CI runs ``plan``; when it lists anything, CI measures the package again (a full
``mutmut run``: given mutant names, mutmut reruns the tests it mapped to them by
their ids, and some parametrized ids do not select their test again), then
``record --all``; then ``check``. Every change to the package is measured before the
bar is checked, and a tree that changed nothing a mutant could tell skips the run.
Commit the updated baseline with the change, so that the next run starts from it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

BAR = 0.95
ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "mutation-baseline.json"
PACKAGE = "centrifugo_protocol"
#: mutmut's exit codes that count as a kill (its own table: 1 is a failing test run,
#: 3 an internal pytest error while the mutant is active).
KILLED = {1, 3}
#: The suites that mutmut does not run (pyproject's [tool.mutmut] deselects them).
NOT_RUN = ("tests/live/", "tests/conformance/")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def modules(root: Path = ROOT) -> list[str]:
    """The package's modules, as paths relative to ``root``, sorted."""
    return sorted(path.relative_to(root).as_posix() for path in (root / PACKAGE).rglob("*.py"))


def pattern(module: str) -> str:
    """The mutant names of ``module``: mutmut names them ``<dotted module>.x<function>...``."""
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return f"{dotted}.x*"


def has_functions(path: Path) -> bool:
    return re.search(r"^\s*(async\s+)?def ", path.read_text(encoding="utf-8"), re.MULTILINE) is not None


def _section(text: str, header: str) -> str:
    found = re.search(rf"^\[{re.escape(header)}\]\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    return found.group(1) if found else ""


def tool_versions() -> str:
    return f"mutmut {metadata.version('mutmut')}; python {'.'.join(platform.python_version_tuple()[:2])}"


def fingerprint(root: Path = ROOT, versions: str | None = None) -> str:
    """What every module's result depends on besides its source and its tests."""
    digest = hashlib.sha256()
    shared = sorted(
        path
        for path in (root / "tests").rglob("*")
        if path.is_file()
        and not path.name.startswith("test_")
        and path.suffix in {".py", ".json", ".prom", ".txt"}
        and not path.relative_to(root).as_posix().startswith(NOT_RUN)
        and "__pycache__" not in path.parts
    )
    for path in shared:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + sha(path).encode() + b"\n")
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    for header in ("tool.mutmut", "tool.pytest.ini_options"):
        digest.update(_section(pyproject, header).encode())
    digest.update(sha(root / "requirements-test.txt").encode())
    digest.update((tool_versions() if versions is None else versions).encode())
    return digest.hexdigest()


def load(path: Path = BASELINE) -> dict[str, Any]:
    if not path.exists():
        return {"fingerprint": None, "modules": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def stale(baseline: dict[str, Any], root: Path = ROOT, versions: str | None = None) -> list[str]:
    """The modules whose recorded result no longer holds for the tree at ``root``."""
    current = modules(root)
    if baseline.get("fingerprint") != fingerprint(root, versions):
        return current
    recorded: dict[str, Any] = baseline["modules"]
    out: list[str] = []
    for module in current:
        entry = recorded.get(module)
        if entry is None or entry["source"] != sha(root / module):
            out.append(module)
            continue
        for test, digest in entry["tests"].items():
            path = root / test
            if not path.is_file() or sha(path) != digest:
                out.append(module)
                break
    return out


def _module_of(mangled: str, root: Path) -> str | None:
    """The module path of a mangled function name (``pkg.mod.x_func``, ``pkg.mod.xǁClassǁm``)."""
    parts = mangled.split(".")
    for index, part in enumerate(parts):
        if part.startswith(("x_", "xǁ")):
            dotted = parts[:index]
            as_file = "/".join(dotted) + ".py"
            return as_file if (root / as_file).is_file() else "/".join(dotted) + "/__init__.py"
    return None


def measured(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """Each module's results in ``mutants/``: its mutants' verdicts and the tests that reach it."""
    stats = json.loads((root / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    tests_by_module: dict[str, set[str]] = {}
    for mangled, tests in stats["tests_by_mangled_function_name"].items():
        module = _module_of(mangled, root)
        if module is not None:
            files = {test.split("::", 1)[0] for test in tests}
            tests_by_module.setdefault(module, set()).update(files)
    results: dict[str, dict[str, Any]] = {}
    for module in modules(root):
        meta = root / "mutants" / f"{module}.meta"
        verdicts: dict[str, int | None] = (
            json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"] if meta.exists() else {}
        )
        results[module] = {
            "verdicts": verdicts,
            "tests": sorted(t for t in tests_by_module.get(module, set()) if (root / t).is_file()),
        }
    return results


def record(
    baseline: dict[str, Any], to_measure: list[str], root: Path = ROOT, versions: str | None = None
) -> dict[str, Any]:
    """``baseline`` with ``to_measure`` taken from ``mutants/``; refuses unchecked mutants."""
    kept: dict[str, Any] = {m: e for m, e in baseline["modules"].items() if (root / m).is_file()}
    results = measured(root)
    for module in to_measure:
        verdicts = results[module]["verdicts"]
        unchecked = sorted(name for name, code in verdicts.items() if code is None)
        if unchecked:
            raise SystemExit(f"{module}: {len(unchecked)} mutants were not checked, such as {unchecked[0]}")
        kept[module] = {
            "source": sha(root / module),
            "tests": {test: sha(root / test) for test in results[module]["tests"]},
            "total": len(verdicts),
            "killed": sum(code in KILLED for code in verdicts.values()),
            "not_killed": sorted(name for name, code in verdicts.items() if code not in KILLED),
        }
    return {"fingerprint": fingerprint(root, versions), "bar": BAR, "modules": dict(sorted(kept.items()))}


def check(baseline: dict[str, Any], root: Path = ROOT, versions: str | None = None) -> int:
    problems = [f"{m} is not measured on its current source or tests" for m in stale(baseline, root, versions)]
    total = killed = 0
    recorded: dict[str, Any] = baseline["modules"]
    for module in modules(root):
        if module not in recorded:
            continue  # reported as stale above
        entry = recorded[module]
        total += entry["total"]
        killed += entry["killed"]
        if entry["total"]:
            print(f"  {module:45} {entry['killed']:5}/{entry['total']:<5} {entry['killed'] / entry['total']:6.1%}")
    score = killed / total if total else 0.0
    print(f"mutation score: {killed}/{total} killed ({score:.1%}); the bar is {BAR:.0%}")
    if total == 0 or score < BAR:
        problems.append(f"the package's mutation score is below {BAR:.0%}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if argv == ["plan"]:
        # mutmut mutates function bodies only, and refuses a pattern that matches no
        # mutant: a module without a function is recorded without a run.
        for module in stale(load()):
            if has_functions(ROOT / module):
                print(pattern(module))
        return 0
    if argv in (["record"], ["record", "--all"]):
        baseline = load()
        to_measure = modules() if argv[1:] == ["--all"] else stale(baseline)
        BASELINE.write_text(json.dumps(record(baseline, to_measure), indent=1) + "\n", encoding="utf-8")
        print(f"recorded {len(to_measure)} module(s) in {BASELINE.relative_to(ROOT)}")
        return 0
    if argv == ["check"]:
        return check(load())
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Installs the pinned SDKs when needed and runs every case through all three of them.

The SDK versions are pinned in three places only: ``package.json`` (with its lock
file) for centrifuge-js and ``ws``, :data:`PYTHON_SDK_VERSION` here for
centrifuge-python (the project's dev requirements must pin the same), and the Go
module ``tests/live/godriver`` (``go.mod`` with its ``go.sum``) for centrifuge-go,
whose driver is the live tests' ``godriver`` binary in its ``conformance`` mode.
Nothing is skipped: a missing Node, npm, Go or SDK is a :class:`SetupError`, which
the fixtures turn into a failing test with the message.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .cases import Case
from .server import CaseLog, ServerThread

__all__ = [
    "GO_SDK",
    "JS_SDK",
    "PYTHON_SDK",
    "PYTHON_SDK_VERSION",
    "Run",
    "SetupError",
    "ensure_go_driver",
    "ensure_node_sdk",
    "ensure_python_sdk",
    "pinned_versions",
    "run_cases",
]

HERE: Final = Path(__file__).resolve().parent
REPO: Final = HERE.parent.parent
JS_SDK: Final = "centrifuge-js"
PYTHON_SDK: Final = "centrifuge-python"
GO_SDK: Final = "centrifuge-go"
#: The Go module whose go.mod pins centrifuge-go, and whose main package is the driver.
GO_DRIVER_MODULE: Final = REPO / "tests" / "live" / "godriver"
#: The centrifuge-python release under test (PyPI). Keep in step with the dev requirements.
PYTHON_SDK_VERSION: Final = "0.7.0"
#: The Node major version the suite is written for (and the lowest it accepts).
NODE_MAJOR: Final = 20

#: Bounds, all generous: they only decide how long a broken setup takes to fail.
NPM_CI_TIMEOUT: Final = 300.0
DRIVER_TIMEOUT: Final = 150.0
#: How long one case may take to settle. A settled case ends at once; only a case
#: where the SDK never reacts waits this long.
SETTLE_TIMEOUT_MS: Final = 10_000
#: Cases in flight at once in each driver.
CONCURRENCY: Final = 32


class SetupError(Exception):
    """The SDKs or their runtime cannot be installed or run here."""


def _package_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def pinned_versions() -> dict[str, str]:
    """SDK name → the exact version the suite runs."""
    dependencies: dict[str, str] = _package_json(HERE / "package.json")["dependencies"]
    return {JS_SDK: dependencies["centrifuge"], PYTHON_SDK: PYTHON_SDK_VERSION, GO_SDK: go_sdk_version()}


def go_sdk_version() -> str:
    """The centrifuge-go version that ``tests/live/godriver/go.mod`` requires, without the "v"."""
    text = (GO_DRIVER_MODULE / "go.mod").read_text(encoding="utf-8")
    found = re.search(r"^\s*(?:require\s+)?github\.com/centrifugal/centrifuge-go\s+v(\S+)\s*$", text, re.MULTILINE)
    if found is None:
        raise SetupError(f"{GO_DRIVER_MODULE / 'go.mod'} does not require github.com/centrifugal/centrifuge-go")
    return found.group(1)


def _installed_node_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in _package_json(HERE / "package.json")["dependencies"]:
        manifest = HERE / "node_modules" / name / "package.json"
        found[name] = str(_package_json(manifest)["version"]) if manifest.is_file() else None
    return found


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def ensure_node_sdk() -> str:
    """Make sure Node and the pinned npm packages are there; returns the node binary.

    Runs ``npm ci`` (bounded by :data:`NPM_CI_TIMEOUT`) when ``node_modules`` is
    missing or holds other versions than ``package.json`` pins.
    """
    node = shutil.which("node")
    if node is None:
        raise SetupError(
            f"Node.js {NODE_MAJOR} or newer is needed for the centrifuge-js conformance run: no `node` on PATH"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.strip()
    try:
        major = int(version.lstrip("v").split(".")[0])
    except ValueError:
        raise SetupError(f"cannot read the Node.js version from {version!r}") from None
    if major < NODE_MAJOR:
        raise SetupError(f"Node.js {NODE_MAJOR} or newer is needed, found {version}")
    wanted: dict[str, str] = _package_json(HERE / "package.json")["dependencies"]
    if _installed_node_versions() != wanted:
        npm = shutil.which("npm")
        if npm is None:
            raise SetupError(
                "npm is needed to install the pinned centrifuge-js (`npm ci` in tests/conformance): no `npm` on PATH"
            )
        try:
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=HERE,
                capture_output=True,
                text=True,
                timeout=NPM_CI_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SetupError(f"`npm ci` in {HERE} did not finish within {NPM_CI_TIMEOUT:.0f} s") from None
        if done.returncode != 0:
            raise SetupError(f"`npm ci` in {HERE} failed ({done.returncode}):\n{_tail(done.stdout + done.stderr)}")
        found = _installed_node_versions()
        if found != wanted:
            raise SetupError(f"after `npm ci`, node_modules holds {found}, not the pinned {wanted}")
    return node


def ensure_python_sdk() -> None:
    """Make sure the pinned centrifuge-python imports in this interpreter."""
    requirement = f"centrifuge-python=={PYTHON_SDK_VERSION}"
    try:
        version = importlib.metadata.version("centrifuge-python")
    except importlib.metadata.PackageNotFoundError:
        raise SetupError(
            f"centrifuge-python is not installed in {sys.executable}: `python -m pip install '{requirement}'`"
        ) from None
    if version != PYTHON_SDK_VERSION:
        raise SetupError(f"centrifuge-python {version} is installed, the suite pins {requirement}")
    try:
        importlib.import_module("centrifuge")
    except Exception as error:
        raise SetupError(f"centrifuge-python {version} is installed but does not import: {error!r}") from error


def _go_sources() -> list[Path]:
    return [*GO_DRIVER_MODULE.glob("*.go"), GO_DRIVER_MODULE / "go.mod", GO_DRIVER_MODULE / "go.sum"]


def ensure_go_driver() -> str:
    """The built centrifuge-go driver (``tests/live/.build/godriver``); builds it if needed.

    The live tests' :func:`tests.live.harness.binary` builds every pinned component
    when the driver is missing. A driver older than its sources (built before a change
    to them), or one without the ``conformance`` mode, is removed first, so that the
    build runs again: the suite runs the driver as committed, not an earlier build.
    """
    from tests.live.harness import BUILD, binary
    from tests.live.harness import SetupError as LiveSetupError

    built = BUILD / "godriver"
    if built.exists() and (
        built.stat().st_mtime < max(path.stat().st_mtime for path in _go_sources()) or not _has_conformance_mode(built)
    ):
        built.unlink()
    try:
        path = binary("godriver")
    except LiveSetupError as error:
        raise SetupError(f"the centrifuge-go driver cannot be built: {error}") from error
    if not _has_conformance_mode(path):
        raise SetupError(f"{path} was built but has no conformance mode (`{path} conformance` prints no usage)")
    return str(path)


def _has_conformance_mode(path: Path) -> bool:
    """Whether the driver answers ``conformance`` without files with its usage line."""
    try:
        done = subprocess.run([str(path), "conformance"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 2 and "usage: godriver conformance" in done.stderr


@dataclass
class Run:
    """Everything one run produced."""

    #: SDK name → case id → the driver's record.
    results: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict[str, dict[str, dict[str, Any]]])
    #: SDK name → case id → the server's log.
    logs: dict[str, dict[str, CaseLog]] = field(default_factory=dict[str, dict[str, CaseLog]])
    #: SDK name → what the driver said about itself (version, runtime, ...).
    about: dict[str, dict[str, str]] = field(default_factory=dict[str, dict[str, str]])
    #: SDK name → seconds its driver ran.
    seconds: dict[str, float] = field(default_factory=dict[str, float])


_PREFIX: Final = {JS_SDK: "js", PYTHON_SDK: "py", GO_SDK: "go"}


def run_cases(cases: list[Case], node: str, godriver: str) -> Run:
    """Play every case to the three SDKs at once (one driver process each) and collect it all."""
    scripts = {f"/{_PREFIX[sdk]}/{index}": case for sdk in _PREFIX for index, case in enumerate(cases)}
    server = ServerThread(scripts)
    try:
        base = server.start()
    except RuntimeError as error:
        raise SetupError(str(error)) from error
    run = Run()
    with tempfile.TemporaryDirectory(prefix="conformance-") as scratch:
        folder = Path(scratch)
        commands = {
            JS_SDK: [node, str(HERE / "js_driver.mjs")],
            PYTHON_SDK: [sys.executable, "-m", "tests.conformance.python_driver"],
            GO_SDK: [godriver, "conformance"],
        }
        processes: dict[str, tuple[subprocess.Popen[bytes], Path, Path, float]] = {}
        try:
            for sdk, command in commands.items():
                prefix = _PREFIX[sdk]
                spec = {
                    "cases": [
                        {
                            "id": case.id,
                            "url": f"{base}/{prefix}/{index}",
                            "target": case.target,
                            "primed": case.primed,
                            "get_state": case.get_state,
                        }
                        for index, case in enumerate(cases)
                    ],
                    "concurrency": CONCURRENCY,
                    "settle_timeout_ms": SETTLE_TIMEOUT_MS,
                }
                source, output, errors = (
                    folder / f"{prefix}-in.json",
                    folder / f"{prefix}-out.json",
                    folder / f"{prefix}.log",
                )
                source.write_text(json.dumps(spec), encoding="utf-8")
                with errors.open("wb") as sink:
                    process = subprocess.Popen(
                        [*command, str(source), str(output)],
                        cwd=REPO,
                        stdin=subprocess.DEVNULL,
                        stdout=sink,
                        stderr=subprocess.STDOUT,
                        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                    )
                processes[sdk] = (process, output, errors, time.monotonic())
            deadline = time.monotonic() + DRIVER_TIMEOUT
            for sdk, (process, output, errors, started) in processes.items():
                try:
                    code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    raise SetupError(f"the {sdk} driver did not finish within {DRIVER_TIMEOUT:.0f} s") from None
                run.seconds[sdk] = time.monotonic() - started
                log = errors.read_text(encoding="utf-8", errors="replace")
                if code != 0 or not output.is_file():
                    raise SetupError(f"the {sdk} driver failed with exit code {code}:\n{_tail(log)}")
                data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
                run.results[sdk] = {str(result["id"]): result for result in data["results"]}
                run.about[sdk] = {key: str(data[key]) for key in ("sdk", "version", "websocket", "runtime")}
        finally:
            for process, *_ in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
            server.stop()
    logs = server.logs
    for sdk, prefix in _PREFIX.items():
        run.logs[sdk] = {case.id: logs[f"/{prefix}/{index}"] for index, case in enumerate(cases)}
    return run

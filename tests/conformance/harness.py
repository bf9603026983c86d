"""Installs the pinned SDKs when needed and runs every case through both of them.

The SDK versions are pinned in two places only: ``package.json`` (with its lock
file) for centrifuge-js and ``ws``, and :data:`PYTHON_SDK_VERSION` here for
centrifuge-python (the project's dev requirements must pin the same). Nothing is
skipped: a missing Node, npm or SDK is a :class:`SetupError`, which the fixtures
turn into a failing test with the message.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
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
    "JS_SDK",
    "PYTHON_SDK",
    "PYTHON_SDK_VERSION",
    "Run",
    "SetupError",
    "ensure_node_sdk",
    "ensure_python_sdk",
    "pinned_versions",
    "run_cases",
]

HERE: Final = Path(__file__).resolve().parent
REPO: Final = HERE.parent.parent
JS_SDK: Final = "centrifuge-js"
PYTHON_SDK: Final = "centrifuge-python"
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
    return {JS_SDK: dependencies["centrifuge"], PYTHON_SDK: PYTHON_SDK_VERSION}


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


_PREFIX: Final = {JS_SDK: "js", PYTHON_SDK: "py"}


def run_cases(cases: list[Case], node: str) -> Run:
    """Play every case to both SDKs at once (one driver process each) and collect it all."""
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

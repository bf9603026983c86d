"""Session fixtures of the conformance suite: the pinned SDKs, and one run of every case.

A setup problem (no Node, no npm, no Go, an SDK that does not install, build or
import) fails the tests that need it, with the reason; nothing is skipped.
"""

from __future__ import annotations

import pytest

from .cases import all_cases
from .harness import Run, SetupError, ensure_go_driver, ensure_node_sdk, ensure_python_sdk, run_cases


@pytest.fixture(scope="session")
def node_binary() -> str:
    """Node with centrifuge-js and ws as ``package-lock.json`` pins them (``npm ci`` if needed)."""
    try:
        return ensure_node_sdk()
    except SetupError as error:
        pytest.fail(f"centrifuge-js setup: {error}", pytrace=False)


@pytest.fixture(scope="session")
def python_sdk() -> None:
    """centrifuge-python at the pinned version, importable in this interpreter."""
    try:
        ensure_python_sdk()
    except SetupError as error:
        pytest.fail(f"centrifuge-python setup: {error}", pytrace=False)


@pytest.fixture(scope="session")
def go_driver() -> str:
    """The centrifuge-go driver, built from ``tests/live/godriver`` (Go and its pins)."""
    try:
        return ensure_go_driver()
    except SetupError as error:
        pytest.fail(f"centrifuge-go setup: {error}", pytrace=False)


@pytest.fixture(scope="session")
def conformance_run(node_binary: str, python_sdk: None, go_driver: str) -> Run:
    """Every case played to the three SDKs once, by the scripted server."""
    try:
        return run_cases(all_cases(), node_binary, go_driver)
    except SetupError as error:
        pytest.fail(f"conformance run: {error}", pytrace=False)

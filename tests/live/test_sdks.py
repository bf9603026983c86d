"""The real SDKs against the live server: each reacts as the package predicts, or the
difference is a recorded row (``differences.json`` in this folder).

centrifuge-python and centrifuge-go have only a WebSocket transport, so they meet
disconnects as close frames; centrifuge-js is run over WebSocket and over
http_stream, where a disconnect arrives as a push.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conformance.harness import SetupError, ensure_node_sdk

from .differences import expected_reaction
from .harness import Centrifugo, binary, free_port
from .harness import SetupError as LiveSetupError
from .scenarios import SCENARIOS, Reaction, Scenario, go_spec, js_spec, predicted, run_driver, run_python, typed

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def node() -> str:
    try:
        return ensure_node_sdk()
    except SetupError as error:
        pytest.fail(f"centrifuge-js setup: {error}", pytrace=False)


@pytest.fixture(scope="session")
def godriver() -> str:
    try:
        return str(binary("godriver"))
    except LiveSetupError as error:
        pytest.fail(f"centrifuge-go driver setup: {error}", pytrace=False)


def _check(sdk: str, transport: str, scenario: Scenario, reaction: Reaction) -> None:
    package = predicted(scenario, transport)
    assert reaction == expected_reaction(sdk, transport, scenario.id, package, reaction)
    assert typed(reaction).code == reaction.code


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_centrifuge_python(server: Centrifugo, scenario: Scenario) -> None:
    _check("centrifuge-python", "websocket", scenario, run_python(server, scenario))


@pytest.mark.parametrize("transport", ["websocket", "http_stream"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_centrifuge_js(server: Centrifugo, node: str, scenario: Scenario, transport: str) -> None:
    command = [node, str(HERE / "js_live.mjs"), js_spec(server, scenario, transport)]
    _check("centrifuge-js", transport, scenario, run_driver(command, server, scenario))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_centrifuge_go(server: Centrifugo, godriver: str, scenario: Scenario) -> None:
    _check("centrifuge-go", "websocket", scenario, run_driver([godriver, go_spec(server, scenario)], server, scenario))


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ('{"url": "ws://127.0.0.1:1/x", "target": "nope"}', '"nope"'),
        ('{"url": "ws://127.0.0.1:1/x", "target": "sub"}', "needs a channel"),
        ('{"target": "client"}', "no url"),
        ("[1]", "not the expected JSON object"),
    ],
)
def test_the_go_driver_refuses_a_bad_scenario(godriver: str, spec: str, named: str) -> None:
    result = subprocess.run([godriver, spec], capture_output=True, text=True, timeout=10, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert named in result.stderr


def test_the_go_driver_gives_up_in_time(godriver: str) -> None:
    # Nothing listens on the port: the SDK keeps reconnecting, and nothing it does is a
    # reaction, so the driver says so when its timeout ends, and exits 1.
    spec = json.dumps({"url": f"ws://127.0.0.1:{free_port()}/connection/websocket", "target": "client", "timeout": 1})
    result = subprocess.run([godriver, spec], capture_output=True, text=True, timeout=10, check=False)
    events = [json.loads(line)["event"] for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert "timeout" in events
    assert "reaction" not in events

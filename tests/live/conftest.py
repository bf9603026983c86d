"""Session fixtures of the live suite: the proxy backend and the Centrifugo servers.

Two servers serve every live test: ``server``, with the configuration most tests
share (:func:`harness.base_config`), and ``limits``, the same with tight limits
(one channel per client, one connection per user, a 2 KiB queue, no anonymous
tokens) and the server API in transport error mode. A third, ``refreshing``, adds a
refresh proxy, which changes how every connection refreshes (the server refreshes,
and a client's own refresh command is refused). Starting them once keeps the suite
fast; each test uses its own users and channels.

``trigger`` is the small server on the centrifuge library (``tests/live/trigger``),
one per module that asks for it.

Every test under ``tests/live/`` carries the ``live`` marker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import Backend, Centrifugo, SetupError, TriggerServer, base_config, free_port

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.live)


def _start(config: dict[str, Any], name: str) -> Centrifugo:
    try:
        return Centrifugo.start(config, name=name)
    except SetupError as error:
        pytest.fail(f"live server setup: {error}", pytrace=False)


def start_server(backend_url: str, name: str) -> Centrifugo:
    """A server of its own, with the shared configuration (for tests that stop it)."""
    return _start(base_config(free_port(), backend_url), name)


@pytest.fixture(scope="session")
def backend() -> Iterator[Backend]:
    proxy = Backend()
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def backend_url(backend: Backend) -> str:
    return backend.url


@pytest.fixture(scope="session")
def server(backend: Backend) -> Iterator[Centrifugo]:
    """Centrifugo with the shared configuration."""
    live = _start(base_config(free_port(), backend.url), "main")
    yield live
    live.stop()


def limits_config(port: int, backend: str) -> dict[str, Any]:
    config = base_config(port, backend)
    client: dict[str, Any] = config["client"]
    client["channel_limit"] = 1
    client["user_connection_limit"] = 1
    client["queue_max_size"] = 2048
    client["disallow_anonymous_connection_tokens"] = True
    config["http_api"] = {"key": config["http_api"]["key"], "error_mode": "transport"}
    # No RPC proxy here, so that an rpc has nowhere to go, and no connect proxy, so
    # that a connect without a token is refused.
    del config["rpc"]
    del client["proxy"]
    return config


@pytest.fixture(scope="session")
def limits(backend: Backend) -> Iterator[Centrifugo]:
    """Centrifugo with tight limits, and the server API in transport error mode."""
    live = _start(limits_config(free_port(), backend.url), "limits")
    yield live
    live.stop()


def refreshing_config(port: int, backend: str) -> dict[str, Any]:
    config = base_config(port, backend)
    config["client"]["proxy"]["refresh"] = {"enabled": True, "endpoint": f"{backend}/refresh", "timeout": "2s"}
    return config


@pytest.fixture(scope="session")
def refreshing(backend: Backend) -> Iterator[Centrifugo]:
    """Centrifugo with the shared configuration and a refresh proxy."""
    live = _start(refreshing_config(free_port(), backend.url), "refreshing")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def trigger() -> Iterator[TriggerServer]:
    """The trigger server on the centrifuge library, shared by one test module."""
    try:
        live = TriggerServer.start()
    except SetupError as error:
        pytest.fail(f"trigger server setup: {error}", pytrace=False)
    yield live
    live.stop()

"""Server API errors, sent for real by Centrifugo v6.9.1, in both error modes.

In the default mode an error comes as HTTP 200 with ``{"error": {...}}``; in transport
mode (``http_api.error_mode: "transport"``, the ``limits`` server) it comes with the
HTTP status that ``ApiErrorCode.http_status`` gives, and the bare ``{code, message}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from centrifugo_protocol import ApiErrorCode, wire

from .harness import Centrifugo, as_object


@dataclass(frozen=True)
class Trigger:
    id: str
    code: int
    method: str
    body: dict[str, object]


TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "api.100.history-reverse-with-since",
        100,
        "history",
        {"channel": "hist:c", "reverse": True, "since": {"offset": 0, "epoch": "x"}},
    ),
    Trigger("api.102.unknown-namespace", 102, "publish", {"channel": "nope:x", "data": {}}),
    Trigger("api.104.rpc-unknown-method", 104, "rpc", {"method": "nope"}),
    Trigger("api.107.empty-channel", 107, "publish", {"channel": "", "data": {}}),
    Trigger("api.108.history-disabled", 108, "history", {"channel": "plain"}),
    Trigger("api.108.presence-disabled", 108, "presence", {"channel": "plain"}),
    Trigger(
        "api.112.history-bad-epoch", 112, "history", {"channel": "hist:c", "since": {"offset": 0, "epoch": "bogus"}}
    ),
)


def _check(error: wire.ApiError, trigger: Trigger) -> ApiErrorCode:
    decoded = error.api_error_code
    assert isinstance(decoded, ApiErrorCode), (trigger.id, decoded)
    assert decoded is ApiErrorCode(trigger.code)
    assert error.message == decoded.message, trigger.id
    return decoded


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_default_mode_answers_200_with_the_error(server: Centrifugo, trigger: Trigger) -> None:
    answer = server.api(trigger.method, trigger.body)
    assert answer.status == 200, answer
    body = as_object(answer.body)
    assert "error" in body, answer
    _check(wire.ApiError.from_json(body["error"]), trigger)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_transport_mode_answers_with_the_http_status_the_package_gives(limits: Centrifugo, trigger: Trigger) -> None:
    answer = limits.api(trigger.method, trigger.body)
    body = as_object(answer.body)
    assert body, answer
    decoded = _check(wire.ApiError.from_json(body), trigger)
    assert answer.status == decoded.http_status, (trigger.id, answer.status, decoded.http_status)


def test_a_wrong_key_is_401_with_no_code(server: Centrifugo) -> None:
    answer = server.api("info", {}, key="wrong")
    assert answer.status == 401
    assert answer.body is None

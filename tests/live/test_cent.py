"""The real ``cent`` 5.2.0 against the real Centrifugo v6.9.1, in both error modes.

Each server API error the server can be made to send is sent through ``cent``'s
synchronous client, and what ``cent`` raises or returns is turned into a typed code
with :mod:`centrifugo_protocol.api`. The expected codes are the ground truth's, written
out in the triggers here.

* Default mode (the ``server`` fixture): ``cent`` raises ``CentApiResponseError``,
  whose code :func:`api.error_code` turns into the member.
* Transport mode, set in the configuration (the ``limits`` fixture) or per request
  with the ``X-Centrifugo-Error-Mode: transport`` header: ``cent`` raises
  ``CentTransportError`` with the HTTP status only, and the code must be among
  :func:`api.transport_error_codes` of that status.
* Broadcast and batch carry per-item errors in both modes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from cent import (
    BatchRequest,
    BlockUserRequest,
    BroadcastRequest,
    Client,
    DisconnectRequest,
    HistoryRequest,
    PresenceRequest,
    PublishRequest,
    StreamPosition,
)
from cent.dto import CentRequest
from cent.exceptions import CentApiResponseError, CentTransportError, CentUnauthorizedError

from centrifugo_protocol import ApiErrorCode, api
from centrifugo_protocol.classify import ClientState, on_close

from .. import spec
from .harness import API_KEY, Centrifugo, jwt, raw


@dataclass(frozen=True)
class Trigger:
    id: str
    code: int
    request: Callable[[], CentRequest[Any]]


# The requests of tests/live/test_api.py, through cent. 104 has no trigger here:
# cent 5.2.0 has no rpc request, the other way to get it.
TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "api.100.history-reverse-with-since",
        100,
        lambda: HistoryRequest(channel="hist:c", reverse=True, since=StreamPosition(offset=0, epoch="x")),
    ),
    Trigger("api.102.unknown-namespace", 102, lambda: PublishRequest(channel="nope:x", data={})),
    Trigger("api.107.empty-channel", 107, lambda: PublishRequest(channel="", data={})),
    Trigger("api.108.history-disabled", 108, lambda: HistoryRequest(channel="plain")),
    Trigger("api.108.presence-disabled", 108, lambda: PresenceRequest(channel="plain")),
    Trigger(
        "api.112.history-bad-epoch",
        112,
        lambda: HistoryRequest(channel="hist:c", since=StreamPosition(offset=0, epoch="bogus")),
    ),
)


def cent_client(live: Centrifugo, *, transport_header: bool = False, key: str = API_KEY) -> Client:
    session = requests.Session()
    if transport_header:
        session.headers["X-Centrifugo-Error-Mode"] = "transport"
    return Client(f"{live.base}/api", key, timeout=10, session=session)


def send(client: Client, request: CentRequest[Any]) -> object:
    # Client has one method per request type; _send is the one they all call.
    return client._send(request)  # pyright: ignore[reportPrivateUsage]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_default_mode_gives_the_member_from_cents_error(server: Centrifugo, trigger: Trigger) -> None:
    with cent_client(server) as client, pytest.raises(CentApiResponseError) as caught:
        send(client, trigger.request())
    code = api.error_code(caught.value)
    assert code is ApiErrorCode(trigger.code)
    assert caught.value.message == spec.API_ERRORS[trigger.code][1]
    assert code.retryable is (trigger.code == 100)


def _check_transport(caught: pytest.ExceptionInfo[CentTransportError], trigger: Trigger) -> None:
    status = caught.value.status_code
    assert status == spec.API_ERRORS[trigger.code][2], (trigger.id, status)
    assert ApiErrorCode(trigger.code) in api.transport_error_codes(status)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_transport_mode_by_config_gives_a_status_that_stands_for_the_code(limits: Centrifugo, trigger: Trigger) -> None:
    with cent_client(limits) as client, pytest.raises(CentTransportError) as caught:
        send(client, trigger.request())
    _check_transport(caught, trigger)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.id)
def test_transport_mode_by_header_gives_a_status_that_stands_for_the_code(server: Centrifugo, trigger: Trigger) -> None:
    with cent_client(server, transport_header=True) as client, pytest.raises(CentTransportError) as caught:
        send(client, trigger.request())
    _check_transport(caught, trigger)


@pytest.mark.parametrize("transport", [False, True], ids=["default", "transport"])
def test_broadcast_item_errors_are_typed_in_both_modes(server: Centrifugo, transport: bool) -> None:
    # Per-item errors stay in the body in transport mode too: the broadcast as a whole succeeded.
    request = BroadcastRequest(channels=["ok", "nope:x", "", "also-ok"], data={"n": 1})
    with cent_client(server, transport_header=transport) as client:
        result = client.broadcast(request)
    errors = api.broadcast_errors(result)
    assert {index: error.api_error_code for index, error in errors.items()} == {
        1: ApiErrorCode.UNKNOWN_CHANNEL,
        2: ApiErrorCode.BAD_REQUEST,
    }
    assert errors[1].message == "unknown channel"


def test_a_broadcast_without_failures_has_no_item_errors(server: Centrifugo) -> None:
    with cent_client(server) as client:
        result = client.broadcast(BroadcastRequest(channels=["a", "b"], data={}))
    assert api.broadcast_errors(result) == {}


BATCH_COMMANDS: list[dict[str, object]] = [
    {"publish": {"channel": "ok", "data": {}}},
    {"publish": {"channel": "nope:x", "data": {}}},
    {"history": {"channel": "plain"}},
]


@pytest.mark.parametrize("transport", [False, True], ids=["default", "transport"])
def test_cent_cannot_parse_a_batch_with_a_failed_item(server: Centrifugo, transport: bool) -> None:
    """Measured: cent 5.2.0 reads each batch reply by its method's key, so an item
    holding an error raises a bare KeyError; the backend guide says so."""
    request = BatchRequest(requests=[PublishRequest(channel="ok", data={}), PublishRequest(channel="nope:x", data={})])
    with cent_client(server, transport_header=transport) as client, pytest.raises(KeyError, match="publish"):
        client.batch(request)


@pytest.mark.parametrize("transport", [False, True], ids=["default", "transport"])
def test_batch_item_errors_are_typed_from_the_json_answer(server: Centrifugo, transport: bool) -> None:
    session = requests.Session()
    session.headers["X-API-Key"] = API_KEY
    if transport:
        session.headers["X-Centrifugo-Error-Mode"] = "transport"
    with session:
        answer = session.post(f"{server.base}/api/batch", json={"commands": BATCH_COMMANDS}, timeout=10)
    assert answer.status_code == 200
    errors = api.batch_errors(json.loads(answer.text))
    assert {index: error.api_error_code for index, error in errors.items()} == {
        1: ApiErrorCode.UNKNOWN_CHANNEL,
        2: ApiErrorCode.NOT_AVAILABLE,
    }


def test_a_batch_that_succeeds_parses_in_cent_and_has_no_item_errors(server: Centrifugo) -> None:
    request = BatchRequest(requests=[PublishRequest(channel="a", data={}), PublishRequest(channel="b", data={})])
    with cent_client(server) as client:
        result = client.batch(request)
    assert api.batch_errors(result) == {}


def test_a_method_the_server_lacks_is_a_404_in_default_mode_too(server: Centrifugo) -> None:
    """A PRO-only method is an unknown path on the open-source server: a 404 with no
    code, whatever the error mode; only in transport mode does a status stand for codes."""
    with cent_client(server) as client, pytest.raises(CentTransportError) as caught:
        client.block_user(BlockUserRequest(user="u1"))
    assert caught.value.status_code == 404


def test_a_wrong_key_is_cents_unauthorized_error_with_no_code(server: Centrifugo) -> None:
    with cent_client(server, key="wrong") as client, pytest.raises(CentUnauthorizedError):
        client.publish(PublishRequest(channel="a", data={}))
    assert api.transport_error_codes(401) == ()


@pytest.mark.parametrize(
    ("code", "reason", "state"),
    [
        (3014, "state invalidated", ClientState.CONNECTING),
        (3503, "force disconnect", ClientState.DISCONNECTED),
        (4000, "maintenance", ClientState.CONNECTING),
        (4999, "x" * 123, ClientState.DISCONNECTED),
    ],
)
def test_a_disconnect_request_sent_by_cent_closes_the_client_as_built(
    server: Centrifugo, code: int, reason: str, state: ClientState
) -> None:
    user = f"cent-{uuid.uuid4().hex[:8]}"
    body = api.disconnect_request(user, code, reason)
    with raw(server.ws_url) as ws:
        command = ws.send({"connect": {"token": jwt({"sub": user})}})
        assert "connect" in ws.reply(command), ws.messages
        with cent_client(server) as client:
            client.disconnect(DisconnectRequest.model_validate(body))
        closed = ws.until_closed()
    assert closed.frame, closed
    assert (closed.code, closed.reason) == (code, reason)
    assert on_close(code, reason).state is state


@pytest.mark.parametrize(("code", "reason"), [(70000, "wide"), (4500, "r" * 124)])
def test_what_disconnect_request_refuses_really_breaks_on_the_server(
    server: Centrifugo, code: int, reason: str
) -> None:
    """The builder refuses these; sent anyway (as a plain dict), the server cuts the
    code to 16 bits or drops the close frame, as the builder's message says."""
    with pytest.raises(ValueError, match="close frame"):
        api.disconnect_request("u1", code, reason)
    user = f"cent-{uuid.uuid4().hex[:8]}"
    with raw(server.ws_url) as ws:
        command = ws.send({"connect": {"token": jwt({"sub": user})}})
        assert "connect" in ws.reply(command), ws.messages
        with cent_client(server) as client:
            client.disconnect(
                DisconnectRequest.model_validate({"user": user, "disconnect": {"code": code, "reason": reason}})
            )
        closed = ws.until_closed()
    if code > 65535:
        assert (closed.frame, closed.code) == (True, code % 65536)
    else:
        assert (closed.frame, closed.code) == (False, None)
        assert on_close(1006).state is ClientState.CONNECTING

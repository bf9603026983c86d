"""centrifugo_protocol.api: typed codes from API clients' errors, transport statuses, and /api/disconnect bodies.

The expected values come from the ground truth (section 4's HTTP mapping, the close
frame limits of live-server.md section 1), written out here, never from the package's
tables. Objects shaped like cent 5.2.0's are plain stand-ins, so these tests need no
API client; tests/live/test_cent.py runs the real one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import ApiErrorCode, UnknownApiErrorCode, api, wire

from . import spec


@dataclass
class FakeCentError(Exception):
    """Shaped like cent's CentApiResponseError: instance attributes code and message."""

    code: Any
    message: Any


@dataclass
class Item:
    """Shaped like one reply of cent's BroadcastResult or BatchResult."""

    error: FakeCentError | None


@dataclass
class Broadcast:
    responses: list[Item]


@dataclass
class Batch:
    replies: list[Item]


@pytest.mark.parametrize("code", sorted(spec.API_ERRORS))
def test_error_code_gives_the_member_for_every_known_code(code: int) -> None:
    name, message, _, _ = spec.API_ERRORS[code]
    answer = api.error_code(FakeCentError(code, message))
    assert answer is ApiErrorCode[name]
    error = api.api_error(FakeCentError(code, message))
    assert type(error) is wire.ApiError
    assert (error.code, error.message) == (code, message)


@given(st.integers(min_value=0, max_value=spec.UINT32_MAX).filter(lambda c: c not in spec.API_ERRORS))
def test_error_code_gives_an_unknown_code_for_the_rest(code: int) -> None:
    answer = api.error_code(FakeCentError(code, "something"))
    assert answer == UnknownApiErrorCode(code)


def test_api_error_reads_a_model_shaped_object_too() -> None:
    @dataclass(frozen=True)
    class Model:  # like cent's pydantic Error model: read-only fields
        code: int
        message: str

    assert api.api_error(Model(112, "unrecoverable position")).code == 112


@pytest.mark.parametrize(
    ("error", "exception", "words"),
    [
        (
            SimpleNamespace(message="m"),
            TypeError,
            "api_error() expects an error with 'code' and 'message' attributes, got <SimpleNamespace object> "
            "(SimpleNamespace), which has no 'code'",
        ),
        (
            SimpleNamespace(code=100),
            TypeError,
            "api_error() expects an error with 'code' and 'message' attributes, got <SimpleNamespace object> "
            "(SimpleNamespace), which has no 'message'",
        ),
        (FakeCentError("100", "m"), TypeError, "api_error(): the error's code expects an int code, got '100' (str)"),
        (FakeCentError(True, "m"), TypeError, "api_error(): the error's code expects an int code, got True (bool)"),
        (FakeCentError(-1, "m"), ValueError, "api_error(): the error's code expects a code in 0..4294967295"),
        (FakeCentError(2**32, "m"), ValueError, "api_error(): the error's code expects a code in 0..4294967295"),
        (
            FakeCentError(100, None),
            TypeError,
            "api_error() expects the error's message to be a str, got None (NoneType)",
        ),
        (FakeCentError(100, b"m"), TypeError, "api_error() expects the error's message to be a str, got b'm' (bytes)"),
    ],
)
def test_api_error_names_what_is_wrong(error: object, exception: type[Exception], words: str) -> None:
    with pytest.raises(exception) as caught:
        api.api_error(error)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value).startswith(words)


def test_broadcast_errors_maps_each_failed_channel_to_its_error() -> None:
    ok = Item(None)
    result = Broadcast([ok, Item(FakeCentError(102, "unknown channel")), ok, Item(FakeCentError(107, "bad request"))])
    errors = api.broadcast_errors(result)
    assert sorted(errors) == [1, 3]
    assert api.batch_errors({"replies": []}) == {}
    assert (errors[1].code, errors[1].message) == (102, "unknown channel")
    assert errors[3].api_error_code is ApiErrorCode.BAD_REQUEST
    assert api.broadcast_errors(Broadcast([ok, ok])) == {}
    assert api.broadcast_errors(Broadcast([])) == {}


def test_batch_errors_reads_objects_and_decoded_json() -> None:
    body = json.loads('{"replies":[{"publish":{}},{"error":{"code":102,"message":"unknown channel"}},{"history":{}}]}')
    errors = api.batch_errors(body)
    assert list(errors) == [1]
    assert (errors[1].code, errors[1].message) == (102, "unknown channel")
    mixed = Batch([Item(FakeCentError(108, "not available")), Item(None)])
    found = api.batch_errors(mixed)
    assert list(found) == [0]
    assert (found[0].code, found[0].message) == (108, "not available")


def test_batch_errors_refuses_a_malformed_item_error() -> None:
    with pytest.raises(wire.WireFormatError, match="field 'code' is required but missing"):
        api.batch_errors({"replies": [{"error": {"message": "m"}}]})


@pytest.mark.parametrize(
    ("call", "value", "words"),
    [
        (
            api.broadcast_errors,
            SimpleNamespace(),
            "broadcast_errors() expects a reply with 'responses', got <SimpleNamespace object> (SimpleNamespace)",
        ),
        (
            api.broadcast_errors,
            SimpleNamespace(responses="ab"),
            "broadcast_errors() expects 'responses' to be a list, got 'ab' (str)",
        ),
        (
            api.batch_errors,
            SimpleNamespace(replies=None),
            "batch_errors() expects 'replies' to be a list, got None (NoneType)",
        ),
        (api.batch_errors, 5, "batch_errors() expects a reply with 'replies', got 5 (int)"),
        (api.batch_errors, {"replies": {}}, "batch_errors() expects 'replies' to be a list, got {} (dict)"),
        (api.batch_errors, {}, "batch_errors() expects 'replies' to be a list, got None (NoneType)"),
    ],
)
def test_item_error_readers_name_a_wrong_reply(call: Any, value: object, words: str) -> None:
    with pytest.raises(TypeError) as caught:
        call(value)
    assert str(caught.value) == words


#: Section 4 of the ground truth, read the other way round: status -> codes.
STATUS_CODES = {500: (100,), 404: (102, 104), 400: (107, 108), 416: (112,), 409: (113,)}


@pytest.mark.parametrize("status", [*STATUS_CODES, 200, 401, 405, 502, 503, 504, 0, 999])
def test_transport_error_codes_reads_the_mapping_backwards(status: int) -> None:
    codes = api.transport_error_codes(status)
    assert tuple(int(code) for code in codes) == STATUS_CODES.get(status, ())
    assert all(type(code) is ApiErrorCode for code in codes)


@pytest.mark.parametrize("status", ["500", 500.0, None, True])
def test_transport_error_codes_wants_an_int(status: object) -> None:
    with pytest.raises(TypeError, match=r"^transport_error_codes\(\) expects an int HTTP status, got "):
        api.transport_error_codes(status)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# --- /api/disconnect ------------------------------------------------------------------


@pytest.mark.parametrize("code", [3000, 3014, 3499, 3500, 3999, 4000, 4499, 4500, 4999])
def test_disconnect_request_accepts_the_server_and_application_bands(code: int) -> None:
    body = api.disconnect_request("u1", code, "bye")
    assert body == {"user": "u1", "disconnect": {"code": code, "reason": "bye"}}
    assert json.loads(json.dumps(body)) == body


def test_disconnect_request_carries_the_optional_fields_only_when_given() -> None:
    body = api.disconnect_request("u1", 4500, "", client="c1", session="s1", whitelist=["c2", "c3"])
    assert body == {
        "user": "u1",
        "disconnect": {"code": 4500, "reason": ""},
        "client": "c1",
        "session": "s1",
        "whitelist": ["c2", "c3"],
    }
    assert api.disconnect_request("u1", 4500, "x", whitelist=("c2",)).get("whitelist") == ["c2"]


def test_disconnect_request_takes_a_reason_of_exactly_123_bytes() -> None:
    for reason in ("x" * 123, "é" * 61 + "x", "€" * 41):
        assert len(reason.encode()) == 123
        assert api.disconnect_request("u1", 4500, reason)["disconnect"]["reason"] == reason


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (0, "; codes below 3000 are WebSocket transport codes, which clients report as 'transport closed'"),
        (1000, "; codes below 3000 are WebSocket transport codes, which clients report as 'transport closed'"),
        (2999, "; codes below 3000 are WebSocket transport codes, which clients report as 'transport closed'"),
        (-1, "; codes below 3000 are WebSocket transport codes, which clients report as 'transport closed'"),
        (5000, "; WebSocket clients refuse close codes from 5000 up and report 'transport closed' instead"),
        (65535, "; WebSocket clients refuse close codes from 5000 up and report 'transport closed' instead"),
        (65536, "; 65536 does not fit the 16 bits of a WebSocket close frame and would reach clients as 0"),
        (70000, "; 70000 does not fit the 16 bits of a WebSocket close frame and would reach clients as 4464"),
        (
            spec.UINT32_MAX,
            "; 4294967295 does not fit the 16 bits of a WebSocket close frame and would reach clients as 65535",
        ),
    ],
)
def test_disconnect_request_refuses_codes_a_close_frame_cannot_carry(code: int, why: str) -> None:
    with pytest.raises(ValueError) as caught:
        api.disconnect_request("u1", code, "bye")
    assert str(caught.value) == f"disconnect_request() expects a disconnect code in 3000..4999, got {code}{why}"


@pytest.mark.parametrize(
    ("reason", "size"), [("x" * 124, 124), ("é" * 62, 124), ("x" * 121 + "€", 124), ("x" * 400, 400)]
)
def test_disconnect_request_refuses_reasons_over_123_bytes(reason: str, size: int) -> None:
    with pytest.raises(ValueError) as caught:
        api.disconnect_request("u1", 4500, reason)
    message = str(caught.value)
    assert message.startswith(
        f"disconnect_request() expects a reason of at most 123 bytes of UTF-8, got {size} bytes; the server "
        "would drop the close frame and the client would reconnect even after a terminal code: "
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (("", 4500, "x"), {}, ValueError, "disconnect_request() expects a non-empty user id, got ''"),
        ((7, 4500, "x"), {}, TypeError, "disconnect_request() expects user to be a str, got 7 (int)"),
        (("u", "4500", "x"), {}, TypeError, "disconnect_request() expects an int code, got '4500' (str)"),
        (("u", True, "x"), {}, TypeError, "disconnect_request() expects an int code, got True (bool)"),
        (("u", 4500, None), {}, TypeError, "disconnect_request() expects reason to be a str, got None (NoneType)"),
        (
            ("u", 4500, "\ud800"),
            {},
            ValueError,
            "disconnect_request() expects a reason that UTF-8 can encode, got '\\ud800'",
        ),
        (("u", 4500, "x"), {"client": 1}, TypeError, "disconnect_request() expects client to be a str, got 1 (int)"),
        (("u", 4500, "x"), {"session": None}, TypeError, "disconnect_request() expects session to be a str, got None"),
        (
            ("u", 4500, "x"),
            {"whitelist": "c1"},
            TypeError,
            "disconnect_request() expects whitelist to be a list of client ids, got 'c1' (str)",
        ),
        (
            ("u", 4500, "x"),
            {"whitelist": {"c1"}},
            TypeError,
            "disconnect_request() expects whitelist to be a list of client ids, got set({'c1'})",
        ),
        (
            ("u", 4500, "x"),
            {"whitelist": ["c1", 2]},
            TypeError,
            "disconnect_request() expects whitelist to hold str client ids, got 2 (int)",
        ),
    ],
)
def test_disconnect_request_names_bad_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        api.disconnect_request(*args, **kwargs)
    assert str(caught.value).startswith(words)


@given(st.integers(min_value=3000, max_value=4999), st.text(max_size=30))
def test_disconnect_request_round_trips_through_the_wire_decoder(code: int, reason: str) -> None:
    try:
        reason.encode()
    except UnicodeEncodeError:
        return
    body = api.disconnect_request("u1", code, reason)
    decoded = wire.Disconnect.from_json(json.loads(json.dumps(body))["disconnect"])
    assert (decoded.code, decoded.reason) == (code, reason)
    assert decoded.disconnect_code.reconnect is (code < 3500 or 4000 <= code < 4500)


def test_the_band_constant() -> None:
    assert (api.API_DISCONNECT_CODES.start, api.API_DISCONNECT_CODES.stop) == (3000, 5000)


def test_item_errors_accept_tuples_and_replies_without_an_error_attribute() -> None:
    @dataclass
    class PublishResult:  # like cent's result models inside a BatchResult: no 'error' at all
        offset: int = 0

    @dataclass
    class Replies:
        replies: tuple[object, ...]

    @dataclass
    class TupleBroadcast:
        responses: tuple[Item, ...]

    found = api.batch_errors(Replies((PublishResult(), Item(FakeCentError(102, "unknown channel")))))
    assert list(found) == [1]
    assert api.broadcast_errors(TupleBroadcast((Item(None), Item(FakeCentError(107, "bad request"))))).keys() == {1}

"""proxy: every boundary on both sides, and what the builders accept classifies by its band."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol
from centrifugo_protocol import APP_ERROR_CODES, classify, proxy
from centrifugo_protocol._ranges import show
from centrifugo_protocol.wire import Disconnect, ReplyError

from . import spec


@pytest.mark.parametrize("code", [400, 401, 1000, 1998, 1999, *spec.ERRORS])
def test_custom_error_accepts_application_and_built_in_codes(code: int) -> None:
    error = proxy.custom_error(code, "refused")
    assert (error.code, error.message, error.temporary) == (code, "refused", False)
    assert proxy.custom_error(code, "later", temporary=True).temporary is True


@pytest.mark.parametrize("code", [0, 99, 114, 399, 2000, 2500, 3500, 3999, 4000, 5000, spec.UINT32_MAX, 2**40, -1])
def test_custom_error_refuses_other_codes(code: int) -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_error(code, "refused")
    message = str(caught.value)
    assert message.startswith("custom_error() expects an application error code in 400..1999 or a built-in ErrorCode (")
    assert "100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113" in message
    assert message.endswith(f"got {code}")


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((True, "x"), {}, TypeError, "custom_error() expects an int code, got True (bool)"),
        (("1000", "x"), {}, TypeError, "custom_error() expects an int code, got '1000' (str)"),
        ((1000.0, "x"), {}, TypeError, "custom_error() expects an int code, got 1000.0 (float)"),
        ((1000, ""), {}, ValueError, "custom_error() expects a non-empty message, got ''"),
        ((1000, "   "), {}, ValueError, "custom_error() expects a non-empty message, got '   '"),
        ((1000, None), {}, TypeError, "custom_error() expects message to be a str, got None"),
        ((1000, "x"), {"temporary": 1}, TypeError, "custom_error() expects temporary to be a bool, got 1 (int)"),
    ],
)
def test_custom_error_rejects_bad_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        proxy.custom_error(*args, **kwargs)
    assert str(caught.value).startswith(words)


@pytest.mark.parametrize("code", [4000, 4001, 4499, 4500, 4501, 4999])
def test_custom_disconnect_accepts_both_bands(code: int) -> None:
    disconnect = proxy.custom_disconnect(code, "bye")
    assert (disconnect.code, disconnect.reason) == (code, "bye")


@pytest.mark.parametrize("code", [0, 1000, 2500, 3000, 3500, 3999, 5000, 5001, 65535, -1])
def test_custom_disconnect_refuses_other_codes(code: int) -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(code, "bye")
    assert str(caught.value) == (
        "custom_disconnect() expects an application disconnect code: 4000..4499 (client reconnects) "
        f"or 4500..4999 (client stops), got {code}"
    )


#: What a live Centrifugo v6.9.1 delivered in a close frame for codes over 16 bits
#: (shared/spec/live-server.md section 1), written out rather than computed.
TRUNCATED = {65536: 0, 70000: 4464, 69536: 4000, 70036: 4500, spec.UINT32_MAX: 65535, 2**63: 0}


@pytest.mark.parametrize(("code", "arrives_as"), sorted(TRUNCATED.items()))
def test_custom_disconnect_says_a_code_over_16_bits_would_be_cut(code: int, arrives_as: int) -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(code, "bye")
    assert str(caught.value) == (
        "custom_disconnect() expects an application disconnect code: 4000..4499 (client reconnects) "
        f"or 4500..4999 (client stops), got {code}; {code} does not fit the 16 bits of a WebSocket "
        f"close frame and would reach clients as {arrives_as}"
    )


@given(st.integers(min_value=2**16, max_value=2**70))
def test_every_code_over_16_bits_is_refused_with_the_value_it_would_become(code: int) -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(code, "bye")
    assert f"would reach clients as {code & 0xFFFF}" in str(caught.value)


def is_ascii(text: str) -> bool:
    return all(ord(character) < 128 for character in text)


@pytest.mark.parametrize(
    "reason",
    ["", "x" * 32, "disconnect reason", "".join(chr(c) for c in range(95, 127)), "\x00\x7f", " " * 32],
)
def test_custom_disconnect_accepts_ascii_reasons_up_to_32_characters(reason: str) -> None:
    assert len(reason) <= spec.MAX_DISCONNECT_REASON_CHARS and is_ascii(reason)
    assert proxy.custom_disconnect(4500, reason).reason == reason


LIMITS = (
    f"at most {spec.MAX_DISCONNECT_REASON_CHARS} ASCII characters (Centrifugo's documented limit; "
    f"a WebSocket close frame itself carries at most {spec.MAX_CLOSE_REASON_BYTES} bytes of reason)"
)


@pytest.mark.parametrize(("reason", "size"), [("x" * 33, 33), ("x" * 123, 123)])
def test_custom_disconnect_refuses_reasons_over_32_characters(reason: str, size: int) -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(4500, reason)
    message = str(caught.value)
    assert message.startswith(f"custom_disconnect() expects a reason of {LIMITS}, got {size} characters: ")
    assert message.endswith(show(reason))


def dropped(size: int) -> str:
    return (
        f"; at {size} bytes, more than the 123 a WebSocket close frame holds, the server would drop "
        "the close frame and the client would reconnect even after a terminal code: "
    )


@pytest.mark.parametrize(
    ("reason", "problem", "size"),
    [
        ("x" * 124, "124 characters", 124),
        ("x" * 500, "500 characters", 500),
        ("é" * 62, "non-ASCII characters", 124),
        ("x" * 121 + "€", "non-ASCII characters", 124),
    ],
)
def test_custom_disconnect_says_a_reason_over_123_bytes_loses_the_close_frame(
    reason: str, problem: str, size: int
) -> None:
    assert len(reason.encode()) == size
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(4999, reason)
    message = str(caught.value)
    assert message.startswith(f"custom_disconnect() expects a reason of {LIMITS}, got {problem}{dropped(size)}")
    assert message.endswith(show(reason))


@pytest.mark.parametrize("reason", ["é" * 61, "x" * 120 + "é", "x" * 121 + "é"])
def test_custom_disconnect_does_not_claim_a_drop_for_reasons_within_123_bytes(reason: str) -> None:
    assert len(reason.encode()) <= 123
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(4999, reason)
    assert "drop" not in str(caught.value)


@pytest.mark.parametrize("reason", ["é", "x" * 31 + "é", "€", "😀", "\ud800", "\x80", "\uff58"])
def test_custom_disconnect_refuses_non_ascii_reasons(reason: str) -> None:
    # Even when they would fit in 32 bytes of UTF-8: Centrifugo documents ASCII.
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(4500, reason)
    assert (
        str(caught.value)
        == f"custom_disconnect() expects a reason of {LIMITS}, got non-ASCII characters: {show(reason)}"
    )


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((False, "x"), TypeError, "custom_disconnect() expects an int code, got False (bool)"),
        ((4500, 7), TypeError, "custom_disconnect() expects reason to be a str, got 7 (int)"),
        ((4500, None), TypeError, "custom_disconnect() expects reason to be a str, got None (NoneType)"),
        ((4500, b"bye"), TypeError, "custom_disconnect() expects reason to be a str, got b'bye' (bytes)"),
    ],
)
def test_custom_disconnect_rejects_bad_arguments(args: tuple[Any, ...], error: type[Exception], words: str) -> None:
    with pytest.raises(error) as caught:
        proxy.custom_disconnect(*args)
    assert str(caught.value).startswith(words)


def test_responses_have_the_proxy_shapes_and_dump_unchanged() -> None:
    error = proxy.error_response(proxy.custom_error(1000, "custom error"))
    assert error == {"error": {"code": 1000, "message": "custom error", "temporary": False}}
    assert json.loads(json.dumps(error)) == error
    disconnect = proxy.disconnect_response(proxy.custom_disconnect(4500, "disconnect reason"))
    assert disconnect == {"disconnect": {"code": 4500, "reason": "disconnect reason"}}
    assert json.loads(json.dumps(disconnect)) == disconnect


def test_responses_reject_the_wrong_object() -> None:
    with pytest.raises(TypeError, match=r"^error_response\(\) expects a wire.ReplyError, got \{'code': 1\} \(dict\)$"):
        proxy.error_response({"code": 1})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^disconnect_response\(\) expects a wire.Disconnect, got 4500 \(int\)$"):
        proxy.disconnect_response(4500)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_range_constants_match_the_spec() -> None:
    assert (APP_ERROR_CODES.start, APP_ERROR_CODES.stop) == (400, 2000)
    assert proxy.APP_ERROR_CODES is APP_ERROR_CODES
    assert (proxy.APP_RECONNECT_DISCONNECT_CODES.start, proxy.APP_RECONNECT_DISCONNECT_CODES.stop) == (4000, 4500)
    assert (proxy.APP_TERMINAL_DISCONNECT_CODES.start, proxy.APP_TERMINAL_DISCONNECT_CODES.stop) == (4500, 5000)
    assert proxy.MAX_DISCONNECT_REASON_BYTES == spec.MAX_DISCONNECT_REASON_CHARS
    assert proxy.MAX_CLOSE_REASON_BYTES == spec.MAX_CLOSE_REASON_BYTES
    assert proxy.MAX_CLOSE_REASON_BYTES is centrifugo_protocol.MAX_CLOSE_REASON_BYTES
    assert proxy.MAX_CLOSE_CODE == 2**16 - 1
    assert {"MAX_CLOSE_REASON_BYTES", "MAX_DISCONNECT_REASON_BYTES"} <= set(proxy.__all__)


reasons = st.one_of(st.text(max_size=40), st.text(st.characters(max_codepoint=127), max_size=40))


@given(code=st.integers(min_value=-10, max_value=6000), reason=reasons)
def test_custom_disconnect_accepts_exactly_the_bands(code: int, reason: str) -> None:
    valid = 4000 <= code <= 4999 and is_ascii(reason) and len(reason) <= spec.MAX_DISCONNECT_REASON_CHARS
    try:
        disconnect = proxy.custom_disconnect(code, reason)
    except ValueError:
        assert not valid
        return
    assert valid
    again = Disconnect.from_json(json.loads(json.dumps(proxy.disconnect_response(disconnect)))["disconnect"])
    assert again == disconnect
    transition = classify.on_disconnect(again.code, again.reason)
    assert transition.state is (classify.ClientState.DISCONNECTED if code >= 4500 else classify.ClientState.CONNECTING)
    assert transition.reason == reason


@given(
    code=st.integers(min_value=-10, max_value=2100),
    message=st.text(max_size=20),
    temporary=st.booleans(),
)
def test_custom_error_accepts_exactly_its_ranges(code: int, message: str, temporary: bool) -> None:
    valid = (400 <= code <= 1999 or code in spec.ERRORS) and message.strip() != ""
    try:
        error = proxy.custom_error(code, message, temporary=temporary)
    except ValueError:
        assert not valid
        return
    assert valid
    again = ReplyError.from_json(json.loads(json.dumps(proxy.error_response(error)))["error"])
    assert (again.code, again.message, again.temporary) == (code, message, temporary)
    expected = classify.ClientState.CONNECTING if temporary or code == 109 else classify.ClientState.DISCONNECTED
    assert again.on_connect().state is expected


# --- status_to_code_transforms ----------------------------------------------------------

#: The v6 block as Centrifugo's configuration types spell it (configtypes.HttpStatusToCodeTransform),
#: written out by hand.
EXPECTED_BLOCK = [
    {"status_code": 401, "to_error": {"code": 1401, "message": "log in first", "temporary": False}},
    {"status_code": 403, "to_disconnect": {"code": 4503, "reason": "forbidden"}},
    {"status_code": 429, "to_error": {"code": 1429, "message": "slow down", "temporary": True}},
    {"status_code": 503, "to_disconnect": {"code": 4003, "reason": "maintenance"}},
]


def test_status_to_code_transforms_writes_the_v6_block_sorted_by_status() -> None:
    block = proxy.status_to_code_transforms(
        {
            503: proxy.custom_disconnect(4003, "maintenance"),
            429: proxy.custom_error(1429, "slow down", temporary=True),
            403: proxy.custom_disconnect(4503, "forbidden"),
            401: proxy.custom_error(1401, "log in first"),
        }
    )
    assert block == EXPECTED_BLOCK
    assert json.loads(json.dumps(block)) == EXPECTED_BLOCK
    assert proxy.status_to_code_transforms({}) == []


def test_check_status_to_code_transforms_accepts_its_own_output_and_hand_written_blocks() -> None:
    assert proxy.check_status_to_code_transforms(EXPECTED_BLOCK) == EXPECTED_BLOCK
    written = [{"status_code": 404, "to_error": {"code": 1404, "message": "no such thing"}}]
    assert proxy.check_status_to_code_transforms(written) == [
        {"status_code": 404, "to_error": {"code": 1404, "message": "no such thing", "temporary": False}}
    ]
    assert proxy.check_status_to_code_transforms([]) == []


@given(
    st.dictionaries(
        st.integers(100, 599).filter(lambda s: s != 200),
        st.one_of(
            st.builds(proxy.custom_error, st.integers(400, 1999), st.just("no"), temporary=st.booleans()),
            st.builds(proxy.custom_disconnect, st.integers(4000, 4999), st.just("bye")),
        ),
        max_size=6,
    )
)
def test_written_blocks_check_back_unchanged(mapping: dict[int, ReplyError | Disconnect]) -> None:
    block = proxy.status_to_code_transforms(mapping)
    assert [entry["status_code"] for entry in block] == sorted(mapping)
    for entry in block:
        assert ("to_error" in entry) != ("to_disconnect" in entry)
    assert proxy.check_status_to_code_transforms(json.loads(json.dumps(block))) == block


@pytest.mark.parametrize(
    ("mapping", "error", "words"),
    [
        (
            {200: proxy.custom_error(1000, "x")},
            ValueError,
            "status_to_code_transforms() expects HTTP statuses in 100..599 other than 200 (a 200 answer is read, never transformed), got 200",
        ),
        (
            {99: proxy.custom_error(1000, "x")},
            ValueError,
            "status_to_code_transforms() expects HTTP statuses in 100..599 other than 200 (a 200 answer is read, never transformed), got 99",
        ),
        (
            {600: proxy.custom_error(1000, "x")},
            ValueError,
            "status_to_code_transforms() expects HTTP statuses in 100..599 other than 200 (a 200 answer is read, never transformed), got 600",
        ),
        (
            {"403": proxy.custom_error(1000, "x")},
            TypeError,
            "status_to_code_transforms() expects int HTTP statuses as keys, got '403' (str)",
        ),
        (
            {True: proxy.custom_error(1000, "x")},
            TypeError,
            "status_to_code_transforms() expects int HTTP statuses as keys, got True (bool)",
        ),
        (
            {403: {"code": 1000}},
            TypeError,
            "status_to_code_transforms() expects each status to map to a custom_error() or custom_disconnect(), got {'code': 1000} (dict) for status 403",
        ),
        ({403: ReplyError(3000, "x")}, ValueError, "custom_error() expects an application error code in 400..1999"),
        ({403: Disconnect(3500, "x")}, ValueError, "custom_disconnect() expects an application disconnect code"),
        ({403: Disconnect(70000, "x")}, ValueError, "would reach clients as 4464"),
        ({403: Disconnect(4500, "x" * 124)}, ValueError, "the server would drop the close frame"),
        (
            {403: ReplyError(1000, "é")},
            ValueError,
            "status_to_code_transforms(): the error message for status 403 must be ASCII and at most 123 characters (Centrifugo refuses to start otherwise), got 'é'",
        ),
        (
            {403: ReplyError(1000, "x" * 124)},
            ValueError,
            "status_to_code_transforms(): the error message for status 403 must be ASCII and at most 123 characters",
        ),
        ([403], TypeError, "status_to_code_transforms() expects a mapping of HTTP status to refusal, got [403] (list)"),
    ],
)
def test_status_to_code_transforms_refuses_what_the_server_or_the_bands_would(
    mapping: Any, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        proxy.status_to_code_transforms(mapping)
    assert words in str(caught.value)


def test_an_error_message_of_exactly_123_ascii_characters_is_accepted() -> None:
    block = proxy.status_to_code_transforms({500: proxy.custom_error(1500, "m" * 123)})
    assert block[0].get("to_error", {}).get("message") == "m" * 123


@pytest.mark.parametrize(
    ("block", "error", "words"),
    [
        (
            {"status_code": 403},
            TypeError,
            "check_status_to_code_transforms() expects a list of transforms, got {'status_code': 403} (dict)",
        ),
        (
            [7],
            TypeError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] must be an object, got 7 (int)",
        ),
        (
            [{"status_code": 403, "to_error": {"code": 1000, "message": "x"}, "extra": 1}],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] has unknown keys: extra",
        ),
        (
            [{"to_error": {"code": 1000, "message": "x"}}],
            TypeError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] needs an int status_code, got None",
        ),
        (
            [{"status_code": "403", "to_error": {"code": 1000, "message": "x"}}],
            TypeError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] needs an int status_code, got '403'",
        ),
        (
            [{"status_code": 403}],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] needs exactly one of to_error or to_disconnect",
        ),
        (
            [
                {
                    "status_code": 403,
                    "to_error": {"code": 1000, "message": "x"},
                    "to_disconnect": {"code": 4500, "reason": "x"},
                }
            ],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0] needs exactly one of to_error or to_disconnect",
        ),
        (
            [{"status_code": 403, "to_error": {"message": "x"}}],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0]: ReplyError payload: field 'code' is required but missing",
        ),
        (
            [{"status_code": 403, "to_disconnect": {"code": 2000, "reason": "x"}}],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0]: custom_disconnect() expects an application disconnect code",
        ),
        (
            [{"status_code": 200, "to_error": {"code": 1000, "message": "x"}}],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[0]: status_to_code_transforms() expects HTTP statuses in 100..599 other than 200",
        ),
        (
            [
                {"status_code": 403, "to_error": {"code": 1000, "message": "x"}},
                {"status_code": 403, "to_error": {"code": 1001, "message": "y"}},
            ],
            ValueError,
            "check_status_to_code_transforms(): status_to_code_transforms[1] repeats status 403; Centrifugo applies only the first entry for a status",
        ),
        ([{"status_code": 403, "to_error": {"code": 100, "message": "x"}}], None, ""),
    ],
)
def test_check_status_to_code_transforms_names_the_entry_and_the_fault(
    block: object, error: type[Exception] | None, words: str
) -> None:
    if error is None:  # a built-in code reused with the application's message is allowed
        assert proxy.check_status_to_code_transforms(block)[0].get("to_error", {}).get("code") == 100
        return
    with pytest.raises(error) as caught:
        proxy.check_status_to_code_transforms(block)
    assert str(caught.value).startswith(words)


@pytest.mark.parametrize("status", [100, 199, 201, 599])
def test_status_to_code_transforms_takes_the_edges_of_the_status_range(status: int) -> None:
    assert proxy.status_to_code_transforms({status: proxy.custom_error(1000, "x")})[0]["status_code"] == status


def test_check_status_to_code_transforms_lists_every_unknown_key() -> None:
    block = [{"status_code": 403, "to_error": {"code": 1000, "message": "x"}, "zeta": 1, "alpha": 2}]
    with pytest.raises(ValueError) as caught:
        proxy.check_status_to_code_transforms(block)
    assert str(caught.value) == (
        "check_status_to_code_transforms(): status_to_code_transforms[0] has unknown keys: alpha, zeta"
    )


def test_a_lone_surrogate_counts_three_bytes_toward_the_close_frame_limit() -> None:
    with pytest.raises(ValueError) as caught:
        proxy.custom_disconnect(4500, "\ud800" * 42)
    assert "got non-ASCII characters; at 126 bytes" in str(caught.value)

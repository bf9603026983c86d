"""Edges of centrifugo_protocol.api that the main tests leave open.

The error messages must name the bad value and its type, so that a caller sees what
was passed; the expected words are written out here, not read from the package.
"""

from __future__ import annotations

import pytest

from centrifugo_protocol import api


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("404", "got '404' (str)"),
        (404.0, "got 404.0 (float)"),
        (None, "got None (NoneType)"),
    ],
)
def test_transport_error_codes_names_the_refused_status_and_its_type(status: object, words: str) -> None:
    with pytest.raises(TypeError) as caught:
        api.transport_error_codes(status)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value) == f"transport_error_codes() expects an int HTTP status, {words}"


def test_disconnect_request_quotes_the_too_long_reason() -> None:
    reason = "ü" * 62  # 124 bytes of UTF-8, one over the close frame's limit
    with pytest.raises(ValueError, match="got 124 bytes") as caught:
        api.disconnect_request("alice", 4000, reason)
    message = str(caught.value)
    # The refused text itself closes the message, abbreviated with its length.
    assert message.endswith("(62 in all)")
    assert "terminal code: 'üüüüü" in message

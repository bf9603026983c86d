"""A page's value that is no count: the whole error line, for huge and negative whole numbers.

A value beyond 2**53 is shown by its size in bits (its digits could fill the line),
with a minus sign only when it is negative; up to 2**53 it is shown as written.
"""

from __future__ import annotations

import pytest

from centrifugo_protocol import metrics as m

NAME = "centrifugo_client_num_server_disconnects"


def refused(value: str) -> str:
    with pytest.raises(m.MetricsError) as caught:
        m.read_text(f'{NAME}{{code="3001"}} {value}\n')
    message = str(caught.value)
    assert message.endswith("; a count must be a whole number from 0 to 2**53")
    return message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("9" * 30, "(a 100-bit number)"),
        ("-" + "9" * 30, "-(a 100-bit number)"),
        (str(2**53 + 1), "(a 54-bit number)"),
        (str(-(2**53)), str(-(2**53))),
        (str(-(2**53) - 1), "-(a 54-bit number)"),
        ("-1", "-1"),
        ("0.5", "0.5"),
    ],
)
def test_the_value_shown(value: str, shown: str) -> None:
    assert f"{NAME}{{code='3001'}} has the value {shown}; a count" in refused(value)


def test_a_bracketed_host_must_be_an_ipv6_address(capsys: pytest.CaptureFixture[str]) -> None:
    """3.10's urllib takes http://[foo]/ for a host name; the report refuses it on every Python."""
    from centrifugo_protocol.metrics import MetricsError, read

    with pytest.raises(MetricsError, match=r"^http://\[foo\]/: not a usable URL"):
        read(["http://[foo]/"], timeout=5)
    with pytest.raises(MetricsError, match=r"^http://\[::1\]:1/metrics: cannot connect"):
        read(["http://[::1]:1/metrics"], timeout=5)

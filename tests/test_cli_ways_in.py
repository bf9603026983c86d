# pyright: reportPrivateUsage=false
"""The explainer's ways in: SDK event codes, --event, names, wire texts, ranges, log lines.

The expectations come from the protocol's own rules, written here a second time:
which family each SDK event's bands belong to (as centrifuge-js fills its events),
which numbers the SDKs use for their own error events (centrifuge-js and
centrifuge-python share 1-12; from 13 up each has its own), and the tables in
``tests/spec.py``.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centrifugo_protocol._cli import main

from . import spec

#: Error-event codes of one SDK only: code -> the SDKs that use it.
SDK_SPECIFIC = {
    13: {"centrifuge-js", "centrifuge-python"},
    14: {"centrifuge-js", "centrifuge-python"},
    15: {"centrifuge-python"},
}
#: The families each state event's small codes come from, by the spec's names.
STATE_FAMILIES = {
    "connecting": "ConnectingCode",
    "disconnected": "DisconnectedCode",
    "subscribing": "SubscribingCode",
    "unsubscribed": "UnsubscribedCode",
}
EVENTS = ("connecting", "disconnected", "subscribing", "unsubscribed", "error")


def event_family(event: str, code: int) -> str:
    """The family of ``code`` in ``event``: the bands the events module documents."""
    if code < 100:
        return "client_error" if event == "error" else event
    if event == "error":
        return "error"
    if event == "subscribing":
        return "unsubscribe"
    if event == "unsubscribed":
        return "error" if code < 2000 else "unsubscribe"
    return "error" if code < 3000 else "disconnect"


def records_of(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["--json", *args]) == 0
    records: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return records


def text_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(args), prog="centrifugo-codes")
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("centrifugo-codes: error: ")
    return err


# --- 0-99: the SDKs' own codes -----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(code=st.integers(min_value=0, max_value=99))
def test_small_codes_are_explained_by_the_event_families_never_as_replies(code: int) -> None:
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--json", str(code)]) == 0
    records = json.loads(out.getvalue())
    families = [record["family"] for record in records]
    assert "error" not in families and "close" not in families
    expected = [event for event, family in STATE_FAMILIES.items() if code in spec.CLIENT_STATE_CODES[family]]
    if code in spec.CLIENT_ERROR_CODES:
        expected.append("client_error")
    expected += ["client_error"] * len(SDK_SPECIFIC.get(code, ()))
    if not expected:  # no event lists it: what error events make of an unshared number
        expected = ["client_error"]
    assert families == expected
    for record in records:
        assert record["code"] == code
        if record["family"] in STATE_FAMILIES:
            name, reason = spec.CLIENT_STATE_CODES[STATE_FAMILIES[record["family"]]][code]
            assert (record["name"], record["reason"]) == (name, reason)


def test_the_sdk_specific_error_codes_name_their_sdk(capsys: pytest.CaptureFixture[str]) -> None:
    for code, sdks in SDK_SPECIFIC.items():
        records = records_of(capsys, str(code))
        assert {record["sdk"] for record in records} == sdks
        for record in records:
            assert record["name"] is None
            assert record["sdk"] in record["description"] and record["sdk"] in record["action"]
    assert {r["sdk"] for r in records_of(capsys, "12")} == {None}
    out = text_of(capsys, "15")
    assert out.startswith("15  error-event code of centrifuge-python  (SDK error event)\n  sdk: centrifuge-python\n")
    every = [r for r in records_of(capsys) if r.get("sdk") is not None]
    assert sorted((r["code"], r["sdk"]) for r in every) == sorted(
        (code, sdk) for code, sdks in SDK_SPECIFIC.items() for sdk in sdks
    )


# --- --event ------------------------------------------------------------------------------

#: What each event says the client does next.
EVENT_ACTIONS = {
    "connecting": {"The client reconnects.", "The client fetches a new token and reconnects."},
    "disconnected": {"The client stops."},
    "subscribing": {"The client resubscribes."},
    "unsubscribed": {"The client ends the subscription."},
    "error": {"Reported in an error event: the state does not change, and the SDK retries what it can."},
}

BAND_EDGES = [0, 1, 12, 13, 15, 16, 99, 100, 109, 399, 400, 1009, 1999, 2000, 2500, 2999, 3000, 3012, 3500, 4501, 5000]


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("code", BAND_EDGES)
def test_event_reads_each_band_as_that_event_carries_it(
    capsys: pytest.CaptureFixture[str], event: str, code: int
) -> None:
    records = records_of(capsys, "--event", event, str(code))
    sdk_specific = event == "error" and code in SDK_SPECIFIC
    assert len(records) == (len(SDK_SPECIFIC[code]) if sdk_specific else 1)
    for record in records:
        assert (record["code"], record["event"]) == (code, event)
        assert record["family"] == event_family(event, code)
        assert record["action"] in EVENT_ACTIONS[event]
    text = text_of(capsys, "--event", event, str(code))
    article = "an" if event == "error" else "a"
    assert text.splitlines()[0].endswith(f"  (as {article} {event} event carries it)")


@settings(max_examples=150, deadline=None)
@given(event=st.sampled_from(EVENTS), code=st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_event_agrees_with_the_events_module_for_any_code(event: str, code: int) -> None:
    import contextlib

    from centrifugo_protocol import events

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--json", "--event", event, str(code)]) == 0
    records = json.loads(out.getvalue())
    found = getattr(events, event)(code)
    assert {record["family"] for record in records} == {event_family(event, code)}
    assert all(record["description"] == found.description for record in records if record.get("sdk") is None)
    assert all(record["name"] == getattr(found, "name", None) for record in records if record.get("sdk") is None)


def test_connecting_after_token_expired_fetches_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    (record,) = records_of(capsys, "--event", "connecting", "109")
    assert record["action"] == "The client fetches a new token and reconnects."
    (record,) = records_of(capsys, "--event", "connecting", "100")
    assert record["action"] == "The client reconnects."
    (record,) = records_of(capsys, "--event", "disconnected", "3")
    assert (record["name"], record["action"]) == ("MESSAGE_SIZE_LIMIT", "The client stops.")


def test_event_takes_codes_and_not_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--event reads the CODEs it is given" in refused(capsys, "--event", "error")
    assert "takes no --event" in refused(capsys, "--markdown", "--event", "error")
    assert "invalid choice: 'bogus'" in refused(capsys, "--event", "bogus", "1")


# --- Names and wire texts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("NO_PONG", [("disconnect", 3012)]),
        ("DisconnectCode.NO_PONG", [("disconnect", 3012)]),
        ("no_pong", [("disconnect", 3012)]),
        ("INTERNAL", [("error", 100), ("api_error", 100)]),
        ("ApiErrorCode.INTERNAL", [("api_error", 100)]),
        ("TRANSPORT_CLOSED", [("connecting", 1), ("subscribing", 1), ("client_error", 2)]),
        ("UnsubscribedCode.CLIENT_CLOSED", [("unsubscribed", 2)]),
        ("INSUFFICIENT", [("unsubscribe", 2500)]),
        ("no pong", [("disconnect", 3012)]),
        (" No Pong ", [("disconnect", 3012)]),
        ("internal server error", [("error", 100), ("api_error", 100), ("disconnect", 3004)]),
        ("transport closed", [("connecting", 1), ("subscribing", 1)]),
        ("message size limit exceeded", [("disconnected", 3)]),
        ("force reconnect", [("disconnect", 3011)]),
        ("disconnectcode.no_pong", [("disconnect", 3012)]),
        # A word that is both a name and a wire text: each member once, in family order.
        ("stale", [("disconnect", 3502)]),
        ("unauthorized", [("disconnected", 1), ("unsubscribed", 1), ("error", 101)]),
        ("UNAUTHORIZED", [("disconnected", 1), ("unsubscribed", 1), ("error", 101)]),
        ("expired", [("error", 110), ("unsubscribe", 2501), ("disconnect", 3005)]),
    ],
)
def test_names_and_wire_texts_find_their_members(
    capsys: pytest.CaptureFixture[str], argument: str, expected: list[tuple[str, int]]
) -> None:
    records = records_of(capsys, argument)
    assert [(r["family"], r["code"]) for r in records] == expected
    for record in records:
        assert record["name"] is not None


def test_wire_texts_are_the_spec_texts(capsys: pytest.CaptureFixture[str]) -> None:
    def found(argument: str) -> list[tuple[str, int]]:
        return [(r["family"], r["code"]) for r in records_of(capsys, argument)]

    for code, (name, reason, _) in spec.DISCONNECTS.items():
        assert ("disconnect", code) in found(reason), reason
        assert ("disconnect", code) in found(name), name
        assert found(f"DisconnectCode.{name}") == [("disconnect", code)]
    for code, (name, message, _) in spec.ERRORS.items():
        assert ("error", code) in found(message), message
        assert found(f"ErrorCode.{name}") == [("error", code)]
    for code, (name, reason, _) in spec.UNSUBSCRIBES.items():
        if reason:
            assert ("unsubscribe", code) in found(reason), reason
        assert found(f"UnsubscribeCode.{name}") == [("unsubscribe", code)]


def test_names_with_an_event_keep_the_families_it_carries(capsys: pytest.CaptureFixture[str]) -> None:
    records = records_of(capsys, "--event", "connecting", "TRANSPORT_CLOSED")
    assert [(r["family"], r["code"], r["event"]) for r in records] == [("connecting", 1, "connecting")]
    records = records_of(capsys, "--event", "error", "TOKEN_EXPIRED")
    assert [(r["family"], r["code"]) for r in records] == [("error", 109)]
    assert records[0]["action"] in EVENT_ACTIONS["error"]
    records = records_of(capsys, "--event", "unsubscribed", "unauthorized")
    assert [(r["family"], r["code"]) for r in records] == [("unsubscribed", 1), ("error", 101)]
    err = refused(capsys, "--event", "subscribing", "NO_PONG")
    assert err == "centrifugo-codes: error: argument CODE: 'NO_PONG' names no code that a subscribing event carries\n"


@pytest.mark.parametrize("argument", ["NOPE", "Bogus.NO_PONG", "ErrorCode.NO_PONG", "no ponq", "ÑO_PONG", "."])
def test_unknown_names_and_texts_are_refused(capsys: pytest.CaptureFixture[str], argument: str) -> None:
    err = refused(capsys, argument)
    assert f"argument CODE: {argument!r} is not a code: expected a whole number from 0 to 4294967295" in err
    assert 'a name (NO_PONG), a wire text ("no pong")' in err


# --- Ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize("argument", ["3000-3002", "3000..3002", "03000-3002"])
def test_a_range_explains_every_code_in_it(capsys: pytest.CaptureFixture[str], argument: str) -> None:
    records = records_of(capsys, argument)
    assert [(r["family"], r["code"]) for r in records] == [
        ("disconnect", 3000),
        ("disconnect", 3001),
        ("disconnect", 3002),
    ]
    assert [r["code"] for r in records_of(capsys, "--event", "error", "1..3")] == [1, 2, 3]
    assert [r["code"] for r in records_of(capsys, "7-7")] == [7]


def test_a_range_of_a_thousand_codes_is_the_most(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(records_of(capsys, "4000-4999")) == 1000
    assert refused(capsys, "4000-5000") == (
        "centrifugo-codes: error: argument CODE: '4000-5000' spans 1,001 codes: a range covers 1,000 at most\n"
    )


@pytest.mark.parametrize("argument", ["3010-3000", "1-4294967296", "1-99999999999", "0..0000000000004294967296"])
def test_a_bad_range_is_refused(capsys: pytest.CaptureFixture[str], argument: str) -> None:
    err = refused(capsys, argument)
    assert f"{argument!r} is not a range: expected two codes from 0 to 4294967295" in err
    assert "the first no larger than the second, such as 3000-3010" in err


# --- Log lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "codes"),
    [
        ('{"client":"c1","code":3012,"reason":"no pong"}', [3012]),
        ("centrifuge: disconnected code=3012 reason=no pong", [3012]),
        ("{code: 3, reason: 'message size limit exceeded'}", [3]),
        ("disconnect code 4501, then code: 3500", [4501, 3500]),
        ('"code": "109"', [109]),
    ],
)
def test_a_pasted_log_line_is_read_for_its_codes(
    capsys: pytest.CaptureFixture[str], argument: str, codes: list[int]
) -> None:
    records = records_of(capsys, argument)
    assert list(dict.fromkeys(r["code"] for r in records)) == codes  # in the order the line has them
    assert all("count" not in r for r in records)


@pytest.mark.parametrize("argument", ["code=99999999999", "code=4294967296", "errcode=5", "barcode 77", "code"])
def test_a_pasted_line_without_a_code_is_refused(capsys: pytest.CaptureFixture[str], argument: str) -> None:
    assert "a log line (code=3012)" in refused(capsys, argument)


# --- Log lines on standard input ---------------------------------------------------------

LOG = b"""\
2026-12-04T10:00:00Z INF client disconnected {"client":"a1","code":3012,"reason":"no pong"}
centrifuge: disconnected code=3012 reason="no pong"
[centrifuge] disconnected {code: 3, reason: 'message size limit exceeded'}
server: disconnect code 3012 (no pong) and "code": "4501"
Code=109 message=token expired, unicode 12, barcode 77, errcode=5, code=99999999999
code=4294967296 and code:4294967295 \xff\xfe not utf-8
"""


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, *, binary: bool = True) -> None:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdin", stream if binary else io.StringIO(data.decode("utf-8", "replace")))


@pytest.mark.parametrize("binary", [True, False], ids=["bytes", "text"])
def test_log_lines_give_each_code_once_with_its_count(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], binary: bool
) -> None:
    use_stdin(monkeypatch, LOG, binary=binary)
    records = records_of(capsys, "-")
    # Most often first; ties in the order they first appear.
    counted = [(r["code"], r["family"], r["count"]) for r in records]
    assert counted == [
        (3012, "disconnect", 3),
        (3, "connecting", 1),
        (3, "disconnected", 1),
        (3, "client_error", 1),
        (4501, "disconnect", 1),
        (109, "error", 1),
        (spec.UINT32_MAX, "disconnect", 1),
    ]


def test_log_lines_in_text_say_how_often(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    use_stdin(monkeypatch, b'{"code":3012}\ncode=3012\ncode: 3500\n')
    out = text_of(capsys, "-")
    blocks = out.split("\n\n")
    assert blocks[0].startswith("3012  DisconnectCode.NO_PONG")
    assert "\n  seen: 2 times in the input\n" in blocks[0]
    assert "\n  seen: 1 time in the input\n" in blocks[1]


def test_log_lines_read_with_an_event(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    use_stdin(monkeypatch, b"disconnected code: 3\ndisconnected code: 3\n")
    (record,) = records_of(capsys, "--event", "disconnected", "-")
    assert (record["family"], record["name"], record["count"], record["event"]) == (
        "disconnected",
        "MESSAGE_SIZE_LIMIT",
        2,
        "disconnected",
    )


def test_a_log_without_codes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    use_stdin(monkeypatch, b"nothing here: 3012\nerror 3012\n")
    assert text_of(capsys, "-") == "No code found in the input.\n"
    use_stdin(monkeypatch, b"")
    assert records_of(capsys, "-") == []


def test_a_closed_stdin_is_a_bad_argument(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert "- reads log lines from standard input, which is closed" in refused(capsys, "-")


def test_an_unreadable_stdin_is_a_bad_argument(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Unreadable(io.StringIO):
        def __iter__(self) -> Any:
            raise OSError(errno.EISDIR, "Is a directory")

    monkeypatch.setattr(sys, "stdin", Unreadable())
    assert (
        refused(capsys, "-") == "centrifugo-codes: error: argument CODE: - cannot read standard input: Is a directory\n"
    )


def test_log_lines_through_the_real_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "centrifugo_protocol", "--json", "-", "3500"],
        input=LOG,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records[0]["code"] == 3012 and records[0]["count"] == 3
    assert records[-1] == {**records[-1], "code": 3500, "name": "INVALID_TOKEN"}
    assert "count" not in records[-1]


# --- Wording held against a reviewed copy ------------------------------------------------

#: What each SDK-specific error event means, as the command says it (ground truth: the
#: SDKs' error-code tables; centrifuge-js 13 subscription get state, 14 shared poll get
#: signature; centrifuge-python 13 connect error, 14 subscribe error, 15 subscription
#: get state).
SDK_MEANINGS = {
    (13, "centrifuge-js"): "getting a subscription's state (its stream position) from the application failed",
    (14, "centrifuge-js"): "getting the signature for a shared poll subscription failed",
    (13, "centrifuge-python"): "connecting failed with an error the SDK reports as an event",
    (14, "centrifuge-python"): "subscribing failed with an error the SDK reports as an event",
    (15, "centrifuge-python"): "getting a subscription's state (its stream position) from the application failed",
}


def test_sdk_specific_error_codes_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    for (code, sdk), meaning in SDK_MEANINGS.items():
        (record,) = [r for r in records_of(capsys, str(code)) if r["sdk"] == sdk]
        assert record["description"] == (
            f"With {sdk}, error event {code}: {meaning}. Other SDKs use this number for "
            "something else or not at all; the SDKs share only 1-12."
        )
        assert record["action"] == f"Reported by {sdk} itself in an error event; the server never sends it."


def test_every_event_family_has_its_title(capsys: pytest.CaptureFixture[str]) -> None:
    titles = [line for line in text_of(capsys, "0", "12").splitlines() if line[:1].isdigit()]
    assert titles == [
        "0  ConnectingCode.CONNECT_CALLED  (SDK connecting event)",
        "0  DisconnectedCode.DISCONNECT_CALLED  (SDK disconnected event)",
        "0  SubscribingCode.SUBSCRIBE_CALLED  (SDK subscribing event)",
        "0  UnsubscribedCode.UNSUBSCRIBE_CALLED  (SDK unsubscribed event)",
        "12  ClientErrorCode.BAD_CONFIGURATION  (SDK error event)",
    ]
    assert text_of(capsys, "--event", "connecting", "50").splitlines()[0] == (
        "50  ConnectingCode, not a listed code  (as a connecting event carries it)"
    )

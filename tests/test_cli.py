# pyright: reportPrivateUsage=false
"""The command line: output, JSON, Markdown, exit codes, and what it costs to import."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centrifugo_protocol._cli import main

from . import spec

if TYPE_CHECKING:
    from centrifugo_protocol._codes import CodeEnum


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "centrifugo_protocol", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["--json", *args]) == 0
    records: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return records


# --- Subprocess: the real command ------------------------------------------------------


def test_explains_a_disconnect_code() -> None:
    result = run("3012")
    assert result.returncode == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "3012  DisconnectCode.NO_PONG  (disconnect push or close frame)"
    assert '  reason: "no pong"' in lines
    assert "  reconnect: yes" in lines
    # The description already says what the client does; it is not said twice.
    assert " ".join(result.stdout.split()).count("The client reconnects.") == 1
    assert not any(line.startswith("  -> ") for line in lines)


@pytest.mark.parametrize("bad", ["abc", "-1", "3.5", "4294967296", "99999999999999999999", "", " 1", "١٢", "0x10"])
def test_bad_input_exits_2_with_one_line_naming_it(bad: str) -> None:
    result = run("3012", bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("python -m centrifugo_protocol: error: argument CODE: ")
    assert repr(bad) in result.stderr
    assert "expected a whole number from 0 to 4294967295" in result.stderr


def test_no_arguments_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert (
        result.stderr
        == "python -m centrifugo_protocol: error: give at least one CODE (or --json / --markdown for every code)\n"
    )


def test_markdown_takes_no_code() -> None:
    result = run("--markdown", "3012")
    assert result.returncode == 2
    assert "--markdown prints every table and takes no CODE" in result.stderr


def test_json_and_markdown_exclude_each_other() -> None:
    result = run("--json", "--markdown")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_help_explains_usage_with_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "usage: python -m centrifugo_protocol" in result.stdout
    assert "examples:" in result.stdout
    assert "python -m centrifugo_protocol 3012" in result.stdout


def test_console_script_is_installed() -> None:
    script = os.path.join(os.path.dirname(sys.executable), "centrifugo-codes")
    result = subprocess.run([script, "4501"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("4501  DisconnectCode, not a listed code")
    assert "  reconnect: no" in result.stdout


def test_module_main_runs_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["centrifugo_protocol", "2500"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("centrifugo_protocol", run_name="__main__")
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("2500  UnsubscribeCode.INSUFFICIENT")


def test_no_module_needs_typing_extensions_at_run_time() -> None:
    code = (
        "import sys, centrifugo_protocol.classify, centrifugo_protocol.wire, centrifugo_protocol.proxy\n"
        "import centrifugo_protocol._cli\n"
        "print('typing_extensions' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_importing_the_package_pulls_in_no_cli_json_or_argparse() -> None:
    code = (
        "import sys, centrifugo_protocol, centrifugo_protocol.classify\n"
        "heavy = {'argparse', 'json', 'centrifugo_protocol._cli', 'dataclasses', 'http', 'typing_extensions'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


# --- In process: content ------------------------------------------------------------------


def test_104_is_both_a_client_error_and_an_api_error(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys, "104")
    assert [(r["family"], r["name"]) for r in records] == [("error", "METHOD_NOT_FOUND"), ("api_error", "NOT_FOUND")]
    error, api = records
    assert error["message"] == "method not found"
    assert error["temporary"] is False
    assert api["message"] == "not found"
    assert (api["http_status"], api["grpc_status"]) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("code", "reconnect", "words"),
    [("4001", True, "reconnect band"), ("4501", False, "terminal band"), ("5000", True, "from 5000 up")],
)
def test_custom_disconnects_follow_the_range_rule(
    capsys: pytest.CaptureFixture[str], code: str, reconnect: bool, words: str
) -> None:
    (record,) = run_json(capsys, code)
    assert record["family"] == "disconnect"
    assert record["name"] is None and record["reason"] is None
    assert record["reconnect"] is reconnect
    assert words in record["description"]
    assert record["action"] == ("The client reconnects." if reconnect else "The client stops.")


def test_text_for_an_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["4501"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4501  DisconnectCode, not a listed code  (disconnect push or close frame)\n")
    assert "reason:" not in out
    assert "  reconnect: no\n" in out
    assert out.count("does not reconnect") == 1
    assert " -> " not in out


def test_1009_is_an_app_error_and_a_terminal_close(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys, "1009")
    assert [r["family"] for r in records] == ["error", "close"]
    error, close = records
    assert error["name"] is None and error["temporary"] is None
    assert "With temporary=true on the wire, the client retries instead." in error["action"]
    assert close["reconnect"] is False
    assert close["reason"] == spec.MESSAGE_SIZE_LIMIT_REASON
    (other,) = [r for r in run_json(capsys, "1006") if r["family"] == "close"]
    assert other["reconnect"] is True and other["reason"] == "transport closed"


def test_error_actions_come_from_classify(capsys: pytest.CaptureFixture[str]) -> None:
    by_code = {r["code"]: r for r in run_json(capsys, "100", "109", "112", "103", "5") if r["family"] == "error"}
    assert by_code[100]["action"] == "On connect, the client reconnects; on subscribe, the client resubscribes."
    assert by_code[109]["action"] == (
        "On connect, the client fetches a new token and reconnects; "
        "on subscribe, the client fetches a new token and resubscribes."
    )
    assert by_code[112]["action"] == (
        "On connect, the client stops; "
        "on subscribe, the client ends the subscription; "
        "if the application can rebuild the channel's state, the client resubscribes, after dropping cached stream positions."
    )
    assert by_code[103]["action"] == "On connect, the client stops; on subscribe, the client ends the subscription."
    # 0-99 are the SDKs' own codes: never explained as an error reply.
    assert 5 not in by_code


def test_unsubscribe_records(capsys: pytest.CaptureFixture[str]) -> None:
    records = {r["code"]: r for r in run_json(capsys, "2000", "2502", "2600") if r["family"] == "unsubscribe"}
    assert records[2000]["resubscribe"] is False
    assert records[2000]["action"] == "The client ends the subscription."
    assert (
        records[2502]["action"]
        == "The client fetches a new token and resubscribes, after dropping cached stream positions."
    )
    assert records[2600]["name"] is None and records[2600]["resubscribe"] is True


def test_small_codes_are_the_sdks_event_codes(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys, "3")
    assert [(r["family"], r["name"]) for r in records] == [
        ("connecting", "SUBSCRIBE_TIMEOUT"),
        ("disconnected", "MESSAGE_SIZE_LIMIT"),
        ("client_error", "CLIENT_DISCONNECTED"),
    ]
    assert main(["3"]) == 0
    out = capsys.readouterr().out
    assert "3  ClientErrorCode.CLIENT_DISCONNECTED  (SDK error event)" in out
    assert "ErrorCode," not in out and "error in a reply" not in out


def test_json_without_codes_lists_every_known_code(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys)
    by_family: dict[str, set[int]] = {}
    for record in records:
        by_family.setdefault(record["family"], set()).add(record["code"])
        # Only the error-event codes of one SDK have no name: their SDK is named instead.
        assert (record["name"] is None) is (record.get("sdk") is not None), record
        assert record["description"]
    states = {family.removesuffix("Code").lower(): set(codes) for family, codes in spec.CLIENT_STATE_CODES.items()}
    assert sum(map(len, states.values())) == 14
    assert by_family == {
        **states,
        "error": set(spec.ERRORS),
        "client_error": set(spec.CLIENT_ERROR_CODES) | {13, 14, 15},
        "unsubscribe": set(spec.UNSUBSCRIBES),
        "disconnect": set(spec.DISCONNECTS),
        "api_error": set(spec.API_ERRORS),
    }
    for record in records:
        if record["family"] == "disconnect":
            assert record["reason"] == spec.DISCONNECTS[record["code"]][1]
            assert record["reconnect"] is spec.DISCONNECTS[record["code"]][2]
        if record["family"] == "error":
            assert (record["message"], record["temporary"]) == spec.ERRORS[record["code"]][1:]


def test_json_keys_per_family(capsys: pytest.CaptureFixture[str]) -> None:
    keys = {r["family"]: set(r) for r in run_json(capsys, "104", "1006", "2500", "3012", "3")}
    common = {"family", "code", "name", "description", "action"}
    # A member's record says when it is sent; a close code is no member, so it has none.
    assert keys["error"] == common | {"message", "temporary", "causes"}
    assert keys["api_error"] == common | {"message", "http_status", "grpc_status", "causes"}
    assert keys["unsubscribe"] == common | {"reason", "resubscribe", "causes"}
    assert keys["disconnect"] == common | {"reason", "reconnect", "causes"}
    assert keys["close"] == common | {"reason", "reconnect"}
    assert keys["client_error"] == common | {"sdk", "causes"}


def test_markdown_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    out = capsys.readouterr().out
    for code, (name, message, temporary) in spec.ERRORS.items():
        assert f'| {code} | `{name}` | "{message}" | {"yes" if temporary else "no"} |' in out
    for code, (name, reason, reconnect) in spec.DISCONNECTS.items():
        assert f'| {code} | `{name}` | "{reason}" | {"yes" if reconnect else "no"} |' in out
    for code, (name, reason, resubscribe) in spec.UNSUBSCRIBES.items():
        shown = f'"{reason}"' if reason else "(none defined)"
        assert f"| {code} | `{name}` | {shown} | {'yes' if resubscribe else 'no'} |" in out
    for code, (name, message, http, grpc) in spec.API_ERRORS.items():
        assert f'| {code} | `{name}` | "{message}" | {http} | `{grpc}` |' in out
    for family, members in spec.CLIENT_STATE_CODES.items():
        assert f"`{family}`:" in out
        for code, (name, reason) in members.items():
            assert f'| {code} | `{name}` | "{reason}" |' in out
    for code, name in spec.CLIENT_ERROR_CODES.items():
        assert f"| {code} | `{name}` |" in out
    assert "Terminal (the client stops) in 3500-3999 and 4500-4999" in out


@settings(max_examples=200)
@given(code=st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_every_uint32_is_explained(code: int) -> None:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["--json", str(code)]) == 0
    records = json.loads(buffer.getvalue())
    assert records, code
    for record in records:
        assert record["code"] == code
        if record["family"] == "disconnect":
            assert record["reconnect"] is spec.reconnects(code)
        if record["family"] == "unsubscribe":
            assert record["resubscribe"] is spec.resubscribes(code)


def _names_and_texts() -> tuple[set[str], set[str]]:
    """Every member name (bare and qualified) and wire text, from the spec's tables."""
    tables: dict[str, dict[int, tuple[str, ...]]] = {
        "ErrorCode": {code: row[:2] for code, row in spec.ERRORS.items()},
        "UnsubscribeCode": {code: row[:2] for code, row in spec.UNSUBSCRIBES.items()},
        "DisconnectCode": {code: row[:2] for code, row in spec.DISCONNECTS.items()},
        "ApiErrorCode": {code: row[:2] for code, row in spec.API_ERRORS.items()},
        "ClientErrorCode": {code: (name,) for code, name in spec.CLIENT_ERROR_CODES.items()},
    }
    for family, members in spec.CLIENT_STATE_CODES.items():
        tables[family] = dict(members)
    names: set[str] = set()
    texts: set[str] = set()
    for family, rows in tables.items():
        for row in rows.values():
            names |= {row[0], f"{family}.{row[0]}"}
            texts |= {text.casefold() for text in row[1:2] if text}
    return names, texts


NAMES, TEXTS = _names_and_texts()


def _is_range(arg: str) -> bool:
    import re

    bounds = re.fullmatch(r"([0-9]+)(?:-|\.\.)([0-9]+)", arg)
    if bounds is None:
        return False
    first, last = (part.lstrip("0") or "0" for part in bounds.groups())
    if len(first) > 10 or len(last) > 10:
        return False
    return int(first) <= int(last) <= spec.UINT32_MAX and int(last) - int(first) < 1000


@settings(max_examples=300)
@given(
    arg=st.one_of(
        st.text(max_size=30),
        st.text(min_size=500, max_size=2000),
        st.from_regex(r"-?[0-9]{1,40}", fullmatch=True),
        st.from_regex(r"[0-9]{1,12}(-|\.\.)[0-9]{1,12}", fullmatch=True),
        st.sampled_from(sorted(NAMES | TEXTS)),
        st.integers(min_value=4000, max_value=4400).map(lambda n: "1" * n),
        st.integers(min_value=10, max_value=5000).map(lambda n: "0" * n + "7"),
    ).filter(lambda arg: arg != "-")
)
def test_any_argument_is_a_code_or_a_clean_error(arg: str) -> None:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status: object
        try:
            status = main(["--json", "--", arg])
        except SystemExit as exit_:
            status = exit_.code
    significant = arg.lstrip("0") if arg.isascii() and arg.isdigit() else None
    # Compared as decimal strings: int() refuses more than 4,300 digits.
    is_code = significant is not None and (len(significant), significant) <= (10, str(spec.UINT32_MAX))
    is_name = arg.isascii() and (
        arg.upper() in NAMES or arg.rpartition(".")[0] + "." + arg.rpartition(".")[2].upper() in NAMES
    )
    import re

    # A log line: "code" as a word, then a number of at most ten digits that fits a uint32.
    logged = [
        number
        for number in re.findall(r"""(?i)\bcode\b["']?\s*[:=]?\s*["']?([0-9]+)""", arg)
        if len(number) <= 10 and int(number) <= spec.UINT32_MAX
    ]
    if is_code or is_name or arg.strip().casefold() in TEXTS or _is_range(arg) or logged:
        assert status == 0, err.getvalue()
        assert json.loads(out.getvalue())
    else:
        assert status == 2
        assert err.getvalue().count("\n") == 1
        assert "is not a" in err.getvalue() or "spans" in err.getvalue()


def test_in_process_errors_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["4294967296"], prog="centrifugo-codes")
    assert caught.value.code == 2
    assert capsys.readouterr().err == (
        "centrifugo-codes: error: argument CODE: '4294967296' is not a code: expected a whole number from 0 to "
        '4294967295, a range (3000-3010), a name (NO_PONG), a wire text ("no pong"), a log line (code=3012) '
        "or - (log lines on standard input)\n"
    )
    with pytest.raises(SystemExit):
        main([], prog="centrifugo-codes")
    assert "give at least one CODE" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--markdown", "1"], prog="centrifugo-codes")
    assert "takes no CODE" in capsys.readouterr().err
    assert main(["104"]) == 0
    out = capsys.readouterr().out
    assert "104  ApiErrorCode.NOT_FOUND  (server HTTP/gRPC API error)\n" in out
    assert "  http_status: 404\n" in out
    assert '  grpc_status: "NOT_FOUND"\n' in out


def test_outcome_words_are_the_shared_vocabulary() -> None:
    from centrifugo_protocol import _cli, classify

    assert _cli._client_action(classify.on_refresh_error(100, temporary=True)) == "the client retries later"
    assert (
        _cli._subscription_action(classify.on_subscription_refresh_error(100, temporary=True))
        == "the client retries later"
    )
    assert _cli._client_action(classify.on_disconnect(3500)) == "the client stops"
    assert _cli._subscription_action(classify.on_unsubscribe(2000)) == "the client ends the subscription"


def _fill(text: str, indent: str = "  ", first: str | None = None) -> str:
    """``text`` wrapped to 80 columns, as the command wraps it (a second implementation)."""
    import textwrap

    return textwrap.fill(text, 80, initial_indent=first or indent, subsequent_indent=indent, break_on_hyphens=False)


def _sent(member: CodeEnum) -> str:
    """The "sent when" lines under a member's explanation (a second implementation),
    with the newline that joins them to the lines above; "" without causes."""
    from centrifugo_protocol import _causes

    if not _causes.causes_of(member):
        return ""
    lines = ["  sent when (measured on Centrifugo v6.9.1):"]
    note = _causes.no_builtin_sender(member)
    if note is not None:
        lines.append(_fill(note))
    for cause in _causes.causes_of(member):
        lines.append(_fill(f"{cause.situation} [{cause.kind.value}: {cause.involves}]", "    ", first="  - "))
        if cause.fix is not None:
            lines.append(_fill(f"fix: {cause.fix}", "      ", first="    "))
        if cause.untriggerable is not None:
            lines.append(_fill(f"not provable live: {cause.untriggerable.text}", "      ", first="    "))
    return "\n" + "\n".join(lines)


def test_text_output_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    from centrifugo_protocol import (
        ApiErrorCode,
        ClientErrorCode,
        ConnectingCode,
        DisconnectCode,
        DisconnectedCode,
        ErrorCode,
        UnknownDisconnectCode,
        UnsubscribeCode,
    )

    assert main(["100", "3", "2000", "3000", "4501"]) == 0
    expected = f"""\
100  ErrorCode.INTERNAL  (error in a reply to a client command)
  message: "internal server error"
  temporary: yes
{_fill(ErrorCode.INTERNAL.description)}
  -> On connect, the client reconnects; on subscribe, the client resubscribes.{_sent(ErrorCode.INTERNAL)}

100  ApiErrorCode.INTERNAL  (server HTTP/gRPC API error)
  message: "internal server error"
  http_status: 500
  grpc_status: "INTERNAL"
  The server failed while handling the API call; trying again later may work.
  -> A server API reply; in transport error mode HTTP 500, gRPC INTERNAL.{_sent(ApiErrorCode.INTERNAL)}

3  ConnectingCode.SUBSCRIBE_TIMEOUT  (SDK connecting event)
  reason: "subscribe timeout"
{_fill(ConnectingCode.SUBSCRIBE_TIMEOUT.description)}{_sent(ConnectingCode.SUBSCRIBE_TIMEOUT)}

3  DisconnectedCode.MESSAGE_SIZE_LIMIT  (SDK disconnected event)
  reason: "message size limit exceeded"
{_fill(DisconnectedCode.MESSAGE_SIZE_LIMIT.description)}{_sent(DisconnectedCode.MESSAGE_SIZE_LIMIT)}

3  ClientErrorCode.CLIENT_DISCONNECTED  (SDK error event)
{_fill(ClientErrorCode.CLIENT_DISCONNECTED.description)}
  -> Reported by an SDK itself in an error event; the server never sends it.{_sent(ClientErrorCode.CLIENT_DISCONNECTED)}

2000  UnsubscribeCode.SERVER  (unsubscribe push)
  reason: "server unsubscribe"
  resubscribe: no
{_fill(UnsubscribeCode.SERVER.description)}
  -> The client ends the subscription.{_sent(UnsubscribeCode.SERVER)}

2000  close code, not a listed code  (WebSocket close frame)
  reason: "transport closed"
  reconnect: yes
  A close code of the transport itself (below 3000), not one Centrifugo assigns;
  SDKs report it with client code 1 'transport closed'.
  -> The client reconnects.

3000  DisconnectCode.CONNECTION_CLOSED  (disconnect push or close frame)
  reason: "connection closed"
  reconnect: yes
{_fill(DisconnectCode.CONNECTION_CLOSED.description)}{_sent(DisconnectCode.CONNECTION_CLOSED)}

4501  DisconnectCode, not a listed code  (disconnect push or close frame)
  reconnect: no
{_fill(UnknownDisconnectCode(4501).description)}
"""
    assert capsys.readouterr().out == expected


def test_unknown_app_error_text_mentions_the_wire_flag(capsys: pytest.CaptureFixture[str]) -> None:
    (record,) = [r for r in run_json(capsys, "1009") if r["family"] == "error"]
    assert record["action"] == (
        "On connect, the client stops; on subscribe, the client ends the subscription. "
        "With temporary=true on the wire, the client retries instead."
    )
    (close,) = [r for r in run_json(capsys, "1009") if r["family"] == "close"]
    assert close["description"] == (
        "A close code of the transport itself (below 3000), not one Centrifugo assigns; "
        "SDKs report it with client code 3 'message size limit exceeded'."
    )
    assert close["action"] == "The client stops."


def test_json_is_indented_by_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "2000"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('[\n  {\n    "family": "unsubscribe",\n    "code": 2000,\n')
    assert out.endswith("\n  }\n]\n")


def test_help_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"], prog="centrifugo-codes")
    assert caught.value.code == 0
    raw = capsys.readouterr().out
    # The examples keep their own line breaks and columns.
    assert "\n  centrifugo-codes 3012\n      what a disconnect with code 3012 means\n" in raw
    assert all(len(line) <= 80 for line in raw.splitlines())
    assert "\nUnknown codes are explained by the protocol's range rules: 4000-4499 are an\n" in raw
    out = " ".join(raw.split())
    for words in (
        "usage: centrifugo-codes [-h] [--version] [--json | --markdown] [--event EVENT] [CODE ...]",
        "--version show program's version number and exit",
        "Explain Centrifugo protocol codes: the codes SDKs report with their events, client errors, unsubscribes, "
        "disconnects, transport closes and server API errors, and what a client does after each.",
        "CODE a code (0-4294967295), a range A-B, a name, a wire text, a log line, or - for log lines on stdin",
        "connecting, disconnected, subscribing, unsubscribed, error",
        "--json print a JSON list of objects, one per family a code is in",
        "--markdown print the reference tables of every family",
        "examples: centrifugo-codes 3012 what a disconnect with code 3012 means",
        "centrifugo-codes --event disconnected 3 3 as a disconnected event carries it",
        "centrifugo-codes --markdown the reference tables of every family",
        "4500-4999 its terminal ones",
    ):
        assert words in out


def test_errors_name_the_program_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--markdown", "1"], prog="centrifugo-codes")
    assert capsys.readouterr().err == "centrifugo-codes: error: --markdown prints every table and takes no CODE\n"
    with pytest.raises(SystemExit):
        main([], prog="centrifugo-codes")
    assert capsys.readouterr().err == (
        "centrifugo-codes: error: give at least one CODE (or --json / --markdown for every code)\n"
    )


def test_table_cells_escape_pipes() -> None:
    from centrifugo_protocol import _cli

    assert _cli._cell("a|b") == "a\\|b"
    assert _cli._cell(3) == "3"


def test_version_names_the_program(capsys: pytest.CaptureFixture[str]) -> None:
    import centrifugo_protocol

    with pytest.raises(SystemExit) as caught:
        main(["--version"], prog="centrifugo-codes")
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"centrifugo-codes {centrifugo_protocol.__version__}\n"


def test_2502_has_no_reason_of_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    (record,) = [r for r in run_json(capsys, "2502") if r["family"] == "unsubscribe"]
    assert record["name"] == "STATE_INVALIDATED"
    assert record["reason"] is None
    assert spec.STATE_INVALIDATED_SENDER_REASON in str(record["description"])
    assert main(["2502"]) == 0
    block = capsys.readouterr().out.split("\n\n")[0]
    assert "  reason: none defined by the server; each sender chooses its own\n" in block
    assert spec.NOT_2502_REASON not in block
    (every,) = [r for r in run_json(capsys) if r["family"] == "unsubscribe" and r["code"] == 2502]
    assert every["reason"] is None
    assert main(["--markdown"]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 2502 |")]
    assert "| (none defined) |" in row and spec.NOT_2502_REASON not in row
    # 3014 keeps its text.
    (disconnect,) = run_json(capsys, "3014")
    assert disconnect["reason"] == spec.NOT_2502_REASON


@pytest.mark.parametrize("code", sorted(spec.ERRORS))
def test_error_actions_use_the_built_in_temporary_flag(capsys: pytest.CaptureFixture[str], code: int) -> None:
    (record,) = [r for r in run_json(capsys, str(code)) if r["family"] == "error"]
    temporary = spec.ERRORS[code][2]
    assert record["temporary"] is temporary
    if code == 109:
        expected = "On connect, the client fetches a new token and reconnects"
    elif temporary:
        expected = "On connect, the client reconnects"
    else:
        expected = "On connect, the client stops"
    assert str(record["action"]).startswith(expected + ";")


KNOWN_AND_SOME_UNKNOWN = [
    *map(str, spec.ERRORS), *map(str, spec.UNSUBSCRIBES), *map(str, spec.DISCONNECTS), *map(str, spec.API_ERRORS),
    "3", "50", "400", "1006", "1009", "2001", "2600", "3600", "4001", "4501", "5000",
]  # fmt: skip


def test_text_says_each_action_once(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys, *KNOWN_AND_SOME_UNKNOWN)
    assert main(KNOWN_AND_SOME_UNKNOWN) == 0
    blocks = capsys.readouterr().out.rstrip("\n").split("\n\n")
    assert len(blocks) == len(records)
    for record, block in zip(records, blocks, strict=True):
        action = str(record["action"]).rstrip(".")
        assert " ".join(block.split()).lower().count(action.lower()) == 1, block
        arrows = [line for line in block.splitlines() if line.startswith("  -> ")]
        assert len(arrows) <= 1
        if not arrows:
            assert action.lower() in str(record["description"]).lower()
        assert all(len(line) <= 80 for line in block.splitlines()), block


def test_metrics_is_dispatched_to_its_own_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import centrifugo_protocol

    calls: list[tuple[list[str], str]] = []

    def fake_main(argv: list[str], prog: str) -> int:
        calls.append((argv, prog))
        return 7

    fake = types.ModuleType("centrifugo_protocol._metrics")
    fake.main = fake_main  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    monkeypatch.setitem(sys.modules, "centrifugo_protocol._metrics", fake)
    monkeypatch.setattr(centrifugo_protocol, "_metrics", fake, raising=False)
    assert main(["metrics", "http://localhost:8000/metrics", "--json"], prog="x") == 7
    assert main(["metrics"]) == 7
    assert calls == [(["http://localhost:8000/metrics", "--json"], "x"), ([], "centrifugo-codes")]
    calls.clear()
    # Options before the subcommand's name go to it.
    assert main(["--json", "metrics", "f.prom"]) == 7
    assert main(["--event", "error", "metrics", "f.prom"]) == 7
    assert calls == [(["--json", "f.prom"], "centrifugo-codes"), (["--event", "error", "f.prom"], "centrifugo-codes")]
    calls.clear()
    # "metrics" anywhere else is a CODE (and not a name or text of any code).
    for argv in (["3012", "metrics"], ["--", "metrics"], ["--json", "-", "metrics"], ["--event", "metrics"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2, argv
    assert calls == []


GOLDEN_TABLES = Path(__file__).resolve().parent / "golden" / "reference-tables.md"


def test_markdown_is_the_reviewed_reference(capsys: pytest.CaptureFixture[str]) -> None:
    # The documentation site generates its code reference from this output at build
    # time, so the output itself is held against a reviewed copy: a change in wording,
    # order or layout shows up here as a diff to read. After a deliberate change:
    #   CENTRIFUGO_UPDATE_GOLDEN=1 python -m pytest tests/test_cli.py
    assert main(["--markdown"]) == 0
    out = capsys.readouterr().out
    if os.environ.get("CENTRIFUGO_UPDATE_GOLDEN") == "1":
        GOLDEN_TABLES.write_text(out, encoding="utf-8")
    assert out == GOLDEN_TABLES.read_text(encoding="utf-8")


def test_json_gives_each_members_causes(capsys: pytest.CaptureFixture[str]) -> None:
    from centrifugo_protocol import DisconnectCode

    (record,) = run_json(capsys, "3501")
    causes = record["causes"]
    assert [cause["id"] for cause in causes] == [cause.id for cause in DisconnectCode.BAD_REQUEST.causes]
    assert causes[0]["id"] == "disconnect.3501.no-credentials"  # the usual 3501 comes first
    for cause in causes:
        assert set(cause) == {"id", "situation", "kind", "involves", "fix", "sender", "untriggerable"}
        assert cause["sender"] == "client" or cause["untriggerable"] is None


def test_text_says_when_a_member_is_sent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["3501", "4501"]) == 0
    first, unknown = capsys.readouterr().out.split("\n\n")
    assert "  sent when (measured on Centrifugo v6.9.1):\n  - A client connected with no token" in first
    assert "    fix: Add the namespace to channel.namespaces" in first
    assert "sent when" not in unknown  # a custom code has no causes the package could know

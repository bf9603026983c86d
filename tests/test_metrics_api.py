# pyright: reportPrivateUsage=false
"""The public :mod:`centrifugo_protocol.metrics` API, the server API family, and the command's rough edges.

Expected counts are written out by hand from the pages below. The server API page's
names and labels are those a real Centrifugo v6.9.1 wrote (``tests/live`` checks them
against the running server): ``centrifugo_api_command_errors_total`` with
``protocol``, ``method`` and ``error``, where ``error`` is the code as text or the
stage that failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import ApiErrorCode, DisconnectCode, ErrorCode, UnknownApiErrorCode, UnknownDisconnectCode
from centrifugo_protocol import metrics as m
from centrifugo_protocol._cli import main as cli_main
from centrifugo_protocol._command import ClosedOutputError, write_lines
from centrifugo_protocol.metrics import _main, _sources

if TYPE_CHECKING:
    from collections.abc import Iterator

SAMPLES = Path(__file__).resolve().parent / "metrics_samples"
PROG = "centrifugo-codes"
ERROR_PREFIX = "centrifugo-codes metrics: error: "

API_PAGE = """\
# HELP centrifugo_api_command_errors_total Total errors in API commands.
# TYPE centrifugo_api_command_errors_total counter
centrifugo_api_command_errors_total{error="102",method="publish",protocol="http"} 4
centrifugo_api_command_errors_total{error="102",method="broadcast",protocol="grpc"} 1
centrifugo_api_command_errors_total{error="107",method="publish",protocol="http"} 2
centrifugo_api_command_errors_total{error="unmarshal",method="publish",protocol="http"} 3
centrifugo_api_command_errors_total{error="read_body",method="history",protocol="http"} 1
centrifugo_api_command_errors_total{error="marshal",method="info",protocol="grpc"} 1
centrifugo_api_command_errors_total{error="150",method="rpc",protocol="consuming"} 2
centrifugo_api_command_errors_total{error="108",method="presence",protocol="http"} 0
centrifugo_api_command_errors_total{error="x y",method="info",protocol="http"} 1
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = _main.main(list(args), PROG)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "")
    assert err.startswith(ERROR_PREFIX) and err.count("\n") == 1
    return err[len(ERROR_PREFIX) : -1]


@pytest.fixture
def api_page(tmp_path: Path) -> str:
    path = tmp_path / "api.prom"
    path.write_text(API_PAGE, encoding="utf-8")
    return str(path)


# --- The server API family ----------------------------------------------------------------


def test_api_errors_are_counted_per_error_and_method(api_page: str) -> None:
    report = m.read([api_page])
    found = report.family(m.Family.API_ERRORS)
    assert found.metric == "api_command_errors_total"
    assert found.total == 4 + 1 + 2 + 3 + 1 + 1 + 2 + 1
    assert {row.label: row.count for row in found.rows} == {
        "102": 5,
        "107": 2,
        "unmarshal": 3,
        "read_body": 1,
        "marshal": 1,
        "150": 2,
        "x y": 1,
    }
    rows = {row.label: row for row in found.rows}
    assert rows["102"].methods == (
        m.MethodCount("publish", 4, "-", "http"),
        m.MethodCount("broadcast", 1, "-", "grpc"),
    )
    assert found.count(102) == 5 and found.count("unmarshal") == 3 and found.count(108) == 0
    assert report.nodes[0].totals[m.Family.API_ERRORS] == found.total
    assert report.nodes[0].totals[m.Family.DISCONNECTS] == 0


def test_api_codes_are_explained_with_api_error_code(api_page: str) -> None:
    rows = {row.label: row for row in m.read([api_page]).family(m.Family.API_ERRORS).rows}
    known = rows["102"]
    assert known.member is ApiErrorCode.UNKNOWN_CHANNEL
    assert (known.code, known.kind, known.name) == (102, "known", "UNKNOWN_CHANNEL")
    assert known.meaning == ApiErrorCode.UNKNOWN_CHANNEL.description
    assert known.client == f"HTTP {int(ApiErrorCode.UNKNOWN_CHANNEL.http_status)}" == "HTTP 404"
    assert rows["107"].client == "HTTP 400"
    unlisted = rows["150"]
    assert isinstance(unlisted.member, UnknownApiErrorCode) and unlisted.member.code == 150
    assert (unlisted.kind, unlisted.name, unlisted.client) == ("unlisted", None, "HTTP 500")
    assert unlisted.meaning == ApiErrorCode.lookup(150).description


def test_api_stages_are_explained_as_what_they_are(api_page: str) -> None:
    rows = {row.label: row for row in m.read([api_page]).family(m.Family.API_ERRORS).rows}
    for stage, words in (("read_body", "read"), ("unmarshal", "decoded"), ("marshal", "encode")):
        row = rows[stage]
        assert (row.code, row.member, row.kind, row.name) == (None, None, "stage", stage)
        assert words in row.meaning
    assert rows["unmarshal"].client == "HTTP 400"  # what v6.9.1 answers a body it cannot decode
    assert rows["read_body"].client == rows["marshal"].client == "-"
    odd = rows["x y"]
    assert (odd.code, odd.kind, odd.name, odd.member) == (None, "invalid", None, None)


def test_api_errors_in_text_and_json(capsys: pytest.CaptureFixture[str], api_page: str) -> None:
    status, out, _err = run(capsys, api_page)
    assert status == 0
    assert "Server API errors (centrifugo_api_command_errors_total): 15\n" in out
    assert "\n  code       name or range      count   share  status\n" in out
    assert "\n  102        UNKNOWN_CHANNEL        5   33.3%  HTTP 404\n" in out
    assert "\n  unmarshal  stage of the call      3   20.0%  HTTP 400\n" in out
    assert "\n  'x y'      not a code             1    6.7%  -\n" in out
    assert "by method: http publish 4, grpc broadcast 1\n" in out
    for line in out.splitlines():
        assert len(line) <= 80
    status, out, _err = run(capsys, "--json", api_page)
    family = json.loads(out)["families"][4]
    assert (family["family"], family["metric"], family["total"]) == ("api_errors", "api_command_errors_total", 15)
    first = family["codes"][0]
    assert first["methods"] == [
        {"method": "publish", "protocol": "http", "count": 4, "client": "-"},
        {"method": "broadcast", "protocol": "grpc", "count": 1, "client": "-"},
    ]


def test_api_errors_without_the_total_suffix_count_too(tmp_path: Path) -> None:
    path = tmp_path / "p.prom"
    path.write_text('centrifugo_api_command_errors{error="104",method="rpc",protocol="http"} 2\n', encoding="utf-8")
    assert m.read([str(path)]).family(m.Family.API_ERRORS).count(104) == 2


# --- The public API -------------------------------------------------------------------------


def test_read_text_gives_typed_rows() -> None:
    report = m.read_text((SAMPLES / "node3.prom").read_text(encoding="utf-8"), source="node3")
    assert report.interval == "since_start"
    assert report.nodes == (
        m.Node(
            1,
            "node3",
            None,
            "centrifugo",
            False,
            {
                m.Family.REPLY_ERRORS: 1,
                m.Family.UNSUBSCRIBES: 0,
                m.Family.DISCONNECTS: 23,
                m.Family.CLOSES: 0,
                m.Family.API_ERRORS: 0,
            },
        ),
    )
    disconnects = report.family(m.Family.DISCONNECTS)
    slow = disconnects.rows[0]
    assert slow.member is DisconnectCode.SLOW
    assert (slow.family, slow.code, slow.count, slow.share, slow.client) == (
        m.Family.DISCONNECTS,
        3008,
        20,
        round(100 * 20 / 23, 2),
        "reconnects",
    )
    assert report.rows == tuple(row for family in report.families for row in family.rows)
    assert [note.rule for note in report.notes if not note.rule.startswith("cause_")] == ["slow", "server_error"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        slow.count = 1  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


def test_members_and_unknown_values_in_rows() -> None:
    page = (
        'centrifugo_client_num_server_disconnects{code="4501"} 2\n'
        'centrifugo_client_num_reply_errors{code="100",method="rpc"} 1\n'
    )
    report = m.read_text(page)
    unknown = report.family(m.Family.DISCONNECTS).rows[0].member
    assert isinstance(unknown, UnknownDisconnectCode) and unknown.code == 4501
    assert report.family(m.Family.REPLY_ERRORS).rows[0].member is ErrorCode.INTERNAL


def test_json_is_the_report_serialized(capsys: pytest.CaptureFixture[str], api_page: str) -> None:
    _status, out, _err = run(capsys, "--json", api_page, str(SAMPLES / "node1.prom"))
    assert json.loads(out) == m.read([api_page, str(SAMPLES / "node1.prom")]).to_json()


def test_read_over_an_interval(tmp_path: Path) -> None:
    old = tmp_path / "old.prom"
    new = tmp_path / "new.prom"
    old.write_text('centrifugo_api_command_errors_total{error="107",method="publish",protocol="http"} 2\n')
    new.write_text('centrifugo_api_command_errors_total{error="107",method="publish",protocol="http"} 7\n')
    report = m.read([str(new)], since=[str(old)])
    assert report.interval == "between_snapshots"
    assert report.family(m.Family.API_ERRORS).count(107) == 5
    assert report.nodes[0].since == str(old)


def test_source_errors_raise_metrics_error(tmp_path: Path) -> None:
    with pytest.raises(m.MetricsError, match="cannot open"):
        m.read([str(tmp_path / "absent.prom")])
    with pytest.raises(m.MetricsError, match="not a Centrifugo metrics page"):
        m.read_text("go_goroutines 1\n")
    with pytest.raises(m.MetricsError, match=r"^<text>: not the Prometheus text format"):
        m.read_text("<html>\n")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: m.read([]), "sources must be a non-empty sequence"),
        (lambda: m.read("page.prom"), "sources must be a non-empty sequence"),
        (lambda: m.read(["a", "b"], since=["c"]), r"since must hold one earlier page per source \(2\)"),
        (lambda: m.read(["a"], since="c"), "since must hold one earlier page per source"),
        (lambda: m.read(["-"], since=["-"]), r"standard input \(-\) can be read only once"),
        (lambda: m.read(["a"], namespace="no-dash"), "namespace must match"),
        (lambda: m.read(["a"], namespace=3), "namespace must match"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        (lambda: m.read(["a"], timeout=0), "timeout must be a number of seconds above 0 and at most 3600, not 0"),
        (lambda: m.read(["a"], timeout=3601), "timeout must be"),
        (lambda: m.read(["a"], timeout=True), "timeout must be"),
        (lambda: m.read(["a"], max_bytes=0), "max_bytes must be an int above 0, not 0"),
        (lambda: m.read(["a"], max_bytes=1.5), "max_bytes must be an int above 0"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        (lambda: m.read_text("x", namespace=""), "namespace must match"),
    ],
)
def test_bad_arguments_raise_value_error(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_read_text_refuses_bytes() -> None:
    with pytest.raises(TypeError, match="page must be a str, not bytes"):
        m.read_text(b"x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_read_text_and_the_namespace() -> None:
    page = 'myapp_client_num_server_disconnects{code="3001"} 4\n'
    assert m.read_text(page, namespace="myapp").nodes[0].namespace == "myapp"


def test_without_prometheus_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    monkeypatch.setitem(sys.modules, "prometheus_client.parser", None)
    with pytest.raises(m.MetricsError, match=r"pip install 'centrifugo-protocol\[metrics\]'"):
        m.read_text("x")


def test_the_families_words() -> None:
    assert [family.value for family in m.FAMILIES] == [
        "reply_errors",
        "unsubscribes",
        "disconnects",
        "closes",
        "api_errors",
    ]
    assert m.Family.CLOSES.counted(1) == "1 close frame"
    assert m.Family.CLOSES.counted(1200) == "1,200 close frames"
    assert m.Family.API_ERRORS.counted(0) == "0 server API errors"
    assert m.Family.API_ERRORS.code_label == "error"
    assert m.Family.DISCONNECTS.code_label == "code"
    assert m.Family.API_ERRORS.title == "Server API errors"


# --- The command's rough edges --------------------------------------------------------------


def test_timeout_zero_says_what_would_work(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _main.main(["--timeout", "0", "x"], PROG)
    err = capsys.readouterr().err
    assert err == f"{ERROR_PREFIX}argument --timeout: '0' is not a number of seconds above 0 and at most 3600\n"


@pytest.mark.parametrize(
    ("source", "scheme"), [("ftp://example.org/metrics", "ftp"), ("FILE:///etc/passwd", "file"), ("ws://h/x", "ws")]
)
def test_other_url_schemes_are_named(capsys: pytest.CaptureFixture[str], source: str, scheme: str) -> None:
    assert fails(capsys, source) == (
        f"{source}: unsupported URL scheme '{scheme}'; a URL source starts with http:// or https://"
    )


@pytest.mark.parametrize(
    "source", ["127.0.0.1:8765/metrics", "localhost:8000", "[::1]:8000/metrics", "node-1.example:9090/m"]
)
def test_a_host_and_port_without_a_scheme_gets_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert fails(capsys, source) == (f"{source}: cannot open: No such file or directory; did you mean http://{source}?")


@pytest.mark.parametrize("source", ["missing.prom", "dir/a:b", "host:99999x"])
def test_other_missing_files_get_no_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert fails(capsys, source) == f"{source}: cannot open: No such file or directory"


def test_a_host_and_port_that_is_a_directory_gets_no_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "h:80").mkdir()
    assert fails(capsys, "h:80") == "h:80: cannot open: Is a directory"


def test_json_before_the_subcommand(capsys: pytest.CaptureFixture[str], api_page: str) -> None:
    assert cli_main(["--json", "metrics", api_page]) == 0
    assert json.loads(capsys.readouterr().out) == m.read([api_page]).to_json()


def test_notes_skip_zero_counts_and_count_right(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.prom"
    path.write_text(
        'centrifugo_client_num_server_disconnects{code="3010"} 1\n'
        'centrifugo_client_num_server_unsubscribes{code="2500"} 1\n'
        'centrifugo_client_num_reply_errors{code="100",method="rpc"} 2\n'
        'centrifugo_client_num_reply_errors{code="400",method="rpc"} 1\n'
        'centrifugo_client_num_server_disconnects{code="3500"} 1\n',
        encoding="utf-8",
    )
    notes = {note.rule: note.text for note in m.read([str(path)]).notes}
    assert notes["insufficient_state"].startswith(
        "1 disconnect 3010 (insufficient state) and 1 unsubscribe 2500 (insufficient state): "
    )
    assert notes["server_error"].startswith("2 reply errors 100 (internal server error): ")
    assert notes["application_errors"].startswith("1 reply error with application codes 400-1999: ")
    assert notes["application_errors"].endswith("refused this command with its own errors.")
    assert notes["server_terminal"].startswith("1 disconnect in the server's terminal band 3500-3999: ")
    assert notes["invalid_token"].startswith("1 disconnect 3500 (invalid token): ")
    for text in notes.values():
        assert " 0 " not in f" {text} "


def test_one_of_one_server_disconnect() -> None:
    notes = {
        note.rule: note.text for note in m.read_text('centrifugo_client_num_server_disconnects{code="3008"} 1\n').notes
    }
    assert notes["slow"].startswith("1 of 1 server disconnect (100.0%; noted from 10%) were 3008 (slow)")


def test_a_huge_count_makes_a_short_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.prom"
    path.write_text(f'centrifugo_client_num_server_disconnects{{code="3001"}} {"9" * 4000}\n', encoding="utf-8")
    message = fails(capsys, str(path))
    assert len(message) < 300
    assert "(a 13288-bit number); a count must be a whole number from 0 to 2**53" in message
    path.write_text(f'centrifugo_client_num_server_disconnects{{code="3001"}} -{"9" * 30}\n', encoding="utf-8")
    assert "has the value -(a 100-bit number);" in fails(capsys, str(path))


def test_the_shared_writer(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write_lines(["a", "b"])
    assert capsys.readouterr().out == "a\nb\n"
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(ClosedOutputError):
        write_lines(["a"])


def test_an_error_with_stderr_gone_still_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    assert _main.main(["ftp://x/"], PROG) == 2


# --- Streams, in a real process ----------------------------------------------------------------

COMMAND = [sys.executable, "-m", "centrifugo_protocol", "metrics"]


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A page whose report is far larger than a pipe's buffer."""
    path = tmp_path_factory.mktemp("big") / "big.prom"
    lines = (f'centrifugo_client_num_server_disconnects{{code="{code}"}} {code}\n' for code in range(3000, 5000))
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("unbuffered", [False, True])
@pytest.mark.parametrize("json_first", [False, True])
def test_a_reader_that_goes_away_ends_quietly_with_141(big_page: str, unbuffered: bool, json_first: bool) -> None:
    args = ["--json", *COMMAND[3:]] if json_first else COMMAND[3:]
    command = [*COMMAND[:3], *args, big_page]
    env = {"PYTHONUNBUFFERED": "1"} if unbuffered else {}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env={**_environment(), **env}
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 141
    assert stderr == b""


@pytest.mark.parametrize("json_output", [False, True])
def test_closed_stdout_is_one_line_and_status_1(big_page: str, json_output: bool) -> None:
    args = ["--json"] if json_output else []
    result = subprocess.run([*COMMAND, *args, big_page], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
                            preexec_fn=lambda: os.close(1))  # fmt: skip
    assert result.returncode == 1
    assert (
        result.stderr
        == b"python -m centrifugo_protocol metrics: error: cannot write the output: standard output is closed\n"
    )


def test_closed_stdout_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert _main.main([str(SAMPLES / "node3.prom")], PROG) == 1
    assert capsys.readouterr().err == f"{ERROR_PREFIX}cannot write the output: standard output is closed\n"
    monkeypatch.setattr(sys, "stderr", None)
    assert _main.main([str(SAMPLES / "node3.prom")], PROG) == 1


def test_a_full_disk_is_one_line_and_status_1(big_page: str) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*COMMAND, big_page], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr


def _environment() -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


# --- Hostile sources ------------------------------------------------------------------------


class Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.route()

    def redirect(self, target: str) -> None:
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route(self) -> None:
        if self.path == "/page":
            body = b'centrifugo_client_num_server_disconnects{code="3001"} 2\n'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/drip-headers":  # one header line every 0.2 s, for up to 6 s
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for n in range(30):
                self.wfile.write(f"X-Slow-{n}: 1\r\n".encode())
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path.startswith("/hops/"):  # each hop takes 0.4 s
            left = int(self.path.removeprefix("/hops/"))
            time.sleep(0.4)
            self.redirect("/page" if left == 0 else f"/hops/{left - 1}")
        elif self.path == "/to-page":
            self.redirect("/page")
        elif self.path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/metrics")
        elif self.path == "/to-big-port":
            self.redirect("http://127.0.0.1:83617/metrics")
        elif self.path == "/to-bad-ipv6":
            self.redirect("http://[::1/metrics")
        elif self.path == "/loop":
            self.redirect("/loop")
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def hostile_url(hostile: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1")
    return hostile


def test_a_redirect_to_http_is_followed(hostile_url: str) -> None:
    assert m.read([f"{hostile_url}/to-page"]).family(m.Family.DISCONNECTS).count(3001) == 2


def test_dripping_headers_are_bounded_by_the_timeout(capsys: pytest.CaptureFixture[str], hostile_url: str) -> None:
    started = time.monotonic()
    assert fails(capsys, "--timeout", "1", f"{hostile_url}/drip-headers") == (
        f"{hostile_url}/drip-headers: no complete answer within 1 s (--timeout)"
    )
    assert time.monotonic() - started < 2.5


def test_redirect_hops_share_one_timeout(capsys: pytest.CaptureFixture[str], hostile_url: str) -> None:
    assert m.read([f"{hostile_url}/hops/1"], timeout=3).family(m.Family.DISCONNECTS).count(3001) == 2
    started = time.monotonic()
    message = fails(capsys, "--timeout", "1", f"{hostile_url}/hops/3")  # 4 hops of 0.4 s
    assert message == f"{hostile_url}/hops/3: no complete answer within 1 s (--timeout)"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-ftp", "redirected to ftp://127.0.0.1/metrics, which is not an http:// or https:// URL"),
        ("/to-big-port", "not a usable URL (port 83617 is out of range 0-65535)"),
        ("/to-bad-ipv6", "not a usable URL (Invalid IPv6 URL)"),
        ("/loop", "more than 3 redirects, or a redirect loop"),
    ],
)
def test_redirects_go_only_where_an_operator_expects(
    capsys: pytest.CaptureFixture[str], hostile_url: str, path: str, message: str
) -> None:
    assert fails(capsys, f"{hostile_url}{path}") == f"{hostile_url}{path}: {message}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://[::1", "not a usable URL (Invalid IPv6 URL)"),
        ("http://[foo]/", "not a usable URL"),
        ("http://127.0.0.1:99999999999999999999/", "not a usable URL (port 99999999999999999999 is out of range"),
    ],
)
def test_broken_urls_are_one_line(capsys: pytest.CaptureFixture[str], source: str, message: str) -> None:
    assert fails(capsys, source).startswith(f"{source}: {message}")


def test_https_to_a_plain_server_is_one_line(capsys: pytest.CaptureFixture[str], hostile_url: str) -> None:
    source = hostile_url.replace("http://", "https://") + "/page"
    assert fails(capsys, "--timeout", "3", source).startswith(f"{source}: ")


def test_a_line_too_long(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.prom"
    path.write_text(
        'centrifugo_node_num_clients 1\ncentrifugo_client_num_server_disconnects{code="' + "9" * 70_000 + '"} 1\n',
        encoding="utf-8",
    )
    assert fails(capsys, str(path)) == f"{path}: line 2 is longer than 65536 characters"


def test_too_many_labels(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    labels = ",".join(f'l{n}="v"' for n in range(65))
    path = tmp_path / "p.prom"
    path.write_text(f"centrifugo_client_num_server_disconnects{{{labels}}} 1\n", encoding="utf-8")
    assert fails(capsys, str(path)) == f"{path}: line 1 has more than 64 labels"
    path.write_text(f"# HELP centrifugo_x {labels}\ncentrifugo_x 1\n", encoding="utf-8")
    assert run(capsys, str(path))[0] == 0  # a comment is no series


def test_a_slow_stdin_is_bounded(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Slow:
        def read1(self, size: int) -> bytes:
            time.sleep(0.3)
            return b"# still coming\n"

    class Stdin:
        buffer = Slow()

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert fails(capsys, "--timeout", "0.5", "-") == "stdin: no complete answer within 0.5 s (--timeout)"


def test_the_watchdog_ends_a_socket_registered_late() -> None:
    watch = _sources.Watch(0)
    assert watch.expired.wait(5)
    left, right = socket.socketpair()
    with left, right:
        watch.register(left)
        assert left.recv(1) == b""  # shut down: reads end at once
    watch.stop()


# --- Memory: large families in batches, series kept compactly -----------------------------


def test_a_large_typed_family_counts_exactly(tmp_path: Path) -> None:
    lines = ["# HELP centrifugo_client_num_server_disconnects Number of server initiated disconnects.\n"]
    lines.append("# TYPE centrifugo_client_num_server_disconnects counter\n")
    lines += [f'centrifugo_client_num_server_disconnects{{code="{3000 + n % 7}",n="{n}"}} 2\n' for n in range(10_000)]
    lines.append("# TYPE centrifugo_client_command_duration_seconds summary\n")
    lines += [f'centrifugo_client_command_duration_seconds_count{{method="m{n}"}} {n}\n' for n in range(9_000)]
    lines.append("# TYPE centrifugo_api_command_errors_total counter\n")
    lines += [
        f'centrifugo_api_command_errors_total{{error="102",method="m{n}",protocol="http"}} 1\n' for n in range(5_000)
    ]
    path = tmp_path / "big.prom"
    path.write_text("".join(lines), encoding="utf-8")
    report = m.read([str(path)])
    disconnects = report.family(m.Family.DISCONNECTS)
    assert disconnects.total == 2 * 10_000
    assert disconnects.count(3000) == 2 * len(range(0, 10_000, 7))
    assert report.family(m.Family.API_ERRORS).count(102) == 5_000
    assert _sources._BATCH < 5_000  # so that every family above was handed over in batches


@given(
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=4),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=4),
)
def test_series_keys_tell_label_sets_apart(one: dict[str, str], other: dict[str, str]) -> None:
    same = _sources.series_key(m.Family.REPLY_ERRORS, one) == _sources.series_key(m.Family.REPLY_ERRORS, other)
    assert same == (one == other)

# pyright: reportPrivateUsage=false
"""The command line against broken output: closed, gone, or full.

A filter whose reader goes away (``centrifugo-codes --json | head -c 1``) ends quietly
with status 141, as a shell reports for a process stopped by SIGPIPE; a closed
standard output (``>&-``) or a full disk is one line on standard error and status 1,
as coreutils report a write error.
Nothing may print a traceback or Python's "Exception ignored" note. The subprocess
tests run the real command; the in-process ones reach the same code for coverage.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import types
from typing import IO, Any

import pytest

import centrifugo_protocol
from centrifugo_protocol import _command
from centrifugo_protocol._cli import main

PROG = "python -m centrifugo_protocol"
COMMAND = [sys.executable, "-m", "centrifugo_protocol"]
#: Exit status of a filter whose reader went away: 128 + SIGPIPE.
BROKEN_PIPE_STATUS = 141
#: Enough codes for a --json output of about 290 KB, far past a pipe's 64 KB buffer.
MANY_CODES = [str(code) for code in range(3000, 4000)]


def environment(*, unbuffered: bool = False) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def assert_quiet(stderr: bytes) -> None:
    assert b"Traceback" not in stderr
    assert b"Exception ignored" not in stderr
    assert stderr == b""


def run_into_gone_reader(args: list[str], *, unbuffered: bool = False) -> tuple[int, bytes]:
    """Run the command into a pipe whose reader reads one byte, then closes it."""
    process = subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        env=environment(unbuffered=unbuffered),
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1)
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    return process.wait(timeout=60), stderr


def run_into_closed_pipe(args: list[str], *, unbuffered: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run the command into a pipe that nobody reads: its read end is closed first."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [*COMMAND, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            env=environment(unbuffered=unbuffered),
        )
    finally:
        os.close(write_end)


def run_in_shell(args: list[str], *, redirect: str = ">&-") -> subprocess.CompletedProcess[bytes]:
    """Run the command from a shell with ``redirect`` (by default ``>&-``: stdout closed)."""
    script = f'"$0" -m centrifugo_protocol "$@" {redirect}'
    return subprocess.run(
        ["sh", "-c", script, sys.executable, *args], capture_output=True, timeout=60, env=environment()
    )


# --- The real command --------------------------------------------------------------------


def test_version_prints_the_program_and_the_version() -> None:
    result = subprocess.run([*COMMAND, "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{PROG} {centrifugo_protocol.__version__}\n"
    script = os.path.join(os.path.dirname(sys.executable), "centrifugo-codes")
    installed = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert installed.stdout == f"centrifugo-codes {centrifugo_protocol.__version__}\n"


@pytest.mark.parametrize(
    "args", [["3012"], ["--json"], ["--markdown"], ["104", "4501", "1009"], ["--help"], ["--version"]], ids=" ".join
)
def test_closed_stdout_is_one_line_and_status_1(args: list[str]) -> None:
    result = run_in_shell(args)
    assert result.returncode == 1
    assert result.stderr == f"{PROG}: error: cannot write the output: Bad file descriptor\n".encode()
    assert result.stdout == b""


@pytest.mark.parametrize(
    "args", [["3012"], ["--json"], ["--markdown"], ["--json", *MANY_CODES]], ids=lambda a: " ".join(a)[:20]
)
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_reader_gone_before_the_first_write_ends_quietly_with_141(args: list[str], unbuffered: bool) -> None:
    result = run_into_closed_pipe(args, unbuffered=unbuffered)
    assert result.returncode == BROKEN_PIPE_STATUS
    assert_quiet(result.stderr)


@pytest.mark.parametrize("args", [["--json", *MANY_CODES], MANY_CODES], ids=["json", "text"])
def test_a_reader_that_goes_away_ends_quietly_with_141(args: list[str]) -> None:
    status, stderr = run_into_gone_reader(args)
    assert status == BROKEN_PIPE_STATUS
    assert_quiet(stderr)


def test_a_reader_that_goes_away_ends_with_141_when_unbuffered() -> None:
    status, stderr = run_into_gone_reader(["--json", *MANY_CODES], unbuffered=True)
    assert_quiet(stderr)
    assert status == BROKEN_PIPE_STATUS


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_into_a_gone_reader_end_quietly(option: str) -> None:
    result = run_into_closed_pipe([option])
    assert_quiet(result.stderr)
    assert result.returncode == BROKEN_PIPE_STATUS


@pytest.mark.parametrize("args", [["3012"], ["--json"], ["--markdown"], ["--help"], ["--version"]], ids=" ".join)
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_full_disk_is_one_line_and_status_1(args: list[str], unbuffered: bool) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*COMMAND, *args], stdout=full, stderr=subprocess.PIPE, timeout=60, env=environment(unbuffered=unbuffered)
        )
    assert result.returncode == 1
    assert result.stderr == f"{PROG}: error: cannot write the output: No space left on device\n".encode()


def test_a_full_disk_with_stderr_closed_still_exits_1() -> None:
    result = run_in_shell(["3012"], redirect=">/dev/full 2>&-")
    assert result.returncode == 1
    assert result.stdout == b""


@pytest.mark.parametrize("args", [["--bogus"], ["abc"], ["--markdown", "1"], []], ids=lambda a: " ".join(a) or "none")
def test_bad_arguments_still_exit_2(args: list[str]) -> None:
    result = subprocess.run([*COMMAND, *args], capture_output=True, timeout=60, env=environment())
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().splitlines()[-1].startswith(f"{PROG}: error: ")
    assert b"Traceback" not in result.stderr
    closed = run_in_shell(args)
    assert closed.returncode == 2
    assert closed.stderr.decode().splitlines()[-1].startswith(f"{PROG}: error: ")
    # Nobody can read the line, but the status stays 2: no traceback, no 120 from
    # the interpreter's last flush.
    for redirect in ("2>&-", "2>/dev/full"):
        unheard = run_in_shell(args, redirect=redirect)
        assert (unheard.returncode, unheard.stdout) == (2, b""), redirect


# --- The same paths in process ------------------------------------------------------------


class Failing(io.StringIO):
    """A standard output whose writes or flushes fail with ``error``."""

    def __init__(self, error: BaseException, *, on_flush: bool = False) -> None:
        super().__init__()
        self.error = error
        self.on_flush = on_flush

    def write(self, s: str) -> int:
        if not self.on_flush:
            raise self.error
        return super().write(s)

    def flush(self) -> None:
        if self.on_flush:
            raise self.error


def fake_os(**overrides: object) -> types.SimpleNamespace:
    """The ``os`` functions the command uses, with some replaced."""
    names = ("devnull", "O_WRONLY", "open", "dup2", "close", "strerror")
    return types.SimpleNamespace(**{**{name: getattr(os, name) for name in names}, **overrides})


@pytest.fixture
def fd_redirects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record the command's dup2 calls instead of redirecting this process's fd 1."""
    calls: list[tuple[int, int]] = []

    def fake_dup2(fd: int, fd2: int, inheritable: bool = True) -> int:
        calls.append((fd, fd2))
        return fd2

    monkeypatch.setattr(_command, "os", fake_os(dup2=fake_dup2))
    return calls


def use_stdout(monkeypatch: pytest.MonkeyPatch, stream: IO[str] | None) -> None:
    monkeypatch.setattr(sys, "stdout", stream)


@pytest.mark.parametrize(
    "stream",
    [
        Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")),
        Failing(BrokenPipeError(errno.EPIPE, "Broken pipe"), on_flush=True),
        Failing(OSError(errno.EPIPE, "Broken pipe")),
    ],
    ids=["broken pipe on write", "broken pipe on flush", "OSError with EPIPE"],
)
def test_gone_output_returns_141_and_silences_stdout(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fd_redirects: list[tuple[int, int]],
    stream: Any,
) -> None:
    use_stdout(monkeypatch, stream)
    assert main(["--json", "3012"]) == BROKEN_PIPE_STATUS
    assert sys.stdout is None  # nothing more may be written
    assert [fd2 for _, fd2 in fd_redirects] == [1]  # fd 1 now points at os.devnull
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (OSError(errno.EBADF, "Bad file descriptor"), "Bad file descriptor"),
        (OSError("the disk went away"), "the disk went away"),
    ],
)
def test_a_failed_write_is_one_line_and_status_1(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fd_redirects: list[tuple[int, int]],
    error: OSError,
    said: str,
) -> None:
    use_stdout(monkeypatch, Failing(error))
    assert main(["3012"], prog="centrifugo-codes") == 1
    assert capsys.readouterr().err == f"centrifugo-codes: error: cannot write the output: {said}\n"
    assert [fd2 for _, fd2 in fd_redirects] == [1]
    use_stdout(monkeypatch, Failing(error, on_flush=True))
    assert main(["--markdown"]) == 1
    assert capsys.readouterr().err == f"centrifugo-codes: error: cannot write the output: {said}\n"


def test_a_stdout_closed_before_the_start_is_one_line_and_status_1(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fd_redirects: list[tuple[int, int]],
) -> None:
    use_stdout(monkeypatch, None)
    assert main(["--json", "3012"], prog="centrifugo-codes") == 1
    assert capsys.readouterr().err == "centrifugo-codes: error: cannot write the output: Bad file descriptor\n"
    assert sys.stdout is None
    assert [fd2 for _, fd2 in fd_redirects] == [1]


def test_the_error_line_is_dropped_when_stderr_is_gone(
    monkeypatch: pytest.MonkeyPatch, fd_redirects: list[tuple[int, int]]
) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    use_stdout(monkeypatch, Failing(full))
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["3012"]) == 1
    use_stdout(monkeypatch, Failing(full))
    monkeypatch.setattr(sys, "stderr", Failing(full))
    assert main(["3012"]) == 1


def test_silencing_survives_a_failing_devnull(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_devnull(path: str, flags: int, mode: int = 0o777) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(_command, "os", fake_os(open=no_devnull))
    use_stdout(monkeypatch, Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    assert main(["3012"]) == BROKEN_PIPE_STATUS
    assert sys.stdout is None


def test_other_exceptions_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdout(monkeypatch, Failing(RuntimeError("a bug")))
    with pytest.raises(RuntimeError, match="a bug"):
        main(["3012"])


def test_output_is_flushed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Flushing inside main is what lets a failure be reported there, not at exit.
    flushes: list[str] = []

    class Recording(io.StringIO):
        def flush(self) -> None:
            flushes.append(self.getvalue())

    stream = Recording()
    use_stdout(monkeypatch, stream)
    assert main(["3012"]) == 0
    assert flushes and flushes[-1] == stream.getvalue()
    assert stream.getvalue().startswith("3012  DisconnectCode.NO_PONG")
    assert _command.EXIT_BROKEN_PIPE == BROKEN_PIPE_STATUS

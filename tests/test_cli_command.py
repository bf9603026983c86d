# pyright: reportPrivateUsage=false
"""The command base every subcommand shares: width, wrapping, errors and install hints."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
import textwrap
import types
from typing import Any

import pytest

from centrifugo_protocol import _command


class Terminal(io.StringIO):
    def __init__(self, answer: bool | BaseException) -> None:
        super().__init__()
        self.answer = answer

    def isatty(self) -> bool:
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def test_width_is_80_columns_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "132")  # a wide terminal elsewhere does not matter
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert _command.width() == 80
    monkeypatch.setattr(sys, "stdout", None)
    assert _command.width() == 80
    for failure in (ValueError("I/O operation on closed file"), OSError(errno.EBADF, "Bad file descriptor")):
        monkeypatch.setattr(sys, "stdout", Terminal(failure))
        assert _command.width() == 80


@pytest.mark.parametrize(("columns", "width"), [("132", 132), ("100", 100), ("40", 40), ("5", 20)])
def test_width_follows_the_terminal(monkeypatch: pytest.MonkeyPatch, columns: str, width: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(sys, "stdout", Terminal(True))
    assert _command.width() == width


def test_text_wraps_to_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "word " * 40 + "a-long-hyphenated-word-that-stays-whole"
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    lines = _command.wrap(text, "  ")
    assert all(len(line) <= 80 and line.startswith("  ") for line in lines)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())
    assert lines[-1].endswith("a-long-hyphenated-word-that-stays-whole")
    arrow = _command.wrap(text, "     ", first="  -> ", columns=30)
    assert arrow[0].startswith("  -> word") and all(line.startswith("     ") for line in arrow[1:])
    assert all(len(line) <= 30 for line in arrow)
    assert arrow == textwrap.wrap(text, 30, initial_indent="  -> ", subsequent_indent="     ", break_on_hyphens=False)


def test_parser_errors_are_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _command.Parser(prog="centrifugo-codes metrics")
    with pytest.raises(SystemExit) as caught:
        parser.error("unsupported URL scheme 'ftp'")
    assert caught.value.code == _command.EXIT_BAD_INPUT == 2
    assert capsys.readouterr().err == "centrifugo-codes metrics: error: unsupported URL scheme 'ftp'\n"
    with pytest.raises(SystemExit) as caught:
        parser.exit()
    assert caught.value.code == 0
    assert capsys.readouterr() == ("", "")


def test_parser_help_goes_through_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = _command.Parser(prog="x")
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(_command.ClosedOutputError):
        parser.print_help()


def test_say_drops_a_line_nobody_can_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []

    def dup2(fd: int, fd2: int, inheritable: bool = True) -> int:
        calls.append((fd, fd2))
        return fd2

    names = ("devnull", "O_WRONLY", "open", "close", "strerror")
    monkeypatch.setattr(_command, "os", types.SimpleNamespace(dup2=dup2, **{n: getattr(os, n) for n in names}))

    class Full(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sys, "stderr", Full())
    _command.say("lost")
    assert sys.stderr is None  # the interpreter's exit flush cannot fail now
    assert [fd2 for _, fd2 in calls] == [2]
    _command.say("also lost")  # and nothing happens with no standard error at all
    assert [fd2 for _, fd2 in calls] == [2]


def test_write_lines_ends_each_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    _command.write_lines(["a", "b"])
    assert out.getvalue() == "a\nb\n"


# --- Install hints ------------------------------------------------------------------------


class FakeDistribution:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def read_text(self, name: str) -> str | None:
        return self.files.get(name)


def installed_as(monkeypatch: pytest.MonkeyPatch, files: dict[str, Any] | None) -> None:
    from importlib import metadata

    def distribution(name: str) -> FakeDistribution:
        assert name == "centrifugo-protocol"
        if files is None:
            raise metadata.PackageNotFoundError(name)
        return FakeDistribution({k: v if isinstance(v, str) else json.dumps(v) for k, v in files.items()})

    monkeypatch.setattr(metadata, "distribution", distribution)


@pytest.mark.parametrize(
    ("files", "hint"),
    [
        (None, "pip install '.[metrics]'"),
        ({}, "pip install 'centrifugo-protocol[metrics]'"),
        ({"INSTALLER": "pip\n"}, "pip install 'centrifugo-protocol[metrics]'"),
        ({"INSTALLER": "uv\n"}, "uv pip install 'centrifugo-protocol[metrics]'"),
        (
            {"INSTALLER": "pip", "direct_url.json": {"url": "file:///src/cp", "dir_info": {"editable": True}}},
            "pip install -e '/src/cp[metrics]'",
        ),
        ({"direct_url.json": {"url": "file:///src/cp", "dir_info": {}}}, "pip install '/src/cp[metrics]'"),
        ({"direct_url.json": {"url": "file:///src/cp", "dir_info": "odd"}}, "pip install '/src/cp[metrics]'"),
        (
            {"direct_url.json": {"url": "https://example.org/cp.git", "vcs_info": {"vcs": "git", "commit_id": "ab"}}},
            "pip install 'centrifugo-protocol[metrics] @ git+https://example.org/cp.git'",
        ),
        (
            {"direct_url.json": {"url": "https://example.org/cp-0.2.tar.gz", "archive_info": {}}},
            "pip install 'centrifugo-protocol[metrics] @ https://example.org/cp-0.2.tar.gz'",
        ),
        (
            {"direct_url.json": {"url": "file:///tmp/cp-0.2.whl", "archive_info": {}}},
            "pip install 'centrifugo-protocol[metrics] @ file:///tmp/cp-0.2.whl'",
        ),
        ({"direct_url.json": "{not json"}, "pip install 'centrifugo-protocol[metrics]'"),
        ({"direct_url.json": ["a", "list"]}, "pip install 'centrifugo-protocol[metrics]'"),
        ({"direct_url.json": {"url": 7}}, "pip install 'centrifugo-protocol[metrics]'"),
    ],
)
def test_the_install_hint_follows_how_the_package_was_installed(
    monkeypatch: pytest.MonkeyPatch, files: dict[str, Any] | None, hint: str
) -> None:
    installed_as(monkeypatch, files)
    assert _command.install_hint("metrics") == hint


def test_the_install_hint_for_this_installation() -> None:
    hint = _command.install_hint("metrics")
    assert hint.startswith(("pip install ", "uv pip install "))
    assert "[metrics]" in hint

# pyright: reportPrivateUsage=false
"""Edges of the command base: argparse errors quote the bad argument whole, and a
stream that is gone is pointed at the null device."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from centrifugo_protocol import _command


@pytest.mark.parametrize("argument", ["--bogusX", "--bogus ", "--bogus\t"])
def test_an_unknown_option_is_quoted_to_its_last_character(argument: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = _command.Parser(prog="centrifugo-codes")
    with pytest.raises(SystemExit) as caught:
        parser.parse_args([argument])
    assert caught.value.code == 2
    # Only the line end argparse adds goes; the option's own last characters stay.
    assert capsys.readouterr().err == f"centrifugo-codes: error: unrecognized arguments: {argument}\n"


def test_a_descriptor_sent_to_the_null_device_loses_what_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        _command._to_devnull(fd)
        assert os.write(fd, b"lost") == 4
    finally:
        os.close(fd)
    assert target.read_bytes() == b""


class Trickle(io.RawIOBase):
    """A binary standard output that takes at most three bytes per call."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        chunk = bytes(b[:3])
        self.data += chunk
        return len(chunk)


class Stdout:
    """Shaped like sys.stdout: a text layer over a binary ``buffer``."""

    def __init__(self, encoding: str | None, errors: str | None) -> None:
        self.buffer = Trickle()
        self.encoding = encoding
        self.errors = errors
        self.text: list[str] = []

    def write(self, text: str) -> int:
        self.text.append(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("encoding", "errors", "expected"),
    [
        (None, None, "déjà vu, 3012\n".encode()),
        ("utf-8", "strict", "déjà vu, 3012\n".encode()),
        ("ascii", "replace", b"d?j? vu, 3012\n"),
        ("latin-1", None, "déjà vu, 3012\n".encode("latin-1")),
    ],
)
def test_write_sends_every_byte_in_the_streams_encoding(
    monkeypatch: pytest.MonkeyPatch, encoding: str | None, errors: str | None, expected: bytes
) -> None:
    stdout = Stdout(encoding, errors)
    monkeypatch.setattr(sys, "stdout", stdout)
    _command.write("déjà vu, 3012\n")
    assert bytes(stdout.buffer.data) == expected  # all of it, three bytes at a time
    assert stdout.text == []


def test_write_fails_loudly_on_a_character_the_encoding_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = Stdout("ascii", None)  # no error handler given: strict
    monkeypatch.setattr(sys, "stdout", stdout)
    with pytest.raises(UnicodeEncodeError):
        _command.write("déjà vu\n")
    assert bytes(stdout.buffer.data) == b""


class Stalling(Trickle):
    """A non-blocking buffer: every other call takes nothing and answers None."""

    def __init__(self) -> None:
        super().__init__()
        self.stall = True

    def write(self, b: Any) -> int | None:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        self.stall = not self.stall
        return None if not self.stall else super().write(b)


def test_write_loses_no_byte_when_a_write_takes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = Stdout("utf-8", None)
    stdout.buffer = Stalling()
    monkeypatch.setattr(sys, "stdout", stdout)
    _command.write("3012 no pong\n")
    assert bytes(stdout.buffer.data) == b"3012 no pong\n"

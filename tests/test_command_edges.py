# pyright: reportPrivateUsage=false
"""Edges of the command base: argparse errors quote the bad argument whole, and a
stream that is gone is pointed at the null device."""

from __future__ import annotations

import os
from pathlib import Path

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

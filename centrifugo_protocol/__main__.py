"""``python -m centrifugo_protocol CODE...``: explain protocol codes seen in a log."""

from ._cli import main

raise SystemExit(main(prog="python -m centrifugo_protocol"))

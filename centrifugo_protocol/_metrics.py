"""``centrifugo-codes metrics``: where the command line finds the metrics subcommand.

The report lives in :mod:`centrifugo_protocol.metrics`; this module only names its
command, so that importing the command line does not import the report.
"""

from __future__ import annotations

from .metrics._main import main

__all__ = ["main"]

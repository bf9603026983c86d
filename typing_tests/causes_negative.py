"""Lines about causes that users' strict type checkers must reject. Checked by mypy
and pyright; never run.

Each such line carries one suppression per checker, naming the error it expects; both
checkers report unused suppressions, so the check fails the day a line stops being an
error.
"""

from __future__ import annotations

from centrifugo_protocol import Cause, CauseKind, DisconnectCode


def wrong_uses(cause: Cause) -> None:
    cause.fix.upper()  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
    DisconnectCode.STALE.causes[0] = cause  # type: ignore[index]  # pyright: ignore[reportIndexIssue]
    Cause("disconnect.3502.x", "situation", CauseKind.CONFIG_KEY, "x", None)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Cause("disconnect.3502.x", situation="s", kind="config key", involves="x", fix=None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

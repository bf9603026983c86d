"""The verification page's live tables, made from the data the live tests hold to.

Two tables, both generated (``docs/hooks.py`` calls :func:`markdown`), so that the
page says only what the suite checks on every run:

* for each code the server sends, how the live suite made Centrifugo v6.9.1 send it:
  the causes of the member (``member.causes``), each proven by a test in
  ``test_causes.py`` whose id is the cause's;
* for each SDK scenario of ``test_sdks.py``, what each real SDK did: the package's
  prediction, or the row of ``differences.json`` that the test holds the SDK to.

Nothing here starts a server; the tests do, and fail when the SDKs or the server stop
matching this data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from centrifugo_protocol import ApiErrorCode, DisconnectCode, ErrorCode, UnsubscribeCode

from .differences import ROWS
from .scenarios import SCENARIOS, Reaction, predicted

if TYPE_CHECKING:
    from typing import TypeAlias

#: A member of a family the server sends.
Sent: TypeAlias = "ErrorCode | UnsubscribeCode | DisconnectCode | ApiErrorCode"

__all__ = ["markdown"]

#: Each SDK and transport the SDK tests run, as the columns of the second table.
SDK_COLUMNS: Final = (
    ("centrifuge-js", "websocket", "centrifuge-js 5.7.4, WebSocket"),
    ("centrifuge-js", "http_stream", "centrifuge-js 5.7.4, http_stream"),
    ("centrifuge-python", "websocket", "centrifuge-python 0.7.0"),
    ("centrifuge-go", "websocket", "centrifuge-go v0.12.1"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _how(member: Sent) -> str:
    proven = [cause for cause in member.causes if cause.untriggerable is None]
    if not proven:
        reasons = {cause.untriggerable.text for cause in member.causes if cause.untriggerable is not None}
        return "not sent live: " + "; ".join(sorted(reasons)) if reasons else "no known cause"
    ways = dict.fromkeys(f"{cause.kind.value}: `{cause.involves}`" for cause in proven)  # once each, in order
    return "; ".join(ways)


def _shown(reaction: Reaction) -> str:
    reason = f' "{reaction.reason}"' if reaction.reason else ""
    return f"{reaction.target} {reaction.name} {reaction.code}{reason}"


def codes_table() -> list[str]:
    lines = [
        "| code | member | how the live suite made the server send it |",
        "| --- | --- | --- |",
    ]
    members: list[Sent] = [*ErrorCode, *UnsubscribeCode, *DisconnectCode, *ApiErrorCode]
    lines += [f"| {m.code} | `{type(m).__name__}.{m.name}` | {_cell(_how(m))} |" for m in members]
    return lines


def sdk_table() -> list[str]:
    header = ["scenario", "the package predicts (WebSocket)", *(title for _sdk, _transport, title in SDK_COLUMNS)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for scenario in SCENARIOS:
        cells = [f"`{scenario.id}`", _cell(_shown(predicted(scenario)))]
        for sdk, transport, _title in SDK_COLUMNS:
            package = predicted(scenario, transport)
            row = ROWS.get((sdk, transport, scenario.id))
            if row is None:
                cells.append("as predicted" if package == predicted(scenario) else _cell(_shown(package)))
            else:
                does = row["sdk_does"]
                seen = Reaction(str(does["target"]), str(does["name"]), int(does["code"]), str(does["reason"]))
                cells.append(f"**{_cell(_shown(seen))}** (a recorded difference)")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown() -> str:
    """Both tables, with a sentence before each."""
    out = [
        "### What the live server was made to send",
        "",
        "Each member's causes (see the code reference), each proven by a live test that makes",
        "Centrifugo v6.9.1 send the code that way; a cause that no test can produce says why.",
        "",
        *codes_table(),
        "",
        "### What each SDK did",
        "",
        "Each scenario runs every SDK against the live server. A cell is the SDK's reaction:",
        "what the package predicts for its transport, or a recorded difference (its reason is",
        "in `tests/live/differences.json`).",
        "",
        *sdk_table(),
        "",
    ]
    return "\n".join(out)

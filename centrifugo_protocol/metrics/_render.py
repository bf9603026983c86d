"""Rendering: the report as text, 80 columns wide."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Final

from ._families import FAMILIES, Family
from ._report import share_text
from ._sources import where
from ._text import clip, printable

if TYPE_CHECKING:
    from ._report import FamilyReport, Node, Report, Row

__all__ = ["text_report"]

#: The text report's width; every line fits in it.
WIDTH: Final = 80
#: Widest code label in the table; longer labels are cut there (the JSON has them whole).
_CODE_WIDTH: Final = 12
#: The families' names in a node's totals line, short enough for one line.
_SHORT: Final = {
    Family.REPLY_ERRORS: "reply errors",
    Family.UNSUBSCRIBES: "unsubscribes",
    Family.DISCONNECTS: "disconnects",
    Family.CLOSES: "closes",
    Family.API_ERRORS: "API errors",
}
#: Widest method label in the report.
_METHOD_WIDTH: Final = 24


def _first_sentence(text: str) -> str:
    sentence, end, _rest = text.partition(". ")
    return sentence + "." if end else text


def _wrapped(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent)


def _node_lines(nodes: tuple[Node, ...]) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        head = f"Node {node.number}: {where(node.source)} (namespace {node.namespace})"
        if node.since is not None:
            head += f", since {where(node.since)}"
            if node.restarted:
                head += "; it restarted in between"
        counted = ", ".join(f"{_SHORT[family]} {node.totals[family]:,}" for family in FAMILIES)
        lines += _wrapped(head, "    ", "")
        lines += _wrapped(counted, "    ")
    return lines


def _code_shown(row: Row) -> str:
    if row.code is not None:
        return str(row.code)
    if row.kind == "stage":
        return row.label
    # Quoted, so that a label such as "3012 " cannot pass for the code 3012.
    return clip(ascii(row.label), _CODE_WIDTH)


def _by_method(row: Row) -> str:
    parts: list[str] = []
    for entry in row.methods or ():
        method = printable(entry.method, _METHOD_WIDTH)
        if entry.protocol is None:
            parts.append(f"{method} {entry.count:,} ({entry.client})")
        else:
            parts.append(f"{printable(entry.protocol, _METHOD_WIDTH)} {method} {entry.count:,}")
    return ", ".join(parts)


def _family_lines(found: FamilyReport, prefix: str) -> list[str]:
    rows = found.rows
    head = f"{found.family.title} ({prefix}{found.metric}): "
    if not rows:
        return _wrapped(head + "none counted", "  ", "")
    lines = _wrapped(head + f"{found.total:,}", "  ", "")
    codes = [_code_shown(row) for row in rows]
    counts = [f"{row.count:,}" for row in rows]
    code_width = max(4, *map(len, codes))
    count_width = max(5, *map(len, counts))
    client_width = max(len(row.client) for row in rows)
    names = ["stage of the call" if row.kind == "stage" else row.name or row.range or "not a code" for row in rows]
    # The name column is as wide as its longest name, within what the other columns
    # leave of WIDTH; a longer name is cut.
    room = max(WIDTH - (2 + code_width + 2 + 2 + count_width + 2 + 6 + 2 + client_width), 8)
    name_width = min(max(len("name or range"), *map(len, names)), room)
    client_head = "status" if found.family is Family.API_ERRORS else "client"
    lines.append(
        f"  {'code':<{code_width}}  {clip('name or range', name_width):<{name_width}}  "
        f"{'count':>{count_width}}  {'share':>6}  {client_head}"
    )
    indent = " " * (4 + code_width)
    for row, code, count, name in zip(rows, codes, counts, names, strict=True):
        lines.append(
            f"  {code:<{code_width}}  {clip(name, name_width):<{name_width}}  {count:>{count_width}}  "
            f"{share_text(row.count, found.total):>6}  {row.client}"
        )
        lines += _wrapped(_first_sentence(row.meaning), indent)
        if row.methods:
            lines += _wrapped(f"by method: {_by_method(row)}", indent)
    return lines


def text_report(report: Report) -> str:
    """The report as the text ``centrifugo-codes metrics`` prints."""
    nodes = report.nodes
    namespaces = sorted({node.namespace for node in nodes})
    if report.interval == "since_start":
        interval = "Counts since each node started."
    else:
        interval = "Counts between the earlier snapshots (--since) and now."
    lines = _wrapped(
        f"Protocol codes counted by {len(nodes)} node{'s' if len(nodes) > 1 else ''} "
        f"(namespace {', '.join(namespaces)}). {interval}",
        "",
    )
    lines += _node_lines(nodes)
    prefix = f"{namespaces[0]}_" if len(namespaces) == 1 else "<ns>_"
    for found in report.families:
        lines.append("")
        lines += _family_lines(found, prefix)
    lines.append("")
    if report.notes:
        lines.append("Notes:")
        for note in report.notes:
            lines += _wrapped(note.text, "    ", "  - ")
    else:
        lines.append("Notes: none.")
    return "\n".join(lines) + "\n"

"""The report as data: typed rows per family, the nodes, and notes on causes.

:func:`build` turns the nodes' counts into a :class:`Report`; the text rendering and
``--json`` are both made from it, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from .._causes import most_often
from .._codes import CodeEnum, DisconnectCode, ErrorCode, UnsubscribeCode
from .._command import span
from .._ranges import APP_ERROR_CODES, APP_TERMINAL_DISCONNECT_CODES, MAX_CODE, SERVER_TERMINAL_DISCONNECT_CODES
from ._counting import Tally, meaning_of, method_outcome
from ._families import FAMILIES, Family
from ._sources import where

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ._counting import Member, NodeCounts

__all__ = ["FREQUENT_PERCENT", "FamilyReport", "Json", "MethodCount", "Node", "Note", "Report", "Row", "build"]

#: A code is "frequent" from this share of its family on (percent).
FREQUENT_PERCENT: Final = 10

#: A JSON value, as :meth:`Report.to_json` returns it.
Json = str | int | float | bool | None | list["Json"] | dict[str, "Json"]


@dataclass(frozen=True)
class MethodCount:
    """A row's count for one command: the client's ``method`` label, or the server API's."""

    method: str
    count: int
    #: What the client does after this error to this method (for API errors, ``"-"``).
    client: str
    #: The server API's ``protocol`` label (``http``, ``grpc``...); None for client families.
    protocol: str | None = None


@dataclass(frozen=True)
class Row:
    """One code of one family, counted over every node."""

    family: Family
    #: The code, or None when the label is no code (then see ``label``).
    code: int | None
    #: The label as on the page (the first one seen, for codes written with leading zeros).
    label: str
    #: The package's member for the code, its Unknown value, or None when there is no code.
    member: Member | None
    #: ``known``, ``application``, ``client_side``, ``transport``, ``unlisted``, ``stage``
    #: (a server API label naming the stage that failed) or ``invalid``.
    kind: str
    #: The member's name, or a server API stage (``unmarshal``...); None otherwise.
    name: str | None
    #: The range the code is in, as ``"server, reconnect (3000-3499)"``.
    range: str | None
    count: int
    #: The row's percent of its family, rounded to 2 places.
    share: float
    #: What the client does after it (for server API errors: the HTTP status in transport mode).
    client: str
    meaning: str
    #: Per method, largest first: for reply errors and server API errors, else None.
    methods: tuple[MethodCount, ...] | None


@dataclass(frozen=True)
class FamilyReport:
    """One family's rows, largest count first."""

    family: Family
    #: The metric's name after ``<namespace>_``.
    metric: str
    total: int
    rows: tuple[Row, ...]

    def count(self, code: int | str) -> int:
        """The count of ``code`` (or of a label that is no code), 0 when it was not counted."""
        return sum(row.count for row in self.rows if (row.label if row.code is None else row.code) == code)


@dataclass(frozen=True)
class Node:
    """One source (a node) and its totals per family over the interval."""

    number: int
    source: str
    since: str | None
    namespace: str
    #: True when a counter went down between ``since`` and ``source``.
    restarted: bool
    totals: Mapping[Family, int]


@dataclass(frozen=True)
class Note:
    """A cause the codes point at; ``rule`` names the rule, ``text`` is one paragraph."""

    rule: str
    text: str


@dataclass(frozen=True)
class Report:
    """What the nodes counted, per family and code, with what each code means."""

    interval: Literal["since_start", "between_snapshots"]
    nodes: tuple[Node, ...]
    families: tuple[FamilyReport, ...]
    notes: tuple[Note, ...]

    def family(self, family: Family) -> FamilyReport:
        """The rows of one family."""
        return next(found for found in self.families if found.family is family)

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every row of every family, in the report's order."""
        return tuple(row for found in self.families for row in found.rows)

    def to_json(self) -> dict[str, Json]:
        """The report with the stable keys of ``centrifugo-codes metrics --json``."""
        return {
            "interval": self.interval,
            "nodes": [
                {
                    "node": node.number,
                    "source": node.source,
                    "since": node.since,
                    "namespace": node.namespace,
                    "restarted": node.restarted,
                    "totals": {family.value: node.totals[family] for family in FAMILIES},
                }
                for node in self.nodes
            ],
            "families": [
                {
                    "family": found.family.value,
                    "metric": found.metric,
                    "total": found.total,
                    "codes": [_row_json(row) for row in found.rows],
                }
                for found in self.families
            ],
            "notes": [{"rule": note.rule, "text": note.text} for note in self.notes],
        }


def _row_json(row: Row) -> dict[str, Json]:
    methods: Json = None
    if row.methods is not None:
        methods = [
            {"method": m.method, "protocol": m.protocol, "count": m.count, "client": m.client} for m in row.methods
        ]
    return {
        "code": row.code,
        "label": row.label,
        "kind": row.kind,
        "name": row.name,
        "range": row.range,
        "count": row.count,
        "share": row.share,
        "client": row.client,
        "meaning": row.meaning,
        "methods": methods,
    }


# --- Building it ---------------------------------------------------------------------------


def _methods(family: Family, code: int | None, counts: dict[tuple[str, str], int]) -> tuple[MethodCount, ...]:
    if family is Family.API_ERRORS:
        found = [MethodCount(method, n, "-", protocol) for (protocol, method), n in counts.items() if n]
    else:
        found = [MethodCount(method, n, method_outcome(method, code)) for (_p, method), n in counts.items() if n]
    found.sort(key=lambda m: (-m.count, m.method, m.protocol or ""))
    return tuple(found)


def _rows(tally: Tally, family: Family) -> tuple[Row, ...]:
    counts = tally.counts[family]
    total = sum(counts.values())
    rows: list[Row] = []
    for key, count in counts.items():
        if count == 0:
            continue
        code = key if isinstance(key, int) else None
        label = tally.labels[family, key]
        meaning = meaning_of(family, code, label)
        methods = None
        if (family, key) in tally.methods:
            methods = _methods(family, code, tally.methods[family, key])
        rows.append(
            Row(
                family=family,
                code=code,
                label=label,
                member=meaning.member,
                kind=meaning.kind,
                name=meaning.name,
                range=meaning.band,
                count=count,
                share=round(100 * count / total, 2),
                client=meaning.client,
                meaning=meaning.meaning,
                methods=methods,
            )
        )
    rows.sort(key=lambda row: (-row.count, row.code is None, row.code or 0, row.label))
    return tuple(rows)


def build(nodes: Sequence[NodeCounts]) -> Report:
    """The report over ``nodes`` (at least one), with their counts added up."""
    tally = Tally(nodes)
    families = tuple(
        FamilyReport(family, family.metric, sum(tally.counts[family].values()), _rows(tally, family))
        for family in FAMILIES
    )
    node_records: list[Node] = []
    for number, node in enumerate(nodes, start=1):
        totals = dict.fromkeys(FAMILIES, 0)
        for series, count in node.counts.items():
            totals[series[0]] += count
        node_records.append(Node(number, node.source, node.since, node.namespace, node.restarted, totals))
    report = Report(
        interval="since_start" if nodes[0].since is None else "between_snapshots",
        nodes=tuple(node_records),
        families=families,
        notes=(),
    )
    return Report(report.interval, report.nodes, report.families, tuple(_notes(report)))


# --- Notes: causes the codes point at ------------------------------------------------------


def share_text(count: int, total: int) -> str:
    """A share as the text report shows it: ``"30.1%"``."""
    return f"{100 * count / total:.1f}%"


def _frequent(count: int, total: int) -> bool:
    return count > 0 and count * 100 >= FREQUENT_PERCENT * total


def _named(member: DisconnectCode | UnsubscribeCode) -> str:
    return f"{member.code} ({member.reason})"


def _error_named(member: ErrorCode) -> str:
    return f"{member.code} ({member.message})"


def _both(parts: Sequence[tuple[int, Family, str]]) -> str:
    """The parts with a count, joined: ``"3 disconnects 3010 (...) and 1 unsubscribe 2500 (...)"``."""
    return " and ".join(f"{family.counted(count)} {named}" for count, family, named in parts if count)


def _in_codes(found: FamilyReport, codes: range) -> int:
    return sum(row.count for row in found.rows if row.code is not None and row.code in codes)


def _cause_notes(report: Report) -> list[Note]:
    """For each frequent listed code, the situation that most often sends it (its
    first cause, as measured on a live server): the first thing to look at."""
    notes: list[Note] = []
    # Close frames repeat the disconnects they carry: their causes are said once, there.
    for found in (found for found in report.families if found.family is not Family.CLOSES):
        for row in found.rows:
            cause = most_often(row.member) if isinstance(row.member, CodeEnum) else None
            if cause is not None and _frequent(row.count, found.total):
                notes.append(
                    Note(
                        f"cause_{cause.id}",
                        f"{row.code} {row.name} x{row.count:,} ({found.family.value}, "
                        f"{share_text(row.count, found.total)}), most often sent when: {cause.situation}",
                    )
                )
    return notes


def _notes(report: Report) -> list[Note]:
    notes = [
        Note(
            "restarted",
            f"Node {node.number} ({where(node.source)}) restarted between the two snapshots: one of "
            f"its counters went down. Its counts are everything since the restart.",
        )
        for node in report.nodes
        if node.restarted
    ]
    kinds: dict[str, int] = {}
    for row in report.rows:
        kinds[row.kind] = kinds.get(row.kind, 0) + row.count
    if kinds.get("invalid"):
        notes.append(
            Note(
                "invalid",
                f"{kinds['invalid']:,} counted with a code label that is not a whole number from 0 to "
                f"{MAX_CODE}: no rule applies to them, and the report shows the label as it is, quoted.",
            )
        )
    if kinds.get("unlisted"):
        notes.append(
            Note(
                "unlisted",
                f"{kinds['unlisted']:,} counted with codes that no table in this package lists, in ranges "
                f"the server keeps for itself or outside every range; a newer server may send them. "
                f"Each is shown with the range that decides what the client does.",
            )
        )
    errors = report.family(Family.REPLY_ERRORS)
    unsubscribes = report.family(Family.UNSUBSCRIBES)
    disconnects = report.family(Family.DISCONNECTS)
    lost = (
        (disconnects.count(DisconnectCode.INSUFFICIENT_STATE), Family.DISCONNECTS,
         _named(DisconnectCode.INSUFFICIENT_STATE)),
        (unsubscribes.count(UnsubscribeCode.INSUFFICIENT), Family.UNSUBSCRIBES,
         _named(UnsubscribeCode.INSUFFICIENT)),
    )  # fmt: skip
    if any(count for count, _family, _named_as in lost):
        notes.append(
            Note(
                "insufficient_state",
                f"{_both(lost)}: the server found publications missing from channel streams, lost between "
                f"the broker and the server. Clients recover, but a steady count points at the broker or "
                f"at the channels' history settings.",
            )
        )
    for member, text in (
        (
            DisconnectCode.SLOW,
            "those clients could not keep up: their queues on the server filled "
            "because they read more slowly than messages arrived.",
        ),
        (
            DisconnectCode.NO_PONG,
            "those clients did not answer the server's pings in time, so the server gave up on the connections.",
        ),
    ):
        count = disconnects.count(member)
        if _frequent(count, disconnects.total):
            notes.append(
                Note(
                    member.name.lower(),
                    f"{count:,} of {disconnects.total:,} server {'disconnect' if disconnects.total == 1 else 'disconnects'} "
                    f"({share_text(count, disconnects.total)}; noted from {FREQUENT_PERCENT}%) were "
                    f"{_named(member)}: {text}",
                )
            )
    limited = (
        (errors.count(ErrorCode.TOO_MANY_REQUESTS), Family.REPLY_ERRORS, _error_named(ErrorCode.TOO_MANY_REQUESTS)),
        (disconnects.count(DisconnectCode.TOO_MANY_REQUESTS), Family.DISCONNECTS,
         _named(DisconnectCode.TOO_MANY_REQUESTS)),
    )  # fmt: skip
    if _frequent(limited[0][0], errors.total) or _frequent(limited[1][0], disconnects.total):
        notes.append(
            Note(
                "too_many_requests",
                f"{_both(limited)}: the server's rate limits refused these clients' commands (noted from "
                f"{FREQUENT_PERCENT}% of either family).",
            )
        )
    failed = (
        (errors.count(ErrorCode.INTERNAL), Family.REPLY_ERRORS, _error_named(ErrorCode.INTERNAL)),
        (disconnects.count(DisconnectCode.SERVER_ERROR), Family.DISCONNECTS, _named(DisconnectCode.SERVER_ERROR)),
    )
    if any(count for count, _family, _named_as in failed):
        notes.append(
            Note("server_error", f"{_both(failed)}: the server failed while serving clients; its log says why.")
        )
    refused = disconnects.count(DisconnectCode.INVALID_TOKEN)
    if refused:
        notes.append(
            Note(
                "invalid_token",
                f"{Family.DISCONNECTS.counted(refused)} {_named(DisconnectCode.INVALID_TOKEN)}: the server "
                f"rejected these connection tokens and the clients stop. Check that the key the tokens are "
                f"signed with, their audience and their issuer match the server's settings.",
            )
        )
    for codes, rule, text, source in (
        (SERVER_TERMINAL_DISCONNECT_CODES, "server_terminal", "the server's terminal band", "sent by the server"),
        (
            APP_TERMINAL_DISCONNECT_CODES,
            "application_terminal",
            "the application's terminal band",
            "sent by the application (in a proxy answer or from its own server code)",
        ),
    ):
        stopped = _in_codes(disconnects, codes)
        if stopped:
            notes.append(
                Note(
                    rule,
                    f"{Family.DISCONNECTS.counted(stopped)} in {text} {span(codes)}: {source}, and "
                    f"{'that client stops and does not reconnect by itself' if stopped == 1 else 'those clients stop and do not reconnect by themselves'}.",
                )
            )
    notes += _cause_notes(report)
    custom = _in_codes(errors, APP_ERROR_CODES)
    if custom:
        notes.append(
            Note(
                "application_errors",
                f"{Family.REPLY_ERRORS.counted(custom)} with application codes {span(APP_ERROR_CODES)}: the "
                f"application's proxy backend refused {'this command' if custom == 1 else 'these commands'} "
                f"with its own errors.",
            )
        )
    return notes

"""The table of known differences between the official SDKs and the package's answers.

``differences.json`` beside this module is the one machine-readable list: each entry
says which SDK (at which version) does something else than the package answers, for
which cases, and why the package's answer is the one to give users. The conformance
suite fails on a disagreement the table does not list, and on an entry that no
longer matches a disagreement, so the table always describes the SDKs as they are.

``case`` is a case id or an :func:`fnmatch.fnmatchcase` pattern over case ids (``*``
matches any text, ``/`` included; ``?`` one character; ``[0-4]`` one of a set). A
``#connection-lost`` row (what the subscription did when the case's event ended the
connection) is matched only by a pattern that itself contains ``#``, so that
``close/*/json-*`` names the close rows and not their subscriptions'. Only the standard library is
used here, so that docs tooling can import the module without the test dependencies:
``from tests.conformance.differences import markdown``.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Final, TypedDict, cast

__all__ = ["KEYS", "SDK_NAMES", "Difference", "load", "markdown", "matches"]

#: Where the table lives.
PATH: Final = Path(__file__).with_name("differences.json")
#: The keys every entry has, and no others.
KEYS: Final = ("sdk", "version", "case", "summary", "sdk_does", "package_answers", "why")
#: The SDKs the suite runs.
SDK_NAMES: Final = ("centrifuge-js", "centrifuge-python", "centrifuge-go")


class Difference(TypedDict):
    """One row of the table."""

    sdk: str
    version: str
    case: str
    summary: str
    sdk_does: str
    package_answers: str
    why: str


def _entry(value: object, index: int) -> Difference:
    if not isinstance(value, dict):
        raise ValueError(f"differences.json entry {index}: expected an object, got {type(value).__name__}")
    fields = {str(key): item for key, item in cast("dict[object, object]", value).items()}
    if sorted(fields) != sorted(KEYS):
        raise ValueError(f"differences.json entry {index}: keys must be exactly {list(KEYS)}, got {sorted(fields)}")
    texts: dict[str, str] = {}
    for key in KEYS:
        item = fields[key]
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"differences.json entry {index}: {key!r} must be a non-empty string")
        texts[key] = item
    if texts["sdk"] not in SDK_NAMES:
        raise ValueError(f"differences.json entry {index}: unknown sdk {texts['sdk']!r}")
    return Difference(
        sdk=texts["sdk"],
        version=texts["version"],
        case=texts["case"],
        summary=texts["summary"],
        sdk_does=texts["sdk_does"],
        package_answers=texts["package_answers"],
        why=texts["why"],
    )


def load(path: Path = PATH) -> list[Difference]:
    """The entries, checked for shape; raises ``ValueError`` for a malformed table."""
    data: object = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError("differences.json must hold a JSON list")
    return [_entry(value, index) for index, value in enumerate(cast("list[object]", data))]


def matches(entry: Difference, sdk: str, case_id: str) -> bool:
    """Whether the entry is about this SDK and this case id (see the module doc for ``#``)."""
    if ("#" in case_id) != ("#" in entry["case"]):
        return False
    return entry["sdk"] == sdk and fnmatchcase(case_id, entry["case"])


def _cell(text: str) -> str:
    # A Markdown table cell is one line, and a bare "|" would end it.
    return " ".join(text.split()).replace("|", "\\|")


def markdown(entries: list[Difference] | None = None, *, compact: bool = False) -> str:
    """The table as Markdown: SDK, case, SDK does, package answers, why.

    ``compact=True`` gives the short form the README embeds: SDK, case and the one-line
    summary of each difference, with the SDK named only where it changes from the row
    above (the entries of one SDK stand together, so each SDK is named once).
    """
    rows = load() if entries is None else entries
    if compact:
        lines = ["| SDK | case | difference |", "| --- | --- | --- |"]
    else:
        lines = ["| SDK | case | SDK does | package answers | why |", "| --- | --- | --- | --- | --- |"]
    previous = ""
    for entry in rows:
        sdk, case = _cell(entry["sdk"] + " " + entry["version"]), _cell(entry["case"].replace("`", ""))
        if compact:
            named = f"| {sdk} |" if sdk != previous else "| |"
            previous = sdk
            lines.append(f"{named} `{case}` | {_cell(entry['summary'])} |")
        else:
            lines.append(
                f"| {sdk} | `{case}` | {_cell(entry['sdk_does'])} "
                f"| {_cell(entry['package_answers'])} | {_cell(entry['why'])} |"
            )
    return "\n".join(lines) + "\n"

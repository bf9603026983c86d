"""The drift guard: the package's code tables against the pinned Go sources.

``drift/main.go`` reads the centrifuge library that Centrifugo v6.9.1 requires, and
Centrifugo's server API errors, from the module cache with ``go/ast`` and prints every
code they define (see its header). Here every Go value must have a package member
with the same wire text and flags, and every package member in a family the Go side
defines must be one of its values. A code added, removed or changed by a new pin fails,
and the message names it. Deliberate exceptions are :data:`ALLOWED`, each with its
reason; an entry that no longer matches anything fails too.

The comparison is a pure function (:func:`drift`), so the tests below also show that it
catches a tampered table, whatever the pins.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from enum import IntEnum
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

import pytest

from centrifugo_protocol import ApiErrorCode, DisconnectCode, ErrorCode, UnsubscribeCode

from .harness import SetupError, binary

HERE: Final = Path(__file__).resolve().parent
TIMEOUT: Final = 120.0

#: Go values the package deliberately has no member for: (section, Go name) -> reason.
ALLOWED: Final[dict[tuple[str, str], str]] = {
    ("unsubscribe_codes", "UnsubscribeCodeClient"): (
        "Code 0 is the server's own record of a client that unsubscribed itself; it never "
        "reaches the client as an unsubscribe, and 0-1999 are not unsubscribe codes on the wire."
    ),
    ("unsubscribe_codes", "UnsubscribeCodeDisconnect"): (
        "Code 1 is the server's own record of a subscription that ended with its connection; "
        "it never reaches the client as an unsubscribe."
    ),
    ("unsubscribes", "unsubscribeClient"): "The value of UnsubscribeCodeClient (code 0), above.",
    ("unsubscribes", "unsubscribeDisconnect"): "The value of UnsubscribeCodeDisconnect (code 1), above.",
}

Report = dict[str, Any]


def _family_check(
    problems: list[str],
    used: set[tuple[str, str]],
    section: str,
    values: list[dict[str, Any]],
    family: type[IntEnum],
    fields: dict[str, Callable[[Any], object]],
) -> None:
    """Every Go value of ``section`` against ``family``, and every member back."""
    seen: set[int] = set()
    for value in values:
        name, code = str(value["name"]), int(value["code"])
        if (section, name) in ALLOWED:
            used.add((section, name))
            continue
        seen.add(code)
        try:
            member = family(code)
        except ValueError:
            problems.append(f"{section}: the Go side defines {name} = {code}, which {family.__name__} lacks")
            continue
        for field, read in fields.items():
            go, package = value.get(field, _ZERO[field]), read(member)
            if go != package:
                problems.append(
                    f"{section}: {family.__name__}.{member.name} ({code}) has {field} {package!r}, "
                    f"the Go side's {name} {go!r}"
                )
    problems.extend(
        f"{section}: {family.__name__}.{member.name} ({int(member)}) is not defined on the Go side any more"
        for member in family
        if int(member) not in seen
    )


_ZERO: Final[dict[str, object]] = {
    "reason": "",
    "message": "",
    "temporary": False,
    "http_status": 0,
    "grpc_status": "",
}


def drift(report: Report) -> list[str]:
    """Every difference between the Go side's codes (``report``) and the package's."""
    problems: list[str] = []
    used: set[tuple[str, str]] = set()
    _family_check(
        problems,
        used,
        "disconnects",
        report["disconnects"],
        DisconnectCode,
        {"reason": lambda m: m.reason},
    )
    _family_check(
        problems,
        used,
        "errors",
        report["errors"],
        ErrorCode,
        {"message": lambda m: m.message, "temporary": lambda m: m.temporary},
    )
    _family_check(
        problems,
        used,
        "api_errors",
        report["api_errors"],
        ApiErrorCode,
        {
            "message": lambda m: m.message,
            "http_status": lambda m: int(m.http_status),
            "grpc_status": lambda m: m.grpc_status,
        },
    )
    # Unsubscribe codes: the constants give the codes, the values the reasons. A code
    # with a constant and no value has no default reason, so the package claims none.
    reasons = {int(v["code"]): v for v in report["unsubscribes"]}
    constants = [
        {"name": c["name"], "code": c["code"], "reason": reasons.get(int(c["code"]), {}).get("reason", "")}
        for c in report["unsubscribe_codes"]
    ]
    _family_check(problems, used, "unsubscribe_codes", constants, UnsubscribeCode, {"reason": lambda m: m.reason})
    for value in report["unsubscribes"]:
        key = ("unsubscribes", str(value["name"]))
        if key in ALLOWED:
            used.add(key)
        elif int(value["code"]) not in {int(c["code"]) for c in report["unsubscribe_codes"]}:
            problems.append(
                f"unsubscribes: {value['name']} has code {value['code']}, which no UnsubscribeCode constant names"
            )
    # A code the mapping functions do not list.
    default = report["api_default"]
    unknown = ApiErrorCode.lookup(1999)
    if (int(unknown.http_status), unknown.grpc_status) != (default["http_status"], default["grpc_status"]):
        problems.append(
            f"api_default: an unlisted server API code maps to HTTP {default['http_status']} and gRPC "
            f"{default['grpc_status']}; the package says {int(unknown.http_status)} and {unknown.grpc_status}"
        )
    problems.extend(
        f"allow-list: {key} matches nothing the Go side defines any more; remove it" for key in ALLOWED.keys() - used
    )
    return problems


@pytest.fixture(scope="module")
def report() -> Report:
    try:
        program = binary("drift")
    except SetupError as error:
        pytest.fail(f"drift guard setup: {error}", pytrace=False)
    result = subprocess.run(
        [str(program), "-module", str(HERE)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd=HERE,
    )
    assert result.returncode == 0, f"drift failed:\n{result.stderr}"
    parsed: Report = json.loads(result.stdout)
    return parsed


def test_the_pins_are_the_ones_read(report: Report) -> None:
    gomod = (HERE / "go.mod").read_text(encoding="utf-8")
    for module in (report["library"], report["centrifugo"]):
        assert f"{module['path']} {module['version']}" in gomod


def test_the_go_side_defines_something_in_every_section(report: Report) -> None:
    # An empty section would make the comparison pass vacuously (a moved file, say).
    for section in ("disconnects", "errors", "unsubscribes", "unsubscribe_codes", "api_errors"):
        assert report[section], f"the Go side printed no {section}"


def test_the_package_matches_the_pinned_sources(report: Report) -> None:
    problems = drift(report)
    assert not problems, "the package and the pinned Go sources differ:\n" + "\n".join(problems)


def test_api_statuses_are_http_statuses(report: Report) -> None:
    for value in report["api_errors"]:
        HTTPStatus(value["http_status"])


# --- The comparison catches tampering, in either table ----------------------------------


def _tampered(report: Report, change: Callable[[Report], object]) -> list[str]:
    copied = copy.deepcopy(report)
    change(copied)
    return drift(copied)


def _find(report: Report, section: str, code: int) -> dict[str, Any]:
    return next(v for v in report[section] if int(v["code"]) == code)


def test_a_changed_reason_is_named(report: Report) -> None:
    problems = _tampered(report, lambda r: _find(r, "disconnects", 3503).update(reason="forced"))
    assert any("FORCE_NO_RECONNECT (3503)" in p and "'forced'" in p for p in problems), problems


def test_a_changed_flag_is_named(report: Report) -> None:
    problems = _tampered(report, lambda r: _find(r, "errors", 111).update(temporary=False))
    assert any("TOO_MANY_REQUESTS (111)" in p and "temporary" in p for p in problems), problems


def test_a_new_code_is_named(report: Report) -> None:
    problems = _tampered(
        report, lambda r: r["disconnects"].append({"name": "DisconnectNew", "code": 3515, "reason": "new"})
    )
    assert any("DisconnectNew = 3515" in p for p in problems), problems


def test_a_removed_code_is_named(report: Report) -> None:
    def remove(r: Report) -> None:
        r["unsubscribe_codes"] = [c for c in r["unsubscribe_codes"] if c["code"] != 2501]

    problems = _tampered(report, remove)
    assert any("UnsubscribeCode.EXPIRED (2501)" in p for p in problems), problems


def test_a_changed_api_mapping_is_named(report: Report) -> None:
    problems = _tampered(report, lambda r: _find(r, "api_errors", 112).update(http_status=400, grpc_status="X"))
    assert any("UNRECOVERABLE_POSITION (112)" in p and "http_status" in p for p in problems), problems
    assert any("UNRECOVERABLE_POSITION (112)" in p and "grpc_status" in p for p in problems), problems


def test_a_stale_allow_list_entry_fails(report: Report) -> None:
    def remove(r: Report) -> None:
        r["unsubscribes"] = [v for v in r["unsubscribes"] if v["name"] != "unsubscribeClient"]

    problems = _tampered(report, remove)
    assert any("unsubscribeClient" in p and "allow-list" in p for p in problems), problems

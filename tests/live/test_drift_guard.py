"""The drift guard: the package's code tables against the pinned Go sources.

``driftguard`` (``tests/live/driftguard/``) reads the centrifuge library and Centrifugo
at the versions ``tests/live/go.mod`` pins, straight from their sources in the Go
module cache, and prints every code they define as JSON. This module compares that
output, field by field, with :class:`ErrorCode`, :class:`UnsubscribeCode`,
:class:`DisconnectCode` and :class:`ApiErrorCode`. A code the sources define and the
package lacks, a code the package has and the sources do not, and any field that
differs fails the test with the family, code, field and both values.

Differences that are deliberate are rows of :data:`ALLOWED`, each with its reason. A
row that no longer matches a real difference fails too, so the list cannot go stale.

The comparison is a chain of pure functions (:func:`go_tables`, :func:`package_tables`,
:func:`diff`, :func:`unexplained`), so the tests at the end can feed it a tampered copy
of the Go output and check that each change is caught by name.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Final, cast

import pytest

from centrifugo_protocol import ApiErrorCode, DisconnectCode, ErrorCode, UnsubscribeCode

from .harness import HERE, SetupError, binary

#: A table: family -> code -> field -> value. ``None`` as the code stands for "any
#: code the table does not list" (the server API's default transport mapping).
Tables = dict[str, dict[int | None, dict[str, object]]]

#: The families, named by the key of the Go output they come from and the package
#: class they are held against.
FAMILIES: Final[Mapping[str, type[Enum]]] = {
    "errors": ErrorCode,
    "unsubscribe_codes": UnsubscribeCode,
    "disconnects": DisconnectCode,
    "api_errors": ApiErrorCode,
}

#: Keys of the Go output that say where a value comes from, not what it is.
_SOURCE_KEYS: Final = frozenset({"name", "file", "value"})

#: The package's attribute for each field the Go output can carry; a Go field missing
#: here is a field the package does not model, and is reported as such.
_ATTRIBUTES: Final[Mapping[str, frozenset[str]]] = {
    "errors": frozenset({"message", "temporary"}),
    "unsubscribe_codes": frozenset({"reason", "resubscribe"}),
    "disconnects": frozenset({"reason", "reconnect"}),
    "api_errors": frozenset({"message", "http_status", "grpc_status"}),
}

#: The fields the Go sources must define for every code of a family: one that goes
#: missing (a struct field dropped, a mapping switch moved) is a difference, not a
#: field left out of the comparison.
_REQUIRED: Final[Mapping[str, frozenset[str]]] = {
    "errors": frozenset({"message", "temporary"}),
    "unsubscribe_codes": frozenset({"reason"}),
    "disconnects": frozenset({"reason"}),
    "api_errors": frozenset({"message", "http_status", "grpc_status"}),
}


class _Missing(Enum):
    MISSING = "missing"

    def __repr__(self) -> str:
        return "<not defined>"


MISSING: Final = _Missing.MISSING


@dataclass(frozen=True)
class Drift:
    """One difference between the Go sources and the package.

    ``field`` is ``"code"`` when the code itself is defined on one side only (the value
    then names the Go declaration, or says the package's member).
    """

    family: str
    code: int | None
    field: str
    go: object
    package: object

    def __str__(self) -> str:
        where = "any unlisted code" if self.code is None else f"code {self.code}"
        return f"{self.family} {where}: {self.field} is {self.go!r} in the Go sources, {self.package!r} in the package"


@dataclass(frozen=True)
class Allowed:
    """A deliberate difference: which one it is and why the package differs."""

    family: str
    code: int | None
    field: str
    reason: str

    def matches(self, drift: Drift) -> bool:
        return (self.family, self.code, self.field) == (drift.family, drift.code, drift.field)


ALLOWED: Final[tuple[Allowed, ...]] = (
    Allowed(
        "unsubscribe_codes",
        0,
        "code",
        "The library uses 0 for a subscription the client itself ended; it is never sent to a "
        "client, so it is not a server unsubscribe code (SDKs report their own 0, "
        "UnsubscribedCode.UNSUBSCRIBE_CALLED).",
    ),
    Allowed(
        "unsubscribe_codes",
        1,
        "code",
        "The library uses 1 for subscriptions that end because their connection closed; it is "
        "never sent to a client, so it is not a server unsubscribe code.",
    ),
)


def _exact_equal(a: object, b: object) -> bool:
    # True == 1 in Python; a flag that turned into a number is a change.
    return type(a) is type(b) and a == b


def go_tables(output: Mapping[str, object]) -> tuple[Tables, list[Drift]]:
    """The driftguard output as tables, and what in it is inconsistent on its own.

    An unsubscribe code without an ``Unsubscribe`` value has no reason text in the
    sources; the server then sends none, so its reason is ``""``. A server API error's
    transport statuses come from the mapping switches; a case for a code that no
    ``Error`` value defines is reported. A field of :data:`_REQUIRED` that an entry
    lacks is kept as :data:`MISSING`, so that the comparison reports it.
    """
    tables: Tables = {}
    problems: list[Drift] = []
    for family in FAMILIES:
        entries = output.get(family)
        if not isinstance(entries, list):
            raise ValueError(f"driftguard output has no list {family!r}, got {entries!r}")
        table: dict[int | None, dict[str, object]] = {}
        for raw in cast("list[object]", entries):
            if not isinstance(raw, dict):
                raise ValueError(f"driftguard output {family!r} holds {raw!r}, expected objects")
            entry = cast("dict[str, object]", raw)
            code = entry.get("code")
            if type(code) is not int:
                raise ValueError(f"driftguard output {family!r} entry {entry!r} has no int code")
            fields = {k: v for k, v in entry.items() if k not in _SOURCE_KEYS and k != "code"}
            fields["code"] = entry.get("name", MISSING)
            if family == "unsubscribe_codes":
                fields.setdefault("reason", "")
            for required in _REQUIRED[family]:
                fields.setdefault(required, MISSING)
            earlier = table.get(code)
            if earlier is not None and {k: v for k, v in earlier.items() if k != "code"} != {
                k: v for k, v in fields.items() if k != "code"
            }:
                problems.append(
                    Drift(family, code, "code", f"defined twice: {earlier['code']}, {fields['code']}", MISSING)
                )
            table.setdefault(code, fields)
        tables[family] = table
    defaults = output.get("api_error_default")
    if not isinstance(defaults, dict):
        raise ValueError(f"driftguard output has no object 'api_error_default', got {defaults!r}")
    default_fields = cast("dict[str, object]", defaults)
    tables["api_errors"][None] = {
        status: default_fields.get(status, MISSING) for status in ("http_status", "grpc_status")
    }
    maps = output.get("api_error_maps")
    if not isinstance(maps, list):
        raise ValueError(f"driftguard output has no list 'api_error_maps', got {maps!r}")
    for raw_map in cast("list[object]", maps):
        mapping = cast("dict[str, object]", raw_map)
        cases = cast("dict[str, object]", mapping.get("cases", {}))
        for key, answer in cases.items():
            if int(key) not in tables["api_errors"]:
                problems.append(
                    Drift("api_errors", int(key), f"{mapping.get('transport')}_status", answer, "no Error value")
                )
    return tables, problems


def package_tables(families: Mapping[str, type[Enum]] = FAMILIES) -> Tables:
    """The package's tables, in the same shape, with every attribute it models."""
    tables: Tables = {}
    for family, enum in families.items():
        table: dict[int | None, dict[str, object]] = {}
        for member in enum:
            fields: dict[str, object] = {"code": f"{enum.__name__}.{member.name}"}
            for attribute in sorted(_ATTRIBUTES[family]):
                value: object = getattr(member, attribute)
                if attribute == "http_status":
                    value = int(cast("int", value))
                fields[attribute] = value
            table[int(cast("int", member))] = fields
        tables[family] = table
    unknown = ApiErrorCode.lookup(2**32 - 1)
    tables["api_errors"][None] = {"http_status": int(unknown.http_status), "grpc_status": unknown.grpc_status}
    return tables


def diff(go: Tables, package: Tables) -> list[Drift]:
    """Every difference: codes on one side only, then fields the Go side defines that
    differ (or that the package does not model). Fields only the package has (such as
    ``resubscribe``, a protocol rule with no value in the sources) are not compared."""
    found: list[Drift] = []
    for family in FAMILIES:
        go_table, package_table = go.get(family, {}), package.get(family, {})
        for code in sorted(set(go_table) | set(package_table), key=lambda c: -1 if c is None else c):
            if code not in package_table:
                found.append(Drift(family, code, "code", go_table[code]["code"], MISSING))
                continue
            if code not in go_table:
                found.append(Drift(family, code, "code", MISSING, package_table[code]["code"]))
                continue
            for field, value in sorted(go_table[code].items()):
                if field == "code":
                    continue
                theirs = package_table[code].get(field, MISSING)
                if not _exact_equal(value, theirs):
                    found.append(Drift(family, code, field, value, theirs))
    return found


def unexplained(drifts: Iterable[Drift], allowed: Iterable[Allowed] = ALLOWED) -> list[str]:
    """Messages for the differences no row allows, and for the rows that allow none."""
    drifts, allowed = list(drifts), list(allowed)
    messages = [str(d) for d in drifts if not any(a.matches(d) for a in allowed)]
    for row in allowed:
        if not any(row.matches(d) for d in drifts):
            where = "any unlisted code" if row.code is None else f"code {row.code}"
            messages.append(
                f"allow-list row {row.family} {where} {row.field} matches no difference any more; remove it"
            )
    return messages


def check(output: Mapping[str, object], allowed: Iterable[Allowed] = ALLOWED) -> list[str]:
    """The whole guard: what fails for this driftguard output."""
    go, problems = go_tables(output)
    return unexplained([*problems, *diff(go, package_tables())], allowed)


# --- the guard itself -------------------------------------------------------------


def _run(*args: str) -> dict[str, object]:
    """The driftguard's output, run from tests/live with ``args``."""
    try:
        program = binary("driftguard")
    except SetupError as error:
        pytest.fail(f"drift guard setup: {error}", pytrace=False)
    result = subprocess.run(
        [str(program), "-C", str(HERE), *args], capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"driftguard failed ({result.returncode}): {result.stderr}", pytrace=False)
    return cast("dict[str, object]", json.loads(result.stdout))


@pytest.fixture(scope="module")
def go_output() -> dict[str, object]:
    return _run()


def test_sources_are_the_pinned_versions(go_output: dict[str, object]) -> None:
    pins = (HERE / "go.mod").read_text(encoding="utf-8")
    modules = cast("list[dict[str, str]]", go_output["modules"])
    assert [m["path"] for m in modules] == ["github.com/centrifugal/centrifuge", "github.com/centrifugal/centrifugo/v6"]
    for m in modules:
        assert f"{m['path']} {m['version']}" in pins, m
        assert m["dir"].endswith(f"@{m['version']}"), m


def test_the_go_sources_define_what_the_package_says(go_output: dict[str, object]) -> None:
    messages = check(go_output)
    versions = ", ".join(f"{m['path']}@{m['version']}" for m in cast("list[dict[str, str]]", go_output["modules"]))
    assert not messages, f"the package's tables differ from {versions}:\n" + "\n".join(messages)


def test_the_go_output_is_not_empty(go_output: dict[str, object]) -> None:
    # A reader that found nothing would agree with an empty package; the package is
    # not empty, so every family must have come through.
    go, _ = go_tables(go_output)
    for family, enum in FAMILIES.items():
        assert len(go[family]) >= len(enum), family
    assert {"http_status", "grpc_status"} <= go["api_errors"][100].keys()


# --- the guard catches tampering --------------------------------------------------


def _entry(output: dict[str, object], family: str, code: int) -> dict[str, object]:
    for entry in cast("list[dict[str, object]]", output[family]):
        if entry["code"] == code:
            return entry
    raise AssertionError(f"no {family} {code} in the driftguard output")


def _one_failure(output: dict[str, object]) -> str:
    messages = check(output)
    assert len(messages) == 1, messages
    return messages[0]


def test_the_untampered_output_passes(go_output: dict[str, object]) -> None:
    assert check(go_output) == []


def test_a_changed_reason_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    _entry(tampered, "disconnects", 3012)["reason"] = "no pong!"
    assert _one_failure(tampered) == (
        "disconnects code 3012: reason is 'no pong!' in the Go sources, 'no pong' in the package"
    )


def test_a_changed_message_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    _entry(tampered, "errors", 109)["message"] = "token  expired"
    assert "errors code 109: message is 'token  expired'" in _one_failure(tampered)


def test_a_removed_code_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    errors = cast("list[dict[str, object]]", tampered["errors"])
    errors.remove(_entry(tampered, "errors", 111))
    assert _one_failure(tampered) == (
        "errors code 111: code is <not defined> in the Go sources, 'ErrorCode.TOO_MANY_REQUESTS' in the package"
    )


def test_an_added_code_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    disconnects = cast("list[dict[str, object]]", tampered["disconnects"])
    disconnects.append({"name": "DisconnectSomethingNew", "file": "disconnect.go", "code": 3015, "reason": "new"})
    assert _one_failure(tampered) == (
        "disconnects code 3015: code is 'DisconnectSomethingNew' in the Go sources, <not defined> in the package"
    )


def test_a_flipped_temporary_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    entry = _entry(tampered, "errors", 100)
    assert entry["temporary"] is True
    entry["temporary"] = False
    assert _one_failure(tampered) == ("errors code 100: temporary is False in the Go sources, True in the package")


def test_a_flag_turned_number_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    _entry(tampered, "errors", 100)["temporary"] = 1
    assert "errors code 100: temporary is 1" in _one_failure(tampered)


def test_a_changed_unsubscribe_reason_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    _entry(tampered, "unsubscribe_codes", 2502)["reason"] = "state invalidated"
    assert "unsubscribe_codes code 2502: reason is 'state invalidated' in the Go sources, '' in the package" in (
        _one_failure(tampered)
    )


def test_changed_api_statuses_are_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    entry = _entry(tampered, "api_errors", 113)
    entry["http_status"] = 400
    entry["grpc_status"] = "ABORTED"
    messages = check(tampered)
    assert messages == [
        "api_errors code 113: grpc_status is 'ABORTED' in the Go sources, 'ALREADY_EXISTS' in the package",
        "api_errors code 113: http_status is 400 in the Go sources, 409 in the package",
    ]


def test_an_unmapped_api_error_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    del _entry(tampered, "api_errors", 112)["grpc_status"]
    assert _one_failure(tampered) == (
        "api_errors code 112: grpc_status is <not defined> in the Go sources, 'OUT_OF_RANGE' in the package"
    )


def test_a_changed_default_mapping_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    cast("dict[str, object]", tampered["api_error_default"])["http_status"] = 400
    assert _one_failure(tampered) == (
        "api_errors any unlisted code: http_status is 400 in the Go sources, 500 in the package"
    )


def test_a_mapping_case_without_an_error_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    maps = cast("list[dict[str, object]]", tampered["api_error_maps"])
    cast("dict[str, object]", maps[0]["cases"])["114"] = "INTERNAL"
    assert "api_errors code 114" in _one_failure(tampered)


def test_a_field_gone_from_the_go_sources_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    for entry in cast("list[dict[str, object]]", tampered["errors"]):
        del entry["temporary"]
    messages = check(tampered)
    assert len(messages) == len(ErrorCode), messages
    assert "errors code 113: temporary is <not defined> in the Go sources, True in the package" in messages
    tampered = copy.deepcopy(go_output)
    del _entry(tampered, "disconnects", 3001)["reason"]
    assert _one_failure(tampered) == (
        "disconnects code 3001: reason is <not defined> in the Go sources, 'shutdown' in the package"
    )


def test_a_new_go_field_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    _entry(tampered, "disconnects", 3500)["reconnect"] = True
    assert _one_failure(tampered) == (
        "disconnects code 3500: reconnect is True in the Go sources, False in the package"
    )
    _entry(tampered, "disconnects", 3500)["reconnect"] = False
    _entry(tampered, "disconnects", 3500)["log_level"] = 2
    assert _one_failure(tampered) == (
        "disconnects code 3500: log_level is 2 in the Go sources, <not defined> in the package"
    )


def test_a_code_defined_twice_differently_is_named(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    errors = cast("list[dict[str, object]]", tampered["errors"])
    errors.append({"name": "ErrorInternalAgain", "file": "errors.go", "code": 100, "message": "x", "temporary": True})
    assert "errors code 100: code is 'defined twice: ErrorInternal, ErrorInternalAgain'" in _one_failure(tampered)


def test_an_allowed_difference_that_is_gone_fails(go_output: dict[str, object]) -> None:
    tampered = copy.deepcopy(go_output)
    codes = cast("list[dict[str, object]]", tampered["unsubscribe_codes"])
    codes.remove(_entry(tampered, "unsubscribe_codes", 1))
    assert _one_failure(tampered) == (
        "allow-list row unsubscribe_codes code 1 code matches no difference any more; remove it"
    )


def test_a_tampered_package_table_is_named(go_output: dict[str, object]) -> None:
    go, problems = go_tables(go_output)
    package = package_tables()
    package["disconnects"][3501]["reason"] = "bad request "
    del package["api_errors"][104]
    messages = unexplained([*problems, *diff(go, package)])
    assert messages == [
        "disconnects code 3501: reason is 'bad request' in the Go sources, 'bad request ' in the package",
        "api_errors code 104: code is 'ErrorNotFound' in the Go sources, <not defined> in the package",
    ]


def test_malformed_output_is_refused() -> None:
    with pytest.raises(ValueError, match="no list 'errors'"):
        go_tables({})
    with pytest.raises(ValueError, match="has no int code"):
        go_tables({"errors": [{"name": "ErrorX", "code": "100"}]})


# --- the reader reads the sources -------------------------------------------------

#: Declarations added to a copy of the library's package: a const block with iota and
#: implicit repetition, a named constant, string concatenation, a field read from
#: another value, a conversion, and a field left to its zero value.
_EXTRA_GO: Final = """package centrifuge

const (
	UnsubscribeCodeDriftA uint32 = 2600 + iota
	_
	UnsubscribeCodeDriftB
)

const driftBase = 4000

var DisconnectDrift = Disconnect{Code: driftBase + 2, Reason: "drift " + "guard"}

var ErrorDrift = &Error{Code: uint32(ErrorInternal.Code) * 4, Message: "drift"}
"""


def test_the_reader_follows_edited_sources(go_output: dict[str, object], tmp_path: Path) -> None:
    modules = cast("list[dict[str, str]]", go_output["modules"])
    library = Path(modules[0]["dir"])
    copied = tmp_path / "centrifuge"
    copied.mkdir()
    for source in library.glob("*.go"):
        if not source.name.endswith("_test.go"):
            shutil.copyfile(source, copied / source.name)
    errors_go = copied / "errors.go"
    text = errors_go.read_text(encoding="utf-8")
    assert text.count('Message:   "too many requests",') == 1
    errors_go.write_text(text.replace('Message:   "too many requests",', 'Message:   "too many requests!",'), "utf-8")
    (copied / "drift_extra.go").write_text(_EXTRA_GO, encoding="utf-8")

    read = _run("-library", str(copied))
    messages = check(read)

    assert messages == [
        "errors code 111: message is 'too many requests!' in the Go sources, 'too many requests' in the package",
        "errors code 400: code is 'ErrorDrift' in the Go sources, <not defined> in the package",
        "unsubscribe_codes code 2600: code is 'UnsubscribeCodeDriftA' in the Go sources, <not defined> in the package",
        "unsubscribe_codes code 2602: code is 'UnsubscribeCodeDriftB' in the Go sources, <not defined> in the package",
        "disconnects code 4002: code is 'DisconnectDrift' in the Go sources, <not defined> in the package",
    ]
    assert _entry(read, "disconnects", 4002)["reason"] == "drift guard"
    assert _entry(read, "errors", 400)["temporary"] is False
    assert "reason" not in _entry(read, "unsubscribe_codes", 2602)


def test_the_reader_follows_an_edited_mapping(go_output: dict[str, object], tmp_path: Path) -> None:
    modules = cast("list[dict[str, str]]", go_output["modules"])
    apiproto = Path(modules[1]["dir"]) / "internal" / "apiproto"
    copied = tmp_path / "centrifugo" / "internal" / "apiproto"
    copied.mkdir(parents=True)
    for source in apiproto.glob("*.go"):
        if not source.name.endswith("_test.go"):
            shutil.copyfile(source, copied / source.name)
    errors_go = copied / "errors.go"
    text = errors_go.read_text(encoding="utf-8")
    assert text.count("return http.StatusConflict") == 1
    assert text.count("return codes.OutOfRange") == 1
    text = text.replace("return http.StatusConflict", "return http.StatusTeapot")
    text = text.replace("return codes.OutOfRange", "return codes.DataLoss")
    errors_go.write_text(text, encoding="utf-8")

    assert check(_run("-server", str(tmp_path / "centrifugo"))) == [
        "api_errors code 112: grpc_status is 'DATA_LOSS' in the Go sources, 'OUT_OF_RANGE' in the package",
        "api_errors code 113: http_status is 418 in the Go sources, 409 in the package",
    ]

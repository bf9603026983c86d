# pyright: reportPrivateUsage=false
"""The four server code families against the spec, and lookup() for every code."""

from __future__ import annotations

import copy
import enum
import inspect
import pickle
from http import HTTPStatus
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import centrifugo_protocol
from centrifugo_protocol import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    _api_codes,
    _codes,
    _ranges,
)

from . import spec

Family = type[ErrorCode] | type[UnsubscribeCode] | type[DisconnectCode] | type[ApiErrorCode]
FAMILIES: list[tuple[Family, type[Any], dict[int, Any]]] = [
    (ErrorCode, UnknownErrorCode, spec.ERRORS),
    (UnsubscribeCode, UnknownUnsubscribeCode, spec.UNSUBSCRIBES),
    (DisconnectCode, UnknownDisconnectCode, spec.DISCONNECTS),
    (ApiErrorCode, UnknownApiErrorCode, spec.API_ERRORS),
]
family_ids = [f.__name__ for f, _, _ in FAMILIES]
codes = st.integers(min_value=0, max_value=spec.UINT32_MAX)


# --- Members against the spec ------------------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), sorted(spec.ERRORS.items()))
def test_error_member_matches_spec(code: int, expected: tuple[str, str, bool]) -> None:
    name, message, temporary = expected
    member = ErrorCode[name]
    assert member.code == code
    assert type(member.code) is int
    assert member.message == message
    assert member.temporary is temporary


@pytest.mark.parametrize(("code", "expected"), sorted(spec.UNSUBSCRIBES.items()))
def test_unsubscribe_member_matches_spec(code: int, expected: tuple[str, str, bool]) -> None:
    name, reason, resubscribe = expected
    member = UnsubscribeCode[name]
    assert member.code == code
    assert member.reason == reason
    assert member.resubscribe is resubscribe


@pytest.mark.parametrize(("code", "expected"), sorted(spec.DISCONNECTS.items()))
def test_disconnect_member_matches_spec(code: int, expected: tuple[str, str, bool]) -> None:
    name, reason, reconnect = expected
    member = DisconnectCode[name]
    assert member.code == code
    assert member.reason == reason
    assert member.reconnect is reconnect


@pytest.mark.parametrize(("code", "expected"), sorted(spec.API_ERRORS.items()))
def test_api_error_member_matches_spec(code: int, expected: tuple[str, str, int, str]) -> None:
    name, message, http_status, grpc_status = expected
    member = ApiErrorCode[name]
    assert member.code == code
    assert member.message == message
    assert member.http_status == http_status
    assert type(member.http_status) is HTTPStatus
    assert member.grpc_status == grpc_status


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_family_holds_exactly_the_spec_codes(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    assert sorted(m.code for m in family) == sorted(table)
    assert {m.name for m in family} == {row[0] for row in table.values()}


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_family_has_no_aliases(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    # enum.unique guards the class; an alias would hide from iteration but not from __members__.
    assert len(family.__members__) == len(list(family)) == len(table)


def test_enum_unique_guard_rejects_a_duplicate_value() -> None:
    with pytest.raises(ValueError, match="duplicate"):

        @enum.unique
        class Twice(_codes.ReasonCodeEnum):
            A = _codes.row(1, reason="a", description="a")
            B = _codes.row(1, reason="b", description="b")


def test_a_row_without_its_field_fails_at_class_creation() -> None:
    with pytest.raises(AttributeError):

        class Broken(_codes.ReasonCodeEnum):  # pyright: ignore[reportUnusedClass]
            A = _codes.row(1, description="no reason given")


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_every_member_explains_itself(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    descriptions = [m.description for m in family]
    for text in descriptions:
        assert len(text) >= 40
        assert text[0].isupper()
        assert text.endswith((".", ")"))
    assert len(set(descriptions)) == len(descriptions)


def test_descriptions_state_the_consequence_the_flag_gives() -> None:
    for member in DisconnectCode:
        expected = "reconnects" if member.reconnect else "stops"
        assert expected in member.description, member
    for unsubscribe in UnsubscribeCode:
        assert ("subscribes again" in unsubscribe.description) is unsubscribe.resubscribe
    for error in ErrorCode:
        assert ("Temporary:" in error.description) is error.temporary


def test_numbers_mean_different_things_in_client_and_api_families() -> None:
    assert ErrorCode(104).message == "method not found"
    assert ApiErrorCode(104).message == "not found"
    assert ErrorCode(113).message == "concurrent pagination"
    assert ApiErrorCode(113).message == "conflict"


# --- Behaviour of members -------------------------------------------------------------


@pytest.mark.parametrize("member", [*ErrorCode, *UnsubscribeCode, *DisconnectCode, *ApiErrorCode], ids=repr)
def test_member_str_format_repr_pickle(member: enum.IntEnum) -> None:
    number = spec_code(member)
    assert str(member) == str(number)
    assert format(member) == str(number)
    assert f"{member}" == str(number)
    assert f"{member:>8}" == f"{number:>8}"
    assert f"{member:x}" == f"{number:x}"
    assert repr(member) == f"<{type(member).__name__}.{member.name}: {number}>"
    assert member == number
    assert hash(member) == hash(number)
    assert type(member)(number) is member
    assert pickle.loads(pickle.dumps(member)) is member
    assert copy.deepcopy(member) is member
    assert copy.copy(member) is member
    assert type(member.value) is int


def spec_code(member: enum.IntEnum) -> int:
    """The member's number according to the spec tables, found by family and name."""
    tables: dict[str, dict[int, Any]] = {
        "ErrorCode": spec.ERRORS,
        "UnsubscribeCode": spec.UNSUBSCRIBES,
        "DisconnectCode": spec.DISCONNECTS,
        "ApiErrorCode": spec.API_ERRORS,
    }
    table = tables[type(member).__name__]
    (code,) = [code for code, row in table.items() if row[0] == member.name]
    return code


@pytest.mark.parametrize(
    ("member", "attribute"),
    [
        (ErrorCode.INTERNAL, "message"),
        (ErrorCode.INTERNAL, "temporary"),
        (ErrorCode.INTERNAL, "description"),
        (ErrorCode.INTERNAL, "code"),
        (UnsubscribeCode.SERVER, "reason"),
        (UnsubscribeCode.SERVER, "resubscribe"),
        (DisconnectCode.NO_PONG, "reason"),
        (DisconnectCode.NO_PONG, "reconnect"),
        (ApiErrorCode.CONFLICT, "http_status"),
        (ApiErrorCode.CONFLICT, "grpc_status"),
    ],
)
def test_member_attributes_are_read_only(member: enum.IntEnum, attribute: str) -> None:
    before = getattr(member, attribute)
    with pytest.raises(AttributeError):
        setattr(member, attribute, "changed")
    assert getattr(member, attribute) == before


# --- lookup() ----------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_lookup_returns_the_member_for_every_spec_code(
    family: Family, unknown: type[Any], table: dict[int, Any]
) -> None:
    for code, row in table.items():
        found = family.lookup(code)
        assert found is family[row[0]]


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
@given(code=codes)
def test_lookup_accepts_every_uint32(family: Family, unknown: type[Any], table: dict[int, Any], code: int) -> None:
    found = family.lookup(code)
    assert found.code == code
    if code in table:
        assert isinstance(found, family)
    else:
        assert type(found) is unknown
        assert found == unknown(code)
        assert not isinstance(found, int)


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_lookup_accepts_int_subclasses_as_their_number(
    family: Family, unknown: type[Any], table: dict[int, Any]
) -> None:
    assert family.lookup(DisconnectCode.NO_PONG) == family.lookup(3012)
    assert type(family.lookup(ErrorCode.INTERNAL).code) is int


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
@pytest.mark.parametrize(
    ("bad", "shown", "type_name"),
    [
        ("3012", "'3012'", "str"),
        (3012.0, "3012.0", "float"),
        (True, "True", "bool"),
        (False, "False", "bool"),
        (None, "None", "NoneType"),
        (b"3012", "b'3012'", "bytes"),
        ([3012], "[3012]", "list"),
        ({"code": 1}, "{'code': 1}", "dict"),
    ],
)
def test_lookup_rejects_non_ints_with_a_type_error(
    family: Family, unknown: type[Any], table: dict[int, Any], bad: object, shown: str, type_name: str
) -> None:
    with pytest.raises(TypeError) as caught:
        family.lookup(bad)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value) == f"{family.__name__}.lookup() expects an int code, got {shown} ({type_name})"


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
@given(bad=st.one_of(st.integers(max_value=-1), st.integers(min_value=spec.UINT32_MAX + 1)))
def test_lookup_rejects_ints_outside_uint32_with_a_value_error(
    family: Family, unknown: type[Any], table: dict[int, Any], bad: int
) -> None:
    with pytest.raises(ValueError, match=r"expects a code in 0\.\.4294967295 \(uint32\), got -?[0-9<]"):
        family.lookup(bad)


def test_lookup_error_names_a_huge_int_without_printing_it() -> None:
    # 2**100000 has 30,103 digits; only its approximate size is shown.
    with pytest.raises(ValueError, match=r"got <int of about 30,10[234] digits>$"):
        DisconnectCode.lookup(2**100000)
    with pytest.raises(ValueError, match=r"got -<int of about 30,10[234] digits>$"):
        DisconnectCode.lookup(-(2**100000))


def test_lookup_bounds_are_inclusive() -> None:
    assert DisconnectCode.lookup(0) == UnknownDisconnectCode(0)
    assert DisconnectCode.lookup(spec.UINT32_MAX) == UnknownDisconnectCode(spec.UINT32_MAX)


def memo_of(family: Any) -> dict[int, object]:
    return _codes._LOOKUP_MEMOS[family].answers


def test_lookup_memo_of_unknown_codes_is_bounded() -> None:
    limit = _ranges.MEMO_LIMIT
    for code in range(100_000, 100_000 + 3 * limit):
        assert DisconnectCode.lookup(code).code == code
        assert len(memo_of(DisconnectCode)) <= len(DisconnectCode) + limit
    # A reset keeps every member answering, and answers stay right afterwards.
    assert all(memo_of(DisconnectCode)[m.code] is m for m in DisconnectCode)
    assert DisconnectCode.lookup(3012) is DisconnectCode.NO_PONG
    assert DisconnectCode.lookup(100_000) == UnknownDisconnectCode(100_000)


# Every family, each with the memo its lookup reads.
MEMOS: list[Family] = [ErrorCode, UnsubscribeCode, DisconnectCode, ApiErrorCode]
memo_ids = [family.__name__ for family in MEMOS]


def test_every_family_has_its_own_lookup_memo() -> None:
    assert _api_codes.ApiErrorCode is ApiErrorCode  # loaded: its memo is registered
    memos = [memo_of(family) for family in MEMOS]
    assert len({id(memo) for memo in memos}) == len(MEMOS)
    for family, memo in zip(MEMOS, memos, strict=True):
        assert memo == {m.code: m for m in family}


@pytest.mark.parametrize("family", MEMOS, ids=memo_ids)
def test_a_full_memo_starts_again_from_its_members(family: Family) -> None:
    limit = _ranges.MEMO_LIMIT
    memo = memo_of(family)
    for code in range(300_000, 300_000 + limit):
        family.lookup(code)
    assert len(memo) == len(family) + limit
    family.lookup(300_000 + limit)  # one more unknown code: the memo is full
    assert memo_of(family) is memo
    assert set(memo) == {m.code for m in family} | {300_000 + limit}
    assert all(memo[m.code] is m for m in family)


@pytest.mark.parametrize("family", MEMOS, ids=memo_ids)
def test_a_memo_missing_members_still_answers_with_members(family: Family) -> None:
    # What a reader sees while another thread starts a full memo again: the known
    # codes must still be answered by their members, never refused as "the known code".
    memo_of(family).clear()
    for member in family:
        assert family.lookup(member.code) is member
    assert family.lookup(4321).code == 4321


def test_reset_memos_gives_fresh_memos_of_the_members() -> None:
    for family in MEMOS:
        family.lookup(4321)
        assert 4321 in memo_of(family)
    _ranges.reset_memos()
    for family in MEMOS:
        assert memo_of(family) == {m.code: m for m in family}


@pytest.mark.parametrize("family", MEMOS, ids=memo_ids)
def test_lookup_is_a_static_method(family: Family) -> None:
    # No bound method is made per access: the lookup is the same function every time.
    assert type(inspect.getattr_static(family, "lookup")) is staticmethod
    assert family.lookup is family.lookup
    assert family.lookup(4321) == family.lookup(code=4321)
    assert family.lookup.__qualname__ == f"{family.__name__}.lookup"
    assert family.lookup.__module__ == "centrifugo_protocol"
    unknown = type(family.lookup(4321)).__name__
    assert family.lookup.__doc__ is not None
    assert family.lookup.__doc__.startswith(f"Return the member for ``code``, or an :class:`{unknown}`")
    assert inspect.signature(family.lookup) == inspect.Signature(
        [inspect.Parameter("code", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="int")],
        return_annotation=f"{family.__name__} | {unknown}",
    )


@pytest.mark.parametrize("family", MEMOS, ids=memo_ids)
def test_an_int_subclass_of_a_known_code_finds_the_member_and_is_not_a_memo_key(family: Family) -> None:
    class Number(int):
        pass

    member = next(iter(family))
    assert family.lookup(Number(member.code)) is member
    assert all(type(key) is int for key in memo_of(family))
    found = family.lookup(Number(4321))
    assert found.code == 4321 and type(found.code) is int
    assert all(type(key) is int for key in memo_of(family))
    assert family.lookup(4321) is found


def test_lookup_memo_hands_out_the_same_unknown_object() -> None:
    assert DisconnectCode.lookup(4321) is DisconnectCode.lookup(4321)


# --- Unknown objects --------------------------------------------------------------------


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_unknown_value_objects(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    a, b, c = unknown(4001), unknown(4001), unknown(4002)
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert a != 4001 and a != 4001
    assert repr(a) == f"{unknown.__name__}(4001)"
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a
    assert a.code == 4001
    assert len(a.description) > 20
    assert {a, b, c} == {a, c}


def test_unknowns_of_different_families_are_never_equal() -> None:
    assert UnknownDisconnectCode(4001) != UnknownErrorCode(4001)
    assert UnknownUnsubscribeCode(4001) != UnknownApiErrorCode(4001)


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_unknown_objects_are_immutable(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    value = unknown(4001)
    with pytest.raises(AttributeError, match="immutable"):
        value.code = 1
    with pytest.raises(AttributeError, match="immutable"):
        value._code = 1
    with pytest.raises(AttributeError, match="immutable"):
        del value._code
    with pytest.raises(AttributeError):
        value.anything_else = 1
    assert value.code == 4001


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_unknown_refuses_a_known_code(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    code = min(table)
    with pytest.raises(ValueError, match=rf"{unknown.__name__}\(\) got {code}, which is the known code"):
        unknown(code)


@pytest.mark.parametrize(("family", "unknown", "table"), FAMILIES, ids=family_ids)
def test_unknown_rejects_bad_codes(family: Family, unknown: type[Any], table: dict[int, Any]) -> None:
    with pytest.raises(TypeError, match=rf"{unknown.__name__}\(\) expects an int code, got True \(bool\)"):
        unknown(True)
    with pytest.raises(ValueError, match="uint32"):
        unknown(-1)


def test_unknown_match_by_keyword_and_position() -> None:
    seen: list[tuple[str, int]] = []
    for value in (DisconnectCode.lookup(4001), DisconnectCode.lookup(3012)):
        match value:
            case UnknownDisconnectCode(code=code):
                seen.append(("keyword", code))
            case DisconnectCode():
                seen.append(("member", value.code))
        match value:
            case UnknownDisconnectCode(code):
                seen.append(("positional", code))
            case DisconnectCode():
                pass
    assert seen == [("keyword", 4001), ("positional", 4001), ("member", 3012)]


def test_unknown_api_error_maps_to_internal() -> None:
    value = ApiErrorCode.lookup(4001)
    assert isinstance(value, UnknownApiErrorCode)
    assert value.http_status == spec.API_UNKNOWN_HTTP
    assert type(value.http_status) is HTTPStatus
    assert value.grpc_status == spec.API_UNKNOWN_GRPC


@given(code=codes)
def test_unknown_disconnect_and_unsubscribe_follow_the_range_rules(code: int) -> None:
    disconnect = DisconnectCode.lookup(code)
    unsubscribe = UnsubscribeCode.lookup(code)
    assert disconnect.reconnect is spec.reconnects(code)
    assert unsubscribe.resubscribe is spec.resubscribes(code)


@given(code=codes)
def test_unknown_descriptions_agree_with_the_flags(code: int) -> None:
    disconnect = DisconnectCode.lookup(code)
    if isinstance(disconnect, UnknownDisconnectCode):
        assert ("the client reconnects" in disconnect.description) is disconnect.reconnect
        assert ("does not reconnect" in disconnect.description) is (not disconnect.reconnect)
    unsubscribe = UnsubscribeCode.lookup(code)
    if isinstance(unsubscribe, UnknownUnsubscribeCode):
        assert ("subscribes again" in unsubscribe.description) is unsubscribe.resubscribe


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (5, "client-side error code (0-99)"),
        (99, "client-side error code (0-99)"),
        (100 + len(spec.ERRORS), "reserved for the server (100-399)"),
        (399, "reserved for the server (100-399)"),
        (400, "custom error from the application"),
        (1999, "custom error from the application"),
        (2000, "outside every reply error range"),
    ],
)
def test_unknown_error_descriptions_name_the_range(code: int, words: str) -> None:
    assert words in UnknownErrorCode(code).description


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1006, "transport close code (below 3000)"),
        (2999, "transport close code (below 3000)"),
        (3002, "protocol v1 used it for 'invalid token'"),
        (3003, "protocol v1 used it for 'bad request'"),
        (3007, "protocol v1 used it for 'stale'"),
        (3015, "server's band"),
        (3999, "server's band"),
        (4000, "reconnect band (4000-4499)"),
        (4499, "reconnect band (4000-4499)"),
        (4500, "terminal band (4500-4999)"),
        (4999, "terminal band (4500-4999)"),
        (5000, "from 5000 up"),
    ],
)
def test_unknown_disconnect_descriptions_name_the_band(code: int, words: str) -> None:
    assert words in UnknownDisconnectCode(code).description


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1999, "outside the unsubscribe range"),
        (2001, "unassigned unsubscribe code"),
        (2999, "unassigned unsubscribe code"),
        (3000, "outside the unsubscribe range"),
    ],
)
def test_unknown_unsubscribe_descriptions_name_the_range(code: int, words: str) -> None:
    assert words in UnknownUnsubscribeCode(code).description


def test_unknown_api_description_names_the_mapping() -> None:
    assert "HTTP 500 and gRPC INTERNAL" in UnknownApiErrorCode(4001).description


# --- The package's surface ----------------------------------------------------------------


def test_public_names_are_exported() -> None:
    expected = {
        "ErrorCode",
        "UnsubscribeCode",
        "DisconnectCode",
        "ApiErrorCode",
        "UnknownErrorCode",
        "UnknownUnsubscribeCode",
        "UnknownDisconnectCode",
        "UnknownApiErrorCode",
        "ConnectingCode",
        "DisconnectedCode",
        "SubscribingCode",
        "UnsubscribedCode",
        "ClientErrorCode",
        "classify",
        "APP_ERROR_CODES",
        "APP_RECONNECT_DISCONNECT_CODES",
        "APP_TERMINAL_DISCONNECT_CODES",
    }
    assert expected <= set(centrifugo_protocol.__all__)
    for name in centrifugo_protocol.__all__:
        assert hasattr(centrifugo_protocol, name), name


def test_version_is_a_string() -> None:
    import re

    assert isinstance(centrifugo_protocol.__version__, str)
    # A release (1.2.3) or a development version of the next one (1.3.0.dev0).
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", centrifugo_protocol.__version__)


def test_lazy_names_load_on_first_use_and_unknown_names_fail() -> None:
    import subprocess
    import sys

    code = (
        "import sys, centrifugo_protocol as c\n"
        "before = 'centrifugo_protocol._client_codes' in sys.modules, 'centrifugo_protocol.classify' in sys.modules\n"
        "c.ConnectingCode, c.classify.on_disconnect(3012), c.wire.Disconnect, c.proxy.custom_error\n"
        "print(before, 'ConnectingCode' in dir(c), 'wire' in dir(c))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "(False, False) True True", result.stderr
    with pytest.raises(AttributeError, match="module 'centrifugo_protocol' has no attribute 'Nope'"):
        getattr(centrifugo_protocol, "Nope")  # noqa: B009 (the attribute is missing on purpose)
    assert centrifugo_protocol.UnsubscribedCode.CLIENT_CLOSED.reason == "client closed"
    assert set(centrifugo_protocol.__all__) <= set(dir(centrifugo_protocol))


def test_the_server_api_codes_load_only_when_used() -> None:
    # A client SDK imports the package, classify, events and wire, and never needs the
    # server API's codes. Pickles made where they were loaded still load in a fresh
    # process: unpickling asks the package for the name, which loads them.
    import subprocess
    import sys

    pickled = pickle.dumps((ApiErrorCode.NOT_FOUND, UnknownApiErrorCode(4001)))
    code = (
        "import pickle, sys\n"
        "import centrifugo_protocol as c, centrifugo_protocol.classify, centrifugo_protocol.events\n"
        "import centrifugo_protocol.wire\n"
        "print('centrifugo_protocol._api_codes' in sys.modules, 'ApiErrorCode' in dir(c))\n"
        f"member, unknown = pickle.loads({pickled!r})\n"
        "print(member is c.ApiErrorCode.NOT_FOUND, unknown == c.UnknownApiErrorCode(4001))\n"
        "print(c.wire.ApiError(113).api_error_code is c.ApiErrorCode.CONFLICT, c.ApiErrorCode.lookup(104).grpc_status)\n"
        "print(sorted({'http', 'json', 'typing_extensions'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == ["False True", "True True", "True NOT_FOUND", "[]"], result.stderr


def test_row_carries_every_field_it_is_given() -> None:
    full = _codes.row(
        7, description="d", message="m", reason="r", temporary=True, http_status=404, grpc_status="NOT_FOUND"
    )
    assert full == 7 and type(full) is _codes.Row
    assert (full.description, full.message, full.reason, full.temporary, full.http_status, full.grpc_status) == (
        "d", "m", "r", True, 404, "NOT_FOUND",
    )  # fmt: skip
    falsy = _codes.row(0, description="", message="", temporary=False, http_status=0)
    assert (falsy.message, falsy.temporary, falsy.http_status) == ("", False, 0)
    with pytest.raises(AttributeError):
        _ = _codes.row(1, description="d").reason


def test_unknown_refusal_names_the_member() -> None:
    with pytest.raises(ValueError) as caught:
        UnknownDisconnectCode(3012)
    assert str(caught.value) == (
        "UnknownDisconnectCode() got 3012, which is the known code <DisconnectCode.NO_PONG: 3012>; "
        "use DisconnectCode.lookup(3012) to get a member or an unknown code"
    )


def test_unknown_immutability_messages() -> None:
    value = UnknownErrorCode(1000)
    with pytest.raises(AttributeError, match=r"^UnknownErrorCode is immutable; cannot set 'code'$"):
        value.code = 1  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    with pytest.raises(AttributeError, match=r"^UnknownErrorCode is immutable; cannot delete '_code'$"):
        del value._code


def test_unknowns_hash_apart() -> None:
    assert len({hash(UnknownDisconnectCode(code)) for code in range(4000, 4100)}) > 90
    assert hash(UnknownDisconnectCode(4001)) != hash(UnknownErrorCode(4001))


def test_lookup_memo_keeps_unknown_codes_up_to_its_limit() -> None:
    limit = _ranges.MEMO_LIMIT
    first = {code: DisconnectCode.lookup(code) for code in range(200_000, 200_000 + limit)}
    assert len(memo_of(DisconnectCode)) == len(DisconnectCode) + limit
    assert all(DisconnectCode.lookup(code) is value for code, value in first.items())


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (4001, "A custom disconnect from the application, in its reconnect band (4000-4499); the client reconnects."),
        (
            4501,
            "A custom disconnect from the application, in its terminal band (4500-4999); "
            "the client stops (disconnected) and does not reconnect.",
        ),
        (
            3600,
            "An unassigned code in the server's band (3000-3999), perhaps from a newer server; "
            "the client stops (disconnected) and does not reconnect.",
        ),
        (5000, "A code from 5000 up, outside every assigned band; the client reconnects."),
    ],
)
def test_unknown_disconnect_descriptions_in_full(code: int, description: str) -> None:
    assert UnknownDisconnectCode(code).description == description


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (
            2001,
            "An unassigned unsubscribe code (2000-2999); by the rule for codes below 2500, the subscription ends (unsubscribed).",
        ),
        (
            2600,
            "An unassigned unsubscribe code (2000-2999); by the rule for codes from 2500 up, the client subscribes again.",
        ),
        (
            1,
            "A number outside the unsubscribe range 2000-2999, which the server does not send; "
            "by the rule for codes below 2500, the subscription ends (unsubscribed).",
        ),
    ],
)
def test_unknown_unsubscribe_descriptions_in_full(code: int, description: str) -> None:
    assert UnknownUnsubscribeCode(code).description == description


def test_2502_has_no_reason_text_of_its_own() -> None:
    # The server library defines the code but no reason for it (centrifuge v0.38 unsubscribe.go).
    member = UnsubscribeCode.STATE_INVALIDATED
    assert member.code == 2502
    assert member.reason == ""
    assert spec.STATE_INVALIDATED_SENDER_REASON in member.description
    assert spec.NOT_2502_REASON not in member.reason
    # 3014 keeps its own text.
    assert DisconnectCode.STATE_INVALIDATED.reason == spec.NOT_2502_REASON == spec.DISCONNECTS[3014][1]


def test_member_guards_name_the_family_and_the_attribute() -> None:
    with pytest.raises(AttributeError, match=r"^ErrorCode members are immutable; cannot set '_message'$"):
        ErrorCode.INTERNAL._message = "changed"
    with pytest.raises(AttributeError, match=r"^DisconnectCode members are immutable; cannot delete '_reason'$"):
        delattr(DisconnectCode.NO_PONG, "_reason")
    assert ErrorCode.INTERNAL.message == "internal server error"
    assert DisconnectCode.NO_PONG.reason == "no pong"

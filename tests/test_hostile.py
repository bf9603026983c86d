# pyright: reportPrivateUsage=false
"""Hostile values at the boundary: subclasses that lie, and objects that raise.

Outside values are read once, as exact built-in values, with ``int``'s, ``str``'s and
``dict``'s own methods: an ``int`` subclass is its exact number whatever its
``__int__``, comparisons or ``bit_length`` say; a ``str`` subclass is its exact text
whatever its ``strip`` or ``encode`` do; ``from_json`` reads a ``dict`` (subclass or
not) with ``dict``'s methods, and refuses everything else. Every method below records
that it was called, then raises (or lies): the package must never call one, and may
only answer or raise its documented errors.
"""

from __future__ import annotations

import json
import tracemalloc
from typing import Any, NoReturn

import pytest

from centrifugo_protocol import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnsubscribeCode,
    classify,
    proxy,
)
from centrifugo_protocol._ranges import check_code, check_flag, check_text, show
from centrifugo_protocol.classify import ClientState, SubscriptionState, Transition
from centrifugo_protocol.wire import ApiError, Disconnect, ReplyError, Unsubscribe, WireFormatError

from . import spec

CALLED: list[str] = []


@pytest.fixture(autouse=True)
def _nothing_called() -> Any:
    """Every test here ends with no method of a hostile value having run."""
    CALLED.clear()
    yield
    assert CALLED == []


def refuse(name: str) -> Any:
    def method(self: object, *args: object, **kwargs: object) -> NoReturn:
        CALLED.append(name)
        raise RuntimeError(f"{type(self).__name__}.{name} must not be called")

    return method


def lie(name: str, answer: object) -> Any:
    def method(self: object, *args: object, **kwargs: object) -> object:
        CALLED.append(name)
        return answer

    return method


INT_METHODS = (
    "__repr__", "__str__", "__format__", "__index__", "__float__", "__bool__", "__abs__", "__neg__", "__pos__",
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__and__", "__or__", "__rshift__",
    "bit_length", "to_bytes", "__reduce__", "__reduce_ex__", "__getnewargs__",
)  # fmt: skip


class HostileInt(int):
    """An int whose every method raises; its __int__ lies (says 3012)."""

    locals().update({name: refuse(name) for name in INT_METHODS})
    __int__ = lie("__int__", 3012)


class InRangeLiar(int):
    """An int that claims, through every comparison, to be a small code."""

    __int__ = lie("__int__", 3012)
    __index__ = lie("__index__", 3012)
    __lt__ = lie("__lt__", False)
    __gt__ = lie("__gt__", False)
    __le__ = lie("__le__", True)
    __ge__ = lie("__ge__", True)
    __eq__ = lie("__eq__", True)
    __hash__ = lie("__hash__", 3012)
    bit_length = lie("bit_length", 12)


STR_METHODS = (
    "__repr__", "__str__", "__format__", "__len__", "__getitem__", "__iter__", "__contains__", "__eq__", "__ne__",
    "__hash__", "__add__", "__mod__", "__bool__", "strip", "lstrip", "rstrip", "encode", "isascii", "startswith",
    "endswith", "lower", "upper", "split", "replace", "find", "__reduce__", "__reduce_ex__", "__getnewargs__",
)  # fmt: skip


class HostileStr(str):
    """A str whose every method raises."""

    locals().update({name: refuse(name) for name in STR_METHODS})


class LyingStr(str):
    """A str whose strip/encode/isascii/len lie about what it holds."""

    strip = lie("strip", "")
    encode = lie("encode", b"")
    isascii = lie("isascii", True)
    __len__ = lie("__len__", 1)
    startswith = lie("startswith", True)


class HostileDict(dict[Any, Any]):
    """A dict whose every reading method raises."""

    locals().update(
        {
            name: refuse(name)
            for name in (
                "get",
                "__getitem__",
                "__contains__",
                "keys",
                "items",
                "values",
                "__iter__",
                "__len__",
                "__repr__",
                "__eq__",
            )
        }
    )


class HostileObject:
    """Anything at all, every method of which raises."""

    locals().update(
        {
            name: refuse(name)
            for name in (
                "__repr__",
                "__str__",
                "__format__",
                "__len__",
                "__iter__",
                "__eq__",
                "__hash__",
                "__int__",
                "__index__",
                "__bool__",
            )
        }
    )


class Meta(type):
    """A metaclass that lies about its classes' names."""

    @property
    def __name__(cls) -> str:  # type: ignore[override]  # pyright: ignore[reportIncompatibleVariableOverride]
        CALLED.append("Meta.__name__")
        return "Liar"


class Named(metaclass=Meta):
    pass


# --- int subclasses -----------------------------------------------------------------------


def test_an_int_subclass_is_read_as_its_exact_number() -> None:
    # X(4501) says it is 3012 when asked through __int__; the answer is 4501's: terminal.
    transition = classify.on_disconnect(HostileInt(4501))
    assert (transition.state, transition.code) == (ClientState.DISCONNECTED, 4501)
    assert type(transition.code) is int
    assert classify.on_close(HostileInt(4501), "x") == classify.on_close(4501, "x")
    assert classify.on_unsubscribe(HostileInt(2502)) == classify.on_unsubscribe(2502)
    assert classify.on_connect_error(HostileInt(109)) == classify.on_connect_error(109)
    assert classify.on_refresh_error(HostileInt(100), temporary=True) == classify.on_refresh_error(100, temporary=True)
    assert classify.on_subscribe_error(HostileInt(112), can_rebuild_state=True) == classify.on_subscribe_error(
        112, can_rebuild_state=True
    )
    assert classify.on_subscription_refresh_error(HostileInt(5)) == classify.on_subscription_refresh_error(5)
    assert type(check_code(HostileInt(7), "f()")) is int


def test_lookups_read_an_int_subclass_exactly() -> None:
    assert DisconnectCode.lookup(HostileInt(4501)) == UnknownDisconnectCode(4501)
    assert DisconnectCode.lookup(HostileInt(3500)) is DisconnectCode.INVALID_TOKEN
    assert ErrorCode.lookup(HostileInt(109)) is ErrorCode.TOKEN_EXPIRED
    assert UnsubscribeCode.lookup(HostileInt(2502)) is UnsubscribeCode.STATE_INVALIDATED
    assert ApiErrorCode.lookup(HostileInt(113)) is ApiErrorCode.CONFLICT
    assert type(UnknownDisconnectCode(HostileInt(4001)).code) is int


def test_value_objects_store_the_exact_number() -> None:
    for made in (
        Disconnect(HostileInt(4501), "x"),
        Unsubscribe(HostileInt(2000)),
        ReplyError(HostileInt(100), "m"),
        ApiError(HostileInt(104)),
        Transition(ClientState.CONNECTING, HostileInt(3012), "x"),
        proxy.custom_disconnect(HostileInt(4501), "bye"),
        proxy.custom_error(HostileInt(1000), "busy"),
    ):
        assert type(made.code) is int
    assert proxy.custom_disconnect(HostileInt(4501), "bye").code == 4501


@pytest.mark.parametrize(
    "number", [-1, spec.UINT32_MAX + 1, 2**64, 2**100_000, -(2**100_000)], ids=["-1", "2**32", "2**64", "huge", "-huge"]
)
def test_an_int_subclass_cannot_lie_its_way_into_range(number: int) -> None:
    liar = InRangeLiar(number)
    for event in (classify.on_disconnect, classify.on_close, classify.on_unsubscribe, classify.on_connect_error):
        with pytest.raises(ValueError, match=r"expects a code in 0\.\.4294967295 \(uint32\), got -?[0-9<]"):
            event(liar)
    with pytest.raises(ValueError, match="uint32"):
        DisconnectCode.lookup(liar)
    with pytest.raises(ValueError, match="uint32"):
        Disconnect(liar)
    with pytest.raises(ValueError, match="application disconnect code"):
        proxy.custom_disconnect(liar, "bye")
    with pytest.raises(ValueError, match="application error code"):
        proxy.custom_error(liar, "busy")


def test_hostile_int_subclasses_out_of_range_are_refused_with_value_error() -> None:
    with pytest.raises(ValueError, match=r"got 4294967296$"):
        classify.on_disconnect(HostileInt(2**32))
    with pytest.raises(ValueError, match=r"got -1$"):
        ErrorCode.lookup(HostileInt(-1))


# --- str subclasses -----------------------------------------------------------------------

ADVICE = '{"reason": "go away", "reconnect": false}'


@pytest.mark.parametrize("kind", [HostileStr, LyingStr], ids=lambda k: k.__name__)
def test_a_str_subclass_is_read_as_its_exact_text(kind: type[str]) -> None:
    assert classify.on_close(1000, kind(ADVICE)) == classify.on_close(1000, ADVICE)
    assert classify.on_close(3500, kind(ADVICE)) == classify.on_close(3500, ADVICE)
    assert classify.on_close(3500, kind(ADVICE)).reason == "go away"
    assert classify.on_close(4001, kind("  plain  ")) == classify.on_close(4001, "  plain  ")
    for transition in (
        classify.on_disconnect(3012, kind("x")),
        classify.on_unsubscribe(2500, kind("x")),
        classify.on_connect_error(100, kind("x")),
        classify.on_subscribe_error(112, kind("x"), can_rebuild_state=True),
        Transition(SubscriptionState.SUBSCRIBING, 1, kind("x")),
    ):
        assert transition.reason == "x" and type(transition.reason) is str
    assert type(check_text(kind("x"), "f()", "reason")) is str
    assert type(Disconnect(1, kind("x")).reason) is str
    assert type(ReplyError(1, kind("x")).message) is str


@pytest.mark.parametrize("kind", [HostileStr, LyingStr], ids=lambda k: k.__name__)
def test_custom_disconnect_checks_the_exact_text(kind: type[str]) -> None:
    made = proxy.custom_disconnect(4500, kind("bye"))
    assert made.reason == "bye" and type(made.reason) is str
    with pytest.raises(ValueError, match="got 33 characters"):
        proxy.custom_disconnect(4500, kind("x" * 33))
    with pytest.raises(ValueError, match="got non-ASCII characters"):
        proxy.custom_disconnect(4500, kind("é"))
    with pytest.raises(ValueError, match="non-empty message"):
        proxy.custom_error(1000, kind("   "))
    assert proxy.custom_error(1000, kind("busy")).message == "busy"


def test_flags_are_only_the_two_bools() -> None:
    for event in (classify.on_connect_error, classify.on_refresh_error, classify.on_subscription_refresh_error):
        with pytest.raises(
            TypeError, match=r"expects temporary to be a bool, got <HostileObject object> \(HostileObject\)$"
        ):
            event(100, "x", temporary=HostileObject())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match="expects can_rebuild_state to be a bool"):
        classify.on_subscribe_error(112, can_rebuild_state=HostileObject())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match="HostileInt"):
        check_flag(HostileInt(1), "f()", "temporary")


# --- from_json --------------------------------------------------------------------------


def test_a_dict_subclass_is_read_with_dicts_own_methods() -> None:
    data = HostileDict(code=3012, reason="no pong")
    assert Disconnect.from_json(data) == Disconnect(3012, "no pong")
    assert Unsubscribe.from_json(HostileDict(code=2502)) == Unsubscribe(2502, "")
    error = ReplyError.from_json(HostileDict(code=100, message="m", temporary=True))
    assert (error.code, error.message, error.temporary) == (100, "m", True)
    with pytest.raises(WireFormatError, match="field 'code' is required but missing"):
        ApiError.from_json(HostileDict(message="m"))


def test_field_values_of_subclasses_are_read_exactly() -> None:
    decoded = Disconnect.from_json({"code": HostileInt(4501), "reason": HostileStr("banned")})
    assert (decoded.code, decoded.reason) == (4501, "banned")
    assert type(decoded.code) is int and type(decoded.reason) is str
    assert decoded.transition().state is ClientState.DISCONNECTED


class EvilKey:
    """A key that hashes like "code" and cannot be compared."""

    def __hash__(self) -> int:
        return hash("code")

    __eq__ = refuse("__eq__")


@pytest.mark.parametrize("wire_type", [ReplyError, ApiError, Disconnect, Unsubscribe], ids=lambda t: t.__name__)
def test_a_key_that_cannot_compare_is_a_malformed_payload(wire_type: Any) -> None:
    data = {EvilKey(): 1}
    with pytest.raises(WireFormatError) as caught:
        wire_type.from_json(data)
    assert str(caught.value).startswith(f"{wire_type.__name__} payload: cannot read field 'code'")
    assert CALLED == ["__eq__"]  # the dict compared the key, as a dict must
    CALLED.clear()


@pytest.mark.parametrize("number", [-1, spec.UINT32_MAX + 1, 2**64])
def test_an_int_subclass_out_of_range_names_the_field(number: int) -> None:
    with pytest.raises(
        WireFormatError, match=r"^Disconnect payload: field 'code' expects a code in 0\.\.4294967295 \(uint32\), got "
    ):
        Disconnect.from_json({"code": InRangeLiar(number)})


NOT_OBJECTS = [HostileObject(), HostileInt(3012), HostileStr("{}"), Named(), [HostileObject()], (HostileInt(1),)]


@pytest.mark.parametrize("data", NOT_OBJECTS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("wire_type", [ReplyError, ApiError, Disconnect, Unsubscribe], ids=lambda t: t.__name__)
def test_only_wire_format_error_escapes(wire_type: Any, data: object) -> None:
    with pytest.raises(WireFormatError, match=r"expected a JSON object \(a dict\)"):
        wire_type.from_json(data)
    text = "message" if wire_type in (ReplyError, ApiError) else "reason"
    if type(data) is not HostileInt:
        with pytest.raises(WireFormatError, match=r"field 'code' expects an int code"):
            wire_type.from_json({"code": data})
    if type(data) is not HostileStr:
        with pytest.raises(WireFormatError, match=rf"field '{text}' must be a string"):
            wire_type.from_json({"code": 1, text: data})
    if wire_type is ReplyError:
        with pytest.raises(WireFormatError, match=r"field 'temporary' must be a boolean"):
            wire_type.from_json({"code": 1, "temporary": data})


def test_a_decoded_payload_is_what_json_gave() -> None:
    payload = json.loads('{"code": 4501, "reason": "banned", "future": {"x": 1}}')
    assert Disconnect.from_json(payload) == Disconnect(4501, "banned")


# --- show(): error messages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (HostileObject(), "<HostileObject object>"),
        (HostileDict(code=1), "<HostileDict object>"),
        (Named(), "<Named object>"),
        (HostileInt(-5), "-5"),
        (HostileInt(10**70), "10000000000000000000...0000000000 (an int of 71 digits)"),
        (InRangeLiar(2**64), "18446744073709551616"),
        (HostileStr("x"), "'x'"),
        (HostileStr("y" * 100), "'" + "y" * 60 + "'... (100 in all)"),
        ([HostileObject(), HostileInt(1)], "[<HostileObject object>, 1]"),
        ({"k": HostileObject()}, "{'k': <HostileObject object>}"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_show_never_calls_the_values_methods(value: object, shown: str) -> None:
    assert show(value) == shown


def test_error_messages_of_hostile_values_name_the_type() -> None:
    with pytest.raises(
        TypeError, match=r"^on_disconnect\(\) expects an int code, got <HostileObject object> \(HostileObject\)$"
    ):
        classify.on_disconnect(HostileObject())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^on_close\(\) expects reason to be a str, got <Named object> \(Named\)$"):
        classify.on_close(1000, Named())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^custom_disconnect\(\) expects an int code, got <HostileObject object>"):
        proxy.custom_disconnect(HostileObject(), "x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match=r"^error_response\(\) expects a wire.ReplyError, got <HostileObject object>"):
        proxy.error_response(HostileObject())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# --- Known defects: expected failures until the package is fixed ------------------------


class SpoofedDict:
    """Claims through ``__class__`` to be a dict; ``isinstance`` believes it."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # pyright: ignore[reportIncompatibleMethodOverride]
        CALLED.append("__class__")
        return dict


class RaisingClass:
    """An object whose ``__class__`` cannot be read."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # pyright: ignore[reportIncompatibleMethodOverride]
        CALLED.append("__class__")
        raise RuntimeError("no class for you")


@pytest.mark.parametrize("kind", [RaisingClass, SpoofedDict], ids=lambda k: k.__name__)
def test_from_json_does_not_ask_the_value_its_class(kind: type[object]) -> None:
    try:
        with pytest.raises(WireFormatError, match=r"expected a JSON object \(a dict\)"):
            Disconnect.from_json(kind())
        assert CALLED == []
    finally:
        CALLED.clear()


@pytest.mark.parametrize("respond", [proxy.error_response, proxy.disconnect_response], ids=lambda f: f.__name__)
def test_responses_refuse_a_value_that_hides_its_class(respond: Any) -> None:
    try:
        with pytest.raises(TypeError, match="expects a wire"):
            respond(RaisingClass())
    finally:
        CALLED.clear()


def test_show_renders_a_huge_str_subclass_cheaply() -> None:
    value = HostileStr("x" * 50_000_000)
    tracemalloc.start()
    try:
        shown = show(value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert shown.endswith("... (50,000,000 in all)")
    assert peak < 5_000_000


@pytest.mark.parametrize("size", [5_000_000])
def test_show_renders_a_huge_container_cheaply(size: int) -> None:
    value = [0] * size
    tracemalloc.start()
    try:
        shown = show(value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert shown == f"[0, 0, 0, 0, ... ({size:,} items)]"
    assert peak < 5_000_000


def test_error_messages_stay_short_whatever_the_value() -> None:
    text = "\U0010ffff" * 61
    inner = {text + str(i): text for i in range(5)}
    with pytest.raises(WireFormatError) as caught:
        Disconnect.from_json({"code": {text + str(i): inner for i in range(5)}})
    assert len(str(caught.value)) <= 600

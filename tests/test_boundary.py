# pyright: reportPrivateUsage=false
"""The boundary rule, tried as an attacker would.

Outside values cross one boundary and are read there as exact built-ins, their types
included: nothing a value's class or metaclass defines runs. Answers never depend on
the caller's stack or on ``sys.set_int_max_str_digits()``, and shared answers cannot
be changed for every caller where the package can close them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from centrifugo_protocol import (
    ApiErrorCode,
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    SubscribingCode,
    UnsubscribeCode,
    UnsubscribedCode,
    wire,
)

FAMILIES: list[Any] = [
    ErrorCode,
    UnsubscribeCode,
    DisconnectCode,
    ApiErrorCode,
    ConnectingCode,
    DisconnectedCode,
    SubscribingCode,
    UnsubscribedCode,
    ClientErrorCode,
]


class _Ran(Exception):
    """Raised by the hostile metaclasses: if it escapes, their code ran."""


class _EqMeta(type):
    def __eq__(cls, other: object) -> bool:
        raise _Ran("metaclass __eq__ ran")

    __hash__ = type.__hash__


class _HashMeta(type):
    def __hash__(cls) -> int:
        raise _Ran("metaclass __hash__ ran")

    __eq__ = type.__eq__


class _EqType(metaclass=_EqMeta):
    pass


class _HashType(metaclass=_HashMeta):
    pass


class _EqInt(int, metaclass=_EqMeta):
    pass


HOSTILE: list[Callable[[], object]] = [_EqType, _HashType, lambda: _EqInt(7)]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__)
@pytest.mark.parametrize("make", HOSTILE[:2], ids=["eq", "hash"])
def test_lookup_runs_no_metaclass_code(family: Any, make: Callable[[], object]) -> None:
    value = make()
    with pytest.raises(
        TypeError, match=rf"{family.__name__}\.lookup\(\) expects an int code, got <{type(value).__name__} object>"
    ):
        family.lookup(value)


def test_lookup_reads_an_int_with_a_hostile_metaclass_as_its_value() -> None:
    assert DisconnectCode.lookup(_EqInt(3012)) is DisconnectCode.NO_PONG


WIRE_TYPES: list[Any] = [wire.ReplyError, wire.ApiError, wire.Disconnect, wire.Unsubscribe]


@pytest.mark.parametrize("kind", WIRE_TYPES, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("make", HOSTILE[:2], ids=["eq", "hash"])
def test_from_json_runs_no_metaclass_code(kind: Any, make: Callable[[], object]) -> None:
    value = make()
    name = type(value).__name__
    text = "reason" if kind in (wire.Disconnect, wire.Unsubscribe) else "message"
    for payload, field in [(value, None), ({"code": value}, "code"), ({"code": 3000, text: value}, text)]:
        with pytest.raises(wire.WireFormatError) as caught:
            kind.from_json(payload)
        message = str(caught.value)
        assert f"<{name} object>" in message
        assert field is None or f"'{field}'" in message

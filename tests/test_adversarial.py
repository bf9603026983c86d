"""Every entry point that takes outside data, fed anything at all.

Each call must either give a correct answer or raise its documented exception
(TypeError or ValueError, with a message that names the value); nothing else may
escape, whatever the input: bools, huge and negative ints, floats, NaN, bytes, very
long strings, nested and deep containers.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    classify,
    proxy,
)
from centrifugo_protocol.classify import Transition

from . import spec

# show() cuts each text at 60 characters and shows at most four items of a container,
# two levels deep, but sets no limit on the total: 60 characters that repr() escapes
# as \U0010ffff take 600, so a dict of dicts of such texts renders to about 22,700
# characters. This is the bound those rules give; test_hostile holds the tighter one
# an error message should keep (an expected failure for now).
MESSAGE_LIMIT = 25_000


def deep_list(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.sampled_from([0, 1, spec.UINT32_MAX, spec.UINT32_MAX + 1, -1, 2**64, 2**10000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.text(min_size=2000, max_size=3000),
    st.binary(max_size=20),
)
anything = st.one_of(
    scalars,
    st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
        max_leaves=8,
    ),
    st.just(deep_list(10_000)),
)


def is_code(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= spec.UINT32_MAX


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def assert_clean_error(error: BaseException, value: object) -> None:
    assert isinstance(error, (TypeError, ValueError))
    message = str(error)
    assert len(message) < MESSAGE_LIMIT
    if is_int(value):
        assert isinstance(error, ValueError) and "uint32" in message
    else:
        assert isinstance(error, TypeError) and f"({type(value).__name__})" in message


LOOKUPS = [
    (ErrorCode, UnknownErrorCode),
    (UnsubscribeCode, UnknownUnsubscribeCode),
    (DisconnectCode, UnknownDisconnectCode),
    (ApiErrorCode, UnknownApiErrorCode),
]


@pytest.mark.parametrize(("family", "unknown"), LOOKUPS, ids=lambda v: v.__name__)
@given(value=anything)
def test_lookup_answers_or_refuses_cleanly(family: Any, unknown: Any, value: object) -> None:
    try:
        found = family.lookup(value)
    except BaseException as error:
        assert not is_code(value)
        assert_clean_error(error, value)
    else:
        assert is_code(value)
        assert found.code == value
        assert isinstance(found, (family, unknown))


@pytest.mark.parametrize(("family", "unknown"), LOOKUPS, ids=lambda v: v.__name__)
@given(value=anything)
def test_unknown_constructors_answer_or_refuse_cleanly(family: Any, unknown: Any, value: object) -> None:
    try:
        built = unknown(value)
    except (TypeError, ValueError) as error:
        assert not is_code(value) or value in {m.code for m in family}
        if not is_code(value):
            assert_clean_error(error, value)
    else:
        assert is_code(value) and built.code == value


def is_text(value: object) -> bool:
    # None is not a text: an absent field is left out of the call, not passed as None.
    return isinstance(value, str)


def is_flag(value: object) -> bool:
    return isinstance(value, bool)


@given(code=anything, text=anything)
def test_push_events_answer_or_refuse_cleanly(code: Any, text: Any) -> None:
    for event in (classify.on_disconnect, classify.on_unsubscribe, classify.on_close):
        try:
            transition = event(code, text)
        except (TypeError, ValueError) as error:
            assert not (is_code(code) and is_text(text))
            assert len(str(error)) < MESSAGE_LIMIT
        else:
            assert is_code(code) and is_text(text)
            assert isinstance(transition, Transition)
            assert transition.state in classify.ClientState or transition.state in classify.SubscriptionState


@given(code=anything, message=anything, temporary=anything, rebuild=anything)
def test_error_events_answer_or_refuse_cleanly(code: Any, message: Any, temporary: Any, rebuild: Any) -> None:
    valid = is_code(code) and is_text(message) and is_flag(temporary)
    for event in (
        classify.on_connect_error,
        classify.on_refresh_error,
        classify.on_subscription_refresh_error,
    ):
        try:
            event(code, message, temporary=temporary)
        except (TypeError, ValueError) as error:
            assert not valid
            assert len(str(error)) < MESSAGE_LIMIT
        else:
            assert valid
    try:
        classify.on_subscribe_error(code, message, temporary=temporary, can_rebuild_state=rebuild)
    except (TypeError, ValueError):
        assert not (valid and is_flag(rebuild))
    else:
        assert valid and is_flag(rebuild)


@given(code=anything, text=anything, temporary=anything)
def test_proxy_builders_answer_or_refuse_cleanly(code: Any, text: Any, temporary: Any) -> None:
    try:
        error = proxy.custom_error(code, text, temporary=temporary)
    except (TypeError, ValueError) as caught:
        assert len(str(caught)) < MESSAGE_LIMIT
    else:
        assert is_int(code) and isinstance(text, str) and text.strip() and isinstance(temporary, bool)
        assert error.code == code
    try:
        disconnect = proxy.custom_disconnect(code, text)
    except (TypeError, ValueError) as caught:
        assert len(str(caught)) < MESSAGE_LIMIT
    else:
        assert is_int(code) and 4000 <= code <= 4999
        assert isinstance(text, str) and text.isascii() and len(text) <= spec.MAX_DISCONNECT_REASON_CHARS
        assert disconnect.code == code

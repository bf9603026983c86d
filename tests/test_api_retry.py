"""ApiErrorCode.retryable: the retry rule for server API errors, held against independent rules.

The rule is checked three ways that do not read the package's table: the ground truth's
HTTP mapping (a server API error is worth retrying only when the server reports its own
failure, a 5xx status; every 4xx status says the call is wrong), the list of codes
written out here by hand, and a property over every uint32 code.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import ApiErrorCode, UnknownApiErrorCode

from . import spec

#: Written out from the ground truth's section 4, not read from the package.
RETRYABLE_BY_HAND = {100}


@pytest.mark.parametrize("code", sorted(spec.API_ERRORS))
def test_only_server_side_failures_are_retryable(code: int) -> None:
    member = ApiErrorCode(code)
    http_status = spec.API_ERRORS[code][2]
    assert member.retryable is (500 <= http_status < 600)
    assert member.retryable is (code in RETRYABLE_BY_HAND)


def test_the_codes_a_published_retry_list_gets_wrong() -> None:
    # A package on PyPI retries {100, 108, 111}: 108 is a configuration error, and
    # 111 is no server API code at all.
    assert ApiErrorCode.NOT_AVAILABLE.retryable is False
    eleven = ApiErrorCode.lookup(111)
    assert isinstance(eleven, UnknownApiErrorCode)
    assert eleven.retryable is False
    assert ApiErrorCode.INTERNAL.retryable is True


@given(st.integers(min_value=0, max_value=spec.UINT32_MAX))
def test_every_code_has_a_retry_answer_and_a_reason(code: int) -> None:
    answer = ApiErrorCode.lookup(code)
    assert answer.retryable is (code == 100)
    assert isinstance(answer.retry_reason, str)
    assert answer.retry_reason.endswith(".")
    assert len(answer.retry_reason) > 40


def test_each_known_code_has_its_own_reason_and_the_unknown_one_differs() -> None:
    reasons = [member.retry_reason for member in ApiErrorCode]
    unknown = ApiErrorCode.lookup(999).retry_reason
    assert len(set(reasons)) == len(reasons) == len(spec.API_ERRORS)
    assert unknown not in reasons
    assert "500" in unknown


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (100, "backoff"),
        (102, "namespace"),
        (104, "does not exist"),
        (107, "malformed"),
        (108, "configuration"),
        (112, "from scratch"),
        (113, "re-read"),
    ],
)
def test_each_reason_says_what_to_do_about_its_code(code: int, words: str) -> None:
    assert words in ApiErrorCode(code).retry_reason


def test_retryable_is_a_plain_bool_on_both_types() -> None:
    for answer in (*ApiErrorCode, ApiErrorCode.lookup(5000)):
        assert type(answer.retryable) is bool

# pyright: reportPrivateUsage=false
"""The memos under threads: every answer is the single-threaded one, whatever the interleaving.

Eight threads ask every family's ``lookup`` and every ``classify.on_...`` function, for
known codes and random unknown ones, while another thread keeps resetting the memos.
The interpreter switches threads as often as it can, so a memo that is ever seen half
reset (a known code missing for a moment) gives a wrong answer or an exception here.
Known codes are checked against answers computed before the threads start; random
codes against the range rules written out in ``tests/spec.py`` from the upstream sources.
"""

from __future__ import annotations

import random
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from centrifugo_protocol import (
    ApiErrorCode,
    DisconnectCode,
    ErrorCode,
    UnknownApiErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
    _codes,
    _ranges,
    classify,
)
from centrifugo_protocol.classify import Transition

from . import spec

THREADS = 8
#: How long the threads run; the whole test takes about this long.
DURATION = 1.5
#: How often the interpreter switches threads meanwhile, in seconds.
SWITCH_INTERVAL = 1e-6

LOOKUPS: list[tuple[Any, type[Any], dict[int, Any]]] = [
    (ErrorCode, UnknownErrorCode, spec.ERRORS),
    (UnsubscribeCode, UnknownUnsubscribeCode, spec.UNSUBSCRIBES),
    (DisconnectCode, UnknownDisconnectCode, spec.DISCONNECTS),
    (ApiErrorCode, UnknownApiErrorCode, spec.API_ERRORS),
]

# Each event: the classify function, the spec rule, and argument sets (keyword
# arguments; an argument left out is the wire's zero value).
Event = tuple[Callable[..., Transition[Any]], Callable[..., spec.Outcome], list[dict[str, Any]]]
EVENTS: list[Event] = [
    (classify.on_disconnect, spec.disconnect, [{}, {"reason": "x"}]),
    (classify.on_unsubscribe, spec.unsubscribe, [{}, {"reason": "x"}]),
    (classify.on_close, spec.close, [{}, {"reason": "bye"}]),
    (classify.on_connect_error, spec.connect_error, [{}, {"message": "m", "temporary": True}]),
    (classify.on_refresh_error, spec.refresh_error, [{}, {"temporary": True}]),
    (
        classify.on_subscribe_error,
        spec.subscribe_error,
        [{}, {"can_rebuild_state": True}, {"message": "m", "temporary": True}],
    ),
    (classify.on_subscription_refresh_error, spec.subscription_refresh_error, [{}, {"temporary": True}]),
]

KNOWN_CODES = sorted({*spec.ERRORS, *spec.UNSUBSCRIBES, *spec.DISCONNECTS, *spec.API_ERRORS, 0, 1, 1009, 4001, 4501})


def sdk_fields(transition: Transition[Any]) -> spec.Outcome:
    return (
        transition.state.value,
        transition.code,
        transition.reason,
        transition.refresh_token,
        transition.invalidate_state,
    )


def classify_memos() -> list[dict[Any, Any]]:
    return [
        value for name, value in vars(classify).items() if name.isupper() and isinstance(value, _ranges.SelfAnswering)
    ]


class Findings:
    """What the threads saw go wrong; shared, so guarded by a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.wrong: list[str] = []
        self.counts: list[int] = []

    def error(self, where: str) -> None:
        with self.lock:
            if len(self.errors) < 10:
                self.errors.append(f"{where}:\n{traceback.format_exc()}")

    def mismatch(self, what: str) -> None:
        with self.lock:
            if len(self.wrong) < 10:
                self.wrong.append(what)

    def count(self, done: int) -> None:
        with self.lock:
            self.counts.append(done)


def expected_lookups() -> dict[tuple[int, int], Any]:
    """The single-threaded answers for every known code in every family."""
    return {(index, code): family.lookup(code) for index, (family, _, _) in enumerate(LOOKUPS) for code in KNOWN_CODES}


def expected_events() -> dict[tuple[int, int, int], Transition[Any]]:
    return {
        (index, variant, code): event(code, **arguments)
        for index, (event, _, variants) in enumerate(EVENTS)
        for variant, arguments in enumerate(variants)
        for code in KNOWN_CODES
    }


def check_lookup(index: int, code: int, known: dict[tuple[int, int], Any], findings: Findings) -> None:
    family, unknown, table = LOOKUPS[index]
    found = family.lookup(code)
    if code in KNOWN_CODES:
        expected = known[index, code]
        good = found is expected if code in table else (type(found) is unknown and found == expected)
    else:  # a random code: the independent rule
        good = found is family(code) if code in table else (type(found) is unknown and found.code == code)
    if not good:
        findings.mismatch(f"{family.__name__}.lookup({code}) gave {found!r}")


def check_event(
    index: int, variant: int, code: int, known: dict[tuple[int, int, int], Transition[Any]], findings: Findings
) -> None:
    event, rule, variants = EVENTS[index]
    arguments = variants[variant]
    answer = event(code, **arguments)
    if code in KNOWN_CODES:
        good = answer == known[index, variant, code]
    else:
        good = sdk_fields(answer) == rule(code, **arguments)
    if not good:
        findings.mismatch(f"{event.__name__}({code}, **{arguments}) gave {answer!r}")


def worker(
    seed: int,
    deadline: float,
    lookups: dict[tuple[int, int], Any],
    events: dict[tuple[int, int, int], Transition[Any]],
    findings: Findings,
) -> None:
    chooser = random.Random(seed)
    done = 0
    try:
        while time.monotonic() < deadline:
            for _ in range(50):
                # Half the codes are known (the memo must always have them), half are
                # random, which keeps filling the memos until they are reset.
                code = chooser.choice(KNOWN_CODES) if chooser.random() < 0.5 else chooser.randrange(spec.UINT32_MAX + 1)
                if chooser.random() < 0.5:
                    check_lookup(chooser.randrange(len(LOOKUPS)), code, lookups, findings)
                else:
                    index = chooser.randrange(len(EVENTS))
                    check_event(index, chooser.randrange(len(EVENTS[index][2])), code, events, findings)
                done += 1
    except BaseException:
        findings.error(f"worker {seed}")
    findings.count(done)


def resetter(deadline: float, findings: Findings) -> None:
    resets = 0
    try:
        while time.monotonic() < deadline:
            _ranges.reset_memos()
            resets += 1
            time.sleep(0.0005)
    except BaseException:
        findings.error("resetter")
    findings.count(resets)


def test_memos_give_the_single_threaded_answers_under_threads() -> None:
    lookups = expected_lookups()
    events = expected_events()
    findings = Findings()
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        deadline = time.monotonic() + DURATION
        threads = [
            threading.Thread(target=worker, args=(seed, deadline, lookups, events, findings), name=f"worker {seed}")
            for seed in range(THREADS)
        ]
        threads.append(threading.Thread(target=resetter, args=(deadline, findings), name="resetter"))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION + 30)
    finally:
        sys.setswitchinterval(previous)
    assert not any(thread.is_alive() for thread in threads)
    assert findings.errors == []
    assert findings.wrong == []
    # Every thread ran, and did real work.
    assert len(findings.counts) == THREADS + 1
    assert all(count > 0 for count in findings.counts)
    # Afterwards every memo still holds every member, and no more than its bound.
    for family in (ErrorCode, UnsubscribeCode, DisconnectCode, ApiErrorCode):
        memo: dict[int, Any] = _codes._LOOKUP_MEMOS[family].answers
        assert all(memo[member.code] is member for member in family)
        assert len(memo) <= len(family) + _ranges.MEMO_LIMIT
    for answers in classify_memos():
        assert len(answers) <= _ranges.MEMO_LIMIT


def test_the_switch_interval_is_restored() -> None:
    # Runs after the stress test in file order; a leaked 1e-6 s interval would slow
    # every later test.
    assert sys.getswitchinterval() > SWITCH_INTERVAL

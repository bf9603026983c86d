# pyright: reportPrivateUsage=false
"""Test-wide settings: hypothesis profiles and fresh memos.

``ci`` (the default) is thorough; ``mutation`` runs fewer examples per property so that
mutmut can run the suite once per mutant in reasonable time. mutmut runs the tests
from its ``mutants/`` copy of the tree, where ``mutation`` is the default; elsewhere
``HYPOTHESIS_PROFILE`` selects a profile.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Derandomized, so that a mutant's verdict does not depend on the run.
settings.register_profile(
    "mutation", max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
_UNDER_MUTMUT = Path(__file__).resolve().parent.parent.name == "mutants"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mutation" if _UNDER_MUTMUT else "ci"))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Start every test with fresh memos, so that each test exercises the decisions
    themselves rather than an answer an earlier test left behind."""
    from centrifugo_protocol import _ranges

    # Every lookup and every classify function keeps its answers in one kind of memo.
    _ranges.reset_memos()

"""Print mutmut's score and fail below the project's bar (95% of mutants killed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BAR = 0.95

stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
total = stats["total"]
killed = stats["killed"]
score = killed / total if total else 0.0
print(
    f"mutation score: {killed}/{total} killed ({score:.1%}); survived {stats['survived']}, "
    f"no tests {stats['no_tests']}, timeouts {stats['timeout']}, suspicious {stats['suspicious']}"
)
if total == 0 or score < BAR:
    print(f"mutation score below {BAR:.0%}", file=sys.stderr)
    sys.exit(1)

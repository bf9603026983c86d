"""MkDocs hooks: the parts of the documentation that are generated, not written.

A page asks for a generated part with two comment lines::

    <!-- generated: NAME -->
    A note for readers of the Markdown source (on a repository's web view, say).
    <!-- /generated -->

While the site is built, :func:`on_page_markdown` replaces the two lines and
everything between them with the part's Markdown. The parts come from the code and
the data that the tests check, so the site cannot drift from them:

* ``codes``: every code family's reference table, from
  ``centrifugo_protocol._cli.markdown()`` (the same text as
  ``python -m centrifugo_protocol --markdown``);
* ``sdk-differences``: where the real SDKs part from the package, from
  ``tests/conformance/differences.py``'s ``markdown()``;
* ``causes``: why each code is sent, from ``centrifugo_protocol._causes.markdown()``.

Each part is produced by a fresh interpreter with the repository root first on
``sys.path``, so ``mkdocs serve`` shows the code as it is now, never a module that
an earlier rebuild imported. A part that cannot be produced stops the build with a
message that names the page, the part and the error.

This module imports nothing from MkDocs at import time, so that the tests can use
:func:`expand` without MkDocs installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: A placeholder: a start and an end comment, each alone on its line, and what lies between.
PLACEHOLDER = re.compile(
    r"^<!-- generated: (?P<name>[a-z0-9-]+) -->\n(?:.*?\n)??<!-- /generated -->$", re.MULTILINE | re.DOTALL
)
#: Either comment, matched or not: a page with a stray one is a mistake to report.
MARKER = re.compile(r"<!-- (?:generated: [a-z0-9-]+|/generated) -->")

#: Each part: the module that produces it, and what a reader is told when it fails.
PARTS: dict[str, tuple[str, str]] = {
    "codes": ("centrifugo_protocol._cli", "centrifugo_protocol/_cli.py"),
    "sdk-differences": ("tests.conformance.differences", "tests/conformance/differences.py"),
    "causes": ("centrifugo_protocol._causes", "centrifugo_protocol/_causes.py"),
    "live": ("tests.live.report", "tests/live/report.py"),
}


class GenerationError(Exception):
    """A generated part could not be produced; the message says which and why."""


def generate(name: str) -> str:
    """The Markdown of the part ``name``: its module's ``markdown()``."""
    if name not in PARTS:
        known = ", ".join(sorted(PARTS))
        raise GenerationError(f"unknown generated part {name!r} (known: {known})")
    module, source = PARTS[name]
    program = (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom {module} import markdown\nsys.stdout.write(markdown())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        cause = lines[-1] if lines else f"exit status {result.returncode}"
        raise GenerationError(f"the {name!r} part comes from markdown() in {source}, which failed: {cause}")
    if not result.stdout.strip():
        raise GenerationError(f"the {name!r} part comes from markdown() in {source}, which returned nothing")
    return _headings_one_level_up(result.stdout) if name == "codes" else result.stdout


def _headings_one_level_up(markdown: str) -> str:
    # The CLI's tables start at ### (they sit under a ## in other documents); on their
    # own page they are the page's sections.
    return re.sub(r"^###(?= )", "##", markdown, flags=re.MULTILINE)


def expand(markdown: str, where: str = "<page>") -> str:
    """``markdown`` with every placeholder replaced by its generated part."""

    def part(match: re.Match[str]) -> str:
        try:
            return generate(match.group("name")).rstrip("\n")
        except GenerationError as problem:
            raise GenerationError(f"{where}: {problem}") from None

    expanded = PLACEHOLDER.sub(part, markdown)
    stray = MARKER.search(expanded)
    if stray:
        raise GenerationError(f"{where}: {stray.group(0)} has no partner (each part needs its start and end line)")
    return expanded


# --- MkDocs event hooks --------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the placeholders of one page (MkDocs calls this for every page)."""
    from mkdocs.exceptions import PluginError

    try:
        return expand(markdown, page.file.src_uri)
    except GenerationError as problem:
        raise PluginError(f"docs/hooks.py: {problem}") from None

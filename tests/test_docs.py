"""The documentation's examples run and print what they show; its generated parts generate.

The rules for examples in ``docs/`` (and in CONTRIBUTING.md and CHANGELOG.md, which the
site includes):

* a ``python`` block runs in a fresh namespace and must not raise. If the next block
  is a ``text`` block titled ``Output``, the example must print exactly that;
  otherwise it must print nothing;
* in a ``console`` block, each ``$ centrifugo-codes ...`` or
  ``$ python -m centrifugo_protocol ...`` line runs the command, which must exit with
  status 0 and, when lines follow it, print exactly those lines;
* ``sh`` blocks are commands to copy and ``text`` blocks are shown as they are;
  no other kind of block is allowed, so that nothing runnable escapes these tests;
* a block that cannot run here is preceded by ``<!-- docs-test: skip (reason) -->``,
  and there are at most :data:`MAX_SKIPS` of them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from centrifugo_protocol._cli import main, markdown

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md"]
MAX_SKIPS = 2
LANGUAGES = {"python", "text", "console", "sh"}
COMMANDS = {"centrifugo-codes": "centrifugo-codes", "python -m centrifugo_protocol": "python -m centrifugo_protocol"}

FENCE = re.compile(r"^```(?P<lang>[^\s`]*)(?P<options>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"<!-- docs-test: skip \((?P<reason>[^)]+)\) -->\s*\Z")
OUTPUT = 'title="Output"'


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: Path
    line: int
    lang: str
    options: str
    body: str
    #: What stands between the block and the one before it.
    before: str
    #: Why the block is not run, from its skip marker; None: it is run.
    skip: str | None
    #: For a python block, the Output block that follows it.
    output: str | None = None

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def is_output(self) -> bool:
        return self.lang == "text" and OUTPUT in self.options


def _blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    blocks: list[Block] = []
    end = 0
    for match in FENCE.finditer(text):
        before = text[end : match.start()]
        skip = SKIP.search(before)
        block = Block(
            page=page,
            line=text.count("\n", 0, match.start()) + 1,
            lang=match.group("lang"),
            options=match.group("options").strip(),
            body=match.group("body"),
            before=before.strip(),
            skip=skip.group("reason") if skip else None,
        )
        previous = blocks[-1] if blocks else None
        if block.is_output and previous is not None and previous.lang == "python" and block.before == "":
            blocks[-1] = replace(previous, output=block.body)
        blocks.append(block)
        end = match.end()
    return blocks


BLOCKS = [block for page in PAGES for block in _blocks(page)]
PYTHON = [block for block in BLOCKS if block.lang == "python" and block.skip is None]
CONSOLE = [block for block in BLOCKS if block.lang == "console" and block.skip is None]


def _load_hooks() -> Callable[[str, str], str]:
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expand: Callable[[str, str], str] = module.expand
    return expand


# --- The examples -------------------------------------------------------------------------


def test_the_pages_have_examples() -> None:
    assert len(PYTHON) >= 15
    assert len(CONSOLE) >= 4
    for page in ("getting-started.md", "events.md", "transitions.md", "wire.md", "proxy.md", "cli.md"):
        assert any(block.page == DOCS / page for block in PYTHON + CONSOLE), page


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_every_block_is_of_a_known_kind(block: Block) -> None:
    assert block.lang in LANGUAGES, f"{block.name}: a ```{block.lang} block; use one of {sorted(LANGUAGES)}"
    if block.is_output:
        index = BLOCKS.index(block)
        owner = BLOCKS[index - 1] if index else None
        assert owner is not None and owner.output == block.body and owner.page == block.page, (
            f"{block.name}: an Output block must follow a python block directly"
        )


def test_skips_are_few_and_explained() -> None:
    skipped = [block for block in BLOCKS if block.skip is not None]
    assert len(skipped) <= MAX_SKIPS, [block.name for block in skipped]
    for block in skipped:
        assert block.skip is not None and len(block.skip.split()) >= 3, f"{block.name}: say why it cannot run"


@pytest.mark.parametrize("block", PYTHON, ids=[block.name for block in PYTHON])
def test_python_examples_run_and_print_what_they_show(block: Block) -> None:
    printed = io.StringIO()
    namespace: dict[str, object] = {"__name__": "docs_example"}
    with contextlib.redirect_stdout(printed):
        exec(compile(block.body, block.name, "exec"), namespace)
    assert printed.getvalue() == (block.output or ""), f"{block.name} printed something else than it shows"


def _commands(block: Block) -> list[tuple[str, list[str], str]]:
    """Each ``$`` line of a console block: its program, arguments and shown output."""
    commands: list[tuple[str, list[str], str]] = []
    for chunk in re.split(r"^\$ ", block.body, flags=re.MULTILINE)[1:]:
        command, _, shown = chunk.partition("\n")
        program = next((name for name in COMMANDS if command == name or command.startswith(name + " ")), None)
        assert program is not None, f"{block.name}: only the package's command runs here, not {command!r}"
        commands.append((program, shlex.split(command[len(program) :]), shown))
    assert commands, f"{block.name}: a console block shows at least one $ command"
    return commands


@pytest.mark.parametrize("block", CONSOLE, ids=[block.name for block in CONSOLE])
def test_console_examples_print_what_they_show(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps help text to the terminal
    monkeypatch.chdir(ROOT)  # examples name files by their path in the repository
    for program, arguments, shown in _commands(block):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            try:
                status = main(arguments, prog=COMMANDS[program])
            except SystemExit as leaving:  # argparse leaves this way, after --help too
                status = leaving.code if isinstance(leaving.code, int) else 1
        assert status == 0, f"{block.name}: `{program} {shlex.join(arguments)}` exited with {status}"
        if shown:
            assert printed.getvalue() == shown, (
                f"{block.name}: `{program} {shlex.join(arguments)}` prints something else"
            )


# --- The generated parts ------------------------------------------------------------------


def test_the_code_reference_is_generated_from_the_cli() -> None:
    page = (DOCS / "codes.md").read_text(encoding="utf-8")
    built = _load_hooks()(page, "codes.md")
    assert "<!--" not in built
    for line in markdown().splitlines():
        if line.startswith("|"):
            assert line in built.splitlines(), f"codes.md lacks the table line {line!r}"


def test_the_sdk_differences_are_generated_from_the_conformance_data() -> None:
    from tests.conformance.differences import markdown as differences

    page = (DOCS / "sdk-differences.md").read_text(encoding="utf-8")
    built = _load_hooks()(page, "sdk-differences.md")
    assert "<!--" not in built
    assert differences().strip() in built


DOC_PAGES = [page for page in PAGES if page.is_relative_to(DOCS)]


@pytest.mark.parametrize("page", DOC_PAGES, ids=[str(page.relative_to(ROOT)) for page in DOC_PAGES])
def test_every_placeholder_generates(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    if "<!-- generated:" in text or "<!-- /generated" in text:
        _load_hooks()(text, page.name)  # raises, naming the part, when one cannot be made


def test_the_api_reference_covers_every_public_module() -> None:
    documented = {
        match.group(1)
        for page in (DOCS / "api").glob("*.md")
        for match in re.finditer(r"^::: ([\w.]+)\s*$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
    }
    package = ROOT / "centrifugo_protocol"
    public = {f"centrifugo_protocol.{path.stem}" for path in package.glob("*.py") if not path.stem.startswith("_")}
    assert documented == {"centrifugo_protocol", *public}


# --- The types the examples promise -------------------------------------------------------


TARGETS = ["3.10", "3.13"]


def _tool(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -r requirements-dev.txt"
    return found


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("docs")
    files: list[str] = []
    for number, block in enumerate(PYTHON):
        path = folder / f"example_{number}_{block.page.stem.replace('-', '_')}_{block.line}.py"
        path.write_text(block.body, encoding="utf-8")
        files.append(str(path))
    return files


@pytest.mark.typecheck
@pytest.mark.parametrize("target", TARGETS)
def test_python_examples_pass_both_checkers(examples: list[str], target: str) -> None:
    folder = Path(examples[0]).parent
    # centrifuge-python (the events recipe) is annotated but has no py.typed: both
    # checkers are told to read it, with the two settings docs/events.md gives readers.
    mypy_config = folder / "mypy.ini"
    mypy_config.write_text("[mypy]\n\n[mypy-centrifuge.*]\nfollow_untyped_imports = True\n")
    # Both checkers read the package from this tree, whatever is installed.
    mypy = subprocess.run(
        [_tool("mypy"), "--config-file", str(mypy_config), "--strict", "--python-version", target, "--no-incremental",
         "--enable-error-code", "exhaustive-match", "--warn-unreachable", "--follow-imports", "silent", *examples],
        capture_output=True, text=True, cwd=folder, timeout=600, env={**os.environ, "MYPYPATH": str(ROOT)},
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    config = folder / "pyrightconfig.json"
    settings = {
        "typeCheckingMode": "strict",
        "pythonVersion": target,
        "extraPaths": [str(ROOT)],
        "reportMissingTypeStubs": False,
    }
    config.write_text(json.dumps(settings))
    # pyright reads installed packages (centrifuge) from the Python running these tests.
    pyright = subprocess.run(
        [_tool("basedpyright"), "--pythonpath", sys.executable, "--project", str(config), *examples],
        capture_output=True, text=True, cwd=folder, timeout=600,
    )  # fmt: skip
    assert pyright.returncode == 0, pyright.stdout + pyright.stderr


def test_performance_table_rows_are_the_benchmark_cases() -> None:
    # The table on the verification page reports what benchmarks/bench.py measures:
    # its rows are the benchmark's cases, by the same names and in the same order.
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases: list[tuple[str, str, str, float | None]] = bench.CASES
    imports: list[tuple[str, float | None]] = bench.IMPORTS
    labels = [label for label, *_ in cases] + [f"import {module} vs import http" for module, _ in imports]
    page = (DOCS / "verification.md").read_text(encoding="utf-8")
    section = page[page.index("## Performance") :]
    rows = [line.split("|")[1].strip().strip("`") for line in section.splitlines() if line.startswith("| `")]
    assert rows == labels

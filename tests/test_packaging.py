"""What a package index shows: the README's links, the project's addresses, the changelog.

The README is also the package's page on PyPI, where a relative link leads nowhere.
The build rewrites those links (``[tool.hatch.metadata.hooks.fancy-pypi-readme]`` in
``pyproject.toml``); these tests apply the same substitutions, in the same order, and
check that every link comes out absolute and lands on a file or page that exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the runtime tests on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
URLS: dict[str, str] = PYPROJECT["project"]["urls"]
#: A Markdown inline link's target: ``[text](target)``.
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _mkdocs_setting(key: str) -> str:
    found = re.search(rf"^{key}: (\S+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"mkdocs.yml has no {key}"
    return found.group(1)


SITE = _mkdocs_setting("site_url")
REPOSITORY = URLS["Source"]
BLOB = f"{REPOSITORY}/blob/main/"


def index_page() -> str:
    """The README as the package index shows it, with the build's substitutions applied."""
    hook = PYPROJECT["tool"]["hatch"]["metadata"]["hooks"]["fancy-pypi-readme"]
    assert [fragment["path"] for fragment in hook["fragments"]] == ["README.md"]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in hook["substitutions"]:
        text = re.sub(rule["pattern"], rule["replacement"], text)
    return text


def test_the_readme_is_the_dynamic_description() -> None:
    project = PYPROJECT["project"]
    assert "readme" in project["dynamic"]
    assert "readme" not in project
    assert any(req.startswith("hatch-fancy-pypi-readme") for req in PYPROJECT["build-system"]["requires"])


def test_project_urls_agree_with_the_documentation_site() -> None:
    assert set(URLS) >= {"Homepage", "Documentation", "Source", "Changelog"}
    assert URLS["Documentation"] == SITE
    assert URLS["Homepage"] == REPOSITORY == "https://github.com/centrifugo-protocol/centrifugo-protocol"
    assert URLS["Changelog"] == f"{BLOB}CHANGELOG.md"
    for url in URLS.values():
        assert url.startswith("https://"), url


def test_every_index_page_link_is_absolute_and_lands_somewhere() -> None:
    targets: list[str] = LINK.findall(index_page())
    relative: list[str] = LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert any(not t.startswith("http") for t in relative), "the README has no relative link to rewrite"
    assert targets
    for target in targets:
        assert target.startswith("https://"), f"{target!r} stays relative on the package index"
        if target.startswith(SITE):
            page = target.removeprefix(SITE).rstrip("/")
            candidates = [ROOT / "docs" / f"{page}.md", ROOT / "docs" / page / "index.md"]
            assert any(path.is_file() for path in candidates), f"{target!r} is no documentation page"
        elif target.startswith(BLOB):
            path = ROOT / target.removeprefix(BLOB)
            assert path.is_file(), f"{target!r} names no file in the repository"


def test_rewriting_leaves_absolute_links_and_anchors_alone() -> None:
    hook = PYPROJECT["tool"]["hatch"]["metadata"]["hooks"]["fancy-pypi-readme"]
    text = "[a](https://example.org/x.md) [b](#usage) [c](docs/wire.md) [d](docs/api/index.md) [e](LICENSE)"
    for rule in hook["substitutions"]:
        text = re.sub(rule["pattern"], rule["replacement"], text)
    assert LINK.findall(text) == [
        "https://example.org/x.md",
        "#usage",
        f"{SITE}wire/",
        f"{SITE}api/",
        f"{BLOB}LICENSE",
    ]


def test_changelog_headings_have_link_definitions() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    definitions = dict(re.findall(r"^\[([^\]]+)\]: (\S+)$", text, re.MULTILINE))
    assert headings[0] == "Unreleased"
    assert set(definitions) == set(headings)
    releases = headings[1:]
    assert definitions["Unreleased"] == f"{REPOSITORY}/compare/v{releases[0]}...HEAD"
    for newer, older in zip(releases, [*releases[1:], None], strict=True):
        expected = (
            f"{REPOSITORY}/releases/tag/v{newer}" if older is None else f"{REPOSITORY}/compare/v{older}...v{newer}"
        )
        assert definitions[newer] == expected


def test_topic_classifiers() -> None:
    topics = [c for c in PYPROJECT["project"]["classifiers"] if c.startswith("Topic :: ")]
    assert "Topic :: Software Development :: Libraries :: Python Modules" in topics
    assert "Topic :: System :: Monitoring" in topics

"""The backend pages show the code the tests run, and link where they say.

The recipe pages (docs/recipes/) show the whole recipe module that
tests/live/test_recipes.py serves to a live Centrifugo, so what a reader copies is
what was tested: each page's python block must be the module's text, byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```python\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)

RECIPES = {
    "recipes/starlette.md": "tests/recipes/starlette_backend.py",
    "recipes/django.md": "tests/recipes/django_backend.py",
}


@pytest.mark.parametrize(("page", "module"), sorted(RECIPES.items()))
def test_each_recipe_page_shows_the_tested_module_whole(page: str, module: str) -> None:
    blocks = [match.group("body") for match in BLOCK.finditer((DOCS / page).read_text(encoding="utf-8"))]
    assert blocks == [(ROOT / module).read_text(encoding="utf-8")]


def test_the_backend_pages_are_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (*RECIPES, "recipes/status-transforms.md", "server-api.md", "api/api.md"):
        assert f": {page}\n" in nav, page


def test_relative_links_on_the_backend_pages_resolve() -> None:
    for page in (*RECIPES, "recipes/status-transforms.md", "server-api.md"):
        path = DOCS / page
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).resolve().is_file(), (page, target)

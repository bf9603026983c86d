"""A griffe extension for the API reference: the package's docstrings, made readable.

The package writes its docstrings for ``help()`` and for readers of the source, in
reStructuredText: ``:class:`ErrorCode```, ``:data:`APP_ERROR_CODES```. mkdocstrings
renders docstrings as Markdown, where those roles would show up as they are typed.
This extension, run by mkdocstrings once the package is loaded:

* turns each role into a cross-reference to the object's entry in the API reference,
  marked optional, so that a name the reference does not render (a private helper)
  becomes plain code instead of a broken link;
* gives each member of a code family (an ``IntEnum`` in the package) its number as
  its value and its description as its docstring, read from the package itself, in
  place of the ``row(...)`` call of the source.

It changes what the reference shows, never what it says: every text comes from the
package.
"""

from __future__ import annotations

import enum
import importlib
import re
import sys
from pathlib import Path
from typing import Any

import griffe

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "centrifugo_protocol"

#: A Sphinx role: ``:class:`Name```, ``:func:`~package.module.name```, ...
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|const|obj):`(?P<target>[^`]+)`")


class ReadableDocstrings(griffe.Extension):
    """Cross-references for Sphinx roles; numbers and descriptions for enum members."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.path != PACKAGE:
            return
        exported = set(_all_of(pkg))
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = ROLE.sub(
                    lambda match, obj=obj: _reference(match, obj, exported), obj.docstring.value
                )
        _document_enum_members(pkg)


def _all_of(module: griffe.Module) -> list[str]:
    names = module.exports
    return [name if isinstance(name, str) else name.name for name in names or ()]


def _walk(obj: griffe.Object) -> list[griffe.Object]:
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            found.extend(_walk(member))
    return found


def _module_of(obj: griffe.Object) -> griffe.Module:
    while not isinstance(obj, griffe.Module):
        assert obj.parent is not None
        obj = obj.parent
    return obj


def _public_path(obj: griffe.Object, exported: set[str]) -> str | None:
    """Where ``obj`` is rendered in the reference, if it is: the package's name for
    what the package exports, else its own path in a public module."""
    parts = obj.path.split(".")
    for index in range(1, len(parts)):
        if parts[index].startswith("_"):
            if parts[index + 1 : index + 2] and parts[index + 1] in exported:
                return ".".join([PACKAGE, *parts[index + 1 :]])
            return None
    return obj.path


def _identifier(target: str, obj: griffe.Object, exported: set[str]) -> str:
    if target.startswith(PACKAGE):
        return target
    head = target.split(".", 1)[0]
    if head in exported:
        return f"{PACKAGE}.{target}"
    # A name in the docstring's own scope: a member of its class or of its module.
    scope: griffe.Object | None = obj if isinstance(obj, griffe.Class) else obj.parent
    while scope is not None:
        if head in scope.members:
            base = _public_path(scope, exported)
            if base is not None:
                return f"{base}.{target}"
        scope = scope.parent
    return f"{_module_of(obj).path}.{target}"


def _reference(match: re.Match[str], obj: griffe.Object, exported: set[str]) -> str:
    target = match.group("target").strip()
    titled = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^<>]+)>", target)  # Sphinx's `title <target>`
    if titled is not None:
        target = titled.group("target").strip()
    short = target.startswith("~")
    target = target.lstrip("~.")
    shown = titled.group("title") if titled is not None else target.rsplit(".", 1)[-1] if short else target
    identifier = _identifier(target, obj, exported)
    return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'


def _document_enum_members(pkg: griffe.Module) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for obj in _walk(pkg):
        if not isinstance(obj, griffe.Class) or obj.path.count(".") < 1:
            continue
        module = importlib.import_module(_module_of(obj).path)
        family = getattr(module, obj.name, None)
        if not (isinstance(family, type) and issubclass(family, enum.Enum)):
            continue
        for member in family:
            attribute = obj.members.get(member.name)
            if not isinstance(attribute, griffe.Attribute):
                continue
            attribute.value = repr(member.value) if isinstance(member.value, str) else str(int(member.value))
            text = getattr(member, "description", None)
            if isinstance(text, str):
                attribute.docstring = griffe.Docstring(text, parent=attribute)

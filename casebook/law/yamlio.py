"""Reading YAML with a real parser (PyYAML's C parser when available), keeping the node tree so
errors can name the line. Dates stay text (checked by the schemas), only true/false are booleans,
and a key written twice is an error."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, DataErrors, format_path
from .paths import display_path

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 booleans and without implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


@dataclass
class YamlDocument:
    """A parsed document as plain Python values, plus its node tree for positions."""

    file: str
    data: Any
    _node: Any

    def line_of(self, path: Sequence[object]) -> int | None:
        """1-based line of the value at `path`, or of its nearest parent."""
        node = self._node
        line = node.start_mark.line + 1 if node is not None else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == part), None)
                key = next((k for k, v in node.value if k.value == part), None)
                if match is None:
                    break
                line, node = key.start_mark.line + 1, match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def error(self, path: Sequence[object], message: str) -> DataError:
        return DataError(self.file, format_path(path), message, self.line_of(path))


def _duplicate_key(node: Any) -> tuple[str, int] | None:
    """The first key written twice in one mapping, with its line."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if key.value in seen and key.tag != "tag:yaml.org,2002:merge":
                    return str(key.value), key.start_mark.line + 1
                seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def load_yaml(path: Path) -> YamlDocument:
    """Parse `path`; on a syntax error or a duplicate key raise DataErrors naming the line."""
    shown = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(shown, "", f"fichier illisible en UTF-8 ({exc.reason})")]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        duplicate = _duplicate_key(node)
        if duplicate:
            message = f"clé en double « {duplicate[0]} » : chaque clé ne peut apparaître qu'une fois"
            raise DataErrors([DataError(shown, "", message, duplicate[1])])
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntaxe invalide"
        message = f"erreur de syntaxe YAML : {problem}"
        raise DataErrors([DataError(shown, "", message, mark.line + 1 if mark else None)]) from None
    except yaml.YAMLError as exc:
        raise DataErrors([DataError(shown, "", f"erreur de syntaxe YAML : {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(shown, data, node)

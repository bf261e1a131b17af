"""Reading YAML with a real parser, keeping where every value stands so errors can name the line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import DataError, DataErrors, format_path
from .paths import display_path


@dataclass
class YamlDocument:
    """A parsed document as plain Python values (dates as ISO strings), plus its positions."""

    file: str
    data: Any
    _raw: Any

    def line_of(self, path: Sequence[object]) -> int | None:
        """1-based line of the value at `path`, or of its nearest parent that has a position."""
        node, line = self._raw, _own_line(self._raw)
        for part in path:
            try:
                if isinstance(node, CommentedMap) and part in node:
                    line = node.lc.key(part)[0] + 1
                    node = node[part]
                elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                    line = node.lc.item(part)[0] + 1
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        return line

    def error(self, path: Sequence[object], message: str) -> DataError:
        return DataError(self.file, format_path(path), message, self.line_of(path))


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node.date().isoformat()
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def load_yaml(path: Path) -> YamlDocument:
    """Parse `path`; on a syntax error or a duplicate key raise DataErrors naming the line."""
    shown = display_path(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(shown, "", f"fichier illisible en UTF-8 ({exc.reason})")]) from None
    try:
        raw = yaml.load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else ""
        message = f"clé en double « {key} » : chaque clé ne peut apparaître qu'une fois"
        raise DataErrors([DataError(shown, "", message, line)]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntaxe invalide"
        message = f"erreur de syntaxe YAML : {problem}"
        raise DataErrors([DataError(shown, "", message, line)]) from None
    except YAMLError as exc:
        raise DataErrors([DataError(shown, "", f"erreur de syntaxe YAML : {exc}")]) from None
    return YamlDocument(shown, _plain(raw), raw)

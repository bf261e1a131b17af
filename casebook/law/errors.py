"""Errors about the knowledge base or a scenario file: where the problem is and what was expected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DataError:
    """One problem in one file: the file, the place in the document, and the French message."""

    file: str
    place: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", ligne {self.line}"
        if self.place:
            where += f" ({self.place})"
        return f"{where} : {self.message}"


class DataErrors(Exception):
    """Raised when files cannot be loaded; carries every problem found, one per entry."""

    def __init__(self, errors: Iterable[DataError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def format_path(path: Iterable[object]) -> str:
    """Render a document path such as ('cases', 3, 'facts') as `cases[3].facts`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out

"""Casebook of Belgian professional secrecy: the law as dated, cited data and an engine that
answers must / may / must not, with its reasons.

Public API: `load()` (the knowledge base, loaded once), `Situation`, `evaluate`,
`evaluate_one`, `what_if`, `synthesize`, `next_questions`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .law.engine import Assessment, Situation, Verdict, evaluate, evaluate_one, next_questions
from .law.errors import DataError, DataErrors
from .law.synthesis import synthesize
from .law.whatif import WhatIf, what_if

if TYPE_CHECKING:
    from .law.knowledge import KnowledgeBase

__all__ = [
    "Assessment", "DataError", "DataErrors", "Situation", "Verdict", "WhatIf", "evaluate",
    "evaluate_one", "load", "next_questions", "synthesize", "what_if",
]


@cache
def load() -> KnowledgeBase:
    """The package's knowledge base, loaded and checked once per process (from its snapshot
    when the data and the code are unchanged since it was made: see `casebook.snapshot`)."""
    from .law.knowledge import load_knowledge_base
    from .law.paths import data_dir
    from .law.snapshot import cached

    return cached("knowledge", load_knowledge_base, data_dir())

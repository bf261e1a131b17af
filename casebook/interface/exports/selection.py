"""Which questions an export holds: those of « Entraînement » (`rounds.questions`: one per case
and provision asked), kept by the filters of `casebook export` — themes (a provision's topic, or
`cours` for the course's cases), difficulties and case ids, each a comma-separated list — in the
cases' order. A filter naming something unknown is refused with the list of what is known."""

from __future__ import annotations

from collections.abc import Sequence

from ...law.knowledge import KnowledgeBase
from ...law.scenarios import Scenario
from ..pages.rounds import LEVELS, Question, matches, questions, topics_of


class SelectionError(ValueError):
    """A filter that names nothing known, or filters that keep no question (French message)."""


def _words(text: str | None) -> list[str]:
    return [w.strip() for w in (text or "").split(",") if w.strip()]


def _known(asked: list[str], allowed: Sequence[str], what: str, listed: bool = True) -> None:
    unknown = [w for w in asked if w not in allowed]
    if unknown:
        shown = ", ".join(f"« {w} »" for w in unknown)
        known = f"possibles : {', '.join(allowed)}" if listed else "identifiants des fichiers de cas"
        raise SelectionError(f"{what} inconnu(s) : {shown} ; {known}")


def select(kb: KnowledgeBase, scenarios: Sequence[Scenario], themes: str | None = None,
           levels: str | None = None, cases: str | None = None) -> list[Question]:
    """The questions of `scenarios` kept by the filters (None or "" keeps everything)."""
    pool = questions(kb, scenarios)
    wanted_themes, wanted_levels, wanted_cases = _words(themes), _words(levels), _words(cases)
    _known(wanted_themes, topics_of(pool), "thème")
    _known(wanted_levels, tuple(LEVELS), "difficulté")
    _known(wanted_cases, [s.id for s in scenarios], "cas", listed=False)
    kept = [q for q in pool
            if (not wanted_themes or any(matches(q, t) for t in wanted_themes))
            and (not wanted_levels or q.level in wanted_levels)
            and (not wanted_cases or q.scenario.id in wanted_cases)]
    if not kept:
        raise SelectionError("aucune question ne correspond à ces filtres")
    return kept

"""The synthesis: one French paragraph answering am I bound, what I must do, what I may do
and what I must not do, from every provision's verdict."""

from __future__ import annotations

from .engine import Assessment, Verdict
from .knowledge import KnowledgeBase

_MUST = ("obligation_de_communiquer", "obligation_d_agir")
_MAY = ("faculte_de_partager", "faculte_de_parler")


def _with_limits(v: Verdict) -> str:
    limits = dict(v.limits)
    details = [limits[k] for k in ("to_whom", "content") if k in limits]
    suffix = f" ({' ; '.join(details)})" if details else ""
    return f"{v.branch_label.lower()} selon {v.provision.short}{suffix}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def synthesize(kb: KnowledgeBase, assessment: Assessment) -> str:
    """A paragraph in French; every claim names the provision it comes from."""
    verdicts = list(assessment.verdicts.values())
    rules = [v for v in verdicts if v.provision.kind == "rule"]
    silent = [v.provision.short for v in rules if v.outcome == "obligation_de_se_taire"]
    must = [_with_limits(v) for v in rules if v.outcome in _MUST]
    may = [_with_limits(v) for v in rules if v.outcome in _MAY]
    risks = [v for v in verdicts if v.outcome == "sanction_encourue"]
    open_ = [v for v in verdicts if v.outcome == "indetermine"]
    parts = []
    if silent:
        parts.append(f"Vous êtes tenu(e) de vous taire : {_join(silent)}.")
    else:
        parts.append("Aucune disposition ne vous impose le silence dans cette situation, "
                     "d'après les faits connus.")
    if must:
        parts.append(f"Vous devez agir : {_join(must)}.")
    if may:
        parts.append(f"Vous pouvez, sans y être obligé(e) : {_join(may)}.")
    if silent:
        extra = " en dehors de ces possibilités" if may or must else ""
        parts.append(f"Vous ne pouvez rien révéler d'autre{extra}.")
    if risks:
        named = [f"{v.provision.short}" + (f" ({v.version.penalty})" if v.version and
                                            v.version.penalty else "") for v in risks]
        parts.append(f"Pour la révélation décrite, vous vous exposez à : {_join(named)}.")
    if open_:
        unknown = sorted({f for v in open_ for f in v.unknown}, key=list(kb.facts).index)
        counts = {f: sum(f in v.unknown for v in open_) for f in unknown}
        best = max(unknown, key=lambda f: counts[f])
        parts.append(f"{len(open_)} disposition(s) restent indéterminées faute de réponse ; "
                     f"question la plus utile maintenant : {kb.facts[best].question}")
    return " ".join(parts)

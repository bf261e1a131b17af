"""The synthesis: one French paragraph answering am I bound, what I must do, what I may do
and what I must not do, from every provision's verdict."""

from __future__ import annotations

from .engine import Assessment, Verdict
from .knowledge import KnowledgeBase

_MUST = ("obligation_de_communiquer", "obligation_d_agir")
_MAY = ("faculte_de_partager", "faculte_de_parler")
_VERBS = {"obligation_de_communiquer": "communiquer", "obligation_d_agir": "agir",
          "faculte_de_partager": "partager", "faculte_de_parler": "parler"}


def _with_limits(v: Verdict) -> str:
    """`partager selon Secret partagé (à qui : … ; quoi : …)`."""
    limits = dict(v.limits)
    details = [f"{word} : {limits[k]}" for k, word in (("to_whom", "à qui"), ("content", "quoi"))
               if k in limits]
    suffix = f" ({' ; '.join(details)})" if details else ""
    return f"{_VERBS[v.outcome]} selon {v.provision.short}{suffix}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def synthesize(kb: KnowledgeBase, assessment: Assessment) -> str:
    """A paragraph in French; every claim names the provision it comes from."""
    verdicts = list(assessment.verdicts.values())
    rules = [v for v in verdicts if v.provision.kind != "consequence"]
    silent = [v.provision.short for v in rules if v.outcome == "obligation_de_se_taire"]
    must = [_with_limits(v) for v in rules if v.outcome in _MUST]
    may = [_with_limits(v) for v in rules if v.outcome in _MAY]
    risks = [v for v in verdicts if v.outcome == "sanction_encourue"]
    open_ = [v for v in verdicts if v.outcome == "indetermine"]
    parts = []
    if silent:
        parts.append(f"Vous êtes tenu(e) au secret : {_join(silent)}.")
    else:
        parts.append("Aucune disposition ne vous impose le silence dans cette situation, "
                     "d'après les faits connus.")
    if must:
        parts.append(f"Vous devez : {' ; '.join(must)}.")
    if may:
        parts.append(f"Vous pouvez, sans y être obligé(e) : {' ; '.join(may)}.")
    if silent:
        parts.append("Hors de ces cas, ne révélez rien." if may or must else "Ne révélez rien.")
    if risks:
        named = [f"{v.provision.short}" + (f" ({v.version.penalty})" if v.version and
                                            v.version.penalty else "") for v in risks]
        parts.append(f"Pour la révélation décrite, vous vous exposez à : {_join(named)}.")
    conflicts = [v for v in open_ if v.conflict]
    if conflicts:
        parts.append("Conflit entre exceptions (erreur dans les données) pour : "
                     + _join([v.provision.short for v in conflicts]) + ".")
    unknown = sorted({f for v in open_ for f in v.unknown}, key=kb.fact_rank.__getitem__)
    if unknown:
        counts = {f: sum(f in v.unknown for v in open_) for f in unknown}
        best = max(unknown, key=lambda f: counts[f])
        parts.append(f"{len(open_) - len(conflicts)} disposition(s) restent indéterminées faute de "
                     f"réponse ; question la plus utile maintenant : {kb.facts[best].question}")
    return " ".join(parts)

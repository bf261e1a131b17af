"""The synthesis: one French paragraph answering am I bound, what I must do, what I may do
and what I must not do, from every provision's verdict."""

from __future__ import annotations

from .engine import Assessment, Situation, Verdict, evaluate
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


def _binding(v: Verdict) -> str:
    return v.version.binding_force if v.version else "contraignant"


def _precedence(silent: list[Verdict], lifting: list[Verdict], weak: list[Verdict]) -> list[str]:
    """Which prevails when one provision imposes silence and another lets or makes you speak."""
    parts = []
    if silent and lifting:
        names = _join([v.provision.short for v in lifting])
        verb, its = ("l'emportent", "leurs") if len(lifting) > 1 else ("l'emporte", "ses")
        parts.append(f"Ce qui prévaut : {names} {verb} sur le secret, mais seulement dans {its} "
                     "limites (à qui, quoi) : une loi qui oblige ou autorise à parler, ou une "
                     "justification reconnue par les juges ou la doctrine, lève le secret pour cet "
                     "acte-là et pour rien d'autre.")
    binding_silence = [v.provision.short for v in silent if _binding(v) != "non_contraignant"]
    if weak and binding_silence:
        names = _join([v.provision.short for v in weak])
        parts.append(f"{names} ne repose que sur un texte non contraignant (code de déontologie, "
                     f"circulaire) : cela ne lève pas le secret imposé par "
                     f"{_join(binding_silence)} ; pour cet acte, le secret prévaut.")
    return parts


def synthesize(kb: KnowledgeBase, assessment: Assessment) -> str:
    """A paragraph in French; every claim names the provision it comes from. Only provisions
    that impose secrecy are named as the source of a duty of silence; when another provision
    lets or makes you speak, the paragraph says which prevails and why."""
    verdicts = list(assessment.verdicts.values())
    silent = [v for v in verdicts if v.outcome == "obligation_de_se_taire"]
    acts = [v for v in verdicts if v.outcome in _MUST + _MAY]
    binding_silence = any(_binding(v) != "non_contraignant" for v in silent)
    # a non-binding text alone never lifts a binding secret; it only agrees with one that does
    backed = {v.outcome for v in acts if _binding(v) != "non_contraignant"}
    weak = [v for v in acts if binding_silence and _binding(v) == "non_contraignant"
            and v.outcome not in backed]
    lifting = [v for v in acts if v not in weak]
    must = [_with_limits(v) for v in lifting if v.outcome in _MUST]
    may = [_with_limits(v) for v in lifting if v.outcome in _MAY]
    risks = [v for v in verdicts if v.outcome == "sanction_encourue"]
    open_ = [v for v in verdicts if v.outcome == "indetermine"]
    secret = [v for v in silent if v.provision.duty != "discretion"]
    discreet = [v for v in silent if v.provision.duty == "discretion"]
    parts = []
    if secret:
        names = [v.provision.short + (" (non contraignant)" if _binding(v) == "non_contraignant"
                                      else "") for v in secret]
        parts.append(f"Vous êtes tenu(e) au secret : {_join(names)}.")
    if discreet:  # a duty of discretion is not a professional secret
        parts.append(f"Vous êtes tenu(e) à un devoir de discrétion (pas au secret professionnel) : "
                     f"{_join([v.provision.short for v in discreet])}.")
    if not silent:
        parts.append("Aucune disposition ne vous impose le silence dans cette situation, "
                     "d'après les faits connus.")
    if must:
        parts.append(f"Vous devez : {' ; '.join(must)}.")
    if may:
        parts.append(f"Vous pouvez, sans y être obligé(e) : {' ; '.join(may)}.")
    parts += _precedence(silent, lifting, weak)
    conflicts = [v for v in open_ if v.conflict]
    undecided = [v for v in open_ if not v.conflict]
    if silent:
        rest = "Hors de ces cas, ne révélez rien" if may or must else "Ne révélez rien"
        if undecided:  # never « ne révélez rien » next to open answers without what decides them
            parts.append(f"{rest} tant que les questions suivantes restent sans réponse : elles "
                         "pourraient ouvrir ou fermer d'autres règles.")
        else:
            parts.append(f"{rest}.")
    debated = [v.provision.short for v in verdicts if v.debate]
    if debated:
        parts.append(f"Question débattue en doctrine ou en jurisprudence pour : {_join(debated)} ; "
                     "la réponse retenue est la plus prudente, aucune lecture n'est certaine.")
    if risks:
        named = [f"{v.provision.short}" + (f" ({v.penalty_text})" if v.penalty_text else "")
                 for v in risks]
        parts.append(f"Pour la révélation décrite, vous vous exposez à : {_join(named)}.")
    if conflicts:
        parts.append("Conflit entre exceptions (erreur dans les données) pour : "
                     + _join([v.provision.short for v in conflicts]) + ".")
    if undecided:
        pending = [f"{v.provision.short} (selon : {_statements(kb, v)})" for v in undecided]
        parts.append(f"{len(undecided)} disposition(s) restent indéterminées faute de réponse : "
                     f"{' ; '.join(pending)}.")
        best = most_useful_question(kb, assessment)
        if best is not None:
            parts.append(f"Question la plus utile maintenant : {kb.facts[best].question}")
    return " ".join(parts)


def _statements(kb: KnowledgeBase, v: Verdict) -> str:
    return ", ".join(kb.facts[f].statement.lower() if f else f for f in v.unknown[:3]) + (
        "…" if len(v.unknown) > 3 else "")


def most_useful_question(kb: KnowledgeBase, assessment: Assessment) -> str | None:
    """The unknown fact whose answer settles the most undecided verdicts (on average over its
    answers; ties: the fact that more verdicts depend on, then vocabulary order)."""
    open_ = {pid: v for pid, v in assessment.verdicts.items()
             if v.outcome == "indetermine" and not v.conflict}
    candidates = kb.ranked({f for v in open_.values() for f in v.unknown})
    if not candidates:
        return None
    situation, only = assessment.situation, tuple(open_)

    def settled(fid: str) -> tuple[float, int, float]:
        values = kb.facts[fid].values()
        total = 0
        for value in values:
            after = evaluate(kb, Situation({**situation.facts, fid: value}, situation.date), only)
            total += sum(after[pid].outcome != "indetermine" for pid in only)
        depends = sum(fid in v.unknown for v in open_.values())
        return (total / max(len(values), 1), depends, -kb.fact_rank[fid])

    return max(candidates, key=settled)

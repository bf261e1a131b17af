"""Feedback for predict-then-reveal exercises: what a wrong choice usually reveals about the
student's understanding, keyed by (chosen outcome, right outcome); the case's misconceptions
keyed to that very choice (none when the case has none for it); and, for « se taire » answered
about a rule that does not apply, which rules do impose the secret there (asked of the engine).
The navigator's themes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ...law.engine import Situation, Verdict, evaluate
from ...law.knowledge import KnowledgeBase
from ...law.labels import OUTCOMES
from ...law.scenarios import Scenario

_FAMILY = {
    "faculte_de_partager": "faculty", "faculte_de_parler": "faculty",
    "obligation_de_communiquer": "duty", "obligation_d_agir": "duty",
    "obligation_de_se_taire": "silence", "non_applicable": "none", "sanction_encourue": "risk",
}

_BY_FAMILY: dict[tuple[str, str], str] = {
    ("duty", "faculty"): "Vous avez vu une obligation là où la loi ne donne qu'une faculté : vous "
                         "pouvez parler ou partager, mais rien ne vous y oblige ; vous pouvez aussi "
                         "choisir de vous taire.",
    ("faculty", "duty"): "Ici, la loi ne vous laisse pas le choix : c'est une obligation, avec ses limites "
                         "(à qui, quoi).",
    ("faculty", "silence"): "Une condition manque : sans elle, la règle reste le secret. Reprenez les "
                            "conditions une par une dans le raisonnement.",
    ("duty", "silence"): "Aucune règle ne vous oblige ici à parler : le secret l'emporte. Méfiez-vous des "
                         "« obligations de dénoncer » : elles ne visent pas qui est tenu au secret.",
    ("silence", "faculty"): "Les conditions d'une exception sont réunies : vous pouvez parler ou partager. "
                            "Le secret n'interdit pas tout, il encadre.",
    ("silence", "duty"): "Ici, un texte vous oblige à agir ou à communiquer : se taire ne suffit pas.",
    ("none", "silence"): "La disposition s'applique bien : relisez qui est tenu et ce qui est "
                         "couvert (tout ce que la fonction fait connaître, même public, même après "
                         "la fin du travail).",
    ("silence", "none"): "Cette disposition ne vise pas cette situation : vérifiez à qui elle s'adresse et "
                         "dans quelles conditions elle joue.",
}


def feedback(kb: KnowledgeBase, scenario: Scenario, verdict: Verdict, chosen: str) -> str:
    """French feedback on `chosen` as what `verdict.provision` says of `scenario` (the verdict is
    the engine's): a right answer is challenged to explain its reason; a wrong one is told what
    such a mistake usually reveals, then the case's misconceptions keyed to that answer for that
    provision, if any."""
    expected = verdict.outcome
    if chosen == expected:
        return ("Bonne réponse. Pouvez-vous dire quelle condition est décisive ? Vérifiez-le dans "
                "le raisonnement ci-dessous, puis dans « Et si… ? ».")
    if (chosen, expected) == ("obligation_de_se_taire", "non_applicable"):
        text = silence_lesson(kb, scenario.situation, verdict)
    else:
        pair = (_FAMILY.get(chosen, chosen), _FAMILY.get(expected, expected))
        text = _BY_FAMILY.get(pair, f"La réponse attendue est « {OUTCOMES[expected]} », pas "
                                    f"« {OUTCOMES[chosen]} ». Suivez le raisonnement condition par "
                                    "condition.")
    beliefs = scenario.misconceptions_for(chosen, verdict.provision.id)
    if len(beliefs) == 1:
        text += f" Idée reçue souvent en cause : « {beliefs[0].text} »"
    elif beliefs:
        text += " Idées reçues souvent en cause : " + " ; ".join(f"« {m.text} »" for m in beliefs)
    return text


def silence_lesson(kb: KnowledgeBase, situation: Situation, verdict: Verdict) -> str:
    """Why a rule that does not apply answers « Non applicable » to whoever answered « se taire »:
    for an exception that does not open (and the condition that fails, when a single one does),
    that the secret indeed holds, and under which rules (those the engine answers « obligation
    de se taire » for this situation)."""
    provision = verdict.provision
    holders = [v.provision.short for v in evaluate(kb, situation).verdicts.values()
               if v.outcome == "obligation_de_se_taire"]
    if provision.kind != "exception":
        text = _BY_FAMILY[("silence", "none")]
        if holders:
            text += f" Le secret tient pourtant ici, mais par une autre règle : {_names(holders)}."
        return text
    why = _why_closed(verdict)
    if not holders:
        return (f"L'exception « {provision.short} » ne s'ouvre pas{why} : sa réponse est « Non "
                "applicable ». Et ici, aucune règle du casebook ne vous impose le secret : "
                "vérifiez d'abord qui est tenu, et à quoi.")
    rules = "la règle qui l'impose est" if len(holders) == 1 else "les règles qui l'imposent sont"
    return (f"Vous avez raison sur le fond : ici, le secret tient. Mais la question portait sur "
            f"l'exception « {provision.short} », et elle ne s'ouvre pas{why} : sa propre réponse est "
            "donc « Non applicable ». Une exception ne dit jamais « se taire » : quand elle ne "
            f"s'ouvre pas, c'est une autre règle qui impose le secret ; ici, {rules} "
            f"{_names(holders)}.")


def _why_closed(verdict: Verdict) -> str:
    """« (la condition « … » n'est pas remplie) » when the trace shows a single failed condition
    (in the scope, or in the exceptions that did not open); the version missing at that date;
    "" otherwise."""
    if verdict.branch == "hors_vigueur":
        return " (elle n'est pas en vigueur à la date des faits)"
    if verdict.branch == "non_applicable":
        nodes = verdict.trace[:1]
    elif verdict.branch == "base":
        nodes = verdict.trace[1:]
    else:
        return ""
    failed = {child.label for node in nodes for child in node.children if child.value is False}
    return f" (la condition « {failed.pop()} » n'est pas remplie)" if len(failed) == 1 else ""


def _names(shorts: Sequence[str]) -> str:
    quoted = [f"« {s} »" for s in shorts]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


# The navigator's first question: what the situation is about, as provision topics to examine,
# the facts that choosing it already says (`presets`) and the questions on what happened and to
# whom that it asks first (`asks`), before any question on the person's own appreciation.
class Theme(NamedTuple):
    key: str
    label: str
    topics: tuple[str, ...]
    presets: tuple[tuple[str, bool | str], ...] = ()
    asks: tuple[str, ...] = ()


THEMES: tuple[Theme, ...] = (
    Theme("partage", "Je voudrais partager une information avec un collègue ou un autre service",
          ("base_legale", "deontologie", "partage", "secteurs", "discretion"),
          (("sharing_planned", True),), ("recipient_bound",)),
    Theme("parole", "On me demande de parler : juge, police, parquet ou avocat",
          ("base_legale", "deontologie", "temoignage"), (), ("forum",)),
    Theme("danger", "Une personne est en danger, ou a été victime",
          ("base_legale", "assistance", "necessite", "droit_de_parole"), (),
          ("offence_status", "victim")),
    Theme("infraction", "J'ai connaissance d'une infraction (crime, délit, attentat)",
          ("base_legale", "denonciation", "droit_de_parole"), (("knows_crime", True),),
          ("offence_status", "victim")),
    Theme("autorite", "Une autorité me demande des informations (procureur, Sûreté de l'État)",
          ("base_legale", "obligations_legales", "renseignement"), (),
          ("intelligence_request", "prosecutor_terror_request")),
    Theme("concertation", "Je participe à une concertation de cas ou à une CSIL-R",
          ("base_legale", "concertation"), (), ("case_conference",)),
    Theme("ecole", "Une maladie transmissible touche un élève", ("obligations_legales",), (),
          ("school_role",)),
    Theme("sanctions", "J'ai déjà révélé quelque chose : qu'est-ce que je risque ?",
          ("base_legale", "sanctions"), (), ()),
    Theme("tout", "Je ne sais pas : tout examiner", ()),
)

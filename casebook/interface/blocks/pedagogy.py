"""Feedback for predict-then-reveal exercises: what a wrong choice usually reveals about the
student's understanding, keyed by (chosen outcome, right outcome)."""

from __future__ import annotations

from typing import NamedTuple

from ...law.labels import OUTCOMES

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


def feedback(chosen: str, expected: str, misconceptions: tuple[str, ...] = ()) -> str:
    """French feedback for a prediction; a right answer is challenged to explain its reason."""
    if chosen == expected:
        return ("Bonne réponse. Pouvez-vous dire quelle condition est décisive ? Vérifiez-le dans "
                "le raisonnement ci-dessous, puis dans « Et si… ? ».")
    pair = (_FAMILY.get(chosen, chosen), _FAMILY.get(expected, expected))
    text = _BY_FAMILY.get(pair, f"La réponse attendue est « {OUTCOMES[expected]} », pas "
                                f"« {OUTCOMES[chosen]} ». Suivez le raisonnement condition par condition.")
    if misconceptions:
        text += " Idée reçue souvent en cause : « " + misconceptions[0] + " »"
    return text


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

"""French words for the identifiers used in data and results (outcomes, statuses, sources)."""

from __future__ import annotations

OUTCOMES: dict[str, str] = {
    "obligation_de_se_taire": "Obligation de se taire",
    "faculte_de_partager": "Faculté de partager",
    "faculte_de_parler": "Faculté de parler",
    "obligation_de_communiquer": "Obligation de communiquer",
    "obligation_d_agir": "Obligation d'agir",
    "non_applicable": "Non applicable",
    "indetermine": "Indéterminé",
    "sanction_encourue": "Sanction encourue",
}

# The deontic answers, as a student may predict them (neither « indéterminé » nor a sanction).
DEONTIC: tuple[str, ...] = ("obligation_de_se_taire", "faculte_de_partager", "faculte_de_parler",
                            "obligation_de_communiquer", "obligation_d_agir", "non_applicable")

OUTCOME_ICONS: dict[str, str] = {
    "obligation_de_se_taire": "⊘",
    "faculte_de_partager": "⇄",
    "faculte_de_parler": "❝",
    "obligation_de_communiquer": "✉",
    "obligation_d_agir": "⚑",
    "non_applicable": "–",
    "indetermine": "?",
    "sanction_encourue": "⚖",
}

OUTCOME_COLOURS: dict[str, str] = {
    "obligation_de_se_taire": "#8e1b1b",
    "faculte_de_partager": "#1d5e20",
    "faculte_de_parler": "#1d5e20",
    "obligation_de_communiquer": "#0b4a8b",
    "obligation_d_agir": "#0b4a8b",
    "non_applicable": "#555555",
    "indetermine": "#7a5200",
    "sanction_encourue": "#6a1b6a",
}

STATUSES: dict[str, str] = {
    "verified": "vérifié",
    "secondary": "source secondaire",
    "unverified": "à vérifier",
}

SOURCE_TYPES: dict[str, str] = {
    "loi": "loi",
    "arrete": "arrêté",
    "jurisprudence": "jurisprudence",
    "deontologie": "déontologie",
    "circulaire": "circulaire",
    "doctrine": "doctrine",
}

BINDING: dict[str, str] = {
    "contraignant": "contraignant",
    "non_contraignant": "non contraignant",
    "interpretatif": "interprétation faisant autorité",
}

CONDITION_STATUS: dict[bool | None, str] = {True: "remplie", False: "non remplie", None: "inconnue"}
CONDITION_MARK: dict[bool | None, str] = {True: "✔", False: "✘", None: "?"}

LIMIT_NAMES: dict[str, str] = {"to_whom": "À qui", "content": "Quoi", "extent": "Dans quelle mesure"}


def french_date(value: object) -> str:
    """A date as DD/MM/YYYY, or a dash for an open bound."""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else "—"

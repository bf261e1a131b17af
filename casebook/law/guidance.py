"""« Que faire maintenant ? »: the plain steps of `data/guidance.yaml` for an answer (who to
contact, what to say and not to say, what to write down), per outcome and, where a provision
needs its own, per provision and outcome. Loaded with the knowledge base; chosen here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .labels import OUTCOMES

if TYPE_CHECKING:
    from .engine import Verdict

# the order in which answers call for action: a duty first, silence last
_URGENCY = ("obligation_d_agir", "obligation_de_communiquer", "faculte_de_parler",
            "faculte_de_partager", "obligation_de_se_taire")


@dataclass(frozen=True)
class Guidance:
    """What to do for one outcome (of one provision, when `provision` is set)."""

    provision: str | None
    outcome: str
    title: str
    contact: tuple[str, ...]
    say: tuple[str, ...]
    not_say: tuple[str, ...]
    write_down: tuple[str, ...]


def load_guidance(path: Path, provisions: Iterable[str], errors: list[DataError]
                  ) -> tuple[Guidance, ...]:
    """The entries of `path` (none when the file is absent), each provision checked."""
    from .schemas import load_checked

    if not path.is_file():
        return ()
    doc = load_checked(path, "guidance", errors)
    if doc is None:
        return ()
    known = set(provisions)
    out = []
    for i, raw in enumerate(doc.data["guidance"]):
        if raw.get("provision") is not None and raw["provision"] not in known:
            errors.append(doc.error(["guidance", i, "provision"], f"disposition inconnue "
                                    f"« {raw['provision']} » ; connues : {', '.join(sorted(known))}"))
            continue
        out.append(Guidance(raw.get("provision"), raw["outcome"], raw["title"], tuple(raw["contact"]),
                            tuple(raw["say"]), tuple(raw["not_say"]), tuple(raw["write_down"])))
    seen = {(g.provision, g.outcome) for g in out}
    missing = [o for o in (*_URGENCY, "indetermine", "non_applicable") if (None, o) not in seen]
    if out and missing:
        errors.append(doc.error(["guidance"], "étapes manquantes pour la réponse : "
                                + ", ".join(OUTCOMES[o] for o in missing)))
    return tuple(out)


def steps_for(entries: tuple[Guidance, ...], verdicts: Iterable[Verdict]) -> list[Guidance]:
    """The steps for the answers given, most pressing first: a provision's own entry where
    there is one, else its outcome's; with no definite answer, the undecided steps, or those
    for « nothing applies »."""
    own = {(g.provision, g.outcome): g for g in entries}
    verdicts = list(verdicts)
    chosen: list[Guidance] = []
    for outcome in _URGENCY:
        for v in verdicts:
            if v.outcome == outcome:
                entry = own.get((v.provision.id, outcome)) or own.get((None, outcome))
                if entry and entry not in chosen:
                    chosen.append(entry)
    if not chosen:
        fallback = "indetermine" if any(v.outcome == "indetermine" for v in verdicts) else "non_applicable"
        chosen = [g for g in (own.get((None, fallback)),) if g]
    return chosen

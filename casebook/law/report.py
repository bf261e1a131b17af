"""Plain-text French rendering of verdicts, traces and what-ifs (for the command line and for
outputs that nbval compares)."""

from __future__ import annotations

import datetime as dt

from .engine import Assessment, Verdict
from .knowledge import KnowledgeBase
from .labels import (
    CONDITION_MARK,
    CONDITION_STATUS,
    LIMIT_NAMES,
    OUTCOMES,
    STATUSES,
    french_date,
)
from .logic import TraceNode
from .model import Version
from .synthesis import synthesize
from .whatif import what_if


def version_span(version: Version) -> str:
    """The dates of a version in words."""
    start = version.valid_from
    end = version.valid_until
    if start is None and end is None:
        return "en vigueur avant 1990 et toujours en vigueur"
    if start is None:
        return f"en vigueur avant 1990, jusqu'au {french_date(end)}"
    if end is None:
        return f"depuis le {french_date(start)}"
    return f"du {french_date(start)} au {french_date(end)}"


def text_origin(version: Version) -> str:
    """Where the words of a quoted text come from, in French, to show next to the quotation."""
    if version.text_source == "official":
        return f"Texte officiel ({version.status_source})."
    if version.text_source == "handout":
        return ("Texte tel que le reproduit le support de cours (c. 2019) : ce n'est pas une copie "
                f"du texte officiel. Vérification : {version.status_source}.")
    return f"Texte repris d'une source secondaire : {version.status_source}."


def version_line(version: Version | None) -> str:
    """`citation (dates) [statut]` for a version, or a phrase saying there is none."""
    if version is None:
        return "aucune version en vigueur"
    return f"{version.citation} ({version_span(version)}) [{STATUSES[version.status]}]"


def _node_lines(node: TraceNode, depth: int) -> list[str]:
    mark = CONDITION_MARK[node.value]
    judged = " — votre appréciation" if node.judgement else ""
    noted = f" ({node.note})" if node.note else ""
    line = f"{'  ' * depth}{mark} {node.label} : {CONDITION_STATUS[node.value]}{judged}{noted}"
    out = [line]
    for child in node.children:
        out += _node_lines(child, depth + 1)
    return out


def trace_lines(verdict: Verdict) -> list[str]:
    """Every condition of the verdict, indented, with its value."""
    out = []
    for node in verdict.trace:
        out += _node_lines(node, 0)
    return out


def verdict_text(verdict: Verdict) -> str:
    """One provision's answer: outcome, version, explanation, limits, remarks and reasoning."""
    p = verdict.provision
    lines = [f"{p.title}", f"  → {OUTCOMES[verdict.outcome]} ({verdict.branch_label})",
             f"  Version appliquée : {version_line(verdict.version)}",
             f"  {verdict.explanation}"]
    for key, value in verdict.limits:
        lines.append(f"  {LIMIT_NAMES[key]} : {value}")
    if verdict.penalty_text:
        lines.append(f"  Peine : {verdict.penalty_text}")
    if verdict.debate:
        lines.append("  Question débattue (aucune lecture n'est certaine) :")
        lines += [f"    - {r.reading} ({OUTCOMES[r.outcome].lower()}) — {r.source}"
                  for r in verdict.debate]
    lines += [f"  Remarque : {r}" for r in verdict.remarks]
    lines += ["  Raisonnement :"] + ["    " + t for t in trace_lines(verdict)]
    return "\n".join(lines)


def _failing(nodes: tuple[TraceNode, ...]) -> list[str]:
    """The labels of the innermost conditions that do not hold."""
    out: list[str] = []
    for node in nodes:
        if node.value is not False:
            continue
        deeper = _failing(node.children) if node.children else []
        out += deeper or [node.label + (f" ({node.note})" if node.note else "")]
    return out


def why_not(verdict: Verdict, date: dt.date) -> str:
    """Why a provision does not apply on `date`, in one French line: not yet or no longer in
    force, annulled, the condition of its scope that fails, or what sets it aside."""
    p = verdict.provision
    if verdict.branch == "hors_vigueur":
        annulled = p.annulled_at(date)
        if annulled and annulled.annulment:
            return (f"annulé par {annulled.annulment.by} (le {french_date(annulled.annulment.date)}) : "
                    "réputé n'avoir jamais existé")
        later = [v.valid_from for v in p.versions if v.valid_from and v.valid_from > date]
        if later:
            return f"pas encore en vigueur (à partir du {french_date(min(later))})"
        ended = [v.valid_until for v in p.versions if v.valid_until and v.valid_until < date]
        return f"plus en vigueur depuis le {french_date(max(ended) + dt.timedelta(days=1))}" if ended \
            else "aucune version en vigueur à cette date"
    if verdict.branch == "non_applicable":
        failing = _failing(verdict.trace[:1])
        if failing:
            return "condition non remplie : " + " ; ".join(dict.fromkeys(failing))
    if verdict.branch == "sans_effet":
        return "elle ne s'applique dans aucun des cas encore possibles (faits inconnus compris)"
    if verdict.branch not in ("non_applicable", "base"):
        return f"{verdict.branch_label[0].lower()}{verdict.branch_label[1:]}"
    return verdict.explanation.split(". ")[0]


def assessment_text(kb: KnowledgeBase, assessment: Assessment, only_relevant: bool = True) -> str:
    """The synthesis, then each provision that applies (or all of them)."""
    s = assessment.situation
    parts = [f"Situation au {french_date(s.date)}", "", synthesize(kb, assessment), ""]
    for verdict in assessment.verdicts.values():
        if only_relevant and verdict.outcome == "non_applicable" and not verdict.debate:
            continue
        parts.append(verdict_text(verdict))
        for w in what_if(kb, s, verdict.provision.id)[:3]:
            parts.append(f"  Et si… {w.sentence}")
        parts.append("")
    skipped = [v for v in assessment.verdicts.values()
               if only_relevant and v.outcome == "non_applicable" and not v.debate]
    if skipped:
        parts.append("Ne s'appliquent pas ici :")
        parts += [f"  - {v.provision.short} : {why_not(v, s.date)}." for v in skipped]
    return "\n".join(parts).rstrip() + "\n"

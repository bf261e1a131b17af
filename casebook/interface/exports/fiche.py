"""The printable exercise sheet and its answer key (`casebook export fiche`): two standalone HTML
pages, with the dashboards' own print stylesheet (the template's `print.css`).

- The sheet (`fiche-exercices.html`) gives each case its title, date of the facts and narrative,
  then, for each provision asked, the question and blank lines to answer on. No answer is in it,
  not even hidden: no outcome, no reasoning, no teaching note, no misconception.
- The key (`fiche-corrige.html`) gives, case by case and in the same order, the engine's answer
  for each question with its reasoning and citations (`moodle.reasoning_html`, as in the Moodle
  bank's feedback), then the case's teaching notes and misconceptions.

The questions are those of `rounds` (one per case and provision asked), as `casebook export
moodle` selects them. Every text from data is escaped; nothing about a student is written."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from ...law.knowledge import KnowledgeBase
from ...law.labels import DEONTIC, OUTCOMES, french_date
from ...law.paths import project_root
from ...law.scenarios import Scenario
from ..blocks.teaching import misconception_html
from .moodle import Item, reasoning_html

SHEET = "fiche-exercices.html"
KEY = "fiche-corrige.html"
ANSWER_LINES = 4

SCREEN_CSS = """
body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}
.cb-fiche-case{break-inside:auto}
.cb-fiche-question{margin:.8em 0 1.2em 0;break-inside:avoid}
.cb-fiche-line{border-bottom:1px solid #444;height:1.9em}
.cb-fiche-choices{font-size:.95em}
.cb-fiche-notes{background:#f6eefa;border-left:4px solid #6a1b9a;padding:.3em .8em}
.cb-fiche-answer{border-left:4px solid #0b4a8b;padding:.1em .8em;margin:.6em 0}
"""


def print_stylesheet() -> str:
    """The dashboards' print stylesheet (the Voilà template's `print.css`)."""
    return (project_root() / "share" / "jupyter" / "voila" / "templates" / "casebook"
            / "print.css").read_text(encoding="utf-8")


def _document(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{SCREEN_CSS}</style>"
            f'<style media="print">{print_stylesheet()}</style></head><body><main>'
            f"<h1>{escape(title)}</h1>{body}"
            "<p><small>Casebook du secret professionnel (droit belge) — outil pédagogique, pas un "
            "avis juridique. Ce document ne contient aucune donnée personnelle.</small></p>"
            "</main></body></html>")


def _by_case(asked: Sequence[Item]) -> list[tuple[Scenario, list[Item]]]:
    """The questions grouped by case, in the order of their first question."""
    groups: dict[str, tuple[Scenario, list[Item]]] = {}
    for item in asked:
        sc = item.question.scenario
        groups.setdefault(sc.id, (sc, []))[1].append(item)
    return list(groups.values())


def _case_head(number: int, sc: Scenario) -> str:
    return (f"<h2>Cas {number} : {escape(sc.title)}</h2>"
            f"<p>Date des faits : {french_date(sc.situation.date)}</p><p>{escape(sc.narrative.strip())}</p>")


def sheet_html(kb: KnowledgeBase, asked: Sequence[Item]) -> str:
    """The exercise sheet: every case and question, blank lines to answer on, no answer."""
    choices = " ; ".join(escape(OUTCOMES[o]) for o in DEONTIC)
    parts = [f'<p class="cb-fiche-choices">Pour chaque question, répondez par l\'une de ces réponses : '
             f"{choices}. Puis dites pourquoi, en nommant la condition qui décide.</p>"]
    for number, (sc, items) in enumerate(_by_case(asked), 1):
        parts.append(f'<section class="cb-fiche-case">{_case_head(number, sc)}')
        for item in items:
            provision = kb.provisions[item.question.pid]
            lines = '<div class="cb-fiche-line"></div>' * ANSWER_LINES
            parts.append(f'<div class="cb-fiche-question"><p><b>Que dit « {escape(provision.short)} » ?</b> '
                         f"{escape(provision.question)}</p><p>Réponse et raison :</p>{lines}</div>")
        parts.append("</section>")
    return _document("Fiche d'exercices — secret professionnel", "".join(parts))


def key_html(kb: KnowledgeBase, asked: Sequence[Item], title: str = "Corrigé — secret professionnel") -> str:
    """The answer key: for each case, the engine's answer to each question with its reasoning
    and citations, then the teaching notes and misconceptions."""
    parts = ["<p>Les réponses sont celles du moteur du casebook, à la date des faits de chaque cas, "
             "avec le texte appliqué et son statut de vérification.</p>"]
    for number, (sc, items) in enumerate(_by_case(asked), 1):
        parts.append(f'<section class="cb-fiche-case">{_case_head(number, sc)}')
        for item in items:
            provision = kb.provisions[item.question.pid]
            parts.append(f'<div class="cb-fiche-answer"><p><b>Que dit « {escape(provision.short)} » ?</b> '
                         f"{escape(provision.question)}</p>"
                         f"{reasoning_html(item.verdict, french_date(sc.situation.date))}</div>")
        wrong = "".join(misconception_html(kb, m) for m in sc.misconceptions)
        ideas = f"<p><b>Idées reçues à déconstruire</b></p><ul>{wrong}</ul>" if wrong else ""
        parts.append(f'<div class="cb-fiche-notes"><p><b>Notes pour l\'enseignant·e</b> : '
                     f"{escape(sc.teaching_notes.strip())}</p>{ideas}</div></section>")
    return _document(title, "".join(parts))


def write(kb: KnowledgeBase, asked: Sequence[Item], folder: Path) -> list[Path]:
    """Write the sheet and the key into `folder` (created if needed); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, html in ((SHEET, sheet_html(kb, asked)), (KEY, key_html(kb, asked))):
        target = folder / name
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written

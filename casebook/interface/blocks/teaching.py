"""The two views of a dashboard (`page.mode()`) and what each shows of the worked cases and of the
« Prédisez d'abord » exercises.

- The student view (the default) shows no case solved before the student asks: each worked case
  keeps its answer folded (« Voir la réponse », one case at a time, in plain HTML: no kernel round
  trip, and nbval still compares the whole text). The case an exercise of the page asks about is
  held back (« Répondez d'abord… ») until the student has checked an answer: the exercise carries
  a style rule (`held_back_style`) while it is unanswered. No teaching note, no misconception.
- The instructor view (`?mode=enseignant`) shows every answer directly with the case's teaching
  notes and misconceptions, and the expected answer of each exercise; a bar at the top of the
  page says « Vue enseignant », links back to the student view and switches the projection
  layout (larger type) on and off, without a kernel round trip.

This is a teaching aid, not an exam: the instructor view is one parameter away, on purpose.
Every text from data or from the address is escaped; the HTML is deterministic."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from urllib.parse import urlencode

from ...law.engine import Verdict, evaluate
from ...law.knowledge import KnowledgeBase
from ...law.labels import OUTCOME_ICONS, OUTCOMES, french_date
from ...law.report import why_not
from ...law.scenarios import Misconception, Scenario
from .display import provenance_html
from .page import MODES

STUDENT, TEACHER = MODES
MODE = "mode"  # the address parameter that chooses the view
_CASE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # the scenario schema's pattern for an id

STYLE = """<style>
.cb-reveal>summary{cursor:pointer;color:#0b4f8a;font-weight:bold}
.cb-held{display:none;font-style:italic;color:#5c4400}
.cb-teaching{background:#f6eefa;border-left:4px solid #6a1b9a;padding:.3em .8em;margin:.4em 0;
  color:#111}
</style>"""

# Only in the instructor view: the bar, and the projection layout while its box is ticked.
VIEW_STYLE = """<style>
.cb-view-bar{position:fixed;top:0;right:0;z-index:1000;background:#4a148c;color:#fff;
  padding:.35em .9em;border-bottom-left-radius:.6em;font:15px/1.6 sans-serif}
.cb-view-bar a.cb-student-link,.cb-view-bar label{color:#fff;margin-left:1em}
.cb-view-bar .cb-badge{background:#fff;color:#4a148c;border-color:#fff;font-weight:bold;margin:0}
body:has(.cb-projection-toggle:checked){--jp-content-font-size1:21px;--jp-ui-font-size1:19px;
  --jp-widgets-font-size:19px;--jp-widgets-inline-height:38px;--jp-widgets-inline-label-width:16em}
body:has(.cb-projection-toggle:checked) .cb-card .cb-outcome{font-size:1.4em}
@media print{.cb-view-bar{display:none}}
</style>"""


def held_back_style(case_id: str) -> str:
    """The rule an unanswered exercise carries: wherever the page shows worked case `case_id`, its
    answer is replaced by « Répondez d'abord… » (the exercise drops the rule once answered)."""
    if not _CASE_ID.fullmatch(case_id):
        raise ValueError(f"identifiant de cas invalide : {case_id!r}")
    row = f'.cb-case[data-case="{case_id}"]'
    return f"<style>{row} .cb-reveal{{display:none}}{row} .cb-held{{display:block}}</style>"


def _verdict_items(kb: KnowledgeBase, sc: Scenario) -> str:
    assessment = evaluate(kb, sc.situation, only=tuple(e.provision for e in sc.expected))
    items = []
    for exp in sc.expected:
        v = assessment[exp.provision]
        ok = "✔" if v.outcome == exp.outcome else "✘ attendu : " + OUTCOMES[exp.outcome]
        ver = v.version.label if v.version else "aucune version en vigueur"
        # a provision that does not apply says why in one line (in force, annulled, condition)
        why = (f"ne s'applique pas : {why_not(v, sc.situation.date)}"
               if v.outcome == "non_applicable" and not v.debate else v.explanation)
        items.append(f"<li>{OUTCOME_ICONS[v.outcome]} <b>{escape(v.provision.short)}</b> : "
                     f"{escape(OUTCOMES[v.outcome])} {ok}<br><small>{escape(ver)} — "
                     f"{escape(why)}</small></li>")
    return f"<ul>{''.join(items)}</ul>"


def misconception_html(kb: KnowledgeBase, m: Misconception) -> str:
    """A misconception, with the wrong answer it leads to (and for which provision) when keyed."""
    if m.answer is None:
        return f"<li>{escape(m.text)}</li>"
    key = f"réponse : {OUTCOMES[m.answer]}"
    if m.provision is not None:
        key += f", pour « {kb.provisions[m.provision].short} »"
    return f'<li>{escape(m.text)} <span class="cb-answer-key">({escape(key)})</span></li>'


def teaching_html(kb: KnowledgeBase, sc: Scenario) -> str:
    """A case's teaching notes and misconceptions, for the instructor."""
    wrong = "".join(misconception_html(kb, m) for m in sc.misconceptions)
    ideas = f"<p><b>Idées reçues à déconstruire</b></p><ul>{wrong}</ul>" if wrong else ""
    return (f'<div class="cb-teaching"><p><b>Notes pour l\'enseignant·e</b> : '
            f"{escape(sc.teaching_notes)}</p>{ideas}</div>")


def _answer_html(kb: KnowledgeBase, sc: Scenario, mode: str) -> str:
    verdicts = _verdict_items(kb, sc)
    if mode == TEACHER:
        return verdicts + teaching_html(kb, sc)
    return (f'<details class="cb-reveal"><summary>Voir la réponse</summary>{verdicts}</details>'
            '<p class="cb-held">Répondez d\'abord à l\'exercice « Prédisez d\'abord » de cette '
            "page : la réponse de ce cas s'affichera ensuite ici.</p>")


def worked_cases_html(kb: KnowledgeBase, scenarios: Sequence[Scenario], mode: str = STUDENT) -> str:
    """A table of cases: narrative, then each asserted provision with the engine's outcome,
    folded in the student view; shown, with the teaching notes, in the instructor view. A case of
    the course folder is marked « cas du cours »."""
    rows = []
    for sc in scenarios:
        course = ' <span class="cb-badge cb-course">cas du cours</span>' if sc.course else ""
        rows.append(f'<tr class="cb-case" data-case="{escape(sc.id)}"><td><b>{escape(sc.title)}</b>{course}'
                    f"<br><small>{french_date(sc.situation.date)} — <code>{escape(sc.id)}</code>"
                    f"</small><p>{escape(sc.narrative)}</p>{provenance_html(sc)}</td>"
                    f"<td>{_answer_html(kb, sc, mode)}</td></tr>")
    return (f'<table class="cb-table cb-cases"><thead><tr><th>Cas</th><th>Réponse du casebook</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def exercise_key_html(kb: KnowledgeBase, sc: Scenario, pid: str, verdict: Verdict) -> str:
    """What the instructor sees with an exercise before anyone answers: the expected answer
    (the engine's, and the case's own when they differ), the notes and the misconceptions."""
    o = verdict.outcome
    expected = next((e.outcome for e in sc.expected if e.provision == pid), o)
    differs = (f" (le cas attend « {escape(OUTCOMES[expected])} »)" if expected != o else "")
    return (f'<div class="cb-teaching cb-key"><p><b>Réponse attendue</b> : {OUTCOME_ICONS[o]} '
            f"{escape(OUTCOMES[o])}{differs} — {escape(verdict.explanation)}</p></div>"
            f"{teaching_html(kb, sc)}")


def view_bar_html(query: Mapping[str, str]) -> str:
    """The instructor view's bar: the badge, a link to the same page in the student view (the
    address's other parameters kept; `target` set, or the notebook renderer would open it in
    another tab) and the projection layout's switch, on at first."""
    rest = urlencode([(k, v) for k, v in query.items() if k != MODE])
    return (f'{VIEW_STYLE}<div class="cb-view-bar" role="region" aria-label="Vue enseignant">'
            '<span class="cb-badge cb-teacher">Vue enseignant</span>'
            f'<a class="cb-student-link" href="?{escape(rest)}" target="_self">'
            "Revenir à la vue étudiant</a>"
            '<label><input type="checkbox" class="cb-projection-toggle" checked> '
            "Mode projection</label></div>")

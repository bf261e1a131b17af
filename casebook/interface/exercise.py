"""« Prédisez d'abord »: the student predicts a worked case's answer, then sees the engine's
answer, its reasoning and feedback on the misconception behind a wrong choice."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..law.engine import evaluate_one
from ..law.knowledge import KnowledgeBase
from ..law.labels import OUTCOME_ICONS, OUTCOMES
from ..law.scenarios import Scenario
from .display import STYLE, trace_html, verdict_html
from .pedagogy import feedback
from .widgets import DEONTIC, box, button, html, shared


class PredictExercise:
    """Predict first: the student chooses an outcome, then sees the engine's answer, its
    reasoning and feedback aimed at the misconception behind a wrong choice."""

    def __init__(self, kb: KnowledgeBase, scenario: Scenario, pid: str):
        self.kb, self.scenario, self.pid = kb, scenario, pid
        self.choice = w.ToggleButtons(options=[(f"{OUTCOME_ICONS[o]} {OUTCOMES[o]}", o) for o in DEONTIC],
                                      value=None, style=shared("predict"), layout=shared("layout"))
        self.button = button("Vérifier ma réponse", button_style="primary", disabled=True)
        self.result = html()
        self.choice.observe(lambda c: setattr(self.button, "disabled", c["new"] not in DEONTIC),
                            names="value")
        self.button.on_click(lambda _b: self.reveal())
        short = kb.provisions[pid].short
        intro = (f"{STYLE}<h4>Prédisez d'abord : {escape(scenario.title)}</h4>"
                 f"<p>{escape(scenario.narrative)}</p><p><b>Que dit « {escape(short)} » ?</b></p>")
        self.widget = box([html(intro), self.choice, self.button, self.result],
                             _dom_classes=["cb-predict"])

    def reveal(self) -> None:
        chosen = self.choice.value
        if chosen not in DEONTIC:
            self.result.value = "<p>Choisissez d'abord une réponse.</p>"
            return
        verdict = evaluate_one(self.kb, self.scenario.situation, self.pid)
        text = feedback(chosen, verdict.outcome, self.scenario.misconceptions)
        css = "cb-met" if chosen == verdict.outcome else "cb-notmet"
        flag = "ok" if chosen == verdict.outcome else "ko"
        self.result.value = (f'<p class="{css}" data-feedback="{flag}"><b>{escape(text)}</b></p>'
                             f"{verdict_html(verdict)}{trace_html(verdict)}")



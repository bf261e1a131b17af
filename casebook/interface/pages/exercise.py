"""« Prédisez d'abord »: the student predicts a worked case's answer, then sees the engine's
answer, its reasoning and feedback on the misconception behind a wrong choice. In the student
view the page holds the case's answer back until then; the instructor view shows the expected
answer and the teaching notes from the start (`teaching`)."""

from __future__ import annotations

from html import escape

from ...law.engine import evaluate_one
from ...law.knowledge import KnowledgeBase
from ...law.labels import DEONTIC
from ...law.scenarios import Scenario
from ..blocks.display import STYLE, trace_html, verdict_html
from ..blocks.pedagogy import feedback
from ..blocks.teaching import STUDENT, TEACHER, exercise_key_html, held_back_style
from ..blocks.teaching import STYLE as TEACHING_STYLE
from ..blocks.widgets import box, button, html, prediction_choice


class PredictExercise:
    """Predict first: the student chooses an outcome, then sees the engine's answer, its
    reasoning and feedback aimed at the misconception behind a wrong choice. Unanswered in the
    student view, its result pane carries the rule that hides the case's answer elsewhere on the
    page (`held_back_style`); the first checked answer drops it."""

    def __init__(self, kb: KnowledgeBase, scenario: Scenario, pid: str, mode: str = STUDENT):
        self.kb, self.scenario, self.pid = kb, scenario, pid
        self.hold = held_back_style(scenario.id) if mode != TEACHER else ""
        self.choice = prediction_choice()
        self.button = button("Vérifier ma réponse", button_style="primary", disabled=True)
        self.result = html(self.hold)
        self.result.add_class("cb-live")  # announced, and focused on its heading when revealed (a11y.js)
        self.result.add_class("cb-focus")
        self.choice.observe(lambda c: setattr(self.button, "disabled", c["new"] not in DEONTIC),
                            names="value")
        self.button.on_click(lambda _b: self.reveal())
        short = kb.provisions[pid].short
        intro = (f"{STYLE}<h3>Prédisez d'abord : {escape(scenario.title)}</h3>"
                 f'<p>{escape(scenario.narrative)}</p><p class="cb-ask"><b>Que dit « {escape(short)} » ?'
                 "</b></p>")
        if mode == TEACHER:
            intro += TEACHING_STYLE + exercise_key_html(kb, scenario, pid,
                                                        evaluate_one(kb, scenario.situation, pid))
        self.widget = box([html(intro), self.choice, self.button, self.result],
                             _dom_classes=["cb-predict"])

    def reveal(self) -> None:
        chosen = self.choice.value
        if chosen not in DEONTIC:
            self.result.value = self.hold + "<p>Choisissez d'abord une réponse.</p>"
            return
        verdict = evaluate_one(self.kb, self.scenario.situation, self.pid)
        text = feedback(self.kb, self.scenario, verdict, chosen)
        css = "cb-met" if chosen == verdict.outcome else "cb-notmet"
        flag = "ok" if chosen == verdict.outcome else "ko"
        self.hold = ""
        title = ("✔ Votre prédiction est juste" if flag == "ok"
                 else "✘ Votre prédiction n'est pas la réponse du casebook")
        self.result.value = (f'<h4 class="{css}">{title}</h4>'
                             f'<p class="{css}" data-feedback="{flag}"><b>{escape(text)}</b></p>'
                             f"{verdict_html(verdict, 4)}{trace_html(verdict, 4)}")



"""The provision explorer: a worked case or the student's own facts, the verdict, its reasoning
and what would change it, updated on every change."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as w

from ..law.engine import Situation, evaluate_one
from ..law.knowledge import KnowledgeBase
from ..law.scenarios import Scenario
from ..law.whatif import what_if
from .display import STYLE, trace_html, verdict_html, whatif_html
from .widgets import MAX_TITLE, FactForm, box, date_picker, html, picked_date, shared


class Explorer:
    """Everything for one provision, or for several with a chooser: scenario picker, date, fact
    form, verdict card, reasoning and what-if panel, updated on every change. Answers carry over
    when the student switches to another provision."""

    def __init__(self, kb: KnowledgeBase, pids: str | tuple[str, ...], scenarios: Sequence[Scenario] = ()):
        self.kb = kb
        self.pids = (pids,) if isinstance(pids, str) else tuple(pids)
        self.pid = self.pids[0]
        self.scenarios = {s.id: s for s in scenarios}
        self.card, self.trace, self.whatif = html(), html(), html()
        self.form = FactForm(kb, kb.facts_of(self.pid), self.refresh)
        self.form_box = box([self.form.widget], layout="55%")
        self.date = date_picker(self.refresh)
        self.chooser = w.Dropdown(options=[(kb.provisions[p].short, p) for p in self.pids],
                                  value=self.pid, description="Règle", layout=shared("wide"),
                                  style=shared("description"))
        self.chooser.observe(self._choose, names="value")
        self.picker = w.Dropdown(description="Cas", layout=shared("wide"), style=shared("description"))
        self._fill_picker()
        self.picker.observe(self._load_case, names="value")
        self.narrative = html()
        self.title = w.Text(placeholder="Donnez un titre à votre cas (facultatif)", description="Titre",
                            layout=shared("wide"), style=shared("text"))
        self.title.add_class("cb-title")
        self.title.observe(lambda _c: self.refresh(), names="value")
        reasoning = w.Accordion(children=[self.trace], titles=("Raisonnement détaillé",),
                                layout=shared("layout"))
        top = [self.chooser] if len(self.pids) > 1 else []
        self.widget = box([
            *top, self.picker, self.narrative, self.title, self.date,
            box([self.form_box, box([self.card, self.whatif], layout="45%")], horizontal=True),
            reasoning,
        ], _dom_classes=["cb-explorer", *(f"cb-explorer-{p}" for p in self.pids)])
        self.refresh()

    def _fill_picker(self) -> None:
        cases = [s for s in self.scenarios.values() if any(e.provision == self.pid for e in s.expected)]
        self.picker.options = [("— choisir un cas pratique —", ""), *((s.title, s.id) for s in cases)]
        self.picker.value = ""

    def _choose(self, change: dict) -> None:
        """Switch to another provision of this explorer; anything else is refused."""
        if change["new"] not in self.pids:
            self.chooser.value = change["old"]
            return
        answers = self.form.values()
        self.pid = change["new"]
        self.form.close()
        self.form = FactForm(self.kb, self.kb.facts_of(self.pid), self.refresh)
        self.form_box.children = (self.form.widget,)
        self._fill_picker()
        self.form.set_values(answers)

    def _load_case(self, change: dict) -> None:
        case = self.scenarios.get(change["new"])
        if case is None:
            self.narrative.value = ""
            return
        self.narrative.value = f"<p><i>{escape(case.narrative)}</i></p>"
        self.date.value = case.situation.date
        self.form.set_values(dict(case.situation.facts))

    def situation(self) -> Situation:
        return Situation(self.form.values(), picked_date(self.date))

    def refresh(self) -> None:
        situation = self.situation()
        verdict = evaluate_one(self.kb, situation, self.pid)
        title = self.title.value.strip()
        if len(title) > MAX_TITLE:
            heading = f"<p><b>Titre trop long : {MAX_TITLE} caractères au plus.</b></p>"
        else:
            heading = f'<p class="cb-case-title">Cas : {escape(title)}</p>' if title else ""
        self.card.value = STYLE + heading + verdict_html(verdict)  # the explorer's one stylesheet
        self.trace.value = trace_html(verdict)
        self.whatif.value = whatif_html(what_if(self.kb, situation, self.pid))
        self.form.ask_only(set(verdict.unknown))



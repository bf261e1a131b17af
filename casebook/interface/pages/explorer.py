"""The provision explorer: a worked case or the student's own facts, the verdict, its reasoning
and what would change it, updated on every change. It opens on the situation its page's link asks
for (`links`) and always shows the link of the situation on screen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import ipywidgets as w

from ...law.engine import Situation, evaluate_one
from ...law.facts import FactValue
from ...law.knowledge import KnowledgeBase
from ...law.scenarios import Scenario
from ...law.whatif import what_if
from ..blocks import page
from ..blocks.display import (
    STYLE,
    announce_html,
    trace_html,
    verdict_bar_html,
    verdict_html,
    verdict_line,
    whatif_html,
)
from ..blocks.links import (
    LinkedCase,
    ignored_html,
    link_for,
    page_notebook,
    share_html,
    shown,
    situation_from_query,
)
from ..blocks.widgets import MAX_TITLE, FactForm, box, date_picker, html, picked_date, shared

# Prints the explorer alone: situation, verdict, reasoning and citations (the template's page.js).
PRINT_CASE = ('<p class="cb-print-row"><button type="button" class="cb-print jupyter-button" '
              'data-cb-print="cas">Imprimer ce cas</button></p>')
MOOT_LEGEND = ("Un trait pointillé à gauche d'une question signale qu'elle est sans effet sur la "
               "réponse actuelle ; vous pouvez y répondre quand même.")
COURSE_MARK = "cas du cours"  # how the picker marks a case of the instructor's course folder


class Explorer:
    """Everything for one provision, or for several with a chooser: scenario picker, date, fact
    form, verdict card, reasoning and what-if panel, updated on every change. Answers carry over
    when the student switches to another provision (those the new form does not ask are kept in
    `pending` for a later switch).

    It opens on the situation of `query` (by default the page's link, `page.query()`): `cas`,
    `date` and facts of any of its provisions (see `links`), and `regle=<provision id>` for the
    chooser (an explorer of several provisions; by default the first its case is about). What
    is ignored is said in one French line; `titre` fills the case's title. The field « Lien vers
    ce cas » holds the link of what is on screen, to `notebook` (by default the page's file; ""
    gives only the query), with `regle` when the provision shown is not the first and `titre` when
    the case has one; « Imprimer ce cas » prints the explorer alone."""

    def __init__(self, kb: KnowledgeBase, pids: str | tuple[str, ...], scenarios: Sequence[Scenario] = (),
                 query: Mapping[str, str] | None = None, notebook: str | None = None):
        problems: list[str] = []
        if query is None:
            query, problems = page.query(), page.problems()
        self.notebook = page_notebook() if notebook is None else notebook
        self.kb = kb
        self.pids = (pids,) if isinstance(pids, str) else tuple(pids)
        self.pid = self.pids[0]
        self.scenarios = {s.id: s for s in scenarios}
        self.pending: dict[str, FactValue] = {}
        self._opening = True
        self.card, self.trace, self.whatif, self.share = html(), html(), html(), html()
        self.card.add_class("cb-live")  # the verdict is announced on every change (a11y.js)
        self.bar = html()  # the compact verdict kept in sight on a narrow screen (template's layout.css)
        self.bar.add_class("cb-verdict-bar")
        self.shown: str | None = None  # the outcome on screen, to say what a change did
        self.form = FactForm(kb, kb.facts_of(self.pid), self.refresh)
        # said once, always there: marking a question moot never moves the questions (display.STYLE)
        self.legend = html(f'<p class="cb-moot-legend"><small>{MOOT_LEGEND}</small></p>')
        self.form_box = box([self.legend, self.form.widget], layout="55%")
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
        accepted = {f for p in self.pids for f in kb.facts_of(p)}
        pickable = {k: s for k, s in self.scenarios.items()
                    if any(e.provision in self.pids for e in s.expected)}
        linked = situation_from_query(kb, query, pickable, accepted)
        lines = [*problems, *linked.ignored]
        rule = self._rule(query.get("regle", ""), linked, lines)
        notice = [html(ignored_html(lines))] if lines else []
        self.widget = box([
            *notice, *top, self.picker, self.narrative, self.title, self.date, self.share,
            box([self.form_box, self.bar,
                 box([self.card, self.whatif], layout="45%", _dom_classes=["cb-verdict-col"])],
                horizontal=True),
            reasoning,
        ], _dom_classes=["cb-explorer", *(f"cb-explorer-{p}" for p in self.pids)])
        self._open(rule, linked)
        self.title.value = query.get("titre", "")
        self._opening = False
        self.refresh()

    def _rule(self, asked: str, linked: LinkedCase, lines: list[str]) -> str:
        """The provision a link opens on: `asked` when it is one of this explorer's, else the
        first; a linked case that is not about it wins (what is refused goes to `lines`)."""
        rule = self.pid
        if asked in self.pids:
            rule = asked
        elif asked:
            lines.append(f"règle « {shown(asked)} » absente de cette page")
        if linked.case_id:
            about = [p for p in self.pids
                     if any(e.provision == p for e in self.scenarios[linked.case_id].expected)]
            if rule not in about:
                if asked == rule:
                    lines.append(f"le cas « {linked.case_id} » ne porte pas sur la règle « {asked} »")
                rule = about[0]
        return rule

    def _open(self, rule: str, linked: LinkedCase) -> None:
        """Show the linked situation (no verdict is computed until the end)."""
        self.chooser.value = rule
        if linked.case_id:
            self.picker.value = linked.case_id
        if linked.date is not None:
            self.date.value = linked.date
        self.form.set_values(linked.facts)
        self.pending = {k: v for k, v in linked.facts.items() if k not in self.form.controls}

    def _fill_picker(self) -> None:
        cases = [s for s in self.scenarios.values() if any(e.provision == self.pid for e in s.expected)]
        labels = [(f"{s.title} — {COURSE_MARK}" if s.course else s.title, s.id) for s in cases]
        self.picker.options = [("— choisir un cas pratique —", ""), *labels]
        self.picker.value = ""

    def _choose(self, change: dict) -> None:
        """Switch to another provision of this explorer; anything else is refused."""
        if change["new"] not in self.pids:
            self.chooser.value = change["old"]
            return
        answers = {**self.pending, **self.form.values()}
        self.pid = change["new"]
        self.form.close()
        self.form = FactForm(self.kb, self.kb.facts_of(self.pid), self.refresh)
        self.form_box.children = (self.legend, self.form.widget)
        self._fill_picker()
        self.pending = {k: v for k, v in answers.items() if k not in self.form.controls}
        self.form.set_values(answers)

    def _load_case(self, change: dict) -> None:
        case = self.scenarios.get(change["new"])
        if case is None:
            self.narrative.value = ""
            self.refresh()
            return
        self.narrative.value = f"<p><i>{escape(case.narrative)}</i></p>"
        self.date.value = case.situation.date
        self.pending = {k: v for k, v in case.situation.facts.items() if k not in self.form.controls}
        self.form.set_values(dict(case.situation.facts))

    def situation(self) -> Situation:
        return Situation(self.form.values(), picked_date(self.date))

    def link(self) -> str:
        """The link of the situation on screen: the case picked and what differs from it (the
        facts this form shows), or the date and every answer."""
        case = self.scenarios.get(self.picker.value)
        base = None if case is None else Situation(
            {k: v for k, v in case.situation.facts.items() if k in self.form.controls}, case.situation.date)
        extra = {"regle": self.pid} if self.pid != self.pids[0] else {}
        if self.title.value.strip():
            extra["titre"] = self.title.value.strip()
        return link_for(self.notebook, self.form.values(), picked_date(self.date),
                        case.id if case else None, extra, base)

    def refresh(self) -> None:
        if self._opening:
            return
        situation = self.situation()
        verdict = evaluate_one(self.kb, situation, self.pid)
        title = self.title.value.strip()
        if len(title) > MAX_TITLE:
            heading = f"<p><b>Titre trop long : {MAX_TITLE} caractères au plus.</b></p>"
        else:
            heading = f'<p class="cb-case-title">Cas : {escape(title)}</p>' if title else ""
        # the explorer's one stylesheet, and the line a screen reader hears (a11y.js):
        questions = {f: self.kb.facts[f].question for f in verdict.unknown}
        before, self.shown = self.shown, verdict.outcome
        self.card.value = (STYLE + announce_html(verdict_line(verdict)) + heading
                           + verdict_html(verdict, questions=questions, before=before))
        self.bar.value = verdict_bar_html(verdict, before)
        self.trace.value = trace_html(verdict)
        self.whatif.value = whatif_html(what_if(self.kb, situation, self.pid))
        # an act nobody described (no sharing, no request) is not moot: describing one can open
        # an exception, so its question stays plain
        self.form.ask_only(set(verdict.unknown) | set(self.kb.unstated))
        self.share.value = share_html(self.link()) + PRINT_CASE



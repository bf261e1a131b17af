"""Interactive widgets (ipywidgets), built once and reused by every notebook and dashboard:
fact form, date picker, verdict card, reasoning trace, what-if panel, scenario picker,
predict-then-reveal exercise, provision explorer and the "Puis-je parler ?" navigator.

Every value a callback receives is checked against the allowed options before use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from html import escape

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .display import STYLE, trace_html, verdict_html, whatif_html
from .engine import Assessment, Situation, evaluate, evaluate_one, next_questions
from .facts import Fact, FactValue
from .knowledge import HORIZON, KnowledgeBase
from .labels import OUTCOME_ICONS, OUTCOMES
from .pedagogy import THEMES, feedback
from .scenarios import Scenario
from .synthesis import synthesize
from .whatif import what_if

UNKNOWN = "?"
MAX_TITLE = 200
_BOOL_OPTIONS = (("Oui", "oui"), ("Non", "non"), ("Je ne sais pas", UNKNOWN))
_DEONTIC = ("obligation_de_se_taire", "faculte_de_partager", "faculte_de_parler",
            "obligation_de_communiquer", "obligation_d_agir", "non_applicable")


@cache
def _shared(kind: str) -> w.Widget:
    """Layout and style models shared by many widgets: a dashboard sends and renders far fewer
    models, so it becomes interactive sooner. They are never modified."""
    return {
        "layout": w.Layout, "wide": lambda: w.Layout(width="32em"), "html": HTMLStyle,
        "toggle": lambda: w.ToggleButtonsStyle(button_width="9em"), "description": DescriptionStyle,
        "auto": lambda: w.Layout(width="auto"), "button": w.ButtonStyle,
        "date": lambda: DescriptionStyle(description_width="initial"), "text": TextStyle,
        "predict": lambda: w.ToggleButtonsStyle(button_width="15em"),
        "55%": lambda: w.Layout(width="55%"), "45%": lambda: w.Layout(width="45%"),
    }[kind]()


def button(label: str, **kwargs) -> w.Button:
    """A button sized to its label, with the shared layout and style."""
    return w.Button(description=label, tooltip=label, layout=_shared("auto"), style=_shared("button"),
                    **kwargs)


def html(value: str = "") -> w.HTML:
    """An HTML widget with the shared layout and style."""
    return w.HTML(value, layout=_shared("layout"), style=_shared("html"))


def box(children: list, horizontal: bool = False, layout: str = "layout", **kwargs) -> w.Box:
    """A vertical (or horizontal) box with one of the shared layouts."""
    return (w.HBox if horizontal else w.VBox)(children, layout=_shared(layout), **kwargs)


def _allowed(fact: Fact) -> tuple[str, ...]:
    if fact.type == "bool":
        return tuple(v for _, v in _BOOL_OPTIONS)
    return (UNKNOWN, *(o.value for o in fact.options))


class FactForm:
    """One control per fact, each with its French question and help; judgement calls are
    marked. `on_change` is called with no argument whenever a valid answer changes."""

    def __init__(self, kb: KnowledgeBase, fact_ids: tuple[str, ...], on_change: Callable[[], None]):
        self.kb = kb
        self.on_change = on_change
        self.controls: dict[str, w.ValueWidget] = {}
        self.questions: dict[str, w.HTML] = {}
        self.message = html()
        rows: list[w.Widget] = []
        for fid in fact_ids:
            fact = kb.facts[fid]
            control = self._control(fact)
            control.add_class(f"cb-fact-{fid}")
            control.observe(self._changed, names="value")
            self.controls[fid] = control
            tag = ' <span class="cb-badge cb-unverified">votre appréciation</span>' if fact.judgement else ""
            help_ = f"<br><small>{escape(fact.help)}</small>" if fact.help else ""
            self.questions[fid] = html(f'<div class="cb-question"><b>{escape(fact.question)}</b>'
                                       f"{tag}{help_}</div>")
            rows += [self.questions[fid], control]
        self.widget = box([*rows, self.message], _dom_classes=["cb-form"])

    def ask_only(self, useful: set[str]) -> None:
        """Mark the unanswered questions outside `useful`, whose answer can no longer change the
        outcome (class `cb-moot`: greyed, « sans effet sur la réponse actuelle »); they stay
        usable, since an answer can still change the reasoning shown."""
        answered = self.values()
        for fid, control in self.controls.items():
            for widget in (self.questions[fid], control):
                if fid in useful or fid in answered:
                    widget.remove_class("cb-moot")
                else:
                    widget.add_class("cb-moot")

    def close(self) -> None:
        """Close this form's widgets (a new form replaces it)."""
        for child in self.widget.children:
            child.close()
        self.widget.close()

    @staticmethod
    def _control(fact: Fact) -> w.ValueWidget:
        if fact.type == "bool":
            return w.ToggleButtons(options=_BOOL_OPTIONS, value=UNKNOWN, style=_shared("toggle"),
                                   layout=_shared("layout"))
        if fact.type == "choice":
            options = [("— je ne sais pas —", UNKNOWN), *((o.label, o.value) for o in fact.options)]
            return w.Dropdown(options=options, value=UNKNOWN, layout=_shared("wide"),
                              style=_shared("description"))
        return w.DatePicker(value=None, layout=_shared("layout"), style=_shared("description"))

    def _changed(self, change: dict) -> None:
        fid = next(k for k, c in self.controls.items() if c is change["owner"])
        fact = self.kb.facts[fid]
        new = change["new"]
        if fact.type != "date" and new not in _allowed(fact):
            change["owner"].value = change["old"] if change["old"] in _allowed(fact) else UNKNOWN
            self.message.value = f"<b>Valeur refusée pour « {escape(fact.question)} ».</b>"
            return
        self.message.value = ""
        self.on_change()

    def values(self) -> dict[str, FactValue]:
        """The known answers, as engine values (unknown answers are left out)."""
        out: dict[str, FactValue] = {}
        for fid, control in self.controls.items():
            fact, value = self.kb.facts[fid], control.value
            if fact.type == "bool" and value in ("oui", "non"):
                out[fid] = value == "oui"
            elif (fact.type == "choice" and value != UNKNOWN and fact.option(value)) or (
                fact.type == "date" and isinstance(value, dt.date)
            ):
                out[fid] = value
        return out

    def set_values(self, facts: dict[str, FactValue]) -> None:
        """Load answers (for example from a scenario) without firing a callback per control."""
        callback, self.on_change = self.on_change, lambda: None
        try:
            for fid, control in self.controls.items():
                value = facts.get(fid)
                if self.kb.facts[fid].type == "bool":
                    control.value = UNKNOWN if value is None else ("oui" if value else "non")
                elif self.kb.facts[fid].type == "choice":
                    control.value = UNKNOWN if value is None else value
                else:
                    control.value = value
        finally:
            self.on_change = callback
        self.on_change()


def date_picker(on_change: Callable[[], None], value: dt.date | None = None) -> w.DatePicker:
    """The date of the facts: the law in force that day is applied."""
    picker = w.DatePicker(description="Date des faits", value=value or dt.date.today(),
                          style=_shared("date"), layout=_shared("layout"))
    picker.observe(lambda _c: on_change(), names="value")
    return picker


def _picked_date(picker: w.DatePicker) -> dt.date:
    value = picker.value
    if not isinstance(value, dt.date) or not HORIZON[0] <= value <= HORIZON[1]:
        return dt.date.today()
    return value


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
                                  value=self.pid, description="Règle", layout=_shared("wide"),
                                  style=_shared("description"))
        self.chooser.observe(self._choose, names="value")
        self.picker = w.Dropdown(description="Cas", layout=_shared("wide"), style=_shared("description"))
        self._fill_picker()
        self.picker.observe(self._load_case, names="value")
        self.narrative = html()
        self.title = w.Text(placeholder="Donnez un titre à votre cas (facultatif)", description="Titre",
                            layout=_shared("wide"), style=_shared("text"))
        self.title.add_class("cb-title")
        self.title.observe(lambda _c: self.refresh(), names="value")
        reasoning = w.Accordion(children=[self.trace], titles=("Raisonnement détaillé",),
                                layout=_shared("layout"))
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
        return Situation(self.form.values(), _picked_date(self.date))

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


class PredictExercise:
    """Predict first: the student chooses an outcome, then sees the engine's answer, its
    reasoning and feedback aimed at the misconception behind a wrong choice."""

    def __init__(self, kb: KnowledgeBase, scenario: Scenario, pid: str):
        self.kb, self.scenario, self.pid = kb, scenario, pid
        self.choice = w.ToggleButtons(options=[(f"{OUTCOME_ICONS[o]} {OUTCOMES[o]}", o) for o in _DEONTIC],
                                      value=None, style=_shared("predict"), layout=_shared("layout"))
        self.button = button("Vérifier ma réponse", button_style="primary", disabled=True)
        self.result = html()
        self.choice.observe(lambda c: setattr(self.button, "disabled", c["new"] not in _DEONTIC),
                            names="value")
        self.button.on_click(lambda _b: self.reveal())
        short = kb.provisions[pid].short
        intro = (f"{STYLE}<h4>Prédisez d'abord : {escape(scenario.title)}</h4>"
                 f"<p>{escape(scenario.narrative)}</p><p><b>Que dit « {escape(short)} » ?</b></p>")
        self.widget = box([html(intro), self.choice, self.button, self.result],
                             _dom_classes=["cb-predict"])

    def reveal(self) -> None:
        chosen = self.choice.value
        if chosen not in _DEONTIC:
            self.result.value = "<p>Choisissez d'abord une réponse.</p>"
            return
        verdict = evaluate_one(self.kb, self.scenario.situation, self.pid)
        text = feedback(chosen, verdict.outcome, self.scenario.misconceptions)
        css = "cb-met" if chosen == verdict.outcome else "cb-notmet"
        flag = "ok" if chosen == verdict.outcome else "ko"
        self.result.value = (f'<p class="{css}" data-feedback="{flag}"><b>{escape(text)}</b></p>'
                             f"{verdict_html(verdict)}{trace_html(verdict)}")


class Navigator:
    """"Puis-je parler ?": after a first question on what the situation is about, asks only
    the next question that can still change an answer, says why, and ends with the synthesis
    and its reasons."""

    def __init__(self, kb: KnowledgeBase, date: dt.date | None = None):
        self.kb = kb
        self.date = date_picker(self._date_changed, date)
        self.facts: dict[str, FactValue] = {}
        self.skipped: set[str] = set()
        self.history: list[str] = []
        self.scope: tuple[str, ...] | None = None
        self.question, self.why, self.summary = html(), html(), html()
        self.answers = w.Box(layout=w.Layout(display="flex", flex_flow="row wrap"))  # one per navigator
        self.back = button("↩ Question précédente", disabled=True)
        self.finish = button("Terminer et voir la synthèse")
        self.restart = button("Recommencer")
        self.back.on_click(lambda _b: self.undo())
        self.finish.on_click(lambda _b: self.conclude())
        self.restart.on_click(lambda _b: self.reset())
        self.widget = box([html(STYLE), self.date, self.question, self.why, self.answers,
                           box([self.back, self.finish, self.restart], horizontal=True), self.summary],
                             _dom_classes=["cb-navigator"])
        self.reset()

    def situation(self) -> Situation:
        return Situation(self.facts, _picked_date(self.date))

    def _date_changed(self) -> None:
        if self.scope is not None:
            self.ask()

    def reset(self) -> None:
        """Back to the first question: what is the situation about?"""
        self.facts, self.skipped, self.history, self.scope = {}, set(), [], None
        self.question.value = "<h4>Que se passe-t-il ?</h4>"
        self.why.value = ("<p>Choisissez ce qui décrit le mieux votre situation : seules les règles "
                          "utiles seront examinées.</p>")
        self.summary.value = ""
        self.back.disabled = True
        buttons = []
        for key, label, _topics in THEMES:
            choice = button(label)
            choice.on_click(lambda _b, k=key: self.choose_theme(k))
            buttons.append(choice)
        self.answers.children = buttons

    def choose_theme(self, key: str) -> None:
        """Restrict the interview to the provisions of a theme; an unknown theme is refused."""
        theme = next((t for t in THEMES if t[0] == key), None)
        if theme is None:
            self.why.value = "<p><b>Choix refusé : il ne fait pas partie des thèmes proposés.</b></p>"
            return
        topics = theme[2]
        self.scope = tuple(p for p, prov in self.kb.provisions.items() if not topics or prov.topic in topics)
        self.ask()

    def current(self) -> tuple[str, list[str]] | None:
        assessment = evaluate(self.kb, self.situation(), only=self.scope)
        for fid, pids in next_questions(self.kb, assessment, self.scope):
            if fid not in self.skipped:
                return fid, pids
        return None

    def ask(self) -> None:
        nxt = self.current()
        self.back.disabled = not self.history
        if nxt is None:
            self.conclude()
            return
        fid, pids = nxt
        fact = self.kb.facts[fid]
        shorts = ", ".join(self.kb.provisions[p].short for p in pids[:4])
        tag = " (votre appréciation)" if fact.judgement else ""
        help_ = f"<p><small>{escape(fact.help)}</small></p>" if fact.help else ""
        self.question.value = (f"<h4>Question {len(self.history) + 1} : {escape(fact.question)}"
                               f"{escape(tag)}</h4>{help_}")
        self.why.value = f"<p>Pourquoi cette question ? Votre réponse peut changer : {escape(shorts)}.</p>"
        options = (_BOOL_OPTIONS[:2] if fact.type == "bool"
                   else tuple((o.label, o.value) for o in fact.options))
        buttons = []
        for label, value in (*options, ("Je ne sais pas", UNKNOWN)):
            choice = button(label)
            choice.on_click(lambda _b, f=fid, v=value: self.answer(f, v))
            buttons.append(choice)
        self.answers.children = buttons
        self.summary.value = ""

    def answer(self, fid: str, value: str) -> None:
        """Record an answer; a value outside the question's options is refused."""
        fact = self.kb.facts.get(fid)
        if fact is None or fact.type == "date" or value not in _allowed(fact):
            self.why.value = "<p><b>Réponse refusée : elle ne fait pas partie des choix proposés.</b></p>"
            return
        if value == UNKNOWN:
            self.skipped.add(fid)
        else:
            self.facts[fid] = (value == "oui") if fact.type == "bool" else value
        self.history.append(fid)
        self.ask()

    def undo(self) -> None:
        if not self.history:
            self.reset()
            return
        fid = self.history.pop()
        self.facts.pop(fid, None)
        self.skipped.discard(fid)
        self.ask()

    def conclude(self) -> None:
        assessment = evaluate(self.kb, self.situation())
        scope = self.scope or tuple(self.kb.provisions)
        shown = [v for p, v in assessment.verdicts.items() if p in scope]
        cards = "".join(verdict_html(v) for v in shown
                        if v.outcome not in ("non_applicable", "indetermine") or v.debate)
        self.question.value = "<h4>Synthèse</h4>"
        self.why.value = ""
        self.answers.children = ()
        text = synthesize(self.kb, Assessment(assessment.situation, {v.provision.id: v for v in shown}))
        self.summary.value = f'<div class="cb-synthesis"><p><b>{escape(text)}</b></p>{cards}</div>'

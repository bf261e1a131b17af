"""The building blocks every interactive page reuses (ipywidgets): shared layouts and styles,
buttons and HTML panes, the fact form and the date of the facts. The explorer, the exercise and
the navigator (`explorer`, `exercise`, `navigator`) are built from them.

Every value a callback receives is checked against the allowed options before use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from html import escape

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ...law.facts import Fact, FactValue
from ...law.knowledge import HORIZON, KnowledgeBase
from ...law.labels import DEONTIC, OUTCOME_ICONS, OUTCOMES

UNKNOWN = "?"
MAX_TITLE = 200
BOOL_OPTIONS = (("Oui", "oui"), ("Non", "non"), ("Je ne sais pas", UNKNOWN))


@cache
def shared(kind: str) -> w.Widget:
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
    return w.Button(description=label, tooltip=label, layout=shared("auto"), style=shared("button"),
                    **kwargs)


def prediction_choice() -> w.ToggleButtons:
    """The six deontic answers to choose from, each with its symbol and word, none chosen."""
    return w.ToggleButtons(options=[(f"{OUTCOME_ICONS[o]} {OUTCOMES[o]}", o) for o in DEONTIC],
                           value=None, style=shared("predict"), layout=shared("layout"))


def html(value: str = "") -> w.HTML:
    """An HTML widget with the shared layout and style."""
    return w.HTML(value, layout=shared("layout"), style=shared("html"))


def box(children: list, horizontal: bool = False, layout: str = "layout", **kwargs) -> w.Box:
    """A vertical (or horizontal) box with one of the shared layouts."""
    return (w.HBox if horizontal else w.VBox)(children, layout=shared(layout), **kwargs)


def allowed(fact: Fact) -> tuple[str, ...]:
    if fact.type == "bool":
        return tuple(v for _, v in BOOL_OPTIONS)
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
            help_ = f'<br><small class="cb-help">{escape(fact.help)}</small>' if fact.help else ""
            # .cb-ask names the control that follows and .cb-help describes it (a11y.js):
            self.questions[fid] = html(f'<div class="cb-question"><span class="cb-ask"><b>'
                                       f"{escape(fact.question)}</b>{tag}</span>{help_}</div>")
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
            return w.ToggleButtons(options=BOOL_OPTIONS, value=UNKNOWN, style=shared("toggle"),
                                   layout=shared("layout"))
        if fact.type == "choice":
            options = [("— je ne sais pas —", UNKNOWN), *((o.label, o.value) for o in fact.options)]
            return w.Dropdown(options=options, value=UNKNOWN, layout=shared("wide"),
                              style=shared("description"))
        return w.DatePicker(value=None, layout=shared("layout"), style=shared("description"))

    def _changed(self, change: dict) -> None:
        fid = next(k for k, c in self.controls.items() if c is change["owner"])
        fact = self.kb.facts[fid]
        new = change["new"]
        if fact.type != "date" and new not in allowed(fact):
            change["owner"].value = change["old"] if change["old"] in allowed(fact) else UNKNOWN
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
                          style=shared("date"), layout=shared("layout"))
    picker.observe(lambda _c: on_change(), names="value")
    return picker


def picked_date(picker: w.DatePicker) -> dt.date:
    value = picker.value
    if not isinstance(value, dt.date) or not HORIZON[0] <= value <= HORIZON[1]:
        return dt.date.today()
    return value



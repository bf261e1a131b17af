"""« Puis-je parler ? »: the guided interview that asks only the questions that can still change
an answer, and ends with the synthesis. It can open on a link's situation (`Navigator.follow`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

import ipywidgets as w

from ...law.engine import Assessment, Situation, evaluate, next_questions
from ...law.facts import FactValue
from ...law.guidance import steps_for
from ...law.knowledge import KnowledgeBase
from ...law.scenarios import Scenario
from ...law.synthesis import synthesize
from ..blocks.display import STYLE, announce_html, guidance_html, not_applicable_html, verdict_html
from ..blocks.links import ignored_html, shown, situation_from_query
from ..blocks.pedagogy import THEMES, Theme
from ..blocks.widgets import BOOL_OPTIONS, UNKNOWN, allowed, box, button, date_picker, html, picked_date


class Navigator:
    """"Puis-je parler ?": after a first question on what the situation is about, asks only
    the next question that can still change an answer, says why, and ends with the synthesis
    and its reasons.

    A link opens it on a situation (`follow`, called once the page's request is known):
    `sujet=<theme key>` answers the first question (the keys of `pedagogy.THEMES`: partage,
    parole, danger…); `date=AAAA-MM-JJ` sets the date; `cas=<worked case>` and `<fact>=<value>`
    pre-answer questions, which are then never asked (the interview goes straight to the first
    question still open, or to the synthesis). Without `sujet`, the interview waits on the first
    question with the facts already answered. « Recommencer » forgets the link's answers too."""

    def __init__(self, kb: KnowledgeBase, date: dt.date | None = None):
        self.kb = kb
        self.date = date_picker(self._date_changed, date)
        self.facts: dict[str, FactValue] = {}
        self.skipped: set[str] = set()
        self.history: list[str] = []
        self.scope: tuple[str, ...] | None = None
        self.question, self.why, self.summary, self.notice = html(), html(), html(), html()
        self.answers = w.Box(layout=w.Layout(display="flex", flex_flow="row wrap"))  # one per navigator
        # a11y.js: the answers are a group named by the question, which takes the focus after a
        # click; the synthesis is announced.
        self.answers.add_class("cb-choices")
        self.question.add_class("cb-focus")
        self.summary.add_class("cb-live")
        self.back = button("↩ Question précédente", disabled=True)
        self.finish = button("Terminer et voir la synthèse")
        self.restart = button("Recommencer")
        self.back.on_click(lambda _b: self.undo())
        self.finish.on_click(lambda _b: self.conclude())
        self.restart.on_click(lambda _b: self.reset())
        self.widget = box([html(STYLE), self.notice, self.date, self.question, self.why, self.answers,
                           box([self.back, self.finish, self.restart], horizontal=True), self.summary],
                             _dom_classes=["cb-navigator"])
        self.reset()

    def situation(self) -> Situation:
        return Situation(self.facts, picked_date(self.date))

    def _date_changed(self) -> None:
        if self.scope is not None:
            self.ask()

    def reset(self) -> None:
        """Back to the first question: what is the situation about?"""
        self.facts, self.skipped, self.history, self.scope = {}, set(), [], None
        self.theme: Theme | None = None
        self.question.value = '<h2 class="cb-ask">Que se passe-t-il ?</h2>'
        self.why.value = ("<p>Choisissez ce qui décrit le mieux votre situation : seules les règles "
                          "utiles seront examinées.</p>")
        self.summary.value = ""
        self.back.disabled = True
        buttons = []
        for key, label, *_ in THEMES:
            choice = button(label)
            choice.on_click(lambda _b, k=key: self.choose_theme(k))
            buttons.append(choice)
        self.answers.children = buttons

    def follow(self, query: Mapping[str, str], cases: Mapping[str, Scenario] | None = None,
               problems: Sequence[str] = ()) -> None:
        """Open on the situation of a link's parameters `query` (see the class), among the worked
        cases `cases`; what is ignored (and the address's own `problems`) is said in one line."""
        linked = situation_from_query(self.kb, query, cases or {})
        lines = [*problems, *linked.ignored]
        key = query.get("sujet", "")
        if key and all(t.key != key for t in THEMES):
            lines.append(f"sujet « {shown(key)} » inconnu")
            key = ""
        self.notice.value = ignored_html(lines)
        self.facts.update(linked.facts)
        if linked.date is not None:
            self.date.value = linked.date
        if key:
            self.choose_theme(key)
        elif self.scope is not None:
            self.ask()

    def choose_theme(self, key: str) -> None:
        """Restrict the interview to the provisions of a theme; an unknown theme is refused."""
        theme = next((t for t in THEMES if t.key == key), None)
        if theme is None:
            self.why.value = "<p><b>Choix refusé : il ne fait pas partie des thèmes proposés.</b></p>"
            return
        self.theme = theme
        for fid, value in theme.presets:
            self.facts.setdefault(fid, value)
        self.scope = tuple(p for p, prov in self.kb.provisions.items()
                           if not theme.topics or prov.topic in theme.topics)
        self.ask()

    def current(self) -> tuple[str, list[str]] | None:
        """The next question: first what happened and to whom (the theme's own questions), then
        the facts that can still change an answer, the professional's own appreciation last."""
        for fid in self.theme.asks if self.theme else ():
            if fid not in self.facts and fid not in self.skipped:
                users = [p for p in self.scope or () if fid in self.kb.facts_of(p)]
                return fid, users
        assessment = evaluate(self.kb, self.situation(), only=self.scope)
        open_ = [(fid, pids) for fid, pids in next_questions(self.kb, assessment, self.scope)
                 if fid not in self.skipped]
        open_.sort(key=lambda q: self.kb.facts[q[0]].judgement)  # stable: facts before judgement
        return open_[0] if open_ else None

    def ask(self) -> None:
        nxt = self.current()
        self.back.disabled = not self.history
        if nxt is None:
            self.conclude()
            return
        fid, pids = nxt
        fact = self.kb.facts[fid]
        shorts = ", ".join(self.kb.provisions[p].short for p in pids[:4]) or "plusieurs règles"
        tag = " (votre appréciation)" if fact.judgement else ""
        help_ = f"<p><small>{escape(fact.help)}</small></p>" if fact.help else ""
        self.question.value = (f'<h2 class="cb-ask">Question {len(self.history) + 1} : '
                               f"{escape(fact.question)}{escape(tag)}</h2>{help_}")
        self.why.value = f"<p>Pourquoi cette question ? Votre réponse peut changer : {escape(shorts)}.</p>"
        options = (BOOL_OPTIONS[:2] if fact.type == "bool"
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
        if fact is None or fact.type == "date" or value not in allowed(fact):
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
        """The last screen: plain steps for the answer (« Que faire maintenant ? »), and the
        legal reasons one click away (synthesis, answers, what does not apply and why)."""
        situation = self.situation()
        assessment = evaluate(self.kb, situation)
        scope = self.scope or tuple(self.kb.provisions)
        shown = [v for p, v in assessment.verdicts.items() if p in scope]
        cards = "".join(verdict_html(v, level=4, plain=True) for v in shown
                        if v.outcome not in ("non_applicable", "indetermine") or v.debate)
        aside = [v for v in shown if v.outcome == "non_applicable" and not v.debate]
        self.question.value = '<h2 class="cb-ask">Synthèse</h2>'
        self.why.value = ""
        self.answers.children = ()
        text = synthesize(self.kb, Assessment(assessment.situation, {v.provision.id: v for v in shown}))
        steps = guidance_html(steps_for(self.kb.guidance, shown))
        self.summary.value = (f"{announce_html(text)}{steps}"
                              '<details class="cb-reasons"><summary>Pourquoi ? Les raisons juridiques'
                              f'</summary><div class="cb-synthesis"><p><b>{escape(text)}</b></p>{cards}'
                              f"{not_applicable_html(aside, situation.date)}</div></details>")

"""« Entraînement »: the widget of a scored round of worked cases. It shows the settings (theme,
difficulty, number of cases, seed), the score, one question at a time (predict, check,
« Suivant ») with the engine's answer and why the case was easy or hard, and the summary at the
end with its downloads. What it asks and how it counts is `rounds`.

A round cannot move on before its question is answered, so at the end the score reads « 7 / 10 ».

Nothing is stored: answers live in this widget only, and nothing asks who the student is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import ipywidgets as w

from ...law.engine import evaluate_one
from ...law.knowledge import KnowledgeBase
from ...law.labels import DEONTIC, french_date
from ...law.scenarios import Scenario
from ..blocks.display import STYLE, trace_html, verdict_html
from ..blocks.links import share_html
from ..blocks.pedagogy import feedback
from ..blocks.teaching import STUDENT, TEACHER, teaching_html
from ..blocks.widgets import box, button, html, prediction_choice, shared
from .rounds import (
    DEFAULT_CASES,
    LEVELS,
    MAX_CASES,
    Answer,
    Question,
    Settings,
    downloads_html,
    draw,
    fresh_seed,
    questions,
    score_text,
    seed_or_fresh,
    settings_from_query,
    summary_html,
    topic_label,
    topics_of,
)

PRIVACY = ("<p class=\"cb-privacy\"><b>Rien n'est enregistré.</b> Vos réponses restent dans cette "
           "page, le temps de la série : rien n'est écrit sur le serveur, rien n'est envoyé ailleurs, "
           "et l'on ne vous demande ni nom ni identifiant. Fermer ou recharger la page efface la "
           "série ; téléchargez le bilan si vous voulez le garder.</p>")
_STYLE = ("<style>.cb-score{font-size:1.3em;font-weight:bold}"
          ".cb-privacy{background:#eef5ee;border-left:4px solid #2e7d32;padding:.3em .8em}</style>")


class TrainingRound:
    """The « Entraînement » dashboard: settings, the score, one question at a time (predict,
    check, « Suivant ») and the summary at the end."""

    def __init__(self, kb: KnowledgeBase, pool: Sequence[Question], settings: Settings,
                 notes: Sequence[str] = (), mode: str = STUDENT):
        self.kb = kb
        self.mode = mode
        self.pool = tuple(pool)
        self.topics = topics_of(self.pool)
        self.settings = settings
        self.questions: tuple[Question, ...] = ()
        self.answers: list[Answer] = []
        self.index = 0
        themes = [("Tous les thèmes", ""), *((topic_label(t), t) for t in self.topics)]
        self.theme = w.Dropdown(options=themes,
                                value=settings.topic if settings.topic in self.topics else "",
                                description="Thème", layout=shared("wide"), style=shared("description"))
        self.level = w.Dropdown(options=[("Toutes", ""), *((label, key) for key, label in LEVELS.items())],
                                value=settings.level if settings.level in LEVELS else "",
                                description="Difficulté", style=shared("description"),
                                layout=shared("layout"))
        self.count = w.Dropdown(options=list(range(1, MAX_CASES + 1)),
                                value=settings.n if 1 <= settings.n <= MAX_CASES else DEFAULT_CASES,
                                description="Nombre de cas", style=shared("date"), layout=shared("layout"))
        self.seed = w.Text(value=str(settings.seed), description="Graine", placeholder="au hasard",
                           style=shared("text"), layout=shared("layout"))
        self.seed.add_class("cb-seed")
        self.start_button = button("Commencer cette série", button_style="primary")
        self.random_button = button("Nouvelle série au hasard")
        self.start_button.on_click(lambda _b: self.start_from_controls())
        self.random_button.on_click(lambda _b: self.start_random())
        for control in (self.theme, self.level, self.count):
            control.observe(self._setting_changed, names="value")
        self.message, self.replay, self.score, self.case, self.result = html(), html(), html(), html(), html()
        self.teacher = html()  # the instructor view's export of the series on screen
        self.teacher.add_class("cb-training-teacher")
        self.message.add_class("cb-training-message")
        # a11y.js: live regions are announced; a changed .cb-focus pane takes the focus on its heading
        for pane, classes in ((self.message, ("cb-live",)), (self.score, ("cb-live",)),
                              (self.case, ("cb-focus",)), (self.result, ("cb-live", "cb-focus"))):
            for css in classes:
                pane.add_class(css)
        self.choice = prediction_choice()
        self.choice.observe(self._choice_changed, names="value")
        self.check = button("Vérifier ma réponse", button_style="primary", disabled=True)
        self.next = button("Suivant", disabled=True)
        self.check.add_class("cb-check")
        self.next.add_class("cb-next")
        self.check.on_click(lambda _b: self.answer())
        self.next.on_click(lambda _b: self.advance())
        self.question_box = box([self.case, self.choice, box([self.check, self.next], horizontal=True),
                                 self.result], _dom_classes=["cb-training-question"])
        self.summary = html()
        self.summary.add_class("cb-focus")
        self.summary.add_class("cb-training-summary")  # what « Imprimer le bilan » prints
        self.stage = box([])
        self.widget = box([
            html(STYLE + _STYLE + PRIVACY),
            box([self.theme, self.level], horizontal=True),
            box([self.count, self.seed, self.start_button, self.random_button], horizontal=True),
            self.message, self.replay, self.teacher, self.score, self.stage,
        ], _dom_classes=["cb-training"])
        self.start(settings, notes)

    # -- settings -------------------------------------------------------------------------------

    def _setting_changed(self, change: dict) -> None:
        """A setting takes effect at the next « Commencer »; a value not offered is refused."""
        owner, allowed = change["owner"], self._allowed(change["owner"])
        if change["new"] not in allowed:
            owner.value = change["old"] if change["old"] in allowed else allowed[0]
            self.message.value = "<p><b>Valeur refusée : elle ne fait pas partie des choix proposés.</b></p>"

    def _allowed(self, control: w.Dropdown) -> tuple:
        if control is self.theme:
            return ("", *self.topics)
        if control is self.level:
            return ("", *LEVELS)
        return tuple(range(1, MAX_CASES + 1))

    def _controls(self, seed: int) -> Settings:
        values = []
        for control in (self.theme, self.level, self.count):
            allowed = self._allowed(control)
            values.append(control.value if control.value in allowed else allowed[0])
        topic, level, n = values
        return Settings(seed, n, topic, level)

    def start_from_controls(self) -> None:
        """A round with the settings on screen; an empty seed field draws a fresh seed."""
        text = self.seed.value if isinstance(self.seed.value, str) else ""
        seed, notes = seed_or_fresh(text) if text.strip(" ") else (fresh_seed(), [])
        self.start(self._controls(seed), notes)

    def start_random(self) -> None:
        """A new round with a fresh seed, shown in the seed field."""
        seed = fresh_seed()
        self.seed.value = str(seed)
        self.start(self._controls(seed))

    def start(self, settings: Settings, notes: Sequence[str] = ()) -> None:
        """Draw the round and show its first question (or say that no case matches)."""
        self.settings = settings
        drawn = draw(self.pool, settings)
        self.questions, self.answers, self.index = drawn.questions, [], 0
        notes = list(notes)
        if not drawn.questions:
            notes.append("aucun cas ne correspond à ce thème et à cette difficulté : choisissez-en "
                         "d'autres")
        elif drawn.available < settings.n:
            notes.append(f"seulement {drawn.available} cas correspondent à ces choix : la série en "
                         f"compte {drawn.available} au lieu de {settings.n}")
        self.message.value = "".join(f"<p><b>{note[0].upper() + note[1:]}.</b></p>" for note in notes)
        self.replay.value = share_html(settings.link(), "Lien pour rejouer cette série", "cb-replay")
        self.stage.children = (self.question_box,) if self.questions else ()
        self.teacher.value = self._teacher_html()
        self._show_question()

    def _teacher_html(self) -> str:
        """In the instructor view: the series on screen as a Moodle question bank to download."""
        if self.mode != TEACHER or not self.questions:
            return ""
        from ..exports.moodle import download_html

        link = download_html(self.kb, self.questions, f"entrainement-graine-{self.settings.seed}-moodle.xml",
                             "⬇ Exporter cette série pour Moodle")
        return (f'<p class="cb-teacher-export"><b>Vue enseignant</b> : {link} — à importer dans la '
                "banque de questions de Moodle, format « Moodle XML ».</p>")

    # -- questions ------------------------------------------------------------------------------

    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    def _show_score(self) -> None:
        total, done = len(self.questions), len(self.answers)
        if not total:
            where = "aucune question"
        elif done < total:
            where = f"question {self.index + 1} sur {total}"
        else:
            where = f"série terminée ({total} question{'s' if total > 1 else ''})"
        self.score.value = (f'<p>Score : <span class="cb-score">{score_text(self.answers)}'
                            f"</span> <small>(bonnes réponses sur les questions déjà répondues) — "
                            f"{where}</small></p>")

    def _show_question(self) -> None:
        """The current question (its heading changes first, so that it takes the focus)."""
        self._show_score()
        q = self.current()
        if q is not None:
            sc = q.scenario
            self.case.value = (f"<h2>Cas {self.index + 1} sur {len(self.questions)} : {escape(sc.title)}</h2>"
                               f'<p><span class="cb-badge">{escape(topic_label(q.topic))}</span>'
                               f'<span class="cb-badge cb-level">{escape(LEVELS[q.level].lower())}</span></p>'
                               f"<p>{escape(sc.narrative)}</p><p>Date des faits : "
                               f"{french_date(sc.situation.date)}</p>"
                               f'<p class="cb-ask"><b>Que dit « {escape(q.short)} » ?</b></p>')
        self.result.value = ""
        self.choice.value = None
        self.choice.disabled = q is None
        self.check.disabled, self.next.disabled = True, True

    def _choice_changed(self, change: dict) -> None:
        if change["new"] is not None and change["new"] not in DEONTIC:
            self.choice.value = change["old"] if change["old"] in DEONTIC else None
            self.message.value = "<p><b>Réponse refusée : elle ne fait pas partie des choix proposés.</b></p>"
            return
        answered = len(self.answers) > self.index
        self.check.disabled = answered or self.current() is None or change["new"] not in DEONTIC

    def answer(self) -> None:
        """Check the choice against the engine, once per question, and show why."""
        q, chosen = self.current(), self.choice.value
        if q is None or len(self.answers) > self.index:
            return
        if chosen not in DEONTIC:
            self.result.value = "<p>Choisissez d'abord une réponse.</p>"
            return
        verdict = evaluate_one(self.kb, q.scenario.situation, q.pid)
        given = Answer(q, chosen, verdict.outcome)
        self.answers.append(given)
        if given.right:
            text = "Quelle condition a été décisive ? Vérifiez-le dans le raisonnement ci-dessous."
        else:
            text = feedback(self.kb, q.scenario, verdict, chosen)
        why = ", ".join(q.reasons) or "peu de faits à lire, la réponse habituelle de cette règle"
        flag, css = ("ok", "cb-met") if given.right else ("ko", "cb-notmet")
        title = "✔ Bonne réponse" if given.right else "✘ Ce n'est pas la réponse du casebook"
        self.result.value = (f'<h3 class="{css}">{title}</h3>'
                             f'<p class="{css}" data-feedback="{flag}"><b>{escape(text)}</b></p>'
                             f"{verdict_html(verdict)}{trace_html(verdict)}"
                             f"<p><small>Difficulté « {escape(LEVELS[q.level].lower())} » : "
                             f"{escape(why)}.</small></p>"
                             f"{teaching_html(self.kb, q.scenario) if self.mode == TEACHER else ''}")
        self.choice.disabled, self.check.disabled, self.next.disabled = True, True, False
        self._show_score()

    def advance(self) -> None:
        """« Suivant »: the next question, or the summary after the last one."""
        if self.current() is None:
            return
        if len(self.answers) <= self.index:
            self.result.value = "<p>Répondez d'abord à cette question.</p>"
            return
        self.index += 1
        if self.current() is None:
            self.finish()
        else:
            self._show_question()

    def finish(self) -> None:
        """The summary, downloadable and printable; the score keeps its place above."""
        self._show_score()
        self.summary.value = (summary_html(self.answers, self.settings)
                              + downloads_html(self.answers, self.settings))
        self.stage.children = (self.summary,)


def from_query(kb: KnowledgeBase, scenarios: Sequence[Scenario], query: Mapping[str, str],
               problems: Sequence[str] = (), mode: str = STUDENT) -> TrainingRound:
    """The round a page address asks for; what it ignored is said on the page. The instructor
    view (`mode`) adds the series' Moodle export and each case's teaching notes."""
    pool = questions(kb, scenarios)
    settings, notes = settings_from_query(query, topics_of(pool))
    return TrainingRound(kb, pool, settings, [escape(p) for p in problems] + notes, mode)

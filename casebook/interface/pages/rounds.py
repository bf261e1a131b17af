"""The questions of the « Entraînement » round, without any widget: the pool (one provision of
one worked case that stands alone, whose answer is one of the exercise's choices), their
difficulty, the seeded draw, the settings a page address asks for (`?graine=`, `n`, `sujet`,
`difficulte`), the score, the end-of-round summary (HTML, CSV) and the links that download it.
The widget that asks them is `training`.

Difficulty is not in the data: it is measured here, deterministically, from the case and the
provision asked. One point for each of:
- the case sets 10 facts or more (one more point from 16): more to read and weigh;
- the case asks about 4 provisions or more: several rules interact;
- the answer is not the provision's usual one (a secret that gives way, an exception that opens,
  a sanction that does not follow);
- the provision reads a judgement call (« votre appréciation ») that the case answers;
- the version in force that day carries a debated question;
- no version of the provision is in force on the date of the facts.
0–1 point: « facile », 2: « moyen », 3 or more: « difficile ».

The draw is `random.Random(seed)` over the worked cases in their load order (the casebook's,
then the course's): the same seed and settings give the same round on every machine, as long as
the worked cases, and the course's, do not change. The theme « Cas du cours » (`sujet=cours`)
draws among the course's cases only; « Tous les thèmes » mixes them with the casebook's.

The score is « right answers / questions answered so far » (« 3 / 4 » after four answers)."""

from __future__ import annotations

import base64
import csv
import io
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from ...law.knowledge import KnowledgeBase
from ...law.labels import DEONTIC, OUTCOMES
from ...law.scenarios import Scenario

NOTEBOOK = "18_entrainement.ipynb"
DEFAULT_CASES = 10
MAX_CASES = 30
MAX_SEED = 999_999
MAX_SHOWN = 40  # characters of a refused link value repeated in a message
LEVELS: dict[str, str] = {"facile": "Facile", "moyen": "Moyen", "difficile": "Difficile"}
TOPICS: dict[str, str] = {
    "base_legale": "Le secret professionnel (art. 458)",
    "deontologie": "Codes de déontologie",
    "partage": "Secret partagé et accord de la personne",
    "temoignage": "Témoignage en justice",
    "obligations_legales": "Quand la loi oblige à parler",
    "assistance": "Porter secours (art. 422bis)",
    "necessite": "État de nécessité",
    "denonciation": "Dénonciation (art. 29 et 30 CIC)",
    "renseignement": "Services de renseignement",
    "droit_de_parole": "Droit de parole",
    "concertation": "Concertations de cas",
    "secteurs": "Règles des secteurs",
    "discretion": "Devoir de discrétion",
    "sanctions": "Sanctions",
}
COURSE = "cours"  # the theme « Cas du cours »: the questions of the instructor's course cases
COURSE_LABEL = "Cas du cours"
USUAL = {"secret": "obligation_de_se_taire", "exception": "non_applicable",
         "consequence": "sanction_encourue"}
_SEED = re.compile(r"[0-9]{1,6}")
_COUNT = re.compile(r"[0-9]{1,2}")


def topic_label(topic: str) -> str:
    return COURSE_LABEL if topic == COURSE else TOPICS.get(topic, topic)


@dataclass(frozen=True)
class Question:
    """One question of a round: what `pid` says about `scenario`, with its difficulty."""

    scenario: Scenario
    pid: str
    short: str
    topic: str
    level: str
    reasons: tuple[str, ...]


def difficulty(kb: KnowledgeBase, scenario: Scenario, pid: str, expected: str) -> tuple[str, tuple[str, ...]]:
    """The level of a question and, in French, what makes it harder (see the module's docstring)."""
    provision = kb.provisions[pid]
    facts = scenario.situation.facts
    version = provision.version_at(scenario.situation.date)
    reasons: list[str] = []
    if len(facts) >= 10:
        reasons.append(f"{len(facts)} faits à lire")
    if len(facts) >= 16:
        reasons.append("beaucoup de faits à peser")
    if len(scenario.expected) >= 4:
        reasons.append(f"{len(scenario.expected)} règles en jeu dans le cas")
    if expected != USUAL.get(provision.kind):
        reasons.append("une réponse moins habituelle pour cette règle")
    read = provision.facts()
    if any(kb.facts[f].judgement and f in read for f in facts):
        reasons.append("une condition qui relève de votre appréciation")
    if version is not None and any(b.debate for b in (version.rule.base, *version.rule.exceptions)):
        reasons.append("une question débattue")
    if version is None:
        reasons.append("aucune version en vigueur à la date des faits")
    points = len(reasons)
    level = "facile" if points <= 1 else "moyen" if points == 2 else "difficile"
    return level, tuple(reasons)


def questions(kb: KnowledgeBase, scenarios: Sequence[Scenario]) -> list[Question]:
    """Every question a round can ask, in the cases' order: each provision a case asks about
    whose expected answer is one of the exercise's choices. A case that continues another one
    (`depends_on`) cannot be read alone, so it asks nothing."""
    out = []
    for sc in scenarios:
        if sc.depends_on is not None:
            continue
        for exp in sc.expected:
            if exp.outcome in DEONTIC:
                provision = kb.provisions[exp.provision]
                level, reasons = difficulty(kb, sc, exp.provision, exp.outcome)
                out.append(Question(sc, exp.provision, provision.short, provision.topic, level, reasons))
    return out


def topics_of(pool: Sequence[Question]) -> tuple[str, ...]:
    """The themes a round can be restricted to: those with a question, in the themes' order,
    then « Cas du cours » when the pool holds a course case."""
    present = {q.topic for q in pool}
    course = (COURSE,) if any(q.scenario.course for q in pool) else ()
    return tuple(t for t in TOPICS if t in present) + tuple(sorted(present - set(TOPICS))) + course


def matches(q: Question, topic: str = "", level: str = "") -> bool:
    """Whether a question belongs to a theme (a provision's topic, COURSE for the course's
    cases, "" for all) and a level ("" for all)."""
    in_topic = topic in ("", q.topic) or (topic == COURSE and q.scenario.course)
    return in_topic and level in ("", q.level)


@dataclass(frozen=True)
class Settings:
    """What defines a round: the seed, the number of cases, the theme (a provision topic, the
    link's `sujet`, or "" for all) and the level ("" for all)."""

    seed: int
    n: int = DEFAULT_CASES
    topic: str = ""
    level: str = ""

    def link(self) -> str:
        """The relative address that replays this round."""
        params = {"graine": self.seed, "n": self.n}
        if self.topic:
            params["sujet"] = self.topic
        if self.level:
            params["difficulte"] = self.level
        return f"{NOTEBOOK}?{urlencode(params)}"


@dataclass(frozen=True)
class Draw:
    """The questions of a round and how many cases matched its theme and level."""

    questions: tuple[Question, ...]
    available: int


def draw(pool: Sequence[Question], settings: Settings) -> Draw:
    """`settings.n` cases chosen by `random.Random(settings.seed)` among those with a question of
    the theme and level, one such question each (all of them when fewer match)."""
    by_case: dict[str, list[Question]] = {}
    for q in pool:
        if matches(q, settings.topic, settings.level):
            by_case.setdefault(q.scenario.id, []).append(q)
    cases = list(by_case.values())
    rng = random.Random(settings.seed)
    chosen = rng.sample(range(len(cases)), min(settings.n, len(cases)))
    return Draw(tuple(rng.choice(cases[i]) for i in chosen), len(cases))


def fresh_seed() -> int:
    """A seed for a round the student did not ask to replay."""
    return random.SystemRandom().randint(0, MAX_SEED)


def _shown(value: str) -> str:
    value = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"
    return escape(value)


def parse_seed(text: str) -> int | None:
    """A seed written by the user: an integer from 0 to MAX_SEED, digits only; None otherwise."""
    text = text.strip(" ")
    return int(text) if _SEED.fullmatch(text) else None


def seed_or_fresh(text: str) -> tuple[int, list[str]]:
    """The seed written, or a fresh one with a French line (escaped) saying why."""
    seed = parse_seed(text)
    if seed is not None:
        return seed, []
    seed = fresh_seed()
    return seed, [f"graine « {_shown(text)} » ignorée : un nombre entier de 0 à "
                  f"{MAX_SEED:,} est attendu ; série tirée au hasard (graine {seed})".replace(",", " ")]


def settings_from_query(query: Mapping[str, str], topics: Sequence[str]) -> tuple[Settings, list[str]]:
    """The round a page address asks for (`graine`, `n`, `sujet`, `difficulte`) and, in French
    and escaped, what was ignored. A missing seed draws a fresh one."""
    notes: list[str] = []
    if "graine" in query:
        seed, notes = seed_or_fresh(query["graine"])
    else:
        seed = fresh_seed()
    n = DEFAULT_CASES
    if "n" in query:
        raw = query["n"].strip(" ")
        if _COUNT.fullmatch(raw) and 1 <= int(raw) <= MAX_CASES:
            n = int(raw)
        else:
            notes.append(f"nombre de cas « {_shown(query['n'])} » ignoré : de 1 à {MAX_CASES} ; "
                         f"la série en compte {DEFAULT_CASES}")
    topic = query.get("sujet", "")
    if topic and topic not in topics:
        notes.append(f"sujet « {_shown(topic)} » inconnu : tous les thèmes sont proposés")
        topic = ""
    level = query.get("difficulte", "")
    if level and level not in LEVELS:
        notes.append(f"difficulté « {_shown(level)} » inconnue (facile, moyen ou difficile) : "
                     "toutes les difficultés sont proposées")
        level = ""
    return Settings(seed, n, topic, level), notes


@dataclass(frozen=True)
class Answer:
    """A question answered: the student's choice and the engine's outcome."""

    question: Question
    chosen: str
    outcome: str

    @property
    def right(self) -> bool:
        return self.chosen == self.outcome


def score_text(answers: Sequence[Answer]) -> str:
    """« right / answered », e.g. « 3 / 4 »."""
    return f"{sum(a.right for a in answers)} / {len(answers)}"


def percent(right: int, asked: int) -> int:
    """A rounded percentage (halves up); 0 when nothing was asked."""
    return (200 * right + asked) // (2 * asked) if asked else 0


def by_topic(answers: Sequence[Answer]) -> list[tuple[str, int, int]]:
    """(topic, questions, right answers) for each theme met, in the themes' order."""
    counts: dict[str, list[int]] = {}
    for a in answers:
        row = counts.setdefault(a.question.topic, [0, 0])
        row[0] += 1
        row[1] += a.right
    order = list(TOPICS)
    keys = sorted(counts, key=lambda t: (order.index(t) if t in order else len(order), t))
    return [(t, counts[t][0], counts[t][1]) for t in keys]


def summary_csv(answers: Sequence[Answer]) -> str:
    """The per-theme summary as CSV (separator « ; », as spreadsheets in French expect), with a
    total line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Thème", "Questions", "Bonnes réponses", "Pourcentage"])
    for topic, asked, right in by_topic(answers):
        writer.writerow([topic_label(topic), asked, right, percent(right, asked)])
    right = sum(a.right for a in answers)
    writer.writerow(["Total", len(answers), right, percent(right, len(answers))])
    return out.getvalue()


def summary_html(answers: Sequence[Answer], settings: Settings) -> str:
    """The per-theme summary, then each question with the answer given and the right one."""
    themes = "".join(f"<tr><td>{escape(topic_label(t))}</td><td>{right} / {asked}</td>"
                     f"<td>{percent(right, asked)} %</td></tr>" for t, asked, right in by_topic(answers))
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(topic_label(a.question.topic))}</td>"
        f"<td>{escape(a.question.scenario.title)}</td><td>{escape(a.question.short)}</td>"
        f"<td>{escape(OUTCOMES[a.chosen])}</td><td>{escape(OUTCOMES[a.outcome])}</td>"
        f"<td>{'✔ juste' if a.right else '✘ à revoir'}</td></tr>"
        for i, a in enumerate(answers, 1))
    level = LEVELS.get(settings.level, "toutes")
    theme = topic_label(settings.topic) if settings.topic else "tous"
    return (f'<div class="cb-summary"><h2>Bilan : {score_text(answers)}</h2>'
            f"<p>Thème : {escape(theme)} — difficulté : {escape(level.lower())} — graine "
            f"{settings.seed}. Pour rejouer la même série : <code>{escape(settings.link())}</code></p>"
            f'<h3>Par thème</h3><table class="cb-table cb-summary-themes"><tr><th>Thème</th>'
            f"<th>Bonnes réponses</th><th>Pourcentage</th></tr>{themes}</table>"
            f'<h3>Question par question</h3><table class="cb-table"><tr><th>N°</th><th>Thème</th>'
            f"<th>Cas</th><th>Règle</th><th>Votre réponse</th><th>Réponse du casebook</th>"
            f"<th>Résultat</th></tr>{rows}</table></div>")


def summary_document(answers: Sequence[Answer], settings: Settings) -> str:
    """The summary as a standalone HTML page, to keep or print; it names nobody."""
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            "<title>Bilan d'entraînement — secret professionnel</title><style>"
            "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}"
            "td,th{border:1px solid #999;padding:.3em .6em;text-align:left}</style></head><body>"
            "<h2>Casebook du secret professionnel — bilan d'entraînement</h2>"
            f"{summary_html(answers, settings)}<p><small>Ce bilan ne contient aucune donnée "
            "personnelle.</small></p></body></html>")


def _data_link(text: str, mime: str, name: str, label: str, css: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a class="{css}" download="{name}" href="data:{mime};charset=utf-8;base64,{payload}">'
            f"{label}</a>")


def downloads_html(answers: Sequence[Answer], settings: Settings) -> str:
    """Links that save the summary (CSV, HTML) from the page itself, and « Imprimer le bilan »,
    which prints the summary alone (the template's page.js)."""
    stem = f"entrainement-graine-{settings.seed}"
    csv_text = "\ufeff" + summary_csv(answers)  # the mark lets spreadsheets read the accents
    as_csv = _data_link(csv_text, "text/csv", f"{stem}.csv", "⬇ Télécharger le bilan (CSV)",
                        "cb-download-csv")
    as_html = _data_link(summary_document(answers, settings), "text/html", f"{stem}.html",
                         "⬇ Télécharger le bilan (HTML)", "cb-download-html")
    return (f'<p class="cb-downloads">{as_csv} · {as_html} · <button type="button" '
            'class="cb-print jupyter-button" data-cb-print="bilan">Imprimer le bilan</button></p>')

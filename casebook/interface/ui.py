"""What a notebook calls, one line per cell: texts, commentary helpers, tables, explorers,
worked cases, exercises, the navigator and the timeline. Each returns something Jupyter
displays (HTML or a widget); none holds legal logic."""

from __future__ import annotations

from functools import cache
from html import escape
from typing import TYPE_CHECKING

from IPython.display import HTML

from .. import load
from ..law import course as course_folder
from ..law.paths import data_dir
from ..law.scenarios import Scenario, load_scenarios
from ..law.snapshot import cached
from .blocks import display

if TYPE_CHECKING:
    import ipywidgets


@cache
def builtin_scenarios() -> tuple[Scenario, ...]:
    """The casebook's own worked cases (data/scenarios), loaded once (from their snapshot when
    unchanged)."""
    return cached("scenarios", lambda: tuple(load_scenarios(load())), data_dir())


@cache
def course() -> course_folder.Course:
    """The instructor's course folder and its cases (`law.course`): read once per page, from
    the folder as it is when the page first needs it; a bad folder gives no case and its errors."""
    return course_folder.for_pages(load(), builtin_scenarios(), course_folder.locate())


@cache
def scenarios() -> tuple[Scenario, ...]:
    """Every worked case a page offers: the casebook's, then the course's."""
    return builtin_scenarios() + course().cases


def cases_for(pid: str) -> list[Scenario]:
    """The worked cases that assert something about provision `pid`."""
    return [s for s in scenarios() if any(e.provision == pid for e in s.expected)]


def provision(*pids: str) -> HTML:
    """Each provision's text, version by version, with dates, citation and status badges."""
    return HTML(display.STYLE + "".join(display.provision_html(load().provisions[p]) for p in pids))


def corrections(*pids: str) -> HTML:
    """What the handout says wrongly or out of date, for these provisions."""
    return HTML(display.STYLE + "".join(display.corrections_html(load().provisions[p]) for p in pids))


def table(name: str) -> HTML:
    """A reference table with French headings and words, statuses as badges."""
    return HTML(display.STYLE + display.table_html(name, load().tables[name]))


def explorer(*pids: str) -> ipywidgets.Widget:
    """The interactive explorer of one provision, or of several with a chooser, with their
    worked cases in the picker."""
    from .pages.explorer import Explorer

    cases = [s for s in scenarios() if any(e.provision in pids for e in s.expected)]
    return Explorer(load(), pids, cases).widget


def worked_cases(*pids: str) -> HTML:
    """Each provision's worked cases with the engine's answers, as plain HTML (checked by nbval);
    with several provisions, one titled table each. In the student view each answer is revealed
    on demand; the instructor view shows them with the teaching notes (`teaching`)."""
    from .blocks import page, teaching

    kb, mode = load(), page.mode()
    style = display.STYLE + teaching.STYLE
    if len(pids) == 1:
        return HTML(style + teaching.worked_cases_html(kb, cases_for(pids[0]), mode))
    parts = [f"<h3>{escape(kb.provisions[p].title)}</h3>"
             f"{teaching.worked_cases_html(kb, cases_for(p), mode)}" for p in pids]
    return HTML(style + "".join(parts))


def exercise_case(pid: str, case_id: str | None = None) -> Scenario | None:
    """The case a « Prédisez d'abord » exercise on `pid` asks about: the named one, or by default
    the first case where the provision applies; None when there is no such case."""
    cases = cases_for(pid)
    if case_id is not None:
        return next((s for s in cases if s.id == case_id), None)
    applies = [s for s in cases if any(e.provision == pid and e.outcome != "non_applicable"
                                       for e in s.expected)]
    return (applies or cases or [None])[0]


def predict(pid: str, case_id: str | None = None) -> ipywidgets.Widget | HTML:
    """A predict-then-reveal exercise on provision `pid` (its case: `exercise_case`). In the
    student view the page holds the case's answer back until the student has answered; the
    instructor view shows the expected answer and the teaching notes at once."""
    from .blocks import page
    from .pages.exercise import PredictExercise

    case = exercise_case(pid, case_id)
    if case is None:
        return HTML(f"<p>Exercice indisponible : aucun cas pratique « {escape(case_id or pid)} ».</p>")
    return PredictExercise(load(), case, pid, page.mode()).widget


def view() -> HTML | None:
    """The instructor view's bar (« Vue enseignant », back to the student view, projection
    layout); nothing in the student view. It reads the page's address: in a preheated kernel,
    call it after the heavy cells."""
    from .blocks import page, teaching

    if page.mode() != teaching.TEACHER:
        return None
    return HTML(teaching.view_bar_html(page.query()))


def navigator() -> ipywidgets.Widget:
    """The guided interview "Puis-je parler ?". It opens on the page's link once `follow_link`
    (the notebook's last cell) has read it."""
    from .pages.navigator import Navigator

    built = Navigator(load())
    _navigators.append(built)
    return built.widget


_navigators: list = []  # the navigators of this kernel's page, for `follow_link`


def follow_link() -> ipywidgets.Widget:
    """The last cell of a page with a navigator: open it on the situation of the page's link,
    and fill the returned pane with the instructor view's bar when the link asks for it (see
    `view`). In a preheated kernel the link is awaited in a background thread: the request
    arrives only when a browser asks for the page, maybe long after the notebook ran, and a cell
    that waited for it would time out."""
    import threading

    from .blocks import page, teaching
    from .blocks.widgets import html

    pane = html()

    def apply() -> None:
        query = page.query()
        cases = {s.id: s for s in scenarios()} if query.get("cas") else {}
        for built in _navigators:
            built.follow(query, cases, page.problems())
        if page.mode() == teaching.TEACHER:
            pane.value = teaching.view_bar_html(query)

    if page.waits_for_request():
        threading.Thread(target=apply, name="casebook-link", daemon=True).start()
    else:
        apply()
    return pane


def training() -> ipywidgets.Widget:
    """The scored training round « Entraînement », set by the page's link (`?graine=`, `n`,
    `sujet`, `difficulte`, `mode`); what the link got wrong is said on the page."""
    from .blocks import page
    from .pages.training import from_query

    return from_query(load(), scenarios(), page.query(), page.problems(), page.mode()).widget


def course_cases() -> ipywidgets.Widget:
    """The accueil's « Cas du cours » list (`pages.course_list`): empty without a course folder. In a
    preheated kernel the folder is read once a browser asks for the page (as `follow_link` waits
    for its link), so that the list is the folder's as it is when the page opens."""
    import threading

    from .blocks import page
    from .blocks.widgets import html
    from .pages.course_list import course_html

    pane = html()
    pane.add_class("cb-course-list")

    def fill() -> None:
        page.query()  # in a preheated kernel: returns once the page has been asked for
        pane.value = course_html(load(), course(), data_dir().parent / "notebooks")

    if page.waits_for_request():
        threading.Thread(target=fill, name="casebook-course", daemon=True).start()
    else:
        fill()
    return pane


def builder() -> ipywidgets.Widget:
    """The « Atelier de cas »: write a worked case, see the engine's answer beside the expected
    one, download it as a scenario file or as Moodle questions, or bring a file back in (an
    upload, or a file of the course folder)."""
    from .pages.builder import CaseBuilder

    return CaseBuilder(load(), course=course_folder.locate(),
                       taken={s.id for s in builtin_scenarios()}).widget


def sources(*pids: str) -> HTML:
    """Every source used for these provisions, with verification status."""
    return HTML(display.STYLE + "".join(display.sources_html(load().provisions[p]) for p in pids))


def timeline() -> HTML:
    """The picture of every version of every provision over 1990–2030."""
    return HTML(display.timeline_svg(load()))


def timeline_explorer() -> ipywidgets.Widget:
    """The picture with a date control: which version of each provision applied on the chosen
    day, and what changed since the version before it."""
    from .pages.timeline import TimelineExplorer

    return TimelineExplorer(load()).widget

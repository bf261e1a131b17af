"""What a notebook calls, one line per cell: texts, commentary helpers, tables, explorers,
worked cases, exercises, the navigator and the timeline. Each returns something Jupyter
displays (HTML or a widget); none holds legal logic."""

from __future__ import annotations

from functools import cache
from html import escape
from typing import TYPE_CHECKING

from IPython.display import HTML

from .. import load
from ..law.paths import data_dir
from ..law.scenarios import Scenario, load_scenarios
from ..law.snapshot import cached
from . import display

if TYPE_CHECKING:
    import ipywidgets


@cache
def scenarios() -> tuple[Scenario, ...]:
    """Every worked case of the casebook, loaded once (from its snapshot when unchanged)."""
    return cached("scenarios", lambda: tuple(load_scenarios(load())), data_dir())


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
    from .explorer import Explorer

    cases = [s for s in scenarios() if any(e.provision in pids for e in s.expected)]
    return Explorer(load(), pids, cases).widget


def worked_cases(*pids: str) -> HTML:
    """Each provision's worked cases with the engine's answers, as plain HTML (checked by nbval);
    with several provisions, one titled table each."""
    kb = load()
    if len(pids) == 1:
        return HTML(display.STYLE + display.worked_cases_html(kb, cases_for(pids[0])))
    parts = [f"<h4>{escape(kb.provisions[p].title)}</h4>{display.worked_cases_html(kb, cases_for(p))}"
             for p in pids]
    return HTML(display.STYLE + "".join(parts))


def predict(pid: str, case_id: str | None = None) -> ipywidgets.Widget | HTML:
    """A predict-then-reveal exercise on provision `pid`: the named case, or by default the
    first case where the provision applies."""
    from .exercise import PredictExercise

    cases = cases_for(pid)
    if not cases or (case_id is not None and case_id not in {s.id for s in cases}):
        return HTML(f"<p>Exercice indisponible : aucun cas pratique « {case_id or pid} ».</p>")
    if case_id is not None:
        case = next(s for s in cases if s.id == case_id)
    else:
        applies = [s for s in cases if any(e.provision == pid and e.outcome != "non_applicable"
                                           for e in s.expected)]
        case = (applies or cases)[0]
    return PredictExercise(load(), case, pid).widget


def navigator() -> ipywidgets.Widget:
    """The guided interview "Puis-je parler ?"."""
    from .navigator import Navigator

    return Navigator(load()).widget


def sources(*pids: str) -> HTML:
    """Every source used for these provisions, with verification status."""
    return HTML(display.STYLE + "".join(display.sources_html(load().provisions[p]) for p in pids))


def timeline() -> HTML:
    """The picture of every version of every provision over 1990–2030."""
    return HTML(display.timeline_svg(load()))

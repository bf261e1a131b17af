"""A case by link (`casebook.interface.blocks.links`): parsing a link's parameters, good and hostile, the
link of every worked case back to the same situation, and the explorer and navigator opening on
a link and keeping their share field up to date."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from pathlib import Path

import pytest

from casebook.interface import ui
from casebook.interface.blocks import links, page
from casebook.interface.pages.explorer import Explorer
from casebook.interface.pages.navigator import Navigator
from casebook.interface.pages.transfer import explorer_pages
from casebook.law.engine import Situation, evaluate_one
from casebook.law.knowledge import HORIZON

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
CASE = "partage-sans-accord"
SCRIPT = "<script>alert(1)</script>"


def _explorers() -> list[tuple[str, tuple[str, ...]]]:
    """(notebook file, provisions) of every `ui.explorer(...)` call of the notebooks, as the
    builder's links find them."""
    return list(dict.fromkeys(explorer_pages(NOTEBOOKS[0].parent).values()))


EXPLORERS = _explorers()


@pytest.fixture(scope="module")
def cases():
    return {s.id: s for s in ui.scenarios()}


def _linked(kb, query: str, cases, facts=None) -> links.LinkedCase:
    params, problems = page.parse(query)
    assert not problems
    return links.situation_from_query(kb, params, cases, facts)


def _outcome(html: str) -> str:
    return html.split('data-outcome="', 1)[1].split('"', 1)[0]


def _share(explorer: Explorer) -> str:
    value = re.search(r'class="cb-share-link" readonly value="([^"]*)"', explorer.share.value)
    return value.group(1).replace("&amp;", "&")


def _explorer(kb, pids, query=None, notebook="03_secret_partage.ipynb") -> Explorer:
    chosen = [s for s in ui.scenarios() if any(e.provision in pids for e in s.expected)]
    return Explorer(kb, pids, chosen, query={} if query is None else query, notebook=notebook)


# --- parsing ------------------------------------------------------------------------------------

def test_a_good_link_loads_the_case_and_overrides_a_fact(kb, cases):
    linked = _linked(kb, f"cas={CASE}&informed_consent=oui", cases)
    case = cases[CASE].situation
    assert linked.case_id == CASE and linked.date == case.date and linked.ignored == ()
    assert case.facts["informed_consent"] is False
    assert linked.facts == {**case.facts, "informed_consent": True}


def test_date_and_facts_without_a_case(kb, cases):
    linked = _linked(kb, "date=2016-05-01&necessary_confidant=non&forum=police", cases)
    assert linked == links.LinkedCase(None, dt.date(2016, 5, 1),
                                      {"necessary_confidant": False, "forum": "police"}, ())


def test_the_date_of_a_link_overrides_the_cases(kb, cases):
    assert _linked(kb, f"cas={CASE}&date=2001-02-03", cases).date == dt.date(2001, 2, 3)


def test_inconnu_makes_a_fact_of_the_case_unknown_again(kb, cases):
    linked = _linked(kb, f"cas={CASE}&informed_consent=inconnu", cases)
    assert "informed_consent" not in linked.facts and linked.ignored == ()


@pytest.mark.parametrize(("query", "said"), [
    ("cas=pas-un-cas", "cas pratique « pas-un-cas » inconnu"),
    ("pas_un_fait=oui", "paramètre « pas_un_fait » inconnu"),
    ("informed_consent=peut-etre", "valeur « peut-etre » refusée pour « informed_consent » (oui ou non"),
    ("informed_consent=Oui", "valeur « Oui » refusée"),
    ("informed_consent=", "valeur «  » refusée"),
    ("forum=tribunal_lunaire", "valeur « tribunal_lunaire » refusée pour « forum » (valeurs permises : "),
    ("date=2021-02-30", "date « 2021-02-30 » impossible"),
    ("date=01/02/2021", "date « 01/02/2021 » impossible"),
    ("date=20210201", "date « 20210201 » impossible"),
    ("date=demain", "date « demain » impossible"),
    ("date=1989-12-31", "date 31/12/1989 hors de la période couverte (01/01/1990 – 31/12/2030)"),
    ("date=2031-01-01", "date 01/01/2031 hors de la période couverte"),
])
def test_each_kind_of_bad_input_is_ignored_and_said(kb, cases, query, said):
    linked = _linked(kb, query, cases)
    assert linked.case_id is None and linked.date is None and linked.facts == {}
    assert len(linked.ignored) == 1 and linked.ignored[0].startswith(said), linked.ignored


def test_bad_parts_are_ignored_and_good_parts_kept(kb, cases):
    linked = _linked(kb, f"cas={CASE}&forum=lune&date=2040-01-01&informed_consent=oui", cases)
    assert linked.case_id == CASE and linked.date == cases[CASE].situation.date
    assert linked.facts["informed_consent"] is True and linked.facts["forum"] == "personne"
    assert len(linked.ignored) == 2


def test_a_fact_the_page_does_not_use_is_ignored(kb, cases):
    linked = _linked(kb, "informed_consent=oui&forum=police", cases, facts=["informed_consent"])
    assert linked.facts == {"informed_consent": True}
    assert linked.ignored == ("le fait « forum » ne joue aucun rôle dans cette page",)


def test_a_case_of_another_page_is_unknown_here(kb, cases):
    linked = _linked(kb, f"cas={CASE}", {k: v for k, v in cases.items() if k != CASE})
    assert linked.case_id is None and "inconnu" in linked.ignored[0]


@pytest.mark.parametrize("name", sorted(links.RESERVED))
def test_reserved_names_are_skipped_silently(kb, cases, name):
    assert _linked(kb, f"{name}=quoi", cases) == links.LinkedCase()


def test_voilas_theme_is_no_feature_of_a_page_and_is_said_ignored(kb, cases):
    assert "theme" not in links.RESERVED and "sujet" in links.RESERVED
    assert _linked(kb, "theme=dark", cases).ignored == ("paramètre « theme » inconnu",)


@pytest.mark.parametrize("query", [
    f"cas={SCRIPT}", f"informed_consent={SCRIPT}", f"{SCRIPT}=oui", "date=%3Cscript%3Ealert(1)%3C/script%3E",
    "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1",
])
def test_hostile_strings_are_quoted_shortened_and_escaped(kb, cases, query):
    linked = _linked(kb, query, cases)
    assert linked.facts == {} and len(linked.ignored) == 1
    shown = links.ignored_html(linked.ignored)
    assert "<script" not in shown and "<img" not in shown and "&lt;" in shown
    assert shown.count("<") == shown.count(">") == 2  # the line's own <p> and </p>


def test_a_very_long_value_is_cut_in_the_message(kb, cases):
    linked = _linked(kb, "informed_consent=" + "x" * 3000, cases)
    assert "x" * links.MAX_SHOWN + "…" in linked.ignored[0]
    assert len(linked.ignored[0]) < 200


def test_a_10000_character_address_is_ignored_as_a_whole(kb, cases):
    params, problems = page.parse("informed_consent=oui&x=" + "a" * 10_000)
    assert params == {} and "trop longue" in problems[0]
    assert links.situation_from_query(kb, params, cases) == links.LinkedCase()
    assert "trop longue" in links.ignored_html(problems)


def test_unicode_and_control_characters(kb, cases):
    linked = _linked(kb, "forum=%C3%A9t%C3%A9%F0%9F%98%80&x%00y=%0A", cases)
    assert "« été😀 »" in linked.ignored[0]
    assert "« x\N{REPLACEMENT CHARACTER}y »" in linked.ignored[1]


def test_percent_encoding_is_decoded_before_checking(kb, cases):
    assert _linked(kb, "informed_consent=%6Fui&cas=partage%2Dsans%2Daccord", cases).facts["informed_consent"]


def test_a_repeated_parameter_keeps_its_first_value_and_is_said(kb, cases):
    params, problems = page.parse("informed_consent=oui&informed_consent=non")
    assert links.situation_from_query(kb, params, cases).facts == {"informed_consent": True}
    assert problems == ["paramètre « informed_consent » répété"]


def test_many_messages_are_counted_not_listed(kb, cases):
    params = {f"bad{i}": "x" for i in range(50)}
    linked = links.situation_from_query(kb, params, cases)
    assert len(linked.ignored) == links.MAX_LINES + 1 and linked.ignored[-1].startswith("et 38 autre")


# --- links --------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ui.scenarios(), ids=lambda s: s.id)
def test_every_worked_case_comes_back_from_its_link(kb, cases, case):
    facts, date = dict(case.situation.facts), case.situation.date
    query = links.query_for(facts, date)
    assert len(query) <= page.MAX_QUERY
    assert _linked(kb, query, cases) == links.LinkedCase(None, date, facts, ())
    by_case = links.query_for(facts, date, case.id, base=case.situation)
    assert by_case == f"cas={case.id}"
    assert _linked(kb, by_case, cases) == links.LinkedCase(case.id, date, facts, ())
    first = next(iter(facts))
    changed = {k: v for k, v in facts.items() if k != first}
    query = links.query_for(changed, HORIZON[0], case.id, base=case.situation)
    assert _linked(kb, query, cases) == links.LinkedCase(case.id, HORIZON[0], changed, ())


def test_link_for_is_relative_to_the_page(kb):
    facts = {"informed_consent": True, "forum": "police"}
    link = links.link_for("03_secret_partage.ipynb", facts, dt.date(2020, 1, 2), CASE, {"regle": "x"})
    assert link == ("03_secret_partage.ipynb?cas=partage-sans-accord&regle=x&date=2020-01-02"
                    "&informed_consent=oui&forum=police")
    assert links.link_for("", {}, dt.date(2020, 1, 2)) == "?date=2020-01-02"
    assert links.link_for("03_secret_partage.ipynb", {}, None) == "03_secret_partage.ipynb"


@pytest.mark.parametrize("name", ["javascript:alert(1)//.ipynb", "../x.ipynb", "a b.ipynb", "x.py",
                                  '"x.ipynb'])
def test_link_for_drops_a_strange_page_name(name):
    assert links.link_for(name, {}, dt.date(2020, 1, 2)) == "?date=2020-01-02"


@pytest.mark.parametrize(("script", "name"), [
    ("/voila/render/03_secret_partage.ipynb", "03_secret_partage.ipynb"),
    ("/user/abc-12/voila/render/notebooks/03_secret_partage.ipynb", "03_secret_partage.ipynb"),
    ("/voila/render/<x>.ipynb", ""),
    ("", ""),
])
def test_the_page_name_comes_from_the_request_path(monkeypatch, script, name):
    monkeypatch.setenv("SCRIPT_NAME", script)
    assert links.page_notebook() == name


def test_share_html_is_a_labelled_read_only_field_and_a_link():
    shown = links.share_html('?cas="><script>&x=1')
    assert "Lien vers ce cas" in shown and 'class="cb-share-link" readonly' in shown
    assert "<script" not in shown and shown.count('value="?cas=&quot;&gt;&lt;script&gt;&amp;x=1"') == 1
    assert 'href="?cas=&quot;&gt;&lt;script&gt;&amp;x=1"' in shown


def test_ignored_html_is_one_line_or_nothing():
    assert links.ignored_html([]) == ""
    shown = links.ignored_html(["a", "b" * 500])
    assert shown.count("<p") == 1 and "a ; b" in shown and "b" * 201 not in shown


# --- the explorer -------------------------------------------------------------------------------

@pytest.mark.parametrize(("notebook", "pids"), EXPLORERS, ids=lambda v: v if isinstance(v, str) else "")
def test_every_explorer_opens_on_each_of_its_cases(kb, notebook, pids):
    chosen = [s for s in ui.scenarios() if any(e.provision in pids for e in s.expected)]
    assert chosen
    for case in chosen:
        ex = Explorer(kb, pids, chosen, query={"cas": case.id}, notebook=notebook)
        pid = next(p for p in pids if any(e.provision == p for e in case.expected))
        expected = evaluate_one(kb, case.situation, pid).outcome
        assert (ex.picker.value, ex.chooser.value, ex.date.value) == (case.id, pid, case.situation.date)
        assert _outcome(ex.card.value) == expected, case.id
        regle = "" if pid == pids[0] else f"&regle={pid}"
        assert _share(ex) == f"{notebook}?cas={case.id}{regle}"


def test_the_share_link_follows_every_change_and_reopens_the_same_situation(kb):
    pids = ("secret_partage", "accord_personne")
    ex = _explorer(kb, pids, {"cas": CASE})
    assert _share(ex) == f"03_secret_partage.ipynb?cas={CASE}"
    ex.form.controls["informed_consent"].value = "oui"
    assert _share(ex) == f"03_secret_partage.ipynb?cas={CASE}&informed_consent=oui"
    ex.form.controls["only_necessary"].value = "?"
    assert _share(ex).endswith("&informed_consent=oui&only_necessary=inconnu")
    ex.date.value = dt.date(2019, 3, 4)
    assert "&date=2019-03-04&" in _share(ex)
    query = page.parse(_share(ex).split("?", 1)[1])[0]
    again = _explorer(kb, pids, query)
    assert again.form.values() == ex.form.values() and again.picker.value == CASE
    assert _outcome(again.card.value) == _outcome(ex.card.value)
    assert _share(again) == _share(ex)
    ex.picker.value = ""
    assert _share(ex).startswith("03_secret_partage.ipynb?date=2019-03-04&profession=assistant_social")
    ex.chooser.value = "accord_personne"
    assert "?regle=accord_personne&date=2019-03-04" in _share(ex)


def test_an_explorer_without_a_link_shows_todays_date_and_no_notice(kb):
    ex = _explorer(kb, ("art458",), notebook="")
    assert _share(ex) == f"?date={dt.date.today().isoformat()}"
    assert not any("cb-link-ignored" in str(getattr(c, "value", "")) for c in ex.widget.children)


@pytest.mark.parametrize("query", [
    {"cas": "pas-un-cas"}, {"pas_un_fait": "oui"}, {"informed_consent": "peut-etre"},
    {"date": "2021-02-30"}, {"informed_consent": SCRIPT}, {SCRIPT: "oui"}, {"cas": "x" * 5000},
    {"regle": SCRIPT},
])
def test_a_hostile_link_opens_the_explorer_on_its_default_with_one_line(kb, query):
    default = _explorer(kb, ("secret_partage", "accord_personne"))
    ex = _explorer(kb, ("secret_partage", "accord_personne"), query)
    notice = ex.widget.children[0].value
    assert notice.startswith('<p class="cb-link-ignored"') and "<script" not in notice
    assert len(notice) < 400
    assert ex.picker.value == "" and ex.form.values() == {} and ex.chooser.value == "secret_partage"
    assert ex.card.value == default.card.value and _share(ex) == _share(default)


def test_the_rule_of_a_link_and_the_facts_of_another_rule(kb):
    pids = ("secret_partage", "accord_personne")
    ex = _explorer(kb, pids, {"regle": "accord_personne", "informed_consent": "oui"})
    assert ex.chooser.value == "accord_personne" and ex.form.values() == {"informed_consent": True}
    assert _share(ex).startswith("03_secret_partage.ipynb?regle=accord_personne&date=")
    other = _explorer(kb, ("maladies_transmissibles", "art46bis1"), {"prosecutor_terror_request": "oui"})
    assert "prosecutor_terror_request" not in other.form.controls
    assert other.pending == {"prosecutor_terror_request": True} and other.form.values() == {}
    other.chooser.value = "art46bis1"
    assert other.form.values() == {"prosecutor_terror_request": True} and other.pending == {}


def test_a_case_wins_over_a_rule_it_is_not_about(kb, cases):
    pids = ("secret_partage", "accord_personne")
    about = {e.provision for e in cases[CASE].expected}
    assert "secret_partage" in about and "accord_personne" not in about
    ex = _explorer(kb, pids, {"cas": CASE, "regle": "accord_personne"})
    assert ex.chooser.value == "secret_partage" and ex.picker.value == CASE
    assert "ne porte pas sur la règle « accord_personne »" in ex.widget.children[0].value


def test_the_page_problems_are_shown_too(kb, monkeypatch):
    monkeypatch.setattr(page, "query", lambda: {"informed_consent": "oui"})
    monkeypatch.setattr(page, "problems", lambda: ["paramètre « x » répété"])
    chosen = ui.cases_for("secret_partage")
    ex = Explorer(kb, "secret_partage", chosen, notebook="")
    assert ex.form.values() == {"informed_consent": True}
    assert "paramètre « x » répété" in ex.widget.children[0].value


# --- the navigator ------------------------------------------------------------------------------

def test_the_navigator_follows_a_theme_and_skips_answered_questions(kb):
    nav = Navigator(kb, dt.date(2026, 11, 1))
    plain = Navigator(kb, dt.date(2026, 11, 1))
    plain.choose_theme("parole")
    first, _ = plain.current()
    assert first == "forum"  # what happened and to whom comes first
    nav.follow({"sujet": "parole", first: "police", "date": "2018-05-01"})
    assert nav.scope == plain.scope and nav.facts[first] == "police"
    assert nav.date.value == dt.date(2018, 5, 1)
    assert nav.current()[0] != first and "Question 1 :" in nav.question.value
    assert nav.notice.value == ""


def test_the_navigator_follows_a_case_to_its_synthesis(kb, cases):
    nav = Navigator(kb)
    nav.follow({"cas": CASE, "sujet": "partage"}, cases)
    assert nav.date.value == cases[CASE].situation.date
    while (nxt := nav.current()) is not None:
        nav.answer(nxt[0], "?")
    assert "Synthèse" in nav.question.value and "cb-synthesis" in nav.summary.value


def test_the_navigator_without_a_theme_waits_on_the_first_question(kb):
    nav = Navigator(kb)
    nav.follow({"informed_consent": "oui", "sujet": SCRIPT, "forum": "x"})
    assert "Que se passe" in nav.question.value and nav.facts == {"informed_consent": True}
    assert "sujet « &lt;script&gt;" in nav.notice.value and "<script" not in nav.notice.value
    nav.choose_theme("partage")
    assert nav.current()[0] != "informed_consent"


def test_follow_link_reads_the_page_once_the_navigators_are_built(kb, monkeypatch):
    monkeypatch.setattr(page, "query", lambda: {"sujet": "danger"})
    monkeypatch.setattr(page, "problems", lambda: [])
    monkeypatch.setattr(ui, "_navigators", [])
    ui.navigator()
    assert ui._navigators[0].scope is None
    assert ui.follow_link().value == ""  # the student view: no instructor bar
    assert ui._navigators[0].scope is not None and "Question 1" in ui._navigators[0].question.value


def test_in_a_preheated_kernel_the_link_is_awaited_without_blocking_the_cell(kb, monkeypatch):
    """The pool's kernel runs the notebook long before a browser asks: the cell must return at
    once (Voilà's executor would time it out), and the link applies when the request comes."""
    arrived = threading.Event()

    def query():
        arrived.wait(10)
        return {"sujet": "danger", "mode": "enseignant"}

    monkeypatch.setattr(page, "waits_for_request", lambda: True)
    monkeypatch.setattr(page, "query", query)
    monkeypatch.setattr(page, "mode", lambda: "enseignant")
    monkeypatch.setattr(page, "problems", lambda: [])
    monkeypatch.setattr(ui, "_navigators", [])
    ui.navigator()
    pane = ui.follow_link()
    assert ui._navigators[0].scope is None and pane.value == ""
    arrived.set()
    deadline = time.monotonic() + 10
    while not pane.value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Vue enseignant" in pane.value
    assert ui._navigators[0].scope is not None


def test_the_situation_of_a_link_is_a_situation_of_the_engine(kb, cases):
    linked = _linked(kb, f"cas={CASE}", cases)
    assert Situation(linked.facts, linked.date) == cases[CASE].situation

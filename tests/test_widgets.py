"""Widget callbacks driven from Python, without a browser: set values, click, read the verdict."""

from __future__ import annotations

import contextlib
import datetime as dt
from html import escape

import pytest
from traitlets import TraitError

import casebook
from casebook.interface import ui
from casebook.interface.blocks.widgets import UNKNOWN, FactForm
from casebook.interface.pages.exercise import PredictExercise
from casebook.interface.pages.explorer import Explorer
from casebook.interface.pages.navigator import Navigator

DATE = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def kb():
    return casebook.load()


def _answer(form: FactForm, **answers: str) -> None:
    for fid, value in answers.items():
        form.controls[fid].value = value


def _outcome(html: str) -> str:
    return html.split('data-outcome="', 1)[1].split('"', 1)[0]


def test_fact_form_offers_only_the_provisions_facts_with_unknown_first(kb):
    form = FactForm(kb, kb.facts_of("secret_partage"), lambda: None)
    assert set(form.controls) == set(kb.facts_of("secret_partage"))
    assert form.values() == {}
    assert form.controls["informed_consent"].value == UNKNOWN


def test_judgement_facts_are_marked_in_the_form(kb):
    form = FactForm(kb, ("grave_imminent_danger", "danger_timing"), lambda: None)
    labels = [child.value for child in form.widget.children if "cb-question" in getattr(child, "value", "")]
    assert "votre appréciation" in labels[0]
    assert "votre appréciation" not in labels[1]


def test_explorer_verdict_follows_the_answers(kb):
    ex = Explorer(kb, "secret_partage")
    ex.date.value = DATE
    assert _outcome(ex.card.value) == "non_applicable"  # no sharing described: none to examine
    assert "cb-moot" not in ex.form.controls["sharing_planned"]._dom_classes  # describing one matters
    _answer(ex.form, sharing_planned="oui")
    assert _outcome(ex.card.value) == "indetermine"
    _answer(ex.form, necessary_confidant="oui", learned_in_function="oui", sharing_planned="oui",
            recipient_bound="oui", same_mission="oui", informed_consent="oui", only_necessary="oui",
            in_person_interest="oui")
    assert _outcome(ex.card.value) == "faculte_de_partager"
    ex.form.controls["informed_consent"].value = "non"
    assert _outcome(ex.card.value) == "obligation_de_se_taire"
    assert "accord éclairé" in ex.whatif.value
    assert "non remplie" in ex.trace.value


def test_explorer_asks_only_questions_that_can_change_the_answer(kb):
    ex = Explorer(kb, "art29_cic")
    ex.date.value = DATE
    moot = {fid for fid, c in ex.form.controls.items() if "cb-moot" in c._dom_classes}
    assert "knows_crime" not in moot  # still decisive while nobody is known to be bound
    _answer(ex.form, necessary_confidant="oui", learned_in_function="oui", public_agent="oui")
    assert _outcome(ex.card.value) == "non_applicable"  # the secret prevails over art. 29
    control, question = ex.form.controls["knows_crime"], ex.form.questions["knows_crime"]
    assert "cb-moot" in control._dom_classes and "cb-moot" in question._dom_classes
    assert "cb-moot" not in ex.form.controls["public_agent"]._dom_classes  # answered: stays
    ex.form.controls["necessary_confidant"].value = "non"
    assert "cb-moot" not in ex.form.controls["knows_crime"]._dom_classes


def test_explorer_date_changes_the_version_applied(kb):
    ex = Explorer(kb, "art458")
    _answer(ex.form, necessary_confidant="oui", learned_in_function="oui")
    ex.date.value = dt.date(2016, 5, 1)
    assert "jusqu&#x27;au 02/08/2017" in ex.card.value
    ex.date.value = dt.date(2018, 5, 1)
    assert "du 03/08/2017 au 07/04/2026" in ex.card.value


def test_scenario_picker_loads_facts_and_date(kb):
    case = next(s for s in ui.scenarios() if any(e.provision == "secret_partage"
                                                          for e in s.expected))
    ex = Explorer(kb, "secret_partage", [case])
    ex.picker.value = case.id
    assert ex.date.value == case.situation.date
    expected = next(e for e in case.expected if e.provision == "secret_partage")
    assert _outcome(ex.card.value) == expected.outcome
    assert case.narrative[:20].replace("'", "&#x27;") in ex.narrative.value


def _comm_update(widget, **state) -> None:
    """What the kernel does with a comm message from the browser: a refused value raises inside
    the handler, and the kernel's comm manager logs it and carries on."""
    msg = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    with contextlib.suppress(TraitError):
        widget._handle_msg(msg)


def test_forged_comm_values_are_refused_and_state_kept(kb):
    calls = []
    form = FactForm(kb, ("informed_consent", "forum"), lambda: calls.append(1))
    form.controls["informed_consent"].value = "oui"
    assert calls == [1]
    _comm_update(form.controls["informed_consent"], index=99)
    _comm_update(form.controls["forum"], index=-5)
    _comm_update(form.controls["forum"], value="<img src=x onerror=alert(1)>")
    assert form.values() == {"informed_consent": True}
    assert calls == [1]
    _comm_update(form.controls["forum"], index=4)
    assert form.values()["forum"] == "police"


def test_callback_guard_refuses_values_the_fact_does_not_allow(kb):
    form = FactForm(kb, ("informed_consent",), lambda: None)
    control = form.controls["informed_consent"]
    form._changed({"owner": control, "new": "peut-être", "old": "oui"})
    assert "Valeur refusée" in form.message.value


def test_predict_exercise_gives_targeted_feedback(kb):
    case = next(s for s in ui.scenarios()
                if any(e.provision == "secret_partage" and e.outcome == "obligation_de_se_taire"
                       for e in s.expected))
    ex = PredictExercise(kb, case, "secret_partage")
    assert ex.button.disabled
    ex.choice.value = "faculte_de_partager"
    assert not ex.button.disabled
    ex.button.click()
    assert 'data-feedback="ko"' in ex.result.value
    assert "condition manque" in ex.result.value
    ex.choice.value = "obligation_de_se_taire"
    ex.button.click()
    assert 'data-feedback="ok"' in ex.result.value
    assert "condition est décisive" in ex.result.value


def test_predict_exercise_holds_its_case_back_until_an_answer_is_checked(kb):
    case = ui.exercise_case("secret_partage")
    ex = PredictExercise(kb, case, "secret_partage")
    rule = f'.cb-case[data-case="{case.id}"] .cb-reveal{{display:none}}'
    assert rule in ex.result.value and "cb-card" not in ex.result.value
    assert "Réponse attendue" not in ex.widget.children[0].value
    ex.reveal()  # no choice yet: still held back
    assert rule in ex.result.value and "Choisissez d'abord" in ex.result.value
    ex.choice.value = "non_applicable"
    ex.button.click()
    assert rule not in ex.result.value and "cb-card" in ex.result.value
    ex.choice.value = "faculte_de_partager"
    ex.reveal()
    assert "cb-held" not in ex.result.value


def test_predict_exercise_in_the_instructor_view_shows_the_expected_answer_at_once(kb):
    case = ui.exercise_case("secret_partage")
    ex = PredictExercise(kb, case, "secret_partage", "enseignant")
    intro = ex.widget.children[0].value
    assert "<b>Réponse attendue</b>" in intro and escape(case.teaching_notes) in intro
    assert ex.result.value == ""


def test_navigator_asks_only_useful_questions_and_concludes(kb):
    nav = Navigator(kb, DATE)
    assert "Que se passe" in nav.question.value
    nav.choose_theme("parole")
    asked = []
    script = {"necessary_confidant": "oui", "learned_in_function": "oui", "forum": "police",
              "profession": "educateur"}
    while (nxt := nav.current()) is not None:
        fid, _ = nxt
        asked.append(fid)
        assert fid in script, f"unexpected question {fid}"
        nav.answer(fid, script[fid])
    assert "Synthèse" in nav.question.value
    assert "tenu(e) au secret" in nav.summary.value
    assert "summoned_under_oath" not in asked  # police: the oath cannot change the answer
    assert asked[0] == "forum"  # what happened and to whom, first
    assert "necessary_confidant" not in asked  # an educator: the job decides who is bound


def test_navigator_ends_with_what_to_do_and_the_reasons_one_click_away(kb):
    nav = Navigator(kb, DATE)
    nav.choose_theme("parole")
    nav.answer("forum", "police")
    while (nxt := nav.current()) is not None:
        fid, _ = nxt
        value = {"profession": "assistant_social", "learned_in_function": "oui"}.get(fid, UNKNOWN)
        nav.answer(fid, value)
    summary = nav.summary.value
    todo, reasons = summary.split('<details class="cb-reasons">')
    assert "Que faire maintenant ?" in todo and escape("Vous gardez l'information pour vous") in todo
    for heading in ("Qui contacter", "Ce que vous pouvez dire", "Ce que vous ne dites pas",
                    "Ce que vous notez"):
        assert heading in todo
    assert reasons.startswith("<summary>Pourquoi ? Les raisons juridiques</summary>")
    assert "cb-card" in reasons and "cb-card" not in todo
    assert "Ne s'appliquent pas ici" in reasons and "<b>Témoignage en justice</b> : " in reasons
    assert "ne changeraient pas cette réponse" not in summary  # no engine phrasing on a card
    assert "Même si cette disposition s'appliquait" not in summary


def test_navigator_asks_what_happened_before_your_own_appreciation(kb):
    nav = Navigator(kb, DATE)
    nav.choose_theme("danger")
    asked = []
    while (nxt := nav.current()) is not None:
        fid, _ = nxt
        asked.append(fid)
        nav.answer(fid, UNKNOWN)
    judged = [i for i, f in enumerate(asked) if kb.facts[f].judgement]
    plain = [i for i, f in enumerate(asked) if not kb.facts[f].judgement]
    assert judged and plain and max(plain) < min(judged)
    assert asked[:2] == ["offence_status", "victim"]


def test_navigator_offers_stagiaire_where_the_job_leaves_who_is_bound_open(kb):
    nav = Navigator(kb, DATE)
    nav.choose_theme("partage")
    nav.answer("recipient_bound", "oui")
    while (nxt := nav.current()) is not None and nxt[0] != "capacity":
        nav.answer(nxt[0], "autre" if nxt[0] == "profession" else UNKNOWN)
    assert nxt is not None and nxt[0] == "capacity"
    labels = [b.description for b in nav.answers.children]
    assert "stagiaire" in labels


def test_navigator_refuses_unknown_answers_and_themes(kb):
    nav = Navigator(kb, DATE)
    nav.choose_theme("pirate")
    assert "Choix refusé" in nav.why.value
    nav.choose_theme("partage")
    fid, _ = nav.current()
    nav.answer(fid, "<script>")
    assert "Réponse refusée" in nav.why.value
    nav.answer("no_such_fact", "oui")
    assert "Réponse refusée" in nav.why.value


def test_navigator_undo_and_skip(kb):
    nav = Navigator(kb, DATE)
    nav.choose_theme("partage")
    first, _ = nav.current()
    nav.answer(first, UNKNOWN)
    assert first in nav.skipped
    second, _ = nav.current()
    assert second != first
    nav.undo()
    assert nav.current()[0] == first
    nav.undo()
    assert "Que se passe" in nav.question.value


def test_case_title_is_shown_as_text_and_never_rewritten(kb):
    ex = Explorer(kb, "art458")
    payload = "<img src=x onerror=alert(1)>"
    ex.title.value = payload
    assert "&lt;img src=x onerror=alert(1)&gt;" in ex.card.value
    assert "<img" not in ex.card.value
    assert ex.title.value == payload
    ex.title.value = "x" * 201
    assert "Titre trop long" in ex.card.value
    assert ex.title.value == "x" * 201


def test_explorer_over_several_provisions_switches_and_keeps_answers(kb):
    ex = Explorer(kb, ("art29_cic", "art30_cic"), ui.scenarios())
    assert "cb-explorer-art30_cic" in ex.widget._dom_classes
    _answer(ex.form, necessary_confidant="non", public_agent="oui", knows_crime="oui",
            learned_in_function="oui", sector="autre")  # no sector law binds this official
    assert _outcome(ex.card.value) == "obligation_de_communiquer"
    ex.chooser.value = "art30_cic"
    assert ex.pid == "art30_cic" and set(ex.form.controls) == set(kb.facts_of("art30_cic"))
    assert ex.form.values()["necessary_confidant"] is False
    picked = [v for _, v in ex.picker.options if v]
    assert picked and all(any(e.provision == "art30_cic" for e in ex.scenarios[v].expected) for v in picked)
    ex.form.controls["witnessed_attack"].value = "oui"
    assert _outcome(ex.card.value) == "obligation_de_communiquer"
    _comm_update(ex.chooser, index=7)
    assert ex.pid == "art30_cic"


def test_widgets_carry_the_hooks_the_page_script_gives_to_assistive_technology(kb):
    """a11y.js names each control by the `.cb-ask` before it, describes it by its `.cb-help`,
    announces `.cb-live` and moves the focus to the heading of a changed `.cb-focus`."""
    form = FactForm(kb, ("necessary_confidant",), lambda: None)
    question = form.questions["necessary_confidant"].value
    assert '<span class="cb-ask"><b>' in question and '<small class="cb-help">' in question
    assert "cb-live" in Explorer(kb, "art458").card._dom_classes
    nav = Navigator(kb, DATE)
    assert nav.question.value.startswith('<h2 class="cb-ask">')
    assert "cb-focus" in nav.question._dom_classes and "cb-live" in nav.summary._dom_classes
    assert "cb-choices" in nav.answers._dom_classes
    case = next(s for s in ui.scenarios() if any(e.provision == "art458" for e in s.expected))
    ex = PredictExercise(kb, case, "art458")
    assert {"cb-live", "cb-focus"} <= set(ex.result._dom_classes)
    ex.choice.value = "non_applicable"
    ex.button.click()
    assert ex.result.value.startswith('<h4 class="cb-')
    assert '<h4 class="cb-outcome">' in ex.result.value and '<h4 class="cb-trace-title">' in ex.result.value


def test_a_live_pane_gives_the_line_a_screen_reader_says_when_it_changes(kb):
    """One short hidden line per change (a11y.js reads it into the announcer): the explorer's
    verdict and provision; the navigator's synthesis sentence."""
    ex = Explorer(kb, "art458", query={}, notebook="")
    line = '<span class="cb-announce-text" hidden>? Indéterminé — Art. 458 CP</span>'
    assert line in ex.card.value and ex.card.value.count("cb-announce-text") == 1
    ex.form.controls["necessary_confidant"].value = "oui"
    ex.form.controls["learned_in_function"].value = "oui"
    said = '<span class="cb-announce-text" hidden>⊘ Obligation de se taire — Art. 458 CP</span>'
    assert said in ex.card.value
    nav = Navigator(kb, DATE)
    nav.choose_theme("parole")
    nav.conclude()
    assert nav.summary.value.startswith('<span class="cb-announce-text" hidden>')
    assert nav.summary.value.count("cb-announce-text") == 1  # the cards below say nothing


def _debated_cases() -> list:
    """One param per worked case that expects a debated answer (read when tests are collected)."""
    return [pytest.param(sc, e.provision, id=f"{sc.id}-{e.provision}")
            for sc in ui.scenarios() for e in sc.expected if e.debated]


@pytest.mark.parametrize(("case", "pid"), _debated_cases())
def test_the_explorer_shows_every_reading_of_a_debate_with_its_source(kb, case, pid):
    readings = casebook.evaluate_one(kb, case.situation, pid).debate
    assert len(readings) >= 2
    ex = Explorer(kb, pid, [case], query={"cas": case.id}, notebook="")
    card = ex.card.value
    assert "question débattue" in card
    for r in readings:
        assert escape(r.reading) in card and escape(r.source) in card, r.reading


def test_the_navigator_says_question_debattue_on_a_debated_verdict(kb):
    case = next(s for s in ui.scenarios() if s.id == "rd-victime-adulte-refuse-signalement")
    nav = Navigator(kb, DATE)
    nav.follow({"cas": case.id}, {case.id: case})
    nav.conclude()
    summary = nav.summary.value
    assert "Synthèse" in nav.question.value and "question débattue" in summary
    readings = casebook.evaluate_one(kb, case.situation, "infraction_sur_le_client").debate
    assert all(escape(r.source) in summary for r in readings)

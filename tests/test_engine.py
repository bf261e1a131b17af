"""casebook.law.engine on the real knowledge base: base rules and exceptions, unknown facts, dated
versions, annulment, situation checks and next questions."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from casebook import DataErrors, Situation, evaluate, evaluate_one, next_questions
from casebook.law.engine import _explain, check_situation

D2020 = dt.date(2020, 5, 4)
BOUND = {"necessary_confidant": True, "learned_in_function": True}
FIVE = ("recipient_bound", "same_mission", "informed_consent", "only_necessary", "in_person_interest")
SHARING = {**BOUND, "sharing_planned": True, **dict.fromkeys(FIVE, True), "sector": "autre"}


def at(date: dt.date = D2020, **facts) -> Situation:
    return Situation(facts, date)


# --- base rule and exceptions ----------------------------------------------------------------
def test_base_rule(kb):
    v = evaluate_one(kb, at(**BOUND), "art458")
    assert v.outcome == "obligation_de_se_taire"
    assert v.branch == "base"
    assert v.branch_label == "Règle de base"
    assert v.version is not None and v.version.id == "art458-2017"
    assert v.unknown == () and v.conflict == ()
    assert dict(v.limits)["extent"].startswith("pour la vie entière")
    assert v.trace[0].label == "Champ d'application"
    assert v.trace[0].value is True
    assert v.trace[0].cite == v.version.citation


def test_exception_wins_over_the_base_rule(kb):
    v = evaluate_one(kb, at(**SHARING), "secret_partage")
    assert v.outcome == "faculte_de_partager"
    assert v.branch == "cinq_conditions"
    assert set(dict(v.limits)) == {"to_whom", "content", "extent"}
    exception_nodes = [n for n in v.trace if n.label.startswith("Exception : ")]
    assert [n.value for n in exception_nodes].count(True) == 1  # the other exception is not met
    assert len(exception_nodes) == len(v.version.rule.exceptions)


@pytest.mark.parametrize("missing", FIVE)
def test_one_missing_condition_falls_back_to_the_base_rule(kb, missing):
    v = evaluate_one(kb, at(**{**SHARING, missing: False}), "secret_partage")
    assert v.outcome == "obligation_de_se_taire"
    assert v.branch == "base"
    assert v.unknown == ()


def test_scope_not_met_is_non_applicable_with_the_rules_text(kb):
    v = evaluate_one(kb, at(**{**SHARING, "sharing_planned": False}), "secret_partage")
    assert v.outcome == "non_applicable"
    assert v.branch == "non_applicable"
    assert v.version is not None
    assert v.explanation == v.version.rule.not_applicable
    assert v.limits == ()


def test_provision_read_through_another_provision(kb):
    common = {"content": "faits", "profession": "assistant_social", "forum": "personne"}
    shared = evaluate(kb, at(**SHARING, **common))
    assert shared["secret_partage"].outcome == "faculte_de_partager"
    assert shared["ufas_deontologie"].outcome == "faculte_de_partager"
    refused = evaluate(kb, at(**{**SHARING, "informed_consent": False}, **common))
    assert refused["ufas_deontologie"].outcome == "obligation_de_se_taire"


def test_remarks_add_teaching_points_without_changing_the_outcome(kb):
    plain = evaluate_one(kb, at(**BOUND), "art458")
    remarked = evaluate_one(kb, at(**BOUND, public_knowledge=True, person_deceased=True), "art458")
    assert plain.remarks == ()
    assert remarked.outcome == plain.outcome
    assert len(remarked.remarks) == 2
    assert any("notoriété publique" in r for r in remarked.remarks)
    assert any("décès" in r for r in remarked.remarks)


def test_judgement_conditions_are_flagged_in_the_trace(kb):
    v = evaluate_one(kb, at(**BOUND), "etat_de_necessite")
    flagged = {n.fact for n in _walk(v.trace) if n.judgement}
    assert "grave_imminent_danger" in flagged
    assert all(kb.facts[f].judgement for f in flagged)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


# --- unknown facts ---------------------------------------------------------------------------
def test_unknown_facts_give_indetermine_with_the_deciding_facts(kb):
    v = evaluate_one(kb, at(), "art458")
    assert v.outcome == "indetermine"
    assert v.branch == "indetermine"
    # who is bound is asked through the job (the law decides it from the job), then, where the
    # job leaves it open, as the professional's own judgement: a derived fact comes after its inputs
    assert v.unknown == ("capacity", "profession", "works_with_bound", "necessary_confidant",
                         "learned_in_function")
    for fid in v.unknown:
        assert kb.facts[fid].question in v.explanation
    assert v.explanation.startswith("La réponse dépend de faits encore inconnus")


def test_only_the_facts_that_matter_are_listed(kb):
    v = evaluate_one(kb, at(necessary_confidant=False), "art458")
    assert v.outcome == "non_applicable"
    assert v.unknown == ()
    v = evaluate_one(kb, at(necessary_confidant=True), "art458")
    assert v.unknown == ("learned_in_function",)


def test_one_unknown_exception_condition(kb):
    facts = {**SHARING}
    del facts["informed_consent"]
    v = evaluate_one(kb, at(**facts), "secret_partage")
    assert v.outcome == "indetermine"
    assert v.unknown == ("informed_consent",)
    assert v.version is not None


def test_a_false_condition_settles_the_exception_despite_unknowns(kb):
    facts = {**BOUND, "sharing_planned": True, "informed_consent": False}
    v = evaluate_one(kb, at(**facts), "secret_partage")
    assert v.outcome == "obligation_de_se_taire"
    assert v.unknown == ()


def test_unknowns_propagate_through_referenced_provisions(kb):
    v = evaluate_one(kb, at(sharing_planned=True), "secret_partage")
    assert v.outcome == "indetermine"
    # every fact whose answer can still change the outcome: art. 458's and the five conditions
    assert {"necessary_confidant", "learned_in_function"} <= set(v.unknown)
    assert set(v.unknown) <= set(kb.facts_of("secret_partage"))
    v = evaluate_one(kb, at(), "secret_partage")  # a situation that describes no sharing has none
    assert v.outcome == "non_applicable" and v.unknown == ()
    v = evaluate_one(kb, at(sharing_planned=False), "secret_partage")
    assert v.outcome == "non_applicable"
    assert v.unknown == ()


# --- dates, versions and annulment -----------------------------------------------------------
@pytest.mark.parametrize(("date", "version"), [
    (dt.date(1995, 1, 1), "art458-1867"),
    (dt.date(2017, 8, 2), "art458-1867"),
    (dt.date(2017, 8, 3), "art458-2017"),
    (dt.date(2026, 4, 7), "art458-2017"),
    (dt.date(2026, 4, 8), "art458-2026"),
])
def test_version_in_force_at_the_date_of_the_facts(kb, date, version):
    v = evaluate_one(kb, at(date, **BOUND), "art458")
    assert v.version is not None
    assert v.version.id == version
    assert v.version.in_force(date)


@pytest.mark.parametrize("date", [dt.date(2017, 9, 1), dt.date(2018, 6, 1), dt.date(2030, 12, 31)])
def test_annulled_version_is_non_applicable_and_says_so(kb, date):
    facts = {"social_security_institution": True, "terror_indications": True}
    v = evaluate_one(kb, at(date, **facts), "art46bis1_p3")
    assert v.outcome == "non_applicable"
    assert v.version is None
    assert v.branch == "hors_vigueur"
    assert "Annulé par" in v.explanation
    assert "44/2019" in v.explanation
    assert "14/03/2019" in v.explanation
    assert "n'avoir jamais existé" in v.explanation


def test_annulled_provision_before_its_start_has_no_version(kb):
    v = evaluate_one(kb, at(dt.date(2016, 1, 1)), "art46bis1_p3")
    assert v.outcome == "non_applicable"
    assert v.version is None
    assert "Annulé" not in v.explanation
    assert "Aucune version" in v.explanation


def test_date_before_first_version_is_non_applicable(kb):
    v = evaluate_one(kb, at(dt.date(2000, 1, 1)), "maladies_transmissibles")
    assert v.outcome == "non_applicable"
    assert v.version is None
    assert v.explanation == "Aucune version de cette disposition n'est en vigueur le 01/01/2000."
    later = evaluate_one(kb, at(dt.date(2002, 10, 26)), "maladies_transmissibles")
    assert later.version is not None and later.version.id == "maladies-2002"


def test_every_provision_is_non_applicable_the_day_before_it_starts(kb):
    checked = 0
    for pid, p in kb.provisions.items():
        starts = [v.valid_from for v in p.versions if v.annulment is None]
        if not starts or None in starts:
            continue
        first = min(starts)
        if first <= dt.date(1990, 1, 1):
            continue
        v = evaluate_one(kb, at(first - dt.timedelta(days=1)), pid)
        assert (v.outcome, v.version) == ("non_applicable", None), pid
        checked += 1
    assert checked >= 5


# --- checking the situation ------------------------------------------------------------------
def _messages(exc: DataErrors) -> list[str]:
    return [e.message for e in exc.errors]


def test_unknown_fact_is_rejected(kb):
    with pytest.raises(DataErrors) as info:
        evaluate(kb, at(consentement=True))
    (error,) = info.value.errors
    assert error.message == "fait inconnu « consentement »"
    assert error.place == "facts.consentement"
    assert error.file == "situation"


@pytest.mark.parametrize(("fid", "value", "words"), [
    ("informed_consent", "oui", "attendu : true ou false ; reçu : « oui »"),
    ("informed_consent", 1, "attendu : true ou false"),
    ("profession", "plombier", "valeurs permises : assistant_social"),
    ("forum", True, "valeur inconnue"),
])
def test_wrong_values_are_rejected(kb, fid, value, words):
    with pytest.raises(DataErrors) as info:
        evaluate_one(kb, at(**{fid: value}), "art458")
    (error,) = info.value.errors
    assert words in error.message
    assert error.place == f"facts.{fid}"


@pytest.mark.parametrize("date", [dt.date(1989, 12, 31), dt.date(2031, 1, 1), dt.date(1900, 1, 1)])
def test_dates_outside_the_horizon_are_rejected(kb, date):
    with pytest.raises(DataErrors) as info:
        evaluate(kb, at(date))
    (error,) = info.value.errors
    assert error.place == "date"
    assert "date hors de la période couverte (01/01/1990 – 31/12/2030)" in error.message


@pytest.mark.parametrize("date", [dt.date(1990, 1, 1), dt.date(2030, 12, 31)])
def test_horizon_bounds_are_included(kb, date):
    check_situation(kb, at(date))
    assert evaluate(kb, at(date)).verdicts


def test_every_problem_is_reported_at_once(kb):
    with pytest.raises(DataErrors) as info:
        check_situation(kb, at(dt.date(2040, 1, 1), foo=True, informed_consent="non"), where="cas X")
    errors = info.value.errors
    assert [e.place for e in errors] == ["facts.foo", "facts.informed_consent", "date"]
    assert all(e.file == "cas X" for e in errors)
    text = str(info.value)
    assert "fait inconnu « foo »" in text and "hors de la période couverte" in text


# --- evaluate / evaluate_one / Assessment ----------------------------------------------------
def test_evaluate_gives_every_provision_in_teaching_order(kb):
    a = evaluate(kb, at(**SHARING))
    assert list(a.verdicts) == list(kb.provisions)
    assert a["secret_partage"] is a.verdicts["secret_partage"]
    assert a.situation == at(**SHARING)


def test_evaluate_only_some_provisions(kb):
    a = evaluate(kb, at(**SHARING), only=("ufas_deontologie", "art458"))
    assert list(a.verdicts) == [p for p in kb.provisions if p in ("ufas_deontologie", "art458")]


def test_evaluate_one_agrees_with_evaluate(kb):
    situation = at(**SHARING, profession="assistant_social", content="faits")
    full = evaluate(kb, situation)
    for pid in kb.provisions:
        one = evaluate_one(kb, situation, pid)
        assert (one.outcome, one.branch, one.unknown) == (
            full[pid].outcome, full[pid].branch, full[pid].unknown)


@pytest.mark.parametrize(("incident", "outcome", "remarks"), [
    ("2007-01-01", "obligation_de_communiquer", ()),
    (dt.date(2005, 1, 1), "obligation_de_communiquer", ()),
    ("2004-12-31", "non_applicable", ("Faits anciens.",)),
])
def test_date_facts_as_strings_or_dates(minimal_kb, incident, outcome, remarks):
    # The real vocabulary has no date fact: the minimal fixture has one (incident_date).
    s = at(dt.date(2010, 1, 1), disease="coqueluche", role="medecin", incident_date=incident)
    v = evaluate_one(minimal_kb, s, "signalement")
    assert v.outcome == outcome
    assert v.remarks == remarks


def test_bad_date_fact_value_is_rejected(minimal_kb):
    with pytest.raises(DataErrors) as info:
        evaluate(minimal_kb, at(incident_date="2019-02-30"))
    assert "attendu : une date au format AAAA-MM-JJ ; reçu : « 2019-02-30 »" in str(info.value)


# --- Situation -------------------------------------------------------------------------------
def test_with_facts_adds_changes_and_removes():
    s = Situation({"a": True, "b": "x"}, D2020)
    t = s.with_facts(a=False, c=True, b=None)
    assert t.facts == {"a": False, "c": True}
    assert t.date == D2020
    assert s.facts == {"a": True, "b": "x"}  # the original is untouched
    assert s.with_facts(zzz=None).facts == s.facts


def test_situation_defaults_to_today_and_no_facts():
    s = Situation()
    assert s.facts == {}
    assert s.date == dt.date.today()


# --- next questions --------------------------------------------------------------------------
def test_next_questions_most_decisive_first(kb):
    a = evaluate(kb, at())
    questions = next_questions(kb, a)
    assert questions
    counts = [len(pids) for _, pids in questions]
    assert counts == sorted(counts, reverse=True)
    expected = {f for v in a.verdicts.values() for f in v.unknown}
    assert {f for f, _ in questions} == expected
    for fid, pids in questions:
        assert pids
        for pid in pids:
            assert fid in a[pid].unknown
    for (f1, p1), (f2, p2) in itertools.pairwise(questions):
        if len(p1) == len(p2):  # vocabulary order, a derived fact after those it comes from
            assert kb.fact_rank[f1] < kb.fact_rank[f2]


def test_next_questions_after_answers(kb):
    a = evaluate(kb, at(**SHARING))
    asked = {f for f, _ in next_questions(kb, a)}
    assert asked.isdisjoint(SHARING)
    a = evaluate(kb, at(necessary_confidant=True))
    assert next_questions(kb, a)[0][0] == "learned_in_function"


def test_next_questions_among_some_provisions(kb):
    a = evaluate(kb, at())
    questions = next_questions(kb, a, among=("secret_partage",))
    assert {f for f, _ in questions} == set(a["secret_partage"].unknown)
    assert all(pids == ["secret_partage"] for _, pids in questions)


def test_unverified_versions_say_what_their_reasoning_rests_on(kb):
    bound = {"necessary_confidant": True, "learned_in_function": True}
    v = evaluate_one(kb, Situation(bound, dt.date(2026, 11, 2)), "art458")
    assert v.version.id == "art458-2026" and v.version.carried_over_from == "art458-2017"
    assert v.explanation.endswith("ce raisonnement est repris de la version antérieure "
                                  "(art458-2017) en attendant la vérification du nouveau texte "
                                  "(à vérifier).")
    old = evaluate_one(kb, Situation(bound, dt.date(2020, 1, 1)), "art458")
    assert "non vérifié" not in old.explanation  # a version with a text says nothing of the kind
    for p in kb.provisions.values():
        for version in p.versions:
            said = _explain(version, "Réponse.")
            assert ("Texte de cette version non vérifié" in said) == (version.status == "unverified")


def test_exceptions_never_impose_silence(kb):
    for p in kb.provisions.values():
        if p.kind == "exception":
            for v in p.versions:
                outcomes = {b.outcome for b in (v.rule.base, *v.rule.exceptions)}
                assert "obligation_de_se_taire" not in outcomes, (p.id, v.id)


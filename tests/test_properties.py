"""Properties of the engine on random situations of the real knowledge base (Hypothesis, with
the deterministic "casebook" profile of conftest.py: derandomized, 200 examples)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import casebook
from casebook import Situation, evaluate, evaluate_one, next_questions, synthesize, what_if
from casebook.law.labels import OUTCOMES

KB = casebook.load()
FIVE = ("recipient_bound", "same_mission", "informed_consent", "only_necessary", "in_person_interest")
DEFINITE_ACTS = ("faculte_de_partager", "faculte_de_parler", "obligation_de_communiquer",
                 "obligation_d_agir")
START, END = dt.date(1990, 1, 1), dt.date(2030, 12, 31)


def _value(fact):
    if fact.type == "date":
        return st.dates(START, END)
    return st.sampled_from(fact.values())


def _leaning(fact):
    """An answer or None (unknown), leaning towards "yes" so that the rarer outcomes (which
    need many conditions at once, like the five of the shared secret) are reached often."""
    if fact.type == "bool":
        return st.sampled_from((True, True, True, False, None))
    if fact.type == "choice":
        return st.sampled_from((*fact.values(), None))
    return st.one_of(st.none(), st.dates(START, END))


_uniform = st.fixed_dictionaries({}, optional={fid: _value(f) for fid, f in KB.facts.items()})
_leaning_facts = st.fixed_dictionaries({fid: _leaning(f) for fid, f in KB.facts.items()}).map(
    lambda d: {k: v for k, v in d.items() if v is not None})
situations = st.builds(Situation, st.one_of(_uniform, _leaning_facts), st.dates(START, END))
provisions = st.sampled_from(list(KB.provisions))


@given(situations)
def test_any_valid_situation_is_answered_without_conflict(situation):
    assessment = evaluate(KB, situation)
    assert list(assessment.verdicts) == list(KB.provisions)
    for pid, v in assessment.verdicts.items():
        assert v.outcome in OUTCOMES
        assert v.conflict == (), f"{pid} : {v.explanation}"
        assert v.explanation.strip()
        if v.outcome == "indetermine":
            assert v.unknown, pid
            assert set(v.unknown) <= set(KB.facts_of(pid)), pid
            assert not set(v.unknown) & set(situation.facts), pid
        else:
            assert v.unknown == (), pid
    assert synthesize(KB, assessment)
    next_questions(KB, assessment)


@given(situations)
def test_shared_secret_only_with_all_five_conditions(situation):
    verdict = evaluate_one(KB, situation, "secret_partage")
    all_five = all(situation.facts.get(f) is True for f in FIVE)
    if verdict.outcome == "faculte_de_partager":
        assert all_five
        assert situation.facts.get("sharing_planned") is True
    bound = evaluate_one(KB, situation, "art458").outcome == "obligation_de_se_taire"
    if all_five and bound and situation.facts.get("sharing_planned") is True:
        assert verdict.outcome == "faculte_de_partager"


@given(situations)
def test_faculties_and_obligations_rest_on_known_facts_only(situation):
    """A faculty or an obligation to act is never granted on a guess.

    Exact property: such a verdict has no unknown fact, its scope ("Champ d'application") is
    known to hold, the exception it comes from is known to hold, and if it is the base rule,
    every exception is known not to hold. Other exceptions may stay unknown next to the one
    that holds: the loader checks that two exceptions can never hold together, so answering
    them cannot change the outcome (see the next property)."""
    for pid, v in evaluate(KB, situation).verdicts.items():
        if v.outcome not in DEFINITE_ACTS:
            continue
        assert v.unknown == (), pid
        assert v.version is not None
        scope, *exceptions = v.trace
        assert scope.label == "Champ d'application"
        if v.settled:  # decided because no answer to the facts still unknown could change it
            assert scope.value is not False, pid
            assert "ne changeraient pas cette réponse" in v.explanation, pid
            continue
        assert scope.value is True, pid
        if v.branch == "base":
            assert all(n.value is False for n in exceptions), pid
        else:
            held = [n for n in exceptions if n.value is True]
            assert len(held) == 1, pid
            label = next(e.label for e in v.version.rule.exceptions if e.id == v.branch)
            assert held[0].label == f"Exception : {label}"


@given(situations, provisions, st.data())
def test_a_known_answer_survives_any_further_answer(situation, pid, data):
    """Kleene logic is monotonic: answering a question that was still open can turn an unknown
    condition into true or false, never a true or false one into something else. So a verdict
    that is not "indetermine" keeps its outcome whatever value an unknown fact it reads gets."""
    verdict = evaluate_one(KB, situation, pid)
    if verdict.outcome == "indetermine":
        return
    facts = KB.complete(dict(situation.facts)).facts
    # still open: neither stated, nor decided by the law from the job, nor an act the situation
    # does not describe (which means there is none, not that it is unknown)
    open_facts = [f for f in KB.facts_of(pid) if f not in facts]
    if not open_facts:
        return
    fid = data.draw(st.sampled_from(open_facts), label="fait")
    for value in KB.facts[fid].values() or (data.draw(st.dates(START, END)),):
        after = evaluate_one(KB, situation.with_facts(**{fid: value}), pid)
        assert after.outcome == verdict.outcome, (pid, fid, value)


@given(situations)
def test_every_version_cited_is_in_force_at_the_date(situation):
    for pid, v in evaluate(KB, situation).verdicts.items():
        if v.version is None:
            assert v.outcome == "non_applicable"
            assert KB.provisions[pid].version_at(
                KB.provisions[pid].dated(dict(situation.facts), situation.date)) is None
        else:  # at the date of the facts, or of the fault where the provision is dated by it
            date = KB.provisions[pid].dated(dict(situation.facts), situation.date)
            assert v.version.in_force(date), (pid, v.version.id)
            assert v.version.provision == pid


@settings(max_examples=60)
@given(situations, provisions)
def test_what_if_never_repeats_the_current_outcome(situation, pid):
    current = evaluate_one(KB, situation, pid).outcome
    for w in what_if(KB, situation, pid):
        assert w.outcome != current
        assert evaluate_one(KB, situation.with_facts(**dict(w.changes)), pid).outcome == w.outcome


SHARING_FACTS = [fid for fid, f in KB.facts.items() if f.group == "partage"]
# every provision that imposes secrecy, except the rule of the shared secret itself, whose very
# subject is a sharing (its scope reads it: with no sharing it does not arise, art. 458 binds)
SECRETS = [pid for pid, p in KB.provisions.items() if p.kind == "secret"
           and not any(v.rule.applies_when.facts() & set(SHARING_FACTS) for v in p.versions)]


@given(situations, st.sampled_from(SECRETS))
def test_a_secret_never_waits_on_a_sharing_nobody_described(situation, pid):
    """Issue 20 §2: a provision that imposes secrecy binds whether or not a sharing is planned.
    Saying "no sharing" (or saying nothing of one) never turns its answer away from the secret,
    and never leaves it undecided on a sharing question."""
    before = evaluate_one(KB, situation, pid)
    quiet = Situation({k: v for k, v in situation.facts.items() if k not in SHARING_FACTS},
                      situation.date)
    for no_sharing in (quiet, quiet.with_facts(sharing_planned=False)):
        after = evaluate_one(KB, no_sharing, pid)
        assert not set(after.unknown) & set(SHARING_FACTS), (pid, after.unknown)
        if before.outcome == "obligation_de_se_taire":
            assert after.outcome == "obligation_de_se_taire", (pid, after.explanation)
        if after.outcome in DEFINITE_ACTS:  # a faculty never rests on a sharing not described
            assert KB.provisions[pid].facts().isdisjoint(SHARING_FACTS), pid


def _job_rows():
    table = KB.derivations["necessary_confidant"]
    return [row for row in table.rows if row.inputs]


@given(st.sampled_from(_job_rows()), st.dates(START, END))
def test_who_is_bound_agrees_with_the_source_table_for_every_job(row, date):
    """Issue 20 §4: the derived answer is the table's, for every job it lists, whatever else the
    situation says, and the trace says where it comes from."""
    facts = {"profession": "autre", **dict(row.inputs)}  # a row without a job: any other job
    completed = KB.complete(facts)
    expected = row.value
    if expected is None:  # the law leaves it open: asked as the professional's appreciation
        assert "necessary_confidant" not in completed.facts
        assert KB.to_ask("necessary_confidant", completed.facts) == ("necessary_confidant",)
        return
    assert completed.facts["necessary_confidant"] is expected
    assert row.basis in completed.notes["necessary_confidant"]
    verdict = evaluate_one(KB, Situation({**facts, "learned_in_function": True}, date), "art458")
    if verdict.version is not None:
        assert verdict.outcome == ("obligation_de_se_taire" if expected else "non_applicable")
        scope = verdict.trace[0]
        nodes = [n for n in scope.children if n.fact == "necessary_confidant"]
        assert nodes and nodes[0].note and not nodes[0].judgement


CASES = [s for s in __import__("casebook.interface.ui", fromlist=["scenarios"]).scenarios()]


@settings(max_examples=60)
@given(st.sampled_from([s for s in CASES if "profession" in s.situation.facts]))
def test_a_case_that_states_only_the_job_gets_the_verdicts_of_the_conclusion(case):
    """Stating the conclusion the job decides (necessary_confidant) next to the job changes no
    verdict: the worked cases were rewritten to state the job alone."""
    derived = KB.complete(dict(case.situation.facts)).facts.get("necessary_confidant")
    if derived is None or "necessary_confidant" in case.situation.facts:
        return
    pids = tuple(e.provision for e in case.expected)
    job_only = evaluate(KB, case.situation, pids)
    stated = evaluate(KB, case.situation.with_facts(necessary_confidant=derived), pids)
    for pid in pids:
        assert job_only[pid].outcome == stated[pid].outcome, (case.id, pid)

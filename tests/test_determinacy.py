"""casebook.law.determinacy: the engine decides whenever the missing facts cannot change the answer:
checked against a brute-force oracle on generated partial situations of the real knowledge
base, and on hand-made cases."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

import casebook
from casebook import Situation, evaluate, evaluate_one, next_questions
from casebook.law.determinacy import _settled_cache, clear_settled_cache

KB = casebook.load()
EXHAUSTIVE = 4096  # completions tried one by one; above, a fixed random sample
SAMPLE = 400
DATES = sorted({d for p in KB.provisions.values() for v in p.versions
                for d in (v.valid_from, v.valid_until) if d and d.year >= 1990}
               | {dt.date(2026, 11, 2)})


def _completions(situation: Situation, unknown: list[str]) -> tuple[list[dict], bool]:
    """Every answer to the `unknown` facts (True), or a fixed random sample of them (False). A
    fact the law derives from others is answered only where its table leaves it open (where
    the job decides it, it is never asked)."""
    derived = [f for f in unknown if f in KB.derivations]
    plain = [f for f in unknown if f not in KB.derivations]
    domains = [KB.facts[f].values() for f in plain]
    size = 1
    for d in domains:
        size *= len(d)
    if size <= EXHAUSTIVE:
        combos = list(itertools.product(*domains))
    else:
        rng = random.Random(f"{situation}")
        combos = [tuple(rng.choice(d) for d in domains) for _ in range(SAMPLE)]
    answers = [dict(zip(plain, c, strict=True)) for c in combos]
    for fid in derived:
        grown = []
        for a in answers:
            facts = KB.complete({**situation.facts, **a}).facts
            if KB.derivations[fid].resolve(facts).ask == (fid,):
                grown += [{**a, fid: v} for v in KB.facts[fid].values()]
            else:
                grown.append(a)
        answers = grown
    return answers, size <= EXHAUSTIVE


def _open(situation: Situation, pid: str) -> list[str]:
    """The facts a provision reads that the situation leaves unknown (an act it does not
    describe is no unknown: there is none)."""
    return [f for f in KB.facts_of(pid) if f not in situation.facts and f not in KB.unstated
            and KB.facts[f].type != "date"]  # a date answered only picks a version or a remark


def _outcome(situation: Situation, pid: str, answers: dict) -> str:
    return evaluate_one(KB, situation.with_facts(**answers), pid).outcome


@st.composite
def partial_situations(draw):
    pid = draw(st.sampled_from(list(KB.provisions)))
    facts = {}
    for fid in KB.facts_of(pid):
        value = draw(st.sampled_from((None, *KB.facts[fid].values())))
        if value is not None:
            facts[fid] = value
    return pid, Situation(facts, draw(st.sampled_from(DATES)))


@given(partial_situations())
def test_a_verdict_is_undetermined_only_when_some_completion_changes_it(case):
    pid, situation = case
    verdict = evaluate_one(KB, situation, pid)
    unknown = _open(situation, pid)
    outcomes = {}
    completions, exhaustive = _completions(situation, unknown)
    for answers in completions:
        outcomes.setdefault(_outcome(situation, pid, answers), answers)
    assert "indetermine" not in outcomes, "a complete situation is always decided"
    if verdict.outcome == "indetermine":
        assert verdict.unknown
        if exhaustive:
            assert len(outcomes) >= 2, f"{pid}: undetermined although every completion gives {outcomes}"
    else:
        assert set(outcomes) == {verdict.outcome}, (pid, verdict.outcome, outcomes)


@given(partial_situations())
def test_every_question_asked_can_change_the_answer(case):
    pid, situation = case
    verdict = evaluate_one(KB, situation, pid)
    for fid in verdict.unknown:
        others = [f for f in _open(situation, pid) if f != fid]
        completions, exhaustive = _completions(situation, others)
        witness = any(
            len({_outcome(situation, pid, {**answers, fid: v}) for v in KB.facts[fid].values()}) > 1
            for answers in completions)
        assert witness or not exhaustive, f"{pid}: « {fid} » asked but no answer to it changes anything"


def test_a_fact_that_cannot_matter_leaves_the_verdict_decided():
    # Art. 29 CIC gives way to the secret: whether a crime is known no longer matters.
    situation = Situation({"necessary_confidant": True, "learned_in_function": True,
                           "public_agent": True}, dt.date(2026, 11, 2))
    verdict = evaluate_one(KB, situation, "art29_cic")
    assert verdict.outcome == "non_applicable"
    assert "knows_crime" in verdict.settled
    assert "ne changeraient pas cette réponse" in verdict.explanation


def test_questions_are_only_those_that_can_change_some_answer():
    situation = Situation({"necessary_confidant": True, "learned_in_function": True},
                          dt.date(2026, 11, 2))
    asked = {fid for fid, _ in next_questions(KB, evaluate(KB, situation))}
    assert "knows_crime" not in asked  # art. 29 CIC is decided: the secret prevails
    assert "forum" not in asked  # a situation that describes no request has none to ask about
    assert "profession" in asked  # the professional codes still depend on the job


def test_the_search_branches_only_on_facts_the_rule_reads():
    situation = Situation({}, dt.date(2026, 11, 2))
    for pid in KB.provisions:
        verdict = evaluate_one(KB, situation, pid)
        assert set(verdict.unknown) <= set(KB.facts_of(pid)), pid


def test_a_settled_answer_explains_itself_and_raises_a_debate_only_where_it_arises():
    bound = {"necessary_confidant": True, "learned_in_function": True}
    nobody = evaluate_one(KB, Situation(bound, dt.date(2020, 5, 4)), "renseignement_art14")
    assert nobody.outcome == "non_applicable" and nobody.branch == "non_applicable"
    assert nobody.debate == ()  # nobody asked: the debate on the Sûreté's requests does not arise
    open_ = evaluate_one(KB, Situation({**bound, "intelligence_request": True}, dt.date(2020, 5, 4)),
                         "renseignement_art14")
    assert open_.outcome == "non_applicable" and open_.branch == "secret_prime"
    assert open_.explanation.startswith("Même si cette disposition s'appliquait")
    assert open_.debate == ()  # public agent or not, the secret prevails: no debate arises
    asked = evaluate_one(KB, Situation({**bound, "public_agent": True, "intelligence_request": True},
                                       dt.date(2020, 5, 4)), "renseignement_art14")
    assert asked.branch == "secret_prime" and len(asked.debate) >= 2


def test_a_settled_verdict_is_reused_only_where_every_fact_it_reads_agrees():
    clear_settled_cache()
    base = Situation({"necessary_confidant": True, "learned_in_function": True}, dt.date(2026, 11, 2))
    first = evaluate_one(KB, base, "art458bis")
    assert first.outcome == "indetermine"
    cache = _settled_cache(KB)
    assert len(cache.entries) >= 1
    assert evaluate_one(KB, base.with_facts(disease="gale"), "art458bis") is first  # not read
    other = evaluate_one(KB, base.with_facts(victim="adulte"), "art458bis")  # read: searched anew
    assert other is not first and other.outcome == "non_applicable"
    older = evaluate_one(KB, Situation(base.facts, dt.date(2020, 5, 4)), "art458bis")
    assert older is not first and older.version.id == "art458bis-2018"  # another version
    clear_settled_cache()
    assert len(cache.entries) == 0

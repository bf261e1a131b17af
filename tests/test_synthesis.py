"""casebook.law.synthesis: one French paragraph saying whether I am bound, what I must, may and must
not do, each claim naming the provision it comes from."""

from __future__ import annotations

import dataclasses
import datetime as dt

from casebook import Assessment, Situation, evaluate, next_questions, synthesize
from casebook.law.model import Reading
from casebook.law.synthesis import most_useful_question

D2020 = dt.date(2020, 5, 4)
BOUND = {"necessary_confidant": True, "learned_in_function": True}
FIVE = ("recipient_bound", "same_mission", "informed_consent", "only_necessary", "in_person_interest")
SHARING = {**BOUND, "sharing_planned": True, **dict.fromkeys(FIVE, True)}
SCHOOL = {"disease": "coqueluche", "disease_stage": "suspicion_clinique", "school_role": "direction"}


def paragraph(kb, **facts) -> str:
    return synthesize(kb, evaluate(kb, Situation(facts, D2020)))


BOUND_, FREE, MUST, MAY, NOTHING_ELSE, RISK = (
    "Vous êtes tenu(e) au secret", "Aucune disposition ne vous impose le silence", "Vous devez",
    "Vous pouvez", "ne révélez rien", "vous vous exposez à")
OPENERS = (BOUND_, FREE, MUST, MAY, "Hors de ces cas", "Ne révélez rien", "Pour la révélation",
           "disposition(s) restent")


def section(text: str, opener: str) -> str:
    """The part of the paragraph that starts with `opener`, up to the next part."""
    start = text.index(opener)
    ends = [text.find(o, start + len(opener)) for o in OPENERS]
    end = min([e for e in ends if e > start] or [len(text)])
    return text[start:end]


def test_bound_and_may_share(kb):
    text = paragraph(kb, **SHARING)
    assert text.startswith(BOUND_)
    assert kb.provisions["art458"].short in section(text, BOUND_)
    may = section(text, MAY)
    assert kb.provisions["secret_partage"].short in may
    assert "un intervenant tenu au secret" in may  # its limits: to whom
    assert "uniquement ce qui est nécessaire" in may  # and what
    assert NOTHING_ELSE in text.lower()
    assert text.index(MAY) < text.lower().index(NOTHING_ELSE)
    assert MUST not in text


def test_bound_without_any_faculty(kb):
    text = paragraph(kb, **{**SHARING, "informed_consent": False})
    assert text.startswith(BOUND_)
    bound = section(text, BOUND_)
    assert kb.provisions["art458"].short in bound
    assert kb.provisions["secret_partage"].short in bound
    assert NOTHING_ELSE in text.lower()
    assert MAY not in text and MUST not in text


def test_not_bound(kb):
    text = paragraph(kb, necessary_confidant=False, learned_in_function=False)
    assert text.startswith("Aucune disposition ne vous impose le silence dans cette situation, "
                           "d'après les faits connus.")
    assert NOTHING_ELSE not in text.lower()


def test_must_act_names_the_provision_and_its_limits(kb):
    assessment = evaluate(kb, Situation(SCHOOL, D2020))
    assert assessment["maladies_transmissibles"].outcome == "obligation_de_communiquer"
    text = synthesize(kb, assessment)
    must = section(text, MUST)
    assert kb.provisions["maladies_transmissibles"].short in must
    assert "l'équipe PSE et le médecin scolaire" in must
    assert "le cas signalé, sans plus" in must


def test_risks_name_the_penalty(kb):
    assessment = evaluate(kb, Situation({**BOUND, "disclosed_unjustified": True}, D2020))
    verdict = assessment["sanction_penale"]
    assert verdict.outcome == "sanction_encourue"
    text = synthesize(kb, assessment)
    assert f"{RISK} : {verdict.provision.short} ({verdict.penalty_text})" in text
    # the fine is the one of the date of the facts, with its décimes (×8 in 2020)
    assert "800 à 8 000 € avec les décimes (×8" in verdict.penalty_text


def test_fines_follow_the_date_of_the_disclosure_with_their_decimes(kb):
    risky = {**BOUND, "disclosed_unjustified": True}
    for when, fine in ((dt.date(2015, 6, 1), "600 à 3 000 €"), (dt.date(2026, 2, 15), "1 000 à 10 000 €")):
        verdict = evaluate(kb, Situation({**risky, "disclosure_date": when}, D2020))["sanction_penale"]
        assert fine in verdict.penalty_text and "pour des faits du" in verdict.penalty_text
    peril = evaluate(kb, Situation({"grave_peril": True}, dt.date(2026, 2, 15)))["art422bis"]
    assert "500 à 5 000 € avec les décimes (×10" in peril.penalty_text
    refusal = evaluate(kb, Situation({}, dt.date(2020, 5, 4)))["art46bis1"]
    assert refusal.penalty_text is None or "208 à 80 000 €" in refusal.penalty_text


def test_every_claim_names_its_provision(kb):
    for facts in (SHARING, {**SHARING, "informed_consent": False}, SCHOOL,
                  {**BOUND, "disclosed_unjustified": True}):
        assessment = evaluate(kb, Situation(facts, D2020))
        text = synthesize(kb, assessment)
        for v in assessment.verdicts.values():
            if v.provision.kind != "consequence" and v.outcome in (
                    "obligation_de_se_taire", "faculte_de_partager", "faculte_de_parler",
                    "obligation_de_communiquer", "obligation_d_agir"):
                assert v.provision.short in text, (facts, v.provision.id)


def test_undetermined_situation_mentions_the_most_useful_question(kb):
    assessment = evaluate(kb, Situation({}, D2020))
    text = synthesize(kb, assessment)
    open_ = [v for v in assessment.verdicts.values() if v.outcome == "indetermine"]
    best = most_useful_question(kb, assessment)
    assert f"{len(open_)} disposition(s) restent indéterminées faute de réponse" in text
    assert text.endswith(f"Question la plus utile maintenant : {kb.facts[best].question}")
    for v in open_:  # every undecided provision is named with the facts that decide it
        assert f"{v.provision.short} (selon : " in text


def test_partly_known_situation_asks_the_next_useful_question(kb):
    assessment = evaluate(kb, Situation(BOUND, D2020))
    best = next_questions(kb, assessment)[0][0]
    assert best not in BOUND
    assert kb.facts[best].question in synthesize(kb, assessment)


def test_a_conflict_does_not_break_the_synthesis(kb):
    """A verdict in conflict is undetermined without any unknown fact (two exceptions hold at
    once). The loader tries to rule this out, but the engine can produce it (see the date
    conflicts in test_knowledge.py): the paragraph must still be written."""
    base = evaluate(kb, Situation(SHARING, D2020))
    verdict = base["secret_partage"]
    conflict = dataclasses.replace(
        verdict, outcome="indetermine", branch="conflit", branch_label="Conflit",
        explanation="Conflit : plusieurs exceptions s'appliquent ensemble (a, b).", limits=(),
        unknown=(), conflict=("a", "b"))
    assessment = Assessment(base.situation, {"art458": base["art458"], "secret_partage": conflict})
    text = synthesize(kb, assessment)
    assert text.startswith(BOUND_)
    assert "Conflit entre exceptions (erreur dans les données) pour : Secret partagé." in text
    assert "restent indéterminées" not in text


def test_only_provisions_that_impose_secrecy_are_named_as_its_source(kb):
    # Asked by the police: testimony does not open; it is art. 458 that imposes silence.
    assessment = evaluate(kb, Situation({**BOUND, "forum": "police"}, D2020))
    assert assessment["temoignage"].outcome == "non_applicable"
    bound = section(synthesize(kb, assessment), BOUND_)
    assert kb.provisions["art458"].short in bound
    assert kb.provisions["temoignage"].short not in bound


def test_a_legal_exception_prevails_within_its_limits(kb):
    facts = {**SHARING, "informed_consent": False}  # the secret holds for sharing...
    assessment = evaluate(kb, Situation({**facts, "forum": "tribunal", "summoned_under_oath": True},
                                        D2020))
    assert assessment["temoignage"].outcome == "faculte_de_parler"  # ...but not before the court
    text = synthesize(kb, assessment)
    assert f"Ce qui prévaut : {kb.provisions['temoignage'].short} l'emporte sur le secret" in text
    assert "pour cet acte-là et pour rien d'autre" in text


def test_a_non_binding_text_alone_does_not_lift_a_binding_secret(kb):
    base = evaluate(kb, Situation({**BOUND, "content": "faits"}, D2020))
    ufas = base["ufas_deontologie"]
    assert ufas.version.binding_force == "non_contraignant"
    speaking = dataclasses.replace(ufas, outcome="faculte_de_parler", limits=())
    assessment = Assessment(base.situation, {"art458": base["art458"], "ufas_deontologie": speaking})
    text = synthesize(kb, assessment)
    assert MAY not in text  # not offered as a permission
    assert (f"{ufas.provision.short} ne repose que sur un texte non contraignant" in text
            and "le secret prévaut" in text)


def test_a_debated_answer_is_flagged(kb):
    base = evaluate(kb, Situation(SHARING, D2020))
    verdict = base["secret_partage"]
    reading = kb.provisions["secret_partage"].versions[0].rule.base
    debated = dataclasses.replace(verdict, debate=(
        Reading("Lecture stricte", "obligation_de_se_taire", "Source A", None),
        Reading("Lecture souple", "faculte_de_partager", "Source B", None)))
    assert reading.outcome == "obligation_de_se_taire"
    text = synthesize(kb, Assessment(base.situation, {"art458": base["art458"],
                                                      "secret_partage": debated}))
    assert "Question débattue en doctrine ou en jurisprudence pour : Secret partagé" in text


def test_the_most_useful_question_settles_the_most_undecided_verdicts(kb):
    """Review finding 15: a social worker, nothing else known. The question suggested is the one
    whose answer decides the most provisions still open, not « Avez-vous révélé… ? »."""
    situation = Situation({"profession": "assistant_social", "learned_in_function": True}, D2020)
    assessment = evaluate(kb, situation)
    best = most_useful_question(kb, assessment)
    open_ = [p for p, v in assessment.verdicts.items() if v.outcome == "indetermine"]

    def settles(fid):
        values = kb.facts[fid].values()
        return sum(evaluate(kb, situation.with_facts(**{fid: value}), tuple(open_))[p].outcome
                   != "indetermine" for value in values for p in open_) / len(values)

    assert settles(best) >= settles("disclosed_unjustified")
    assert best != "disclosed_unjustified"
    assert kb.facts[best].question in synthesize(kb, assessment)


def test_never_ne_revelez_rien_next_to_open_answers_without_what_decides_them(kb):
    situation = Situation({"profession": "assistant_social", "learned_in_function": True}, D2020)
    text = synthesize(kb, evaluate(kb, situation))
    assert "Ne révélez rien tant que les questions suivantes restent sans réponse" in text
    assert "Ne révélez rien." not in text
    assert "Sanction pénale (selon : " in text


def test_a_duty_of_discretion_is_never_called_professional_secrecy(kb):
    teacher = Situation({"profession": "enseignant", "learned_in_function": True, "sector": "enseignement",
                         "public_agent": True}, D2020)
    text = synthesize(kb, evaluate(kb, teacher))
    assert "Vous êtes tenu(e) à un devoir de discrétion (pas au secret professionnel) : " in text
    assert "Vous êtes tenu(e) au secret : Devoir de discrétion" not in text

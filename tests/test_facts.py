"""casebook.law.facts: checking, converting and describing the answers to each question, in French."""

from __future__ import annotations

import datetime as dt

import pytest

from casebook.law.facts import Fact, Option

BOOL = Fact("consent", "bool", "partage", "La personne est-elle d'accord ?", "La personne est d'accord",
            if_true="si la personne était d'accord", if_false="si la personne refusait")
CHOICE = Fact("role", "choice", "qui", "Quel est votre rôle ?", "Rôle", options=(
    Option("parent", "parent(e)", "si vous étiez parent"),
    Option("medecin", "médecin traitant", "si vous étiez médecin"),
))
DATE = Fact("when", "date", "quand", "Quand les faits ont-ils eu lieu ?", "Date des faits")


# --- check -----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [True, False])
def test_bool_accepts_booleans(value):
    assert BOOL.check(value) is None


@pytest.mark.parametrize("value", ["true", "oui", 1, 0, None, "2020-01-01"])
def test_bool_rejects_anything_else(value):
    assert BOOL.check(value) == "attendu : true ou false"


@pytest.mark.parametrize("value", ["parent", "medecin"])
def test_choice_accepts_its_options(value):
    assert CHOICE.check(value) is None


@pytest.mark.parametrize("value", ["Parent", "avocat", "", 1, True, None])
def test_choice_rejects_other_values_and_lists_the_allowed_ones(value):
    assert CHOICE.check(value) == "valeur inconnue ; valeurs permises : parent, medecin"


@pytest.mark.parametrize("value", [dt.date(2020, 2, 29), "2020-02-29", "1990-01-01"])
def test_date_accepts_dates_and_iso_strings(value):
    assert DATE.check(value) is None


@pytest.mark.parametrize("value", ["2019-02-30", "29/02/2020", "hier", 2020, True, None])
def test_date_rejects_impossible_or_badly_written_dates(value):
    assert DATE.check(value) == "attendu : une date au format AAAA-MM-JJ"


# --- coerce ----------------------------------------------------------------------------------
def test_coerce_turns_iso_strings_into_dates():
    assert DATE.coerce("2020-02-29") == dt.date(2020, 2, 29)
    assert DATE.coerce(dt.date(2020, 2, 29)) == dt.date(2020, 2, 29)


def test_coerce_leaves_other_types_alone():
    assert BOOL.coerce(True) is True
    assert BOOL.coerce(False) is False
    assert CHOICE.coerce("medecin") == "medecin"


# --- values / describe / if_clause -----------------------------------------------------------
def test_values():
    assert BOOL.values() == (True, False)
    assert CHOICE.values() == ("parent", "medecin")
    assert DATE.values() == ()


def test_option_lookup():
    assert CHOICE.option("medecin") == Option("medecin", "médecin traitant", "si vous étiez médecin")
    assert CHOICE.option("avocat") is None


def test_describe_in_french():
    assert BOOL.describe(True) == "oui"
    assert BOOL.describe(False) == "non"
    assert CHOICE.describe("medecin") == "médecin traitant"
    assert CHOICE.describe("inconnu") == "inconnu"
    assert DATE.describe(dt.date(2020, 5, 4)) == "04/05/2020"


def test_if_clause():
    assert BOOL.if_clause(True) == "si la personne était d'accord"
    assert BOOL.if_clause(False) == "si la personne refusait"
    assert CHOICE.if_clause("parent") == "si vous étiez parent"
    assert DATE.if_clause(dt.date(2020, 5, 4)) == (
        "si « Quand les faits ont-ils eu lieu ? » avait pour réponse : 04/05/2020")


# --- the real vocabulary ---------------------------------------------------------------------
def test_real_vocabulary_is_complete_french(kb):
    for fact in kb.facts.values():
        assert fact.question.strip() and fact.statement.strip()
        if fact.type == "bool":
            assert fact.if_true.startswith(("si ", "s'")), fact.id
            assert fact.if_false.startswith(("si ", "s'")), fact.id
        if fact.type == "choice":
            assert len(fact.options) >= 2, fact.id
            for opt in fact.options:
                assert fact.check(opt.value) is None
                assert opt.if_phrase.startswith(("si ", "s'")), (fact.id, opt.value)


def test_real_facts_know_which_provisions_read_them(kb):
    assert "secret_partage" in kb.facts["informed_consent"].used_by
    assert "art458" in kb.facts["necessary_confidant"].used_by
    for fact in kb.facts.values():
        for pid in fact.used_by:
            assert fact.id in kb.provisions[pid].facts()


def test_options_from_a_table(kb):
    disease = kb.facts["disease"]
    ids = tuple(kb.tables["diseases"]["id"])
    assert disease.values() == ids
    first = disease.options[0]
    assert first.label == kb.tables["diseases"]["name"][0]
    assert first.if_phrase == f"si la réponse était : {first.label.lower()}"

"""casebook.law.logic: three-valued (Kleene) conditions, their traces and the unknown facts that
would decide them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from casebook.law.facts import Fact, Option
from casebook.law.logic import (
    Combination,
    Context,
    FactCondition,
    ProvisionCondition,
    TraceNode,
    fact_label,
    provision_label,
)

CITE = "Loi fictive, art. 1er"


def bool_fact(fid: str, judgement: bool = False) -> Fact:
    return Fact(fid, "bool", "g", f"Question {fid} ?", f"Le fait {fid} est vrai", judgement=judgement,
                if_true=f"si {fid}", if_false=f"si non {fid}")


COLOUR = Fact("colour", "choice", "g", "Quelle couleur ?", "Couleur", options=(
    Option("rouge", "rouge vif", "si c'était rouge"),
    Option("vert", "vert pâle", "si c'était vert"),
    Option("bleu", "bleu nuit", "si c'était bleu"),
))
WHEN = Fact("when", "date", "g", "Quand ?", "Date des faits")


def leaf(fid: str, label: str | None = None, cite: str | None = None,
         judgement: bool = False) -> FactCondition:
    """A condition `fid is true` on a yes/no fact."""
    fact = bool_fact(fid, judgement)
    return FactCondition(label, cite, fact, "is", (True,), fact_label(fact, "is", (True,)))


def ctx(facts: dict | None = None, verdicts: dict | None = None) -> Context:
    verdicts = verdicts or {}
    return Context(facts or {}, lambda pid: verdicts[pid])


def facts_for(values: dict[str, bool | None]) -> dict[str, bool]:
    """Fact values giving each leaf the wanted truth value (None: the fact stays unknown)."""
    return {k: v for k, v in values.items() if v is not None}


# --- Kleene reference tables ------------------------------------------------------------------
RANK = {False: 0, None: 1, True: 2}


def kleene_and(*values):
    return min(values, key=RANK.__getitem__)


def kleene_or(*values):
    return max(values, key=RANK.__getitem__)


TRI = (True, False, None)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRI, TRI)))
def test_all_is_kleene_conjunction(a, b):
    cond = Combination(None, None, "all", (leaf("a"), leaf("b")))
    assert cond.evaluate(ctx(facts_for({"a": a, "b": b})), CITE).value is kleene_and(a, b)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRI, TRI)))
def test_any_is_kleene_disjunction(a, b):
    cond = Combination(None, None, "any", (leaf("a"), leaf("b")))
    assert cond.evaluate(ctx(facts_for({"a": a, "b": b})), CITE).value is kleene_or(a, b)


@pytest.mark.parametrize(("a", "expected"), [(True, False), (False, True), (None, None)])
def test_not_is_kleene_negation(a, expected):
    cond = Combination(None, None, "not", (leaf("a"),))
    assert cond.evaluate(ctx(facts_for({"a": a})), CITE).value is expected


@pytest.mark.parametrize("values", list(itertools.product(TRI, repeat=3)))
def test_three_children_and_nesting(values):
    a, b, c = values
    facts = facts_for(dict(zip("abc", values, strict=True)))
    all3 = Combination(None, None, "all", (leaf("a"), leaf("b"), leaf("c")))
    any3 = Combination(None, None, "any", (leaf("a"), leaf("b"), leaf("c")))
    nested = Combination(None, None, "all", (
        Combination(None, None, "any", (leaf("a"), leaf("b"))),
        Combination(None, None, "not", (leaf("c"),)),
    ))
    not_c = None if c is None else not c
    assert all3.evaluate(ctx(facts), CITE).value is kleene_and(a, b, c)
    assert any3.evaluate(ctx(facts), CITE).value is kleene_or(a, b, c)
    assert nested.evaluate(ctx(facts), CITE).value is kleene_and(kleene_or(a, b), not_c)


# --- unknown facts: only those that could still change the value -------------------------------
@pytest.mark.parametrize(("kind", "values", "expected_value", "expected_unknown"), [
    ("all", {"a": False, "b": None}, False, set()),
    ("all", {"a": True, "b": None}, None, {"b"}),
    ("all", {"a": None, "b": None}, None, {"a", "b"}),
    ("all", {"a": True, "b": True}, True, set()),
    ("any", {"a": True, "b": None}, True, set()),
    ("any", {"a": False, "b": None}, None, {"b"}),
    ("any", {"a": None, "b": None}, None, {"a", "b"}),
    ("any", {"a": False, "b": False}, False, set()),
])
def test_unknowns_are_only_those_that_matter(kind, values, expected_value, expected_unknown):
    cond = Combination(None, None, kind, (leaf("a"), leaf("b")))
    result = cond.evaluate(ctx(facts_for(values)), CITE)
    assert result.value is expected_value
    assert result.unknown == frozenset(expected_unknown)


def test_nested_unknowns_ignore_decided_branches():
    # all(any(a, b), c, not(d)): any(a, b) is already true, so only c and d matter.
    cond = Combination(None, None, "all", (
        Combination(None, None, "any", (leaf("a"), leaf("b"))),
        leaf("c"),
        Combination(None, None, "not", (leaf("d"),)),
    ))
    result = cond.evaluate(ctx({"a": True}), CITE)
    assert result.value is None
    assert result.unknown == {"c", "d"}
    # once d is true, not(d) is false and nothing is unknown any more
    result = cond.evaluate(ctx({"a": True, "d": True}), CITE)
    assert result.value is False
    assert result.unknown == frozenset()


def test_not_passes_its_child_unknowns():
    cond = Combination(None, None, "not", (leaf("a"),))
    assert cond.evaluate(ctx(), CITE).unknown == {"a"}


# --- fact conditions -------------------------------------------------------------------------
def test_bool_fact_is_true_and_is_false():
    fact = bool_fact("x")
    is_true = FactCondition(None, None, fact, "is", (True,), "x")
    is_false = FactCondition(None, None, fact, "is", (False,), "non x")
    assert is_true.evaluate(ctx({"x": True}), CITE).value is True
    assert is_true.evaluate(ctx({"x": False}), CITE).value is False
    assert is_false.evaluate(ctx({"x": False}), CITE).value is True
    assert is_false.evaluate(ctx({"x": True}), CITE).value is False
    unknown = is_true.evaluate(ctx(), CITE)
    assert unknown.value is None
    assert unknown.unknown == {"x"}


def test_choice_fact_is_and_in():
    is_red = FactCondition(None, None, COLOUR, "is", ("rouge",), "c")
    red_or_green = FactCondition(None, None, COLOUR, "in", ("rouge", "vert"), "c")
    assert is_red.evaluate(ctx({"colour": "rouge"}), CITE).value is True
    assert is_red.evaluate(ctx({"colour": "vert"}), CITE).value is False
    assert red_or_green.evaluate(ctx({"colour": "vert"}), CITE).value is True
    assert red_or_green.evaluate(ctx({"colour": "bleu"}), CITE).value is False
    assert red_or_green.evaluate(ctx({}), CITE).value is None


@pytest.mark.parametrize(("value", "before", "from_"), [
    (dt.date(2010, 6, 30), True, False),
    (dt.date(2010, 7, 1), False, True),  # the boundary day belongs to "from"
    (dt.date(2010, 7, 2), False, True),
    (dt.date(1990, 1, 1), True, False),
])
def test_date_fact_before_and_from(value, before, from_):
    limit = dt.date(2010, 7, 1)
    cond_before = FactCondition(None, None, WHEN, "before", (limit,), "avant")
    cond_from = FactCondition(None, None, WHEN, "from", (limit,), "depuis")
    assert cond_before.evaluate(ctx({"when": value}), CITE).value is before
    assert cond_from.evaluate(ctx({"when": value}), CITE).value is from_


def test_date_fact_unknown():
    cond = FactCondition(None, None, WHEN, "from", (dt.date(2010, 7, 1),), "depuis")
    result = cond.evaluate(ctx(), CITE)
    assert result.value is None
    assert result.unknown == {"when"}


# --- provision conditions --------------------------------------------------------------------
def test_provision_condition_reads_the_other_verdict():
    cond = ProvisionCondition(None, None, "p", ("faculte_de_partager", "faculte_de_parler"), "lbl")
    yes = cond.evaluate(ctx(verdicts={"p": ("faculte_de_parler", frozenset())}), CITE)
    no = cond.evaluate(ctx(verdicts={"p": ("obligation_de_se_taire", frozenset())}), CITE)
    assert (yes.value, yes.unknown) == (True, frozenset())
    assert (no.value, no.unknown) == (False, frozenset())


def test_provision_condition_unknown_carries_the_deciding_facts():
    cond = ProvisionCondition(None, None, "p", ("obligation_de_se_taire",), "lbl")
    result = cond.evaluate(ctx(verdicts={"p": ("indetermine", frozenset({"f1", "f2"}))}), CITE)
    assert result.value is None
    assert result.unknown == {"f1", "f2"}
    node = result.trace[0]
    assert node.provision == "p"
    assert node.fact is None
    assert node.value is None


def test_provision_condition_non_applicable_is_false_not_unknown():
    cond = ProvisionCondition(None, None, "p", ("obligation_de_se_taire",), "lbl")
    result = cond.evaluate(ctx(verdicts={"p": ("non_applicable", frozenset({"ignored"}))}), CITE)
    assert result.value is False
    assert result.unknown == frozenset()


def test_facts_and_provisions_of_a_condition():
    cond = Combination(None, None, "all", (
        leaf("a"),
        Combination(None, None, "not", (ProvisionCondition(None, None, "p", ("non_applicable",), "l"),)),
        Combination(None, None, "any", (leaf("b"), FactCondition(None, None, COLOUR, "is", ("rouge",), "c"))),
    ))
    assert cond.facts() == {"a", "b", "colour"}
    assert cond.provisions() == {"p"}


# --- traces ---------------------------------------------------------------------------------
def test_fact_trace_node_defaults_and_overrides():
    plain = leaf("a").evaluate(ctx({"a": True}), CITE).trace
    assert plain == (TraceNode("Le fait a est vrai", CITE, True, fact="a"),)
    custom = leaf("a", label="Mon libellé", cite="Art. 2").evaluate(ctx({"a": False}), CITE).trace[0]
    assert (custom.label, custom.cite, custom.value) == ("Mon libellé", "Art. 2", False)


def test_judgement_flag_is_carried_to_the_trace():
    node = leaf("grave", judgement=True).evaluate(ctx(), CITE).trace[0]
    assert node.judgement is True
    assert node.value is None


def test_unlabelled_combination_flattens_its_children():
    cond = Combination(None, None, "all", (leaf("a"), leaf("b")))
    trace = cond.evaluate(ctx({"a": True, "b": False}), CITE).trace
    assert [(n.fact, n.value) for n in trace] == [("a", True), ("b", False)]


def test_labelled_combination_wraps_its_children_and_passes_its_cite():
    cond = Combination("Les deux", "Art. 9", "any", (leaf("a"), leaf("b", cite="Art. 10")))
    (node,) = cond.evaluate(ctx({"a": False}), CITE).trace
    assert (node.label, node.cite, node.value) == ("Les deux", "Art. 9", None)
    assert [(c.fact, c.cite, c.value) for c in node.children] == [
        ("a", "Art. 9", False), ("b", "Art. 10", None)]


def test_not_always_has_a_node():
    (node,) = Combination(None, None, "not", (leaf("a"),)).evaluate(ctx({"a": True}), CITE).trace
    assert node.label == "Il n'est pas vrai que :"
    assert node.value is False
    assert node.children[0].value is True


# --- labels ---------------------------------------------------------------------------------
def test_fact_labels_in_french():
    fact = bool_fact("x")
    assert fact_label(fact, "is", (True,)) == "Le fait x est vrai"
    assert fact_label(fact, "is", (False,)) == "Non : le fait x est vrai"
    assert fact_label(COLOUR, "is", ("rouge",)) == "Couleur : rouge vif"
    assert fact_label(COLOUR, "in", ("rouge", "bleu")) == "Couleur : rouge vif ou bleu nuit"
    assert fact_label(WHEN, "before", (dt.date(2010, 7, 1),)) == "Date des faits : avant le 01/07/2010"
    assert fact_label(WHEN, "from", (dt.date(2010, 7, 1),)) == "Date des faits : à partir du 01/07/2010"


def test_provision_label_in_french():
    assert provision_label("Art. 458 CP", ("obligation_de_se_taire",)) == (
        "Art. 458 CP : obligation de se taire")
    assert provision_label("X", ("faculte_de_partager", "faculte_de_parler")) == (
        "X : faculté de partager ou faculté de parler")

"""Which questions `casebook export` writes (`casebook.interface.exports.selection`): the
training round's questions kept by themes, difficulties and case ids; an unknown name is refused
with what is known, and filters that keep nothing are refused too."""

from __future__ import annotations

import pytest

from casebook.interface.exports.selection import SelectionError, select
from casebook.interface.pages.rounds import COURSE, questions
from casebook.interface.ui import builtin_scenarios


@pytest.fixture(scope="module")
def cases(course_cases):
    return builtin_scenarios() + course_cases


def test_no_filter_keeps_every_question_in_the_cases_order(kb, cases):
    assert select(kb, cases) == questions(kb, cases)


def test_the_course_theme_keeps_only_the_course_questions(kb, cases):
    kept = select(kb, cases, COURSE)
    assert kept and all(q.scenario.course for q in kept)
    assert len(kept) == len(questions(kb, [s for s in cases if s.course]))


def test_themes_levels_and_cases_combine_and_accept_lists(kb, cases):
    kept = select(kb, cases, "partage,temoignage", "facile,moyen")
    assert kept and all(q.topic in ("partage", "temoignage") and q.level != "difficile" for q in kept)
    two = select(kb, cases, cases="exemple-stage-inspecteur, partage-sans-accord")
    assert {q.scenario.id for q in two} == {"exemple-stage-inspecteur", "partage-sans-accord"}


@pytest.mark.parametrize(("filters", "words"), [
    ({"themes": "inconnu"}, "thème inconnu(s) : « inconnu » ; possibles : base_legale"),
    ({"levels": "extreme"}, "difficulté inconnu(s) : « extreme » ; possibles : facile, moyen, difficile"),
    ({"cases": "pas-un-cas"}, "cas inconnu(s) : « pas-un-cas »"),
    ({"themes": COURSE, "cases": "partage-sans-accord"}, "aucune question ne correspond à ces filtres"),
])
def test_unknown_names_and_empty_selections_are_refused(kb, cases, filters, words):
    with pytest.raises(SelectionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        select(kb, cases, **filters)

"""The printable exercise sheet and answer key (`casebook.interface.exports.fiche`): the sheet
holds every case and question with blank lines and no answer anywhere, the key the engine's
answers with their reasoning, citations and the teaching notes, both with the dashboards' print
stylesheet; texts from the files are escaped."""

from __future__ import annotations

import dataclasses
from html import escape

import pytest

from casebook.interface.exports import fiche, moodle
from casebook.interface.pages.rounds import questions
from casebook.law.labels import OUTCOMES


@pytest.fixture(scope="module")
def asked(kb, course_cases):
    kept, _left = moodle.items(kb, questions(kb, course_cases))
    return kept


def test_the_sheet_has_every_case_and_question_and_no_answer(kb, asked, course_cases):
    sheet = fiche.sheet_html(kb, asked)
    for sc in course_cases:
        assert escape(sc.title) in sheet and sc.narrative.split()[3] in sheet
        assert escape(sc.teaching_notes[:40]) not in sheet
        assert not any(escape(m.text[:30]) in sheet for m in sc.misconceptions)
    assert sheet.count('class="cb-fiche-question"') == len(asked) == 5
    assert sheet.count('class="cb-fiche-line"') == 5 * fiche.ANSWER_LINES
    for item in asked:
        assert escape(item.verdict.explanation[:40]) not in sheet
    assert "Raisonnement" not in sheet and "data-outcome" not in sheet and "Version appliquée" not in sheet
    # the six possible answers are listed once, for every question alike
    assert all(sheet.count(OUTCOMES[o]) == 1 for o in ("faculte_de_partager", "obligation_de_se_taire"))


def test_the_key_gives_each_answer_with_reasoning_citation_and_notes(kb, asked, course_cases):
    key = fiche.key_html(kb, asked)
    assert key.count('class="cb-fiche-answer"') == len(asked)
    for item in asked:
        assert f"Réponse du casebook : {OUTCOMES[item.verdict.outcome]}" in key
        assert escape(item.verdict.version.citation[:30]) in key
    assert "Raisonnement" in key and all(escape(sc.teaching_notes[:30]) in key for sc in course_cases)


def test_both_pages_carry_the_dashboards_print_stylesheet(kb, asked):
    css = fiche.print_stylesheet()
    assert "@page" in css
    for page in (fiche.sheet_html(kb, asked), fiche.key_html(kb, asked)):
        assert f'<style media="print">{css}</style>' in page
        assert page.startswith('<!DOCTYPE html><html lang="fr">') and "aucune donnée personnelle" in page


def test_texts_from_the_files_are_escaped(kb, asked):
    sc = asked[0].question.scenario
    hostile = dataclasses.replace(sc, title="<script>x</script>", narrative="a & <b>")
    item = dataclasses.replace(asked[0], question=dataclasses.replace(asked[0].question, scenario=hostile))
    for page in (fiche.sheet_html(kb, [item]), fiche.key_html(kb, [item])):
        assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
        assert "a &amp; &lt;b&gt;" in page


def test_write_leaves_the_two_pages_in_the_folder(kb, asked, tmp_path):
    written = fiche.write(kb, asked, tmp_path / "fiches")
    assert [p.name for p in written] == [fiche.SHEET, fiche.KEY]
    assert all(p.read_text(encoding="utf-8").endswith("</html>") for p in written)

"""The Moodle XML question bank (`casebook.interface.exports.moodle`): the file parses; every
question has what Moodle 5.0's XML importer reads for a multiple-choice question, exactly one
option at 100 % and the others at 0; one category per theme; a golden file for one question;
and, parsing the export back, every question's right option is the engine's verdict."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from casebook.interface.exports import moodle
from casebook.interface.pages.rounds import questions
from casebook.interface.ui import builtin_scenarios
from casebook.law import casefile
from casebook.law.engine import evaluate_one
from casebook.law.labels import DEONTIC, OUTCOMES

GOLDEN = Path(__file__).parent / "fixtures" / "moodle" / "question.xml"
FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}  # trans_format
NUMBERINGS = {"abc", "ABCD", "123", "iii", "IIII", "none"}
HOSTILE_CASE = """schema_version: 1
cases:
  - id: stage-accord-consultation
    title: "Accord <b>écrit</b> & signé"
    narrative: "Le stagiaire lit <script>alert('x')</script> dans le dossier & se tait."
    date: 2020-05-04
    facts:
      bound: true
      learned: true
      consent: true
    expected:
      secret: {outcome: obligation_de_se_taire}
      partage: {outcome: faculte_de_partager}
    teaching_notes: "Notes."
    misconceptions:
      - {text: "Sans écrit, pas d'accord.", answer: obligation_de_se_taire, provision: partage}
    provenance: {type: construit, source: "Tests"}
    review: {status: brouillon}
"""


@pytest.fixture(scope="module")
def hostile(minimal_kb):
    """A course case of the minimal knowledge base whose texts hold HTML and « & »."""
    read = casefile.read(minimal_kb, HOSTILE_CASE.encode())
    return [dataclasses.replace(s, course=True) for s in read.scenarios]


@pytest.fixture(scope="module")
def bank(kb, course_cases):
    """The bank of every question of the casebook and of the example course, parsed back."""
    kept, _left = moodle.items(kb, questions(kb, builtin_scenarios() + course_cases))
    return kept, ET.fromstring(moodle.bank_xml(kb, kept))


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    assert found is not None, path
    return found.text or ""


def test_the_golden_question(minimal_kb, hostile):
    kept, left = moodle.items(minimal_kb, questions(minimal_kb, hostile))
    assert left == [] and [i.question.pid for i in kept] == ["secret", "partage"]
    assert moodle.bank_xml(minimal_kb, kept[1:]) == GOLDEN.read_text(encoding="utf-8")


def test_the_file_starts_with_the_xml_line_and_holds_a_quiz(kb, bank):
    kept, root = bank
    text = moodle.bank_xml(kb, kept[:3])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert root.tag == "quiz"


def test_every_question_has_what_the_importer_reads_for_a_multichoice(bank):
    kept, root = bank
    found = root.findall("question[@type='multichoice']")
    assert len(found) == len(kept) > 300
    for q in found:
        assert _text(q, "name/text").strip() and len(_text(q, "name/text")) <= 255
        for tag in ("questiontext", "generalfeedback", "correctfeedback", "partiallycorrectfeedback",
                    "incorrectfeedback"):
            assert q.find(tag).get("format") in FORMATS and q.find(f"{tag}/text") is not None
        assert _text(q, "single") == "true" and _text(q, "shuffleanswers") in ("true", "false")
        assert _text(q, "answernumbering") in NUMBERINGS
        assert float(_text(q, "defaultgrade")) == 1 and 0 <= float(_text(q, "penalty")) <= 1
        assert _text(q, "hidden") == "0" and 0 < len(_text(q, "idnumber")) <= 100
        answers = q.findall("answer")
        assert [unescape(_text(a, "text")) for a in answers] == [OUTCOMES[o] for o in DEONTIC]
        fractions = sorted(a.get("fraction") for a in answers)
        assert fractions == ["0"] * (len(DEONTIC) - 1) + ["100"]
        assert all(a.get("format") in FORMATS and a.find("feedback/text").text for a in answers)


def test_parsing_back_gives_the_engine_verdict_as_the_right_option(kb, bank):
    kept, root = bank
    cases = {s.id: s for s in (item.question.scenario for item in kept)}
    for q in root.findall("question[@type='multichoice']"):
        _prefix, case_id, pid = _text(q, "idnumber").split(":")
        verdict = evaluate_one(kb, cases[case_id].situation, pid)
        right = [unescape(_text(a, "text")) for a in q.findall("answer") if a.get("fraction") == "100"]
        assert right == [OUTCOMES[verdict.outcome]], (case_id, pid)


def test_names_and_idnumbers_come_from_the_case_and_provision_and_are_unique(bank):
    kept, root = bank
    found = root.findall("question[@type='multichoice']")
    ids = [_text(q, "idnumber") for q in found]
    names = [_text(q, "name/text") for q in found]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    first = kept[0].question
    assert ids[0] == f"casebook:{first.scenario.id}:{first.pid}"
    assert names[0] == f"{first.scenario.id} — {first.pid}"


def test_a_long_id_is_shortened_and_stays_distinct():
    long_a, long_b = "a" * 120, "a" * 119 + "b"
    one, two = moodle.idnumber(long_a, "art458"), moodle.idnumber(long_b, "art458")
    assert len(one) == len(two) == 100 and one != two
    assert moodle.idnumber(long_a, "art458") == one


def test_one_category_per_theme_before_its_questions(bank):
    _kept, root = bank
    seen: list[str] = []
    current = None
    for element in root:
        if element.get("type") == "category":
            current = _text(element, "category/text")
            assert current not in seen
            seen.append(current)
        else:
            assert current is not None
    assert all(path.startswith("top/Secret professionnel (casebook)/") for path in seen)
    assert len(seen) == len({item.question.topic for item in _kept})


def test_texts_are_escaped_as_html_inside_the_xml(minimal_kb, hostile):
    kept, _left = moodle.items(minimal_kb, questions(minimal_kb, hostile))
    text = moodle.bank_xml(minimal_kb, kept)
    assert "<script>" not in text and "&lt;script&gt;" not in text  # escaped twice: HTML, then XML
    stem = _text(ET.fromstring(text).find("question[@type='multichoice']"), "questiontext/text")
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in stem
    assert "&lt;b&gt;écrit&lt;/b&gt; &amp; signé" in stem


def test_the_option_a_misconception_leads_to_names_it_and_the_feedback_cites_the_version(minimal_kb, hostile):
    kept, _left = moodle.items(minimal_kb, questions(minimal_kb, hostile))
    root = ET.fromstring(moodle.bank_xml(minimal_kb, kept))
    partage = next(q for q in root.findall("question[@type='multichoice']")
                   if _text(q, "idnumber").endswith(":partage"))
    said = {_text(a, "text"): _text(a, "feedback/text") for a in partage.findall("answer")
            if a.get("fraction") == "0"}
    behind = [option for option, text in said.items() if "Sans écrit, pas d'accord." in text]
    assert behind == [OUTCOMES["obligation_de_se_taire"]]  # only the answer the belief leads to
    general = _text(partage, "generalfeedback/text")
    assert "Doctrine fictive" in general and "[à vérifier]" in general and "Raisonnement" in general
    tags = [t.text for t in partage.findall("tags/tag/text")]
    assert tags[0] == "casebook" and "cas-du-cours" in tags


def test_a_verdict_that_is_not_an_option_leaves_the_question_out(minimal_kb, hostile):
    unknown = dataclasses.replace(hostile[0], id="stage-faits-inconnus", situation=dataclasses.replace(
        hostile[0].situation, facts={}))  # the engine cannot decide: « indéterminé »
    asked = questions(minimal_kb, [hostile[0], unknown])
    kept, left = moodle.items(minimal_kb, asked)
    assert evaluate_one(minimal_kb, unknown.situation, "secret").outcome == "indetermine"
    assert [q.scenario.id for q in left] == ["stage-faits-inconnus"] * len(left) and left
    assert {i.question.scenario.id for i in kept} == {hostile[0].id}


def test_the_download_link_holds_the_file(kb, course_cases):
    import base64
    import re

    html = moodle.download_html(kb, questions(kb, course_cases), "cours<1>.xml", "Exporter")
    assert 'download="cours&lt;1&gt;.xml"' in html and "5 questions" in html
    payload = re.search(r"base64,([^\"]+)", html).group(1)
    assert ET.fromstring(base64.b64decode(payload)).tag == "quiz"
    assert moodle.download_html(kb, [], "x.xml", "Exporter") == ""

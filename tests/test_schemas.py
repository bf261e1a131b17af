"""casebook.law.schemas: JSON Schema validation of the data files, with French messages that name
the place (and its line) and say what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.law.paths import data_dir
from casebook.law.schemas import _is_date, validate
from casebook.law.yamlio import load_yaml

FACTS = """\
schema_version: 1
facts:
  - id: consent
    group: partage
    type: bool
    question: "La personne est-elle d'accord ?"
    statement: "La personne est d'accord"
  - id: role
    group: qui
    type: choice
    question: "Quel rôle ?"
    statement: "Rôle"
    options:
      - {value: parent, label: "parent"}
      - {value: medecin, label: "médecin"}
"""

PROVISION = (Path(__file__).parent / "fixtures" / "minimal" / "provisions" / "secret.yaml").read_text(
    encoding="utf-8")


def doc_of(tmp_path: Path, text: str, name: str = "doc.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def line_with(text: str, marker: str, occurrence: int = 1) -> int:
    return [i for i, line in enumerate(text.splitlines(), 1) if marker in line][occurrence - 1]


def one_error(doc, *args, **kwargs):
    errors = validate(doc, *args, **kwargs)
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_documents_have_no_error(tmp_path):
    assert validate(doc_of(tmp_path, FACTS), "facts") == []
    assert validate(doc_of(tmp_path, PROVISION), "provision") == []
    doc = doc_of(tmp_path, PROVISION)
    assert validate(doc, "provision", "version", value=doc.data["versions"][0], path=["versions", 0]) == []


def test_real_data_files_are_valid():
    root = data_dir()
    assert validate(load_yaml(root / "facts.yaml"), "facts") == []
    for path in sorted((root / "provisions").glob("*.yaml")):
        doc = load_yaml(path)
        assert validate(doc, "provision") == [], path.name
        for i, raw in enumerate(doc.data["versions"]):
            assert validate(doc, "provision", "version", value=raw, path=["versions", i]) == []


# --- French messages, one per kind of rule ---------------------------------------------------
def test_required(tmp_path):
    text = PROVISION.replace('short: "Secret"\n', "")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message == "champ obligatoire manquant : « short »"
    assert error.place == ""
    assert error.line == 1


def test_required_inside_a_version(tmp_path):
    text = PROVISION.replace('    citation: "Loi fictive, art. 1er (nouvelle rédaction)"\n', "")
    doc = doc_of(tmp_path, text)
    error = one_error(doc, "provision", "version", value=doc.data["versions"][1], path=["versions", 1])
    assert error.message == "champ obligatoire manquant : « citation »"
    assert error.place == "versions[1]"
    assert error.line == line_with(text, "- id: secret-v2")


def test_enum(tmp_path):
    text = PROVISION.replace("kind: secret", "kind: regle")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message == ("valeur inconnue ; valeurs permises : secret, exception, consequence ; "
                             "reçu : « regle »")
    assert error.place == "kind"
    assert error.line == line_with(text, "kind: regle")


def test_type(tmp_path):
    text = PROVISION.replace("order: 10", "order: dix")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message == "attendu : un nombre entier ; reçu : « dix »"
    assert error.place == "order"
    assert error.line == line_with(text, "order: dix")


def test_type_of_a_text(tmp_path):
    text = PROVISION.replace('short: "Secret"', "short: 12")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message == "attendu : un texte ; reçu : « 12 »"


def test_type_with_several_choices(tmp_path):
    text = PROVISION.replace("    url: null\n", "    url: 3\n", 1)
    doc = doc_of(tmp_path, text)
    error = one_error(doc, "provision", "version", value=doc.data["versions"][0], path=["versions", 0])
    assert error.message.startswith("attendu : un texte ou null")
    assert error.place == "versions[0].url"
    assert error.line == line_with(text, "url: 3")


def test_additional_properties(tmp_path):
    text = PROVISION.replace("topic: base", "topic: base\nauteur: moi")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message.startswith(
        "champ inconnu : auteur (champs permis : dated_by, duty, handout_section, id, kind,")
    assert error.message.endswith("versions)")


def test_const(tmp_path):
    error = one_error(doc_of(tmp_path, PROVISION.replace("schema_version: 1", "schema_version: 2")),
                      "provision")
    assert error.message == "attendu : 1 ; reçu : « 2 »"
    assert error.place == "schema_version"


def test_pattern(tmp_path):
    text = PROVISION.replace("id: secret\n", "id: Secret\n")
    error = one_error(doc_of(tmp_path, text), "provision")
    assert error.message == "format invalide (motif attendu : ^[a-z][a-z0-9_]*$) ; reçu : « Secret »"
    assert error.place == "id"


def test_min_length(tmp_path):
    error = one_error(doc_of(tmp_path, PROVISION.replace('title: "Le secret de base"', 'title: ""')),
                      "provision")
    assert error.message == "ne peut pas être vide"
    assert error.place == "title"


def test_minimum(tmp_path):
    error = one_error(doc_of(tmp_path, PROVISION.replace("order: 10", "order: -1")), "provision")
    assert error.message == "attendu : un nombre au moins égal à 0"


def test_date_or_null(tmp_path):
    text = PROVISION.replace("valid_from: 2010-01-01", 'valid_from: "2010-02-30"')
    doc = doc_of(tmp_path, text)
    error = one_error(doc, "provision", "version", value=doc.data["versions"][1], path=["versions", 1])
    assert error.message == "attendu : une date réelle au format AAAA-MM-JJ, ou null"
    assert error.place == "versions[1].valid_from"
    assert error.line == line_with(text, "valid_from: \"2010-02-30\"")


def test_text_or_null(tmp_path):
    text = PROVISION.replace('    text: "Le confident se tait."', "    text: 3", 1)
    doc = doc_of(tmp_path, text)
    error = one_error(doc, "provision", "version", value=doc.data["versions"][0], path=["versions", 0])
    assert error.message == "attendu : un texte, ou null"
    assert error.place == "versions[0].text"


def test_date_format(tmp_path):
    case = {"id": "x", "title": "t", "narrative": "n", "date": "2019-02-30", "facts": {},
            "expected": {"art458": {"outcome": "non_applicable"}}, "teaching_notes": "n",
            "misconceptions": [], "provenance": {"type": "construit", "source": "s"},
            "review": {"status": "relu"}}
    doc = doc_of(tmp_path, "schema_version: 1\ncases: []\n")
    error = one_error(doc, "scenarios", "case", value=case, path=["cases", 0])
    assert error.message == "attendu : une date réelle au format AAAA-MM-JJ ; reçu : « 2019-02-30 »"
    assert error.place == "cases[0].date"


def test_a_misconception_is_a_text_or_a_text_keyed_to_a_predictable_answer(tmp_path):
    from casebook.law.labels import DEONTIC
    from casebook.law.schemas import _schema

    keyed = _schema("scenarios")["definitions"]["misconception"]["then"]
    assert tuple(keyed["properties"]["answer"]["enum"]) == DEONTIC
    case = {"id": "x", "title": "t", "narrative": "n", "date": "2019-02-28", "facts": {},
            "expected": {"art458": {"outcome": "non_applicable"}}, "teaching_notes": "n",
            "provenance": {"type": "construit", "source": "s"}, "review": {"status": "relu"}}
    doc = doc_of(tmp_path, "schema_version: 1\ncases: []\n")
    for item, message, place in (
        (3, "attendu : un texte ; reçu : « 3 »", "cases[0].misconceptions[0]"),
        ({"text": "m", "answer": "indetermine"}, "valeur inconnue ; valeurs permises : "
         "obligation_de_se_taire, faculte_de_partager, faculte_de_parler, obligation_de_communiquer, "
         "obligation_d_agir, non_applicable ; reçu : « indetermine »", "cases[0].misconceptions[0].answer"),
        ({"text": "m", "answer": "faculte_de_parler", "auteur": "x"}, "champ inconnu : auteur (champs "
         "permis : answer, provision, text)", "cases[0].misconceptions[0]"),
    ):
        value = {**case, "misconceptions": [item]}
        error = one_error(doc, "scenarios", "case", value=value, path=["cases", 0])
        assert (error.message, error.place) == (message, place)


# --- places inside lists ---------------------------------------------------------------------
def test_place_and_line_of_an_error_inside_a_list(tmp_path):
    """The place of an error inside a list is written with brackets and its line is the line of
    the faulty item, not the line of the list."""
    text = FACTS.replace("    type: choice", "    type: texte")
    error = one_error(doc_of(tmp_path, text), "facts")
    assert error.message == "valeur inconnue ; valeurs permises : bool, choice, date ; reçu : « texte »"
    assert error.place == "facts[1].type"
    assert error.line == line_with(text, "type: texte")


def test_place_and_line_of_an_error_in_a_nested_list(tmp_path):
    text = FACTS.replace('{value: medecin, label: "médecin"}', '{value: Medecin, label: "médecin"}')
    error = one_error(doc_of(tmp_path, text), "facts")
    assert "reçu : « Medecin »" in error.message
    assert error.place == "facts[1].options[1].value"
    assert error.line == line_with(text, "value: Medecin")


def test_place_of_an_error_in_a_list_inside_a_version(tmp_path):
    text = PROVISION.replace(
        '    text: "Le confident se tait toujours."',
        '    text: "Le confident se tait toujours."\n    corrections:\n      - "Une correction."\n      - ""')
    doc = doc_of(tmp_path, text)
    error = one_error(doc, "provision", "version", value=doc.data["versions"][1], path=["versions", 1])
    assert error.message == "ne peut pas être vide"
    assert error.place == "versions[1].corrections[1]"
    assert error.line == line_with(text, '- ""')


# --- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "ok"), [
    ("2020-02-29", True), ("1990-01-01", True), ("2019-02-30", False), ("2019-13-01", False),
    ("20200101", False), ("2020-1-1", False), ("", False),
])
def test_is_date(value, ok):
    assert _is_date(value) is ok

"""A worked case as text and back (`casebook.law.casefile`): every case of the project survives
writing and reading unchanged, field by field; the text has the data files' layout and passes
`casebook check`; a bad file gets the loader's own errors; the live comparison follows the rule
of `casebook check`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook import cli
from casebook.interface import ui
from casebook.law import casefile
from casebook.law.errors import DataErrors
from casebook.law.paths import data_dir
from casebook.law.scenarios import Misconception, Scenario, check, load_scenarios, scenario_files
from casebook.law.yamlio import load_yaml

FILES = scenario_files()
CASE = {
    "id": "partage-essai", "title": "Partager avec la psychologue", "narrative": "Mme D. accepte.",
    "date": "2026-11-02",
    "facts": {"necessary_confidant": True, "learned_in_function": True, "sharing_planned": True,
              "recipient_bound": True, "same_mission": True, "informed_consent": True,
              "only_necessary": True, "in_person_interest": True},
    "expected": {"secret_partage": {"outcome": "faculte_de_partager"}},
    "teaching_notes": "Les cinq conditions.", "misconceptions": ["Entre collègues, tout se dit."],
    "provenance": {"type": "construit", "source": "Atelier"}, "review": {"status": "brouillon"},
}


def assert_same_scenario(got: Scenario, want: Scenario) -> None:
    """Equal field by field (the file name aside), then as a whole."""
    for field in dataclasses.fields(Scenario):
        if field.name != "file":
            assert getattr(got, field.name) == getattr(want, field.name), (want.id, field.name)
    assert dataclasses.replace(got, file=want.file) == want


def _errors(kb, content: bytes, name: str = "essai.yaml") -> list[str]:
    with pytest.raises(DataErrors) as exc:
        casefile.read(kb, content, name)
    return [str(e) for e in exc.value.errors]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_file_survives_writing_and_reading(kb, path):
    raw = load_yaml(path).data["cases"]
    back = casefile.read(kb, casefile.dump(raw).encode("utf-8"), path.name)
    assert list(back.cases) == raw  # every field as written, review notes included
    for got, want in zip(back.scenarios, load_scenarios(kb, [path]), strict=True):
        assert_same_scenario(got, want)


def test_every_worked_case_survives_as_a_mapping(kb):
    cases = ui.scenarios()
    assert len(cases) > 100
    for sc in cases:
        (back,) = casefile.read(kb, casefile.dump([casefile.case_data(sc)]).encode("utf-8")).scenarios
        assert_same_scenario(back, sc)


def test_the_text_has_the_layout_of_the_data_files(kb):
    text = casefile.dump([CASE])
    assert text.startswith("schema_version: 1\ncases:\n  - id: partage-essai\n")
    assert '    title: "Partager avec la psychologue"\n' in text
    assert "    narrative: >-\n      Mme D. accepte.\n" in text
    assert "    date: 2026-11-02\n" in text  # plain, as in data/scenarios
    assert "      necessary_confidant: true\n" in text
    assert "      secret_partage: {outcome: faculte_de_partager}\n" in text
    assert '    misconceptions:\n      - "Entre collègues, tout se dit."\n' in text
    assert '    provenance: {type: construit, source: "Atelier"}\n' in text
    assert "    review: {status: brouillon}\n" in text


def test_a_long_narrative_is_wrapped_and_read_back_whole(kb):
    long = " ".join(["Une phrase assez longue pour déborder de la ligne."] * 8)
    text = casefile.dump([{**CASE, "narrative": long}])
    lines = text.split("narrative: >-\n", 1)[1].split("    date:", 1)[0].splitlines()
    assert len(lines) > 3 and all(len(line) <= casefile.WIDTH + 20 for line in lines)
    assert casefile.read(kb, text.encode()).cases[0]["narrative"] == long


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


plain = texts.filter(lambda t: not t.lstrip().startswith("["))  # « [ » opens an answer in the Atelier


@given(title=texts, narrative=texts, notes=texts, misconception=plain, keyed=texts, source=texts)
def test_any_text_survives_writing_and_reading(kb, title, narrative, notes, misconception, keyed, source):
    case = {**CASE, "title": title, "narrative": narrative, "teaching_notes": notes,
            "misconceptions": [misconception, {"text": keyed, "answer": "obligation_de_se_taire"}],
            "provenance": {"type": "construit", "source": source}}
    assert casefile.read(kb, casefile.dump([case]).encode("utf-8")).cases == (case,)


KEYED = {**CASE, "misconceptions": [
    "Entre collègues, tout se dit.",
    {"text": "Le partage, une fois permis, devient obligatoire.", "answer": "obligation_de_communiquer"},
    {"text": "L'accord ne compte pas.", "answer": "obligation_de_se_taire", "provision": "secret_partage"},
]}


def test_keyed_misconceptions_and_a_depends_on_are_written_and_read_back(kb):
    follows = {**CASE, "id": "partage-suite", "depends_on": "partage-essai"}
    text = casefile.dump([KEYED, follows])
    assert ('    misconceptions:\n      - "Entre collègues, tout se dit."\n'
            '      - text: "Le partage, une fois permis, devient obligatoire."\n'
            "        answer: obligation_de_communiquer\n"
            '      - text: "L\'accord ne compte pas."\n'
            "        answer: obligation_de_se_taire\n        provision: secret_partage\n") in text
    assert "    depends_on: partage-essai\n" in text
    back = casefile.read(kb, text.encode("utf-8"))
    assert back.cases == (KEYED, follows)
    first, second = back.scenarios
    assert first.misconceptions == (
        Misconception("Entre collègues, tout se dit."),
        Misconception("Le partage, une fois permis, devient obligatoire.", "obligation_de_communiquer"),
        Misconception("L'accord ne compte pas.", "obligation_de_se_taire", "secret_partage"))
    assert second.depends_on == "partage-essai"
    again = casefile.dump([casefile.case_data(sc) for sc in back.scenarios])  # from the loader's objects
    assert casefile.read(kb, again.encode("utf-8")).scenarios == back.scenarios
    alone = casefile.dump([casefile.case_data(second)])
    assert any("cas inconnu « partage-essai »" in e for e in _errors(kb, alone.encode()))


def test_a_keyed_misconception_gets_the_loaders_errors(kb):
    keyed = {"text": "x", "answer": "faculte_de_partager", "provision": "art458"}
    wrong = {**CASE, "misconceptions": [keyed]}
    assert _errors(kb, casefile.dump([wrong]).encode()) == [
        "essai.yaml, ligne 24 (cases[0].misconceptions[0].provision) : disposition « art458 » absente "
        "des réponses attendues du cas ; dispositions du cas : secret_partage"]


def test_an_exported_case_passes_casebook_check(tmp_path, capsys):
    path = tmp_path / "cas.yaml"
    path.write_text(casefile.dump([CASE]), encoding="utf-8")
    assert cli.main(["check", str(path)]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_a_case_the_engine_contradicts_still_loads_and_check_reports_it(kb, tmp_path, capsys):
    wrong = {**CASE, "expected": {"secret_partage": {"outcome": "obligation_de_se_taire"}}}
    path = tmp_path / "cas.yaml"
    path.write_text(casefile.dump([wrong]), encoding="utf-8")
    assert cli.main(["check", str(path)]) == 1
    assert "0 passed, 1 failed" in capsys.readouterr().out


def test_errors_are_those_of_casebook_check_with_the_uploaded_name(kb, tmp_path):
    text = casefile.dump([{**CASE, "facts": {"informed_consent": "peut-être", "profession": "astronaute",
                                             "no_such_fact": True},
                           "expected": {"no_such_rule": {"outcome": "faculte_de_parler"}}}])
    path = tmp_path / "essai.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as by_loader:
        load_scenarios(kb, [path])
    with pytest.raises(DataErrors) as by_read:
        casefile.read(kb, text.encode(), "essai.yaml")
    assert [(e.place, e.message, e.line) for e in by_read.value.errors] == \
        [(e.place, e.message, e.line) for e in by_loader.value.errors]
    assert {e.file for e in by_read.value.errors} == {"essai.yaml"}
    shown = [str(e) for e in by_read.value.errors]
    assert "essai.yaml, ligne 9 (cases[0].facts.informed_consent) : attendu : true ou false ; reçu : " \
        "« peut-être »" in shown
    assert any("ligne 10 (cases[0].facts.profession)" in s and "valeurs permises" in s for s in shown)
    assert any("fait inconnu « no_such_fact »" in s for s in shown)
    assert any("disposition inconnue « no_such_rule »" in s for s in shown)


@pytest.mark.parametrize(("content", "words"), [
    (b"schema_version: 1\ncases:\n  - id: [\n", "essai.yaml, ligne 4 : erreur de syntaxe YAML"),
    (b"schema_version: 1\ncases:\n  - id: x\n",
     "essai.yaml, ligne 3 (cases[0]) : champ obligatoire manquant"),
    (b"schema_version: 2\ncases: []\n", "essai.yaml, ligne 1 (schema_version) : attendu : 1"),
    (b"\xff\xfe", "fichier illisible en UTF-8"),
    (b"a: &x [1]\nb: *x\n", "essai.yaml, ligne 2 : renvoi YAML « *x » refusé"),
    (b"#" * (casefile.MAX_BYTES + 1), f"fichier trop volumineux ({casefile.MAX_BYTES + 1} octets"),
])
def test_a_bad_file_is_refused_with_its_line_and_what_was_expected(kb, content, words):
    assert any(words in e for e in _errors(kb, content))


def test_an_unknown_version_is_named_with_the_known_ones(kb):
    text = casefile.dump([{**CASE, "expected": {"art458": {"outcome": "obligation_de_se_taire",
                                                           "version": "art458-1800"}}}])
    (error,) = _errors(kb, text.encode())
    assert "version inconnue « art458-1800 »" in error and "art458-2026" in error


def test_the_outcomes_offered_are_those_of_the_schema():
    schema = json.loads((data_dir() / "schemas" / "scenarios.schema.json").read_text(encoding="utf-8"))
    entry = schema["definitions"]["case"]["properties"]["expected"]["additionalProperties"]
    assert set(casefile.EXPECTED_OUTCOMES) == set(entry["properties"]["outcome"]["enum"])
    assert tuple(schema["definitions"]["case"]["required"]) == casefile.CASE_KEYS


def test_a_blank_case_has_every_field_and_is_not_yet_valid(kb):
    blank = casefile.blank_case()
    assert tuple(blank) == casefile.CASE_KEYS
    errors = _errors(kb, casefile.dump([blank]).encode())
    assert any("(cases[0].id)" in e for e in errors)


def test_the_comparison_agrees_exactly_when_casebook_check_passes(kb):
    cases = ui.scenarios()
    failing = {(m.scenario.id, m.expectation.provision) for m in check(kb, list(cases)).mismatches}
    for sc in cases:
        found = casefile.compare(kb, casefile.case_data(sc))
        assert [c.provision for c in found] == [e.provision for e in sc.expected]
        for c in found:
            assert c.agrees == ((sc.id, c.provision) not in failing)


def test_the_comparison_names_the_engine_answer_and_version(kb):
    (c,) = casefile.compare(kb, {**CASE, "expected": {"art458": {"outcome": "faculte_de_parler",
                                                                 "version": "art458-2026"}}})
    assert c.verdict.outcome == "obligation_de_se_taire" and c.version == "art458-2026"
    assert not c.agrees
    (c,) = casefile.compare(kb, {**CASE, "expected": {"art458": {}}})
    assert c.expected is None and not c.agrees


def test_the_comparison_checks_an_expected_debate(kb):
    entry = {"outcome": "obligation_de_se_taire", "version": "art458-2026"}
    (c,) = casefile.compare(kb, {**CASE, "expected": {"art458": {**entry, "debated": True}}})
    assert c.expected_debated is True and not c.verdict.debate and not c.agrees
    (c,) = casefile.compare(kb, {**CASE, "expected": {"art458": {**entry, "debated": False}}})
    assert c.agrees


@pytest.mark.parametrize("date", ["", "1800-01-01", "2026-02-30", "demain"])
def test_no_comparison_without_a_usable_date(kb, date):
    assert casefile.compare(kb, {**CASE, "date": date}) is None


def test_no_comparison_with_a_bad_fact(kb):
    assert casefile.compare(kb, {**CASE, "facts": {"informed_consent": "peut-être"}}) is None


def test_reading_leaves_no_file_behind(kb, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    casefile.read(kb, casefile.dump([CASE]).encode())
    _errors(kb, b"schema_version: 1\ncases:\n  - id: [\n")
    assert list(Path(tmp_path).iterdir()) == []

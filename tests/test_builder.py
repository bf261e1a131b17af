"""The « Atelier de cas » widget (`casebook.interface.pages.builder`) driven from Python: fields set
programmatically, the live comparison with the engine, the export text and its download link,
uploads of good and bad files through its import button, and the round trip of every worked
case of the project through the builder."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import re
from html import escape
from pathlib import Path

import pytest
from test_casefile import CASE, assert_same_scenario
from test_transfer import upload

from casebook.interface import ui
from casebook.interface.pages.builder import CaseBuilder
from casebook.law import casefile
from casebook.law.scenarios import scenario_files
from casebook.law.yamlio import load_yaml

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SHARING = ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
           "same_mission", "informed_consent", "only_necessary", "in_person_interest")


def fill_sharing_case(b: CaseBuilder, outcome: str = "faculte_de_partager") -> None:
    b.id.value = "partage-atelier"
    b.title.value = "Partager avec la psychologue"
    b.narrative.value = "Mme D. accepte que vous partagiez."
    b.date.value = dt.date(2026, 11, 2)
    b.provisions.value = ("secret_partage",)
    b._rows["secret_partage"][1].value = outcome
    for fid in SHARING:
        b.form.controls[fid].value = "oui"
    b.teaching.value = "Les cinq conditions sont réunies."
    b.misconceptions.value = "Entre collègues, tout se dit.\n\nLe partage devient obligatoire."
    b.source.value = "Cas écrit en atelier"


def compared(b: CaseBuilder, pid: str) -> dict[str, str]:
    row = re.search(rf'<div class="cb-compare [^"]*" data-provision="{pid}"[^>]*>', b.comparison.value)
    assert row, b.comparison.value
    return dict(re.findall(r'(data-[a-z]+)="([^"]*)"', row.group(0)))


def downloaded(b: CaseBuilder, index: int = 0) -> tuple[str, str]:
    """The file name and text of the index-th download link."""
    links = re.findall(r'download="([^"]+)"[^>]*href="data:text/yaml;charset=utf-8;base64,([^"]+)"',
                       b.download.value)
    name, data = links[index]
    return name, base64.b64decode(data).decode("utf-8")


@pytest.fixture
def builder(kb) -> CaseBuilder:
    return CaseBuilder(kb, NOTEBOOKS)


def test_ui_builder_is_the_atelier_widget():
    widget = ui.builder()
    assert "cb-builder" in widget._dom_classes


def test_a_new_case_lists_what_is_missing_and_offers_no_download(builder):
    problems = builder.draft.problems()
    assert any(p.startswith("Identifiant : à remplir") for p in problems)
    assert "Titre : à remplir." in problems
    assert "Dispositions visées : choisissez au moins une disposition." in problems
    assert "À compléter avant l'export" in builder.problems_html.value
    assert "cb-download" not in builder.download.value


def test_the_engine_answer_is_shown_beside_the_expected_one(builder):
    fill_sharing_case(builder)
    row = compared(builder, "secret_partage")
    assert row == {"data-provision": "secret_partage", "data-engine": "faculte_de_partager",
                   "data-agrees": "oui"}
    assert 'attendu : <span class="cb-expected">Faculté de partager</span>' in builder.comparison.value
    assert "<mark>" not in builder.comparison.value
    builder.form.controls["informed_consent"].value = "non"
    row = compared(builder, "secret_partage")
    assert row["data-engine"] == "obligation_de_se_taire" and row["data-agrees"] == "non"
    assert 'moteur : <span class="cb-engine"><mark>Obligation de se taire</mark>' in builder.comparison.value
    assert "réponse différente" in builder.comparison.value


def test_an_expected_version_that_does_not_apply_is_marked(builder):
    fill_sharing_case(builder)
    builder.provisions.value = ("secret_partage", "art458")
    builder._rows["art458"][1].value = "obligation_de_se_taire"
    assert compared(builder, "art458")["data-agrees"] == "oui"
    builder._rows["art458"][2].value = "art458-1867"
    assert compared(builder, "art458")["data-agrees"] == "non"
    assert "version différente" in builder.comparison.value
    assert builder.draft.case["expected"]["art458"] == {"outcome": "obligation_de_se_taire",
                                                        "version": "art458-1867"}


def test_the_fact_form_asks_what_the_chosen_provisions_read(kb, builder):
    assert builder.form.controls == {}
    builder.provisions.value = ("secret_partage", "temoignage")
    assert set(builder.form.controls) == set(kb.facts_of("secret_partage")) | set(kb.facts_of("temoignage"))


def test_a_complete_case_downloads_as_a_file_casebook_check_accepts(kb, builder, tmp_path):
    from casebook import cli

    fill_sharing_case(builder)
    assert builder.draft.problems() == []
    name, text = downloaded(builder)
    assert name == "partage-atelier.yaml"
    assert text == builder.draft.export_text()
    assert text.startswith("schema_version: 1\ncases:\n  - id: partage-atelier\n")
    (case,) = casefile.read(kb, text.encode()).cases
    assert case["misconceptions"] == ["Entre collègues, tout se dit.", "Le partage devient obligatoire."]
    assert case["facts"] == dict.fromkeys(SHARING, True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert cli.main(["check", str(path)]) == 0


def test_the_download_follows_every_change(builder):
    fill_sharing_case(builder)
    builder.title.value = "Un autre titre"
    assert 'title: "Un autre titre"' in downloaded(builder)[1]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id", "Mon Cas", "Identifiant : seulement des lettres minuscules"),
    ("id", "-cas", "Identifiant : seulement des lettres minuscules"),
    ("url", "ftp://exemple.be", "Adresse web : doit commencer par http:// ou https://"),
    ("title", "   ", "Titre : à remplir."),
])
def test_a_bad_value_typed_is_named_in_french_and_kept_as_typed(builder, field, value, message):
    fill_sharing_case(builder)
    getattr(builder, field).value = value
    assert any(p.startswith(message) for p in builder.draft.problems())
    assert message in builder.problems_html.value
    assert "cb-download" not in builder.download.value
    assert getattr(builder, field).value == value
    where = builder.draft.case["provenance"] if field == "url" else builder.draft.case
    assert where[field] == value


def test_a_date_out_of_the_period_or_missing_is_said_and_the_engine_waits(builder):
    fill_sharing_case(builder)
    builder.date.value = dt.date(1985, 1, 1)
    assert any("Date des faits : date hors de la période couverte" in p for p in builder.draft.problems())
    assert "Le moteur ne peut pas répondre" in builder.comparison.value
    assert builder.draft.case["date"] == "1985-01-01"
    builder.date.value = None
    assert "Date des faits : à indiquer (AAAA-MM-JJ)." in builder.draft.problems()


def test_a_published_source_needs_its_date_and_reference(builder):
    fill_sharing_case(builder)
    builder.provenance.value = "publie"
    problems = builder.draft.problems()
    assert "Date de publication : obligatoire pour une source publiée." in problems
    assert "Source publiée : indiquez une référence ou une adresse web." in problems
    builder.published.value = dt.date(2022, 6, 2)
    builder.reference.value = "Avis n° 12"
    assert builder.draft.problems() == []
    assert builder.draft.case["provenance"] == {"type": "publie", "source": "Cas écrit en atelier",
                                                "date": "2022-06-02", "reference": "Avis n° 12"}
    builder.reference.value = ""
    assert "reference" not in builder.draft.case["provenance"]


def test_text_typed_is_escaped_in_the_page(builder):
    fill_sharing_case(builder)
    builder.title.value = "<script>alert(1)</script>"
    builder.id.value = "<b>x</b>"
    assert "<script>" not in builder.download.value + builder.problems_html.value
    assert "&lt;b&gt;x&lt;/b&gt;" in builder.problems_html.value


def test_every_worked_case_comes_back_from_the_builder_unchanged(kb, builder):
    for sc in ui.scenarios():
        data = casefile.case_data(sc)
        builder.load([copy.deepcopy(data)])
        assert builder.draft.case == data, sc.id  # showing a case writes nothing back
        assert builder.draft.problems() == [], sc.id
        (back,) = casefile.read(kb, builder.draft.export_text().encode()).scenarios
        assert_same_scenario(back, sc)


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_every_scenario_file_comes_back_from_an_upload_unchanged(kb, builder, path):
    builder.importer.upload.value = upload(path.read_bytes(), path.name)
    raw = load_yaml(path).data["cases"]
    assert "importé" in builder.importer.message.value
    assert builder.importer.upload.value == ()
    for index in range(len(raw)):  # show each case in turn: nothing changes
        builder.picker.value = index
        assert builder.title.value == raw[index]["title"]
    assert builder.draft.cases == raw
    back = casefile.read(kb, builder.draft.file_text().encode(), path.name)
    assert list(back.cases) == raw  # review notes and every provenance detail kept
    from casebook.law.scenarios import load_scenarios

    for got, want in zip(back.scenarios, load_scenarios(kb, [path]), strict=True):
        assert_same_scenario(got, want)


def test_a_file_of_several_cases_offers_a_picker_and_keeps_the_others(kb, builder):
    path = next(p for p in scenario_files() if p.name == "publies_ecole.yaml")
    builder.importer.upload.value = upload(path.read_bytes(), path.name)
    assert builder.picker.layout.display == "flex"
    assert len(builder.picker.options) == len(builder.draft.cases) > 1
    builder.picker.value = 1
    note = builder.draft.case["review"]["note"]
    assert "Note de relecture" in builder.review_note.value
    builder.title.value = "Titre changé"
    builder.picker.value = 0
    builder.picker.value = 1
    assert builder.title.value == "Titre changé"
    assert builder.draft.case["review"]["note"] == note
    names = [downloaded(builder, i)[0] for i in range(2)]
    assert names == [f"{builder.draft.case['id']}.yaml", "publies_ecole.yaml"]
    whole = casefile.read(kb, downloaded(builder, 1)[1].encode())
    assert whole.cases[1]["title"] == "Titre changé" and len(whole.cases) == len(builder.draft.cases)


def _bad_case(**changes) -> bytes:
    return casefile.dump([{**CASE, **changes}]).encode()


BAD = {
    "yaml": (b"schema_version: 1\ncases:\n  - id: [\n", "mauvais.yaml, ligne 4 : erreur de syntaxe YAML"),
    "schema": (b"schema_version: 1\ncases:\n  - id: x\n",
               "mauvais.yaml, ligne 3 (cases[0]) : champ obligatoire"),
    "fact": (_bad_case(facts={"no_such_fact": True}), "ligne 9 (cases[0].facts.no_such_fact) : fait inconnu"),
    "option": (_bad_case(facts={"profession": "astronaute"}),
               "ligne 9 (cases[0].facts.profession) : valeur inconnue ; valeurs permises"),
    "provision": (_bad_case(expected={"no_such_rule": {"outcome": "non_applicable"}}),
                  "(cases[0].expected.no_such_rule) : disposition inconnue « no_such_rule »"),
    "too_big": (b" " * (casefile.MAX_BYTES + 1), "fichier trop volumineux"),
    "not_utf8": (b"\xff\xfe\x00", "illisible en UTF-8"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_upload_lists_its_errors_and_keeps_what_was_there(builder, kind):
    content, words = BAD[kind]
    fill_sharing_case(builder)
    before = copy.deepcopy(builder.draft.cases)
    shown = (builder.title.value, builder.narrative.value, builder.provisions.value,
             {f: c.value for f, c in builder.form.controls.items()})
    builder.importer.upload.value = upload(content, "mauvais.yaml")
    message = builder.importer.message.value
    assert "cb-import-errors" in message and "« mauvais.yaml » n'a pas été importé" in message
    assert escape(words) in message
    assert builder.draft.cases == before
    assert shown == (builder.title.value, builder.narrative.value, builder.provisions.value,
                     {f: c.value for f, c in builder.form.controls.items()})
    assert "cb-download" in builder.download.value  # the case on screen still exports


def test_a_hidden_review_note_survives_an_edit(kb, builder):
    case = {**copy.deepcopy(CASE), "review": {"status": "relu", "note": "Relu par l'équipe."}}
    builder.importer.upload.value = upload(casefile.dump([case]).encode(), "note.yaml")
    builder.title.value = "Nouveau titre"
    (back,) = casefile.read(kb, builder.draft.export_text().encode()).cases
    assert back["review"] == {"status": "relu", "note": "Relu par l'équipe."}
    assert back["title"] == "Nouveau titre"


def test_removing_a_provision_drops_its_expected_answer_only(builder):
    fill_sharing_case(builder)
    builder.provisions.value = ("secret_partage", "art458")
    builder._rows["art458"][1].value = "obligation_de_se_taire"
    builder.provisions.value = ("art458",)
    assert builder.draft.case["expected"] == {"art458": {"outcome": "obligation_de_se_taire"}}
    assert builder.draft.case["facts"] == dict.fromkeys(SHARING, True)  # answered facts stay
    builder.provisions.value = ("art458", "secret_partage")
    assert builder._rows["secret_partage"][1].value == ""
    assert "Réponse attendue pour « Secret partagé » : à choisir." in builder.draft.problems()


def test_the_misconceptions_field_says_how_to_key_a_line_to_an_answer(builder):
    assert "[Faculté de partager] Entre collègues, tout se dit." in builder.misconceptions.placeholder
    help_text = builder.misconceptions_help.value
    assert "<code>[Faculté de partager] Entre collègues, tout se dit.</code>" in help_text
    assert "<code>[Faculté de partager — Secret partagé] …</code>" in help_text
    assert "Obligation de se taire, Faculté de partager, Faculté de parler" in help_text
    assert builder.misconceptions_help in builder.widget.children


def test_a_keyed_misconception_goes_out_and_comes_back_through_the_field(kb, builder):
    fill_sharing_case(builder)
    builder.misconceptions.value = ("Entre collègues, tout se dit.\n[Obligation de communiquer — "
                                    "Secret partagé] Le partage devient obligatoire.")
    (case,) = casefile.read(kb, downloaded(builder)[1].encode()).cases
    assert case["misconceptions"] == [
        "Entre collègues, tout se dit.",
        {"text": "Le partage devient obligatoire.", "answer": "obligation_de_communiquer",
         "provision": "secret_partage"}]
    builder.importer.upload.value = upload(casefile.dump([case]).encode(), "cle.yaml")
    assert builder.misconceptions.value == (
        "Entre collègues, tout se dit.\n"
        "[Obligation de communiquer — Secret partagé] Le partage devient obligatoire.")
    assert builder.draft.case == case  # showing it wrote nothing back


def test_an_unknown_answer_in_brackets_blocks_the_download_and_keeps_the_line(builder):
    fill_sharing_case(builder)
    builder.misconceptions.value = "[Faculté de tout dire] Entre collègues, tout se dit."
    assert "« Faculté de tout dire » n&#x27;est pas une réponse" in builder.problems_html.value
    assert "cb-download" not in builder.download.value
    assert builder.draft.case["misconceptions"] == ["[Faculté de tout dire] Entre collègues, tout se dit."]


def test_a_course_file_opens_whole_one_case_is_edited_and_the_file_downloads_whole(kb, tmp_path):
    import shutil

    from conftest import EXAMPLE_COURSE

    from casebook.law.course import Folder

    (tmp_path / "cours").mkdir()
    source = tmp_path / "cours" / "stages.yaml"
    shutil.copy(EXAMPLE_COURSE / "stages.yaml", source)
    b = CaseBuilder(kb, NOTEBOOKS, course=Folder(tmp_path / "cours", "test"))
    b.course_files.picker.value = "stages.yaml"
    assert b.picker.layout.display == "flex" and len(b.draft.cases) == 3
    before = casefile.read(kb, source.read_bytes()).cases
    b.picker.value = 2
    b.title.value = "Exemple — Un titre retouché"
    names = [downloaded(b, i)[0] for i in range(2)]
    assert names == ["exemple-stage-inspecteur.yaml", "stages.yaml"]
    whole = casefile.read(kb, downloaded(b, 1)[1].encode()).cases
    assert list(whole[:2]) == list(before[:2])
    assert whole[2] == {**before[2], "title": "Exemple — Un titre retouché"}

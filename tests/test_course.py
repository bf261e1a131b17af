"""The course folder (`casebook.law.course`): where it is found (--cours, CASEBOOK_COURS, the
repository's cours/), which files it reads, the checks of `casebook check` plus ids already used,
all or nothing, and a changed file picked up by the next page through its snapshot."""

from __future__ import annotations

import shutil

import pytest
from conftest import EXAMPLE_COURSE

from casebook.interface.ui import builtin_scenarios
from casebook.law import casefile, course
from casebook.law.errors import DataErrors

EXAMPLE = EXAMPLE_COURSE / "stages.yaml"


def _case(kb, **changes) -> dict:
    """The example course's second case, as its file holds it, with `changes`."""
    return {**casefile.read(kb, EXAMPLE.read_bytes()).cases[1], **changes}


@pytest.fixture
def folder(tmp_path) -> course.Folder:
    """A course folder in tmp_path holding a copy of the example course."""
    target = tmp_path / "cours"
    target.mkdir()
    shutil.copy(EXAMPLE, target / "stages.yaml")
    return course.Folder(target, "test")


def _errors(kb, folder: course.Folder) -> list[str]:
    with pytest.raises(DataErrors) as caught:
        course.load(kb, folder, builtin_scenarios())
    return [str(e) for e in caught.value.errors]


# -- where ----------------------------------------------------------------------------------------

def test_the_option_comes_first_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(course.ENV, str(tmp_path / "env"))
    found = course.locate(tmp_path / "option")
    assert found.path == tmp_path / "option" and found.origin == "option --cours"
    found = course.locate()
    assert found.path == tmp_path / "env" and "CASEBOOK_COURS" in found.origin


def test_a_relative_folder_is_read_from_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(course.ENV, "mon-cours")
    assert course.locate().path == tmp_path / "mon-cours"


def test_without_option_or_variable_the_repository_cours_folder_when_present(monkeypatch, tmp_path):
    monkeypatch.delenv(course.ENV, raising=False)
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(course, "project_root", lambda: tmp_path)
    assert course.locate() is None
    (tmp_path / "cours").mkdir()
    found = course.locate()
    assert found.path == tmp_path / "cours" and found.origin == "dossier cours/ du dépôt"


# -- what -----------------------------------------------------------------------------------------

def test_every_case_of_every_file_is_loaded_as_a_course_case(kb, folder):
    second = casefile.dump([_case(kb, id="stage-second-fichier")])
    (folder.path / "autre.yml").write_text(second, encoding="utf-8")
    cases = course.load(kb, folder, builtin_scenarios())
    assert [s.id for s in cases] == ["stage-second-fichier", "exemple-stage-enseignant-curieux",
                                     "exemple-stage-psychologue-accord", "exemple-stage-inspecteur"]
    assert all(s.course for s in cases) and not any(s.course for s in builtin_scenarios())


def test_hidden_files_other_files_and_subfolders_are_left_alone(kb, folder):
    (folder.path / ".brouillon.yaml").write_text("pas du YAML : [", encoding="utf-8")
    (folder.path / "notes.txt").write_text("rien", encoding="utf-8")
    (folder.path / "archives").mkdir()
    (folder.path / "archives" / "vieux.yaml").write_text("pas du YAML : [", encoding="utf-8")
    assert len(course.load(kb, folder, builtin_scenarios())) == 3


def test_an_empty_folder_gives_no_case(kb, tmp_path):
    assert course.load(kb, course.Folder(tmp_path, "test"), builtin_scenarios()) == ()


def test_a_missing_folder_or_a_file_is_said_in_french(kb, tmp_path):
    assert _errors(kb, course.Folder(tmp_path / "absent", "option --cours")) == [
        f"{tmp_path / 'absent'} (option --cours) : dossier du cours introuvable"]
    (tmp_path / "fichier").write_text("x")
    assert "ce n'est pas un dossier" in _errors(kb, course.Folder(tmp_path / "fichier", "test"))[0]


# -- checks ---------------------------------------------------------------------------------------

def test_an_id_of_the_casebook_is_refused_with_its_line_and_where_it_is_used(kb, folder):
    taken = builtin_scenarios()[0]
    (folder.path / "double.yaml").write_text(casefile.dump([_case(kb, id=taken.id)]), encoding="utf-8")
    errors = _errors(kb, folder)
    assert errors == [f"{folder.path / 'double.yaml'}, ligne 3 (cases[0].id) : identifiant de cas en "
                      f"double : {taken.id} (déjà dans {taken.file})"]


def test_an_id_used_by_another_course_file_is_refused(kb, folder):
    (folder.path / "zz.yaml").write_text(casefile.dump([_case(kb)]), encoding="utf-8")
    errors = _errors(kb, folder)
    assert len(errors) == 1 and "identifiant de cas en double : exemple-stage-psychologue-accord" in errors[0]
    assert "déjà dans" in errors[0] and "stages.yaml" in errors[0]


@pytest.mark.parametrize(("text", "words"), [
    ("schema_version: 1\ncases:\n  - id: [\n", "ligne 4 : erreur de syntaxe YAML"),
    (casefile.dump([{**casefile.blank_case(), "id": "x"}]),
     "ligne 4 (cases[0].title) : ne peut pas être vide"),
])
def test_a_bad_file_keeps_every_case_out_and_names_its_line(kb, folder, text, words):
    (folder.path / "mauvais.yaml").write_text(text, encoding="utf-8")
    errors = _errors(kb, folder)
    assert any("mauvais.yaml" in e and words in e for e in errors), errors


def test_an_unknown_fact_and_value_are_named(kb, folder):
    bad = _case(kb, id="stage-faits", facts={"no_such_fact": True, "profession": "astronaute"})
    (folder.path / "faits.yaml").write_text(casefile.dump([bad]), encoding="utf-8")
    errors = _errors(kb, folder)
    assert any("(cases[0].facts.no_such_fact) : fait inconnu" in e for e in errors)
    assert any("(cases[0].facts.profession) : valeur inconnue" in e for e in errors)


# -- pages and snapshots ----------------------------------------------------------------------------

def test_a_page_gets_the_cases_or_the_errors_never_an_exception(kb, folder):
    assert course.for_pages(kb, builtin_scenarios(), None) == course.Course(None)
    shown = course.for_pages(kb, builtin_scenarios(), folder)
    assert len(shown.cases) == 3 and shown.errors == ()
    (folder.path / "mauvais.yaml").write_text("schema_version: 1\ncases:\n  - id: [\n", encoding="utf-8")
    shown = course.for_pages(kb, builtin_scenarios(), folder)
    assert shown.cases == () and "ligne 4" in str(shown.errors[0])


def test_a_changed_file_is_picked_up_by_the_next_read_through_a_new_snapshot(kb, folder, monkeypatch,
                                                                               tmp_path):
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "snapshots"))
    before = course.fingerprint(folder)
    assert course.cases(kb, builtin_scenarios(), folder)[0].title.startswith("Exemple")
    assert len(list((tmp_path / "snapshots").glob("course-*.pickle"))) == 1
    path = folder.path / "stages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Exemple — L'institutrice", "Nouveau titre"),
                    encoding="utf-8")
    assert course.fingerprint(folder) != before
    assert course.cases(kb, builtin_scenarios(), folder)[0].title.startswith("Nouveau titre")
    assert len(list((tmp_path / "snapshots").glob("course-*.pickle"))) == 1  # the old one removed
    path.unlink()
    assert course.cases(kb, builtin_scenarios(), folder) == ()


def test_the_example_course_passes_casebook_check(kb, course_cases):
    from casebook.law.scenarios import check

    result = check(kb, list(course_cases))
    assert (result.passed, result.failed) == (3, 0)
    assert all(s.id.startswith("exemple-") and s.title.startswith("Exemple — ") for s in course_cases)

"""casebook.law.yamlio and casebook.law.errors: parsing YAML with the line of every value, and French
errors that name the file, the line and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.law.errors import DataError, DataErrors, format_path
from casebook.law.paths import data_dir, display_path
from casebook.law.yamlio import load_yaml

DOC = """\
# commentaire
schema_version: 1
cases:
  - id: premier
    date: 2020-05-04
    facts:
      a: true
      b: deux
  - id: second
    list:
      - x
      - y
"""


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_data_with_dates_as_iso_strings(tmp_path):
    doc = load_yaml(write(tmp_path, DOC))
    assert doc.data == {
        "schema_version": 1,
        "cases": [
            {"id": "premier", "date": "2020-05-04", "facts": {"a": True, "b": "deux"}},
            {"id": "second", "list": ["x", "y"]},
        ],
    }
    assert type(doc.data["cases"]) is list
    assert type(doc.data["cases"][0]) is dict


@pytest.mark.parametrize(("path", "line"), [
    ((), 2),
    (("schema_version",), 2),
    (("cases",), 3),
    (("cases", 0), 4),
    (("cases", 0, "date"), 5),
    (("cases", 0, "facts", "b"), 8),
    (("cases", 1), 9),
    (("cases", 1, "list", 1), 12),
    # a place that does not exist: the nearest parent that does
    (("cases", 0, "absent"), 4),
    (("cases", 7, "id"), 3),
    (("cases", 1, "list", 5), 10),
])
def test_line_of(tmp_path, path, line):
    assert load_yaml(write(tmp_path, DOC)).line_of(path) == line


def test_error_names_file_place_and_line(tmp_path):
    doc = load_yaml(write(tmp_path, DOC))
    error = doc.error(["cases", 0, "facts", "b"], "valeur inconnue")
    assert error == DataError(display_path(tmp_path / "doc.yaml"), "cases[0].facts.b", "valeur inconnue", 8)
    assert str(error) == f"{error.file}, ligne 8 (cases[0].facts.b) : valeur inconnue"


def test_file_inside_the_project_is_shown_relative():
    doc = load_yaml(data_dir() / "facts.yaml")
    assert doc.file == "data/facts.yaml"
    assert display_path(data_dir() / "provisions" / "art458.yaml") == "data/provisions/art458.yaml"


def test_file_outside_the_project_is_shown_absolute(tmp_path):
    path = write(tmp_path, "a: 1\n")
    assert load_yaml(path).file == path.resolve().as_posix()


def _error(path: Path) -> DataError:
    with pytest.raises(DataErrors) as info:
        load_yaml(path)
    (error,) = info.value.errors
    return error


def test_duplicate_key_names_the_key_and_line(tmp_path):
    error = _error(write(tmp_path, "a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n"))
    assert error.line == 5
    assert error.message == "clé en double « c » : chaque clé ne peut apparaître qu'une fois"


def test_syntax_error_names_the_line(tmp_path):
    error = _error(write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n"))
    assert error.message.startswith("erreur de syntaxe YAML : ")
    assert error.line in (2, 3)
    error = _error(write(tmp_path, "a: 1\ntitre: un: deux\n"))
    assert error.line == 2
    assert "erreur de syntaxe YAML" in error.message


def test_bad_indentation(tmp_path):
    error = _error(write(tmp_path, "a:\n  b: 1\n c: 2\n"))
    assert error.line == 3
    assert "erreur de syntaxe YAML" in error.message


@pytest.mark.parametrize("value", ["2019-02-30", "2021-13-01", "2019-02-29", "2020-02-29"])
def test_dates_stay_text(tmp_path, value):
    """Dates, even impossible ones, are read as text (the schemas check them and name the
    line), never turned into a Python ValueError while parsing."""
    doc = load_yaml(write(tmp_path, f"id: x\nversions:\n  - valid_from: {value}\n"))
    assert doc.data["versions"][0]["valid_from"] == value
    assert doc.line_of(["versions", 0, "valid_from"]) == 3


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("null", None), ("~", None), ("12", 12), ('"12"', "12"),
])
def test_scalars_follow_yaml_1_2(tmp_path, text, value):
    """Only true/false are booleans: a Belgian "no" (or "on", "off") stays a word."""
    assert load_yaml(write(tmp_path, f"a: {text}\n")).data == {"a": value}


def test_anchors_and_aliases_are_shared(tmp_path):
    doc = load_yaml(write(tmp_path, "a: &r {x: 1}\nb: *r\n"))
    assert doc.data == {"a": {"x": 1}, "b": {"x": 1}}


def test_empty_file(tmp_path):
    doc = load_yaml(write(tmp_path, "# rien\n"))
    assert doc.data is None


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("titre: « éducateur »\n".encode("latin-1"))
    error = _error(path)
    assert error.message.startswith("fichier illisible en UTF-8")


def test_data_errors_carry_every_error():
    errors = [DataError("f.yaml", "a", "premier", 1), DataError("g.yaml", "", "second")]
    exc = DataErrors(errors)
    assert exc.errors == errors
    assert str(exc) == "f.yaml, ligne 1 (a) : premier\ng.yaml : second"


@pytest.mark.parametrize(("parts", "text"), [
    ((), ""),
    (("cases", 3, "facts"), "cases[3].facts"),
    ((0, "a"), "[0].a"),
    (("versions", 0, "rule", "exceptions", 1, "when", "all", 2),
     "versions[0].rule.exceptions[1].when.all[2]"),
])
def test_format_path(parts, text):
    assert format_path(parts) == text

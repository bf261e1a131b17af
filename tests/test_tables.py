"""casebook.law.tables: reference tables read from CSV, every row checked against its schema; errors
name the row (its line in the file) and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import DataErrors
from casebook.law.paths import data_dir, display_path
from casebook.law.tables import Table, read_table, read_tables

HEADER = "id,name,trigger,qualifier,source,status\n"
GOOD = "coqueluche,Coqueluche,suspicion_clinique,,support de cours,secondary\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list:
    with pytest.raises(DataErrors) as info:
        read_table(path)
    return info.value.errors


def test_valid_table_is_read_as_text(tmp_path):
    frame = read_table(write(tmp_path, "diseases.csv", HEADER + GOOD + GOOD.replace("coqueluche", "gale")))
    assert list(frame["id"]) == ["coqueluche", "gale"]
    assert list(frame.columns) == ["id", "name", "trigger", "qualifier", "source", "status"]
    assert frame["qualifier"].iloc[0] == ""  # empty cells stay empty strings, not NaN


def test_bad_enum_names_row_and_column(tmp_path):
    path = write(tmp_path, "diseases.csv", HEADER + GOOD + GOOD.replace("suspicion_clinique", "suspicion"))
    (error,) = errors_of(path)
    assert error.file == display_path(path)
    assert error.line == 3
    assert error.place == "colonne trigger"
    assert error.message == ("valeur inconnue ; valeurs permises : suspicion_clinique, diagnostic_confirme, "
                             "hors_liste ; reçu : « suspicion »")
    assert str(error) == f"{error.file}, ligne 3 (colonne trigger) : {error.message}"


def test_every_bad_row_is_reported(tmp_path):
    rows = [GOOD, GOOD.replace("secondary", "vérifié"), GOOD, GOOD.replace("coqueluche,", "Coqueluche,", 1)]
    errors = errors_of(write(tmp_path, "diseases.csv", HEADER + "".join(rows)))
    assert [(e.line, e.place) for e in errors] == [(3, "colonne status"), (5, "colonne id")]
    assert "reçu : « vérifié »" in errors[0].message
    assert errors[1].message.startswith("format invalide (motif attendu : ")
    assert "reçu : « Coqueluche »" in errors[1].message


def test_bad_date(tmp_path):
    header = "date,provision,event,kind,status,source\n"
    path = write(tmp_path, "timeline.csv", header + "2019-02-30,art458,Événement,loi,secondary,source\n")
    (error,) = errors_of(path)
    assert (error.line, error.place) == (2, "colonne date")
    assert error.message == "attendu : une date réelle au format AAAA-MM-JJ ; reçu : « 2019-02-30 »"


def test_empty_required_text(tmp_path):
    (error,) = errors_of(write(tmp_path, "diseases.csv", HEADER + GOOD.replace("Coqueluche", "")))
    assert (error.line, error.place, error.message) == (2, "colonne name", "ne peut pas être vide")


def test_missing_column(tmp_path):
    text = "id,name,trigger,qualifier,source\ncoqueluche,Coqueluche,suspicion_clinique,,cours\n"
    (error,) = errors_of(write(tmp_path, "diseases.csv", text))
    assert error.line == 2
    assert error.message == "champ obligatoire manquant : « status »"


def test_unknown_column(tmp_path):
    text = HEADER.replace("status", "status,extra") + GOOD.replace("secondary", "secondary,x")
    (error,) = errors_of(write(tmp_path, "diseases.csv", text))
    assert error.line == 2
    assert error.message.startswith("champ inconnu : extra (champs permis : id, name, qualifier,")


def test_table_without_schema(tmp_path):
    (error,) = errors_of(write(tmp_path, "inconnue.csv", "a,b\n1,2\n"))
    assert error.message == "aucun schéma pour la table « inconnue »"


SHIFTED = "meningo,Méningite, invasive,suspicion_clinique,,src,secondary\n"  # unquoted comma


@pytest.mark.parametrize("text", ["", 'id,name\n"coqueluche,Coqueluche\n', HEADER + GOOD + SHIFTED])
def test_unreadable_csv(tmp_path, text):
    (error,) = errors_of(write(tmp_path, "diseases.csv", text))
    assert error.message.startswith("CSV illisible")


def test_unquoted_comma_names_the_line(tmp_path):
    text = HEADER + GOOD + SHIFTED
    (error,) = errors_of(write(tmp_path, "diseases.csv", text))
    assert "line 3" in error.message or error.line == 3


def test_not_utf8(tmp_path):
    path = tmp_path / "diseases.csv"
    path.write_bytes((HEADER + GOOD.replace("Coqueluche", "Méningite")).encode("latin-1"))
    (error,) = errors_of(path)
    assert error.message.startswith("CSV illisible")


def test_read_tables_reports_every_file(tmp_path):
    write(tmp_path, "diseases.csv", HEADER + GOOD.replace("secondary", "x"))
    write(tmp_path, "sectors.csv", "id,name,framework,status\nsante,Santé,Décret,y\n")
    with pytest.raises(DataErrors) as info:
        read_tables(tmp_path)
    assert [e.file.rsplit("/", 1)[-1] for e in info.value.errors] == ["diseases.csv", "sectors.csv"]


def test_real_tables(kb):
    tables = read_tables(data_dir() / "tables")
    assert set(tables) == {p.stem for p in (data_dir() / "tables").glob("*.csv")}
    assert {"diseases", "timeline", "offence_categories", "offences_458bis"} <= set(tables)
    for name, frame in tables.items():
        assert len(frame) > 0, name
    # every provision named by the timeline exists
    assert set(tables["timeline"]["provision"]) <= set(kb.provisions)


def test_table_keeps_text_cells_without_pandas(tmp_path):
    frame = read_table(write(tmp_path, "diseases.csv", HEADER + GOOD + GOOD.replace("coqueluche", "gale")))
    table = Table.from_frame(frame)
    assert table.columns == ("id", "name", "trigger", "qualifier", "source", "status")
    assert table["id"] == ("coqueluche", "gale")
    assert table["qualifier"] == ("", "")
    assert "trigger" in table and "nope" not in table
    assert len(table) == 2
    assert table.where("id", "gale")["name"] == ("Coqueluche",)
    assert not table.where("id", "rougeole")


def test_optional_date_must_be_a_real_date_or_empty(tmp_path):
    """A malformed date never reaches a page: the table is refused, naming row and column."""
    header = "key,offence,from,until,prison,fine_nominal,multiplier,fine_effective,status,source\n"
    row = "art458,Art. 458,2019-02-30,,8 jours,100 €,×6,600 €,verified,src\n"
    (error,) = errors_of(write(tmp_path, "penalties.csv", header + row))
    assert (error.line, error.place) == (2, "colonne from")
    assert error.message.startswith("attendu : une date réelle au format AAAA-MM-JJ, ou une cellule vide")
    assert error.message.endswith("reçu : « 2019-02-30 »")

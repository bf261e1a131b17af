"""Printable handouts: static HTML with the texts, commentary, tables and worked cases, no code,
no widget, and nothing loaded from another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.interface.exports.handouts import WIDGET_NOTE, export

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(scope="module")
def handout(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("handouts")
    return export(NOTEBOOKS / "03_secret_partage.ipynb", out).read_text(encoding="utf-8")


def test_handout_keeps_texts_commentary_and_worked_cases(handout):
    assert "Le secret partagé : cinq conditions cumulatives" in handout
    assert "Commentaire" in handout
    assert "Cas pratiques résolus" in handout and "cb-table" in handout
    assert "Faculté de partager" in handout


def test_handout_has_no_code_no_widget_and_no_remote_resource(handout):
    assert "from casebook" not in handout and "ui.explorer" not in handout
    assert "application/vnd.jupyter.widget-view+json" not in handout
    assert WIDGET_NOTE.strip("*")[:40] in handout
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", handout)
    assert "cdnjs" not in handout and "cdn.jsdelivr" not in handout


def test_command_exports_every_notebook(tmp_path, capsys):
    assert main(["handouts", "--out", str(tmp_path)]) == 0
    written = sorted(p.stem for p in tmp_path.glob("*.html"))
    assert written == sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert "pages imprimables" in capsys.readouterr().out


def test_a_course_adds_its_page_with_the_engines_answers(kb, course_cases, tmp_path):
    from html import escape

    from casebook.interface.exports.handouts import COURSE_PAGE, export_course

    page = export_course(kb, course_cases, tmp_path)
    assert page.name == COURSE_PAGE == "cas_du_cours.html"
    text = page.read_text(encoding="utf-8")
    assert text.count('class="cb-fiche-answer"') == 5 and "Réponse du casebook" in text
    assert all(escape(sc.title) in text for sc in course_cases)
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", text)

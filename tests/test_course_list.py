"""The accueil's « Cas du cours » (`casebook.interface.pages.course_list`) and what a page of a
server with a course folder offers (`ui`, in a kernel of its own): each course case listed with
the link that opens it, a link to train on them, the errors of a bad folder, and the course cases
in the explorers' pickers, marked « cas du cours », and in the training round's themes."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE_COURSE

from casebook.interface.pages.course_list import MAX_LISTED, case_link, course_html
from casebook.law.course import Course, Folder
from casebook.law.errors import DataError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
FOLDER = Folder(EXAMPLE_COURSE, "test")


def test_without_a_course_case_nothing_is_shown(kb):
    assert course_html(kb, Course(None), NOTEBOOKS) == ""
    assert course_html(kb, Course(FOLDER), NOTEBOOKS) == ""


def test_each_case_opens_in_the_explorer_of_its_first_provision_with_one(kb, course_cases):
    html = course_html(kb, Course(FOLDER, course_cases), NOTEBOOKS)
    assert html.count('class="cb-course-case"') == 3
    assert 'href="01_art458.ipynb?cas=exemple-stage-enseignant-curieux"' in html
    assert 'href="03_secret_partage.ipynb?cas=exemple-stage-psychologue-accord"' in html
    assert 'class="cb-course-training" href="18_entrainement.ipynb?sujet=cours"' in html
    assert "Votre enseignant·e a ajouté 3 cas" in html


def test_a_case_without_an_explorer_opens_in_the_navigator(kb, course_cases, tmp_path):
    link, where = case_link(kb, course_cases[0], tmp_path)  # no notebook there: no explorer
    assert link == "15_puis_je_parler.ipynb?cas=exemple-stage-enseignant-curieux&sujet=tout"
    assert where == "« Puis-je parler ? »"


def test_titles_are_escaped_and_a_long_list_is_counted(kb, course_cases):
    many = tuple(dataclasses.replace(course_cases[0], id=f"cas-{i}", title=f"<i>Cas {i}</i>")
                 for i in range(MAX_LISTED + 2))
    html = course_html(kb, Course(FOLDER, many), NOTEBOOKS)
    assert "<i>Cas" not in html and "&lt;i&gt;Cas 0&lt;/i&gt;" in html
    assert html.count('class="cb-course-case"') == MAX_LISTED and "… et 2 autre(s) cas." in html


def test_a_bad_folder_shows_its_errors_and_no_case(kb):
    errors = (DataError("cours/stages.yaml", "cases[0].id", "identifiant de cas en <double>", 3),)
    html = course_html(kb, Course(FOLDER, (), errors), NOTEBOOKS)
    assert 'role="alert"' in html and "aucun de ses cas n'est affiché" in html
    assert "cours/stages.yaml, ligne 3 (cases[0].id) : identifiant de cas en &lt;double&gt;" in html


PAGE = """
import json
from casebook.interface import ui
from casebook.interface.pages.training import from_query
explorer = ui.explorer("secret_partage", "accord_personne")
round_ = from_query(ui.load(), ui.scenarios(), {"graine": "3", "sujet": "cours", "n": "5"})
print(json.dumps({"list": ui.course_cases().value,
                  "picker": [label for label, _ in explorer.children[1].options],
                  "themes": [label for label, _ in round_.theme.options],
                  "drawn": [q.scenario.id for q in round_.questions]}))
"""


def test_a_page_of_a_server_with_a_course_offers_its_cases_everywhere():
    env = {**os.environ, "CASEBOOK_COURS": str(EXAMPLE_COURSE)}
    proc = subprocess.run([sys.executable, "-c", PAGE], env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    shown = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "exemple-stage-inspecteur" in shown["list"]
    marked = "Exemple — Partager avec la psychologue, avec l'accord de M. Renard — cas du cours"
    assert marked in shown["picker"]
    assert shown["themes"][-1] == "Cas du cours"
    assert sorted(set(shown["drawn"])) == ["exemple-stage-enseignant-curieux", "exemple-stage-inspecteur",
                                           "exemple-stage-psychologue-accord"]

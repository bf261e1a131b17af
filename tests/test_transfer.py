"""Case files into and out of the « Atelier de cas » (`casebook.interface.pages.transfer`): uploads in
the value format of ipywidgets 8's FileUpload that are refused say why in French, with the
file's name shortened and escaped; the links « Ouvrir ce cas » open the explorer of the
provision (or the navigator) on the case's date and facts; explorer dashboards are found by
reading the notebooks."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qsl

from test_casefile import CASE

from casebook.interface.pages.draft import CaseDraft
from casebook.interface.pages.transfer import Importer, explorer_pages, file_name, links_html
from casebook.law import casefile

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def upload(content: bytes, name: str = "cas.yaml") -> tuple[dict, ...]:
    """What FileUpload.value holds once the browser has sent one file."""
    return ({"name": name, "type": "application/x-yaml", "size": len(content),
             "content": memoryview(content), "last_modified": dt.datetime(2026, 11, 2, 10, 0)},)


def importer(kb) -> tuple[Importer, list]:
    """An importer, and the list of what it opened (cases and file name)."""
    opened: list = []
    return Importer(kb, lambda cases, name: opened.append((cases, name))), opened


def sharing_draft(kb) -> CaseDraft:
    draft = CaseDraft(kb)
    draft.load([copy.deepcopy(CASE)])
    return draft


def test_two_files_at_once_or_unreadable_content_are_refused(kb):
    imp, opened = importer(kb)
    two = upload(b"a", "a.yaml") + upload(b"b", "b.yaml")
    imp.upload.value = two
    assert "un seul fichier à la fois (2 reçus)" in imp.message.value
    imp.import_file(({"name": "x.yaml", "content": None},))
    assert "contenu illisible" in imp.message.value
    assert opened == []


def test_a_lone_case_without_its_file_header_gets_a_hint(kb):
    imp, opened = importer(kb)
    lone = casefile.dump([CASE]).split("cases:\n", 1)[1]
    lone = "\n".join(line[4:] for line in lone.splitlines()).encode()
    assert lone.startswith(b"id: partage-essai\n")
    imp.upload.value = upload(lone, "seul.yaml")
    message = imp.message.value
    assert "seul.yaml, ligne 1 : champ obligatoire manquant" in message
    assert "semble ne contenir qu&#x27;un cas seul" in message
    assert opened == []


def test_an_uploaded_name_is_shortened_and_escaped(kb):
    imp, _ = importer(kb)
    imp.upload.value = upload(b"a: [", "../../<img src=x onerror=alert(1)>.yaml")
    assert "<img" not in imp.message.value
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml" in imp.message.value
    assert file_name("x" * 500).endswith("…") and len(file_name("x" * 500)) == 81
    assert file_name("") == "fichier importé"


def test_the_case_link_opens_the_explorer_of_the_provision(kb):
    html = links_html(sharing_draft(kb), NOTEBOOKS)
    (href,) = re.findall(r'class="cb-case-link" href="([^"]+)"', html)
    page, query = href.replace("&amp;", "&").split("?", 1)
    assert page == "03_secret_partage.ipynb"
    params = dict(parse_qsl(query))
    assert params["date"] == "2026-11-02"
    assert all(params[fid] == "oui" for fid in CASE["facts"])


def test_the_case_link_names_a_provision_that_is_not_its_explorers_first(kb):
    draft = sharing_draft(kb)
    draft.choose_provisions(["accord_personne"])
    (href,) = re.findall(r'class="cb-case-link" href="([^"]+)"', links_html(draft, NOTEBOOKS))
    assert href.startswith("03_secret_partage.ipynb?regle=accord_personne&amp;date=2026-11-02")


def test_without_an_explorer_the_link_goes_to_the_navigator(kb, tmp_path):
    html = links_html(sharing_draft(kb), tmp_path)  # a folder without dashboards
    (href,) = re.findall(r'class="cb-case-link" href="([^"]+)"', html)
    assert href.startswith("15_puis_je_parler.ipynb?date=2026-11-02")


def test_explorer_pages_are_read_from_the_notebooks():
    pages = explorer_pages(NOTEBOOKS)
    assert pages["secret_partage"] == ("03_secret_partage.ipynb", ("secret_partage", "accord_personne"))
    assert pages["art458"] == ("01_art458.ipynb", ("art458",))


# -- the course folder's files and the Moodle download ----------------------------------------------

def test_a_course_file_opens_whole_as_an_upload_would(kb, tmp_path):
    import shutil

    from conftest import EXAMPLE_COURSE

    from casebook.interface.pages.transfer import CourseFiles
    from casebook.law.course import Folder

    (tmp_path / "cours").mkdir()
    shutil.copy(EXAMPLE_COURSE / "stages.yaml", tmp_path / "cours" / "stages.yaml")
    (tmp_path / "cours" / "notes.txt").write_text("rien")
    imp, opened = importer(kb)
    files = CourseFiles(imp, Folder(tmp_path / "cours", "test"))
    assert [v for _label, v in files.picker.options] == ["", "stages.yaml"]
    assert files.picker.layout.display == "flex"
    files.picker.value = "stages.yaml"
    (cases, name), = opened
    assert name == "stages.yaml" and len(cases) == 3 and files.picker.value == ""
    assert "« stages.yaml » importé : 3 cas." in imp.message.value
    assert CourseFiles(imp, None).picker.layout.display == "none"
    assert CourseFiles(imp, Folder(tmp_path / "absent", "test")).files == {}


def test_a_complete_case_also_downloads_for_moodle_and_says_how_it_reaches_the_class(kb):
    import base64
    import xml.etree.ElementTree as ET

    from casebook.interface.pages.transfer import export_html

    draft = sharing_draft(kb)
    _problems, links = export_html(draft)
    found = re.search(r'download="([^"]+)"[^>]*href="data:application/xml;charset=utf-8;base64,([^"]+)"',
                      links)
    assert found.group(1) == f"{CASE['id']}-moodle.xml"
    bank = ET.fromstring(base64.b64decode(found.group(2)))
    assert [q.findtext("idnumber") for q in bank.iter("question") if q.get("type") == "multichoice"] == [
        f"casebook:{CASE['id']}:{pid}" for pid in CASE["expected"]]
    assert "dossier du cours" in links and "cours/</code> de votre copie (fork)" in links
    assert "déjà celui d'un cas du casebook" not in links
    _problems, links = export_html(draft, {CASE["id"]})
    assert f"L'identifiant « {CASE['id']} » est déjà celui d'un cas du casebook" in links

"""How a case enters and leaves the « Atelier de cas »: the button that brings a scenario file
in (the value of ipywidgets' FileUpload is untrusted: it is read with `law.casefile` into its
cases or the list of what is wrong with it, and a French message says which), the export area
(what is still missing, or the download links), and the links « Ouvrir ce cas ».

A download is an `<a download>` link whose address holds the file itself (`data:`), so it works
offline in Voilà; the builder rebuilds it on every change. The links « Ouvrir ce cas » go to the
explorer dashboard of each provision asked (found by reading which notebook calls `ui.explorer`
with it), or to the navigator « Puis-je parler ? » when none has an explorer; they carry the date
and the facts that page shows (see `links`)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...law.casefile import MAX_BYTES, CaseFile, read
from ...law.errors import DataErrors
from ...law.knowledge import HORIZON, KnowledgeBase
from ..blocks.links import link_for
from ..blocks.widgets import html
from .draft import CaseDraft, day

MAX_NAME = 80  # characters of an uploaded file's name kept for messages
NAVIGATOR = "15_puis_je_parler.ipynb"


@dataclass(frozen=True)
class Upload:
    """An upload read: the file's name as messages show it, and either the file (`found`) or
    what is wrong with it (`errors`, in French)."""

    name: str
    found: CaseFile | None
    errors: tuple[str, ...] = ()


def file_name(raw: object) -> str:
    """An uploaded file's name as messages show it: its last part, printable, shortened."""
    name = str(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME] + "…"
    return name or "fichier importé"


def read_upload(kb: KnowledgeBase, files: tuple) -> Upload:
    """FileUpload's value read: one file, readable, small enough, and a scenario file the
    project's loader accepts."""
    if len(files) != 1:
        return Upload("fichier importé", None, (f"un seul fichier à la fois ({len(files)} reçus)",))
    entry = files[0]
    name = file_name(entry.get("name") if isinstance(entry, dict) else None)
    content = entry.get("content") if isinstance(entry, dict) else None
    try:
        data = bytes(content)
    except TypeError:
        return Upload(name, None, (f"{name} : contenu illisible",))
    if len(data) > MAX_BYTES:
        return Upload(name, None, (f"{name} : fichier trop volumineux ({len(data)} octets ; "
                                   f"{MAX_BYTES} au plus)",))
    try:
        return Upload(name, read(kb, data, name))
    except DataErrors as exc:
        hint = []
        if re.search(rb"^id:", data, re.M) and not re.search(rb"^cases:", data, re.M):
            hint = ["ce fichier semble ne contenir qu'un cas seul : un fichier de cas commence par "
                    "« schema_version: 1 » puis « cases: », la liste des cas, comme le fichier que "
                    "donne « Télécharger ce cas »"]
        return Upload(name, None, tuple([str(e) for e in exc.errors] + hint))


def upload_message(upload: Upload) -> str:
    """What became of an upload, as HTML: how many cases it brought, or why nothing changed."""
    if upload.found is not None:
        count = len(upload.found.cases)
        more = " Choisissez ci-dessus le cas à modifier." if count > 1 else ""
        return (f'<p class="cb-import-ok" role="status">« {escape(upload.name)} » importé : '
                f"{count} cas.{more}</p>")
    items = "".join(f"<li>{escape(e)}</li>" for e in upload.errors)
    return (f'<div class="cb-import-errors" role="alert"><b>« {escape(upload.name)} » '
            "n'a pas été importé</b> (rien n'a changé ci-dessous) :"
            f"<ul>{items}</ul></div>")


class Importer:
    """The button « Importer un fichier de cas » and what became of the last file chosen: a file
    read without error goes to `opened` (its cases and its name); anything else is listed in
    `message`, and nothing else changes."""

    def __init__(self, kb: KnowledgeBase, opened: Callable[[list[dict[str, Any]], str], None]):
        self.kb = kb
        self.opened = opened
        self.upload = w.FileUpload(accept=".yaml,.yml", multiple=False, layout=w.Layout(width="24em"),
                                   description="Importer un fichier de cas")
        self.upload.add_class("cb-builder-upload")
        self.upload.observe(self._uploaded, names="value")
        self.message = html()
        self.message.add_class("cb-builder-import")

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        try:
            self.import_file(files)
        finally:
            self.upload.value = ()  # the same file can be chosen again

    def import_file(self, files: tuple) -> None:
        """Read an upload (FileUpload's value) and say what became of it."""
        upload = read_upload(self.kb, files)
        if upload.found is not None:
            self.opened(list(upload.found.cases), upload.name)
        self.message.value = upload_message(upload)


def download_html(text: str, name: str, label: str) -> str:
    """A link that downloads `text` as the file `name`: the file is in the link itself."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a class="cb-download" download="{escape(name)}" role="button" '
            f'href="data:text/yaml;charset=utf-8;base64,{data}">{escape(label)} ({escape(name)})</a>')


def export_html(draft: CaseDraft) -> tuple[str, str]:
    """The export area, as HTML: what is still missing (or that nothing is), and the download of
    the case on screen (and of the whole file when it holds several cases) with the case's file
    text to read, empty while something is missing."""
    problems = draft.problems()
    if problems:
        items = "".join(f"<li>{p}</li>" for p in problems)
        return (f'<div class="cb-builder-errors" role="status"><b>À compléter avant '
                f"l'export :</b><ul>{items}</ul></div>", "")
    single = draft.export_text()
    links = [download_html(single, f"{draft.case['id']}.yaml", "Télécharger ce cas")]
    if len(draft.cases) > 1:
        links.append(download_html(draft.file_text(), draft.file_name,
                                   f"Télécharger le fichier entier ({len(draft.cases)} cas)"))
    return ('<p class="cb-import-ok">Le cas est complet : il peut être exporté.</p>',
            f"<div>{''.join(links)}</div><details><summary>Voir le fichier du cas"
            f"</summary><pre>{escape(single)}</pre></details>")


def explorer_pages(folder: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For each provision with an explorer dashboard: the notebook's file name and the provisions
    of that explorer, read from the code cells that call `ui.explorer(...)` in `folder`."""
    return dict(_explorer_pages(str(folder)))


@cache
def _explorer_pages(folder: str) -> tuple[tuple[str, tuple[str, tuple[str, ...]]], ...]:
    pages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        source = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        for call in re.findall(r"ui\.explorer\(([^)]*)\)", source):
            pids = tuple(re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", call))
            for pid in pids:
                pages.setdefault(pid, (path.name, pids))
    return tuple(pages.items())


def links_html(draft: CaseDraft, notebooks: Path) -> str:
    """The links « Ouvrir ce cas » of the draft's case on screen (or what they still wait for),
    as HTML; `notebooks` is the folder searched for explorer dashboards."""
    kb, case = draft.kb, draft.case
    when = day(case.get("date"))
    known = {fid: kb.facts[fid].coerce(v) for fid, v in case["facts"].items()
             if fid in kb.facts and kb.facts[fid].check(v) is None}
    if when is None or not HORIZON[0] <= when <= HORIZON[1] or not case["expected"]:
        return "<p><small>Lien vers ce cas : choisissez une disposition et une date des faits.</small></p>"
    pages = explorer_pages(notebooks)
    items: dict[str, str] = {}
    for pid in case["expected"]:
        if pid not in pages or pid not in kb.provisions:
            continue
        notebook, pids = pages[pid]
        shown = {f for p in pids if p in kb.provisions for f in kb.facts_of(p)}
        extra = {"regle": pid} if pid != pids[0] else None
        link = link_for(notebook, {k: v for k, v in known.items() if k in shown}, when, extra=extra)
        items.setdefault(link, f"l'explorateur « {kb.provisions[pid].short} » ({notebook})")
    if not items:
        items[link_for(NAVIGATOR, known, when)] = f"le questionnaire « Puis-je parler ? » ({NAVIGATOR})"
    lines = "".join(f'<li><a class="cb-case-link" href="{escape(link)}" target="_blank" rel="noopener">'
                    f"Ouvrir ce cas dans {escape(label)}</a></li>" for link, label in items.items())
    return (f"<div><b>Lien vers ce cas</b> (la date et les faits ; les textes restent ici)"
            f"<ul>{lines}</ul></div>")

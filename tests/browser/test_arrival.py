"""A page that does not arrive says so (the template's arrival.js and casebook's Voilà process):
a page whose kernel dies before it is ready ends at once with a French message and « Recharger
la page » instead of a spinner that turns for ever; a page whose kernel cannot even be started
gets a French page (not Tornado's English error) whose link reloads the same address; a page
whose cells stop coming says within 30 seconds that it is slow, then goes on when they come
again."""

from __future__ import annotations

import json
import sys
import time

import nbformat
from playwright.sync_api import expect

from .conftest import ARTIFACTS, free_port, start_voila, stop, wait_rendered
from .person import LAPTOP, Person


def _notebook(folder, name: str, sources: list[str], kernel: str = "python3",
              language: str = "python") -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": kernel, "display_name": kernel, "language": language}
    nb.cells = [nbformat.v4.new_markdown_cell("# Une page d'essai"),
                *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, folder / name)


def test_a_page_whose_kernel_dies_before_it_is_ready_says_so_and_ends(offline, tmp_path):
    kernels = tmp_path / "share" / "kernels" / "mort"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit(3)", "{connection_file}"],
        "display_name": "Un noyau qui meurt", "language": "python"}))
    pages = tmp_path / "pages"
    pages.mkdir()
    _notebook(pages, "mort.ipynb", ["print('jamais')"], kernel="mort")
    port = free_port()
    proc = start_voila(str(pages), port, jupyter_path=(str(tmp_path / "share"),))
    try:
        page = offline.page
        asked = time.monotonic()
        page.goto(f"http://127.0.0.1:{port}/voila/render/mort.ipynb", wait_until="load", timeout=90_000)
        banner = page.locator(".cb-arrival[role=alert]")
        expect(banner).to_contain_text("Cette page n'a pas pu être préparée")
        assert time.monotonic() - asked < 30
        expect(banner.get_by_role("button", name="Recharger la page")).to_be_visible()
        assert "jamais" not in page.inner_text("body")
    finally:
        stop(proc)


def test_a_page_whose_kernel_cannot_be_started_says_so_in_french_and_reloads_itself(offline, tmp_path):
    _notebook(tmp_path, "absent.ipynb", ["print('jamais')"], kernel="absent", language="absente")
    port = free_port()
    proc = start_voila(str(tmp_path), port)
    try:
        person = Person(None, LAPTOP, offline)
        url = f"http://127.0.0.1:{port}/voila/render/absent.ipynb?cas=c1&titre=Mon%20cas"
        answer = person.page.goto(url)
        assert answer is not None and answer.status == 200
        heading = person.page.get_by_role("heading", name="Cette page n'a pas pu être préparée")
        expect(heading).to_be_visible()
        assert person.page.evaluate("document.documentElement.lang") == "fr"
        with person.page.expect_navigation():
            person.click(person.page.get_by_role("link", name="Recharger la page"))
        assert person.page.url == url  # the link, query included, is kept
        expect(heading).to_be_visible()
        log = (ARTIFACTS.parent / f"voila-{port}.log").read_text()
        assert "could not be prepared (attempt 2)" in log and "No Jupyter kernel" in log
    finally:
        stop(proc)


def test_a_page_whose_cells_stop_coming_says_so_then_goes_on(offline, tmp_path):
    _notebook(tmp_path, "lente.ipynb", ["import time\ntime.sleep(40)", "print('enfin là')"])
    port = free_port()
    proc = start_voila(str(tmp_path), port)
    try:
        page = offline.page
        asked = time.monotonic()
        page.goto(f"http://127.0.0.1:{port}/voila/render/lente.ipynb", wait_until="commit")
        banner = page.locator(".cb-arrival[role=alert]")
        expect(banner).to_contain_text("plus de 25 secondes", timeout=45_000)
        assert time.monotonic() - asked < 38
        expect(banner.get_by_role("button", name="Recharger la page")).to_be_visible()
        wait_rendered(page, "text=enfin là")
        expect(banner).to_have_count(0)
    finally:
        stop(proc)

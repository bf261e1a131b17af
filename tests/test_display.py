"""casebook.display: deterministic, escaped HTML fragments. Here: the reference tables as
students see them (the other fragments are compared by nbval in the notebooks)."""

from __future__ import annotations

from casebook import display
from casebook.tables import Table

PENALTIES = ("offence", "from", "until", "prison", "fine_nominal", "multiplier", "fine_effective",
             "status", "source")


def test_reference_table_has_french_headings_words_and_badges(kb):
    html = display.table_html("diseases", kb.tables["diseases"])
    assert "<th>Maladie</th><th>Signaler dès</th><th>Précision</th><th>Statut</th>" in html
    assert "suspicion clinique" in html and "suspicion_clinique" not in html
    assert html.count("<tr>") == len(kb.tables["diseases"]) + 1
    assert html.count('<span class="cb-badge cb-') == len(kb.tables["diseases"])
    assert "secondary" not in html.replace("cb-secondary", "")  # statuses are shown in French


def test_reference_table_dates_are_french_and_open_bounds_stay_empty():
    row = ("Art. <458>", "2012-01-01", "", "8 jours", "100 €", "×6", "600 €", "secondary", "src")
    html = display.table_html("penalties", Table(PENALTIES, (row,)))
    assert "<td>01/01/2012</td><td></td>" in html
    assert "Art. &lt;458&gt;" in html  # data is escaped, never interpreted
    assert "src" not in html  # columns not meant for students are left out

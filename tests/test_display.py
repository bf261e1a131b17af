"""casebook.interface.blocks.display: deterministic, escaped HTML fragments. Here: the reference tables as
students see them (the other fragments are compared by nbval in the notebooks)."""

from __future__ import annotations

from casebook.interface.blocks import display
from casebook.law.tables import Table

PENALTIES = ("key", "offence", "from", "until", "prison", "fine_nominal", "multiplier", "fine_effective",
             "status", "source")


def test_reference_table_has_french_headings_words_and_badges(kb):
    html = display.table_html("diseases", kb.tables["diseases"])
    assert "<th>Maladie</th><th>Signaler dès</th><th>Précision</th><th>Statut</th>" in html
    assert "suspicion clinique" in html and "suspicion_clinique" not in html
    assert html.count("<tr>") == len(kb.tables["diseases"]) + 1
    assert html.count('<span class="cb-badge cb-') == len(kb.tables["diseases"])
    assert "secondary" not in html.replace("cb-secondary", "")  # statuses are shown in French


def test_reference_table_dates_are_french_and_open_bounds_stay_empty():
    row = ("art458", "Art. <458>", "2012-01-01", "", "8 jours", "100 €", "×6", "600 €", "secondary", "src")
    html = display.table_html("penalties", Table(PENALTIES, (row,)))
    assert "<td>01/01/2012</td><td></td>" in html
    assert "Art. &lt;458&gt;" in html  # data is escaped, never interpreted
    assert "src" not in html  # columns not meant for students are left out


def test_a_quotation_says_where_its_words_come_from(kb):
    v = kb.version("art458bis-2012-vd")
    html = display.provision_html(kb.provisions["art458bis"])
    assert v.text_source == "handout"
    quote = html.index('<blockquote class="cb-text">')
    origin = html.index('<p class="cb-text-source">', quote)
    assert html[origin:].startswith('<p class="cb-text-source"><small>Texte tel que le reproduit le '
                                    "support de cours (c. 2019) : ce n&#x27;est pas une copie du "
                                    "texte officiel.")
    assert html.count('<p class="cb-text-source">') == sum(bool(x.text) for x in
                                                          kb.provisions["art458bis"].versions)


def test_a_debated_verdict_shows_every_reading_with_its_source(kb):
    import dataclasses

    from casebook import Situation, evaluate_one
    from casebook.law.model import Reading

    verdict = evaluate_one(kb, Situation({"necessary_confidant": True, "learned_in_function": True}),
                           "art458")
    debated = dataclasses.replace(verdict, debate=(
        Reading("Lecture <stricte>", "obligation_de_se_taire", "Source A", "https://example.org/a"),
        Reading("Lecture souple", "faculte_de_partager", "Source B", None)))
    html = display.verdict_html(debated)
    assert '<div class="cb-debate"><b>Question débattue</b>' in html
    assert "Lecture &lt;stricte&gt; <i>(obligation de se taire)</i>" in html
    assert "Source B" in html and 'href="https://example.org/a"' in html
    assert "cb-debate" not in display.verdict_html(verdict)
    heading = html.split('<h3 class="cb-outcome">', 1)[1].split("</h3>", 1)[0]
    assert heading.endswith('<span class="cb-badge cb-debated">question débattue</span>')
    assert "question débattue" not in display.verdict_html(verdict)


def test_a_published_case_names_its_source_and_date(kb):
    import dataclasses
    import datetime as dt

    from casebook.law.scenarios import Provenance, load_scenarios

    case = load_scenarios(kb)[0]
    handout = dataclasses.replace(case, provenance=Provenance("support_de_cours", "Support"))
    assert display.provenance_html(handout) == ""
    published = dataclasses.replace(case, provenance=Provenance(
        "publie", "Commission <X>", reference="avis 88/07", url="https://example.org/avis",
        date=dt.date(2007, 5, 10)))
    html = display.provenance_html(published)
    assert "D'après : Commission &lt;X&gt;, avis 88/07 (10/05/2007)" in html
    assert 'href="https://example.org/avis"' in html


def test_verdicts_and_traces_are_headings_and_lists_at_the_level_asked(kb):
    from casebook import Situation, evaluate_one

    verdict = evaluate_one(kb, Situation({"necessary_confidant": True, "learned_in_function": True}),
                           "art458")
    card = display.verdict_html(verdict)
    assert '<h3 class="cb-outcome">⊘ Obligation de se taire</h3>' in card
    deeper = display.verdict_html(verdict, 4)
    assert '<h4 class="cb-outcome">' in deeper and "<h3" not in deeper
    trace = display.trace_html(verdict, 4)
    assert trace.startswith('<div class="cb-trace"><h4 class="cb-trace-title">Raisonnement</h4>')
    assert trace.count("<ul>") >= 2 and '<li class="cb-met">✔ ' in trace  # symbol and word, not colour only
    assert display.provision_html(kb.provisions["art458"]).startswith("<h2>")

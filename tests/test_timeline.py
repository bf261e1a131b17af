"""The timeline at a date: the date control's callbacks, driven from Python (the listing of the
versions in force, status badges, annulled versions, what changed, refused dates) and the
picture's marker."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casebook.interface import ui
from casebook.interface.blocks import display
from casebook.interface.pages.timeline import (
    TimelineExplorer,
    dated_changes,
    key_dates,
    listing_html,
    previous_version,
)
from casebook.law.knowledge import HORIZON


def _row(listing: str, pid: str) -> str:
    """The listing's block for one provision."""
    match = re.search(rf'<div class="cb-at[^"]*" data-provision="{pid}".*?(?=<div class="cb-at|</div>$)',
                      listing, re.S)
    assert match, pid
    return match.group(0)


def _version(listing: str, pid: str) -> str | None:
    found = re.search(r'data-version="([^"]+)"', _row(listing, pid))
    return found.group(1) if found else None


@pytest.fixture
def explorer(kb):
    return TimelineExplorer(kb, dt.date(2016, 3, 15))


def test_the_listing_names_the_version_in_force_for_every_provision(kb, explorer):
    listing = explorer.listing.value
    assert 'data-date="2016-03-15"' in listing
    assert listing.count('data-provision=') == len(kb.provisions)
    for pid, p in kb.provisions.items():
        expected = p.version_at(dt.date(2016, 3, 15))
        if expected is not None:
            assert _version(listing, pid) == expected.id
    assert _version(listing, "art458") == "art458-1867"


def test_choosing_a_date_changes_the_versions_listed_and_the_marker(explorer):
    explorer.picker.value = dt.date(2018, 3, 15)
    assert explorer.shown == dt.date(2018, 3, 15)
    assert _version(explorer.listing.value, "art458") == "art458-2017"
    assert "15/03/2018" in explorer.picture.value
    assert 'class="cb-timeline-marker"' in explorer.picture.value
    assert "15/03/2016" not in explorer.picture.value
    explorer.picker.value = dt.date(2026, 5, 1)
    assert _version(explorer.listing.value, "art458") == "art458-2026"


def test_unverified_versions_carry_the_badge_and_their_note(explorer):
    explorer.picker.value = dt.date(2026, 5, 1)
    row = _row(explorer.listing.value, "art458")
    assert 'cb-badge cb-unverified">à vérifier' in row
    assert "À vérifier : Ni le numéro de l&#x27;article successeur" in row
    explorer.picker.value = dt.date(2016, 3, 15)
    row = _row(explorer.listing.value, "art458")
    assert "cb-unverified" not in row and 'cb-badge cb-secondary">source secondaire' in row


def test_an_annulled_version_is_marked_and_never_shown_as_in_force(explorer):
    explorer.picker.value = dt.date(2018, 1, 1)
    row = _row(explorer.listing.value, "art46bis1_p3")
    assert "cb-at-annulled" in row and ">annulé<" in row and "44/2019" in row
    assert "réputé n'avoir jamais existé" in row


def test_a_provision_not_yet_in_force_says_when_it_begins(explorer):
    explorer.picker.value = dt.date(2018, 1, 1)
    row = _row(explorer.listing.value, "csil_r")
    assert "cb-at-none" in row and "aucune version en vigueur" in row and "24/09/2018" in row
    explorer.picker.value = dt.date(2018, 9, 24)
    assert _version(explorer.listing.value, "csil_r") == "csil-r-2018"


def test_what_changed_names_the_version_replaced_and_the_dated_change(explorer):
    explorer.picker.value = dt.date(2018, 3, 15)
    row = _row(explorer.listing.value, "art458")
    assert "Remplace « Rédaction antérieure à la loi « Pot-pourri V »" in row
    assert "03/08/2017 : Loi « Pot-pourri V »" in row
    assert "Peine : 1 à 3 ans" in row
    assert "mêmes conditions et exceptions" in row
    # a change dated after the chosen day is not shown yet
    explorer.picker.value = dt.date(2013, 1, 1)
    row = _row(explorer.listing.value, "art458bis")
    assert "arrêt 127/2013" not in row
    explorer.picker.value = dt.date(2014, 1, 1)
    assert "arrêt 127/2013" in _row(explorer.listing.value, "art458bis")


def test_a_reasoning_carried_over_is_said(explorer):
    explorer.picker.value = dt.date(2026, 5, 1)
    row = _row(explorer.listing.value, "art458")
    assert "le casebook reprend le raisonnement de la version précédente" in row
    assert "Remplace « Rédaction issue de la loi « Pot-pourri V »" in row


def test_a_first_version_has_no_previous_one(kb):
    p = kb.provisions["art458"]
    assert previous_version(p, p.versions[0]) is None
    assert previous_version(p, p.versions[1]) is p.versions[0]
    assert "Première version" in _row(listing_html(kb, dt.date(2016, 3, 15)), "art458")


@pytest.mark.parametrize("bad", [dt.date(1985, 1, 1), dt.date(2031, 1, 1), None])
def test_a_date_outside_the_horizon_is_refused_and_the_display_kept(explorer, bad):
    before = (explorer.listing.value, explorer.picture.value)
    explorer.picker.value = bad
    assert (explorer.listing.value, explorer.picture.value) == before
    assert explorer.shown == dt.date(2016, 3, 15)
    message = explorer.message.value
    assert "15/03/2016" in message
    assert ("hors de la période" in message) if bad else ("Choisissez une date" in message)
    explorer.picker.value = dt.date(2017, 1, 1)
    assert explorer.message.value == ""
    assert 'data-date="2017-01-01"' in explorer.listing.value


def test_the_quick_buttons_are_the_days_several_versions_begin(kb, explorer):
    days = [d for d, _ in key_dates(kb)]
    assert days == sorted(days) and dt.date(2017, 8, 3) in days and dt.date(2026, 4, 8) in days
    for day, names in key_dates(kb):
        assert len(names) > 1
        starting = [p.short for p in kb.provisions.values() for v in p.versions if v.valid_from == day]
        assert sorted(names) == sorted(starting)
    explorer.buttons[dt.date(2017, 8, 3)].click()
    assert explorer.picker.value == dt.date(2017, 8, 3)
    assert _version(explorer.listing.value, "art458ter") == "art458ter-2017"
    assert "Art. 458 CP" in explorer.buttons[dt.date(2017, 8, 3)].tooltip


def test_choosing_a_dated_change_moves_to_its_date(kb, explorer):
    changes = dated_changes(kb)
    index = next(i for i, (_, pid, _) in enumerate(changes) if pid == "csil_r")
    explorer.events.value = index
    assert explorer.picker.value == changes[index][0]
    assert _version(explorer.listing.value, "csil_r") is not None
    explorer.picker.value = dt.date(2016, 3, 15)
    assert explorer.events.value == -1  # no longer on that change
    offered = {value for _, value in explorer.events.options}
    assert all(HORIZON[0] <= changes[i][0] <= HORIZON[1] for i in offered - {-1})
    assert any(changes[i][0] < HORIZON[0] for i in range(len(changes)))  # 1976 and co. left out


def test_the_count_line_adds_up(kb, explorer):
    explorer.picker.value = dt.date(2018, 1, 1)
    summary = re.search(r'class="cb-at-summary">(.*?)</p>', explorer.listing.value).group(1)
    numbers = [int(n) for n in re.findall(r"(\d+) (?:règle|annulée|sans)", summary)]
    assert sum(numbers) == len(kb.provisions) and numbers[1] == 1


def test_a_minimal_knowledge_base_works_too(minimal_kb):
    t = TimelineExplorer(minimal_kb, dt.date(2020, 1, 1))
    assert t.listing.value.count('data-provision=') == len(minimal_kb.provisions)


def test_the_static_picture_has_no_marker_and_the_marked_one_is_deterministic(kb):
    plain = display.timeline_svg(kb)
    assert "cb-timeline-marker" not in plain and 'id="cb-hatch"' in plain
    marked = display.timeline_svg(kb, marker=dt.date(2018, 9, 24))
    assert marked == display.timeline_svg(kb, marker=dt.date(2018, 9, 24))
    assert 'id="cb-hatch-at"' in marked and 'id="cb-hatch"' not in marked
    x = float(re.search(r'class="cb-timeline-marker" x1="([\d.]+)"', marked).group(1))
    x2015 = float(re.search(r'<line x1="([\d.]+)"[^>]*/><text[^>]*>2015<', plain).group(1))
    x2020 = float(re.search(r'<line x1="([\d.]+)"[^>]*/><text[^>]*>2020<', plain).group(1))
    assert x2015 < x < x2020
    late = display.timeline_svg(kb, marker=dt.date(2030, 12, 31))
    assert 'text-anchor="end" fill="#c62828"' in late  # the label stays inside the picture


def test_ui_offers_the_widget(kb):
    widget = ui.timeline_explorer()
    assert "cb-timeline-explorer" in widget._dom_classes

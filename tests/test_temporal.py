"""Dated versions of the real knowledge base, checked day by day from 1990-01-01 to 2030-12-31:
never two versions in force on the same day, and no day without a version inside a provision's
life (from its first start to its last end)."""

from __future__ import annotations

import datetime as dt

from casebook.law.knowledge import HORIZON

START, END = HORIZON
DAYS = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def test_horizon():
    assert [d.isoformat() for d in HORIZON] == ["1990-01-01", "2030-12-31"]
    assert len(DAYS) == 14975


def pytest_generate_tests(metafunc):
    if "pid" in metafunc.fixturenames:
        import casebook

        metafunc.parametrize("pid", list(casebook.load().provisions))


def test_at_most_one_version_in_force_each_day(kb, pid):
    p = kb.provisions[pid]
    for day in DAYS:
        live = [v.id for v in p.versions if v.in_force(day)]
        assert len(live) <= 1, f"{pid} le {day} : {live}"


def test_no_gap_inside_a_provisions_life(kb, pid):
    p = kb.provisions[pid]
    live = [v for v in p.versions if v.annulment is None]
    if not live:  # annulled from the start: never in force, so no gap either
        assert all(p.version_at(day) is None for day in DAYS)
        return
    first = max(START, min(v.valid_from or START for v in live))
    last = min(END, max(v.valid_until or END for v in live))
    gaps = [day for day in DAYS if first <= day <= last and p.version_at(day) is None]
    assert not gaps, f"{pid} : aucune version en vigueur du {gaps[0]} au {gaps[-1]}"


def test_version_at_agrees_with_in_force(kb, pid):
    p = kb.provisions[pid]
    boundaries = {START, END}
    for v in p.versions:
        for d in (v.valid_from, v.valid_until):
            if d is not None:
                boundaries |= {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}
    for day in sorted(b for b in boundaries if START <= b <= END):
        chosen = p.version_at(day)
        live = [v for v in p.versions if v.in_force(day)]
        assert (chosen is None) == (not live)
        if chosen is not None:
            assert chosen is live[0]
            assert chosen.covers(day) and chosen.annulment is None


def test_annulled_versions_are_never_in_force(kb):
    annulled = [v for p in kb.provisions.values() for v in p.versions if v.annulment]
    assert "art46bis1-p3-2017" in [v.id for v in annulled]
    for v in annulled:
        assert not any(v.in_force(day) for day in DAYS)
        assert v.covers(dt.date(2018, 1, 1))
        assert kb.provisions[v.provision].annulled_at(dt.date(2018, 1, 1)) is v

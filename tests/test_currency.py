"""casebook.law.currency: the date of the law data is the latest change the data records (a
version coming into force, an annulment, a judgment), and it moves with the data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from casebook.law.currency import last_change
from casebook.law.model import Annulment, CaseLaw


def _with_first_version(kb, **changes):
    """`kb` with its first provision's first version changed."""
    pid, provision = next(iter(kb.provisions.items()))
    first = dataclasses.replace(provision.versions[0], **changes)
    versions = (first, *provision.versions[1:])
    provisions = {**kb.provisions, pid: dataclasses.replace(provision, versions=versions)}
    return dataclasses.replace(kb, provisions=provisions)


def test_the_latest_version_coming_into_force_dates_the_data(minimal_kb):
    assert last_change(minimal_kb) == dt.date(2010, 1, 1)  # secret.yaml's second version


def test_a_later_annulment_dates_the_data(minimal_kb):
    annulled = _with_first_version(minimal_kb, annulment=Annulment(dt.date(2019, 3, 14), "C.C., arrêt", None))
    assert last_change(annulled) == dt.date(2019, 3, 14)


def test_a_later_judgment_dates_the_data(minimal_kb):
    ruling = CaseLaw("Cass., 2 mai 2021", dt.date(2021, 5, 2), "résumé", None)
    assert last_change(_with_first_version(minimal_kb, case_law=(ruling,))) == dt.date(2021, 5, 2)


def test_the_real_data_is_dated_by_its_latest_version(kb):
    starts = [v.valid_from for p in kb.provisions.values() for v in p.versions if v.valid_from]
    assert last_change(kb) >= max(starts)

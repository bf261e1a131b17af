"""How current the law data is: the date of the latest change of the law that the knowledge base
records (a version coming into force, an annulment, a judgment), read from the data itself, so
that it moves with every data change and is never written by hand."""

from __future__ import annotations

import datetime as dt

from .knowledge import KnowledgeBase


def last_change(kb: KnowledgeBase) -> dt.date:
    """The latest date on which a recorded version comes into force, a version is annulled or a
    recorded judgment was given."""
    dates = []
    for provision in kb.provisions.values():
        for version in provision.versions:
            dates += [version.valid_from, version.annulment and version.annulment.date,
                      *(ruling.date for ruling in version.case_law)]
    return max(d for d in dates if d is not None)

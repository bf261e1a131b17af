"""The timeline at a date (« Ligne du temps ») : a date control beside the picture of every
version, and, for the chosen day, which version of each provision applied (with its dates,
citation and verification status, annulled versions marked) and what changed since the version
before it. The version in force comes from the law (`Provision.version_at`, `annulled_at`);
what changed comes from the data: the dated changes of `data/tables/timeline.csv`, the version
replaced, a changed penalty, a reasoning carried over from another version."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from html import escape

import ipywidgets as w

from ...law.knowledge import HORIZON, KnowledgeBase
from ...law.labels import STATUSES, french_date
from ...law.model import Provision, Version
from ...law.report import version_span
from ..blocks.display import STYLE, badge, timeline_svg
from ..blocks.widgets import box, button, html, shared

MAX_EVENT_LABEL = 110
LISTING_STYLE = """<style>
.cb-timeline-explorer svg.cb-timeline{width:100%;height:auto}
.cb-timeline-listing{max-height:780px;overflow-y:auto;padding-right:.4em}
.cb-timeline-at{line-height:1.35}
.cb-at{border-bottom:1px solid #ddd;padding:.35em 0}
.cb-at ul{margin:.2em 0 0 0;padding-left:1.2em;font-size:.92em}
.cb-at-annulled{background:#fdecea}
.cb-at-none{color:#555}
.cb-badge.cb-annulled{background:#fdecea;border-color:#c62828;color:#8e1b1b;font-weight:bold}
</style>"""


def key_dates(kb: KnowledgeBase) -> tuple[tuple[dt.date, tuple[str, ...]], ...]:
    """The days within the horizon on which several versions come into force, in date order,
    each with the short names of the provisions that change that day."""
    starts: dict[dt.date, list[str]] = {}
    for p in kb.provisions.values():
        for v in p.versions:
            if v.valid_from and HORIZON[0] <= v.valid_from <= HORIZON[1]:
                starts.setdefault(v.valid_from, []).append(p.short)
    return tuple((day, tuple(names)) for day, names in sorted(starts.items()) if len(names) > 1)


def dated_changes(kb: KnowledgeBase) -> tuple[tuple[dt.date, str, str], ...]:
    """Every dated change of the timeline table: (date, provision id, event), in file order."""
    table = kb.tables.get("timeline")
    if table is None:
        return ()
    return tuple((dt.date.fromisoformat(day), pid, event)
                 for day, pid, event in zip(table["date"], table["provision"], table["event"],
                                            strict=True))


def previous_version(p: Provision, v: Version) -> Version | None:
    """The version of `p` in force just before `v` began (annulled versions never count)."""
    if v.valid_from is None:
        return None
    before = [o for o in p.versions if o.annulment is None and o is not v
              and o.valid_until is not None and o.valid_until < v.valid_from]
    return max(before, key=lambda o: o.valid_until or dt.date.min, default=None)


def changes_html(kb: KnowledgeBase, p: Provision, v: Version, day: dt.date,
                 changes: tuple[tuple[dt.date, str, str], ...]) -> str:
    """What changed with version `v` of `p` (in force on `day`) since the version before it."""
    items = []
    prev = previous_version(p, v)
    if prev is None:
        items.append("Première version reprise par le casebook.")
    else:
        items.append(f"Remplace « {escape(prev.label)} » ({escape(version_span(prev))}).")
    for when, pid, event in changes:
        if pid == p.id and when <= day and (v.valid_from is None or when >= v.valid_from):
            items.append(f"{french_date(when)} : {escape(event)}")
    if prev is not None and v.penalty and v.penalty != prev.penalty:
        items.append(f"Peine : {escape(v.penalty)}")
    source = kb.version(v.carried_over_from) if v.carried_over_from else None
    if source is not None:
        named = "la version précédente" if source is prev else f"« {escape(source.label)} »"
        items.append(f"Texte non vérifié : le casebook reprend le raisonnement de {named}.")
    elif prev is not None and replace(v.rule, remarks=()) == replace(prev.rule, remarks=()):
        items.append("Le casebook raisonne comme pour la version précédente (mêmes conditions "
                     "et exceptions).")
    elif prev is not None:
        items.append("Le casebook raisonne autrement qu'avec la version précédente (conditions "
                     "ou exceptions modifiées).")
    if v.status == "unverified" and v.status_note:
        items.append(f"À vérifier : {escape(v.status_note)}")
    return '<ul class="cb-changes">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def provision_at_html(kb: KnowledgeBase, p: Provision, day: dt.date,
                      changes: tuple[tuple[dt.date, str, str], ...]) -> str:
    """One provision on `day`: its version in force and what changed, or the annulled version
    covering that day, or the fact that no version applied yet (or any more)."""
    name = f"<b>{escape(p.short)}</b>"
    v = p.version_at(day)
    if v is not None:
        return (f'<div class="cb-at" data-provision="{escape(p.id)}" data-version="{escape(v.id)}">'
                f"{name} : {escape(v.label)}{badge(v.status)}<br><small>{escape(version_span(v))}"
                f" — {escape(v.citation)}</small>{changes_html(kb, p, v, day, changes)}</div>")
    annulled = p.annulled_at(day)
    if annulled is not None and annulled.annulment is not None:
        a = annulled.annulment
        return (f'<div class="cb-at cb-at-annulled" data-provision="{escape(p.id)}" '
                f'data-version="{escape(annulled.id)}">{name} : {escape(annulled.label)}'
                f'<span class="cb-badge cb-annulled">annulé</span>{badge(annulled.status)}<br>'
                f"<small>Annulé par {escape(a.by)} le {french_date(a.date)} : réputé n'avoir "
                f"jamais existé, il ne s'applique à aucune date. — {escape(annulled.citation)}"
                "</small></div>")
    later = sorted(o.valid_from for o in p.versions
                   if o.annulment is None and o.valid_from and o.valid_from > day)
    when = f" ; la première entre en vigueur le {french_date(later[0])}" if later else ""
    return (f'<div class="cb-at cb-at-none" data-provision="{escape(p.id)}">{name} : aucune '
            f"version en vigueur ce jour-là{when}.</div>")


def listing_html(kb: KnowledgeBase, day: dt.date,
                 changes: tuple[tuple[dt.date, str, str], ...] | None = None) -> str:
    """Every provision on `day`, in teaching order, after a one-line count."""
    changes = dated_changes(kb) if changes is None else changes
    in_force = [p.version_at(day) for p in kb.provisions.values()]
    live = [v for v in in_force if v is not None]
    unverified = sum(v.status == "unverified" for v in live)
    annulled = sum(1 for p, v in zip(kb.provisions.values(), in_force, strict=True)
                   if v is None and p.annulled_at(day) is not None)
    summary = (f'<p class="cb-at-summary"><b>Le {french_date(day)}</b> : {len(live)} règle(s) en '
               f"vigueur, dont {unverified} « {STATUSES['unverified']} » ; {annulled} annulée(s) ; "
               f"{len(in_force) - len(live) - annulled} sans version en vigueur.</p>")
    rows = "".join(provision_at_html(kb, p, day, changes) for p in kb.provisions.values())
    return f'<div class="cb-timeline-at" data-date="{day.isoformat()}">{summary}{rows}</div>'


class TimelineExplorer:
    """The picture with a marker at the chosen date, a date picker, quick buttons for the days
    on which several versions begin, a list of the dated changes, and the listing of that day.
    A date outside the horizon is refused with a French message; the display stays as it was."""

    def __init__(self, kb: KnowledgeBase, day: dt.date | None = None):
        self.kb = kb
        self.changes = dated_changes(kb)
        start = day or dt.date.today()
        start = start if HORIZON[0] <= start <= HORIZON[1] else HORIZON[1]
        self.shown = start
        self.picker = w.DatePicker(description="Date", value=start, style=shared("date"),
                                   layout=shared("layout"))
        self.picker.add_class("cb-timeline-date")
        self.picker.observe(self._picked, names="value")
        self.buttons: dict[dt.date, w.Button] = {}
        for when, names in key_dates(kb):
            b = button(french_date(when))
            b.tooltip = f"Entrent en vigueur ce jour-là : {', '.join(names)}"
            b.on_click(lambda _b, when=when: self.go(when))
            self.buttons[when] = b
        today = button("Aujourd'hui")
        today.on_click(lambda _b: self.go(dt.date.today()))
        events = [(i, when, pid, event) for i, (when, pid, event) in enumerate(self.changes)
                  if HORIZON[0] <= when <= HORIZON[1]]
        self.event_dates = {i: when for i, when, _, _ in events}
        self.events = w.Dropdown(
            options=[("— aller à un changement daté —", -1),
                     *((self._event_label(when, pid, event), i) for i, when, pid, event in events)],
            value=-1, description="Changement daté", layout=shared("wide"), style=shared("date"))
        self.events.observe(self._event, names="value")
        self.message = html()
        self.message.add_class("cb-timeline-message")
        self.picture = html()
        self.listing = html()
        self.listing.add_class("cb-timeline-listing")
        quick = box([html("Dates clés :"), *self.buttons.values(), today], horizontal=True,
                    _dom_classes=["cb-timeline-quick"])
        self.widget = box([
            box([self.picker, self.events], horizontal=True), quick, self.message,
            box([box([self.picture], layout="55%"), box([self.listing], layout="45%")],
                horizontal=True),
        ], _dom_classes=["cb-timeline-explorer"])
        self._render(start)

    def _event_label(self, when: dt.date, pid: str, event: str) -> str:
        label = f"{french_date(when)} — {self.kb.provisions[pid].short} : {event}"
        return label if len(label) <= MAX_EVENT_LABEL else label[: MAX_EVENT_LABEL - 1] + "…"

    def go(self, day: dt.date) -> None:
        """Show `day` (the picker follows)."""
        if self.picker.value == day:
            self.show(day)
        else:
            self.picker.value = day

    def _picked(self, change: dict) -> None:
        self.show(change["new"])

    def _event(self, change: dict) -> None:
        day = self.event_dates.get(change["new"])
        if day is not None:
            self.go(day)

    def show(self, day: object) -> None:
        """Show the listing and the marker for `day`; anything but a date within the horizon
        is refused with a message, and what was shown stays."""
        kept = f"l'affichage reste celui du {french_date(self.shown)}."
        if isinstance(day, dt.datetime):
            day = day.date()
        if not isinstance(day, dt.date):
            self.message.value = f"<p><b>Choisissez une date</b> : {kept}</p>"
            return
        if not HORIZON[0] <= day <= HORIZON[1]:
            self.message.value = (f"<p><b>Date hors de la période couverte par le casebook "
                                  f"({french_date(HORIZON[0])} – {french_date(HORIZON[1])})</b> : "
                                  f"{kept}</p>")
            return
        self.message.value = ""
        self._render(day)

    def _render(self, day: dt.date) -> None:
        self.shown = day
        if self.events.value != -1 and self.event_dates.get(self.events.value) != day:
            self.events.value = -1
        self.picture.value = timeline_svg(self.kb, marker=day)
        self.listing.value = STYLE + LISTING_STYLE + listing_html(self.kb, day, self.changes)

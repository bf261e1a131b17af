"""Deterministic HTML for notebooks and dashboards: provision texts with their versions, verdict
cards, reasoning traces, where a worked case comes from, sources and the timeline (the worked
cases themselves, in each view: `teaching`). Every text from data or from a
user is escaped; no random ids, so nbval can compare the outputs. The fragments share one
stylesheet, STYLE, which each output (or widget) includes once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape

from ...law.determinacy import EVEN_IF, SAME
from ...law.engine import Verdict
from ...law.guidance import Guidance
from ...law.knowledge import HORIZON, KnowledgeBase
from ...law.labels import (
    BINDING,
    CONDITION_MARK,
    CONDITION_STATUS,
    LIMIT_NAMES,
    OUTCOME_COLOURS,
    OUTCOME_ICONS,
    OUTCOMES,
    SOURCE_TYPES,
    STATUSES,
    french_date,
)
from ...law.logic import TraceNode
from ...law.model import Provision, Version
from ...law.report import text_origin, version_span, why_not
from ...law.scenarios import Scenario
from ...law.tables import Table
from ...law.whatif import WhatIf

STYLE = """<style>
.cb-card{border-left:8px solid var(--cb-c);padding:.6em 1em;margin:.4em 0;background:#fafafa;
  font-size:1.05em;color:#111}
.cb-card h3{margin:.1em 0 .3em 0;color:var(--cb-c)}
.cb-badge{display:inline-block;padding:.05em .5em;border-radius:.8em;font-size:.85em;
  margin-left:.4em;border:1px solid #999;background:#fff}
.cb-unverified{background:#fff3cd;border-color:#b8860b;color:#5c4400;font-weight:bold}
.cb-secondary{background:#e8f0fe;border-color:#4a6fa5;color:#1c3559}
.cb-verified{background:#e6f4ea;border-color:#2e7d32;color:#1b4d1f}
.cb-version{border:1px solid #ccc;border-radius:.4em;padding:.6em 1em;margin:.6em 0}
.cb-text{font-family:Georgia,serif;background:#f7f5ef;padding:.6em 1em;border-left:3px solid #8a7a4a}
.cb-trace ul{list-style:none;padding-left:1.2em;margin:.1em 0}
.cb-met{color:#1b5e20}.cb-notmet{color:#8e1b1b}.cb-unknown{color:#7a5200}
.cb-table{border-collapse:collapse}
table.cb-table td,table.cb-table th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;
  text-align:left !important}
.cb-question{margin-top:.7em;border-left:4px solid transparent;padding-left:.4em}
.cb-correction{background:#fdecea;border-left:4px solid #c62828;padding:.3em .8em;margin:.3em 0}
.cb-debate{background:#fff8e1;border-left:4px solid #7a5200;padding:.3em .8em;margin:.4em 0}
.cb-text-source{margin-top:-.3em;color:#333}
.cb-change{margin:.1em 0 .4em 0;padding:.2em .5em;background:#fff;border:1px dashed #555;color:#111}
.cb-missing summary{cursor:pointer;color:#0b4f8a}
.cb-moot .cb-question{color:#555;border-left:4px dotted #767676}
.cb-moot .cb-question b::after{content:" — sans effet sur la réponse actuelle";position:absolute;
  width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.cb-moot-legend{color:#333;margin:0 0 .3em 0}
</style>"""


# Reference tables as shown to students: French column names, in this order.
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "diseases": {"name": "Maladie", "trigger": "Signaler dès", "qualifier": "Précision",
                 "status": "Statut"},
    "offences_458bis": {"version": "Version", "category": "Catégorie", "articles": "Articles",
                        "status": "Statut"},
    "sectors": {"name": "Secteur", "framework": "Cadre", "status": "Statut"},
    "penalties": {"offence": "Infraction", "from": "Du", "until": "Au", "prison": "Prison",
                  "fine_nominal": "Amende (texte)", "multiplier": "Décimes",
                  "fine_effective": "Amende réelle", "status": "Statut"},
    "timeline": {"date": "Date", "event": "Changement", "kind": "Source", "status": "Statut"},
}
TABLE_WORDS = {"suspicion_clinique": "suspicion clinique", "diagnostic_confirme": "diagnostic confirmé",
               "hors_liste": "hors liste"}


def badge(status: str) -> str:
    """The verification status as a coloured badge (« à vérifier » stands out)."""
    return f'<span class="cb-badge cb-{status}">{escape(STATUSES[status])}</span>'


def _debate_html(verdict: Verdict) -> str:
    if not verdict.debate:
        return ""
    items = []
    for r in verdict.debate:
        link = (f' — <a href="{escape(r.url)}" target="_blank" rel="noopener">source</a>'
                if r.url else "")
        items.append(f"<li>{escape(r.reading)} <i>({escape(OUTCOMES[r.outcome].lower())})</i>"
                     f"<br><small>{escape(r.source)}</small>{link}</li>")
    return (f'<div class="cb-debate"><b>Question débattue</b> : aucune de ces lectures n\'est '
            f"certaine ; la réponse ci-dessus est la plus prudente.<ul>{''.join(items)}</ul></div>")


def _version_html(v: Version) -> str:
    head = (f"<b>{escape(v.label)}</b> — {escape(version_span(v))}{badge(v.status)}"
            f'<span class="cb-badge">{escape(SOURCE_TYPES[v.source_type])}</span>'
            f'<span class="cb-badge">{escape(BINDING[v.binding_force])}</span>')
    parts = [f'<div class="cb-version">{head}']
    if v.annulment:
        parts.append(f"<p><b>Annulé</b> par {escape(v.annulment.by)} le "
                     f"{french_date(v.annulment.date)} : réputé n'avoir jamais existé.</p>")
    if v.text:
        parts.append(f'<blockquote class="cb-text">« {escape(v.text)} »</blockquote>'
                     f'<p class="cb-text-source"><small>{escape(text_origin(v))}</small></p>')
    else:
        parts.append("<p><i>Texte non reproduit : non vérifié dans une source officielle "
                     "(à vérifier).</i></p>")
    parts.append(f"<p><small>Source : {escape(v.citation)}")
    if v.url:
        parts.append(f' — <a href="{escape(v.url)}" target="_blank" rel="noopener">lien</a>')
    parts.append(f"<br>Vérification : {escape(v.status_source)}")
    if v.status_note:
        parts.append(f"<br>{escape(v.status_note)}")
    parts.append("</small></p>")
    if v.penalty:
        parts.append(f"<p>Peine : {escape(v.penalty)}</p>")
    for case in v.case_law:
        parts.append(f"<p>⚖ <b>{escape(case.citation)}</b> : {escape(case.summary)}</p>")
    parts.append("</div>")
    return "".join(parts)


def provision_html(p: Provision) -> str:
    """A provision's title, question and every dated version with text, source and status."""
    versions = "".join(_version_html(v) for v in p.versions)
    return (f"<h2>{escape(p.title)}</h2><p><i>{escape(p.question)}</i> "
            f"(support de cours : {escape(p.handout_section)})</p>{versions}")


def corrections_html(p: Provision) -> str:
    """What the handout gets wrong or out of date for this provision, version by version."""
    items = [(v, c) for v in p.versions for c in v.corrections]
    if not items:
        return "<p>Aucune correction du support de cours pour cette disposition.</p>"
    rows = "".join(f'<div class="cb-correction"><b>{escape(v.label)}</b> : {escape(c)}</div>'
                   for v, c in items)
    return f"<h3>Ce que le support de cours dit mal ou plus à jour</h3>{rows}"


def plain_explanation(verdict: Verdict) -> str:
    """The explanation without the engine's sentences about facts still unknown (for the
    navigator's cards, read by students who never saw the engine)."""
    if verdict.branch == "sans_effet":
        return "Quelles que soient les réponses aux questions restées ouvertes, la réponse est celle-ci."
    return verdict.explanation.replace(SAME, "").replace(EVEN_IF, "")


def _explanation_html(verdict: Verdict, questions: Mapping[str, str] | None) -> str:
    """The card's explanation. An undecided verdict whose questions are known stays short: how
    many answers are missing and which question to answer first, the others folded."""
    if verdict.outcome != "indetermine" or not verdict.unknown or questions is None:
        return escape(verdict.explanation)
    asked = [questions[f] for f in verdict.unknown if f in questions]
    if not asked:
        return escape(verdict.explanation)
    count = len(asked)
    head = (f"il manque encore {count} réponse{'s' if count > 1 else ''} pour conclure. "
            f"À répondre d'abord : « {escape(asked[0])} »")
    if count == 1:
        return head
    rest = "".join(f"<li>{escape(q)}</li>" for q in asked[1:])
    others = "L'autre question" if count == 2 else f"Les {count - 1} autres questions"
    return f'{head}<details class="cb-missing"><summary>{others}</summary><ul>{rest}</ul></details>'


def verdict_html(verdict: Verdict, level: int = 3, questions: Mapping[str, str] | None = None,
                 before: str | None = None, plain: bool = False) -> str:
    """A verdict card: outcome in words, icon and colour (a heading of `level`, to fit the page's
    outline; « question débattue » beside it when the law is divided), limits as a list, version
    and explanation. With `questions` (fact id → question), an undecided card is short
    (`_explanation_html`); with `before`, the outcome shown before the last change, the card says
    what changed; `plain` leaves out the engine's sentences on facts still unknown."""
    o = verdict.outcome
    limits = "".join(f"<li><b>{escape(LIMIT_NAMES[k])}</b> : {escape(v)}</li>"
                     for k, v in verdict.limits)
    version = verdict.version
    vline = "aucune version en vigueur à cette date"
    if version:
        vline = f"{escape(version.citation)} ({escape(version_span(version))}){badge(version.status)}"
    remarks = "".join(f"<p>💡 {escape(r)}</p>" for r in verdict.remarks)
    penalty = f"<p>Peine : {escape(verdict.penalty_text)}</p>" if verdict.penalty_text else ""
    debated = ' <span class="cb-badge cb-debated">question débattue</span>' if verdict.debate else ""
    return (f'<div class="cb-card" style="--cb-c:{OUTCOME_COLOURS[o]}" '
            f'data-outcome="{o}"><h{level} class="cb-outcome">{OUTCOME_ICONS[o]} '
            f"{escape(OUTCOMES[o])}{debated}</h{level}>"
            f"{change_html(before, o)}"
            f"<p><b>{escape(verdict.provision.short)}</b> — "
            f"{escape(plain_explanation(verdict)) if plain else _explanation_html(verdict, questions)}</p>"
            f"{'<ul>' + limits + '</ul>' if limits else ''}{_debate_html(verdict)}{penalty}{remarks}"
            f"<p><small>Version appliquée : {vline}</small></p></div>")


def not_applicable_html(verdicts: list[Verdict], date: dt.date) -> str:
    """The provisions that do not apply, each with one line saying why."""
    if not verdicts:
        return ""
    items = "".join(f"<li><b>{escape(v.provision.short)}</b> : {escape(why_not(v, date))}</li>"
                    for v in verdicts)
    return f'<div class="cb-not-applicable"><p><b>Ne s\'appliquent pas ici</b></p><ul>{items}</ul></div>'


def guidance_html(steps: list[Guidance]) -> str:
    """« Que faire maintenant ? »: for each answer, who to contact, what to say and not to
    say, what to write down."""
    parts = ['<div class="cb-todo"><h2 class="cb-todo-title">Que faire maintenant ?</h2>']
    for g in steps:
        parts.append(f"<h3>{escape(g.title)}</h3>")
        for heading, items in (("Qui contacter", g.contact), ("Ce que vous pouvez dire", g.say),
                               ("Ce que vous ne dites pas", g.not_say),
                               ("Ce que vous notez", g.write_down)):
            lis = "".join(f"<li>{escape(i)}</li>" for i in items)
            parts.append(f"<p><b>{heading}</b></p><ul>{lis}</ul>")
    parts.append("</div>")
    return "".join(parts)


def change_html(before: str | None, now: str) -> str:
    """What the last change of facts did to the outcome (empty when it did not change it)."""
    if before is None or before == now:
        return ""
    return (f'<p class="cb-change">Changement : {OUTCOME_ICONS[before]} {escape(OUTCOMES[before])} '
            f"→ <b>{OUTCOME_ICONS[now]} {escape(OUTCOMES[now])}</b></p>")


def verdict_bar_html(verdict: Verdict, before: str | None = None) -> str:
    """The compact verdict bar a narrow screen keeps at the bottom of the window while the
    questions are answered: the outcome in words and its provision, « nouveau » after a change."""
    o = verdict.outcome
    new = ' <span class="cb-badge">nouveau</span>' if before is not None and before != o else ""
    return (f'<div class="cb-bar" style="--cb-c:{OUTCOME_COLOURS[o]}" data-outcome="{o}">'
            f'<span class="cb-bar-outcome">{OUTCOME_ICONS[o]} {escape(OUTCOMES[o])}</span>{new} — '
            f"{escape(verdict.provision.short)}</div>")


def announce_html(text: str) -> str:
    """The one short line a live pane says when it changes (read by the template's a11y.js
    into its announcer; never shown)."""
    return f'<span class="cb-announce-text" hidden>{escape(text)}</span>'


def verdict_line(verdict: Verdict) -> str:
    """A verdict in one line: its outcome in words and its provision (what is announced)."""
    o = verdict.outcome
    return f"{OUTCOME_ICONS[o]} {OUTCOMES[o]} — {verdict.provision.short}"


def _node_html(node: TraceNode) -> str:
    css = {True: "cb-met", False: "cb-notmet", None: "cb-unknown"}[node.value]
    judged = " <i>(votre appréciation)</i>" if node.judgement else ""
    judged += f" <small>({escape(node.note)})</small>" if node.note else ""
    kids = "".join(_node_html(c) for c in node.children)
    return (f'<li class="{css}">{CONDITION_MARK[node.value]} {escape(node.label)} — '
            f"{CONDITION_STATUS[node.value]}{judged}"
            f"{'<ul>' + kids + '</ul>' if kids else ''}</li>")


def trace_html(verdict: Verdict, level: int = 3) -> str:
    """Every condition with its value (remplie, non remplie, inconnue), as nested lists under a
    heading of `level`, and the version cited."""
    nodes = "".join(_node_html(n) for n in verdict.trace)
    cite = escape(verdict.version.citation) if verdict.version else "—"
    return (f'<div class="cb-trace"><h{level} class="cb-trace-title">Raisonnement</h{level}><p>({cite})</p>'
            f"<ul>{nodes or '<li>Aucune condition examinée.</li>'}</ul></div>")


def whatif_html(changes: list[WhatIf], limit: int = 5) -> str:
    if not changes:
        return "<p><b>Et si… ?</b> Aucun changement d'un ou deux faits ne modifie cette réponse.</p>"
    items = "".join(f"<li>{escape(w.sentence)}</li>" for w in changes[:limit])
    more = f"<p><small>… et {len(changes) - limit} autre(s).</small></p>" if len(changes) > limit else ""
    return f"<div><b>Et si… ?</b><ul>{items}</ul>{more}</div>"


def provenance_html(sc: Scenario) -> str:
    """Where a published case comes from: source, reference, date and link (empty otherwise)."""
    p = sc.provenance
    if p.type != "publie":
        return ""
    reference = f", {escape(p.reference)}" if p.reference else ""
    link = (f' — <a href="{escape(p.url)}" target="_blank" rel="noopener">lien</a>'
            if p.url else "")
    return (f'<p class="cb-provenance"><small>D\'après : {escape(p.source)}{reference} '
            f"({french_date(p.date)}){link}</small></p>")


def table_html(name: str, table: Table) -> str:
    """A reference table as students see it: French headings and words, statuses as badges."""
    columns = TABLE_COLUMNS[name]
    head = "".join(f"<th>{escape(label)}</th>" for label in columns.values())
    cells = [table[column] for column in columns]
    rows = []
    for values in zip(*cells, strict=True):
        shown = [_table_cell(column, value) for column, value in zip(columns, values, strict=True)]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in shown) + "</tr>")
    return (f'<table class="cb-table cb-reference"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _table_cell(column: str, value: str) -> str:
    if column == "status":
        return badge(value)
    if column in ("date", "from", "until") and value:  # real dates: the table schema checks them
        return french_date(dt.date.fromisoformat(value))
    return escape(TABLE_WORDS.get(value, value))


def sources_html(p: Provision) -> str:
    """Every source used for a provision, with its verification status."""
    items = []
    for v in p.versions:
        link = f' — <a href="{escape(v.url)}">{escape(v.url)}</a>' if v.url else ""
        items.append(f"<li>{escape(v.citation)}{badge(v.status)}<br><small>"
                     f"{escape(v.status_source)}</small>{link}</li>")
        items += [f"<li>{escape(c.citation)}</li>" for c in v.case_law]
    return f"<ul>{''.join(items)}</ul>"


def timeline_svg(kb: KnowledgeBase, width: int = 900, marker: dt.date | None = None) -> str:
    """A deterministic SVG: one row per provision, one bar per version (colour = status),
    hatched when annulled, over 1990–2030; with `marker`, a red vertical line and its date (the
    hatch pattern then gets its own id, so that both pictures can share a page)."""
    start, end = HORIZON
    hatch = "cb-hatch" if marker is None else "cb-hatch-at"
    span = (end - start).days
    left, row_h, top = 260, 22, 30
    colours = {"verified": "#2e7d32", "secondary": "#4a6fa5", "unverified": "#d4a017"}
    provisions = [p for p in kb.provisions.values()]
    height = top + row_h * len(provisions) + 40

    def x(day: dt.date | None, default: dt.date) -> float:
        d = min(max(day or default, start), end)
        return round(left + (width - left - 10) * (d - start).days / span, 1)

    out = [f'<svg class="cb-timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse">'
           '<path d="M0,6 L6,0" stroke="#c62828" stroke-width="2"/></pattern></defs>']
    for year in range(1990, 2031, 5):
        xx = x(dt.date(year, 1, 1), start)
        out.append(f'<line x1="{xx}" y1="{top - 8}" x2="{xx}" y2="{height - 30}" stroke="#ddd"/>'
                   f'<text x="{xx}" y="{top - 12}" text-anchor="middle">{year}</text>')
    for i, p in enumerate(provisions):
        y = top + i * row_h
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(p.short)}</text>')
        for v in p.versions:
            x1, x2 = x(v.valid_from, start), x(v.valid_until, end)
            fill = f"url(#{hatch})" if v.annulment else colours[v.status]
            title = escape(f"{v.label} — {version_span(v)} — {STATUSES[v.status]}")
            out.append(f'<rect x="{x1}" y="{y + 3}" width="{max(x2 - x1, 2)}" height="{row_h - 6}" '
                       f'fill="{fill}" stroke="#fff"><title>{title}</title></rect>')
    legend_y = height - 14
    for j, (status, colour) in enumerate(colours.items()):
        lx = left + j * 170
        out.append(f'<rect x="{lx}" y="{legend_y - 9}" width="12" height="10" fill="{colour}"/>'
                   f'<text x="{lx + 16}" y="{legend_y}">{escape(STATUSES[status])}</text>')
    out.append(f'<rect x="{left + 510}" y="{legend_y - 9}" width="12" height="10" '
               f'fill="url(#{hatch})"/><text x="{left + 526}" y="{legend_y}">annulé</text>')
    if marker is not None:
        xx = x(marker, start)
        label_x, anchor = (xx - 3, "end") if xx > width - 80 else (xx + 3, "start")
        out.append(f'<line class="cb-timeline-marker" x1="{xx}" y1="{top - 8}" x2="{xx}" '
                   f'y2="{height - 30}" stroke="#c62828" stroke-width="2"/>'
                   f'<text class="cb-timeline-marker-label" x="{label_x}" y="{top - 1}" '
                   f'text-anchor="{anchor}" fill="#c62828" font-weight="bold">'
                   f"{french_date(marker)}</text>")
    out.append("</svg>")
    return "".join(out)

"""A situation as a link, and a link as a situation: the query-string parameters of a dashboard
turned into a worked case, a date and facts (`situation_from_query`), the link that reproduces the
situation on screen (`query_for`, `link_for`) and the HTML that shows it (`share_html`) or says
what a link asked for in vain (`ignored_html`).

Parameters of a link:

- `cas=<id>` loads a worked case of the page (its facts and its date);
- `date=AAAA-MM-JJ` sets the date of the facts (within the knowledge base's HORIZON);
- `<fact id>=<value>` sets or overrides a fact: `oui` / `non` for a yes/no question, an option's
  value for a choice, AAAA-MM-JJ for a date; `inconnu` makes a fact of the case unknown again;
- the RESERVED names belong to other features (`mode`, the training round's `graine`,
  `difficulte` and `n`, the explorer's `regle` and `titre` (the title of the case), the
  navigator's and the training round's `sujet`) or to the Jupyter server (`token`, which Binder
  and a token-protected server add to the first address they open): they are skipped here
  without a word.

Everything else (an unknown case, fact or value, an impossible date) is ignored and said in
French. A parameter is a string the user wrote: it is never executed, and every message quotes it
shortened to MAX_SHOWN characters, as text (`ignored_html` escapes it).

A link is relative to the current page: `03_secret_partage.ipynb?cas=...` on a page Voilà serves
(under `/voila/render/` of `casebook serve` as under Binder's prefixed addresses), or only the
query (`?cas=...`) in a notebook, where no page name is known. The browser resolves it against the
page's own address; `share_html` offers it as a field to copy, holding the whole address once the
template's page.js has resolved it, with « Copier le lien » and a hyperlink."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, urlencode

from ...law.engine import Situation
from ...law.facts import Fact, FactValue
from ...law.knowledge import HORIZON, KnowledgeBase
from ...law.labels import french_date
from ...law.scenarios import Scenario
from . import page

CASE, DATE = "cas", "date"
RESERVED = frozenset({"mode", "graine", "difficulte", "n", "regle", "sujet", "titre", "token"})
UNKNOWN_VALUE = "inconnu"
MAX_SHOWN = 40  # characters of a user's string quoted in a message
MAX_LINES = 12  # messages kept; the rest are counted
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOTEBOOK = re.compile(r"[A-Za-z0-9_.-]+\.ipynb")


@dataclass(frozen=True)
class LinkedCase:
    """What a link asks for: a worked case (its id), the date of the facts (None: not given),
    the facts (the case's, overridden by the link's) and, in French, what was ignored (plain
    text with the user's strings shortened: escape it before showing it, see `ignored_html`)."""

    case_id: str | None = None
    date: dt.date | None = None
    facts: dict[str, FactValue] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


def shown(text: str) -> str:
    """A user's string as a message quotes it: unprintable characters replaced by « � », cut to
    MAX_SHOWN characters. Plain text: still to be escaped."""
    text = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def parse_day(value: str) -> dt.date | None:
    """A date written AAAA-MM-JJ, or None (any other form, or a day that does not exist)."""
    if not _ISO.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _fact_value(fact: Fact, value: str) -> FactValue | str:
    """The engine value of a link's `value` for `fact`, or a French reason (str) prefixed by
    « ! » when the value is refused."""
    if fact.type == "bool":
        if value in ("oui", "non"):
            return value == "oui"
        return "!oui ou non attendu"
    if fact.type == "choice":
        if fact.option(value):
            return value
        allowed = ", ".join(o.value for o in fact.options)
        return f"!valeurs permises : {allowed}"
    day = parse_day(value)
    return day if day is not None else "!date AAAA-MM-JJ attendue"


def situation_from_query(kb: KnowledgeBase, params: Mapping[str, str], cases: Mapping[str, Scenario],
                         facts: Iterable[str] | None = None) -> LinkedCase:
    """The situation a link's parameters ask for, among the worked cases `cases` (by id) and the
    facts `facts` (fact ids a page shows; None: every fact). Never raises: whatever cannot be
    used is left out and listed in `ignored`. A worked case's facts outside `facts` are left
    out silently (the page does not show them)."""
    accepted = set(kb.facts if facts is None else facts)
    ignored: list[str] = []
    case_id: str | None = None
    date: dt.date | None = None
    chosen: dict[str, FactValue] = {}
    unknown: set[str] = set()
    raw_case = params.get(CASE, "")
    if raw_case:
        if raw_case in cases:
            case_id = raw_case
            situation = cases[raw_case].situation
            date = situation.date
            chosen = {k: v for k, v in situation.facts.items() if k in accepted}
        else:
            ignored.append(f"cas pratique « {shown(raw_case)} » inconnu dans cette page")
    for name, value in params.items():
        if name in (CASE, *RESERVED):
            continue
        if name == DATE:
            day = parse_day(value)
            if day is None:
                ignored.append(f"date « {shown(value)} » impossible (AAAA-MM-JJ attendu)")
            elif not HORIZON[0] <= day <= HORIZON[1]:
                ignored.append(f"date {french_date(day)} hors de la période couverte "
                               f"({french_date(HORIZON[0])} – {french_date(HORIZON[1])})")
            else:
                date = day
        elif name not in kb.facts:
            ignored.append(f"paramètre « {shown(name)} » inconnu")
        elif name not in accepted:
            ignored.append(f"le fait « {name} » ne joue aucun rôle dans cette page")
        elif value == UNKNOWN_VALUE:
            unknown.add(name)
        else:
            parsed = _fact_value(kb.facts[name], value)
            if isinstance(parsed, str) and parsed.startswith("!"):
                ignored.append(f"valeur « {shown(value)} » refusée pour « {name} » ({parsed[1:]})")
            else:
                chosen[name] = parsed
    for name in unknown:
        chosen.pop(name, None)
    if len(ignored) > MAX_LINES:
        ignored[MAX_LINES:] = [f"et {len(ignored) - MAX_LINES} autre(s) paramètre(s)"]
    ordered = {fid: chosen[fid] for fid in kb.facts if fid in chosen}
    return LinkedCase(case_id, date, ordered, tuple(ignored))


def _word(value: FactValue) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def query_for(facts: Mapping[str, FactValue], date: dt.date | None, case_id: str | None = None,
              extra: Mapping[str, str] | None = None, base: Situation | None = None) -> str:
    """The query string (without « ? ») that reproduces a situation: `cas`, then `extra` (other
    features' parameters, e.g. `regle`), the date and the facts. With `base` (the situation of
    worked case `case_id`, limited to the facts the page shows), only what differs from it is
    written, a fact of the case now unknown as `inconnu`; without it, every fact and the date."""
    pairs: list[tuple[str, str]] = []
    if case_id:
        pairs.append((CASE, case_id))
    pairs += [(k, v) for k, v in (extra or {}).items()]
    if date is not None and (base is None or date != base.date):
        pairs.append((DATE, date.isoformat()))
    for fid, value in facts.items():
        if base is None or base.facts.get(fid) != value:
            pairs.append((fid, _word(value)))
    if base is not None:
        pairs += [(fid, UNKNOWN_VALUE) for fid in base.facts if fid not in facts]
    return urlencode(pairs, quote_via=quote)


def link_for(notebook: str, facts: Mapping[str, FactValue], date: dt.date | None,
             case_id: str | None = None, extra: Mapping[str, str] | None = None,
             base: Situation | None = None) -> str:
    """The link, relative to the current page, to `notebook` (a file name such as
    `03_secret_partage.ipynb`, or "" for the current page) with the query of `query_for`."""
    name = notebook if _NOTEBOOK.fullmatch(notebook or "") else ""
    query = query_for(facts, date, case_id, extra, base)
    return f"{name}?{query}" if query or not name else name


def page_notebook() -> str:
    """The file name of the dashboard Voilà serves (from the request's path, after the request
    has arrived: see `page.query`), or "" outside Voilà."""
    page.query()  # in a preheated kernel, waits for the request that sets SCRIPT_NAME
    name = os.path.basename(os.environ.get("SCRIPT_NAME", ""))
    return name if _NOTEBOOK.fullmatch(name) else ""


def ignored_html(lines: Iterable[str]) -> str:
    """One French line (escaped) saying what a link asked for in vain; "" when nothing was."""
    lines = [line if len(line) <= 200 else line[:200] + "…" for line in lines]
    if not lines:
        return ""
    return (f'<p class="cb-link-ignored" role="status">Lien : ignoré — {escape(" ; ".join(lines))}. '
            "La page s'ouvre sans ces éléments.</p>")


def share_html(link: str, label: str = "Lien vers ce cas", kind: str = "cb-share") -> str:
    """A link to send: a read-only field labelled `label` holding the link (class
    `cb-share-link`), « Copier le lien », a hyperlink that opens it in a new tab, a status line
    that says when it was copied and the address in full for the print. The kernel writes the link
    relative to the page (`data-cb-link`); the template's page.js turns every copy of it into the
    whole address the person sees."""
    safe = escape(link, quote=True)
    return (f'<div class="{kind}"><label>{escape(label)} '
            f'<input type="text" class="cb-share-link" readonly value="{safe}" data-cb-link="{safe}" '
            'size="60"></label> <button type="button" class="cb-copy jupyter-button">Copier le lien'
            f'</button> <a class="cb-share-open" href="{safe}" data-cb-link="{safe}" target="_blank" '
            'rel="noopener">ouvrir dans un nouvel onglet</a>'
            f'<span class="cb-link-print" data-cb-link="{safe}">{safe}</span>'
            '<span class="cb-copied" role="status" aria-live="polite"></span></div>')

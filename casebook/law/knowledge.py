"""Loading and checking the knowledge base: facts, reference tables and provisions.

Every problem found is reported with its file, place and what was expected (DataErrors);
checks cover references, dates, overlapping or missing versions and exceptions that could
hold together. The YAML parser, the schema compiler and pandas are imported only when data is
read: a kernel that takes the knowledge base from its snapshot (`casebook.snapshot`) never
loads them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .derivation import OPEN, Completion, Derivation, DerivationRow, complete, to_ask
from .errors import DataError, DataErrors
from .facts import Fact, FactValue, Option
from .guidance import Guidance, load_guidance
from .labels import OUTCOMES
from .logic import (
    Combination,
    Condition,
    Context,
    FactCondition,
    ProvisionCondition,
    fact_label,
    provision_label,
)
from .model import Annulment, Branch, CaseLaw, Provision, Reading, Remark, Rule, Version
from .paths import data_dir, display_path
from .tables import Table

if TYPE_CHECKING:
    from .yamlio import YamlDocument

HORIZON = (dt.date(1990, 1, 1), dt.date(2030, 12, 31))
# A secret (a law, decree or code that imposes silence) may answer every deontic outcome; an
# exception (a justification, a right or a duty to speak) never imposes silence: when it does not
# open, it answers "non_applicable" and the secret of the provisions that impose it remains.
_SECRET_OUTCOMES = set(OUTCOMES) - {"indetermine", "sanction_encourue"}
_ALLOWED_OUTCOMES = {
    "secret": _SECRET_OUTCOMES,
    "exception": _SECRET_OUTCOMES - {"obligation_de_se_taire"},
    "consequence": {"sanction_encourue", "non_applicable"},
}
_MAX_COMBINATIONS = 20000


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole law of the casebook: facts by id, provisions in teaching order, tables."""

    root: Path
    facts: dict[str, Fact]
    provisions: dict[str, Provision]
    tables: dict[str, Table]
    order: tuple[str, ...]  # provisions, each after those it refers to
    fact_rank: dict[str, float]  # position of each fact in the vocabulary (a derived fact after
    # the facts it is derived from)
    # per provision, per fact: one value of each class of values its rule (and those it reads)
    # cannot tell apart
    distinct: dict[str, dict[str, tuple[FactValue, ...]]]
    # facts the law decides from others (`derivation`), and what a silent situation describes
    derivations: dict[str, Derivation] = field(default_factory=dict)
    unstated: dict[str, FactValue] = field(default_factory=dict)
    guidance: tuple[Guidance, ...] = ()  # « Que faire maintenant ? » (data/guidance.yaml)

    def provision(self, pid: str) -> Provision:
        return self.provisions[pid]

    def version(self, vid: str) -> Version | None:
        return next((v for p in self.provisions.values() for v in p.versions if v.id == vid), None)

    def ranked(self, fact_ids) -> tuple[str, ...]:
        """Fact ids in the vocabulary's order."""
        return tuple(sorted(fact_ids, key=self.fact_rank.__getitem__))

    def facts_of(self, pid: str) -> tuple[str, ...]:
        """Facts a provision reads, directly or through the provisions it refers to or the
        facts it reads are derived from, in vocabulary order (a derived fact after its inputs)."""
        seen: set[str] = set()
        stack, used = [pid], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            used |= self.provisions[current].facts()
            stack.extend(self.provisions[current].references())
        return self.ranked(_with_inputs(used, self.derivations))

    def complete(self, facts: dict[str, FactValue]) -> Completion:
        """The facts an evaluation reads: those given, unstated acts read as none, and the
        facts the law derives from them (see `casebook.law.derivation`)."""
        return complete(facts, self.unstated, self.derivations, self.facts)

    def to_ask(self, fid: str, facts: dict[str, FactValue]) -> tuple[str, ...]:
        """The questions that decide the unknown fact `fid` in the (completed) `facts`."""
        return to_ask(fid, facts, self.derivations)


class _Builder:
    """Turns validated documents into model objects, collecting every error on the way."""

    def __init__(self, facts: dict[str, Fact], tables: dict[str, Table]):
        self.facts = facts
        self.tables = tables
        self.errors: list[DataError] = []
        self.provision_ids: set[str] = set()
        self.shorts: dict[str, str] = {}

    # --- conditions -----------------------------------------------------------------------
    def condition(self, doc: YamlDocument, raw: Any, path: Sequence[object]) -> Condition | None:
        from .schemas import validate

        errs = validate(doc, "condition", value=raw, path=path)
        if errs:
            self.errors.extend(errs)
            return None
        heads = [k for k in ("fact", "all", "any", "not", "provision") if k in raw]
        if len(heads) != 1:
            self.errors.append(doc.error(path, "une condition a exactement une de ces clés : "
                                         "fact, all, any, not, provision"))
            return None
        head, label, cite = heads[0], raw.get("label"), raw.get("cite")
        if head in ("all", "any"):
            kids = [self.condition(doc, c, [*path, head, i]) for i, c in enumerate(raw[head])]
            if any(k is None for k in kids):
                return None
            return Combination(label, cite, head, tuple(kids))  # type: ignore[arg-type]
        if head == "not":
            kid = self.condition(doc, raw["not"], [*path, "not"])
            return None if kid is None else Combination(label, cite, "not", (kid,))
        if head == "provision":
            return self._provision_condition(doc, raw, path, label, cite)
        return self._fact_condition(doc, raw, path, label, cite)

    def _provision_condition(self, doc, raw, path, label, cite) -> Condition | None:
        pid = raw["provision"]
        if pid not in self.provision_ids:
            known = ", ".join(sorted(self.provision_ids))
            self.errors.append(doc.error([*path, "provision"],
                                         f"disposition inconnue « {pid} » ; connues : {known}"))
            return None
        outcomes = tuple(raw["in"]) if "in" in raw else (raw.get("is"),)
        bad = [o for o in outcomes if o not in OUTCOMES]
        if bad:
            self.errors.append(doc.error([*path, "is" if "is" in raw else "in"],
                                         f"issue inconnue « {bad[0]} » ; issues permises : "
                                         + ", ".join(OUTCOMES)))
            return None
        return ProvisionCondition(label, cite, pid, outcomes,
                                  provision_label(self.shorts.get(pid, pid), outcomes))

    def _fact_condition(self, doc, raw, path, label, cite) -> Condition | None:
        fid = raw["fact"]
        fact = self.facts.get(fid)
        if fact is None:
            self.errors.append(doc.error([*path, "fact"], f"fait inconnu « {fid} » (absent de "
                                         "data/facts.yaml)"))
            return None
        ops = [k for k in ("is", "in", "in_table", "before", "from") if k in raw]
        if len(ops) > 1:
            self.errors.append(doc.error(path, "une seule comparaison par condition "
                                         "(is, in, in_table, before ou from)"))
            return None
        op = ops[0] if ops else "is"
        if op == "in_table":
            values = self._table_values(doc, raw["in_table"], [*path, "in_table"])
            if values is None:
                return None
            operand: tuple[Any, ...] = values
            op = "in"
        elif op in ("before", "from"):
            if fact.type != "date":
                self.errors.append(doc.error([*path, op], f"« {op} » ne s'emploie qu'avec un fait "
                                             f"de type date ; « {fid} » est de type {fact.type}"))
                return None
            operand = (dt.date.fromisoformat(raw[op]),)
        else:
            operand = tuple(raw["in"]) if op == "in" else (raw.get("is", True),)
            if fact.type == "date":
                self.errors.append(doc.error(path, f"le fait date « {fid} » se compare avec "
                                             "before ou from"))
                return None
            for value in operand:
                problem = fact.check(value)
                if problem:
                    self.errors.append(doc.error([*path, op], f"fait « {fid} » : {problem} ; "
                                                 f"reçu : « {value} »"))
                    return None
        return FactCondition(label, cite, fact, "in" if len(operand) > 1 else op, operand,
                             fact_label(fact, op, operand))

    def _table_values(self, doc, spec, path) -> tuple[str, ...] | None:
        table = self.tables.get(spec["table"])
        if table is None:
            self.errors.append(doc.error([*path, "table"], f"table inconnue « {spec['table']} » ; "
                                         "tables : " + ", ".join(sorted(self.tables))))
            return None
        columns = [spec["column"], *spec.get("where", {})]
        missing = [c for c in columns if c not in table.columns]
        if missing:
            self.errors.append(doc.error(path, f"colonne inconnue « {missing[0]} » dans la table "
                                         f"« {spec['table']} »"))
            return None
        rows = table
        for column, value in spec.get("where", {}).items():
            rows = rows.where(column, value)
        if not rows:
            self.errors.append(doc.error(path, "aucune ligne de la table ne correspond au filtre"))
            return None
        return tuple(rows[spec["column"]])

    # --- rules ----------------------------------------------------------------------------
    def branch(self, doc, raw, path, base: bool) -> Branch | None:
        when = None
        if base and "when" in raw:
            self.errors.append(doc.error([*path, "when"], "la règle de base n'a pas de condition "
                                         "« when » (elle s'applique quand aucune exception ne joue)"))
            return None
        if not base:
            missing = [k for k in ("id", "label", "when") if k not in raw]
            if missing:
                self.errors.append(doc.error(path, "une exception doit avoir : "
                                             + ", ".join(missing)))
                return None
            when = self.condition(doc, raw["when"], [*path, "when"])
            if when is None:
                return None
        debate = tuple(Reading(r["reading"], r["outcome"], r["source"], r.get("url"))
                       for r in raw.get("debate", []))
        if debate and raw["outcome"] not in {r.outcome for r in debate}:
            self.errors.append(doc.error([*path, "outcome"], "une question débattue donne "
                                         "l'issue de l'une de ses lectures (la plus prudente)"))
            return None
        return Branch(raw.get("id", "base"), raw.get("label", "Règle de base"), when,
                      raw["outcome"], raw["explanation"], tuple(raw.get("limits", {}).items()),
                      debate)

    def rule(self, doc, raw, path, kind: str) -> Rule | None:
        applies = self.condition(doc, raw["applies_when"], [*path, "applies_when"])
        base = self.branch(doc, raw["base"], [*path, "base"], base=True)
        exceptions = [self.branch(doc, e, [*path, "exceptions", i], base=False)
                      for i, e in enumerate(raw.get("exceptions", []))]
        remarks = []
        for i, r in enumerate(raw.get("remarks", [])):
            cond = self.condition(doc, r["when"], [*path, "remarks", i, "when"])
            remarks.append(None if cond is None else Remark(cond, r["text"]))
        if applies is None or base is None or None in exceptions or None in remarks:
            return None
        allowed = _ALLOWED_OUTCOMES[kind]
        for i, b in enumerate([base, *exceptions]):
            if b.outcome not in allowed:
                where = [*path, "base"] if i == 0 else [*path, "exceptions", i - 1]
                self.errors.append(doc.error([*where, "outcome"], f"issue « {b.outcome} » "
                                             f"interdite pour une disposition de type {kind} ; "
                                             "permises : " + ", ".join(sorted(allowed))))
                return None
        ids = [e.id for e in exceptions]  # type: ignore[union-attr]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            self.errors.append(doc.error([*path, "exceptions"], f"identifiant d'exception en "
                                         f"double : {dupes[0]}"))
            return None
        text = raw.get("not_applicable", "Les conditions d'application ne sont pas réunies.")
        return Rule(applies, text, base, tuple(exceptions), tuple(remarks))  # type: ignore[arg-type]

    def version(self, doc, raw, index, pid: str, kind: str) -> Version | None:
        from .schemas import validate

        path = ["versions", index]
        errs = validate(doc, "provision", "version", value=raw, path=path)
        if errs:
            self.errors.extend(errs)
            return None
        if raw["text"] is None and raw["verification"]["status"] != "unverified":
            self.errors.append(doc.error([*path, "text"], "texte manquant : une version vérifiée "
                                         "ou de source secondaire cite son texte exact ; sinon "
                                         "statut « unverified »"))
            return None
        if raw["text"] is not None and "text_source" not in raw:
            self.errors.append(doc.error([*path, "text"], "origine du texte manquante "
                                         "(« text_source ») : official, handout ou secondary"))
            return None
        start, end = (_date(raw["valid_from"]), _date(raw["valid_until"]))
        if start and end and end < start:
            self.errors.append(doc.error([*path, "valid_until"], f"date de fin ({end}) antérieure "
                                         f"à la date de début ({start})"))
            return None
        rule = self.rule(doc, raw["rule"], [*path, "rule"], kind)
        if rule is None:
            return None
        ann = raw.get("annulment")
        v = raw["verification"]
        return Version(
            id=raw["id"], provision=pid, label=raw["label"], citation=raw["citation"],
            url=raw.get("url"), source_type=raw["source_type"], binding_force=raw["binding_force"],
            valid_from=start, valid_until=end,
            annulment=Annulment(_date(ann["date"]), ann["by"], ann.get("url")) if ann else None,
            handout_section=raw["handout_section"], status=v["status"], status_source=v["source"],
            status_note=v.get("note", ""), text=raw["text"],
            text_source=raw.get("text_source"), carried_over_from=raw.get("carried_over_from"),
            penalty=raw.get("penalty"),
            corrections=tuple(raw.get("corrections", [])),
            case_law=tuple(CaseLaw(c["citation"], _date(c["date"]), c["summary"], c.get("url"))
                           for c in raw.get("case_law", [])),
            rule=rule,
        )


def _with_inputs(used: set[str], derivations: dict[str, Derivation]) -> set[str]:
    """`used` and every fact a derived fact of it is derived from (transitively)."""
    out, stack = set(used), list(used)
    while stack:
        derivation = derivations.get(stack.pop())
        for fid in derivation.inputs if derivation else ():
            if fid not in out:
                out.add(fid)
                stack.append(fid)
    return out


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _load_facts(path: Path, tables: dict[str, Table], errors: list[DataError]
                ) -> tuple[dict[str, Fact], YamlDocument | None]:
    from .schemas import load_checked

    doc = load_checked(path, "facts", errors)
    if doc is None:
        return {}, None
    facts: dict[str, Fact] = {}
    for i, raw in enumerate(doc.data["facts"]):
        here = ["facts", i]
        if raw["id"] in facts:
            errors.append(doc.error([*here, "id"], f"identifiant de fait en double : {raw['id']}"))
            continue
        options = _options(doc, raw, here, tables, errors)
        if raw["type"] == "bool" and not ("if_true" in raw and "if_false" in raw):
            errors.append(doc.error(here, "un fait oui/non a besoin de « if_true » et « if_false » "
                                    "(phrases « si ... » pour les hypothèses)"))
            continue
        if raw["type"] == "choice" and options is None:
            continue
        fact = Fact(
            raw["id"], raw["type"], raw["group"], raw["question"], raw["statement"],
            raw.get("help", ""), raw.get("judgement", False), raw.get("if_true", ""),
            raw.get("if_false", ""), options or (),
        )
        if "unstated" in raw:
            problem = fact.check(raw["unstated"])
            if problem or fact.type == "date":
                errors.append(doc.error([*here, "unstated"], f"valeur « unstated » : "
                                        f"{problem or 'pas de valeur par défaut pour une date'}"))
                continue
            fact = replace(fact, unstated=raw["unstated"])
        facts[raw["id"]] = fact
    return facts, doc


def _derivations(doc: YamlDocument, facts: dict[str, Fact], tables: dict[str, Table], root: Path,
                 errors: list[DataError]) -> dict[str, Derivation]:
    """Each `derived_from` table of the vocabulary, checked cell by cell (file, line, column and
    the values allowed)."""
    out: dict[str, Derivation] = {}
    for i, raw in enumerate(doc.data["facts"]):
        name = raw.get("derived_from")
        fact = facts.get(raw["id"])
        if name is None or fact is None:
            continue
        table = tables.get(name)
        if table is None:
            errors.append(doc.error(["facts", i, "derived_from"], f"table inconnue « {name} » ; "
                                    "tables : " + ", ".join(sorted(tables))))
            continue
        shown = display_path(root / "tables" / f"{name}.csv")
        inputs = tuple(c for c in table.columns if c in facts and c != fact.id)
        if not inputs or "value" not in table:
            errors.append(DataError(shown, "", "une table de déduction a une colonne « value » "
                                    "et au moins une colonne nommée d'après un fait"))
            continue
        rows = []
        for line, cells in enumerate(table.rows, start=2):
            row = dict(zip(table.columns, cells, strict=True))
            given: list[tuple[str, FactValue]] = []
            for fid in inputs:
                if row[fid] == "":
                    continue
                value = facts[fid].parse(row[fid])
                if value is None:
                    errors.append(DataError(shown, f"colonne {fid}", f"valeur inconnue « {row[fid]} » ; "
                                            f"valeurs permises : {_allowed(facts[fid])}", line))
                    continue
                given.append((fid, value))
            value = None if row["value"] == OPEN else fact.parse(row["value"])
            if value is None and row["value"] != OPEN:
                errors.append(DataError(shown, "colonne value", f"valeur inconnue « {row['value']} » ; "
                                        f"valeurs permises : {_allowed(fact)}, {OPEN}", line))
                continue
            rows.append(DerivationRow(line, tuple(given), value, row.get("basis", ""),
                                      row.get("source", ""), row.get("url", ""),
                                      row.get("status", "unverified")))
        out[fact.id] = Derivation(fact, name, inputs, tuple(rows))
    return out


def _allowed(fact: Fact) -> str:
    return "oui, non" if fact.type == "bool" else ", ".join(o.value for o in fact.options)


def _options(doc, raw, here, tables, errors) -> tuple[Option, ...] | None:
    if raw["type"] != "choice":
        return ()
    if "options_from" in raw:
        spec = raw["options_from"]
        table = tables.get(spec["table"])
        if table is None or spec["value"] not in table or spec["label"] not in table:
            errors.append(doc.error([*here, "options_from"], "table ou colonne inconnue"))
            return None
        return tuple(Option(v, lab, f"si la réponse était : {lab.lower()}")
                     for v, lab in zip(table[spec["value"]], table[spec["label"]], strict=True))
    raw_options = raw.get("options")
    if not raw_options:
        errors.append(doc.error(here, "un fait à choix a besoin de « options » ou « options_from »"))
        return None
    values = [o["value"] for o in raw_options]
    if len(set(values)) != len(values):
        errors.append(doc.error([*here, "options"], "valeur d'option en double"))
        return None
    missing = [o["value"] for o in raw_options if "if" not in o]
    if missing:
        errors.append(doc.error([*here, "options"], f"option « {missing[0]} » sans phrase « if »"))
        return None
    return tuple(Option(o["value"], o["label"], o["if"]) for o in raw_options)


def _check_carried_over(p: Provision, doc: YamlDocument, errors: list[DataError]) -> None:
    """A version whose reasoning is carried over names an earlier version of the same provision."""
    for i, v in enumerate(p.versions):
        source = next((o for o in p.versions if o.id == v.carried_over_from), None)
        if v.carried_over_from is None:
            continue
        if source is None or source is v:
            known = ", ".join(o.id for o in p.versions if o is not v)
            errors.append(doc.error(["versions", i, "carried_over_from"], f"version inconnue "
                                    f"« {v.carried_over_from} » ; versions possibles : {known}"))
        elif v.status != "unverified":
            errors.append(doc.error(["versions", i, "carried_over_from"], "seule une version "
                                    "« unverified » reprend le raisonnement d'une autre version"))


def _check_timeline(p: Provision, doc: YamlDocument, errors: list[DataError]) -> None:
    live = sorted((v for v in p.versions if v.annulment is None),
                  key=lambda v: v.valid_from or dt.date.min)
    for a, b in itertools.pairwise(live):
        a_end = a.valid_until or dt.date.max
        b_start = b.valid_from or dt.date.min
        index = p.versions.index(b)
        if b_start <= a_end:
            errors.append(doc.error(["versions", index, "valid_from"],
                                    f"versions qui se chevauchent : « {a.id} » et « {b.id} » "
                                    f"sont toutes deux en vigueur le {b_start}"))
        elif b_start - a_end > dt.timedelta(days=1):
            errors.append(doc.error(["versions", index, "valid_from"],
                                    f"trou entre « {a.id} » (jusqu'au {a_end}) et « {b.id} » "
                                    f"(à partir du {b_start})"))


def _check_exceptions(p: Provision, doc: YamlDocument, kb_facts: dict[str, Fact],
                      errors: list[DataError]) -> None:
    """Two exceptions of one rule must never hold together: try every combination of the
    facts and provision outcomes they read."""
    for vi, v in enumerate(p.versions):
        for (_, a), (j, b) in itertools.combinations(enumerate(v.rule.exceptions), 2):
            assert a.when and b.when
            fact_ids = sorted(a.when.facts() | b.when.facts())
            prov_ids = sorted(a.when.provisions() | b.when.provisions())
            dates = _boundary_dates(a.when) | _boundary_dates(b.when)
            domains = [kb_facts[f].values() or tuple(sorted(dates)) or (None,) for f in fact_ids]
            domains += [tuple(OUTCOMES)] * len(prov_ids)
            size = 1
            for d in domains:
                size *= len(d)
            if size > _MAX_COMBINATIONS:
                errors.append(doc.error(["versions", vi, "rule", "exceptions", j],
                                        f"exceptions « {a.id} » et « {b.id} » trop complexes pour "
                                        f"vérifier qu'elles s'excluent ({size} combinaisons) : "
                                        "simplifiez leurs conditions"))
                continue
            for combo in itertools.product(*domains):
                facts = dict(zip(fact_ids, combo[: len(fact_ids)], strict=True))
                outs = dict(zip(prov_ids, combo[len(fact_ids):], strict=True))
                ctx = Context(facts, lambda pid, o=outs: (o[pid], frozenset()))
                if a.when.evaluate(ctx, "").value and b.when.evaluate(ctx, "").value:
                    example = ", ".join(f"{k} = {val}" for k, val in {**facts, **outs}.items())
                    errors.append(doc.error(["versions", vi, "rule", "exceptions", j],
                                            f"exceptions en conflit : « {a.id} » et « {b.id} » "
                                            f"peuvent s'appliquer ensemble (par exemple : "
                                            f"{example}) ; rendez-les exclusives"))
                    break


def _boundary_dates(cond: Condition) -> set[dt.date]:
    """The dates a condition compares with, and the day before each: enough to try every case."""
    if isinstance(cond, FactCondition) and cond.op in ("before", "from"):
        day = cond.operand[0]
        return {day, day - dt.timedelta(days=1)}
    if isinstance(cond, Combination):
        return set().union(*(_boundary_dates(c) for c in cond.children))
    return set()


def _order(provisions: dict[str, Provision], docs: dict[str, YamlDocument],
           errors: list[DataError]) -> tuple[str, ...]:
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(pid: str, chain: list[str]) -> None:
        if state.get(pid) == 2:
            return
        if state.get(pid) == 1:
            cycle = " → ".join([*chain[chain.index(pid):], pid])
            errors.append(docs[pid].error([], f"références circulaires entre dispositions : {cycle}"))
            return
        state[pid] = 1
        for ref in sorted(provisions[pid].references()):
            visit(ref, [*chain, pid])
        state[pid] = 2
        order.append(pid)

    for pid in sorted(provisions, key=lambda p: (provisions[p].order, p)):
        visit(pid, [])
    return tuple(order)


def load_knowledge_base(root: Path | None = None) -> KnowledgeBase:
    """Load and check everything under `root` (default: the package's data folder)."""
    from .schemas import load_checked
    from .tables import read_tables

    root = Path(root) if root else data_dir()
    errors: list[DataError] = []
    try:
        tables = {name: Table.from_frame(frame) for name, frame in read_tables(root / "tables").items()}
    except DataErrors as exc:
        errors.extend(exc.errors)
        tables = {}
    facts, facts_doc = _load_facts(root / "facts.yaml", tables, errors)
    derivations = _derivations(facts_doc, facts, tables, root, errors) if facts_doc else {}
    if errors:  # provisions cannot be checked against a broken vocabulary or table
        raise DataErrors(errors)
    docs: dict[str, YamlDocument] = {}
    for path in sorted((root / "provisions").glob("*.yaml")):
        doc = load_checked(path, "provision", errors)
        if doc is None:
            continue
        pid = doc.data["id"]
        if pid != path.stem:
            errors.append(doc.error(["id"], f"l'identifiant « {pid} » doit être le nom du fichier "
                                    f"(« {path.stem} »)"))
            continue
        if pid in docs:
            errors.append(doc.error(["id"], f"disposition en double : {pid}"))
            continue
        docs[pid] = doc
    builder = _Builder(facts, tables)
    builder.provision_ids = set(docs)
    builder.shorts = {pid: d.data["short"] for pid, d in docs.items()}
    provisions: dict[str, Provision] = {}
    seen_versions: dict[str, str] = {}
    for pid, doc in docs.items():
        versions = []
        for i, raw in enumerate(doc.data["versions"]):
            v = builder.version(doc, raw, i, pid, doc.data["kind"])
            if v is None:
                continue
            if v.id in seen_versions:
                errors.append(doc.error(["versions", i, "id"], f"identifiant de version en double : "
                                        f"{v.id} (déjà dans {seen_versions[v.id]})"))
                continue
            seen_versions[v.id] = doc.file
            versions.append(v)
        d = doc.data
        provisions[pid] = Provision(pid, d["kind"], d["title"], d["short"], d["topic"], d["order"],
                                    d["question"], d["handout_section"], tuple(versions), doc.file,
                                    d.get("duty", "secret_professionnel"), d.get("dated_by"),
                                    d.get("penalty_from"))
        if d.get("dated_by") and (d["dated_by"] not in facts or facts[d["dated_by"]].type != "date"):
            errors.append(doc.error(["dated_by"], f"« dated_by » nomme un fait de type date ; "
                                    f"reçu : « {d['dated_by']} »"))
        keys = set(tables["penalties"]["key"]) if "penalties" in tables else set()
        if d.get("penalty_from") and d["penalty_from"] not in keys:
            errors.append(doc.error(["penalty_from"], f"clé inconnue « {d['penalty_from']} » dans "
                                    "tables/penalties.csv ; clés : " + ", ".join(sorted(keys))))
    errors.extend(builder.errors)
    guidance = load_guidance(root / "guidance.yaml", provisions, errors)
    for pid, p in provisions.items():
        _check_carried_over(p, docs[pid], errors)
        _check_timeline(p, docs[pid], errors)
        _check_exceptions(p, docs[pid], facts, errors)
    if "timeline" in tables:
        for line, pid in enumerate(tables["timeline"]["provision"], start=2):
            if pid not in provisions:
                errors.append(DataError(display_path(root / "tables" / "timeline.csv"), "colonne provision",
                                        f"disposition inconnue « {pid} »", line))
    order = _order(provisions, docs, errors) if not errors else ()
    if errors:
        raise DataErrors(errors)
    used: dict[str, list[str]] = {}
    for pid in order:
        for fid in provisions[pid].facts():
            used.setdefault(fid, []).append(pid)
    facts = {fid: replace(f, used_by=tuple(used.get(fid, ()))) for fid, f in facts.items()}
    ordered = dict(sorted(provisions.items(), key=lambda kv: (kv[1].order, kv[0])))
    derivations = {fid: replace(d, fact=facts[fid]) for fid, d in derivations.items()}
    rank = {f: float(i) for i, f in enumerate(facts)}
    for fid, derivation in derivations.items():  # a derived fact comes after what decides it
        rank[fid] = max(rank[fid], *(rank[i] + 0.5 for i in derivation.inputs))
    return KnowledgeBase(root, facts, ordered, tables, order, rank,
                         _distinct_values(facts, provisions, derivations), derivations,
                         {fid: f.unstated for fid, f in facts.items() if f.unstated is not None},
                         guidance)


def _distinct_values(facts: dict[str, Fact], provisions: dict[str, Provision],
                     derivations: dict[str, Derivation]) -> dict[str, dict[str, tuple[FactValue, ...]]]:
    """For each provision and each fact, one value of each class of values that its rule and
    the rules it reads treat alike (two values are alike when each condition on the fact holds
    for both or for neither): trying one value of a class tells what every value of it gives.
    Remarks never change an outcome and are left out."""
    own: dict[str, dict[str, set[tuple[FactValue, ...]]]] = {}

    def visit(cond: Condition, into: dict[str, set[tuple[FactValue, ...]]]) -> None:
        if isinstance(cond, FactCondition) and cond.op in ("is", "in"):
            into.setdefault(cond.fact.id, set()).add(cond.operand)
        elif isinstance(cond, Combination):
            for child in cond.children:
                visit(child, into)

    for pid, p in provisions.items():
        own[pid] = {}
        for v in p.versions:
            for cond in (v.rule.applies_when, *(e.when for e in v.rule.exceptions if e.when)):
                visit(cond, own[pid])
    distinct: dict[str, dict[str, tuple[FactValue, ...]]] = {}
    for pid in provisions:
        operands: dict[str, set[tuple[FactValue, ...]]] = {}
        seen_p, stack = set(), [pid]
        while stack:
            current = stack.pop()
            if current not in seen_p:
                seen_p.add(current)
                for fid, ops in own[current].items():
                    operands.setdefault(fid, set()).update(ops)
                stack.extend(provisions[current].references())
        for fid in _with_inputs(set(operands), derivations) - set(operands):
            operands[fid] = set()
        for fid in list(operands):  # the rows of a table a derived fact is read from
            derivation = derivations.get(fid)
            for row in derivation.rows if derivation else ():
                for input_id, value in row.inputs:
                    operands.setdefault(input_id, set()).add((value,))
        classes = {}
        for fid, fact in facts.items():
            seen: dict[tuple[bool, ...], FactValue] = {}
            for value in fact.values():
                key = tuple(value in o for o in sorted(operands.get(fid, ()), key=repr))
                seen.setdefault(key, value)
            classes[fid] = tuple(seen.values())
        distinct[pid] = classes
    return distinct

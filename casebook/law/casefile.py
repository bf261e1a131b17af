"""A worked case as text and back: the mapping a scenario file holds for one case
(`data/scenarios/*.yaml`), written as YAML in the layout of those files, and uploaded text read
with the project's own loader (`scenarios.load_scenarios`), so that an upload gets exactly the
errors `casebook check` gives (file, line, what was expected). Also the comparison of a case's
expected answers with the engine's, by the rule `casebook check` applies.

A case mapping keeps the file's values as written (dates as AAAA-MM-JJ text, facts as true,
false or an option's value): nothing is converted, so what is read is written back unchanged."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .engine import Situation, Verdict, evaluate
from .errors import DataError, DataErrors
from .knowledge import HORIZON, KnowledgeBase
from .labels import OUTCOMES
from .scenarios import Misconception, Scenario, load_scenarios
from .yamlio import load_yaml

MAX_BYTES = 1_000_000  # an uploaded or exported file holds at most this many bytes
WIDTH = 100  # folded texts are wrapped at this column, like the data files
CASE_KEYS = ("id", "title", "narrative", "date", "facts", "expected", "teaching_notes",
             "misconceptions", "provenance", "review")
PROVENANCE_TYPES = ("support_de_cours", "publie", "construit")
REVIEW_STATUSES = ("brouillon", "relu", "valide")
EXPECTED_OUTCOMES = tuple(OUTCOMES)  # the outcomes data/schemas/scenarios.schema.json allows

_STR, _BOOL, _INT, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "int", "null"))
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FOLDED = ("narrative", "teaching_notes")  # long texts, written `>-` and wrapped
_QUOTED = ("title", "source", "handout_section", "reference", "url", "note", "text")


@dataclass(frozen=True)
class CaseFile:
    """A scenario file read without error: its cases as written (mappings, in file order) and
    as the loader's Scenario objects."""

    name: str
    cases: tuple[dict[str, Any], ...]
    scenarios: tuple[Scenario, ...]


@dataclass(frozen=True)
class Comparison:
    """One provision of a case: the expected outcome (None while not chosen), version and
    debate, beside the engine's verdict."""

    provision: str
    expected: str | None
    expected_version: str | None
    verdict: Verdict
    expected_debated: bool | None = None

    @property
    def version(self) -> str | None:
        return self.verdict.version.id if self.verdict.version else None

    @property
    def agrees(self) -> bool:
        """What `casebook check` requires: same outcome, same version and debate when they are
        expected, and no conflict between exceptions."""
        return (self.verdict.outcome == self.expected and self.expected_version in (None, self.version)
                and self.expected_debated in (None, bool(self.verdict.debate))
                and not self.verdict.conflict)


def blank_case() -> dict[str, Any]:
    """A new case: every required field present, the texts still to write."""
    return {"id": "", "title": "", "narrative": "", "date": dt.date.today().isoformat(), "facts": {},
            "expected": {}, "teaching_notes": "", "misconceptions": [],
            "provenance": {"type": "construit", "source": ""}, "review": {"status": "brouillon"}}


def case_data(scenario: Scenario) -> dict[str, Any]:
    """The mapping a scenario file holds for this loaded case (a review note, which Scenario
    does not keep, is absent)."""
    facts = {fid: value.isoformat() if isinstance(value, dt.date) else value
             for fid, value in scenario.situation.facts.items()}
    expected = {e.provision: {"outcome": e.outcome,
                              **({"version": e.version} if e.version is not None else {}),
                              **({"debated": e.debated} if e.debated is not None else {})}
                for e in scenario.expected}
    p = scenario.provenance
    provenance: dict[str, Any] = {"type": p.type}
    if p.handout_section:
        provenance["handout_section"] = p.handout_section
    provenance["source"] = p.source
    provenance.update({k: v for k, v in (("reference", p.reference), ("url", p.url)) if v})
    if p.date is not None:
        provenance["date"] = p.date.isoformat()
    follows = {"depends_on": scenario.depends_on} if scenario.depends_on else {}
    return {"id": scenario.id, "title": scenario.title, "narrative": scenario.narrative, **follows,
            "date": scenario.situation.date.isoformat(), "facts": facts, "expected": expected,
            "teaching_notes": scenario.teaching_notes,
            "misconceptions": [misconception_data(m) for m in scenario.misconceptions],
            "provenance": provenance, "review": {"status": scenario.review}}


def misconception_data(m: Misconception) -> str | dict[str, str]:
    """A misconception as a scenario file writes it: its text, or `{text, answer, provision}`."""
    if m.answer is None:
        return m.text
    return {"text": m.text, "answer": m.answer, **({"provision": m.provision} if m.provision else {})}


class _Emitter(yaml.SafeDumper):
    """PyYAML's safe dumper with the data files' layout: list items indented under their key,
    quoted texts never wrapped, and dates written plain (the loader keeps them as text)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        super().write_double_quoted(text, split=False)

    def write_single_quoted(self, text: str, split: bool = True) -> None:
        super().write_single_quoted(text, split=False)

    def write_plain(self, text: str, split: bool = True) -> None:
        super().write_plain(text, split=False)


_Emitter.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _scalar(value: Any, style: str | None = None) -> yaml.Node:
    if isinstance(value, bool):
        return yaml.ScalarNode(_BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(_INT, str(value))
    if value is None:
        return yaml.ScalarNode(_NULL, "null")
    if isinstance(value, str):
        # a folded block only for one paragraph: other texts are written double-quoted
        folded = style == ">" and "\n" not in value
        return yaml.ScalarNode(_STR, value, style=">" if folded else ('"' if style else None))
    raise TypeError(f"valeur inattendue dans un cas : {type(value).__name__}")


def _node(value: Any, key: str = "", flow: bool = False) -> yaml.Node:
    """The YAML node of `value`, found under `key`, styled like the data files."""
    if isinstance(value, Mapping):
        pairs = [(_scalar(str(k)), _node(v, str(k), flow)) for k, v in value.items()]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=flow)
    if isinstance(value, (list, tuple)):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v, key, flow) for v in value],
                                 flow_style=flow)
    style = ">" if key in _FOLDED and not flow else '"' if key in _QUOTED or key == "misconceptions" else None
    return _scalar(value, style)


def _emit(node: yaml.Node) -> str:
    return yaml.serialize(node, Dumper=_Emitter, allow_unicode=True, width=WIDTH, indent=2)


def _case_node(case: Mapping[str, Any]) -> yaml.Node:
    pairs = []
    for key, value in case.items():
        if key == "expected" and isinstance(value, Mapping):
            node = yaml.MappingNode("tag:yaml.org,2002:map", [
                (_scalar(str(pid)), _node(entry, flow=True)) for pid, entry in value.items()])
        elif key in ("provenance", "review") and isinstance(value, Mapping):
            node = _node(value, key, flow=True)
            if len(_emit(node)) + len(key) + 6 > WIDTH:  # too long for one line: a block
                node = _node(value, key)
        else:
            node = _node(value, key)
        pairs.append((_scalar(str(key)), node))
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs)


def dump(cases: Sequence[Mapping[str, Any]]) -> str:
    """A scenario file holding these cases (`schema_version: 1`, `cases: [...]`), as YAML text in
    the layout of `data/scenarios/`."""
    root = yaml.MappingNode("tag:yaml.org,2002:map", [
        (_scalar("schema_version"), _scalar(1)),
        (_scalar("cases"), yaml.SequenceNode("tag:yaml.org,2002:seq", [_case_node(c) for c in cases])),
    ])
    return _emit(root)


def read(kb: KnowledgeBase, content: bytes, name: str = "cas.yaml") -> CaseFile:
    """Read a scenario file's bytes as `casebook check` reads a file; raise DataErrors (each
    naming `name`, the line and what was expected) when anything is wrong or the file holds
    more than MAX_BYTES."""
    if len(content) > MAX_BYTES:
        raise DataErrors([DataError(name, "", f"fichier trop volumineux ({len(content)} octets ; "
                                              f"{MAX_BYTES} au plus)")])
    alias = _alias(content, name)
    if alias is not None:
        raise DataErrors([alias])
    with tempfile.TemporaryDirectory(prefix="casebook-case-") as folder:
        path = Path(folder) / "cas.yaml"
        path.write_bytes(content)
        try:
            scenarios = load_scenarios(kb, [path])
        except DataErrors as exc:
            raise DataErrors(dataclasses.replace(e, file=name) for e in exc.errors) from None
        cases = copy.deepcopy(load_yaml(path).data["cases"])
    return CaseFile(name, tuple(cases), tuple(dataclasses.replace(s, file=name) for s in scenarios))


def _alias(content: bytes, name: str) -> DataError | None:
    """A YAML alias (`*name`) in a file to read: refused, since a few aliases can make a small
    file expand beyond any size while it is checked. A file that does not parse is left to the
    loader, which says where."""
    try:
        for event in yaml.parse(content.decode("utf-8"), Loader=_PARSER):
            if isinstance(event, yaml.AliasEvent):
                return DataError(name, "", f"renvoi YAML « *{event.anchor} » refusé : recopiez la valeur "
                                 "à cet endroit", event.start_mark.line + 1)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return None


def compare(kb: KnowledgeBase, case: Mapping[str, Any]) -> list[Comparison] | None:
    """The engine's verdict beside each expected answer of `case` (provisions unknown to the
    casebook are left out); None when its date or a fact cannot be evaluated."""
    try:
        date = dt.date.fromisoformat(str(case.get("date", "")))
    except ValueError:
        return None
    facts = case.get("facts")
    expected = case.get("expected")
    shaped = isinstance(facts, Mapping) and isinstance(expected, Mapping)
    if not (shaped and HORIZON[0] <= date <= HORIZON[1]):
        return None
    known = {}
    for fid, value in facts.items():
        fact = kb.facts.get(fid)
        if fact is None or fact.check(value) is not None:
            return None
        known[fid] = fact.coerce(value)
    pids = tuple(p for p in expected if p in kb.provisions)
    assessment = evaluate(kb, Situation(known, date), only=pids)
    out = []
    for pid in pids:
        entry = expected[pid] if isinstance(expected[pid], Mapping) else {}
        outcome = entry.get("outcome") if entry.get("outcome") in OUTCOMES else None
        version = entry.get("version") if isinstance(entry.get("version"), str) else None
        debated = entry.get("debated") if isinstance(entry.get("debated"), bool) else None
        out.append(Comparison(pid, outcome, version, assessment[pid], debated))
    return out

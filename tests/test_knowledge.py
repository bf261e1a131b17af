"""casebook.law.knowledge: loading and checking a knowledge base.

OpenFisca style: `tests/fixtures/minimal/` is a tiny valid knowledge base; each folder of
`tests/fixtures/broken/<kind>/` holds only the file(s) that differ from it and contain exactly
one kind of mistake. Each kind must be reported as a DataError naming the file, the line (found
from a marker in the broken file) and the key French words of the message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook import DataErrors, Situation, evaluate_one
from casebook.law.knowledge import load_knowledge_base
from casebook.law.paths import display_path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Broken:
    kind: str
    file: str  # relative to the knowledge-base root
    marker: str | None  # text on the line the error must point to (None: line not checked)
    words: tuple[str, ...]
    alone: bool = True  # the only error reported (no cascade)


CASES = [
    Broken("unknown_fact", "provisions/partage.yaml", "fact: consentement",
           ("fait inconnu « consentement »",)),
    Broken("wrong_value_type", "provisions/signalement.yaml", "is: true",
           ("fait « role »", "valeurs permises : parent, medecin, autre", "reçu : « True »")),
    Broken("missing_citation", "provisions/partage.yaml", "- id: partage-v1",
           ("champ obligatoire manquant : « citation »",)),
    Broken("overlapping_versions", "provisions/secret.yaml", "valid_from: 2009-06-01",
           ("versions qui se chevauchent", "secret-v1", "secret-v2", "2009-06-01")),
    Broken("gap_between_versions", "provisions/secret.yaml", "valid_from: 2010-03-01",
           ("trou entre", "secret-v1", "secret-v2")),
    Broken("bad_date", "provisions/signalement.yaml", "valid_from: 2019-02-30", ("date", "AAAA-MM-JJ")),
    Broken("unknown_provision", "provisions/partage.yaml", "provision: secrett",
           ("disposition inconnue « secrett »", "connues : partage, sanction, secret, signalement")),
    Broken("unknown_outcome", "provisions/partage.yaml", "is: obligation_de_parler",
           ("issue inconnue « obligation_de_parler »", "issues permises")),
    Broken("bad_branch_outcome", "provisions/partage.yaml", "outcome: faculte_de_tout_dire",
           ("valeur inconnue", "valeurs permises", "faculte_de_partager", "reçu : « faculte_de_tout_dire »")),
    Broken("outcome_forbidden_for_kind", "provisions/sanction.yaml", "outcome: obligation_de_se_taire",
           ("issue « obligation_de_se_taire » interdite pour une disposition de type consequence",
            "permises : non_applicable, sanction_encourue")),
    Broken("yaml_syntax", "provisions/partage.yaml", "short: Partage: bis", ("erreur de syntaxe YAML",)),
    Broken("duplicate_key", "provisions/partage.yaml", "topic: autre",
           ("clé en double « topic »",)),
    Broken("missing_text", "provisions/partage.yaml", "text: null",
           ("texte manquant", "unverified")),
    Broken("missing_text_source", "provisions/signalement.yaml", "text: ",
           ("origine du texte manquante", "official, handout ou secondary")),
    Broken("exception_imposes_silence", "provisions/signalement.yaml",
           "outcome: obligation_de_se_taire",
           ("issue « obligation_de_se_taire » interdite pour une disposition de type exception",)),
    Broken("carried_over_unknown", "provisions/secret.yaml", "carried_over_from: secret-v0",
           ("version inconnue « secret-v0 »", "versions possibles : secret-v1")),
    Broken("debate_outcome_not_a_reading", "provisions/signalement.yaml", "outcome: obligation_d_agir",
           ("une question débattue donne l'issue de l'une de ses lectures",)),
    Broken("conflicting_exceptions", "provisions/partage.yaml", "- id: medecin",
           ("exceptions en conflit : « accord » et « medecin » peuvent s'appliquer ensemble",
            "consent = True", "role = medecin")),
    Broken("conflicting_exceptions_dates", "provisions/signalement.yaml", "- id: faits_anciens",
           ("exceptions en conflit", "« medecin_recent » et « faits_anciens »")),
    Broken("until_before_from", "provisions/signalement.yaml", "valid_until: 1999-12-31",
           ("date de fin (1999-12-31) antérieure à la date de début (2000-01-01)",)),
    Broken("unknown_table", "provisions/signalement.yaml", "in_table:",
           ("table inconnue « maladies »", "tables : diseases, timeline")),
    Broken("unknown_column", "provisions/signalement.yaml", "in_table:",
           ("colonne inconnue « code » dans la table « diseases »",)),
    Broken("table_bad_enum", "tables/diseases.csv", "rougeole,Rougeole,diagnostic,",
           ("valeur inconnue", "suspicion_clinique, diagnostic_confirme, hors_liste", "« diagnostic »"),
           alone=False),
    Broken("table_bad_date", "tables/timeline.csv", "2010-02-30",
           ("date", "AAAA-MM-JJ", "2010-02-30"), alone=False),
    Broken("table_missing_column", "tables/diseases.csv", "coqueluche,",
           ("champ obligatoire manquant : « status »",), alone=False),
    Broken("timeline_unknown_provision", "tables/timeline.csv", "inconnue",
           ("disposition inconnue « inconnue »",)),
    Broken("id_not_filename", "provisions/partage.yaml", "id: partages",
           ("l'identifiant « partages » doit être le nom du fichier (« partage »)",), alone=False),
    Broken("unknown_field", "provisions/partage.yaml", None,
           ("champ inconnu : auteur", "champs permis :")),
    Broken("before_on_non_date", "provisions/signalement.yaml", "from: 2005-01-01",
           ("« from » ne s'emploie qu'avec un fait de type date", "« role » est de type choice")),
    Broken("date_fact_with_is", "provisions/signalement.yaml", "incident_date, is:",
           ("le fait date « incident_date » se compare avec before ou from",)),
    Broken("exception_without_id", "provisions/partage.yaml", "- label:",
           ("une exception doit avoir : id",)),
    Broken("fact_bad_type", "facts.yaml", "type: texte",
           ("valeur inconnue ; valeurs permises : bool, choice, date", "reçu : « texte »"), alone=False),
    Broken("bool_fact_without_if", "facts.yaml", "- id: consent",
           ("un fait oui/non a besoin de « if_true » et « if_false »",), alone=False),
    Broken("duplicate_fact_id", "facts.yaml", "  - id: bound",
           ("identifiant de fait en double : bound",), alone=False),
]


SPECIAL = {"duplicate_version_id", "circular_references"}  # tested on their own below


def _marker_line(path: Path, marker: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert len(hits) >= occurrence, f"marker {marker!r} not found in {path}"
    return hits[occurrence - 1]


def _load_errors(root: Path) -> list:
    with pytest.raises(DataErrors) as info:
        load_knowledge_base(root)
    return info.value.errors


def test_every_broken_fixture_has_a_case():
    on_disk = {p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir()}
    assert on_disk == {c.kind for c in CASES} | SPECIAL
    assert len(on_disk) >= 14


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_broken_fixture_is_reported(kb_root, case: Broken):
    root = kb_root(case.kind)
    errors = _load_errors(root)
    shown = display_path(root / case.file)
    mine = [e for e in errors if e.file == shown]
    assert mine, f"no error names {shown}; got:\n" + "\n".join(map(str, errors))
    matching = [e for e in mine if all(w in e.message for w in case.words)]
    assert matching, f"no message with {case.words}; got:\n" + "\n".join(map(str, mine))
    error = matching[0]
    if case.marker is not None:
        occurrence = 2 if case.kind == "duplicate_fact_id" else 1
        assert error.line == _marker_line(root / case.file, case.marker, occurrence), str(error)
    if case.alone:
        assert len(errors) == 1, "\n".join(map(str, errors))


def test_duplicate_version_id_names_both_files(kb_root):
    root = kb_root("duplicate_version_id")
    errors = _load_errors(root)
    assert len(errors) == 1, "\n".join(map(str, errors))
    (error,) = errors
    assert "identifiant de version en double : secret-v1" in error.message
    files = {display_path(root / "provisions" / n) for n in ("partage.yaml", "secret.yaml")}
    # one file is named as the place of the error, the other in the message
    assert error.file in files
    other = (files - {error.file}).pop()
    assert other in error.message
    assert error.line == _marker_line(Path(error.file), "- id: secret-v1")


def test_circular_references_are_reported(kb_root):
    root = kb_root("circular_references")
    errors = _load_errors(root)
    assert len(errors) == 1, "\n".join(map(str, errors))
    (error,) = errors
    assert error.message.startswith("références circulaires entre dispositions : ")
    cycle = error.message.split(" : ", 1)[1].split(" → ")
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"secret", "partage"}
    assert error.file in {display_path(root / "provisions" / f"{p}.yaml") for p in cycle}


def test_all_errors_are_reported_together(kb_root):
    """Several broken files at once: every problem is listed, not only the first."""
    root = kb_root("unknown_fact")
    for kind in ("until_before_from", "gap_between_versions"):
        for src in (FIXTURES / "broken" / kind).rglob("*"):
            if src.is_file():
                (root / src.relative_to(FIXTURES / "broken" / kind)).write_bytes(src.read_bytes())
    messages = [e.message for e in _load_errors(root)]
    assert any("fait inconnu « consentement »" in m for m in messages)
    assert any("antérieure à la date de début" in m for m in messages)
    assert any("trou entre" in m for m in messages)


def test_a_conflict_on_dates_would_reach_the_engine(kb_root):
    """Why `conflicting_exceptions_dates` matters: if such a file loads, the engine answers
    "conflit" for a médecin and facts of 2007 (both exceptions hold)."""
    root = kb_root("conflicting_exceptions_dates")
    try:
        kb = load_knowledge_base(root)
    except DataErrors:
        return  # the loader caught it, as it should
    situation = Situation({"disease": "coqueluche", "role": "medecin", "incident_date": "2007-01-01"},
                          dt.date(2010, 1, 1))
    verdict = evaluate_one(kb, situation, "signalement")
    assert verdict.conflict == (), f"conflit non détecté au chargement : {verdict.explanation}"


# --- valid knowledge bases -------------------------------------------------------------------
def test_minimal_fixture_loads_cleanly(minimal_kb):
    assert list(minimal_kb.provisions) == ["secret", "partage", "signalement", "sanction"]
    assert minimal_kb.order.index("secret") < minimal_kb.order.index("partage")
    assert minimal_kb.order.index("secret") < minimal_kb.order.index("sanction")
    assert set(minimal_kb.tables) == {"diseases", "timeline"}
    assert minimal_kb.facts["disease"].values() == ("coqueluche", "rougeole")
    assert minimal_kb.facts["consent"].used_by == ("partage",)
    assert minimal_kb.facts_of("partage") == ("bound", "learned", "consent")
    assert minimal_kb.version("secret-v2").provision == "secret"
    assert minimal_kb.version("nope") is None
    assert minimal_kb.provision("secret").file.endswith("tests/fixtures/minimal/provisions/secret.yaml")


def test_minimal_fixture_in_table_condition(minimal_kb):
    """`in_table` with a `where` filter keeps only the matching rows of the table."""
    sick = Situation({"disease": "coqueluche", "role": "parent"}, dt.date(2010, 1, 1))
    assert evaluate_one(minimal_kb, sick, "signalement").outcome == "obligation_de_communiquer"
    other = sick.with_facts(disease="rougeole")
    assert evaluate_one(minimal_kb, other, "signalement").outcome == "non_applicable"


def test_real_data_loads_cleanly():
    kb = load_knowledge_base()
    assert len(kb.provisions) >= 25
    assert len(kb.facts) >= 40
    assert {"diseases", "timeline"} <= set(kb.tables)
    for pid, p in kb.provisions.items():
        assert p.versions, pid
        assert p.file.endswith(f"provisions/{pid}.yaml")


def test_real_order_puts_each_provision_after_its_references(kb):
    position = {pid: i for i, pid in enumerate(kb.order)}
    assert set(position) == set(kb.provisions)
    for pid, p in kb.provisions.items():
        for ref in p.references():
            assert position[ref] < position[pid], (ref, pid)


def test_real_facts_of_follows_references(kb):
    facts = kb.facts_of("ufas_deontologie")
    assert {"profession", "content", "informed_consent", "necessary_confidant"} <= set(facts)
    assert list(facts) == sorted(facts, key=kb.fact_rank.__getitem__)
    # who is bound follows from the job: its table's inputs are read too, and come first
    assert {"capacity", "works_with_bound"} <= set(facts)
    assert facts.index("profession") < facts.index("necessary_confidant")


def test_real_versions_are_unique_and_cited(kb):
    ids = [v.id for p in kb.provisions.values() for v in p.versions]
    assert len(ids) == len(set(ids))
    for p in kb.provisions.values():
        for v in p.versions:
            assert kb.version(v.id) is v
            assert v.provision == p.id
            assert v.citation.strip()
            if v.status != "unverified":
                assert v.text, v.id


"""Worked cases: every scenario of data/scenarios is a test of its own (id = the case id), the
loader rejects broken scenario files with clear French messages, and the casebook covers every
provision with cases where it applies and cases where it does not."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import casebook
from casebook import DataErrors, evaluate
from casebook.law.scenarios import Misconception, Scenario, check, load_scenarios, scenario_files

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken_scenarios"


def _scenario_params() -> list:
    """One param per scenario, read when the tests are collected (the set of files may grow)."""
    try:
        scenarios = load_scenarios(casebook.load())
    except DataErrors as exc:
        return [pytest.param(exc, id="scenario-files-load")]
    return [pytest.param(sc, id=sc.id) for sc in scenarios]


@pytest.mark.parametrize("scenario", _scenario_params())
def test_scenario(kb, scenario):
    if isinstance(scenario, DataErrors):
        pytest.fail(f"les fichiers de cas ne se chargent pas :\n{scenario}")
    assessment = evaluate(kb, scenario.situation)
    problems = []
    for exp in scenario.expected:
        verdict = assessment[exp.provision]
        got_version = verdict.version.id if verdict.version else None
        if verdict.outcome != exp.outcome:
            problems.append(f"{exp.provision} : attendu {exp.outcome}, obtenu {verdict.outcome}")
        if exp.version is not None and exp.version != got_version:
            problems.append(f"{exp.provision} : version attendue {exp.version}, obtenue {got_version}")
        if exp.debated is not None and exp.debated != bool(verdict.debate):
            problems.append(f"{exp.provision} : question débattue attendue {exp.debated}, "
                            f"obtenue {bool(verdict.debate)}")
        if verdict.conflict:
            problems.append(f"{exp.provision} : conflit {verdict.conflict}")
    assert not problems, "\n".join(problems)


# --- loading ---------------------------------------------------------------------------------
def test_valid_fixture_file_loads(kb):
    scenarios = load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml"])
    assert [s.id for s in scenarios] == ["fixture-partage-accord", "fixture-partage-sans-accord"]
    sc = scenarios[0]
    assert sc.ref == "tests/fixtures/scenarios/valid.yaml#fixture-partage-accord"
    assert sc.situation.date.isoformat() == "2020-05-04"
    assert sc.situation.facts["informed_consent"] is True
    assert [(e.provision, e.outcome, e.version) for e in sc.expected] == [
        ("art458", "obligation_de_se_taire", "art458-2017"),
        ("secret_partage", "faculte_de_partager", None),
    ]
    assert sc.review == "brouillon"
    assert sc.provenance.source == "Tests" and sc.provenance.type == "construit"
    assert sc.misconceptions == (Misconception("Entre collègues, on peut tout se dire.",
                                               "faculte_de_partager", "art458"),)
    assert sc.depends_on is None
    assert scenarios[1].misconceptions == (
        Misconception("Entre collègues, on peut tout se dire."),
        Misconception("L'utilité pour le suivi remplace l'accord de la personne.", "faculte_de_partager"))
    assert scenarios[1].depends_on == "fixture-partage-accord"


def test_a_misconception_is_shown_for_its_answer_and_provision_only(kb):
    first, second = load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml"])
    assert first.misconceptions_for("faculte_de_partager", "art458") == first.misconceptions
    assert first.misconceptions_for("faculte_de_partager", "secret_partage") == ()
    assert first.misconceptions_for("faculte_de_parler", "art458") == ()
    keyed = second.misconceptions[1]
    assert second.misconceptions_for("faculte_de_partager", "secret_partage") == (keyed,)
    assert second.misconceptions_for("faculte_de_partager", "autre_disposition") == (keyed,)
    assert second.misconceptions_for("non_applicable", "secret_partage") == ()  # the plain one never


def test_scenario_files_searches_folders():
    files = scenario_files([FIXTURES / "scenarios"])
    assert [f.name for f in files] == ["failing.yaml", "valid.yaml"]
    assert scenario_files() == sorted((Path(casebook.__file__).parent.parent / "data" / "scenarios")
                                      .glob("*.yaml"))


def test_check_counts_scenarios_and_describes_mismatches(kb):
    scenarios = load_scenarios(kb, [FIXTURES / "scenarios"])
    result = check(kb, scenarios)
    assert (result.passed, result.failed) == (2, 1)
    (mismatch,) = result.mismatches
    assert mismatch.scenario.id == "fixture-attente-fausse"
    text = mismatch.describe()
    assert text.startswith("ÉCHEC tests/fixtures/scenarios/failing.yaml#fixture-attente-fausse — "
                           "secret_partage\n  attendu : faculte_de_partager\n"
                           "  obtenu  : obligation_de_se_taire (version secret-partage-doctrine)\n")


def test_check_reports_a_wrong_version(kb):
    sc = load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml"])[0]
    wrong = Scenario(**{**sc.__dict__, "expected": tuple(
        type(e)(e.provision, e.outcome, "art458-1867" if e.version else None) for e in sc.expected)})
    result = check(kb, [wrong])
    assert (result.passed, result.failed) == (0, 1)
    assert "attendu : obligation_de_se_taire (version art458-1867)" in result.mismatches[0].describe()


def test_check_reports_a_debate_expected_but_not_shown(kb):
    sc = load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml"])[0]
    debated = Scenario(**{**sc.__dict__, "expected": tuple(
        type(e)(e.provision, e.outcome, e.version, True) for e in sc.expected)})
    result = check(kb, [debated])
    assert (result.passed, result.failed) == (0, 1)
    text = result.mismatches[0].describe()
    assert "attendu : obligation_de_se_taire (version art458-2017), question débattue" in text
    assert "obtenu  : obligation_de_se_taire (version art458-2017), sans débat" in text
    undebated = Scenario(**{**sc.__dict__, "expected": tuple(
        type(e)(e.provision, e.outcome, e.version, False) for e in sc.expected)})
    assert check(kb, [undebated]).passed == 1


BROKEN_CASES = {
    "unknown_fact": ("cases[0].facts.consentement", "consentement: false",
                     ("fait inconnu « consentement »",)),
    "wrong_value_type": ("cases[0].facts.informed_consent", 'informed_consent: "non"',
                         ("attendu : true ou false", "reçu : « non »")),
    "unknown_provision": ("cases[0].expected.secret_partagé", "secret_partagé:",
                          ("disposition inconnue « secret_partagé »",)),
    "unknown_version": ("cases[0].expected.secret_partage.version", "partage-2099",
                        ("version inconnue « partage-2099 » pour secret_partage",
                         "versions : secret-partage-doctrine")),
    "duplicate_case_id": ("cases[1].id", None, ("identifiant de cas en double : dup-case",)),
    "unknown_outcome": ("cases[0].expected.secret_partage.outcome", "faculte_de_tout_dire",
                        ("valeur inconnue", "valeurs permises", "indetermine",
                         "reçu : « faculte_de_tout_dire »")),
    "bad_date": (None, "date: 2019-02-30", ("date", "2019-02-30")),
    "date_out_of_range": ("cases[0].date", "date: 1985-06-01", ("date hors de la période couverte",)),
    "missing_required": ("cases[0]", "- id: broken-case",
                         ("champ obligatoire manquant : « teaching_notes »",)),
    "unknown_field": ("cases[0]", "- id: broken-case", ("champ inconnu : auteur",)),
    "bad_review_status": ("cases[0].review.status", "review:",
                          ("valeurs permises : brouillon, relu, valide", "reçu : « termine »")),
    "empty_misconception": ("cases[0].misconceptions[1]", '- ""', ("ne peut pas être vide",)),
    "yaml_syntax": ("", "title: Une attente: fausse", ("erreur de syntaxe YAML",)),
    "unknown_option": ("cases[0].facts.forum", "forum: pompiers",
                       ("valeur inconnue", "valeurs permises : juge_instruction", "police",
                        "reçu : « pompiers »")),
    "published_without_date": ("cases[0].provenance", "provenance:",
                               ("champ obligatoire manquant : « date »",)),
    "misconception_unknown_answer": ("cases[0].misconceptions[0].answer", "answer: faculte_de_tout_dire",
                                     ("valeur inconnue", "valeurs permises : obligation_de_se_taire",
                                      "non_applicable ;", "reçu : « faculte_de_tout_dire »")),
    "misconception_without_text": ("cases[0].misconceptions[0]", "- answer:",
                                   ("champ obligatoire manquant : « text »",)),
    "misconception_unknown_provision": ("cases[0].misconceptions[0].provision", "provision: temoignage",
                                        ("disposition « temoignage » absente des réponses attendues",
                                         "dispositions du cas : secret_partage")),
    "misconception_right_answer": ("cases[0].misconceptions[0].answer", "answer: obligation_de_se_taire",
                                   ("est la réponse attendue de « secret_partage »",
                                    "indiquez la mauvaise réponse")),
    "misconception_bracket": ("cases[0].misconceptions[0]", '- "[Faculté',
                              ("ne commence pas par « [ »", "answer:")),
    "depends_on_unknown": ("cases[0].depends_on", "depends_on: cas-absent",
                           ("cas inconnu « cas-absent »",)),
    "depends_on_itself": ("cases[0].depends_on", "depends_on: broken-case",
                          ("ne peut pas dépendre de lui-même",)),
    "contradicts_job": ("cases[0].facts.necessary_confidant", "necessary_confidant: true",
                        ("contredit la fonction décrite", "confidants.csv (ligne 7",
                         "la réponse est « non »")),
}


def _line_of(path: Path, marker: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


def test_every_broken_scenario_fixture_has_a_case():
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_scenario_file(kb, name):
    place, marker, words = BROKEN_CASES[name]
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(DataErrors) as info:
        load_scenarios(kb, [path])
    errors = info.value.errors
    assert len(errors) == 1, "\n".join(map(str, errors))
    (error,) = errors
    assert error.file == f"tests/fixtures/broken_scenarios/{name}.yaml"
    for word in words:
        assert word in error.message, str(error)
    if place is not None:
        assert error.place == place, str(error)
    if marker is not None:
        assert error.line == _line_of(path, marker), str(error)
    elif name == "duplicate_case_id":
        assert error.line == _line_of(path, "- id: dup-case", occurrence=2)


def test_a_case_may_continue_a_case_of_another_file(kb, tmp_path):
    later = tmp_path / "suite.yaml"
    later.write_text((BROKEN / "depends_on_unknown.yaml").read_text(encoding="utf-8")
                     .replace("cas-absent", "fixture-partage-accord"), encoding="utf-8")
    with pytest.raises(DataErrors):
        load_scenarios(kb, [later])
    loaded = load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml", later])
    assert loaded[-1].depends_on == "fixture-partage-accord"


def test_a_keyed_misconception_without_provision_must_be_wrong_somewhere(kb, tmp_path):
    text = (FIXTURES / "scenarios" / "valid.yaml").read_text(encoding="utf-8")
    path = tmp_path / "cas.yaml"
    path.write_text(text.replace("answer: faculte_de_partager\n        provision: art458",
                                 "answer: faculte_de_partager"), encoding="utf-8")
    assert load_scenarios(kb, [path])[0].misconceptions[0].provision is None  # wrong for art458
    path.write_text(text.replace("answer: faculte_de_partager\n        provision: art458",
                                 "answer: obligation_de_se_taire\n        provision: art458"),
                    encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_scenarios(kb, [path])
    assert "réponse attendue de « art458 »" in info.value.errors[0].message


def test_missing_scenario_file(kb):
    with pytest.raises(DataErrors) as info:
        load_scenarios(kb, [FIXTURES / "scenarios" / "absent.yaml"])
    assert info.value.errors[0].message == "fichier introuvable"


def test_errors_of_several_files_are_reported_together(kb):
    with pytest.raises(DataErrors) as info:
        load_scenarios(kb, [BROKEN / "unknown_fact.yaml", BROKEN / "unknown_version.yaml",
                            FIXTURES / "scenarios" / "valid.yaml"])
    assert len(info.value.errors) == 2


def test_case_ids_must_be_unique_across_files(kb, tmp_path):
    copy = tmp_path / "copie.yaml"
    copy.write_text((FIXTURES / "scenarios" / "valid.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_scenarios(kb, [FIXTURES / "scenarios" / "valid.yaml", copy])
    messages = [e.message for e in info.value.errors]
    assert len(messages) == 2
    assert all("identifiant de cas en double" in m and "tests/fixtures/scenarios/valid.yaml" in m
               for m in messages)


# --- cases that stand alone -------------------------------------------------------------------
# Words by which a title or a narrative leans on another case: such a case names it in depends_on.
LEANS_ON = re.compile(
    r"(?:^|[.;!?]\s+)même\b"  # a sentence that begins « Même … »
    r"|\b(?:la|le) même (?:situation|demande|question|confidence|faute|suspicion|réquisition|retour"
    r"|bilan|contact|cas|dossier|famille|usager|personne|cpas|ocmw|centre|service|école)\b"
    r"|\bdans le même (?:service|cpas|centre|hôpital)\b|\bmême (?:cpas|service|centre), autre\b"
    r"|\bautre (?:usager|client|cliente|famille|réquisition)\b|\b(?:cas|avis) (?:précédent|suivant)\b"
    r"|\bpour comparer\b|\bans plus tard\b|\bà nouveau\b|\bde cette école\b|\bcomme dans le cas\b",
    re.IGNORECASE)


@pytest.mark.parametrize("text", [
    "Même situation, mais Mme D. refuse.", "Vous êtes là. Même service, autre client : M. F. parle.",
    "2015 : la même situation, après l'extension", "La même demande faite à une assistante sociale",
    "Dans le même service hospitalier, vous préparez", "Comme dans le cas précédent, vous hésitez.",
    "Dix ans plus tard, en 2015, la même dame", "Pour comparer, placez-vous",
    "Vous êtes directrice de cette école.", "Le même OCMW en 2017",
])
def test_words_that_lean_on_another_case_are_recognised(text):
    assert LEANS_ON.search(text)


def test_every_case_reads_alone_or_names_the_case_it_continues(kb):
    """A training round draws a case alone: one whose title or narrative refers to another case
    (« Même situation… », « le cas précédent », « Dix ans plus tard… ») says which in depends_on."""
    leaning = [f"{sc.id} : « {found.group(0).strip()} »" for sc in load_scenarios(kb)
               for text in (sc.title, sc.narrative)
               if sc.depends_on is None and (found := LEANS_ON.search(text))]
    assert not leaning, "\n".join(leaning)
    assert not LEANS_ON.search("Assistante sociale, vous suivez Mme D. avec la psychologue du même "
                               "service, qui entraîne le même club.")  # « même » inside a case is fine


# --- coverage of the casebook ----------------------------------------------------------------
MIN_CASES, MIN_PUBLISHED, MIN_PER_PROVISION = 200, 60, 3


def test_casebook_has_enough_cases_for_every_provision(kb):
    """At least 120 cases; for every provision at least three cases, one listing it where it
    applies (its scope is met) and one where it does not apply or does not open (its answer is
    « non applicable »).
    A provision never in force (annulled from the start) cannot apply: three cases must still
    mention it."""
    scenarios = load_scenarios(kb)
    assert len(scenarios) >= MIN_CASES, f"seulement {len(scenarios)} cas"
    applies: dict[str, list[str]] = defaultdict(list)
    not_applies: dict[str, list[str]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for sc in scenarios:
        assessment = evaluate(kb, sc.situation)
        for exp in sc.expected:
            verdict = assessment[exp.provision]
            mentioned[exp.provision].append(sc.id)
            if verdict.outcome == "non_applicable":
                not_applies[exp.provision].append(sc.id)
            if verdict.trace and verdict.trace[0].value is True:
                applies[exp.provision].append(sc.id)
    missing = []
    for pid, p in kb.provisions.items():
        if len(mentioned[pid]) < MIN_PER_PROVISION:
            missing.append(f"{pid} : {len(mentioned[pid])} cas seulement")
        if all(v.annulment is not None for v in p.versions):
            continue
        if not applies[pid]:
            missing.append(f"{pid} : aucun cas où elle s'applique")
        if not not_applies[pid]:
            missing.append(f"{pid} : aucun cas où elle ne s'applique pas")
    assert not missing, "\n".join(missing)


def test_published_cases_name_their_source_reference_and_date(kb):
    published = [sc for sc in load_scenarios(kb) if sc.provenance.type == "publie"]
    assert len(published) >= MIN_PUBLISHED, f"seulement {len(published)} cas publiés"
    for sc in published:
        assert sc.provenance.source and sc.provenance.date, sc.id
        assert sc.provenance.reference or sc.provenance.url, sc.id


def test_every_debated_question_has_a_worked_case_that_shows_it(kb):
    """Wherever the data gives a debate (a branch with readings), some worked case reaches that
    branch and the engine shows the debate there."""
    debated = {(p.id, b.id) for p in kb.provisions.values() for v in p.versions
               for b in (v.rule.base, *v.rule.exceptions) if b.debate}
    shown = set()
    for sc in load_scenarios(kb):
        assessment = evaluate(kb, sc.situation, only=tuple(e.provision for e in sc.expected))
        shown |= {(pid, v.branch) for pid, v in assessment.verdicts.items() if v.debate}
    missing = sorted(debated - shown)
    assert not missing, "débats sans cas pratique : " + ", ".join(f"{p}/{b}" for p, b in missing)

"""The command line: `casebook check` (with a course folder too), `casebook explain` and `casebook
export`, their output and exit codes; data errors give exit code 2 and a French message on
stderr, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.law import paths
from casebook.law.currency import last_change
from casebook.law.labels import french_date

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "scenarios" / "valid.yaml"
FAILING = FIXTURES / "scenarios" / "failing.yaml"
BROKEN = FIXTURES / "broken_scenarios"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def last_line(text: str) -> str:
    return text.rstrip("\n").splitlines()[-1]


# --- check -----------------------------------------------------------------------------------
def test_check_passing_file(capsys):
    code, out, err = run(capsys, "check", str(VALID))
    assert code == 0
    assert last_line(out) == "2 passed, 0 failed"
    assert err == ""


def test_check_failing_file(capsys):
    code, out, _ = run(capsys, "check", str(FAILING))
    assert code == 1
    assert last_line(out) == "0 passed, 1 failed"
    assert "ÉCHEC tests/fixtures/scenarios/failing.yaml#fixture-attente-fausse — secret_partage" in out
    assert "  attendu : faculte_de_partager" in out
    assert "  obtenu  : obligation_de_se_taire (version secret-partage-doctrine)" in out
    assert "✘ Exception : Les cinq conditions cumulatives sont réunies : non remplie" in out


def test_check_a_folder(capsys):
    code, out, _ = run(capsys, "check", str(FIXTURES / "scenarios"))
    assert code == 1
    assert last_line(out) == "2 passed, 1 failed"


def test_check_every_scenario(capsys):
    code, out, err = run(capsys, "check")
    match = SUMMARY.match(last_line(out))
    assert match, out[-500:]
    passed, failed = map(int, match.groups())
    assert passed + failed > 0
    assert code == (0 if failed == 0 else 1), err


@pytest.mark.parametrize("name", sorted(p.stem for p in BROKEN.glob("*.yaml")))
def test_check_broken_scenario_file_exits_2(capsys, name):
    code, out, err = run(capsys, "check", str(BROKEN / f"{name}.yaml"))
    assert code == 2
    assert err.startswith("erreur : tests/fixtures/broken_scenarios/")
    assert "Traceback" not in err
    assert SUMMARY.search(out) is None


# --- explain ---------------------------------------------------------------------------------
def test_explain_prints_french_reasoning(capsys):
    code, out, err = run(capsys, "explain", f"{VALID}#fixture-partage-accord")
    assert code == 0
    assert err == ""
    assert out.startswith("Partager avec l'accord de la personne\n\nVous êtes assistant(e) social(e)")
    assert "Situation au 04/05/2020" in out
    assert "Vous êtes tenu(e) au secret : Art. 458 CP" in out
    assert "→ Faculté de partager" in out
    assert "Raisonnement :" in out
    assert "✔ Champ d'application : remplie" in out
    assert "Version appliquée : Code pénal, art. 458, tel que modifié par la loi du 6 juillet 2017" in out


def test_explain_at_another_date(capsys):
    code, out, _ = run(capsys, "explain", f"{VALID}#fixture-partage-accord", "--date", "2016-01-01")
    assert code == 0
    assert "Situation au 01/01/2016" in out
    assert "Version appliquée : Code pénal du 8 juin 1867" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["explain", str(VALID)], "attendu FICHIER#IDENTIFIANT"),
    (["explain", f"{VALID}#pas-de-tel-cas"], "aucun cas « pas-de-tel-cas » (cas présents : "
                                               "fixture-partage-accord, fixture-partage-sans-accord)"),
    (["explain", f"{VALID}#fixture-partage-accord", "--date", "2019-02-30"],
     "--date « 2019-02-30 » : attendu une date AAAA-MM-JJ"),
    (["explain", f"{VALID}#fixture-partage-accord", "--date", "hier"], "attendu une date AAAA-MM-JJ"),
    (["explain", f"{VALID}#fixture-partage-accord", "--date", "2031-01-01"],
     "hors de la période couverte"),
    (["explain", f"{FIXTURES}/scenarios/absent.yaml#x"], "fichier introuvable"),
    (["explain", f"{BROKEN}/unknown_fact.yaml#broken-case"], "fait inconnu « consentement »"),
    (["explain", f"{BROKEN}/bad_date.yaml#broken-case"], "bad_date.yaml, ligne 7"),
    (["check", f"{BROKEN}/unknown_outcome.yaml"], "valeurs permises"),
    (["check", f"{BROKEN}/unknown_option.yaml"], "reçu : « pompiers »"),
])
def test_errors_exit_2_with_a_message(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert words in err
    assert err.startswith("erreur : ")
    assert "Traceback" not in err
    assert "Raisonnement" not in out


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: casebook" in err and "une commande est attendue" in err


# --- version and installation ----------------------------------------------------------------
def test_version_names_the_package_version_and_the_date_of_the_law_data(capsys, kb):
    code, out, _err = run(capsys, "--version")
    assert code == 0
    assert out == (f"casebook {version('casebook')} — données juridiques : dernier changement du droit "
                   f"enregistré au {french_date(last_change(kb))}\n")


def test_missing_project_files_exit_2_with_a_message(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "casebook")
    code, _out, err = run(capsys, "handouts", "--out", str(tmp_path / "pages"))
    assert code == 2
    assert err.startswith("erreur : Dossier de données introuvable") and "Traceback" not in err


# --- the real console script -----------------------------------------------------------------
def _script() -> str:
    script = Path(sys.executable).with_name("casebook")
    assert script.exists(), script
    return str(script)


def test_console_script_check():
    proc = subprocess.run([_script(), "check", str(VALID)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert last_line(proc.stdout) == "2 passed, 0 failed"


def test_console_script_error_has_no_traceback():
    proc = subprocess.run([_script(), "explain", f"{BROKEN}/unknown_version.yaml#broken-case"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "version inconnue « partage-2099 »" in proc.stderr


# --- the course folder -----------------------------------------------------------------------
EXAMPLE_COURSE = Path(__file__).resolve().parent.parent / "docs" / "exemple-cours"


def _bad_course(tmp_path: Path) -> Path:
    folder = tmp_path / "cours"
    folder.mkdir()
    (folder / "stages.yaml").write_text((EXAMPLE_COURSE / "stages.yaml").read_text(encoding="utf-8")
                                        .replace("profession: assistant_social", "profession: astronaute", 1),
                                        encoding="utf-8")
    return folder


def test_check_with_the_course_checks_it_with_the_worked_cases(capsys):
    code, out, _ = run(capsys, "check", "--cours", str(EXAMPLE_COURSE))
    assert code == 0
    assert "Dossier du cours : docs/exemple-cours (option --cours) — 3 cas" in out
    assert SUMMARY.match(last_line(out))


def test_check_reads_the_course_of_the_environment_unless_files_are_named(capsys, monkeypatch):
    monkeypatch.setenv("CASEBOOK_COURS", str(EXAMPLE_COURSE))
    code, out, _ = run(capsys, "check")
    assert code == 0 and "(variable d'environnement CASEBOOK_COURS) — 3 cas" in out
    code, out, _ = run(capsys, "check", str(VALID))
    assert code == 0 and "Dossier du cours" not in out and last_line(out) == "2 passed, 0 failed"


def test_check_a_bad_course_exits_2_with_file_line_and_what_was_expected(capsys, tmp_path):
    folder = _bad_course(tmp_path)
    code, out, err = run(capsys, "check", "--cours", str(folder))
    assert code == 2
    assert (f"erreur : {folder / 'stages.yaml'}, ligne 17 (cases[0].facts.profession) : valeur inconnue"
            in err)
    assert "reçu : « astronaute »" in err and "Traceback" not in err and SUMMARY.search(out) is None


def test_check_a_missing_course_folder_says_so(capsys, tmp_path):
    code, _out, err = run(capsys, "check", "--cours", str(tmp_path / "absent"))
    assert code == 2 and "(option --cours) : dossier du cours introuvable" in err


def test_export_moodle_writes_the_course_questions(capsys, tmp_path):
    target = tmp_path / "sortie" / "cours.xml"
    code, out, err = run(capsys, "export", "moodle", "--cours", str(EXAMPLE_COURSE), "--theme", "cours",
                         "--out", str(target))
    assert code == 0, err
    assert out == f"5 questions Moodle dans {target} (à importer au format « Moodle XML »)\n"
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    ids = [q.findtext("idnumber") for q in root.findall("question[@type='multichoice']")]
    assert ids[0] == "casebook:exemple-stage-enseignant-curieux:art458" and len(ids) == 5


def test_export_fiche_writes_the_sheet_and_the_key(capsys, tmp_path):
    code, out, err = run(capsys, "export", "fiche", "--cas", "partage-sans-accord,partage-cinq-conditions",
                         "--out", str(tmp_path / "fiche"))
    assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "fiche").iterdir())
    assert written == ["fiche-corrige.html", "fiche-exercices.html"]
    assert out.startswith("5 questions : ")


@pytest.mark.parametrize(("argv", "words"), [
    (["--theme", "inconnu"], "erreur : thème inconnu(s) : « inconnu » ; possibles : base_legale"),
    (["--difficulte", "extreme"], "erreur : difficulté inconnu(s) : « extreme »"),
    (["--cas", "pas-un-cas"], "erreur : cas inconnu(s) : « pas-un-cas »"),
    (["--theme", "cours"], "erreur : thème inconnu(s) : « cours »"),  # no course: no such theme
])
def test_export_refuses_unknown_filters_and_writes_nothing(capsys, tmp_path, argv, words):
    code, out, err = run(capsys, "export", "moodle", *argv, "--out", str(tmp_path / "x.xml"))
    assert code == 2 and err.startswith(words) and out == ""
    assert not (tmp_path / "x.xml").exists()


def test_export_with_a_bad_course_exits_2_and_writes_nothing(capsys, tmp_path):
    code, _out, err = run(capsys, "export", "moodle", "--cours", str(_bad_course(tmp_path)),
                          "--out", str(tmp_path / "x.xml"))
    assert code == 2 and "valeur inconnue" in err and not (tmp_path / "x.xml").exists()


def test_export_into_a_folder_given_as_file_says_it_cannot_write(capsys, tmp_path):
    code, _out, err = run(capsys, "export", "moodle", "--cas", "partage-sans-accord", "--out", str(tmp_path))
    assert code == 2 and err.startswith(f"erreur : {tmp_path} : impossible d'écrire")
    code, out, _err = run(capsys, "export", "moodle", "--cas", "partage-sans-accord", "--theme", "partage",
                          "--out", str(tmp_path / "une.xml"))
    assert code == 0 and out.startswith("1 question Moodle dans")


def test_a_case_contradicting_what_its_job_decides_exits_2_with_the_table_line(capsys):
    code, _out, err = run(capsys, "check", str(BROKEN / "contradicts_job.yaml"))
    assert code == 2 and "Traceback" not in err
    assert "contradicts_job.yaml, ligne 10 (cases[0].facts.necessary_confidant)" in err
    assert "confidants.csv (ligne 7 : devoir de discrétion, pas de secret professionnel)" in err
    assert "retirez « necessary_confidant »" in err


def test_explain_says_in_one_line_why_each_provision_does_not_apply(capsys):
    case = "data/scenarios/situations_nouvelles.yaml#nv-enseignante-pas-confidente"
    code, out, _ = run(capsys, "explain", case)
    assert code == 0
    tail = out.split("Ne s'appliquent pas ici :\n", 1)[1]
    lines = [line for line in tail.splitlines() if line.startswith("  - ")]
    assert lines and all(" : " in line and line.endswith(".") for line in lines)
    assert "  - Art. 458 CP : condition non remplie : La personne est un confident nécessaire" in tail
    assert "  - Art. 46bis/1 §3 CIC (annulé) : pas encore en vigueur (à partir du 01/09/2017)." not in tail
    assert "annulé par la Cour constitutionnelle" in tail  # 2022: the annulled paragraph
    assert "pas encore en vigueur (à partir du 25/05/2018)" not in tail
    # the job decides who is bound: the trace says so, with its source, not as an appreciation
    assert "déduit de votre fonction (enseignant(e)) : devoir de discrétion" in out
    assert "Vous êtes tenu(e) à un devoir de discrétion (pas au secret professionnel)" in out


def test_explain_before_a_provision_existed_says_not_yet_in_force(capsys):
    case = "data/scenarios/situations_nouvelles.yaml#nv-ocmw-avant-2019"
    code, out, _ = run(capsys, "explain", case)
    assert code == 0
    assert "  - OCMW (décret flamand de 2017) : pas encore en vigueur (à partir du 01/01/2019)." in out

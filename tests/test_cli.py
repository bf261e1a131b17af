"""The command line: `casebook check` and `casebook explain`, their output and exit codes; data
errors give exit code 2 and a French message on stderr, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.cli import main

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
    assert "usage: casebook" in capsys.readouterr().err


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

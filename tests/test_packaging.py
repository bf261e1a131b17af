"""The casebook as a package: `python -m build` makes a wheel and an sdist; the wheel carries
the notebooks, voila.json, the template and the data (casebook/_project, as in a checkout), the
template again and the casebook's Voilà settings for Jupyter servers (the environment's
share/jupyter and etc/jupyter/voila.json); installed with `pip install .` into a fresh environment, the
casebook runs from an empty folder."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "share/jupyter/voila/templates/casebook"
SERVER_CONFIG = "etc/jupyter/voila.json"
STANDALONE_ONLY = {"preheat_kernel", "default_pool_size"}  # preheated kernels: standalone Voilà


def _tracked(folder: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    return [name for name in listed if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory, checkout_lock) -> Path:
    out = tmp_path_factory.mktemp("dist")
    with checkout_lock():
        subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True,
                       capture_output=True, timeout=600)
    return out


def test_the_wheel_holds_the_package_notebooks_configuration_template_and_data(dist):
    (wheel,) = dist.glob("casebook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shared = f"{wheel.name.split('-py3')[0]}.data/data"
    expected = {f"casebook/_project/{name}" for name in
                _tracked("data") + _tracked("notebooks") + _tracked(TEMPLATE) + ["voila.json"]}
    expected |= {f"{shared}/{name}" for name in _tracked(TEMPLATE)}
    expected |= {f"{shared}/{SERVER_CONFIG}"}
    expected |= {name for name in _tracked("casebook") if name.endswith(".py")}
    assert expected <= names, sorted(expected - names)
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n or n.endswith(".pyc")]
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)  # the `casebook` command


def test_the_sdist_holds_what_the_wheel_is_built_from(dist):
    (sdist,) = dist.glob("casebook-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    wanted = {"pyproject.toml", "voila.json", "README.md",
              "jupyter-config/voila.json"}
    wanted |= set(_tracked("data") + _tracked("notebooks") + _tracked(TEMPLATE) + _tracked("casebook"))
    assert wanted <= names, sorted(wanted - names)


def test_jupyter_servers_get_the_settings_of_voila_json():
    """Voilà as a server extension reads voila.json in the Jupyter configuration folders: the
    one the package installs in the environment (etc/jupyter) says what the project's voila.json
    says of the dashboards, preheating (standalone Voilà only) aside."""
    standalone = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    server = json.loads((ROOT / "jupyter-config" / "voila.json").read_text())
    assert server == {"VoilaConfiguration": {k: v for k, v in standalone.items() if k not in STANDALONE_ONLY}}
    assert server["VoilaConfiguration"]["template"] == "casebook"
    assert server["VoilaConfiguration"]["strip_sources"] is True
    assert server["VoilaConfiguration"]["show_tracebacks"] is False


def _run(env: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(env / "bin" / "casebook"), *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_installed_package_finds_its_own_files_from_an_empty_folder(installed_env, tmp_path):
    where = subprocess.run([str(installed_env / "bin" / "python"), "-c",
                            "from casebook.law.paths import project_root; print(project_root())"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(installed_env)) and where.endswith("casebook/_project")
    checked = _run(installed_env, "check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    assert checked.stdout.rstrip().splitlines()[-1].endswith(" passed, 0 failed")
    assert list(tmp_path.iterdir()) == []  # nothing written where it was run


def test_the_installed_package_says_its_version_and_the_date_of_its_law(installed_env, tmp_path, kb):
    from casebook.law.currency import last_change
    from casebook.law.labels import french_date

    shown = _run(installed_env, "--version", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("casebook 0.")
    assert shown.stdout.rstrip().endswith(f"au {french_date(last_change(kb))}")

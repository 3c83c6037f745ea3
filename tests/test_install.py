"""Offline install and the CI templates, run for real.

The wheel is built from this checkout and installed with `--no-index` from a local folder into
a fresh virtual environment, as the README's "Offline install" does on a machine without
internet; then the repository's GitLab CI template and GitHub composite action are run, command
line by command line, with that installation. Nothing here reaches the network: the wheel is
built without build isolation (hatchling is a test dependency), and the third-party packages
hallcheck depends on are the ones this test run already has (the wheelhouse of a real offline
install holds them too; building it needs an index, which a test cannot count on).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "jining-xizhuang-village-station-noncompliant.yaml"  # 2 failures


def run(command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheelhouse, the fresh environment's bin directory, an environment for subprocesses)."""
    base = tmp_path_factory.mktemp("offline")
    wheelhouse, venv = base / "wheelhouse", base / "venv"
    source = base / "source"  # a copy: building never writes into the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv*", ".git", "__pycache__", "build", "dist", "*.egg-info"))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "-w", str(wheelhouse), str(source)])
    assert built.returncode == 0, built.stderr
    run([sys.executable, "-m", "venv", str(venv)]).check_returncode()  # its pip from ensurepip: offline
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "PYTHON", "HALLCHECK_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse),
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull, CI="true")
    install = run([str(bin_dir / "python"), "-m", "pip", "install", "--no-index", "--find-links", str(wheelhouse),
                   "--no-deps", "hallcheck"], env=env)
    assert install.returncode == 0, install.stderr
    site = Path(run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # the dependencies: those of this run, after the environment's own packages on sys.path
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return wheelhouse, bin_dir, env


def repository(tmp_path: Path) -> Path:
    """A repository of hall files, elsewhere than the checkout."""
    (tmp_path / "halls").mkdir()
    shutil.copy(ROOT / "samples" / SAMPLE, tmp_path / "halls" / SAMPLE)
    return tmp_path


def script_lines(step: str) -> list[str]:
    return [line for line in step.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_wheel_installs_offline_and_runs_from_its_own_files(installed, tmp_path):
    wheelhouse, bin_dir, env = installed
    [wheel] = wheelhouse.glob("hallcheck-*.whl")
    where = run([str(bin_dir / "python"), "-c", "import checker, cli; print(checker.__file__); print(cli.__file__)"],
                env=env, cwd=tmp_path)
    assert all(str(bin_dir.parent) in line for line in where.stdout.split()), where.stdout  # not this checkout
    repo = repository(tmp_path)
    audit = run([str(bin_dir / "hallcheck"), "check", "halls/", "--lang", "en"], env=env, cwd=repo)
    assert audit.returncode == 1, audit.stderr
    assert "1 hall(s): fail 2, pass 2" in audit.stdout  # the bundled rules and regulations came with it
    metadata = run([str(bin_dir / "python"), "-c", "from importlib.metadata import requires; print(requires('hallcheck'))"],
                   env=env).stdout
    for dependency in ("pyyaml", "jsonschema", "typer", "rich", "chinesecalendar", "durable-rules", "openpyxl"):
        assert dependency in metadata.lower()  # what a wheelhouse must hold, declared in the wheel
    assert wheel.name.startswith("hallcheck-") and wheel.name.endswith("-py3-none-any.whl")


def test_the_gitlab_template_runs_and_writes_code_quality(installed, tmp_path):
    wheelhouse, bin_dir, env = installed
    template = yaml.safe_load((ROOT / "ci" / "hallcheck.gitlab-ci.yml").read_text(encoding="utf-8"))["hallcheck"]
    assert template["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert template["artifacts"]["when"] == "always"  # the report is kept when the job fails
    variables = dict(template["variables"], HALLCHECK_PATHS="halls/",
                     HALLCHECK_PACKAGE=f"--no-index --find-links {wheelhouse} --no-deps hallcheck")  # as README's offline runner
    repo = repository(tmp_path)
    install, audit = template["script"]
    assert run(["bash", "-ec", install], env={**env, **variables}, cwd=repo).returncode == 0
    done = run(["bash", "-ec", audit], env={**env, **variables}, cwd=repo)
    assert done.returncode == 1  # failures fail the job
    issues = json.loads((repo / template["artifacts"]["reports"]["codequality"]).read_text(encoding="utf-8"))
    assert sorted((i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues
                  if i["check_name"].startswith("jining-2018.")) == [(f"halls/{SAMPLE}", 19), (f"halls/{SAMPLE}", 24)]


def test_the_github_action_runs_and_annotates(installed, tmp_path):
    wheelhouse, bin_dir, env = installed
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update(paths="halls/", args="--lang en --fail-on major", package=str(next(wheelhouse.glob("*.whl"))))
    context = {"inputs": inputs, "github": {"action_path": str(ROOT)}}
    repo = repository(tmp_path)
    outputs = []
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"]  # inputs reach the shell as variables only, never pasted into it
        step_env = {key: _expression(value, context) for key, value in step.get("env", {}).items()}
        outputs.append(run([step["shell"], "-ec", step["run"]], env={**env, **step_env, "PIP_NO_DEPS": "1"}, cwd=repo))
    install, audit = outputs
    assert install.returncode == 0, install.stderr
    assert audit.returncode == 1  # --fail-on major: the major failure fails the step
    annotations = [line for line in audit.stdout.splitlines() if line.startswith("::") and "title=jining-2018." in line]
    assert [a.split("::")[1] for a in annotations] == [
        f"error file=halls/{SAMPLE},line=24,col=18,title=jining-2018.art6.citywide-handling",
        f"warning file=halls/{SAMPLE},line=19,col=18,title=jining-2018.art7.village-station-area"]


def _expression(value: str, context: dict) -> str:
    """${{ inputs.x }} and ${{ github.action_path }}, the only expressions the action uses."""
    def look_up(match):
        scope, name = match.group(1).split(".")
        return str(context[scope][name])
    return re.sub(r"\$\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}", look_up, value)

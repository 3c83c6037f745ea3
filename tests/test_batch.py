"""Many halls: --jobs, one broken file among good ones, and the watchdog that turns a hanging or
crashing audit into an error for that hall while the run goes on.

The hang and the crash are made by `checker.audit.batch.before_audit`, a hook the tests set to a
function of this module; worker processes import it by name, so it must stay at module level.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

import cli
from checker.audit import batch
from checker.audit.backends import durable_import_error
from run_helpers import FAIL, PASS, setup

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 2  # seconds: far above what one of these tiny halls takes, far below the hang


def hang_on_b(path: str) -> None:
    if path.endswith("b.yaml"):
        time.sleep(60)  # never finishes within TIMEOUT: the watchdog ends it


def abort_on_b(path: str) -> None:
    if path.endswith("b.yaml"):
        os.abort()  # what durable-rules' double free does to the process


def raise_on_b(path: str) -> None:
    if path.endswith("b.yaml"):
        raise ValueError("boom")


def _durable():
    return pytest.param(["--engine", "durable"], id="durable-1-job-child",
                        marks=pytest.mark.skipif(bool(durable_import_error()) and sys.version_info >= (3, 13),
                                                 reason="durable-rules cannot be imported on Python 3.13+"))


IN_PROCESS = pytest.param(["--engine", "python"], id="python-in-process")
TWO_JOBS = pytest.param(["--engine", "python", "--jobs", "2"], id="python-2-jobs")


def three_halls(tmp_path):
    return setup(tmp_path, {"a": [FAIL], "b": [PASS], "c": [PASS, FAIL]})


def run(capsys, root, *options):
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--format", "json",
                     "--lang", "en", *options])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def assert_audited(hall):
    assert hall["problems"] == [] and hall["results"], hall


# ------------------------------------------------------------------ --jobs

def test_two_jobs_give_the_same_report_as_one(tmp_path, capsys):
    samples = sorted((ROOT / "samples").rglob("*.yaml"))
    assert len(samples) > 1
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        code = cli.main(["check", str(ROOT / "samples"), "--format", "json", "--lang", "en", "--jobs", jobs,
                         "-o", str(out)])
        capsys.readouterr()
        assert code in (0, 1)
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    document = json.loads(reports[0])
    assert [Path(h["file"]).name for h in document["halls"]] == [p.name for p in samples]  # input order
    assert all(h["results"] for h in document["halls"])


@pytest.mark.parametrize("options", [IN_PROCESS, TWO_JOBS, _durable()])
def test_one_broken_file_is_reported_and_the_rest_audited(tmp_path, capsys, options):
    root = three_halls(tmp_path)
    (root / "halls" / "b.yaml").write_text("hallcheck: 1\nhall: [unclosed\n", encoding="utf-8")
    code, document, err = run(capsys, root, *options)
    assert code == 2
    a, b, c = document["halls"]
    assert_audited(a)
    assert_audited(c)
    assert [p["code"] for p in b["problems"]] == ["yaml.syntax"] and b["problems"][0]["line"] == 3
    assert f"{root / 'halls' / 'b.yaml'}:3:1: YAML syntax error" in err
    assert document["summary"]["unusable"] == 1


# ------------------------------------------------------------------ the watchdog

@pytest.mark.parametrize("options", [IN_PROCESS, TWO_JOBS, _durable()])
def test_a_hanging_audit_becomes_an_error_for_that_hall(tmp_path, capsys, monkeypatch, options):
    monkeypatch.setattr(batch, "before_audit", hang_on_b)
    root = three_halls(tmp_path)
    started = time.monotonic()
    code, document, err = run(capsys, root, *options, "--timeout", str(TIMEOUT))
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + 15  # the hang itself would take 60 s; 15 s covers starting workers
    assert code == 2
    a, b, c = document["halls"]
    assert_audited(a)
    assert_audited(c)
    assert [p["code"] for p in b["problems"]] == ["audit.timeout"]
    assert b["problems"][0]["message"].startswith(f"the audit did not finish within {TIMEOUT} s")
    assert b["file"].endswith("b.yaml") and b["results"] == []
    assert f"b.yaml: the audit did not finish within {TIMEOUT} s" in err


@pytest.mark.parametrize("options", [TWO_JOBS, _durable()])
def test_a_crashing_audit_becomes_an_error_for_that_hall(tmp_path, capsys, monkeypatch, options):
    monkeypatch.setattr(batch, "before_audit", abort_on_b)
    root = three_halls(tmp_path)
    code, document, err = run(capsys, root, *options)
    assert code == 2
    a, b, c = document["halls"]
    assert_audited(a)
    assert_audited(c)
    assert [p["code"] for p in b["problems"]] == ["audit.crashed"]
    assert "SIGABRT" in b["problems"][0]["message"]


@pytest.mark.parametrize("options", [IN_PROCESS, TWO_JOBS, _durable()])
def test_an_exception_in_one_audit_becomes_an_error_for_that_hall(tmp_path, capsys, monkeypatch, options):
    # a worker retires after an internal error (its engine may be in a bad state): the halls
    # after it go to a fresh worker, not to one that is on its way out
    monkeypatch.setattr(batch, "before_audit", raise_on_b)
    root = three_halls(tmp_path)
    code, document, _ = run(capsys, root, *options)
    assert code == 2
    a, b, c = document["halls"]
    assert_audited(a)
    assert_audited(c)
    assert [p["code"] for p in b["problems"]] == ["audit.exception"]
    assert "ValueError: boom" in b["problems"][0]["message"]


def test_the_text_report_says_which_hall_did_not_finish(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "before_audit", hang_on_b)
    root = three_halls(tmp_path)
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "--timeout", "0.5"])
    out = capsys.readouterr().out
    assert code == 2
    assert "b.yaml: audit did not finish" in out
    assert "3 hall(s)" in out and "1 unusable" in out


# ------------------------------------------------------------------ the overview and the progress bar

def test_many_halls_get_a_table_per_hall_and_per_rule(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL], "b": [PASS], "c": [PASS]})
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Halls" in out and "Compliance by rule" in out
    rule_row = next(line for line in out.splitlines() if "two-year-stationing" in line and "%" in line)
    assert [cell.strip() for cell in rule_row.split("│")[1:-1]] == [
        "kaifeng-2014.art28.two-year-stationing", "major", "2", "1", "0", "67%"]
    # one hall: no overview
    code = cli.main(["check", str(root / "halls" / "a.yaml"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en"])
    out = capsys.readouterr().out
    assert "Compliance by rule" not in out and "Halls" not in out


class _Stream:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("ci,stdout_tty,text,output,wanted", [
    (None, True, True, None, True),
    ("true", True, True, None, False),  # CI
    (None, False, True, None, False),  # piped
    (None, True, False, None, False),  # json (or any other format) to the terminal
    (None, True, False, "report.json", True),  # json to a file, a person watching
])
def test_the_progress_bar_is_only_for_a_person_at_a_terminal(monkeypatch, ci, stdout_tty, text, output, wanted):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    from checker.run import check
    monkeypatch.setattr(check.sys, "stdout", _Stream(stdout_tty))
    monkeypatch.setattr(check.sys, "stderr", _Stream(True))
    assert check.progress_wanted(text, Path(output) if output else None) is wanted


def record_start_method(path: str) -> None:
    import multiprocessing
    Path(path + ".start").write_text(multiprocessing.get_start_method(allow_none=True) or "none")


def test_jobs_start_workers_the_way_windows_and_macos_do(tmp_path, capsys, monkeypatch):
    # spawn is the only start method Windows has and macOS's default: --jobs uses it everywhere
    monkeypatch.setattr(batch, "before_audit", record_start_method)
    root = three_halls(tmp_path)
    code, document, _ = run(capsys, root, "--engine", "python", "--jobs", "2")
    assert code == 1
    assert all(h["results"] for h in document["halls"])
    methods = {p.read_text() for p in (root / "halls").glob("*.start")}
    assert methods == {"spawn"}

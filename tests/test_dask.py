"""--executor dask on a real LocalCluster of two worker processes: the same bytes as --jobs 1,
and a hung or crashed hall costs that hall, as with --jobs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import cli
from checker.audit import batch
from run_helpers import FAIL, PASS, setup

ROOT = Path(__file__).resolve().parents[1]


def test_dask_gives_the_bytes_of_one_job_on_the_samples(tmp_path, capsys):
    reports = {}
    for name, options in (("one", ["--jobs", "1"]), ("dask", ["--executor", "dask"])):
        out = tmp_path / f"{name}.json"
        code = cli.main(["check", str(ROOT / "samples"), "--format", "json", "--lang", "en", *options, "-o", str(out)])
        assert code == 1
        reports[name] = out.read_bytes()
    capsys.readouterr()
    assert reports["dask"] == reports["one"]


def hang_on_b_abort_on_c(path: str) -> None:
    if path.endswith("b.yaml"):
        time.sleep(60)
    if path.endswith("c.yaml"):
        os.abort()


def test_on_dask_a_hung_or_crashed_hall_costs_that_hall(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "before_audit", hang_on_b_abort_on_c)
    root = setup(tmp_path, {"a": [FAIL], "b": [PASS], "c": [PASS], "d": [PASS, FAIL]})
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--format", "json", "--lang", "en",
                     "--executor", "dask", "--engine", "python", "--timeout", "2"])
    document = json.loads(capsys.readouterr().out)
    assert code == 2
    a, b, c, d = document["halls"]
    assert a["problems"] == [] and d["problems"] == [] and a["results"] and d["results"]
    assert [p["code"] for p in b["problems"]] == ["audit.timeout"]
    assert [p["code"] for p in c["problems"]] == ["audit.crashed"] and "SIGABRT" in c["problems"][0]["message"]

"""The builtin rule-set cache: same results with and without it, and never in the way."""

from __future__ import annotations

import json
from pathlib import Path

import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "samples/kaifeng-civic-centre-noncompliant.yaml"


def _report(capsys) -> dict:
    code = cli.main(["check", SAMPLE, "--engine", "python", "--format", "json", "--lang", "en"])
    assert code == 1
    return json.loads(capsys.readouterr().out)


def test_cached_rules_give_the_same_report_and_survive_a_corrupt_cache(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(ROOT)
    uncached = _report(capsys)
    monkeypatch.delenv("HALLCHECK_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = _report(capsys)  # builds and writes the cache
    (entry,) = (tmp_path / "hallcheck").glob("builtin-*.pickle")
    second = _report(capsys)  # reads it
    assert uncached == first == second
    entry.write_bytes(b"not a pickle")
    assert _report(capsys) == uncached


def test_an_unwritable_cache_directory_is_ignored(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("HALLCHECK_NO_CACHE")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _report(capsys)["summary"]["fail"] > 0

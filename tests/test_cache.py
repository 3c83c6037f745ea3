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
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
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
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert _report(capsys)["summary"]["fail"] > 0


class _Payload:
    """Unpickling it would create the file `marker`: what an attacker would put in the cache."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_cache_entry_not_signed_by_this_install_is_never_unpickled(monkeypatch, tmp_path, capsys):
    import pickle
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("HALLCHECK_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    expected = _report(capsys)  # makes the key and a signed entry
    (entry,) = (tmp_path / "cache" / "hallcheck").glob("builtin-*.pickle")
    marker = tmp_path / "code-ran"
    forged = pickle.dumps(_Payload(str(marker)))
    for data in (forged, entry.read_bytes()[:32] + forged):  # unsigned; another entry's signature
        entry.write_bytes(data)
        assert _report(capsys) == expected
        assert not marker.exists()
    assert (tmp_path / "config" / "hallcheck" / "cache.key").stat().st_mode & 0o077 == 0


def test_with_the_cache_every_hall_takes_the_compiled_check_and_a_bad_one_is_still_located(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("HALLCHECK_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    import checker.input.validate as validate
    assert _report(capsys)["summary"]["fail"] > 0
    assert validate._hall_validator_from_cache.cache_info().currsize == 1  # the compiled check ran
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    line = text[:text.index("floor_area_m2:")].count("\n") + 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("floor_area_m2:", "floor_aera_m2:", 1), encoding="utf-8")
    code = cli.main(["check", str(bad), "--engine", "python", "--lang", "en"])
    assert code == 2
    assert f"bad.yaml:{line}:" in capsys.readouterr().err

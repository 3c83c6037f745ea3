"""--shard K/N and `hallcheck merge`: shards run apart, merged into the report one run gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = str(ROOT / "samples")


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_shards_merged_are_the_whole_run_byte_for_byte(tmp_path, capsys, format):
    whole = tmp_path / f"whole.{format}"
    code = cli.main(["check", SAMPLES, "--lang", "en", "--format", format, "-o", str(whole)])
    parts = []
    for k in (3, 1, 2):  # given out of order: merge puts them in shard order
        part = tmp_path / f"part{k}.{format}"
        cli.main(["check", SAMPLES, "--lang", "en", "--format", format, "--shard", f"{k}/3", "-o", str(part)])
        parts.append(str(part))
    capsys.readouterr()
    sizes = [len(json.loads(Path(p).read_text())["halls"]) if format == "json"
             else len(Path(p).read_text().splitlines()) - 2 for p in sorted(parts)]
    assert all(sizes) and sum(sizes) == len(list((ROOT / "samples").rglob("*.yaml")))
    merged = tmp_path / f"merged.{format}"
    assert cli.main(["merge", *parts, "--format", format, "-o", str(merged)]) == code == 1
    assert merged.read_bytes() == whole.read_bytes()


def test_a_bad_shard_or_a_shard_twice_is_exit_2(tmp_path, capsys):
    assert cli.main(["check", SAMPLES, "--lang", "en", "--shard", "4/3"]) == 2
    assert "--shard takes K/N (1 <= K <= N), not '4/3'" in capsys.readouterr().err
    part = tmp_path / "part.jsonl"
    cli.main(["check", SAMPLES, "--lang", "en", "--format", "jsonl", "--shard", "1/9", "-o", str(part)])
    capsys.readouterr()
    assert cli.main(["merge", str(part), str(part)]) == 2
    assert "shard 1 is also" in capsys.readouterr().err
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(part.read_text().splitlines(keepends=True)[:-1]))
    assert cli.main(["merge", str(cut)]) == 2
    assert "its run did not finish" in capsys.readouterr().err


def test_a_shards_json_report_follows_the_report_schema(tmp_path, capsys):
    import jsonschema

    from checker.input import schema as schemas
    cli.main(["check", SAMPLES, "--lang", "en", "--format", "json", "--shard", "2/5", "--omit", "not_applicable"])
    document = json.loads(capsys.readouterr().out)
    assert document["shard"] == {"index": 2, "count": 5}
    jsonschema.Draft202012Validator(schemas.named_schema("report")).validate(document)

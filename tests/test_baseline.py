"""--baseline and --fail-on-new: findings new, persisting or fixed against an earlier JSON report."""

from __future__ import annotations

import cli
from run_helpers import FAIL, PASS, hall_text, result, run_json, setup


def baseline_of(tmp_path, capsys, root):
    """Audit the halls as they are now and keep the JSON report as the baseline."""
    path = tmp_path / "baseline.json"
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--format", "json", "-o", str(path)])
    capsys.readouterr()
    assert code == 1 and path.exists()
    return path


def rewrite(root, name, spans, lead=""):
    (root / "halls" / f"{name}.yaml").write_text(hall_text(name, spans, lead), encoding="utf-8")


def entities(document, hall, key="findings"):
    return [(f["entity"], f.get("baseline")) for f in result(document, hall).get(key, [])]


def test_findings_are_new_persisting_or_fixed(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL, FAIL, PASS], "b": [FAIL]})
    baseline = baseline_of(tmp_path, capsys, root)
    # a: staff[1] fixed, staff[2] newly failing; 3 comment lines on top move every line
    rewrite(root, "a", [FAIL, PASS, FAIL], lead="# moved\n# down\n# three lines\n")
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"),
                                 "--baseline", str(baseline))
    assert entities(document, "a.yaml") == [("staff[0]", "persisting"), ("staff[2]", "new")]
    assert [(f["rule"], f["entity"]) for f in document["halls"][0]["fixed"]] == [(result(document, "a.yaml")["rule"], "staff[1]")]
    assert "1 years" in document["halls"][0]["fixed"][0]["message"]
    assert entities(document, "b.yaml") == [("staff[0]", "persisting")]
    assert document["halls"][1]["fixed"] == []
    assert document["baseline"] == {"file": str(baseline), "fail_on_new": False, "new": 1, "persisting": 2, "fixed": 1}
    assert code == 1
    # the text report marks them too
    cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python", "--lang", "en",
              "--baseline", str(baseline)])
    out = capsys.readouterr().out
    assert "[new]" in next(line for line in out.splitlines() if "staff[2]" in line)
    assert "fixed since the baseline:" in out
    assert "new 1, persisting 2, fixed 1" in out


def test_a_plain_run_has_no_baseline_fields(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    _, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"))
    assert "baseline" not in document and "fixed" not in document["halls"][0]
    assert "baseline" not in result(document, "a.yaml")["findings"][0]


def test_fail_on_new_fails_only_on_new_findings(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL, PASS]})
    baseline = baseline_of(tmp_path, capsys, root)
    args = [str(root / "halls"), "--rules", str(root / "rules"), "--baseline", str(baseline)]
    # nothing new: the persisting failure fails without --fail-on-new, not with it
    assert run_json(capsys, *args)[0] == 1
    code, document, _ = run_json(capsys, *args, "--fail-on-new")
    assert code == 0 and document["baseline"]["fail_on_new"] is True
    # a new failure fails
    rewrite(root, "a", [FAIL, FAIL])
    code, document, _ = run_json(capsys, *args, "--fail-on-new")
    assert code == 1
    # --fail-on still decides which severities count: the rule is major
    assert run_json(capsys, *args, "--fail-on-new", "--fail-on", "critical")[0] == 0


def test_a_hall_not_in_the_baseline_has_only_new_findings(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    baseline = baseline_of(tmp_path, capsys, root)
    rewrite(root, "c", [FAIL])
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"),
                                 "--baseline", str(baseline), "--fail-on-new")
    assert entities(document, "a.yaml") == [("staff[0]", "persisting")]
    assert entities(document, "c.yaml") == [("staff[0]", "new")]
    assert code == 1


def test_fail_on_new_needs_a_baseline(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "--fail-on-new"])
    assert code == 2
    assert "--fail-on-new: --fail-on-new needs --baseline" in capsys.readouterr().err


def test_a_baseline_that_is_not_a_report_is_exit_2(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    bad = tmp_path / "bad.json"
    for text, said in (('{"format": "hallcheck-report", "halls": [\n  {"file": 3}', f"{bad}:2:14: not a hallcheck JSON report"),
                       ('{"format": "sarif"}', f"{bad}: format: not a hallcheck JSON report"),
                       ('{"format": "hallcheck-report", "halls": [{"file": "x", "results": [{"rule": "r", "findings": [{}]}]}]}',
                        "halls[0].results[0].findings[0].entity: not a hallcheck JSON report")):
        bad.write_text(text, encoding="utf-8")
        code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                         "--lang", "en", "--baseline", str(bad)])
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert said in err, err
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "--baseline", str(tmp_path / "missing.json")])
    assert code == 2 and "missing.json: file not found" in capsys.readouterr().err

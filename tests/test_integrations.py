"""What CI pipelines and desktops read from hallcheck: GitLab Code Quality and GitHub
annotations, the Python API, shell completion, and the pure-Python path where durable-rules
cannot be imported."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cli
from checker import api
from run_helpers import FAIL, PASS, RULE_ID, hall_text, setup

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "samples/jining-xizhuang-village-station-noncompliant.yaml"  # 2 failures, lines 19 and 24


@pytest.fixture
def halls(tmp_path, monkeypatch):
    setup(tmp_path, {"bad": [PASS, FAIL], "good": [PASS]})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def line_of(path: Path, words: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if words in line)


def check(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["check", *args, "--rules", "rules", "--engine", "python", "--lang", "en",
                     "--as-of", "2024-06-30", "--max-data-age", "100000"])  # no notices about the audit date
    return code, capsys.readouterr().out


# ------------------------------------------------------------------ GitLab Code Quality

def test_gitlab_code_quality_lists_each_failing_finding_at_its_line(halls, capsys):
    code, out = check(capsys, "halls/", "--format", "gitlab")
    issues = json.loads(out)
    assert code == 1
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        (RULE_ID, "major", {"path": "halls/bad.yaml", "lines": {"begin": line_of(halls / "halls" / "bad.yaml", "S01")}})]
    assert issues[0]["description"] == "staff[1]: S01 人员1 left after 1 years"
    assert set(issues[0]) == {"type", "description", "check_name", "fingerprint", "severity", "location"}


def test_gitlab_fingerprints_survive_lines_moving_and_unusable_files_are_blockers(halls, capsys):
    _, before = check(capsys, "halls/", "--format", "gitlab")
    bad = halls / "halls" / "bad.yaml"
    bad.write_text("# a comment added on top\n" + bad.read_text(encoding="utf-8"), encoding="utf-8")
    (halls / "halls" / "broken.yaml").write_text("hall: [\n", encoding="utf-8")
    code, after = check(capsys, "halls/", "--format", "gitlab")
    first, now = json.loads(before), json.loads(after)
    assert code == 2
    moved = next(i for i in now if i["check_name"] == RULE_ID)
    assert moved["fingerprint"] == first[0]["fingerprint"]
    assert moved["location"]["lines"]["begin"] == first[0]["location"]["lines"]["begin"] + 1
    broken = next(i for i in now if i["location"]["path"] == "halls/broken.yaml")
    assert broken["severity"] == "blocker" and broken["check_name"] == "yaml.syntax"
    assert len({i["fingerprint"] for i in now}) == len(now)


# ------------------------------------------------------------------ GitHub annotations

def unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_escape_untrusted_text(halls, capsys):
    name = '"王\\n::error file=x::injected 100%, ok"'  # a staff name with a newline and a command
    path = halls / "halls" / "a,b:c.yaml"
    path.write_text(hall_text("注入", [PASS, FAIL]).replace("name: 人员1", f"name: {name}"), encoding="utf-8")
    code, out = check(capsys, str(path.relative_to(halls)), "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 2 and lines[-1] == "hallcheck: 1 hall(s): fail 1, pass 0"
    assert not any(line.startswith("::error file=x") for line in lines)  # nothing injected
    head, message = lines[0][2:].split("::", 1)
    level, properties = head.split(" ", 1)
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert level == "error"  # a major rule
    assert {key: unescape(value) for key, value in fields.items()} == {
        "file": "halls/a,b:c.yaml", "line": str(line_of(path, "S01")), "col": fields["col"], "title": RULE_ID}
    # the newline itself is shown as \x0a (checker.reports.terminal), the rest escaped for GitHub
    assert unescape(message) == "staff[1]: S01 王\\x0a::error file=x::injected 100%, ok left after 1 years"


def test_github_annotation_levels_follow_severity():
    from checker.reports.github import LEVEL, command
    assert LEVEL == {"critical": "error", "major": "error", "minor": "warning", "info": "notice"}
    assert command("warning", "50%\r\n", file="a:b,c", line=None) == "::warning file=a%3Ab%2Cc::50%25%0D%0A"


def test_the_sample_annotated_in_chinese(capsys):
    code = cli.main(["check", SAMPLE, "--format", "github", "--lang", "zh"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split("::")[1] for line in lines[:4]] == [
        f"warning file={SAMPLE},title=audit.date_from_file",  # the hall file chose its audit date
        f"warning file={SAMPLE},title=audit.data_old",
        f"error file={SAMPLE},line=24,col=18,title=jining-2018.art6.citywide-handling",
        f"warning file={SAMPLE},line=19,col=18,title=jining-2018.art7.village-station-area"]
    assert "由被审核方选定" in lines[0]  # in Chinese
    assert lines[-1].startswith("hallcheck: 1 个大厅：")


def test_gitlab_says_when_the_hall_chose_its_own_audit_date(capsys):
    assert cli.main(["check", SAMPLE, "--format", "gitlab", "--lang", "en"]) == 1
    notices = [i for i in json.loads(capsys.readouterr().out) if i["check_name"].startswith("audit.")]
    assert [(i["check_name"], i["severity"]) for i in notices] == [("audit.date_from_file", "info"), ("audit.data_old", "info")]


# ------------------------------------------------------------------ the Python API

def test_api_audits_a_mapping_as_it_audits_the_file():
    rules = api.load_rules()
    data = yaml.safe_load((ROOT / SAMPLE).read_text(encoding="utf-8"))  # dates as datetime.date
    assert isinstance(data["as_of"], dt.date)
    from_mapping = api.audit(data, rules=rules, name="intake #42")
    from_file = api.audit(ROOT / SAMPLE, rules=rules)
    assert from_mapping.file == "intake #42"
    assert from_mapping.counts() == from_file.counts() and from_file.counts()["fail"] == 2
    assert api.exit_code([from_mapping]) == 1 and api.exit_code([from_mapping], fail_on="never") == 0
    failing = [(r.rule.id, [f.entity for f in r.findings]) for r in from_mapping.results if r.status == "fail"]
    assert failing == [("jining-2018.art6.citywide-handling", ["hall"]), ("jining-2018.art7.village-station-area", ["hall"])]


def test_api_refuses_an_unusable_mapping_with_every_problem_named():
    with pytest.raises(api.InputError) as caught:
        api.audit({"hallcheck": 1, "hall": {"name": 1}}, name="intake #43")
    lines = [api.describe(problem, "en") for problem in caught.value.problems]
    assert "intake #43: hall.name: expected text, got a whole number 1" in lines
    assert "intake #43: hall: required field 'level' is missing" in lines


def test_api_renders_every_format_and_the_cli_report_is_the_apis(halls, capsys):
    rules = api.load_rules("rules")
    reports = api.audit_files(["halls/bad.yaml", "halls/good.yaml"], rules=rules, engine="python", as_of=dt.date(2024, 6, 30))
    assert [r.counts()["fail"] for r in reports] == [1, 0]
    for name in api.FORMATS:
        if name != "pdf":  # needs Chromium: tests/test_print.py
            assert api.render(reports, name, lang="en", rules=rules)
    code, out = check(capsys, "halls/bad.yaml", "halls/good.yaml", "--format", "json")
    run = api.RunInfo(rules=rules.rule_set.info())  # what --rules adds to the report
    assert code == 1 and out == api.render(reports, "json", lang="en", rules=rules, run=run)
    with pytest.raises(ValueError):
        api.render(reports, "docx")


def test_every_cli_format_is_an_api_format():
    assert [f.value for f in cli.Format] == list(api.FORMATS)


# ------------------------------------------------------------------ shell completion

def complete(capsys, monkeypatch, words: str) -> list[str]:
    """What bash is offered for the last of `words`, through the completion protocol itself."""
    monkeypatch.setenv("_HALLCHECK_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
    assert cli.main([]) == 0
    return capsys.readouterr().out.split()


def test_completion_offers_rule_ids_for_explain(capsys, monkeypatch):
    assert complete(capsys, monkeypatch, "hallcheck explain jining-2018.art7.v") == ["jining-2018.art7.village-station-area"]
    assert len(complete(capsys, monkeypatch, "hallcheck explain wuhai-2022.")) > 20


def test_completion_offers_regulations_then_their_clauses(capsys, monkeypatch):
    assert complete(capsys, monkeypatch, "hallcheck regulations show ") == [
        "dongying-2017", "jining-2018", "kaifeng-2014", "longgang-2020", "wuhai-2022"]
    clauses = complete(capsys, monkeypatch, "hallcheck regulations show wuhai-2022 s2.1.2")
    assert clauses[:3] == ["s2.1.2", "s2.1.2(1)", "s2.1.2(2)"] and all(c.startswith("s2.1.2") for c in clauses)
    assert complete(capsys, monkeypatch, "hallcheck regulations show no-such-2000 ") == []


def test_completion_functions_give_help_beside_each_value():
    from checker.completion import clause_paths, regulation_ids, rule_ids
    [(regulation, title)] = regulation_ids("kai")
    assert regulation == "kaifeng-2014" and "开封" in title
    [(clause, words)] = clause_paths("kaifeng-2014", "art28")
    assert clause == "art28" and words.startswith("第二十八条")
    assert "\n" not in "".join(help for _, help in clause_paths("jining-2018", ""))
    assert rule_ids("kaifeng-2014.art28.two") == [(RULE_ID, "Stationed staff serve at least two years at the window")]
    assert rule_ids("x", "no/such/pack") == []  # a bad --rules completes to nothing, never a traceback


def test_install_completion_is_offered(capsys):
    assert cli.main(["--help"]) == 0
    assert "--install-completion" in capsys.readouterr().out
    assert cli.main(["--show-completion", "bash"]) == 0
    assert "_HALLCHECK_COMPLETE=complete_bash" in capsys.readouterr().out


# ------------------------------------------------------------------ without durable-rules

def test_where_durable_rules_cannot_be_imported_the_pure_python_backend_audits(tmp_path):
    """As on Python 3.13+: the import of durable fails, auto picks the Python backend, and
    the verdicts are the same as durable's own (held equal by tests/test_engines.py)."""
    script = ("import sys; sys.modules['durable'] = None; sys.path.insert(0, sys.argv[1]); import cli; "
              "sys.exit(cli.main(sys.argv[2:]))")
    run = subprocess.run([sys.executable, "-c", script, str(ROOT), "check", SAMPLE, "--format", "json", "--lang", "en"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["halls"][0]["engine"] == "python"
    assert [r["rule"] for r in report["halls"][0]["results"] if r["status"] == "fail"] == [
        "jining-2018.art6.citywide-handling", "jining-2018.art7.village-station-area"]
    blocked = subprocess.run([sys.executable, "-c", script, str(ROOT), "check", SAMPLE, "--engine", "durable", "--lang", "en"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert blocked.returncode == 2 and "durable" in blocked.stderr and "Traceback" not in blocked.stderr


# ------------------------------------------------------------------ editors and the schema catalogue

def test_the_catalogue_entry_maps_hall_files_to_the_published_schemas(capsys):
    from checker.run.discover import HALL_SUFFIXES
    catalogue = json.loads((ROOT / "schemas" / "catalog.json").read_text(encoding="utf-8"))
    entries = {entry["url"].rsplit("/", 1)[1]: entry for entry in catalogue["schemas"]}
    assert set(entries) == {"hall.schema.json", "config.schema.json"}
    assert entries["hall.schema.json"]["fileMatch"] == [f"*{suffix}" for suffix in HALL_SUFFIXES]
    for file, entry in entries.items():
        assert set(entry) == {"name", "description", "fileMatch", "url"}
        assert cli.main(["schema", file.split(".")[0]]) == 0
        generated = capsys.readouterr().out
        assert json.loads(generated)["$id"] == entry["url"]  # published where the catalogue points
        # what is published is what hallcheck validates with: `hallcheck schema hall > schemas/hall.schema.json`
        assert (ROOT / "schemas" / file).read_text(encoding="utf-8") == generated


def test_the_readme_maps_the_naming_convention_in_an_editor():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", readme, re.S)]
    mapping = next(b["yaml.schemas"] for b in blocks if "hall.schema.json" in b.get("yaml.schemas", {}))
    assert mapping["hall.schema.json"] == ["*.hall.yaml", "*.hall.yml"]
    assert mapping["config.schema.json"] == [".hallcheck.yaml", ".hallcheck.yml"]


def test_auditing_a_large_hall_leaves_the_printed_schema_as_published(monkeypatch, capsys):
    """The compiled validator for large halls once rewrote the shared schema's $refs in place:
    after an audit in the same process (an API caller), `schema hall` printed absolute ones."""
    from checker.input import validate
    monkeypatch.setattr(validate, "QUICK_CHECK_FROM_VALUES", 0)  # every hall counts as large
    assert api.audit(ROOT / SAMPLE).counts()["fail"] == 2
    assert cli.main(["schema", "hall"]) == 0
    assert capsys.readouterr().out == (ROOT / "schemas" / "hall.schema.json").read_text(encoding="utf-8")

"""The hostile corpus (tests/fixtures/hostile): input written to make hallcheck misbehave.

Each test runs what a user would run and asserts what they would see: a located refusal
(exit 2), or a report that shows the hostile text instead of obeying it. Never exit 3, a hang,
a traceback, or a file of the user's (or of the machine, such as /dev/null) replaced.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cli
from checker.paths import bundled

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
HALLS = HOSTILE / "halls"
PACKS = HOSTILE / "packs"
ART28 = bundled("rules") / "kaifeng-2014" / "art28-two-year-stationing.yaml"
PLAIN = HALLS / "csv_lone_cr.yaml"  # a usable hall failing art28 once
CONTROLS = ("\x1b", "\x07", "\u202e", "\r")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys, *argv) -> tuple[int, str, str]:
    return run(capsys, "check", *argv, "--rules", ART28, "--engine", "python", "--lang", "en")


def shell(*argv, stdout=subprocess.PIPE, cwd=None) -> subprocess.CompletedProcess:
    """hallcheck in its own process: for what needs real file descriptors (stdout, a FIFO)."""
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, argv)], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, timeout=120,
                          env={**os.environ, "HALLCHECK_LANG": "en", "HALLCHECK_NO_CACHE": "1"})


from test_cli import work  # noqa: F401 - the fixture: an empty working directory


def device_node(directory: Path, minor: int) -> Path:
    """A character device of the memory driver (3: null, 7: full) inside `directory`, so that a
    regression replaces our copy, not the machine's. Only root can make one; anyone else gets the
    machine's own, which they cannot replace anyway."""
    if os.geteuid() != 0:
        return Path({3: "/dev/null", 7: "/dev/full"}[minor])
    path = directory / f"device-{minor}"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return path


# ------------------------------------------------------------------ writing output

def test_output_onto_a_device_node_writes_through_it_and_leaves_it_a_device(capsys, work):
    null = device_node(work, 3)
    code, out, err = check(capsys, PLAIN, "--format", "json", "-o", null)
    assert code == 1, err
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in null.parent.iterdir() if p.name.startswith(".")) == []  # no temp left


def test_output_onto_a_full_device_is_exit_2_and_leaves_it_a_device(capsys, work):
    full = device_node(work, 7)
    code, out, err = check(capsys, PLAIN, "--format", "json", "-o", full)
    assert code == 2
    assert "cannot write the report: No space left on device" in err
    assert stat.S_ISCHR(full.stat().st_mode)


def test_output_into_a_fifo_is_written_to_its_reader_and_it_stays_a_fifo(work):
    fifo = work / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        result = shell("check", PLAIN, "--rules", ART28, "--format", "json", "-o", fifo, cwd=work)
    finally:
        if reader.is_alive():  # hallcheck failed before opening it: let the reader go
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(30)
    assert result.returncode == 1, result.stderr.decode()
    assert json.loads(received[0])["format"] == "hallcheck-report"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_into_a_fifo_nobody_reads_is_exit_2_at_once(capsys, work):
    fifo = work / "report.fifo"
    os.mkfifo(fifo)
    code, out, err = check(capsys, PLAIN, "-o", fifo)
    assert code == 2
    assert "report.fifo: this is a named pipe (FIFO) that nobody is reading" in err


@pytest.mark.parametrize("role", ["hall", "hall directory", "rules", "waivers", "baseline"])
def test_output_onto_an_input_is_refused_and_the_input_kept(role, capsys, work):
    hall = work / "halls" / "hall.yaml"
    hall.parent.mkdir()
    shutil.copy(PLAIN, hall)
    rules = work / "art28.yaml"
    shutil.copy(ART28, rules)
    waivers = work / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    baseline = work / "baseline.json"
    code, out, err = run(capsys, "check", hall, "--rules", rules, "--format", "json", "-o", baseline)
    assert code == 1, err
    target = {"hall": hall, "hall directory": hall, "rules": rules, "waivers": waivers, "baseline": baseline}[role]
    before = target.read_bytes()
    paths = ["halls"] if role == "hall directory" else [hall]
    code, out, err = run(capsys, "check", *paths, "--rules", rules, "--waivers", waivers, "--baseline", baseline,
                         "--format", "json", "-o", target, "--lang", "en")
    assert code == 2
    assert "the report would overwrite an input of this run" in err
    assert target.read_bytes() == before


def test_rules_test_output_onto_a_rule_file_is_refused(capsys, work):
    rule = work / "art28.yaml"
    shutil.copy(ART28, rule)
    before = rule.read_bytes()
    code, out, err = run(capsys, "rules", "test", rule, "--format", "junit", "-o", rule, "--lang", "en")
    assert code == 2 and "would overwrite an input" in err
    assert rule.read_bytes() == before


def test_output_to_dev_stdout_reaches_stdout_in_a_pipe_and_in_a_file(work):
    piped = shell("check", PLAIN, "--rules", ART28, "--format", "json", "-o", "/dev/stdout", cwd=work)
    assert piped.returncode == 1, piped.stderr.decode()
    assert json.loads(piped.stdout)["format"] == "hallcheck-report"
    with open(work / "redirected.json", "wb") as stream:
        redirected = shell("check", PLAIN, "--rules", ART28, "--format", "json", "-o", "/dev/stdout",
                           stdout=stream, cwd=work)
    assert redirected.returncode == 1, redirected.stderr.decode()
    assert json.loads((work / "redirected.json").read_bytes())["format"] == "hallcheck-report"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stdout_on_a_full_disk_is_exit_2_with_a_message(fmt, work):
    with open(device_node(work, 7), "wb") as full:
        result = shell("check", PLAIN, "--rules", ART28, "--format", fmt, stdout=full, cwd=work)
    assert result.returncode == 2
    assert "stdout: cannot write the report: No space left on device" in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_output_through_a_symlink_to_another_filesystem_replaces_the_target(capsys, work):
    shm = Path("/dev/shm")
    if not shm.is_dir():
        shm = work  # no second filesystem here: the link still has to be followed
    target = Path(shm) / f"hallcheck-report-{os.getpid()}.json"
    target.write_text("old", encoding="utf-8")
    link = work / "report.json"
    link.symlink_to(target)
    try:
        code, out, err = check(capsys, PLAIN, "--format", "json", "-o", link)
        assert code == 1, err
        assert link.is_symlink()
        assert json.loads(target.read_text(encoding="utf-8"))["format"] == "hallcheck-report"
    finally:
        target.unlink()


# ------------------------------------------------------------------ every command, odd arguments

def _odd_values(work: Path) -> dict[str, str]:
    fifo = work / "fifo.yaml"
    os.mkfifo(fifo)
    (work / "dir").mkdir()
    (work / "dangling.yaml").symlink_to(work / "nowhere")
    (work / "nul.yaml").write_bytes(b"a: \x00\n")
    deep = work / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    digits = work / "digits.json"
    digits.write_text('{"format": "hallcheck-report", "halls": [' + "9" * 5000 + "]}", encoding="utf-8")
    return {"empty": "", "escape": "\x1b]0;x\x07\x1b[2J", "long": "x" * 5000, "date-max": "9999-12-31",
            "nan": "nan", "inf": "inf", "huge": "1e308", "digits": "9" * 5000,
            "device": str(device_node(work, 3)), "fifo": str(fifo), "dir": "dir", "dangling": "dangling.yaml",
            "missing": "no/such/file.yaml", "binary": "nul.yaml", "deep-json": str(deep),
            "digits-json": str(digits), "findings-number": str(HOSTILE / "baselines" / "findings_number.json"),
            "printf": "%s%n{0}{entity}"}


# {} is where the odd value goes; HALL is a usable hall, RULE a rule file (both copied to the work
# directory). Commands that write get only values that stay inside the work directory.
_READING = [
    ["check", "{}"], ["check", "HALL", "--as-of", "{}"], ["check", "HALL", "--timeout", "{}"],
    ["check", "HALL", "--jobs", "{}"], ["check", "HALL", "--rules", "{}"], ["check", "HALL", "--waivers", "{}"],
    ["check", "HALL", "--baseline", "{}"], ["check", "HALL", "--format", "{}"], ["check", "HALL", "--lang", "{}"],
    ["check", "HALL", "--fail-on", "{}"], ["check", "HALL", "--engine", "{}"], ["check", "HALL", "--max-data-age", "{}"],
    ["schema", "{}"], ["regulations", "show", "{}"], ["regulations", "show", "kaifeng-2014", "{}"],
    ["coverage", "--regulation", "{}"], ["coverage", "--rules", "{}"], ["rules", "list", "--rules", "{}"],
    ["rules", "test", "{}"], ["rules", "lint", "{}"], ["explain", "{}"],
    ["explain", "kaifeng-2014.art28.two-year-stationing", "--rules", "RULE", "--hall", "{}"],
    ["explain", "kaifeng-2014.art28.two-year-stationing", "--rules", "RULE", "--hall", "HALL", "--as-of", "{}"],
]
_WRITING = [
    ["check", "HALL", "-o", "{}"], ["check", "HALL", "--format", "xlsx", "-o", "{}"],
    ["rules", "test", "RULE", "-o", "{}"], ["init", "{}"],
    ["rules", "new", "--regulation", "{}", "--clause", "art28"],
    ["rules", "new", "--regulation", "kaifeng-2014", "--clause", "{}"],
    ["rules", "new", "--regulation", "kaifeng-2014", "--clause", "art28", "--slug", "{}"],
    ["rules", "new", "--regulation", "kaifeng-2014", "--clause", "art28", "--dir", "{}"],
]
_OUTSIDE = ("device", "deep-json", "digits-json", "findings-number")  # paths a writer may not touch


def test_no_command_exits_3_on_odd_arguments(capsys, work, tmp_path, monkeypatch):
    monkeypatch.delenv("HALLCHECK_NO_CACHE")  # the builtin rules, loaded once for hundreds of runs
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    shutil.copy(PLAIN, work / "hall.yaml")
    shutil.copy(ART28, work / "rule.yaml")
    values = _odd_values(work)
    bugs = []
    for template, names in [(t, list(values)) for t in _READING] + \
                           [(t, [n for n in values if n not in _OUTSIDE]) for t in _WRITING]:
        for name in names:
            argv = [values[name] if part == "{}" else {"HALL": "hall.yaml", "RULE": "rule.yaml"}.get(part, part)
                    for part in template]
            if argv[0] == "check":
                argv += ["--engine", "python"] + ([] if "--rules" in argv else ["--rules", "rule.yaml"])
            code = cli.main(argv + ["--lang", "en"] if "--lang" not in argv else argv)
            out, err = capsys.readouterr()
            if code not in (0, 1, 2) or "Traceback" in out + err or "internal error" in out + err:
                bugs.append(f"{' '.join(template)} [{name}] -> {code}: {err[-300:]}")
    assert stat.S_ISCHR(Path(values["device"]).stat().st_mode)
    assert not bugs, "\n".join(bugs)


# ------------------------------------------------------------------ untrusted text

def test_escape_sequences_in_names_are_shown_not_obeyed_on_stdout_and_stderr(capsys, work):
    code, out, err = check(capsys, HALLS / "control_characters.yaml", HALLS / "control_in_key.yaml")
    assert code == 2
    for control in CONTROLS:
        assert control not in out + err
    assert "\\x1b]0;PWNED\\x07\\x1b[2J开封市民之家\\u202eevil.yaml" in out  # the hall name, visibly
    assert "\\x1b[31m王芳\\x1b]8;;https://evil.example\\x07" in out  # the staff name in the finding
    assert "hall.\\x1b[2J\\x1b]0;PWNED\\x07: unknown field" in err  # the key in the problem line


def test_control_characters_are_escaped_in_the_text_report_written_to_a_file(capsys, work):
    code, out, err = check(capsys, HALLS / "control_characters.yaml", "-o", "report.txt")
    text = (work / "report.txt").read_text(encoding="utf-8")
    assert code == 1 and "\x1b" not in text and "\\x1b[31m王芳" in text


def test_emoji_codes_stay_as_written(capsys, work):
    code, out, err = check(capsys, HALLS / "emoji_codes.yaml")
    assert code == 1
    assert "开封市民之家 :thumbs_up: file:100:7" in out
    assert ":100: 王芳 left after" in out
    assert "💯" not in out and "👍" not in out


def test_a_lone_carriage_return_cannot_split_a_csv_row_or_smuggle_a_formula(capsys, work):
    code, out, err = check(capsys, HALLS / "csv_lone_cr.yaml", "--format", "csv")
    assert code == 1
    rows = [row for row in csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")) if row[6] != "notice"]
    assert len(rows) == 2  # the header and the one rule
    assert "\r" not in out
    (row,) = [r for r in rows[1:] if r[2] == "kaifeng-2014.art28.two-year-stationing"]
    assert "王芳\\x0d=1+1 left after" in row[-1]
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in out.splitlines() for cell in line.split(","))


def test_markdown_mentions_links_and_carriage_returns_are_defused(capsys, work):
    code, out, err = check(capsys, HALLS / "markdown_mentions.yaml", "--format", "markdown")
    assert code == 1
    assert "\r" not in out
    (row,) = [line for line in out.splitlines() if "two-year-stationing" in line]
    assert "@<!-- -->octocat" in row and "https:<!-- -->//evil.example" in row and "www<!-- -->.evil.example" in row
    assert "\\x0d\\| x \\| y \\|" in row  # the would-be table row stays inside the cell


def test_a_long_name_does_not_push_the_failure_tables_out_of_a_markdown_comment(capsys, work):
    long_name = HALLS / "csv_lone_cr.yaml"
    text = long_name.read_text(encoding="utf-8").replace("name: 开封市民之家", "name: " + "开" * 2000)
    for index in range(40):
        (work / f"hall{index:02}.yaml").write_text(text, encoding="utf-8")
    code, out, err = check(capsys, ".", "--format", "markdown")
    assert code == 1
    assert out.count("| `kaifeng-2014.art28.two-year-stationing` |") == 40  # every hall's failure table
    assert len(out) <= 65_000


def test_text_past_the_length_limit_is_refused_where_it_is_written(capsys, work):
    code, out, err = check(capsys, HALLS / "text_too_long.yaml")
    assert code == 2
    assert "text_too_long.yaml:5:9: hall.name: text too long (2001 characters); the limit is 2000" in err


def test_a_message_with_many_placeholders_is_capped(capsys, work, tmp_path):
    rule = ART28.read_text(encoding="utf-8").replace(
        '  en: "{entity} left after', '  en: "' + "{name}" * 300 + ' {entity} left after')
    (tmp_path / "rule.yaml").write_text(rule, encoding="utf-8")
    hall = PLAIN.read_text(encoding="utf-8").replace('"王芳\\r=1+1"', "王" * 2000)
    (work / "hall.yaml").write_text(hall, encoding="utf-8")
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", tmp_path / "rule.yaml", "--format", "json",
                         "--lang", "en")
    assert code == 1, err
    (finding,) = [f for h in json.loads(out)["halls"] for r in h["results"] for f in r["findings"]]
    assert len(finding["message"]) < 2_100 and finding["message"].endswith(")")  # cut, saying how much
    assert len(out) < 200_000  # not 300 × 2,000 characters


# ------------------------------------------------------------------ input costs

def test_a_recursive_alias_is_refused_where_it_is(capsys, work):
    code, out, err = check(capsys, HALLS / "recursive_alias.yaml")
    assert code == 2
    assert "recursive_alias.yaml:2:7: an alias refers to a node that contains it (a recursive alias)" in err


def test_brackets_inside_strings_and_comments_are_not_nesting(capsys, work):
    code, out, err = check(capsys, HALLS / "brackets_in_strings.yaml")
    assert code == 1, err
    assert "nested too deeply" not in err


def test_a_list_of_a_million_values_is_refused_with_its_line(capsys, work):
    hall = work / "million.yaml"
    hall.write_text("hallcheck: 1\nstaff: [" + "1," * 1_000_001 + "1]\n", encoding="utf-8")
    code, out, err = check(capsys, hall)
    assert code == 2
    assert "million.yaml:2:" in err and "too many values (limit 1000000)" in err


def test_a_fifo_given_as_waivers_or_found_in_a_pack_is_refused_without_waiting(capsys, work):
    os.mkfifo(work / "waivers.yaml")
    code, out, err = check(capsys, PLAIN, "--waivers", "waivers.yaml")
    assert code == 2 and "waivers.yaml: not a regular file (a device, pipe or socket); not read" in err
    pack = work / "pack"
    shutil.copytree(PACKS / "catastrophic_regex", pack)
    os.mkfifo(pack / "trap.yaml")
    for command in (["check", PLAIN, "--rules", pack], ["rules", "lint", pack], ["rules", "test", pack]):
        code, out, err = run(capsys, *command, "--lang", "en")
        assert code == 2, command
        assert "pack/trap.yaml: not a regular file" in out + err


# ------------------------------------------------------------------ third-party packs

def test_a_catastrophic_pattern_runs_in_linear_time_in_explain_and_rules_test(capsys, work):
    pack = PACKS / "catastrophic_regex"
    (work / "hall.yaml").write_text(PLAIN.read_text(encoding="utf-8").replace("name: 开封市民之家", "name: " + "a" * 1999 + "b"),
                                    encoding="utf-8")
    code, out, err = run(capsys, "explain", "kaifeng-2014.art6.name-pattern", "--rules", pack, "--hall", "hall.yaml",
                         "--lang", "en")
    assert code == 0, err
    assert "Result: fail" in out
    code, out, err = run(capsys, "rules", "test", pack, "--lang", "en")
    assert code == 0 and "2 passed, 0 failed" in out


def test_the_bundled_patterns_mean_what_pythons_re_meant():
    import re
    from checker.language.regex import compile_pattern
    for cls in (r"\s", r"\S", r"\d", r"\D", r"\w", r"\W", r"[\s\d]", r"[^\s]"):
        ours, python = compile_pattern(f"^{cls}$"), re.compile(f"^{cls}$")
        differ = [hex(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000
                  and (ours.search(chr(c)) is None) != (python.search(chr(c)) is None)]
        assert differ == [], cls


HOSTILE_PACKS = ["backreference", "override_backreference", "extends_root", "extends_absolute", "cycle_a",
                 "link_out", "fifo_in_pack"]


def _hostile_pack(name: str, work: Path) -> Path:
    if name == "link_out":  # a rule file that is a link to a secret outside the pack
        secret = work / "secret.yaml"
        secret.write_text("password: hunter2\n", encoding="utf-8")
        pack = work / "link_out"
        shutil.copytree(PACKS / "catastrophic_regex", pack)
        (pack / "stolen.yaml").symlink_to(secret)
        (pack / "linked-dir").symlink_to(work, target_is_directory=True)
        (pack / "_base.yaml").unlink()
        (pack / "_base.yaml").symlink_to(secret)  # the hall the examples overlay
        return pack
    if name == "fifo_in_pack":
        pack = work / "fifo_in_pack"
        shutil.copytree(PACKS / "catastrophic_regex", pack)
        os.mkfifo(pack / "trap.yaml")
        return pack
    return PACKS / name


@pytest.mark.parametrize("name", HOSTILE_PACKS)
def test_lint_refuses_every_pack_check_refuses(name, capsys, work):
    pack = _hostile_pack(name, work)
    code, out, err = check_with = run(capsys, "check", PLAIN, "--rules", pack, "--engine", "python", "--lang", "en")
    assert code == 2, check_with
    code, lint_out, lint_err = run(capsys, "rules", "lint", pack, "--lang", "en")
    assert code == 2, lint_out
    refused = {line.split(": ")[0] for line in err.splitlines() if line.strip()}
    assert refused <= {line.split(": ")[0] for line in lint_out.splitlines()}  # at the same places
    assert "hunter2" not in out + err + lint_out + lint_err


def test_a_link_out_of_the_pack_is_named_and_not_read(capsys, work):
    pack = _hostile_pack("link_out", work)
    code, out, err = run(capsys, "check", PLAIN, "--rules", pack, "--lang", "en")
    assert code == 2
    assert "link_out/stolen.yaml: a symbolic link out of the pack's directory; not read" in err
    assert "hunter2" not in out + err
    for command in ("test", "lint"):
        code, out, err = run(capsys, "rules", command, pack, "--lang", "en")
        assert code == 2
        assert "link_out/_base.yaml: a symbolic link out of the pack's directory; not read" in out + err
        assert "hunter2" not in out + err


# ------------------------------------------------------------------ baselines

@pytest.mark.parametrize("name, words", [("findings_number", "findings is not a list")])
def test_a_baseline_of_the_wrong_shape_is_refused_where_it_is_wrong(name, words, capsys, work):
    code, out, err = check(capsys, PLAIN, "--baseline", HOSTILE / "baselines" / f"{name}.json")
    assert code == 2
    assert "halls[0].results[0].findings: not a hallcheck JSON report: " + words in err


# ------------------------------------------------------------------ who chooses the audit date

OWN_DATE = HALLS / "own_date_2000.yaml"


@pytest.mark.parametrize("fmt, words", [
    ("text", "⚠ note: the audit date 2000-01-01 is the hall file's own as_of, chosen by the audited party"),
    ("json", '"code": "audit.date_from_file"'),
    ("sarif", '"level": "warning"'),
    ("junit", 'name="notice.audit.date_from_file" value="note: the audit date 2000-01-01 is the hall file'),
    ("markdown", "> ⚠️ **note: the audit date 2000-01-01 is the hall file"),
    ("html", '<p class="notice"><strong>⚠ note: the audit date 2000-01-01 is the hall file'),
    ("csv", ',notice,"note: the audit date 2000-01-01 is the hall file\'s own as_of'),
])
def test_every_format_says_when_the_hall_chose_its_own_audit_date(fmt, words, capsys, work):
    code, out, err = check(capsys, OWN_DATE, "--format", fmt)
    assert words in out
    code, out, err = check(capsys, OWN_DATE, "--format", fmt, "--as-of", "2024-06-30")
    assert "audit.date_from_file" not in out and "chosen by the audited party" not in out


def test_ci_can_refuse_hall_chosen_dates_by_option_or_environment(capsys, work, monkeypatch):
    code, out, err = check(capsys, OWN_DATE, "--refuse-hall-date")
    assert code == 2
    assert ("own_date_2000.yaml: as_of: not audited: the audit date 2000-01-01 would be the hall file's own as_of, "
            "and this run refuses hall-chosen dates (--refuse-hall-date); give --as-of") in err
    monkeypatch.setenv("HALLCHECK_REFUSE_HALL_DATE", "1")
    assert check(capsys, OWN_DATE)[0] == 2
    code, out, err = check(capsys, OWN_DATE, "--as-of", "2024-06-30")
    assert code == 1  # the run chose the date: audited, art28 fails


def test_data_older_than_the_configured_age_is_flagged(capsys, work, monkeypatch):
    code, out, err = check(capsys, PLAIN, "--as-of", "2024-06-30", "--max-data-age", "30", "--format", "json")
    (notice,) = json.loads(out)["halls"][0]["notices"]
    assert notice["code"] == "audit.data_old" and "older than 30 days" in notice["message"]
    monkeypatch.setenv("HALLCHECK_MAX_DATA_AGE", "100000")
    code, out, err = check(capsys, PLAIN, "--as-of", "2024-06-30", "--format", "json")
    assert json.loads(out)["halls"][0]["notices"] == []


def test_a_hall_wide_list_read_for_every_entity_keeps_the_report_linear(capsys, work, tmp_path):
    rule = ART28.read_text(encoding="utf-8")
    rule = rule[:rule.index("where:")] + "require:\n  field: hall.sign\n  contains: 不存在的牌子\n" + rule[rule.index("message:"):]
    rule = rule.replace("（{stationed_from} 至 {stationed_until}）", "").replace(" ({stationed_from} to {stationed_until})", "")
    (tmp_path / "rule.yaml").write_text(rule, encoding="utf-8")
    signs = ", ".join(f"牌子{i}" for i in range(1000))
    staff = "".join(f"  - {{id: S{i}, name: 人员{i}}}\n" for i in range(300))
    hall = PLAIN.read_text(encoding="utf-8")
    hall = hall[:hall.index("staff:")].replace("  level: city", f"  sign: [{signs}]\n  level: city") + "staff:\n" + staff
    (work / "hall.yaml").write_text(hall, encoding="utf-8")
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", tmp_path / "rule.yaml", "--format", "json", "--lang", "en")
    assert code == 1, err
    findings = [f for h in json.loads(out)["halls"] for r in h["results"] for f in r["findings"]]
    assert len(findings) == 300
    assert findings[0]["evidence"][0]["actual"][-1] == "…(+900)"
    assert len(out) < 300 * 10_000  # 300 findings, not 300 × 1,000 signs


def test_an_audit_on_the_last_day_of_the_calendar_is_not_an_internal_error(capsys, work):
    # periodic rules count half-years up to the audit date: the one after 9999-12-31 does not exist
    code, out, err = run(capsys, "check", ROOT / "samples" / "kaifeng-civic-centre.yaml", "--as-of", "9999-12-31",
                         "--engine", "python", "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    statuses = {r["status"] for h in json.loads(out)["halls"] for r in h["results"]}
    assert "error" not in statuses and "pass" in statuses

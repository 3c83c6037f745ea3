"""The audit history: `check --store`, `history HALL`, `--baseline` given the store. Against
SQLite always, and against a real PostgreSQL server that these tests start themselves (a
throwaway cluster: initdb and pg_ctl in a temporary directory, on a free port)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

import cli
from run_helpers import FAIL, PASS, hall_text, result, run_json, setup


# ------------------------------------------------------------------ a real PostgreSQL server

def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    assert found, f"{name} not found: install Debian's postgresql package (.ci/run does)"
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL cluster of our own for this module, its URL; as the postgres user when we are root
    (the server refuses to run as root)."""
    base = tempfile.mkdtemp(prefix="hallcheck-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(base, "data"), _free_port()
    subprocess.run([*as_user, _pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C"], check=True, capture_output=True)
    subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", data, "-w", "-l", os.path.join(base, "log"), "-o",
                    f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


_databases = iter(range(1, 1000))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A fresh, empty audit history: an SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    import sqlalchemy as sa
    server = request.getfixturevalue("postgres")
    name = f"history_{next(_databases)}"
    engine = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


# ------------------------------------------------------------------ the history

def audit(root, capsys, store, *more):
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "-q", "--store", store, *more])
    capsys.readouterr()
    return code


def rewrite(root, name, spans, lead=""):
    (root / "halls" / f"{name}.yaml").write_text(hall_text(name, spans, lead), encoding="utf-8")


def test_history_says_what_changed_since_the_last_audit(tmp_path, capsys, store):
    root = setup(tmp_path, {"a": [FAIL, FAIL, PASS], "b": [FAIL]})
    assert audit(root, capsys, store) == 1
    rewrite(root, "a", [FAIL, PASS, FAIL], lead="# lines move\n")  # staff[1] fixed, staff[2] newly failing
    assert audit(root, capsys, store) == 1
    hall = str(root / "halls" / "a.yaml")
    assert cli.main(["history", hall, "--store", store, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]
    # run, recorded, as of, rules, fail, unknown, pass, new, persisting, fixed
    assert [row[0] for row in rows] == ["#1", "#2"]
    assert [row[2] for row in rows] == ["2024-06-30"] * 2
    assert [row[7:] for row in rows] == [["2", "0", "0"], ["1", "1", "1"]]
    changes = [line.strip() for line in out.splitlines() if line.strip().startswith("[")]
    assert changes[-2:] == [f"[new] {result_rule()} staff[2]: S02 人员2 left after 1 years",
                            f"[fixed] {result_rule()} staff[1]: S01 人员1 left after 1 years"]
    # the hall's name finds it too, and a hall the history has never seen is exit 2
    assert cli.main(["history", "a", "--store", store, "--lang", "en"]) == 0
    assert capsys.readouterr().out == out
    assert cli.main(["history", "nowhere.yaml", "--store", store, "--lang", "en"]) == 2
    assert "no hall whose file or name is 'nowhere.yaml'" in capsys.readouterr().err
    # written to a file, the history holds what the terminal showed
    assert cli.main(["history", "a", "--store", store, "--lang", "en", "-o", str(tmp_path / "history.txt")]) == 0
    assert (tmp_path / "history.txt").read_text(encoding="utf-8").splitlines() == out.splitlines()


def result_rule() -> str:
    from run_helpers import RULE_ID
    return RULE_ID


def test_the_baseline_can_be_the_last_audit_of_each_hall_in_the_store(tmp_path, capsys, store):
    root = setup(tmp_path, {"a": [FAIL, FAIL, PASS], "b": [FAIL]})
    assert audit(root, capsys, store) == 1
    rewrite(root, "a", [FAIL, PASS, FAIL])
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--baseline", store)
    assert code == 1
    found = result(document, "a.yaml")["findings"]
    assert [(f["entity"], f["baseline"]) for f in found] == [("staff[0]", "persisting"), ("staff[2]", "new")]
    assert [f["entity"] for f in document["halls"][0]["fixed"]] == ["staff[1]"]
    assert {k: document["baseline"][k] for k in ("new", "persisting", "fixed")} == {"new": 1, "persisting": 2, "fixed": 1}
    # --fail-on-new against the store, and `--baseline store` naming the store of --store
    rewrite(root, "a", [FAIL, FAIL, PASS])
    assert audit(root, capsys, store, "--baseline", "store", "--fail-on-new") == 0


def test_a_run_records_the_rules_and_each_hall_file(tmp_path, capsys, store):
    import hashlib

    from checker.run.store import open_store
    root = setup(tmp_path, {"a": [FAIL], "b": [PASS]})
    (root / "halls" / "c.yaml").write_text("hallcheck: 1\nhall: [unclosed\n", encoding="utf-8")
    assert audit(root, capsys, store) == 2
    [a], [b], [c] = (open_store(store).history(str(root / "halls" / f"{n}.yaml")).values() for n in "abc")
    assert a[0].audit.file_digest == hashlib.sha256((root / "halls" / "a.yaml").read_bytes()).hexdigest()
    assert a[0].audit.rules_digest == b[0].audit.rules_digest and len(a[0].audit.rules_digest) == 64
    assert a[0].audit.counts == {"fail": 1} and b[0].audit.counts == {"pass": 1}
    assert not c[0].audit.audited


def test_a_store_that_cannot_be_used_is_exit_2_before_anything_is_audited(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    bad = f"postgresql://nobody@127.0.0.1:{_free_port()}/none"
    assert cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--lang", "en",
                     "--store", bad]) == 2
    out, err = capsys.readouterr()
    assert "the audit history cannot be used" in err and "Traceback" not in err and out == ""
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("just text\n" * 100, encoding="utf-8")
    assert cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--lang", "en",
                     "--store", str(not_a_database)]) == 2
    assert "the audit history cannot be used" in capsys.readouterr().err
    assert not_a_database.read_text(encoding="utf-8") == "just text\n" * 100  # nothing the user wrote is lost


def test_store_alone_records_in_the_users_data_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = setup(tmp_path, {"a": [FAIL]})
    assert cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "--store"]) == 1
    capsys.readouterr()
    assert (tmp_path / "data" / "hallcheck" / "history.sqlite").is_file()
    assert cli.main(["history", "a", "--lang", "en"]) == 0
    assert "#1" in capsys.readouterr().out


def test_the_html_history_draws_the_trend_and_escapes_the_hall(tmp_path, capsys):
    store = str(tmp_path / "history.sqlite")
    root = setup(tmp_path, {"a": [FAIL, FAIL]})
    rewrite(root, "a", [FAIL, FAIL])
    text = (root / "halls" / "a.yaml").read_text(encoding="utf-8").replace("name: a", 'name: "<b>x</b>"')
    (root / "halls" / "a.yaml").write_text(text, encoding="utf-8")
    for spans in ([FAIL, FAIL], [FAIL, PASS], [PASS, PASS]):
        (root / "halls" / "a.yaml").write_text(text.replace(hall_text("a", [FAIL, FAIL]).split("staff:")[1],
                                                            hall_text("a", spans).split("staff:")[1]), encoding="utf-8")
        audit(root, capsys, store)
    page = tmp_path / "history.html"
    assert cli.main(["history", "<b>x</b>", "--store", store, "--format", "html", "-o", str(page), "--lang", "en"]) == 0
    document = page.read_text(encoding="utf-8")
    assert "<b>x</b>" not in document and "&lt;b&gt;x&lt;/b&gt;" in document
    fails = document.split('<polyline class="fail"')[1].split("/>")[0]
    heights = [float(point.split(",")[1]) for point in fails.split('points="')[1].rstrip('"').split()]
    assert len(heights) == 3 and heights[0] == heights[1] < heights[2]  # the rule fails, fails, passes: y grows down

"""--waivers: waived, partially waived, expired, stale, and a waivers file that cannot be used."""

from __future__ import annotations

import textwrap

import cli
from run_helpers import FAIL, PASS, RULE_ID, result, run_json, setup


def waivers_file(tmp_path, body: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def entry(hall="halls/a.yaml", entity=None, expires="2025-12-31", justification="因病调离，经批准"):
    lines = [f"  - rule: {RULE_ID}"]
    if hall:
        lines.append(f"    hall: {hall}")
    if entity:
        lines.append(f"    entity: {entity}")
    lines += [f"    justification: {justification}", "    approved_by: 开封市政务服务和大数据管理局",
              "    document: 汴政务〔2024〕12号", f"    expires: {expires}"]
    return "\n".join(lines) + "\n"


def test_every_finding_waived_makes_the_rule_waived(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL, FAIL, PASS]})
    waivers = waivers_file(tmp_path, "waivers:\n" + entry())
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    waived = result(document, "a.yaml")
    assert waived["status"] == "waived"
    assert waived["findings"] == []
    assert [w["entity"] for w in waived["waived"]] == ["staff[0]", "staff[1]"]
    assert waived["waived"][0]["waiver"]["justification"] == "因病调离，经批准"
    assert waived["waived"][0]["waiver"]["line"] == 2
    assert waived["reason"]["code"] == "waiver.applied" and "因病调离" in waived["reason"]["message"]
    assert document["summary"]["waived"] == 1 and document["summary"]["fail"] == 0
    assert document["waivers"]["notices"] == []
    assert code == 0


def test_some_findings_waived_the_rule_still_fails_with_the_rest(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL, FAIL, PASS]})
    waivers = waivers_file(tmp_path, "waivers:\n" + entry(entity="staff[1]"))
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    failed = result(document, "a.yaml")
    assert failed["status"] == "fail"
    assert [f["entity"] for f in failed["findings"]] == ["staff[0]"]
    assert [w["entity"] for w in failed["waived"]] == ["staff[1]"]
    assert code == 1
    # the text report says which finding is waived, and by what
    assert cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers),
                     "--engine", "python", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    waived_line = next(line for line in out.splitlines() if "[waived]" in line)
    assert "staff[1]" in waived_line
    assert "汴政务〔2024〕12号" in out


def test_a_waiver_by_hall_file_leaves_other_halls_alone_and_says_what_matched(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL], "b": [FAIL]})
    waivers = waivers_file(tmp_path, "waivers:\n" + entry(hall="halls/b.yaml"))
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    assert result(document, "a.yaml")["status"] == "fail"
    waived = result(document, "b.yaml")
    assert waived["status"] == "waived"
    assert waived["waived"][0]["matched_by"] == {"file": str(root / "halls" / "b.yaml"), "code": None}
    assert code == 1


def _with_code(root, name: str, code: str, hall_name: str) -> None:
    """Give halls/<name>.yaml the hall code `code` and the hall name `hall_name`."""
    path = root / "halls" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8").replace(f"  name: {name}\n", f"  name: {hall_name}\n  code: {code}\n")
    path.write_text(text, encoding="utf-8")


def test_a_file_that_copies_a_halls_name_and_file_name_does_not_inherit_its_waiver(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL], "b": [FAIL]})
    _with_code(root, "a", "12410200MB1234567X", "开封市民之家")
    _with_code(root, "b", "12410200MB7654321Y", "开封市民之家")  # a copy: same name, its own code
    waivers = waivers_file(tmp_path, "waivers:\n" + entry(hall=None).replace(
        "  - rule:", "  - hall_code: 12410200MB1234567X\n    rule:"))
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    assert result(document, "b.yaml")["status"] == "fail"
    waived = result(document, "a.yaml")
    assert waived["status"] == "waived"
    assert waived["waived"][0]["matched_by"] == {"file": None, "code": "12410200MB1234567X"}
    assert code == 1


def test_a_waiver_naming_a_hall_by_its_name_matches_nothing_and_says_so(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL], "b": [FAIL]})
    waivers = waivers_file(tmp_path, "waivers:\n" + entry(hall="b"))
    code, document, err = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"),
                                   "--waivers", str(waivers))
    assert result(document, "b.yaml")["status"] == "fail"
    assert "waivers.yaml:2:5: waivers[0]: the waiver for kaifeng-2014.art28.two-year-stationing b names the hall by its name 'b'" in err
    assert code == 1


def test_an_expired_waiver_stops_applying_and_says_so(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    waivers = waivers_file(tmp_path, "hallcheck: 1\nwaivers:\n" + entry(expires="2024-06-29"))
    code, document, err = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"),
                                   "--waivers", str(waivers))
    failed = result(document, "a.yaml")
    assert failed["status"] == "fail" and "waived" not in failed
    [notice] = document["waivers"]["notices"]
    assert notice["code"] == "waiver.expired" and notice["line"] == 3 and notice["path"] == "waivers[0]"
    assert "expired on 2024-06-29" in notice["message"]
    assert "waiver.expired" not in err and "expired on 2024-06-29" in err  # said on stderr too, in words
    assert code == 1
    # on the expiry day itself it still applies
    waivers_file(tmp_path, "waivers:\n" + entry(expires="2024-06-30"))
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    assert result(document, "a.yaml")["status"] == "waived" and document["waivers"]["notices"] == []
    assert code == 0


def test_a_waiver_that_matches_nothing_is_stale(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL, PASS]})
    waivers = waivers_file(tmp_path, "waivers:\n" + entry(entity="staff[0]") + entry(entity="staff[1]")
                           + entry(hall="halls/elsewhere.yaml"))
    code, document, _ = run_json(capsys, str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers))
    notices = document["waivers"]["notices"]
    # staff[1] passes: stale. The waiver for a hall not in this run says nothing.
    assert [(n["code"], n["path"]) for n in notices] == [("waiver.stale", "waivers[1]")]
    assert result(document, "a.yaml")["status"] == "waived"
    assert code == 0
    assert cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers),
                     "--engine", "python", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "waivers.yaml:9:5: waivers[1]: the waiver for" in out and "matches no failure" in out


def test_a_bad_waivers_file_is_exit_2_with_located_messages(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    waivers = waivers_file(tmp_path, """\
        waivers:
          - rule: kaifeng-2014.art28.two-year-stationng
            approved_by: 局
            document: 1号
            expires: 2024-02-30
          - rule: kaifeng-2014.art28.two-year-stationing
            entity: staff 2
            justification: x
            approved_by: 局
            document: 1号
            expires: 2025-01-01
        """)
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers),
                     "--engine", "python", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""  # nothing was audited
    lines = err.splitlines()
    assert any(line.startswith(f"{waivers}:2:5: waivers[0]: required field 'justification' is missing")
               for line in lines), err
    assert any(line.startswith(f"{waivers}:5:14: waivers[0].expires: '2024-02-30' is not a valid date")
               for line in lines), err
    assert any(line.startswith(f"{waivers}:7:13: waivers[1].entity:") for line in lines), err
    # once the schema is satisfied, an unknown rule id is located too, with a suggestion
    waivers.write_text(waivers.read_text(encoding="utf-8").replace("2024-02-30", "2025-01-01")
                       .replace("approved_by: 局\n    document: 1号\n    expires: 2025-01-01\n  - ",
                                "justification: y\n    approved_by: 局\n    document: 1号\n    expires: 2025-01-01\n  - ", 1)
                       .replace("staff 2", "staff[2]"), encoding="utf-8")
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--waivers", str(waivers),
                     "--engine", "python", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{waivers}:2:11: waivers[0].rule: no rule has the id 'kaifeng-2014.art28.two-year-stationng'; did you mean: {RULE_ID}" in err


def test_a_waivers_file_that_is_not_there_is_exit_2(tmp_path, capsys):
    root = setup(tmp_path, {"a": [FAIL]})
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--waivers",
                     str(tmp_path / "nope.yaml"), "--engine", "python", "--lang", "en"])
    assert code == 2
    assert "nope.yaml: file not found" in capsys.readouterr().err

"""hallcheck import: ledgers as halls keep them (xlsx, xls, ods, csv in UTF-8 or GB18030), with
title rows, merged headers, blank rows, trailing spaces, Chinese dates and full-width digits,
made here by the writer libraries; every bad row located at its cell; findings that name the
cell they come from."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import textwrap
from pathlib import Path

import openpyxl
import pytest
import yaml

import cli
from helpers import KAIFENG_HALL
from run_helpers import run_json
from checker.input import imports
from checker.input.load import load_file
from checker.reports.messages import problem_line
from checker.problems import InputError
from checker.input.validate import validate_hall

KAIFENG_BASE = KAIFENG_HALL

JINING_BASE = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 济宁市任城区政务服务中心
  level: county
  kind: comprehensive_centre
  jurisdiction: {province: 山东省, city: 济宁市, district: 任城区}
"""

TITLE = "进驻人员花名册（2024年6月）"
# Two header rows: 进驻时间 is merged over 起 and 止; the other headers are merged down over both.
HEADER = ["工号 ", "姓　名", "派驻单位", "进驻时间", "", "离岗原因", "窗口"]
SUBHEADER = ["", "", "", "起", "止", "", ""]
ROSTER = [  # from row 5; row 7 is blank
    ["S01", "王芳 ", "市场监管局", dt.date(2022, 3, 15), "2023年5月8日", "召回", "W01"],
    ["S02", "李雷", "税务局", "2021.1.4", 45000, "期满轮换", "W01、W02"],
    None,
    ["Ｓ０３", "韩梅", "公安局", "２０２０年２月３日", "2021/6/1", "调动", "W02"],
]


def write_xlsx(path: Path, rows=ROSTER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "进驻人员"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:G1")
    for col, (top, below) in enumerate(zip(HEADER, SUBHEADER), start=1):
        sheet.cell(3, col, top or None)
        sheet.cell(4, col, below or None)
    sheet.merge_cells("D3:E3")
    for letter in "ABCFG":
        sheet.merge_cells(f"{letter}3:{letter}4")
    for number, row in enumerate(rows, start=5):
        for col, value in enumerate(row or [], start=1):
            sheet.cell(number, col, value)
    book.save(path)
    return path


def write_xls(path: Path, rows=ROSTER) -> Path:
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("进驻人员")
    sheet.write_merge(0, 0, 0, 6, TITLE)
    for col, label in enumerate(HEADER):
        if col in (3, 4):
            continue
        sheet.write_merge(2, 3, col, col, label)
    sheet.write_merge(2, 2, 3, 4, "进驻时间")
    sheet.write(3, 3, "起")
    sheet.write(3, 4, "止")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for number, row in enumerate(rows, start=4):
        for col, value in enumerate(row or []):
            sheet.write(number, col, value, dates if isinstance(value, dt.date) else xlwt.Style.default_style)
    book.save(str(path))
    return path


def write_ods(path: Path, rows=ROSTER) -> Path:
    """One header row here (odfpy writes no merged ranges calamine reports): 进驻时间/离岗时间."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    document = OpenDocumentSpreadsheet()
    table = Table(name="进驻人员")
    header = ["工号", "姓名", "派驻单位", "进驻时间", "离岗时间", "离岗原因", "窗口"]
    for row in [[TITLE], [], header] + [r or [] for r in rows]:
        line = TableRow()
        for value in row:
            if isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def write_csv(path: Path, encoding: str, rows=ROSTER) -> Path:
    header = ["工号", "姓名", "派驻单位", "进驻时间", "离岗时间", "离岗原因", "窗口"]
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([TITLE])
        writer.writerow(header)
        for row in rows:
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in (row or [""] * 7)])
    return path


def mapping(path: Path, *sources: dict) -> Path:
    path.write_text(yaml.safe_dump({"sources": list(sources)}, allow_unicode=True), encoding="utf-8")
    return path


def imported(tmp_path: Path, *sources: dict, base: str = KAIFENG_BASE):
    (tmp_path / "base.yaml").write_text(base, encoding="utf-8")
    return imports.imported_hall(str(tmp_path / "base.yaml"), "base.yaml",
                                 str(mapping(tmp_path / "map.yaml", *sources)), "map.yaml")


def refused(tmp_path: Path, *sources: dict, base: str = KAIFENG_BASE) -> list[str]:
    with pytest.raises(InputError) as caught:
        imported(tmp_path, *sources, base=base)
    return [problem_line(p, "en") for p in caught.value.problems]


WINDOWS = """\
windows:
  - {id: W01, type: comprehensive_acceptance}
  - {id: W02, type: comprehensive_acceptance}
"""


# ------------------------------------------------------------------ reading each format

@pytest.mark.parametrize("suffix, writer, sheet, first_row", [
    ("xlsx", write_xlsx, "进驻人员", 5),
    ("xls", write_xls, "进驻人员", 5),
    ("ods", write_ods, "进驻人员", 4),
    ("csv", lambda p: write_csv(p, "utf-8-sig"), "", 3),
    ("csv", lambda p: write_csv(p, "gb18030"), "", 3),
])
def test_every_format_reads_the_same_roster(tmp_path, suffix, writer, sheet, first_row):
    writer(tmp_path / f"花名册.{suffix}")
    hall = imported(tmp_path, {"file": f"花名册.{suffix}", "into": "staff", "layout": "roster"},
                    base=KAIFENG_BASE + WINDOWS)
    staff = hall.data["staff"]
    assert [(p["id"], p["name"], p["stationed_from"], p["stationed_until"], p["end_reason"]) for p in staff] == [
        ("S01", "王芳", dt.date(2022, 3, 15), dt.date(2023, 5, 8), "recalled"),
        ("S02", "李雷", dt.date(2021, 1, 4), dt.date(2023, 3, 15), "term_completed"),  # serial 45000
        ("S03", "韩梅", dt.date(2020, 2, 3), dt.date(2021, 6, 1), "reassigned"),  # full-width digits
    ]
    # S02's cell names two windows: the person is posted on both
    assert [sorted(w["staff"]) for w in hall.data["windows"]] == [["S01", "S02"], ["S02", "S03"]]
    where = hall.document.locate(("staff", 2, "stationed_from"))  # the blank row is skipped, not counted
    assert str(where) == "!".join(filter(None, [f"花名册.{suffix}", sheet, f"D{first_row + 3}"]))


def test_headers_match_after_trimming_and_folding_full_width(tmp_path):
    rows = [["工号", "姓名", "进驻日期", "是否培训合格", "人员性质"],
            ["S01", "王芳", "2023-05-08 09:30:00", "√", "事业编制"],
            ["S02", "李雷", 44000.0, "×", "劳务派遣"],
            ["S03", "韩梅", "20230102", "是", "公益岗"]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active["A1"] = " 工 号\u3000"  # spaces, an ideographic space
    book.active["C1"] = "进驻日期 "
    book.save(tmp_path / "r.xlsx")
    hall = imported(tmp_path, {"file": "r.xlsx", "into": "staff", "layout": "roster"})
    assert [(p["id"], p["stationed_from"], p["training_passed"], p["employment"]) for p in hall.data["staff"]] == [
        ("S01", dt.date(2023, 5, 8), True, "career_staff"),
        ("S02", dt.date(2020, 6, 18), False, "dispatched"),  # Excel serial 44000
        ("S03", dt.date(2023, 1, 2), True, "public_welfare_post"),
    ]


def test_numbers_written_as_floats_read_as_meant(tmp_path):
    book = openpyxl.Workbook()
    for row in [["事项编码", "事项名称", "承诺时限", "到现场次数", "网上可办", "收费标准"],
                [1001, "企业开办", 3.0, "１", "是", 0], ["1002", "食品经营许可", "２０", 0, "否", "12.5"]]:
        book.active.append(row)
    book.save(tmp_path / "事项目录.xlsx")
    hall = imported(tmp_path, {"file": "事项目录.xlsx", "into": "items", "layout": "items"})
    assert [(i["code"], i["promised_limit_days"], i["visits_required"], i["online"], i["fee"])
            for i in hall.data["items"]] == [("1001", 3, 1, True, 0), ("1002", 20, 0, False, 12.5)]


def test_a_value_the_hall_format_refuses_is_located_at_its_cell(tmp_path):
    book = openpyxl.Workbook()
    for row in [["事项编码", "承诺时限"], ["1001", 2.5]]:
        book.active.append(row)
    book.save(tmp_path / "事项目录.xlsx")
    lines = refused(tmp_path, {"file": "事项目录.xlsx", "into": "items", "layout": "items"})
    assert lines == ["事项目录.xlsx!Sheet!B2: items[0].promised_limit_days: expected a whole number, got a number 2.5"]


# ------------------------------------------------------------------ bad rows, each located

BAD = [  # (cell row values, the message it must give, at which cell)
    (["S01", "王芳", "市场监管局", "2022年13月1日", "", "", ""],
     "花名册.xlsx!进驻人员!D5: staff[0].stationed_from: '2022年13月1日' under 进驻时间/起 is not a date; "
     "expected 2023-05-08, 2023年5月8日, 2023.5.8 or a date cell"),
    (["S01", "王芳", "市场监管局", "2022-03-01", "", "请假", ""],
     "花名册.xlsx!进驻人员!F5: staff[0].end_reason: '请假' under 离岗原因 is not one of the values this field takes"),
    (["", "王芳", "市场监管局", "2022-03-01", "", "", ""],
     "花名册.xlsx!进驻人员!A5: staff[0].id: the 工号 cell is blank; every row needs its id"),
    (["S01", "王芳", "市场监管局", "2022-03-01", "", "", "W09"],
     "花名册.xlsx!进驻人员!G5: staff[0].window: refers to windows id 'W09', which does not exist"),
]


@pytest.mark.parametrize("row, message", BAD)
def test_each_bad_row_is_located_at_its_cell(tmp_path, row, message):
    write_xlsx(tmp_path / "花名册.xlsx", rows=[row])
    lines = refused(tmp_path, {"file": "花名册.xlsx", "into": "staff", "layout": "roster"})
    assert lines[0].startswith(message)


def test_window_several_in_one_cell_unknown_one_is_located(tmp_path):
    write_xlsx(tmp_path / "花名册.xlsx", rows=[["S01", "王芳", "局", "2022-03-01", "", "", "W01，W09"]])
    lines = refused(tmp_path, {"file": "花名册.xlsx", "into": "staff", "layout": "roster"}, base=KAIFENG_BASE + WINDOWS)
    assert lines == ["花名册.xlsx!进驻人员!G5: staff[0].window: the hall has no window W09"]


def test_bad_numbers_and_yes_no_are_located(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "目录"
    for row in [["事项编码", "承诺时限", "网上可办"], ["1001", "三天", "是"], ["1002", "3", "可以"], ["1003", "5", "否"]]:
        book.active.append(row)
    book.save(tmp_path / "items.xlsx")
    lines = refused(tmp_path, {"file": "items.xlsx", "into": "items", "layout": "items"})
    assert lines == [
        "items.xlsx!目录!B2: items[0].promised_limit_days: '三天' under 承诺时限 is not a number",
        "items.xlsx!目录!C3: items[1].online: '可以' under 网上可办 is not a yes or no; expected 是, 否, √ or ×",
        "map.yaml:2:3: sources[0]: 2 row(s) refused (see above); correct them and import again",
    ]


def test_one_bad_row_never_stops_the_others_and_the_count_is_given(tmp_path, capsys):
    rows = [["S01", "王芳", "局", "2022-03-01", "2022-02-30", "", ""],
            ["S02", "李雷", "局", "2022-03-01", "2024-03-01", "", ""],
            ["S03", "韩梅", "局", "去年", "", "", ""]]
    write_xlsx(tmp_path / "花名册.xlsx", rows=rows)
    (tmp_path / "base.yaml").write_text(KAIFENG_BASE, encoding="utf-8")
    mapping(tmp_path / "map.yaml", {"file": "花名册.xlsx", "into": "staff", "layout": "roster"})
    code = cli.main(["import", str(tmp_path / "map.yaml"), "--base", str(tmp_path / "base.yaml"), "--lang", "zh"])
    err = capsys.readouterr().err
    assert code == 2
    assert "花名册.xlsx!进驻人员!E5: staff[0].stationed_until: “进驻时间/止” 列的 “2022-02-30” 不是日期" in err
    assert "花名册.xlsx!进驻人员!D7: staff[2].stationed_from: “进驻时间/起” 列的 “去年” 不是日期" in err
    assert err.rstrip().endswith("2 行未能导入（见上）；改正后重新导入")


def test_mapping_problems_are_located_in_the_mapping(tmp_path):
    write_xlsx(tmp_path / "花名册.xlsx")
    lines = refused(tmp_path, {"file": "花名册.xlsx", "into": "staff", "columns": {"id": "工号", "grade": "职级"}})
    assert lines == ["map.yaml:3:5: sources[0].columns.grade: staff has no field 'grade'; did you mean: badge"]
    lines = refused(tmp_path, {"file": "花名册.xlsx", "into": "staff", "columns": {"id": "工号", "rank": "职务"}})
    assert lines == ["花名册.xlsx!进驻人员!4:4: staff.rank: the header row 4 has no column for rank (expected one of 职务)"]
    lines = refused(tmp_path, {"file": "花名册.xlsx", "sheet": "Sheet9", "into": "staff", "layout": "roster"})
    assert lines == ["花名册.xlsx: no sheet named 'Sheet9'; the sheets are: 进驻人员"]


def test_a_csv_in_neither_encoding_is_refused(tmp_path):
    (tmp_path / "x.csv").write_bytes("工号,姓名\nS01,".encode("utf-8") + b"\x80\xff\n")
    lines = refused(tmp_path, {"file": "x.csv", "into": "staff", "layout": "roster"})
    assert lines == ["x.csv: the CSV file is neither UTF-8 nor GB18030/GBK; save it as UTF-8"]


# ------------------------------------------------------------------ the commands

def _case_export(path: Path) -> Path:
    """The provincial platform's export, in GB18030 as WPS saves it, with a title row."""
    rows = [["任城区政务服务中心办件明细"], ["办件编号", "事项编码", "办件类别", "受理时间", "办结时间"],
            ["B001", "1001", "企业开办", "2024-03-04 09:12", "2024-03-06 16:00"],
            ["B002", "1001", "企业开办", "2024年3月4日", "2024年3月11日"],  # 5 working days
            ["", "", "", "", ""],
            ["B003", "1002", "一般事项", "2024.3.4", "2024.3.20"]]
    with open(path, "w", encoding="gb18030", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_roster_and_case_export_findings_name_their_cells(tmp_path, capsys):
    """The inspector's 30 seconds: a roster, a case export and a one-page base file."""
    rows = [["S01", "王芳", "市场监管局", dt.date(2022, 3, 15), "2023年5月8日", "召回", ""],
            ["S02", "李雷", "税务局", "2019.1.4", 45000, "期满轮换", ""],
            None,
            ["S03", "韩梅", "公安局", "２０２０年２月３日", "2021/6/1", "调动", ""]]
    roster = write_xlsx(tmp_path / "花名册.xlsx", rows=rows)
    cases = _case_export(tmp_path / "办件.csv")
    sources = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (roster, cases)]
    (tmp_path / "base.yaml").write_text(JINING_BASE, encoding="utf-8")
    mapping(tmp_path / "map.yaml", {"file": "花名册.xlsx", "into": "staff", "layout": "roster"},
            {"file": "办件.csv", "into": "cases", "layout": "cases"})
    code, report, _ = run_json(capsys, str(tmp_path / "base.yaml"), "--import", str(tmp_path / "map.yaml"))
    assert code == 1
    results = {r["rule"]: r for r in report["halls"][0]["results"]}
    stationing = results["jining-2018.art14.two-year-stationing"]["findings"]
    folder = str(tmp_path) + "/"
    assert [(f["file"].replace(folder, ""), f["sheet"], f["cell"], f["line"], f["column"]) for f in stationing] == [
        ("花名册.xlsx", "进驻人员", "D5", 5, 4),  # S01 recalled after 1 year
        ("花名册.xlsx", "进驻人员", "D8", 8, 4),  # S03 reassigned after 1 year (row 7 is blank)
    ]
    opening = results["jining-2018.art5.enterprise-opening-3-days"]["findings"]
    assert [(f["file"].replace(folder, ""), f["sheet"], f["cell"], f["label"]) for f in opening] == [
        ("办件.csv", "", "D4", "B002 enterprise_opening")]
    # the same cells in the text report, and the ledgers untouched
    code, out, _ = _run(["check", str(tmp_path / "base.yaml"), "--import", str(tmp_path / "map.yaml"),
                         "--lang", "en", "--engine", "python", "--quiet"], capsys)
    assert "花名册.xlsx!进驻人员!D8 jining-2018.art14.two-year-stationing" in out.replace(folder, "")
    assert "办件.csv!D4 jining-2018.art5.enterprise-opening-3-days" in out.replace(folder, "")
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (roster, cases)] == sources


def test_kaifeng_stationing_finding_in_sarif_opens_the_row(tmp_path, capsys):
    write_xlsx(tmp_path / "花名册.xlsx", rows=[["S01", "王芳", "市场监管局", dt.date(2022, 3, 15), "2023年5月8日", "", ""]])
    (tmp_path / "base.yaml").write_text(KAIFENG_BASE, encoding="utf-8")
    mapping(tmp_path / "map.yaml", {"file": "花名册.xlsx", "into": "staff", "layout": "roster"})
    code, out, _ = _run(["check", str(tmp_path / "base.yaml"), "--import", str(tmp_path / "map.yaml"),
                         "--format", "sarif", "--engine", "python"], capsys)
    assert code == 1
    found = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "kaifeng-2014.art28.two-year-stationing"]
    location = found[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("%E8%8A%B1%E5%90%8D%E5%86%8C.xlsx")
    assert location["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 4}
    assert location["message"]["text"].endswith("花名册.xlsx!进驻人员!D5")


def test_infer_proposes_a_mapping_that_imports(tmp_path, capsys):
    write_xlsx(tmp_path / "花名册.xlsx")
    code, out, err = _run(["import", "--infer", str(tmp_path / "花名册.xlsx"), "--lang", "en"], capsys)
    assert code == 0
    proposed = yaml.safe_load(out)["sources"][0]
    assert proposed["into"] == "staff" and proposed["header_row"] == 4
    assert proposed["columns"]["stationed_from"] == "进驻时间/起"
    assert "read as a staff roster (roster) with headers in row 4" in err
    (tmp_path / "map.yaml").write_text(out, encoding="utf-8")
    (tmp_path / "base.yaml").write_text(KAIFENG_BASE + WINDOWS, encoding="utf-8")
    code, out, _ = _run(["import", str(tmp_path / "map.yaml"), "--base", str(tmp_path / "base.yaml"),
                         "-o", str(tmp_path / "hall.yaml")], capsys)
    assert code == 0
    written = validate_hall(load_file(str(tmp_path / "hall.yaml"))).data  # a hall file of its own
    assert [(p["id"], p["stationed_until"]) for p in written["staff"]] == [
        ("S01", dt.date(2023, 5, 8)), ("S02", dt.date(2023, 3, 15)), ("S03", dt.date(2021, 6, 1))]
    code, _, err = _run(["import", str(tmp_path / "map.yaml"), "--base", str(tmp_path / "base.yaml"),
                         "-o", str(tmp_path / "hall.yaml"), "--lang", "en"], capsys)
    assert code == 2 and "will not be overwritten" in err


def test_mapping_schema_is_printed(capsys):
    code, out, _ = _run(["schema", "mapping"], capsys)
    assert code == 0 and json.loads(out)["title"] == "hallcheck import mapping"


def test_the_readme_example_names_the_cells(monkeypatch, capsys):
    """README's "From the ledgers" example, as it is printed there."""
    monkeypatch.chdir(Path(__file__).resolve().parents[1] / "ledgers")
    code, out, _ = _run(["check", "base.yaml", "--import", "map.yaml", "--as-of", "2024-06-30", "--lang", "en",
                         "--quiet"], capsys)
    assert code == 1
    found = [line.split()[:2] for line in out.splitlines() if line.startswith("  ") and "jining-2018" in line]
    assert found == [["花名册.xlsx!进驻人员!D5", "jining-2018.art14.two-year-stationing"],
                     ["花名册.xlsx!进驻人员!D8", "jining-2018.art14.two-year-stationing"],
                     ["base.yaml:5", "jining-2018.art4.window-types"],
                     ["办件.csv!D4", "jining-2018.art5.enterprise-opening-3-days"]]


@pytest.mark.parametrize("fmt", ["markdown", "junit", "csv", "html", "xlsx"])
def test_every_format_names_the_cell(fmt, tmp_path, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1] / "ledgers")
    out = tmp_path / f"report.{fmt}"
    code = cli.main(["check", "base.yaml", "--import", "map.yaml", "--as-of", "2024-06-30", "--format", fmt,
                     "--engine", "python", "--lang", "zh", "-o", str(out)])
    assert code == 1
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).active
        text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    else:
        text = out.read_text(encoding="utf-8-sig")
    assert "花名册.xlsx!进驻人员!D5" in text and "办件.csv!D4" in text  # csv: the first finding of each rule


def test_rows_without_an_id_column_are_named_by_their_row(tmp_path):
    with open(tmp_path / "roster.csv", "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["姓名", "进驻时间"], ["王芳", "2022-03-15"], ["李雷", "2023-01-04"]])
    hall = imported(tmp_path, {"file": "roster.csv", "into": "staff", "layout": "roster"})
    assert [p["id"] for p in hall.data["staff"]] == ["roster-2", "roster-3"]


def test_infer_says_when_it_recognises_nothing(tmp_path, capsys):
    with open(tmp_path / "minutes.csv", "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["会议名称", "参会人数"], ["例会", "12"]])
    code, out, err = _run(["import", "--infer", str(tmp_path / "minutes.csv"), "--lang", "en"], capsys)
    assert code == 2 and out == ""
    assert "minutes.csv: no header this sheet has is recognised (known layouts: roster, windows, items, cases)" in err


def test_check_import_takes_one_hall(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text(KAIFENG_BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(KAIFENG_BASE, encoding="utf-8")
    mapping(tmp_path / "map.yaml", {"file": "x.csv", "into": "staff"})
    code, _, err = _run(["check", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "--import",
                         str(tmp_path / "map.yaml"), "--lang", "en"], capsys)
    assert code == 2 and "--import: --import takes exactly one base hall file" in err


def test_a_window_list_reads_several_items_in_one_cell(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "窗口"
    for row in [["窗口编号", "窗口名称", "窗口类型", "办理事项"],
                ["W01", "综合受理", "无差别综合受理窗口", "1001、1002，1003"],
                ["W02 ", "咨询", "综合咨询窗口", "1004; 1005"]]:
        book.active.append(row)
    book.save(tmp_path / "窗口一览表.xlsx")
    hall = imported(tmp_path, {"file": "窗口一览表.xlsx", "into": "windows", "layout": "windows"})
    assert [(w["id"], w["type"], w["items"]) for w in hall.data["windows"]] == [
        ("W01", "comprehensive_acceptance", ["1001", "1002", "1003"]),
        ("W02", "comprehensive_consultation", ["1004", "1005"])]

"""The hall format as an outsider fills it in: the schemas are intact, enumerations take the
words people and the regulations write (and `{other: ...}` for the rest), declared indicators
agree with the records, and `hallcheck init` writes what the rules read.

Halls are written as a person writes them: Chinese words, full-width brackets, a value the
vocabulary lacks.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import jsonschema_specifications
import pytest
import yaml

import cli
from checker.language import ast as syntax
from checker.input import schema as schemas
from checker.ruleset.regulations import normalise_quote
from checker.paths import bundled
from helpers import KAIFENG_HALL, durable_expected

WUHAI_RULES = bundled("rules") / "wuhai-2022"
FORMAL_ESTABLISHMENT = bundled("rules") / "kaifeng-2014" / "art30-formal-establishment.yaml"
SCHEMA_NAMES = ("hall", "rule", "regulation", "report", "waivers", "examples", "pack")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def audit(capsys, tmp_path: Path, text: str, rule: str | Path, *extra) -> tuple[int, dict, str]:
    """Check the hall `text` with one rule file; the exit code, the JSON report and stderr. A
    rule left unknown is what some of these tests expect: that alone is not exit 2 here."""
    path = tmp_path / "hall.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    code, out, err = run(capsys, "check", path, "--rules", rule, "--format", "json", "--lang", "en",
                         "--allow-nothing-checked", *extra)
    return code, json.loads(out), err


def status(report: dict) -> tuple[str, list]:
    (result,) = report["halls"][0]["results"]
    return result["status"], (result.get("reason") or {}).get("params", {}).get("fields", [])


WUHAI_CENTRE = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 乌海市政务服务中心
  level: 市级
  kind: 政务服务中心
  jurisdiction: {province: 内蒙古自治区, city: 乌海市}
"""


# ------------------------------------------------------------------ the schemas are intact

def _keywords() -> set[str]:
    """Every keyword of JSON Schema draft 2020-12, read from its meta-schemas."""
    words = set()
    for vocabulary in ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content"):
        meta = jsonschema_specifications.REGISTRY.contents(f"https://json-schema.org/draft/2020-12/meta/{vocabulary}")
        words |= set(meta["properties"])
    return words


SUBSCHEMA_MAPS = ("properties", "$defs", "patternProperties", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMAS = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
              "unevaluatedItems", "unevaluatedProperties", "contentSchema")


def _schema_nodes(node, path=()):
    """(path, schema object) for the schema and every schema inside it."""
    if isinstance(node, bool):
        return
    yield path, node
    for key in SUBSCHEMA_MAPS:
        for name, child in (node.get(key) or {}).items():
            yield from _schema_nodes(child, path + (key, name))
    for key in SUBSCHEMA_LISTS:
        for index, child in enumerate(node.get(key) or ()):
            yield from _schema_nodes(child, path + (key, index))
    for key in SUBSCHEMAS:
        if isinstance(node.get(key), (dict, bool)):
            yield from _schema_nodes(node[key], path + (key,))


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_node_is_a_schema_object(name):
    document = schemas.hall_schema() if name == "hall" else schemas.named_schema(name)
    jsonschema.Draft202012Validator.check_schema(document)
    keywords = _keywords()
    broken = []
    for path, node in _schema_nodes(document):
        assert isinstance(node, dict), (path, node)
        for key, value in node.items():
            if not isinstance(key, str) or not (key in keywords or key.startswith("x-")):
                broken.append((path, key))  # a description cut at a comma becomes a stray key
            elif value is None and key not in ("const", "default"):
                broken.append((path, key, None))
            elif key in ("description", "title") and not isinstance(value, str):
                broken.append((path, key, value))
    assert broken == []


def test_a_description_with_commas_is_whole():
    adjusted_on = schemas.hall_schema()["$defs"]["item"]["properties"]["adjusted_on"]
    assert adjusted_on["description"].endswith("(guide, materials, time limits) to the catalogue.")
    assert schemas.hall_schema()["$defs"]["report"]["properties"]["period"]["description"] == \
        "The period it covers, e.g. 2021年第三季度."


# ------------------------------------------------------------------ the words people write

def test_full_width_brackets_are_the_same_word(capsys, tmp_path):
    hall = """\
        hallcheck: 1
        as_of: 2024-06-30
        hall:
          name: 海勃湾区千里山镇便民服务中心
          level: 乡镇（街道）级
          kind: 便民服务中心
          jurisdiction: {province: 内蒙古自治区, city: 乌海市, district: 海勃湾区}
        """
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-1-township-centre-name.yaml")
    assert code == 0, err
    assert status(report) == ("pass", [])
    ascii_brackets = hall.replace("乡镇（街道）级", "乡镇(街道)级")
    code, report, err = audit(capsys, tmp_path, ascii_brackets, WUHAI_RULES / "s2-1-1-township-centre-name.yaml")
    assert (code, status(report)) == (0, ("pass", []))


def test_the_regulations_own_window_terms(capsys, tmp_path):
    rule = WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml"
    for words in ("无差别综合受理窗口", "分领域综合办事窗口", "综合窗口"):
        code, report, err = audit(capsys, tmp_path, WUHAI_CENTRE + f"windows:\n  - {{id: W01, type: {words}}}\n", rule)
        assert (code, status(report)) == (0, ("pass", [])), (words, err)
    code, report, err = audit(capsys, tmp_path, WUHAI_CENTRE + "windows:\n  - {id: W01, type: 部门窗口}\n", rule)
    assert (code, status(report)[0]) == (1, "fail")


def test_common_values_are_accepted(capsys, tmp_path):
    hall = WUHAI_CENTRE + """\
  facilities: [母婴室, 老花镜, 安全疏散平面图]
windows:
  - {id: W01, type: 老年人服务窗口}
staff:
  - {id: S01, employment: 公益性岗位, window: W01}
  - {id: S02, employment: 社区工作者, window: W01}
"""
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-3-9-evacuation-plan.yaml")
    assert (code, status(report)) == (0, ("pass", [])), err


def test_public_welfare_post_is_not_a_formal_establishment(capsys, tmp_path):
    hall = KAIFENG_HALL + "staff:\n  - {id: S01, name: 王芳, employer: 市民政局, employment: 公益性岗位, stationed_from: 2023-01-01}\n"
    code, report, err = audit(capsys, tmp_path, hall, FORMAL_ESTABLISHMENT)
    assert (code, status(report)[0]) == (1, "fail")
    assert "public_welfare_post" in report["halls"][0]["results"][0]["findings"][0]["message"]


# ------------------------------------------------------------------ {other: ...}

ENGINES = ["python"] + (["durable"] if durable_expected() else [])


# (rule, a hall whose only candidate is written outside the vocabulary, the unknown's field,
#  the same hall with a listed value that decides it)
OTHER_CASES = {
    "facility": ("s2-1-3-9-evacuation-plan.yaml",
                 WUHAI_CENTRE + "  facilities: [免费打印复印, {other: 盲文阅读器}]\n", "facilities (other)",
                 WUHAI_CENTRE + "  facilities:\n    - 安全疏散平面图\n    - other: 盲文阅读器\n"),
    "window type": ("s2-1-2-3-comprehensive-window.yaml",
                    WUHAI_CENTRE + "windows:\n  - {id: W01, type: {other: 退役军人服务窗口}}\n", "type (other)",
                    WUHAI_CENTRE + "windows:\n  - {id: W01, type: {other: 退役军人服务窗口}}\n"
                    "  - {id: W02, type: 综合受理窗口}\n"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(OTHER_CASES))
def test_a_value_outside_the_vocabulary_is_neither_match_nor_non_match(capsys, tmp_path, engine, case):
    rule, other, field, decided = OTHER_CASES[case]
    code, report, err = audit(capsys, tmp_path, other, WUHAI_RULES / rule, "--engine", engine)
    assert (code, status(report)) == (0, ("unknown", [field])), err
    code, report, err = audit(capsys, tmp_path, decided, WUHAI_RULES / rule, "--engine", engine)
    assert (code, status(report)) == (0, ("pass", []))


@pytest.mark.parametrize("engine", ENGINES)
def test_an_employment_outside_the_vocabulary_is_unknown_not_a_failure(capsys, tmp_path, engine):
    hall = KAIFENG_HALL + "staff:\n  - {id: S01, employer: 市卫健委, employment: {other: 乡村医生}, stationed_from: 2023-01-01}\n"
    code, report, err = audit(capsys, tmp_path, hall, FORMAL_ESTABLISHMENT, "--engine", engine)
    assert (code, status(report)) == (0, ("unknown", ["employment (other)"])), err


def test_one_other_value_cannot_stand_for_two_missing_ones(capsys, tmp_path):
    rule = WUHAI_RULES / "s2-2-1-core-service-rules.yaml"  # 首问负责制, 一次性告知制, 限时办结制
    one_missing = WUHAI_CENTRE + "  working_rules: [首问负责制, 一次性告知制, {other: 办事不求人制度}]\n"
    code, report, err = audit(capsys, tmp_path, one_missing, rule)
    assert (code, status(report)) == (0, ("unknown", ["working_rules (other)"])), err
    two_missing = WUHAI_CENTRE + "  working_rules: [首问负责制, {other: 办事不求人制度}]\n"
    code, report, err = audit(capsys, tmp_path, two_missing, rule)
    assert (code, status(report)[0]) == (1, "fail")


def test_other_naming_a_known_word_is_that_word(capsys, tmp_path):
    hall = WUHAI_CENTRE + "  facilities: [{other: 安全疏散平面图}]\n"
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-3-9-evacuation-plan.yaml")
    assert (code, status(report)) == (0, ("pass", []))


def test_a_broken_other_form_is_located(capsys, tmp_path):
    hall = WUHAI_CENTRE + """\
windows:
  - {id: W01, type: {others: 退役军人服务窗口}}
  - {id: W02, type: {other: ""}}
  - {id: W03, type: 综合受理窗囗}
"""
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml")
    assert code == 2
    assert "hall.yaml:9:21: windows[0].type: required field 'other' is missing" in err
    assert "hall.yaml:10:29: windows[1].type.other: must not be empty" in err
    assert "hall.yaml:11:21: windows[2].type: unknown value '综合受理窗囗'; did you mean: 综合受理窗口" in err


def test_level_and_kind_take_no_other_form(capsys, tmp_path):
    hall = WUHAI_CENTRE.replace("level: 市级", "level: {other: 省级}")
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml")
    assert code == 2
    assert "hall.yaml:5:10: hall.level:" in err


# ------------------------------------------------------------------ indicators against records

ITEMS = """\
items:
  - {code: "150300-001", name: 企业设立登记, kind: 行政许可, online: true, visits_required: 0}
  - {code: "150300-002", name: 食品经营许可, kind: 行政许可, online: true, visits_required: 1}
  - {code: "150300-003", name: 社保卡申领, kind: 公共服务, online: true, visits_required: 1}
"""


def test_a_declared_share_the_items_contradict_is_reported_at_its_line(capsys, tmp_path):
    hall = WUHAI_CENTRE + ITEMS + "indicators:\n  online_item_share: 0.85\n  one_visit_share: 1.0\n"
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml")
    assert code == 2
    assert ("hall.yaml:13:22: indicators.online_item_share: declared 0.85, but the listed items give 1 (3 of 3)"
            in err)
    assert "one_visit_share" not in err


def test_a_declared_licensing_share_counts_licensing_items_only(capsys, tmp_path):
    hall = WUHAI_CENTRE + ITEMS.replace("online: true, visits_required: 1}\n  - {code: \"150300-003\"",
                                        "online: false, visits_required: 1}\n  - {code: \"150300-003\"")
    agreeing = hall + "indicators: {online_licensing_share: 0.5, online_item_share: 0.67}\n"
    code, report, err = audit(capsys, tmp_path, agreeing, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml")
    assert code in (0, 1), err
    contradicting = hall + "indicators: {online_licensing_share: 0.95}\n"
    code, report, err = audit(capsys, tmp_path, contradicting, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml",
                              "--lang", "zh")
    assert code == 2
    assert "indicators.online_licensing_share: 申报的指标为 0.95，但所列事项得出 0.5（1/2）" in err


def test_an_indicator_is_not_compared_with_items_that_do_not_say(capsys, tmp_path):
    hall = WUHAI_CENTRE + ITEMS.replace(", online: true, visits_required: 0", "") \
        + "indicators: {online_item_share: 0.85, one_visit_share: 0.4}\n"
    code, report, err = audit(capsys, tmp_path, hall, WUHAI_RULES / "s2-1-2-3-comprehensive-window.yaml")
    assert code in (0, 1), err


# ------------------------------------------------------------------ hallcheck init

def _template(capsys, tmp_path: Path, *options) -> tuple[str, dict]:
    """The template `hallcheck init` writes, and the hall it describes with every field shown
    commented out (those whose omission says something, such as stationed_until) written in."""
    path = tmp_path / "hall.yaml"
    code, out, err = run(capsys, "init", path, *options)
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    return text, yaml.safe_load(re.sub(r"^(\s*)# (\w+: .*  # 不写表示)", r"\1\2", text, flags=re.M))


def _rule_fields(rules) -> set[str]:
    """Every field a rule's conditions name, as written (hall./outer. prefixes dropped)."""
    names = set()
    for rule in rules:
        for condition in (rule.when, rule.where, rule.require):
            for node in syntax.descend(condition) if condition is not None else ():
                refs = []
                if isinstance(node, syntax.Compare):
                    subject = node.subject
                    refs = [subject] if isinstance(subject, syntax.FieldRef) else \
                        list(getattr(subject, "start", ())) + list(getattr(subject, "end", ())) + \
                        list(getattr(subject, "since", ()))
                    refs += [node.value] if isinstance(node.value, syntax.FieldRef) else []
                names |= {ref.text.removeprefix("hall.").removeprefix("outer.") for ref in refs
                          if ref.scope not in ("audit", "regulation")}
    return names


def _paths(value, prefix=()) -> set[str]:
    """Every dotted key path in the template (through the first element of each list), and
    each of its tails: a rule names a field from inside its element (display.number)."""
    found = set()
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    if isinstance(value, dict):
        for key, item in value.items():
            path = prefix + (key,)
            found |= {".".join(path[i:]) for i in range(len(path))}
            found |= _paths(item, path)
    return found


def _rules(regulation=None, level=None, kind=None):
    register, rule_set = cli._load_rule_set(None, "en")
    return register, [rule for rule in rule_set.rules if (regulation is None or rule.regulation == regulation)
                      and (level is None or level in (rule.levels or register[rule.regulation].levels))
                      and (kind is None or kind in (rule.kinds or register[rule.regulation].kinds))]


def _valid(capsys, tmp_path: Path, text: str) -> None:
    path = tmp_path / "check.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", path, "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    assert json.loads(out)["summary"]["unusable"] == 0


def test_init_writes_a_valid_hall_with_every_field_the_rules_read(capsys, tmp_path):
    text, hall = _template(capsys, tmp_path)
    _valid(capsys, tmp_path, text)
    register, rules = _rules()
    assert _rule_fields(rules) - _paths(hall) == set()


def test_init_for_one_regulation_and_level(capsys, tmp_path):
    text, hall = _template(capsys, tmp_path, "--regulation", "wuhai-2022", "--level", "township")
    _valid(capsys, tmp_path, text)
    assert (hall["hall"]["level"], hall["hall"]["kind"]) == ("乡镇级", "便民服务中心")
    assert hall["hall"]["jurisdiction"] == {"province": "内蒙古自治区", "city": "乌海市"}
    register, rules = _rules("wuhai-2022", "township")
    read = _rule_fields(rules)
    assert read - _paths(hall) == set()
    # only what those rules read: kaifeng's stationing, jining's approval spans, wuhai's county rules are not asked
    _, others = _rules()
    for field in ("stationed_from", "legal_limit_days", "licensing_section", "due_on"):
        assert field in _rule_fields(others) and field not in _paths(hall), field
    # each field's comment quotes the clause that needs it
    regulation = register["wuhai-2022"]
    quoted = re.findall(r"^\s*# (\S+): “(.*)”$", text, flags=re.M)
    assert len(quoted) > 40
    for clause, quote in quoted:
        words = normalise_quote(regulation.full_text(clause))
        for part in quote.split("…"):
            assert normalise_quote(part) in words, (clause, part)


def test_init_writes_to_standard_output_for_a_dash(capsys, tmp_path, monkeypatch):
    text, _ = _template(capsys, tmp_path, "--regulation", "jining-2018", "--level", "township")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init", "-", "--regulation", "jining-2018", "--level", "township")
    assert (code, out) == (0, text)
    assert not (tmp_path / "-").exists()


def test_init_rejects_what_the_regulation_does_not_govern(capsys, tmp_path):
    path = tmp_path / "hall.yaml"
    code, out, err = run(capsys, "init", path, "--regulation", "kaifeng-2014", "--level", "乡镇（街道）级", "--lang", "en")
    assert code == 2
    assert "--level: regulation kaifeng-2014 does not govern 乡镇（街道）级 halls (it governs: city)" in err
    code, out, err = run(capsys, "init", path, "--regulation", "wuhai-2022", "--level", "省级", "--lang", "en")
    assert code == 2 and "--level: unknown value '省级'" in err
    assert not path.exists()

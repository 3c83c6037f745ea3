"""Every sentence hallcheck says to a person, in Chinese and English.

Problems and results carry a code and parameters; this module alone turns them into words.
"""

from __future__ import annotations

import datetime as dt
import functools
import locale
import os

from ..language.operators import FLAG, OPERATORS
from .terminal import visible

LANGS = ("zh", "en")
# the items of a list a message or a report shows; the rest are counted
MAX_SHOWN_ITEMS = 100

CATALOG: dict[str, tuple[str, str]] = {
    # files and YAML
    "file.not_found": ("文件不存在", "file not found"),
    "file.is_directory": ("这是一个目录，不是文件", "this is a directory, not a file"),
    "file.unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "file.too_large": ("文件过大（{size} 字节），上限为 {limit} 字节", "file too large ({size} bytes); the limit is {limit} bytes"),
    "file.unwritable": ("无法写入报告：{reason}", "cannot write the report: {reason}"),
    "file.output_empty": ("--output 需要一个文件名", "--output needs a file name"),
    "file.output_is_input": ("报告不能写到输入文件上（{input}），否则会覆盖它；请换一个文件名",
                             "the report would overwrite an input of this run ({input}); choose another file"),
    "file.fifo_no_reader": ("这是一个命名管道（FIFO），但没有进程在读它", "this is a named pipe (FIFO) that nobody is reading"),
    "file.cannot_create": ("无法创建：{reason}", "cannot create it: {reason}"),
    "file.not_directory": ("这里已有一个文件，不是目录", "a file is here, not a directory"),
    "file.special": ("不是普通文件（设备、管道或套接字），不会读取", "not a regular file (a device, pipe or socket); not read"),
    "file.binary": ("文件含有二进制内容（NUL 字节），不是 YAML 文本", "the file has binary content (NUL bytes); it is not YAML text"),
    "file.utf16": ("文件是 UTF-16 编码；请另存为 UTF-8", "the file is UTF-16; save it as UTF-8"),
    "file.not_utf8": ("不是有效的 UTF-8 文本（字节 {byte}）；请另存为 UTF-8", "not valid UTF-8 text (byte {byte}); save it as UTF-8"),
    "file.no_yaml": ("目录中没有 .yaml 或 .yml 文件", "no .yaml or .yml files in this directory"),
    "yaml.syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}"),
    "yaml.empty": ("文档为空；需要一个映射（键: 值）", "the document is empty; a mapping (key: value) was expected"),
    "yaml.many_documents": ("一个文件只能有一个 YAML 文档，这里有 {count} 个", "one file holds one YAML document; this one has {count}"),
    "yaml.duplicate_key": ("键 “{key}” 重复（第 {first_line} 行已有）；重复的键会丢失数据", "duplicate key '{key}' (first at line {first_line}); a repeated key loses data"),
    "yaml.tag": ("不允许的 YAML 标签 {tag}", "YAML tag {tag} is not allowed"),
    "yaml.complex_key": ("键必须是简单的文字", "a key must be plain text"),
    "yaml.bad_merge": ("合并键 << 只能合并映射", "the merge key << can only merge mappings"),
    "yaml.bad_scalar": ("值 “{value}” 不是有效的 {type}", "'{value}' is not a valid {type}"),
    "yaml.number_range": ("数值 {value} 超出可用范围（绝对值不超过 {limit}，且须为有限数）", "the number {value} is out of range (a finite number up to {limit} in size)"),
    "yaml.text_too_long": ("文字过长（{length} 个字符），上限为 {limit} 个字符", "text too long ({length} characters); the limit is {limit}"),
    "yaml.recursive_alias": ("别名引用了包含它自身的节点（递归别名）", "an alias refers to a node that contains it (a recursive alias)"),
    "yaml.too_deep": ("嵌套过深（上限 {limit} 层）", "nested too deeply (limit {limit} levels)"),
    "yaml.too_many_nodes": ("文档展开后的值过多（上限 {limit}），可能是别名炸弹", "the document expands to too many values (limit {limit}); an alias bomb?"),
    # schema
    "schema.required": ("缺少必填字段 “{field}”", "required field '{field}' is missing"),
    "schema.unknown_field": ("未知字段 “{field}”{suggest_zh}", "unknown field '{field}'{suggest_en}"),
    "schema.enum": ("未知的值 “{value}”{suggest_zh}", "unknown value '{value}'{suggest_en}"),
    "schema.type": ("应为{expected_zh}，实际是{actual_zh} {value}", "expected {expected_en}, got {actual_en} {value}"),
    "schema.format": ("“{value}” 不是有效日期（应为 YYYY-MM-DD 且日期存在）", "'{value}' is not a valid date (YYYY-MM-DD, a day that exists)"),
    "schema.minimum": ("值 {value} 小于下限 {limit}", "{value} is below the minimum {limit}"),
    "schema.maximum": ("值 {value} 大于上限 {limit}", "{value} is above the maximum {limit}"),
    "schema.exclusiveMinimum": ("值 {value} 应大于 {limit}", "{value} must be more than {limit}"),
    "schema.const": ("应为 {limit}，实际是 {value}", "expected {limit}, got {value}"),
    "schema.pattern": ("{value} 的格式不符合 {limit}", "{value} does not match the pattern {limit}"),
    "schema.minLength": ("不能为空", "must not be empty"),
    "schema.other": ("{detail}", "{detail}"),
    "hall.duplicate_id": ("编号 “{id}” 重复", "id '{id}' is used twice"),
    "hall.unknown_ref": ("引用了不存在的 {target} 编号 “{id}”", "refers to {target} id '{id}', which does not exist"),
    "hall.window_mismatch": ("窗口 {window} 列出了人员 {id}，但该人员记录的窗口是 {other}", "window {window} lists staff {id}, whose own record says window {other}"),
    "hall.unknown_place": ("“{value}” 不是{parent_zh}行政区划{suggest_zh}", "'{value}' is no administrative division{parent_en}{suggest_en}"),
    "hall.indicator_contradicts": ("申报的指标为 {declared}，但所列事项得出 {derived}（{hits}/{total}）：请更正指标或列全事项",
                                   "declared {declared}, but the listed items give {derived} ({hits} of {total}): correct the indicator or list every item"),
    "hall.dates_reversed": ("结束日期 {end} 早于开始日期 {start}", "end date {end} is before start date {start}"),
    # rules
    "rule.unknown_regulation": ("法规 “{id}” 不在法规库中（已有：{known}）", "regulation '{id}' is not in the register (known: {known})"),
    "rule.unknown_clause": ("法规 {regulation} 没有条款 “{clause}”", "regulation {regulation} has no clause '{clause}'"),
    "rule.quote_not_in_clause": ("引文 “{quote}” 不在条款 {clause} 的原文中", "the quoted words '{quote}' do not appear in clause {clause}"),
    "rule.id_prefix": ("规则编号 “{id}” 应以 “{prefix}.” 开头", "rule id '{id}' must start with '{prefix}.'"),
    "rule.vague_needs_interpretation": ("引文含模糊用语（{words}），须写明 interpretation", "the quote has vague words ({words}); an interpretation is required"),
    "rule.vague_severity": ("模糊条款的规则严重程度不得高于 {limit}（现为 {severity}）", "a rule on a vague clause may not be graded above {limit} (it is {severity})"),
    "rule.outside_regulation": ("“{value}” 不在该法规的适用范围内（{governed}）", "'{value}' is outside what the regulation governs ({governed})"),
    "rule.omission_decides": ("require 中的 present 会因未填写字段 {field} 而判定不符合（或符合）；未填写应为“无法判定”：改用 recorded: true（写空值表示没有）",
                              "present in require turns an omitted {field} into a verdict; an omitted field must be unknown: use recorded: true (written empty means the hall has none)"),
    "rule.too_complex": ("条件过于复杂：{what} {count} 个，上限 {limit}", "condition too complex: {count} {what}, limit {limit}"),
    "rule.bad_placeholder": ("消息中的占位符 {{{name}}} 无法填写", "message placeholder {{{name}}} cannot be filled"),
    "rule.duplicate_id": ("规则编号 “{id}” 重复（另见 {other}）", "rule id '{id}' is used twice (also at {other})"),
    "cond.not_mapping": ("条件应为映射", "a condition must be a mapping"),
    "cond.empty_list": ("“{key}” 需要非空列表", "'{key}' needs a non-empty list"),
    "cond.extra_keys": ("条件中有多余或冲突的键：{keys}", "the condition has extra or conflicting keys: {keys}"),
    "cond.missing_key": ("“{form}” 需要 “{key}”", "'{form}' needs '{key}'"),
    "cond.no_subject": ("条件缺少比较对象（可用：{known}）", "the condition names nothing to compare (one of: {known})"),
    "cond.no_operator": ("条件缺少运算符（可用：{known}）", "the condition has no operator (one of: {known})"),
    "cond.many_operators": ("一个条件只能有一个运算符：{keys}", "one condition takes one operator: {keys}"),
    "cond.unknown_collection": ("未知的集合 “{name}”（可用：{known}）", "unknown collection '{name}' (one of: {known})"),
    "cond.bad_field": ("字段名 “{text}” 无效", "'{text}' is not a field name"),
    "cond.unknown_field": ("大厅格式中 {collection} 没有字段 “{field}”{suggest_zh}", "the hall format has no field '{field}' in {collection}{suggest_en}"),
    "cond.no_outer": ("“{field}” 只能用在 some/every/count 内部", "'{field}' can only be used inside some/every/count"),
    "cond.wrong_type": ("应为{expected_zh}字段，实际是{actual_zh}", "expected a {expected_en} field, got {actual_en}"),
    "cond.op_type": ("运算符 {op} 不能用于{type_zh}字段", "operator {op} does not apply to a {type_en} field"),
    "cond.incompatible": ("不能比较{left_zh}与{right_zh}", "cannot compare {left_en} with {right_en}"),
    "cond.literal_type": ("值 {value} 应为{expected_zh}", "the value {value} must be {expected_en}"),
    "cond.unknown_value": ("“{value}” 不是有效的 {vocab} 值{suggest_zh}", "'{value}' is not a {vocab} value{suggest_en}"),
    "cond.bad_regex": ("正则表达式无效：{detail}", "invalid regular expression: {detail}"),
    "cond.between_form": ("需要 {{from: 日期字段, to: 日期字段}}", "needs {{from: date field, to: date field}}"),
    "cond.not_periods": ("应为时段列表字段（每项含 from、to 日期），实际是{actual_zh}", "expected a list of periods (each with from and to dates), got {actual_en}"),
    "cond.periods_form": ("需要 {{of: 集合, date: 日期字段, since: 日期字段}}", "needs {{of: collection, date: date field, since: date field}}"),
    "regulation.duplicate_clause": ("条款路径重复：{paths}", "clause paths used twice: {paths}"),
    # results
    "scope.applies": ("适用：{in_force}起施行，适用于{place}的{levels}大厅；本大厅为{level}{kind}",
                      "applies: in force since {in_force}, governs {levels} halls in {place}; this hall is a {level} {kind}"),
    "audit.nothing_checked": ("未作任何检查：没有一条规则能对本大厅作出判定（均不适用或缺少数据），退出码为 2；确认无需检查时可加 --allow-nothing-checked",
                              "nothing was checked: no rule could be decided for this hall (none applies, or data is missing for all), so the exit code is 2; add --allow-nothing-checked to accept it"),
    "na.not_yet_in_force": ("法规自 {date} 起施行，审核日尚未施行", "the regulation takes effect on {date}, after the audit date"),
    "na.expired": ("法规有效期至 {date}，审核日已失效", "the regulation expired on {date}, before the audit date"),
    "na.place": ("法规适用于{place}，本大厅在{actual}", "the regulation governs {place}; this hall is in {actual}"),
    "na.level": ("规则适用于{levels}大厅，本大厅为{level}", "the rule covers {levels} halls; this hall is {level}"),
    "na.kind": ("规则适用于{kinds}，本大厅为{kind}", "the rule covers {kinds}; this hall is {kind}"),
    "na.condition": ("本大厅不满足规则的适用条件", "the hall does not meet the rule's condition of application"),
    "na.nothing_selected": ("{collection}中没有本规则所指的对象", "nothing in {collection} is what this rule speaks about"),
    "unknown.missing": ("缺少数据：{fields}", "data missing: {fields}"),
    "unknown.calendar": ("官方节假日安排尚未覆盖 {years} 年，无法计算工作日（可用 --calendar 提供该年的节假日安排通知）",
                         "the official holiday calendar does not cover {years} yet; working days cannot be counted (give that year's notice with --calendar)"),
    "error.engine": ("引擎出错：{detail}", "engine error: {detail}"),
    # a hall whose audit did not finish (checker/audit/batch.py); the other halls are still audited
    "audit.timeout": ("审核超过 {seconds} 秒未完成，已终止（可用 --timeout 放宽，或用 --engine python 重试）",
                      "the audit did not finish within {seconds} s and was stopped (raise --timeout, or retry with --engine python)"),
    "audit.crashed": ("审核进程意外终止（{how}），多半是 durable-rules 引擎出错；可用 --engine python 重试",
                      "the audit process died ({how}), most likely inside the durable-rules engine; retry with --engine python"),
    # who chose the audit date (checker/run/dates.py)
    "audit.date_from_file": ("注意：审核日 {date} 取自大厅文件自身填写的日期，即由被审核方选定；请用 --as-of 指定审核日",
                             "note: the audit date {date} is the hall file's own as_of, chosen by the audited party; give --as-of to choose it"),
    "audit.data_old": ("注意：大厅数据截至 {date}，距今 {days} 天，超过 {limit} 天（--max-data-age）",
                       "note: the hall's data is as of {date}, {days} days ago, older than {limit} days (--max-data-age)"),
    "audit.hall_date_refused": ("未审核：审核日 {date} 将取自大厅文件自身填写的日期，而本次运行要求由审核方指定（--refuse-hall-date）；请给出 --as-of",
                                "not audited: the audit date {date} would be the hall file's own as_of, and this run refuses hall-chosen dates (--refuse-hall-date); give --as-of"),
    "audit.exception": ("审核时发生内部错误：{detail}；请报告此问题", "internal error while auditing: {detail}; please report it"),
    # holiday notices a user supplies (checker/input/notices.py) and what the reports say of them
    "calendar.reversed": ("假期的最后一天 {end} 早于第一天 {start}", "the holiday's last day {end} is before its first day {start}"),
    "calendar.outside_year": ("{day} 不在 {year} 年的节假日安排范围内（应为该年或相邻年份的日期）",
                              "{day} is not part of the {year} arrangement (a day of that year or next to it was expected)"),
    "calendar.not_weekend": ("{day} 不是周六或周日；调休上班日应为周末", "{day} is not a Saturday or Sunday; a day made a working day is a weekend day"),
    "calendar.both": ("{day} 既是放假日又是上班日（另见第 {line} 行）", "{day} is both a day off and a working day (see also line {line})"),
    "calendar.duplicate_year": ("{year} 年的节假日安排已由 {other} 给出", "the {year} arrangement is already given by {other}"),
    "calendar.cited": ("节假日安排：{year} 年依据{document}（{file}），覆盖内置日历", "holiday calendar: {year} from {document} ({file}), laid over the packaged calendar"),
    "calendar.no_document": ("未注明文号的通知", "a notice without document number"),
    "result.provisional": ("暂定：计算用到 {years} 年前的年末日期，该年节假日安排尚未公布，公布后可能变动",
                           "provisional: the count reaches the end of the year before {years}, whose holiday arrangement is not published yet and may move those days"),
    # waivers (checker/run/waivers.py)
    "waiver.unknown_rule": ("没有编号为 “{rule}” 的规则{suggest_zh}", "no rule has the id '{rule}'{suggest_en}"),
    "waiver.expired": ("对 {target} 的豁免已于 {expires} 到期（审核日 {as_of}），不再适用，相关问题重新计为不符合",
                       "the waiver for {target} expired on {expires} (audit date {as_of}) and no longer applies; its findings count again"),
    "waiver.stale": ("对 {target} 的豁免没有匹配任何不符合项，可删除（或检查规则编号、大厅与对象）",
                     "the waiver for {target} matches no failure; remove it (or check its rule, hall and entity)"),
    "waiver.name_only": ("对 {target} 的豁免以名称“{hall}”指定大厅；名称可被任何文件照抄，不据此匹配。请改写为大厅文件路径或大厅代码（hall_code）",
                         "the waiver for {target} names the hall by its name '{hall}', which any file can copy, so it matches nothing; name the hall's file (hall) or its code (hall_code)"),
    "waiver.matched_by": ("（按 {identity} 匹配）", "(matched on {identity})"),
    "waiver.applied": ("已豁免：{justification}（{approved_by}，{document}，有效期至 {expires}）",
                       "waived: {justification} ({approved_by}, {document}, until {expires})"),
    "waiver.applied_many": ("已豁免：{count} 项豁免覆盖全部不符合项", "waived: {count} waivers cover every failure"),
    # baselines (checker/run/baseline.py)
    "baseline.not_report": ("不是 hallcheck 的 JSON 报告：{detail}", "not a hallcheck JSON report: {detail}"),
    "merge.not_report": ("不是 hallcheck 报告的一部分：{detail}", "not a part of a hallcheck report: {detail}"),
    "cli.bad_shard": ("--shard 应写作 K/N（1 ≤ K ≤ N），而不是“{value}”", "--shard takes K/N (1 <= K <= N), not '{value}'"),
    "executor.no_dask": ("分布式执行（--executor）需要先安装可选组件：{command}",
                         "--executor dask needs the dask extra: {command}"),
    "store.unusable": ("无法使用审核历史库：{reason}", "the audit history cannot be used: {reason}"),
    "history.unknown_hall": ("审核历史中没有文件或名称为“{hall}”的大厅", "the audit history has no hall whose file or name is '{hall}'"),
    "cli.needs_baseline": ("--fail-on-new 需要同时给出 --baseline", "--fail-on-new needs --baseline"),
    "engine.unavailable": ("无法使用 {engine} 引擎：{reason}", "the {engine} engine is unavailable: {reason}"),
    "cli.bad_date": ("“{value}” 不是有效日期（YYYY-MM-DD）", "'{value}' is not a valid date (YYYY-MM-DD)"),
    "cli.unknown_rule": ("没有编号为 “{id}” 的规则", "no rule has the id '{id}'"),
    "cli.unknown_regulation": ("没有编号为 “{id}” 的法规", "no regulation has the id '{id}'"),
    "cli.binary_to_terminal": ("{format} 报告是二进制文件，不能输出到终端；请用 --output 指定文件",
                               "a {format} report is a binary file and is not written to a terminal; give --output FILE"),
    "cli.wrote": ("已写入 {path}（{what}）", "wrote {path} ({what})"),
    "cli.wrote_what": ("{halls} 个大厅，不符合 {failures} 项", "{halls} hall(s), {failures} failure(s)"),
    "cli.wrote_file": ("已写入 {path}", "wrote {path}"),
    "cli.auditing": ("审核", "auditing"),
    "lint.problems": ("{problems} 个问题，涉及 {files} 个文件（检查了 {rules} 条规则）",
                      "{problems} problem(s) in {files} file(s) ({rules} rule(s) checked)"),
    "lint.clean": ("没有问题：{rules} 条规则，{examples} 个示例文件", "no problems: {rules} rule(s), {examples} example file(s)"),
    "ruletest.summary": ("{rules} 条规则，{cases} 个用例：通过 {passed}，未通过 {failed}（涉及 {rules_failed} 条规则）",
                         "{rules} rule(s), {cases} case(s): {passed} passed, {failed} failed (in {rules_failed} rule(s))"),
    "pdf.no_browser": ("生成 PDF 需要 Chromium 浏览器，未找到（已查找：{names}；可用环境变量 HALLCHECK_CHROMIUM 指定）",
                       "printing a PDF needs the Chromium browser, which was not found (looked for: {names}; HALLCHECK_CHROMIUM names one)"),
    "pdf.failed": ("Chromium 未能生成 PDF：{detail}", "Chromium did not print the PDF: {detail}"),
    "cli.level_not_governed": ("法规 {regulation} 不管辖 {value} 级大厅（管辖：{known}）", "regulation {regulation} does not govern {value} halls (it governs: {known})"),
    "cli.kind_not_governed": ("法规 {regulation} 不管辖 {value} 类大厅（管辖：{known}）", "regulation {regulation} does not govern halls of kind {value} (it governs: {known})"),
    # importing ledgers (hallcheck import, check --import)
    "import.not_table": ("不是可导入的表格文件；可导入：{suffixes}", "not a ledger hallcheck can import; it reads {suffixes}"),
    "import.unreadable": ("无法读取表格：{reason}", "cannot read the spreadsheet: {reason}"),
    "import.encoding": ("CSV 文件既不是 UTF-8 也不是 GB18030/GBK 编码；请另存为 UTF-8", "the CSV file is neither UTF-8 nor GB18030/GBK; save it as UTF-8"),
    "import.no_sheet": ("没有名为 “{sheet}” 的工作表；有：{sheets}", "no sheet named '{sheet}'; the sheets are: {sheets}"),
    "import.no_header": ("前 {rows} 行中找不到表头（应有 {headers} 之一）", "no header row in the first {rows} rows (expected one of {headers})"),
    "import.no_column": ("第 {row} 行表头中没有字段 {field} 的列（应为 {headers} 之一）", "the header row {row} has no column for {field} (expected one of {headers})"),
    "import.unknown_field": ("{into} 没有字段 “{field}”{suggest_zh}", "{into} has no field '{field}'{suggest_en}"),
    "import.layout_into": ("格式 {layout} 只能导入 {into}", "layout {layout} fills {into}, not this collection"),
    "import.bad_date": ("“{header}” 列的 “{value}” 不是日期；应为 2023-05-08、2023年5月8日、2023.5.8 或日期单元格", "'{value}' under {header} is not a date; expected 2023-05-08, 2023年5月8日, 2023.5.8 or a date cell"),
    "import.bad_number": ("“{header}” 列的 “{value}” 不是数字", "'{value}' under {header} is not a number"),
    "import.bad_boolean": ("“{header}” 列的 “{value}” 不是是/否；应为 是、否、√、× 之一", "'{value}' under {header} is not a yes or no; expected 是, 否, √ or ×"),
    "import.bad_enum": ("“{header}” 列的 “{value}” 不是可用的值{suggest_zh}", "'{value}' under {header} is not one of the values this field takes{suggest_en}"),
    "import.blank_key": ("“{header}” 列为空；每行都需要 {field}", "the {header} cell is blank; every row needs its {field}"),
    "import.unknown_window": ("大厅中没有窗口 {id}", "the hall has no window {id}"),
    "import.refused": ("{count} 行未能导入（见上）；改正后重新导入", "{count} row(s) refused (see above); correct them and import again"),
    "import.nothing_recognised": ("表头中没有可识别的列（已知格式：{layouts}）", "no header this sheet has is recognised (known layouts: {layouts})"),
    "import.inferred": ("按{layout_zh}（{layout}）识别第 {row} 行表头：{fields}", "read as a {layout_en} ({layout}) with headers in row {row}: {fields}"),
    "import.needs_map": ("需要映射文件和 --base 大厅文件，或 --infer 表格文件", "give a mapping file and --base HALL.yaml, or --infer LEDGER"),
    "import.one_hall": ("--import 只能与一个大厅文件一起使用", "--import takes exactly one base hall file"),
    "cli.exists": ("文件已存在，不会覆盖：{path}", "the file exists and will not be overwritten: {path}"),
    # the configuration file (.hallcheck.yaml, [tool.hallcheck] in pyproject.toml)
    "config.toml": ("TOML 语法错误：{detail}", "TOML syntax error: {detail}"),
    "config.file": ("配置文件：{file}", "configuration file: {file}"),
    "config.none": ("没有配置文件（从当前目录向上查找 .hallcheck.yaml，或 pyproject.toml 中的 [tool.hallcheck]）",
                    "no configuration file (looked for .hallcheck.yaml, or [tool.hallcheck] in pyproject.toml, from here up)"),
    "config.default": ("默认值", "default"),
    "config.builtin": ("内置规则", "the bundled rules"),
    "config.locale": ("系统区域设置", "the locale"),
    "cli.bad_slug": ("“{slug}” 不能用作规则编号的末段（小写字母、数字和连字符）", "'{slug}' cannot end a rule id (lower-case letters, digits and hyphens)"),
    # rule authoring: examples, lint, packs
    "examples.missing": ("规则 {rule} 没有示例：应有 {expected}", "rule {rule} has no examples: expected {expected}"),
    "examples.no_cases": ("示例文件中没有用例（cases）", "the example file has no cases"),
    "examples.no_pass": ("规则 {rule} 的示例中没有 expect: pass 的用例", "rule {rule} has no example case that expects pass"),
    "examples.no_fail": ("规则 {rule} 的示例中没有 expect: fail 的用例", "rule {rule} has no example case that expects fail"),
    "examples.orphan": ("示例文件旁没有对应的规则文件（应为 {expected}）", "no rule file beside this example file (expected {expected})"),
    "examples.wrong_rule": ("示例文件写明的规则 “{rule}” 不是 {expected}", "the example file names rule '{rule}', not {expected}"),
    "examples.unknown_rule": ("示例文件写明的规则 “{rule}” 不存在{suggest_zh}", "the example file names rule '{rule}', which does not exist{suggest_en}"),
    "examples.needs_rule": ("tests/ 目录中的示例文件须用 rule: 写明所测规则的编号", "an example file in tests/ must name its rule with rule: ID"),
    "lint.never_applies": ("适用条件（applies_to.when）永远不可能成立：规则永远不适用", "the condition of application (applies_to.when) can never hold: the rule never applies"),
    "lint.never_selects": ("where 条件永远不可能成立：规则不会选中任何对象", "the where condition can never hold: the rule never selects anything"),
    "lint.never_passes": ("require 条件永远不可能成立：规则永远不会通过", "the require condition can never hold: the rule can never pass"),
    "lint.todo": ("还有待填写的 TODO", "a TODO is left to fill in"),
    "lint.threshold_not_in_text": ("引文中没有数值 {value}：条款未给出的数值须写明 interpretation（解读），并相应定级",
                                   "the quoted words do not give {value}: a number the clause does not give needs an interpretation, and is graded accordingly"),
    "lint.mandatory_minor": ("引文含强制性用语（{words}），定为 {severity} 须写明 severity_reason",
                             "the quote has mandatory words ({words}); grading it {severity} needs a severity_reason"),
    "lint.exhortation_major": ("引文为倡导性用语（{words}），定为 {severity} 须写明 severity_reason",
                               "the quote only urges ({words}); grading it {severity} needs a severity_reason"),
    "pack.extends_absolute": ("extends 须为内置规则或相对于本规则包的路径，不能是绝对路径 {path}",
                              "extends takes builtin or a path relative to this pack, not the absolute path {path}"),
    "pack.link_outside": ("符号链接指向规则包目录之外，不予读取", "a symbolic link out of the pack's directory; not read"),
    "pack.unknown_rule": ("规则包中没有编号为 “{rule}” 的规则{suggest_zh}", "no rule '{rule}' in the pack or what it extends{suggest_en}"),
    "pack.already_disabled": ("规则 “{rule}” 已被 {pack} 停用", "rule '{rule}' was already disabled by {pack}"),
    "pack.no_change": ("覆盖项须写 severity、set 或 disabled: true 之一", "an override needs severity, set or disabled: true"),
    "pack.disabled_and_changed": ("停用的规则不能同时修改", "a disabled rule cannot also be changed"),
    "pack.bad_path": ("路径 “{path}” 在规则 {rule} 中不存在（在 {at} 处中断）", "the path '{path}' does not exist in rule {rule} (it stops at {at})"),
    "pack.not_literal": ("路径 “{path}” 指向的不是条件中比较的取值；只能修改 require、where、applies_to 中运算符后的字面值", "'{path}' is not a literal a condition compares with; only the value after an operator in require, where or applies_to can be changed"),
    "pack.literal_kind": ("新值 {value} 应为{expected_zh}，与原值 {before} 同类", "the new value {value} must be {expected_en}, like the value it replaces ({before})"),
    "pack.cycle": ("规则包的继承出现循环：{chain}", "the packs extend each other in a circle: {chain}"),
    "pack.extends_not_found": ("继承的规则包不存在：{path}", "the pack it extends does not exist: {path}"),
    "rule.warning_file": ("预警规则（kind: warning）须写在单独的 *{suffix} 文件中", "a warning rule (kind: warning) is written in a file of its own, *{suffix}"),
    # hallcheck watch: case events, warning rules, transitions, the summary
    "watch.bad_json": ("不是有效的 JSON：{detail}", "not valid JSON: {detail}"),
    "watch.not_object": ("每行应为一个 JSON 对象（{{\"event\": ..., \"case\": ..., \"on\": ...}}）", "each line must be one JSON object ({{\"event\": ..., \"case\": ..., \"on\": ...}})"),
    "watch.unknown_field": ("未知字段 “{field}”{suggest_zh}", "unknown field '{field}'{suggest_en}"),
    "watch.unknown_event": ("未知的事件 “{value}”{suggest_zh}；可用：{known}", "unknown event '{value}'{suggest_en}; the events are: {known}"),
    "watch.bad_text": ("{value} 应为非空文字（不超过 200 个字符）", "{value} must be non-empty text (up to 200 characters)"),
    "watch.bad_date": ("“{value}” 不是日期（应为 2024-09-27 或 2024-09-27T10:03:00）", "'{value}' is not a date (2024-09-27, or 2024-09-27T10:03:00)"),
    "watch.bad_limit": ("承诺时限 {value} 应为 0 到 {max} 之间的整数（天数，单位见 unit，默认工作日）", "the promised limit {value} must be a whole number of days from 0 to {max} (in its unit, working days unless unit says otherwise)"),
    "watch.bad_unit": ("时限单位 {value} 无法识别；可用：{known}", "unknown unit {value} for the limit; known: {known}"),
    "watch.unit_without_limit": ("unit 是本事件所写承诺时限的计量单位，事件未写承诺时限时不写 unit（事项的单位取自大厅文件的 limit_unit）", "unit is the unit of this event's limit; leave it out without limit (an item's unit comes from its limit_unit in the hall file)"),
    "watch.bad_rating": ("评价 “{value}” 不是好差评的五个等级之一：{known}", "the rating '{value}' is not one of the five grades: {known}"),
    "watch.not_for_event": ("字段 “{field}” 不用于 {event} 事件", "the field '{field}' does not belong to a {event} event"),
    "watch.case_exists": ("办件 {case} 已于 {since} 受理，不能再次受理", "case {case} was already accepted on {since}"),
    "watch.no_limit": ("办件 {case} 没有承诺时限：事件未给出承诺时限，大厅文件（--hall）中事项 {item} 也没有按工作日计的承诺时限",
                       "case {case} has no promised limit: the event gives no limit, and the hall file (--hall) has no promised_limit_days in working days for item {item}"),
    "watch.unknown_case": ("办件 {case} 未曾受理（{event} 之前应有受理事件）", "case {case} was never accepted (an accepted event must come before {event})"),
    "watch.case_closed": ("办件 {case} 已于 {closed} 办结，不能再有 {event}", "case {case} was completed on {closed}; no {event} can follow"),
    "watch.already_stopped": ("办件 {case} 自 {since} 起在补正或挂起中，{event} 之前应先恢复办理", "case {case} has been waiting since {since} (corrections or suspension); it must be resumed before {event}"),
    "watch.not_stopped": ("办件 {case} 未在补正或挂起中，不能恢复办理", "case {case} is not waiting (corrections or suspension), so it cannot be resumed"),
    "watch.before": ("{event} 的日期早于 {day}", "{event} is dated before {day}"),
    "watch.complaint_exists": ("办件 {case} 的投诉 {complaint} 已收到过", "complaint {complaint} on case {case} was already received"),
    "watch.no_open_complaint": ("办件 {case} 没有未答复的投诉 {complaint}", "case {case} has no open complaint {complaint}"),
    "watch.other_regulation": ("存储中名为 “{name}” 的监察按 {regulation} 运行，不能改按 {given}；请用 --name 另起一个",
                               "the watcher named '{name}' in this store runs {regulation}, not {given}; give another --name"),
    "watch.no_rules": ("法规 {regulation} 没有预警规则（*.warning.yaml）；有预警规则的法规：{known}",
                       "regulation {regulation} has no warning rules (*.warning.yaml); those with warning rules: {known}"),
    "watch.not_reached": ("法规 {regulation} 的预警规则不适用于层级为 {level}、类型为 {kind} 的大厅", "no warning rule of {regulation} reaches a hall of level {level} and kind {kind}"),
    "watch.needs_level": ("预警规则 {rule} 只适用于层级为 {values} 的大厅，未给出大厅时无从判断：请用 --hall 给出大厅文件，或用 --level 说明大厅层级", "warning rule {rule} applies only to halls of level {values}, which cannot be told without a hall: give the hall file with --hall, or its level with --level"),
    "watch.needs_kind": ("预警规则 {rule} 只适用于类型为 {values} 的大厅，未给出大厅时无从判断：请用 --hall 给出大厅文件，或用 --kind 说明大厅类型", "warning rule {rule} applies only to halls of kind {values}, which cannot be told without a hall: give the hall file with --hall, or its kind with --kind"),
    "watch.level_conflict": ("{value} 与大厅文件所写的 {hall} 不一致", "{value} disagrees with the hall file, which says {hall}"),
    "watch.needs_regulation": ("请用 --regulation 指定按哪部法规预警（有预警规则的：{known}）", "give --regulation: the regulation whose warning rules to run (those with warning rules: {known})"),
    "watch.calendar_gap": ("官方日历缺少 {year} 年，无法计算工作日；请用 --calendar 提供该年的放假通知", "the official calendar for {year} is not known, so working days cannot be counted; give that year's notice with --calendar"),
    "watch.not_warning": ("这是一个检查规则，不是预警规则：预警规则须写 kind: warning", "this is a check rule, not a warning rule: a warning rule says kind: warning"),
    "watch.complaint_modes": ("投诉不分办理类型：modes、mode_unknown 只用于办件的预警规则", "complaints have no handling mode: modes and mode_unknown are for case warning rules"),
    "watch.unit_needs_limit": ("unit 是 limit_days 的计量单位，没有 limit_days 时不写", "unit is the unit of limit_days; leave it out without limit_days"),
    "watch.mode_unknown_reading": ("对未注明办理类型的办件计时可能超出条文所指，应在 interpretation 中说明这样读的理由", "timing cases whose mode is not known may reach beyond the clause: say why it is read so in an interpretation"),
    "watch.no_when": ("预警规则按大厅的层级、类型适用，不支持 applies_to.when", "a warning rule applies by the hall's level and kind; applies_to.when is not supported"),
    "watch.two_rules": ("法规 {regulation} 已有计时对象为 {times} 的预警规则 {other}（两条办件规则的办理类型不得重叠）", "regulation {regulation} already has a {times} warning rule, {other} (two case rules must time different handling modes)"),
    "watch.example_mismatch": ("示例 “{title}” 应得到 {expected}，实际得到 {actual}", "example '{title}' should give {expected}, but gives {actual}"),
    "watch.example_needs": ("预警规则的示例中应有一个产生预警、一个不产生预警的用例", "a warning rule's examples need one that warns and one that does not"),
    "watch.replay_and_file": ("事件文件、--replay 与 --import 只能给一个", "give one of an event file, --replay FILE and --import MAP"),
    "watch.import_needs_hall": ("--import 需要用 --hall 给出大厅文件（导入的办件并入其中）", "--import needs --hall: the hall file the imported cases are merged into"),
    "watch.summary_title": ("办件预警汇总（{regulation}，截至 {day}；天数均为工作日）",
                            "Case warnings ({regulation}, as of {day}; days are working days)"),
    "watch.live_title": ("在办件（{regulation}，{day}）：红 {red}，黄 {yellow}，绿 {green}；已办结 {completed}",
                         "Open cases ({regulation}, {day}): red {red}, yellow {yellow}, green {green}; completed {completed}"),
    "watch.live_more": ("……另有 {count} 件", "... and {count} more"),
    "watch.column.department": ("部门", "department"),
    "watch.column.green": ("绿", "green"), "watch.column.yellow": ("黄", "yellow"), "watch.column.red": ("红", "red"),
    "watch.column.completed": ("已办结", "done"), "watch.column.completed_late": ("逾期办结", "done late"),
    "watch.column.overdue": ("逾期", "overdue"),
    "watch.column.average": ("平均用时/承诺", "mean used / promised"),
    "watch.column.case": ("办件", "case"), "watch.column.item": ("事项", "item"),
    "watch.column.used": ("已用/承诺", "used / limit"), "watch.column.remaining": ("剩余", "remaining"),
    "watch.column.colour": ("灯", "light"),
    "watch.total": ("合计", "total"),
    "watch.no_department": ("（未注明部门）", "(no department)"),
    "watch.colour.green": ("绿", "green"), "watch.colour.yellow": ("黄", "yellow"), "watch.colour.red": ("红", "red"),
    "watch.complaints_line": ("投诉：收到 {received}，未答复 {open}（其中逾期 {open_red}），逾期答复 {answered_late}",
                              "complaints: {received} received, {open} open ({open_red} overdue), {answered_late} answered late"),
    "watch.ratings_line": ("好差评：评价 {rated} 件，其中不满意 {dissatisfied} 件", "ratings: {rated} cases rated, {dissatisfied} dissatisfied"),
    "watch.transitions_line": ("本次预警：{counts}（引擎 {engine}）", "warnings this run: {counts} (engine {engine})"),
    "watch.transition.green_to_yellow": ("绿→黄", "green→yellow"), "watch.transition.green_to_red": ("绿→红", "green→red"),
    "watch.transition.yellow_to_red": ("黄→红", "yellow→red"), "watch.transition.completed_late": ("逾期办结", "completed late"),
    "watch.transition.completed_on_time_after_warning": ("预警后按时办结", "completed in time after a warning"),
    "watch.transition.answered_late": ("投诉逾期答复", "complaint answered late"),
    "watch.transition.answered_on_time_after_warning": ("预警后按时答复投诉", "complaint answered in time after a warning"),
    "watch.transition_line": ("{on} {subject} {case}（{department}）{change}：已用 {used} {unit}，承诺 {limit} {unit} [{clause}]",
                              "{on} {subject} {case} ({department}) {change}: {used} of {limit} {unit} used [{clause}]"),
    "watch.unit.working_days": ("个工作日", "working days"), "watch.unit.calendar_days": ("日", "calendar days"),
    "watch.subject.case": ("办件", "case"), "watch.subject.complaint": ("投诉", "complaint on case"),
}

WORDS = {
    "object": ("映射", "a mapping"), "array": ("列表", "a list"), "string": ("文字", "text"),
    "number": ("数字", "a number"), "integer": ("整数", "a whole number"), "boolean": ("true/false", "true/false"),
    "null": ("空值", "null"), "date": ("日期", "a date"), "enum": ("枚举", "an enumeration"), "list": ("列表", "a list"),
    "value": ("值", "a value"), "period": ("时段", "a period"),
    # what leaving a field out says (the hall schema's x-absent)
    "still stationed": ("仍在窗口工作", "still stationed"), "still open": ("尚未办结", "still open"),
    "not yet answered": ("尚未答复", "not yet answered"),
}

# an operator's words come with it (checker/language/operators.py); a quantifier "holds"
OPS = {op.name: op.words for op in OPERATORS.values() if op.in_rules} | {"holds": ("成立", "holds")}

STATUS = {
    "pass": ("通过", "pass"), "fail": ("不符合", "fail"), "not_applicable": ("不适用", "not applicable"),
    "unknown": ("无法判定", "unknown"), "waived": ("已豁免", "waived"), "error": ("出错", "error"),
}
SEVERITY = {"critical": ("严重", "critical"), "major": ("重要", "major"), "minor": ("一般", "minor"), "info": ("提示", "info")}

# what the entities of a hall are called: a finding names its entity by kind, then its own label
ENTITY_KINDS = {
    "hall": ("大厅", "hall"), "windows": ("窗口", "window"), "staff": ("人员", "staff"), "items": ("事项", "item"),
    "meetings": ("会议", "meeting"), "assessments": ("考核", "assessment"), "policies": ("制度文件", "policy"),
    "cases": ("办件", "case"), "systems": ("信息系统", "system"), "complaints": ("投诉", "complaint"),
    "reports": ("报告", "report"), "departments": ("部门", "department"), "indicators": ("指标", "indicator"),
}
# message parameters that hold enumeration ids: a Chinese message names them in Chinese
PARAM_VOCABS = {"level": "level", "levels": "level", "kind": "hall_kind", "kinds": "hall_kind"}


def default_lang() -> str:
    """zh where the locale is Chinese, en elsewhere; HALLCHECK_LANG overrides."""
    chosen = os.environ.get("HALLCHECK_LANG")
    if chosen in LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh" if code.lower().startswith("zh") else "en"


def pick(pair, lang: str) -> str:
    """The `lang` one of a (zh, en) pair or a {zh:, en:} mapping."""
    if isinstance(pair, dict):
        return pair.get(lang) or pair.get("en") or ""
    return pair[0] if lang == "zh" else pair[1]


def word(key: str, lang: str) -> str:
    return pick(WORDS.get(key, (key, key)), lang)


def show(value, lang: str = "en") -> str:
    """A value as a person reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        words = [show(v, lang) for v in value[:MAX_SHOWN_ITEMS]]
        if len(value) > MAX_SHOWN_ITEMS:  # shown on every row of a report: its size must stay linear
            words.append(f"…(+{len(value) - MAX_SHOWN_ITEMS})")
        return "、".join(words) if lang == "zh" else ", ".join(words)
    if hasattr(value, "vocab") and lang == "zh":  # an EnumValue: its first Chinese word
        from ..input.schema import vocabulary
        return (vocabulary()[value.vocab].get(value.value) or [value.value])[0]
    if isinstance(value, dict) and "from" in value:  # a period: 施工许可 2024-05-06–2024-05-10
        end = show(value.get("to"), lang) if value.get("to") else ("至今" if lang == "zh" else "running")
        return " ".join(filter(None, [str(value.get("stage") or ""), f"{show(value['from'], lang)}–{end}"]))
    if hasattr(value, "half"):  # a HalfYear
        return f"{value.year}年{'上' if value.half == 1 else '下'}半年" if lang == "zh" else f"{value.year} H{value.half}"
    return visible(str(value))  # a name from a hall file: its control characters shown, not obeyed


def entity_kind(entity: str, lang: str) -> str:
    """staff[2] -> 人员 / staff: what kind of thing an entity path points at."""
    collection = entity.split("[", 1)[0].split(".", 1)[0]
    return pick(ENTITY_KINDS.get(collection, (collection, collection)), lang)


def entity_words(entity: str, label: str, lang: str) -> str:
    """人员 S02 王芳 / staff S02 王芳: an entity as a person names it (a hall by its name alone)."""
    collection = entity.split("[", 1)[0].split(".", 1)[0]
    label = show_label(label, lang, collection)
    if entity == "hall":
        return label
    return f"{entity_kind(entity, lang)} {label}".strip()


def show_label(label: str, lang: str, collection: str | None = None) -> str:
    """An entity's label with the enumeration ids in it (a case's kind) in Chinese words: the
    vocabulary of the collection's `kind` first, then any id that means one thing everywhere."""
    if lang != "zh" or not label:
        return label
    names = dict(_vocabulary_words())
    names.update(_kind_words(collection))
    return " ".join(names.get(part, part) for part in label.split(" "))


@functools.lru_cache(maxsize=None)
def _kind_words(collection: str | None) -> dict[str, str]:
    from ..input.schema import COLLECTIONS, field_spec, vocabulary
    if collection not in COLLECTIONS or collection == "hall":
        return {}
    spec = field_spec(collection, "kind")
    if spec is None or not spec.vocab:
        return {}
    return {value: aliases[0] for value, aliases in vocabulary()[spec.vocab].items() if aliases}


@functools.lru_cache(maxsize=1)
def _vocabulary_words() -> dict[str, str]:
    """Every enumeration id that means one thing in every vocabulary -> its first Chinese word."""
    from ..input.schema import vocabulary
    out: dict[str, str] = {}
    ambiguous = set()
    for values in vocabulary().values():
        for value, aliases in values.items():
            if aliases and out.setdefault(value, aliases[0]) != aliases[0]:
                ambiguous.add(value)
    return {key: word for key, word in out.items() if key not in ambiguous}


def _param_value(key: str, value, lang: str) -> str:
    if lang == "zh" and key in PARAM_VOCABS and value is not None:
        vocab = PARAM_VOCABS[key]
        if isinstance(value, (list, tuple)):
            return show([_as_enum(v, vocab) for v in value], lang)
        return show(_as_enum(value, vocab), lang)
    if key == "collection" and isinstance(value, str):
        return pick(ENTITY_KINDS.get(value, (value, value)), lang)
    if key == "fields" and isinstance(value, (list, tuple)):  # a whole list missing: named as a reader says it
        names = [pick(ENTITY_KINDS[v], lang) if v in ENTITY_KINDS else show(v, lang) for v in value]
        return ("、 " if lang == "zh" else ", ").join(names)  # a space: a narrow column wraps between ids, not inside one
    return show(value, lang)


def _as_enum(value, vocab: str):
    from ..audit.results import EnumValue
    return value if hasattr(value, "vocab") else EnumValue(vocab, str(value))


def render(code: str, params: dict, lang: str) -> str:
    template = pick(CATALOG.get(code, (code, code)), lang)
    values = {key: _param_value(key, value, lang) for key, value in params.items()}
    for key in ("expected", "actual", "type", "left", "right"):
        if key in params:
            values[f"{key}_zh"] = word(str(params[key]), "zh")
            values[f"{key}_en"] = word(str(params[key]), "en")
    suggest = params.get("suggest") or []
    values["suggest_zh"] = f"；是否要写：{'、'.join(map(str, suggest))}" if suggest else ""
    values["suggest_en"] = f"; did you mean: {', '.join(map(str, suggest))}" if suggest else ""
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return f"{template} {params}"


def expectation(op: str, expected, lang: str) -> str:
    meaning = OPERATORS.get(op)
    if meaning is not None and meaning.operand == FLAG:  # present / recorded: true or false
        return pick(meaning.words if expected else meaning.words_false, lang)
    return f"{pick(OPS.get(op, (op, op)), lang)} {show(expected, lang)}"


def problem_line(problem, lang: str) -> str:
    """FILE:LINE:COL: path: what was expected."""
    loc = problem.location
    where = f"{loc}: {loc.path}: " if loc.path else f"{loc}: "
    return visible(where) + render(problem.code, problem.params, lang)

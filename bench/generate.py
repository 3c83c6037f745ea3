"""Realistic synthetic hall descriptions for benchmarks and property tests.

    python bench/generate.py OUTDIR --halls N --seed S

writes OUTDIR/hall-00000.yaml ... OUTDIR/hall-{N-1}.yaml, every one valid against the hall
schema (`hallcheck schema hall`). The output is a pure function of (seed, index): hall i is the
same file whether 10 or 10,000 are generated, so a small set is a prefix of a large one.

What the halls look like
------------------------
The places and kinds are those of the five regulations in regulations/:

    kaifeng   河南省/开封市                 city     civic_centre         (开封市民之家)
    dongying  山东省/东营市                 city     department_hall      (市直部门服务大厅)
    longgang  辽宁省/葫芦岛市/龙港区        county   branch_centre        (区行政服务中心分中心)
    jining    山东省/济宁市                 county   comprehensive_centre, township
                                                     convenience_centre, village convenience_station
    wuhai     内蒙古自治区/乌海市           every level, comprehensive_centre / branch_centre /
                                                     convenience_centre / convenience_station

Sizes follow what the regulations describe: a city centre has about 100 windows, 300 staff
records (people stationed now and people who have left), 1,000 catalogue items and years of
dated records (meetings, assessments, policies, cases); a county centre about 45 windows; a
township centre 8; a village station 2 (each figure varies ±25 % from hall to hall). Floor areas
follow jining-2018 art7 (county 2万 m², township 1,000 m², village 50 m²), mostly met and
sometimes not. A small share of every kind of record breaks a rule or leaves a field out, so an
audit finds failures and unknowns as well as passes.

Halls come in decks of 20: hall 0 of every deck is the kaifeng city centre (the largest file,
so a one-hall run measures the worst case), then, shuffled: 1 wuhai city centre, 2 dongying
department halls, 2 longgang branch centres, 2 jining and 2 wuhai county centres, 1 wuhai county
branch centre, 3 jining and 2 wuhai township centres, 2 jining and 2 wuhai village stations.

About half the files write enumerations with their Chinese words (`level: 市级`,
`type: 综合受理窗口`), the other half with the English ids (`level: city`).

Building blocks
---------------
`hall_document(rng, profile, scale=1.0)` returns one hall as plain data (dates as
`datetime.date`), `dump(document)` its YAML text, `PROFILES` the profiles by name.
`compliant_hall_document(rng, profile)` returns a small hall of the profile that does everything
the bundled rules ask, a quarter of them opened less than a year before the audit
(tests/test_no_contradiction.py: no rule fails it, so no two rules contradict each other). `rng` only
needs the methods of `random.Random` (a hypothesis `randoms()` works, which is how
tests/test_properties.py uses them); `scale` shrinks every collection (0.02 gives a small hall).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = yaml.safe_load((ROOT / "checker" / "vocabulary.yaml").read_text(encoding="utf-8"))

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Dumper = yaml.SafeDumper

DAY = dt.timedelta(days=1)

# The enumeration values drawn from (canonical ids). They are fixed here rather than read from
# vocabulary.yaml, so that a value added to the vocabulary does not change every generated hall;
# the Chinese words for them are read from vocabulary.yaml.
ZONES = ["window_service", "back_office_approval", "consultation", "self_service", "online_self_service",
         "self_service_24h", "information_disclosure", "business_service", "administrative_office", "convenience",
         "unified_issuance", "waiting", "enterprise_service", "other"]
FACILITIES = ["free_printing_copying", "rest_area", "drinking_water", "charging", "accessibility", "first_aid",
              "wheelchair", "stroller", "umbrella", "reading_glasses", "queue_machine", "evaluation_device",
              "suggestion_box", "self_service_terminal", "guide_screen", "evacuation_plan"]
SYSTEMS = ["video_monitoring", "electronic_attendance", "electronic_supervision", "queue_calling", "evaluation",
           "online_service_platform", "single_window_acceptance", "self_built"]
WORKING_RULES = ["first_inquiry_responsibility", "one_time_notification", "time_limited_completion",
                 "service_commitment", "ab_post", "complaint_management", "good_bad_review", "absence_accountability",
                 "accountability", "open_disclosure", "leave_management", "attendance", "joint_meeting",
                 "staff_entry_exit", "assessment_rewards", "warning_red_yellow_green"]
SERVICE_MODES = ["appointment", "extended_hours", "weekend_service", "door_to_door", "postal_delivery", "online",
                 "proxy", "priority_special_groups", "cross_region", "one_certificate", "self_service_24h"]
SUPERVISION_CHANNELS = ["evaluation_device", "suggestion_box", "supervision_platform", "hotline", "online_evaluation",
                        "third_party_evaluation", "electronic_supervision"]
HANDLING_MODES = ["immediate", "committed", "joint", "reported", "urgent"]
GUIDE_FIELDS = ["basis", "conditions", "materials", "procedure", "time_limit", "fee", "sample_forms", "location",
                "contact", "complaint_channel", "result"]
ASSESSMENT_KINDS = ["inspection", "assessment", "staff_appraisal", "red_flag_window", "third_party", "other"]
POLICY_CHANNELS = ["government_website", "government_gazette", "new_media", "hall_display"]


# ------------------------------------------------------------------ places and profiles

@dataclass(frozen=True)
class Profile:
    name: str
    place: str
    level: str
    kind: str
    windows: int
    staff_per_window: float
    items: int
    cases: int
    area: tuple  # (low, high) m²; a few halls fall below the regulation's figure
    record_years: int  # how many years of meetings, assessments and policies


PROFILES = {p.name: p for p in (
    Profile("kaifeng-city", "kaifeng", "city", "civic_centre", 100, 3.0, 1000, 600, (25000, 42000), 8),
    Profile("wuhai-city", "wuhai", "city", "comprehensive_centre", 90, 3.0, 900, 500, (18000, 32000), 6),
    Profile("dongying-department", "dongying", "city", "department_hall", 16, 3.0, 140, 150, (600, 3000), 5),
    Profile("longgang-branch", "longgang", "county", "branch_centre", 6, 3.0, 45, 60, (200, 1200), 4),
    Profile("jining-county", "jining", "county", "comprehensive_centre", 45, 2.9, 450, 300, (12000, 30000), 6),
    Profile("wuhai-county", "wuhai", "county", "comprehensive_centre", 40, 2.9, 400, 250, (6000, 18000), 5),
    Profile("wuhai-branch", "wuhai", "county", "branch_centre", 6, 3.0, 40, 50, (200, 1200), 4),
    Profile("jining-township", "jining", "township", "convenience_centre", 8, 2.5, 120, 80, (700, 2200), 4),
    Profile("wuhai-township", "wuhai", "township", "convenience_centre", 7, 2.5, 100, 60, (300, 1500), 3),
    Profile("jining-village", "jining", "village", "convenience_station", 2, 2.0, 30, 15, (35, 160), 3),
    Profile("wuhai-village", "wuhai", "village", "convenience_station", 2, 2.0, 25, 12, (30, 140), 2),
)}

# hall 0 of every deck of 20 is the kaifeng city centre; the other 19 are shuffled per deck
DECK_HEAD = "kaifeng-city"
DECK_REST = (["wuhai-city"] + ["dongying-department"] * 2 + ["longgang-branch"] * 2 + ["jining-county"] * 2
             + ["wuhai-county"] * 2 + ["wuhai-branch"] + ["jining-township"] * 3 + ["wuhai-township"] * 2
             + ["jining-village"] * 2 + ["wuhai-village"] * 2)
DECK = 1 + len(DECK_REST)

PLACES = {
    "kaifeng": {"province": "河南省", "city": "开封市", "code": "410200",
                "districts": ["龙亭区", "顺河回族区", "鼓楼区", "禹王台区", "祥符区"]},
    "dongying": {"province": "山东省", "city": "东营市", "code": "370500",
                 "districts": ["东营区", "河口区", "垦利区"]},
    "longgang": {"province": "辽宁省", "city": "葫芦岛市", "code": "211404", "districts": ["龙港区"]},
    "jining": {"province": "山东省", "city": "济宁市", "code": "370800",
               "districts": ["任城区", "兖州区", "曲阜市", "邹城市", "微山县", "鱼台县", "金乡县", "嘉祥县",
                             "汶上县", "泗水县", "梁山县", "济宁高新区", "太白湖新区", "济宁经济技术开发区"]},
    "wuhai": {"province": "内蒙古自治区", "city": "乌海市", "code": "150300",
              "districts": ["海勃湾区", "乌达区", "海南区"]},
}
FUNCTIONAL_ZONES = {"济宁高新区", "太白湖新区", "济宁经济技术开发区"}
TOWNSHIP_STEMS = ["唐口", "喻屯", "安居", "长沟", "接庄", "李营", "新兴", "小孟", "漕河", "颜店", "王因", "时庄",
                  "千里山", "巴音陶亥", "拉僧庙", "公乌素", "滨河", "新华", "凤凰岭", "海北", "三道坎"]
TOWNSHIP_SUFFIX = ["镇", "街道", "乡"]
VILLAGE_STEMS = ["王庄", "李楼", "张桥", "刘屯", "赵家", "前进", "红旗", "幸福", "东关", "西苑", "南营", "北岗",
                 "杨庄", "孙庄", "马集", "何庄", "高村", "黄河", "团结", "光明"]
VILLAGE_SUFFIX = ["村", "社区"]

DEPARTMENTS = [
    ("市场监管局", ["企业设立登记", "个体工商户登记", "食品经营许可", "药品零售企业许可", "特种设备使用登记"]),
    ("公安局", ["居民身份证办理", "户口迁移", "机动车登记", "驾驶证换证", "出入境证件办理"]),
    ("人力资源和社会保障局", ["社会保险登记", "失业保险金申领", "职业资格证书核发", "退休待遇核定", "就业失业登记"]),
    ("住房和城乡建设局", ["建筑工程施工许可证核发", "商品房预售许可", "建设工程竣工验收备案", "燃气经营许可"]),
    ("自然资源和规划局", ["建设用地规划许可证核发", "建设工程规划许可证核发", "采矿权登记", "土地使用权出让"]),
    ("不动产登记中心", ["国有建设用地使用权及房屋所有权首次登记", "转移登记", "抵押登记", "不动产权证书补发"]),
    ("生态环境局", ["建设项目环境影响评价审批", "排污许可", "危险废物经营许可"]),
    ("交通运输局", ["道路运输经营许可", "道路客运驾驶员从业资格", "公路超限运输许可", "出租汽车经营许可"]),
    ("卫生健康委员会", ["医疗机构执业登记", "医师执业注册", "公共场所卫生许可", "出生医学证明办理"]),
    ("税务局", ["发票领用", "税务登记", "增值税申报", "个人所得税汇算清缴", "完税证明开具"]),
    ("住房公积金管理中心", ["住房公积金提取", "住房公积金贷款", "单位缴存登记", "缴存基数调整"]),
    ("民政局", ["婚姻登记", "社会团体成立登记", "最低生活保障审核", "殡葬服务"]),
    ("教育局", ["民办学校设立", "教师资格认定", "校外培训机构审批"]),
    ("文化和旅游局", ["娱乐场所经营许可", "营业性演出许可", "旅行社设立许可", "出版物零售许可"]),
    ("农业农村局", ["农药经营许可", "兽药经营许可", "种子生产经营许可", "渔业捕捞许可"]),
    ("水利局", ["取水许可", "水土保持方案审批", "河道管理范围内建设项目审批"]),
    ("商务局", ["对外贸易经营者备案", "成品油零售经营资格", "单用途商业预付卡备案"]),
    ("发展和改革委员会", ["企业投资项目核准", "企业投资项目备案", "固定资产投资项目节能审查"]),
    ("司法局", ["律师执业许可", "法律援助申请", "公证员执业审核"]),
    ("应急管理局", ["危险化学品经营许可", "烟花爆竹零售许可", "安全生产许可"]),
    ("医疗保障局", ["医保关系转移接续", "异地就医备案", "门诊慢特病待遇认定"]),
    ("城市管理局", ["城市道路占用挖掘许可", "户外广告设置许可", "建筑垃圾处置核准"]),
    ("残疾人联合会", ["残疾人证办理", "残疾人就业补贴"]),
    ("烟草专卖局", ["烟草专卖零售许可证新办", "烟草专卖零售许可证延续"]),
    ("气象局", ["防雷装置设计审核", "升放气球活动许可"]),
    ("人民防空办公室", ["人防工程建设审批", "人防易地建设费征收"]),
    ("林业和草原局", ["林木采伐许可", "使用林地审核"]),
    ("档案局", ["档案查阅利用", "档案寄存"]),
    ("退役军人事务局", ["退役士兵安置", "优待证办理"]),
    ("行政审批服务局", ["施工图审查", "联合验收", "多图联审"]),
]
# what township centres and village stations handle on behalf of the county's departments
GRASSROOTS = {"人力资源和社会保障局", "民政局", "医疗保障局", "残疾人联合会", "农业农村局", "卫生健康委员会", "公安局",
              "退役军人事务局", "市场监管局", "税务局"}
VARIANTS = ["", "（新办）", "（变更）", "（延续）", "（注销）", "（补办）"]
# the departments a department hall or a branch centre belongs to
DEPARTMENT_HALLS = {
    "dongying": [("住房公积金管理中心", "住房公积金"), ("公安局", "出入境"), ("不动产登记中心", "不动产登记"),
                 ("税务局", "税务"), ("人力资源和社会保障局", "社会保险"), ("医疗保障局", "医疗保障")],
    "longgang": [("司法局", "公共法律服务"), ("交通运输局", "运输管理"), ("市场监管局", "市场监管"),
                 ("卫生健康委员会", "妇幼保健"), ("民政局", "救助"), ("档案局", "档案"), ("税务局", "税务")],
    "wuhai": [("税务局", "税务"), ("公安局", "车管"), ("不动产登记中心", "不动产登记"), ("住房公积金管理中心", "公积金")],
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玲丹萍鹏辉飞斌宇浩凯健俊帆帅旭宁雪琳晨欣悦子涵梓轩一诺雨泽浩然"
MONGOL_NAMES = ["巴特尔", "其木格", "乌云", "斯琴", "额尔敦", "格日勒", "那仁", "萨仁", "朝鲁", "图雅"]
RANKS = ["科员", "副主任科员", "主任科员", "四级主任科员", "三级主任科员", "副科长", "科长", "副局长", "专技十级", "专技九级"]
POLICY_TOPICS = ["优化营商环境", "深化“放管服”改革", "推进“一网通办”", "政务服务“好差评”", "窗口人员管理",
                 "首问负责制", "一次性告知制", "限时办结制", "投诉处理", "帮办代办服务", "延时错时服务",
                 "政务服务事项清单动态调整", "“一窗受理、集成服务”", "跨省通办", "证明事项告知承诺制",
                 "电子证照应用", "工程建设项目审批制度改革", "企业开办全程网办", "不动产登记一网通办"]
POLICY_FORMS = ["关于{}的实施意见", "关于{}的通知", "{}工作方案", "{}管理办法", "关于进一步加强{}的意见", "{}实施细则"]
CHANNELS_OF_AUTHORITY = ["进驻事项的受理和办理", "联办事项的组织协调", "与中心及相关单位的联络", "窗口人员日常管理和考核"]


# ------------------------------------------------------------------ helpers

class _Style:
    """How a file writes its enumerations: Chinese words or English ids."""

    def __init__(self, rng, chinese: bool):
        # a stream of its own: how many words an id has does not shift the rest of the hall
        self.rng, self.chinese = random.Random(rng.getrandbits(32)), chinese

    def __call__(self, vocab: str, canonical: str) -> str:
        if not self.chinese:
            return canonical
        return self.rng.choice(VOCABULARY[vocab][canonical])

    def many(self, vocab: str, canonicals) -> list:
        return [self(vocab, value) for value in canonicals]


def _chance(rng, p: float) -> bool:
    return rng.random() < p


def _count(rng, base: float, scale: float, low: int = 0) -> int:
    n = base * scale * rng.uniform(0.75, 1.25)
    return max(low, int(round(n)))


def _date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _person_name(rng, place: str) -> str:
    if place == "wuhai" and _chance(rng, 0.12):
        return rng.choice(MONGOL_NAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if _chance(rng, 0.7) else "")
    return rng.choice(SURNAMES) + given


def _subset(rng, values, keep: float, must=()) -> list:
    """Each value kept with probability `keep`; `must` values kept far more often."""
    out = []
    for value in values:
        p = 0.93 if value in must else keep
        if _chance(rng, p):
            out.append(value)
    return out


def _dept_name(prefix: str, dept: str) -> str:
    """市市场监管局, 任城区市场监管局: the department of the government the hall serves."""
    return prefix + dept


# ------------------------------------------------------------------ the hall

def hall_document(rng, profile: Profile | str, scale: float = 1.0, chinese: bool | None = None) -> dict:
    """One hall as plain data: valid against the hall schema, dates as datetime.date."""
    if isinstance(profile, str):
        profile = PROFILES[profile]
    style = _Style(rng, _chance(rng, 0.5) if chinese is None else chinese)
    place = PLACES[profile.place]
    level = profile.level
    if profile.place == "dongying":  # in force 2017-12-23 to 2022-12-22: audited while it applied
        as_of = _date_between(rng, dt.date(2019, 1, 1), dt.date(2022, 12, 20))
    else:
        as_of = _date_between(rng, dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    opened = _date_between(rng, dt.date(2012, 1, 1), as_of - dt.timedelta(days=365 * 2))
    if profile.place == "dongying":
        opened = min(opened, dt.date(2017, 6, 1))

    district = place["districts"][0] if profile.place == "longgang" else rng.choice(place["districts"])
    jurisdiction = {"province": place["province"], "city": place["city"]}
    hall: dict = {}
    departments = list(DEPARTMENTS)
    home_dept = None
    # township centres and village stations take applications for the county's departments
    prefix = "市" if level == "city" else district

    if level in ("township", "village"):
        departments = [d for d in DEPARTMENTS if d[0] in GRASSROOTS]
    if profile.kind in ("department_hall", "branch_centre"):
        home_dept, topic = rng.choice(DEPARTMENT_HALLS[profile.place])
        departments = [d for d in DEPARTMENTS if d[0] == home_dept]

    if level == "city":
        if profile.kind == "civic_centre":
            name = f"{place['city'][:-1]}市民之家"
            sign = [name, f"{place['city']}政务服务中心"]
        elif profile.kind == "department_hall":
            name = f"{place['city']}{home_dept}服务大厅"
            sign = [name] + ([f"{place['city']}政务服务中心{topic}分中心"] if _chance(rng, 0.8) else [])
        else:
            name = f"{place['city']}政务服务中心"
            sign = [name]
    else:
        jurisdiction["district"] = district
        if level == "county":
            if profile.kind == "branch_centre":
                name = f"{district}行政服务中心{topic}分中心" if _chance(rng, 0.85) else f"{district}{home_dept}办事服务大厅"
                if profile.place == "wuhai":
                    name = f"{district}政务服务中心{topic}分中心"
            else:
                name = f"{district}政务服务中心"
            sign = [name]
        else:
            township = rng.choice(TOWNSHIP_STEMS) + rng.choice(TOWNSHIP_SUFFIX)
            jurisdiction["township"] = township
            # wuhai-2022 s2.1.1 prescribes ××区××镇便民服务中心 and ××镇××村便民服务站; most follow it
            if level == "township":
                name = f"{district}{township}便民服务中心" if _chance(rng, 0.85) else f"{township}便民服务中心"
            else:
                village = rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_SUFFIX)
                jurisdiction["village"] = village
                name = f"{township}{village}便民服务站" if _chance(rng, 0.85) else f"{village}便民服务站"
            sign = [name]

    hall["name"] = name
    if _chance(rng, 0.9):
        hall["sign"] = sign
    hall["level"] = style("level", level)
    hall["kind"] = style("hall_kind", profile.kind)
    hall["jurisdiction"] = jurisdiction
    if level == "county" and profile.place == "jining" and profile.kind == "comprehensive_centre":
        if district in FUNCTIONAL_ZONES:
            hall["functional_zone"] = True
        elif _chance(rng, 0.6):
            hall["functional_zone"] = False
    parents = {"city": None, "county": f"{place['city']}政务服务中心",
               "township": f"{district}政务服务中心", "village": f"{jurisdiction.get('township', '')}便民服务中心"}
    if parents[level]:
        hall["parent_centre"] = parents[level]
    if home_dept:
        hall["department"] = _dept_name(prefix, home_dept)
    hall["opened_on"] = opened
    low, high = profile.area
    if _chance(rng, 0.95):
        area = rng.uniform(low, high)
        hall["floor_area_m2"] = int(area) if _chance(rng, 0.7) else round(area, 1)
    newly = _chance(rng, 0.5)
    hall["newly_built"] = newly
    if newly:
        hall["built_on"] = opened - dt.timedelta(days=rng.randint(30, 400))

    zone_must = {"township": ["window_service", "consultation", "self_service", "information_disclosure", "waiting"],
                 "village": ["window_service", "waiting"]}.get(level, [
                     "window_service", "back_office_approval", "consultation", "self_service",
                     "information_disclosure", "business_service", "administrative_office"])
    keep = {"township": 0.2, "village": 0.08}.get(level, 0.4)
    hall["zones"] = style.many("zone", _subset(rng, ZONES, keep, must=zone_must))
    facility_must = ["free_printing_copying", "rest_area", "drinking_water", "charging", "accessibility", "first_aid"]
    hall["facilities"] = style.many("facility", _subset(rng, FACILITIES, 0.5, must=facility_must))
    systems = []
    for kind in _subset(rng, SYSTEMS, 0.5,
                        must=["video_monitoring", "electronic_attendance", "queue_calling", "evaluation"]):
        system = {"kind": style("system", kind)}
        if _chance(rng, 0.3):
            system["name"] = f"{name}{VOCABULARY['system'][kind][0]}"
        targets = {"city": ["city_centre", "city_platform", "provincial_platform", "national_platform"],
                   "county": ["city_centre", "district_centre", "district_platform", "city_platform"],
                   "township": ["district_centre", "district_platform"],
                   "village": ["district_centre", "district_platform"]}[level]
        linked = _subset(rng, targets, 0.5, must=["city_centre"])
        if linked:
            system["linked_to"] = style.many("link_target", linked)
        systems.append(system)
    hall["systems"] = systems
    hall["working_rules"] = style.many("working_rule", _subset(
        rng, WORKING_RULES, 0.55,
        must=["first_inquiry_responsibility", "one_time_notification", "time_limited_completion", "ab_post"]))
    hall["service_modes"] = style.many("service_mode", _subset(rng, SERVICE_MODES, 0.45))
    hall["supervision_channels"] = style.many("supervision_channel",
                                              _subset(rng, SUPERVISION_CHANNELS, 0.5))
    hall["opening_hours"] = {"weekdays": rng.choice(["08:30-17:30", "09:00-17:00", "08:00-18:00", "08:30-12:00"]),
                             "lunch_break_service": _chance(rng, 0.6), "weekend": _chance(rng, 0.3)}

    doc: dict = {"hallcheck": 1, "as_of": as_of if _chance(rng, 0.5) else as_of.isoformat(), "hall": hall}

    # ---- items (the catalogue) and windows
    n_items = _count(rng, profile.items, scale, low=1)
    n_windows = _count(rng, profile.windows, scale, low=1)
    per_department = {"township": 1.5, "village": 1.0}.get(level, 3)
    wanted = min(len(departments), max(1, round(n_windows / per_department)))
    served = rng.sample(departments, wanted) if len(departments) > 1 else departments
    items = []
    for n in range(n_items):
        dept, bases = served[n % len(served)]
        base = bases[(n // len(served)) % len(bases)]
        variant = VARIANTS[(n // (len(served) * len(bases))) % len(VARIANTS)]
        round_ = n // (len(served) * len(bases) * len(VARIANTS))
        item = {"code": f"{place['code']}-{DEPARTMENTS.index((dept, bases)) + 1:02d}-{n + 1:04d}",
                "name": base + variant + (f"（{round_ + 1}）" if round_ else ""),
                "department": _dept_name(prefix, dept)}
        kind = rng.choices(["administrative_licensing", "non_licensing_approval", "public_service",
                            "administrative_confirmation", "administrative_payment", "other_power",
                            "convenience_service"], weights=[35, 5, 30, 10, 5, 10, 5])[0]
        item["kind"] = style("item_kind", kind)
        item["mode"] = style("handling_mode", rng.choices(HANDLING_MODES, weights=[40, 45, 8, 5, 2])[0])
        if _chance(rng, 0.9):
            legal = rng.choice([1, 3, 5, 7, 10, 15, 20, 30, 45, 60])
            item["legal_limit_days"] = legal
            item["promised_limit_days"] = max(0, legal - rng.randint(0, legal))
            unit = rng.choice(["working_days", "calendar_days"])
            item["limit_unit"] = {"working_days": "工作日", "calendar_days": "自然日"}[unit] if style.chinese else unit
        if _chance(rng, 0.2):
            item["fee"] = rng.choice([0, 5, 10, 20, 50, 80, 100, 200.5])
            item["fee_collected_at_window"] = _chance(rng, 0.3)
        item["online"] = _chance(rng, 0.9)
        item["guide"] = style.many("guide_field", _subset(rng, GUIDE_FIELDS, 0.6,
                                                          must=["basis", "conditions", "materials", "procedure", "time_limit"]))
        items.append(item)

    codes_by_department: dict = {}
    for item in items:
        codes_by_department.setdefault(item["department"], []).append(item["code"])
    windows = []
    kinds: dict = {}  # window id -> canonical type
    comprehensive = ["comprehensive_consultation", "comprehensive_acceptance", "cannot_get_done_feedback",
                     "unified_issuance", "complaint", "proxy_service", "enterprise_opening", "investment_project",
                     "cross_region", "fee_collection", "green_channel"]
    n_comprehensive = 0 if profile.kind in ("department_hall", "branch_centre") and n_windows < 3 else max(1, n_windows // 8)
    for w in range(n_windows):
        window = {"id": f"W{w + 1:03d}"}
        if w < n_comprehensive:
            wtype = comprehensive[w % len(comprehensive)]
            dept = home_dept or "行政审批服务局"
        else:
            wtype = "department" if _chance(rng, 0.8) else "sector_comprehensive"
            dept = served[w % len(served)][0]
        window["type"] = style("window_type", wtype)
        kinds[window["id"]] = wtype
        window["name"] = f"{w + 1}号窗口"
        if _chance(rng, 0.92):
            window["department"] = _dept_name(prefix, dept)
        handled = codes_by_department.get(window.get("department"), [])
        if handled:
            window["items"] = rng.sample(handled, min(len(handled), rng.randint(1, 12)))
        window["display"] = {"number": True, "department": _chance(rng, 0.95), "business": _chance(rng, 0.9),
                             "staff_name": _chance(rng, 0.9), "staff_number": _chance(rng, 0.8),
                             "complaint_phone": _chance(rng, 0.85)}
        if profile.place == "wuhai":
            window["display"]["mongolian"] = _chance(rng, 0.8)
        windows.append(window)

    # ---- staff: the people at each window now, and the people who left before them
    staff = []
    chiefs = set()
    records_years = profile.record_years
    history_start = max(opened, as_of - dt.timedelta(days=365 * records_years))
    sid = 0

    def new_person(window):
        nonlocal sid
        sid += 1
        dept = window.get("department")
        person = {"id": f"S{sid:04d}", "name": _person_name(rng, profile.place)}
        seconded = dept is not None and not dept.endswith("行政审批服务局") and _chance(rng, 0.85)
        if seconded:
            person["employer"] = dept
        if seconded:
            weights = [30, 10, 40, 8, 4, 6, 2]
        elif kinds[window["id"]] in ("comprehensive_acceptance", "sector_comprehensive"):
            weights = [2, 1, 5, 4, 3, 84, 1]  # comprehensive windows: mostly government-purchased staff
        else:
            weights = [5, 2, 15, 20, 20, 35, 3]
        employment = rng.choices(["civil_servant", "reference_civil_servant", "career_staff", "contract",
                                  "dispatched", "government_purchased", "temporary"], weights=weights)[0]
        if _chance(rng, 0.93):
            person["employment"] = style("employment", employment)
        person["window"] = window["id"]
        return person, employment

    for window in windows:
        per = max(1, int(round(profile.staff_per_window * rng.uniform(0.6, 1.3))))
        current = max(1, min(per, 3))
        dept = window.get("department")
        for k in range(per):
            person, employment = new_person(window)
            is_current = k < current
            roles = []
            if is_current and k == 0:
                roles.append("a_post")
            elif is_current and k == 1 and _chance(rng, 0.9):
                roles.append("b_post")
            elif is_current and _chance(rng, 0.5):
                roles.append(rng.choice(["comprehensive_window", "guide", "proxy_agent"]))
            if is_current and "employer" in person and dept not in chiefs and k == 0:
                chiefs.add(dept)
                roles.append("chief_representative")
                if _chance(rng, 0.8):
                    roles.append(rng.choice(["leader_in_charge", "approval_section_chief"]))
                authorised = [a for a in CHANNELS_OF_AUTHORITY if _chance(rng, 0.85)]
                if authorised:
                    person["authorised_for"] = authorised
                if _chance(rng, 0.9) and employment not in ("civil_servant", "reference_civil_servant", "career_staff"):
                    employment = "civil_servant"
                    person["employment"] = style("employment", employment)
            if roles:
                person["roles"] = style.many("staff_role", roles)
            if employment in ("civil_servant", "reference_civil_servant", "career_staff") and _chance(rng, 0.7):
                person["rank"] = rng.choice(RANKS)
            if is_current:
                start = _date_between(rng, max(opened, as_of - dt.timedelta(days=365 * 6)), as_of - DAY * 10)
                if _chance(rng, 0.04):  # posted to leave later this year
                    person["stationed_until"] = as_of + dt.timedelta(days=rng.randint(10, 200))
                person["stationed_from"] = start
            else:
                end = _date_between(rng, history_start, as_of - DAY * 30)
                years = rng.choice([2, 2, 2, 3, 3, 4]) if _chance(rng, 0.88) else rng.uniform(0.3, 1.9)
                start = max(opened - dt.timedelta(days=60), end - dt.timedelta(days=int(365.25 * years)))
                person["stationed_from"] = start
                person["stationed_until"] = end
                person["end_reason"] = style("end_reason", rng.choices(
                    ["term_completed", "recalled", "resigned", "retired", "reassigned", "dismissed", "other"],
                    weights=[55, 8, 10, 6, 16, 2, 3])[0])
            if "employer" in person:
                passed = _chance(rng, 0.95)
                person["training_passed"] = passed
                if passed and _chance(rng, 0.7):
                    before = rng.randint(-10, 90) if _chance(rng, 0.95) else rng.randint(-120, -11)
                    person["training_passed_on"] = person["stationed_from"] - dt.timedelta(days=before)
                if _chance(rng, 0.9):
                    person["home_duties"] = _chance(rng, 0.04)
            staff.append(person)
            if is_current:
                window.setdefault("staff", []).append(person["id"])
        if "staff" in window and _chance(rng, 0.05):
            del window["staff"]  # some halls only record the posting on the person

    # ---- dated records
    years = [y for y in range(history_start.year, as_of.year + 1)]
    meetings = []
    for year in years:
        for half in (1, 2):
            first = dt.date(year, 1 if half == 1 else 7, 1)
            last = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
            if first > as_of or last < history_start:
                continue
            if _chance(rng, 0.9 * min(1.0, scale * 4)):
                meetings.append({"kind": style("meeting_kind", "joint_meeting"),
                                 "date": _date_between(rng, max(first, history_start), min(last, as_of)),
                                 "convened_by": f"{place['city']}政务服务中心管理办公室", "minutes": _chance(rng, 0.85)})
    work_meetings = _count(rng, 10 * len(years) * (1 if level in ("city", "county") else 0.3), scale)
    for _ in range(work_meetings):
        meetings.append({"kind": style("meeting_kind", rng.choice(["work_meeting", "work_meeting", "project_review", "other"])),
                         "date": _date_between(rng, history_start, as_of), "minutes": _chance(rng, 0.7)})
    meetings.sort(key=lambda m: m["date"])

    assessments = []
    per_year = {"city": 16, "county": 10, "township": 5, "village": 2}[level]
    for _ in range(_count(rng, per_year * len(years), scale)):
        kind = rng.choices(ASSESSMENT_KINDS, weights=[25, 25, 20, 20, 5, 5])[0]
        record = {"kind": style("assessment_kind", kind), "date": _date_between(rng, history_start, as_of)}
        if _chance(rng, 0.8):
            record["by"] = rng.choice([f"{place['city']}人民政府", f"{place['city']}政务服务中心管理办公室",
                                       "第三方评估机构", f"{place['city']}纪委监委派驻纪检组"])
        if _chance(rng, 0.6):
            record["result"] = rng.choice(["优秀", "良好", "合格", "基本合格", "限期整改"])
        assessments.append(record)
    assessments.sort(key=lambda a: a["date"])

    policies = []
    for _ in range(_count(rng, {"city": 8, "county": 5, "township": 2, "village": 1}[level] * len(years), scale)):
        formed = _date_between(rng, history_start, as_of)
        policy = {"title": rng.choice(POLICY_FORMS).format(rng.choice(POLICY_TOPICS)), "formed_on": formed}
        if (as_of - formed).days > 30 or _chance(rng, 0.5):
            delay = rng.randint(0, 20) if _chance(rng, 0.95) else rng.randint(21, 60)
            policy["published_on"] = min(as_of, formed + dt.timedelta(days=delay))
            policy["channels"] = style.many("policy_channel", _subset(rng, POLICY_CHANNELS, 0.4,
                                                                      must=["government_website"]))
        policies.append(policy)
    policies.sort(key=lambda p: p["formed_on"])

    cases = []
    case_kinds = {"city": [20, 25, 8, 4, 43], "county": [25, 25, 8, 4, 38],
                  "township": [10, 5, 0, 0, 85], "village": [0, 0, 0, 0, 100]}[level]
    span = {"enterprise_opening": (0, 6), "real_estate_registration": (0, 8), "investment_project_approval": (10, 75),
            "investment_land_to_construction": (40, 140), "ordinary": (0, 30)}
    case_start = max(history_start, as_of - dt.timedelta(days=365 * 3))
    for c in range(_count(rng, profile.cases, scale)):
        kind = rng.choices(list(span), weights=case_kinds)[0]
        applied = _date_between(rng, case_start, as_of)
        case = {"id": f"C{c + 1:06d}", "kind": style("case_kind", kind), "applied_on": applied}
        if items and _chance(rng, 0.7):
            case["item"] = rng.choice(items)["code"]
        low, high = span[kind]
        done = applied + dt.timedelta(days=rng.randint(low, high))
        if done <= as_of:
            case["completed_on"] = done
        if kind.startswith("investment_"):  # the approvals' own time, one stage (open: still running)
            case["approval_periods"] = [{"from": applied, **({"to": done} if done <= as_of else {})}]
            if kind == "investment_land_to_construction":
                case["intermediary_periods"] = []
        cases.append(case)
    cases.sort(key=lambda c: c["applied_on"])

    if windows:
        doc["windows"] = windows
    if staff:
        doc["staff"] = staff
    if items:
        doc["items"] = items
    for key, records in (("meetings", meetings), ("assessments", assessments), ("policies", policies), ("cases", cases)):
        if records:
            doc[key] = records
    if _chance(rng, 0.85):
        licensing = [i for i in items if i["kind"] in ("administrative_licensing", "行政许可")]
        share = sum(i["online"] for i in licensing) / len(licensing) if licensing else 1.0
        doc["indicators"] = {"online_licensing_share": round(share, 3),
                             "online_item_share": round(sum(i["online"] for i in items) / max(1, len(items)), 3),
                             "one_visit_share": round(rng.uniform(0.8, 1.0), 3),
                             "satisfaction_rate": round(rng.uniform(0.95, 1.0), 4),
                             "measured_on": as_of - dt.timedelta(days=rng.randint(0, 60))}
    return doc


def dump(document: dict) -> str:
    """The hall as YAML text: block style, small records and lists of words in flow style."""
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=120)


# ------------------------------------------------------------------ compliant halls

def _all(vocab: str) -> list:
    """Every canonical value of a vocabulary but the catch-all `other`."""
    return [value for value in VOCABULARY[vocab] if value != "other"]


def _monthly(start: dt.date, end: dt.date, day: int = 10):
    """The `day` of every month from start's month to end's, within [start, end]."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        date = dt.date(year, month, day)
        if start <= date <= end:
            yield date
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# the windows every regulation asks for between them, beside the departments' own
SPECIAL_WINDOWS = ["comprehensive_consultation", "comprehensive_acceptance", "sector_comprehensive",
                   "cannot_get_done_feedback", "proxy_service", "cross_region", "unified_issuance", "enterprise_opening",
                   "investment_project", "public_resource_trading", "fee_collection", "complaint", "green_channel"]
PURCHASED_WINDOWS = {"comprehensive_acceptance", "sector_comprehensive"}


def _compliant_windows_and_staff(doc: dict, rng, style: _Style, profile: Profile, as_of: dt.date,
                                 opened: dt.date) -> tuple[list, list]:
    """The departments' windows of the hall plus one of every special window, each with an A and
    a B post stationed now and a predecessor who served a full term; each department's chief
    representative is a formally established leader authorised for everything."""
    windows = [w for w in doc.get("windows", []) if w["type"] in (style("window_type", "department"), "department")
               or schemas_type(w["type"]) == "department"]
    for n, wtype in enumerate(SPECIAL_WINDOWS):
        windows.append({"id": f"Z{n + 1:02d}", "type": style("window_type", wtype), "name": VOCABULARY["window_type"][wtype][0],
                        "display": dict(windows[0]["display"]) if windows else {}, "evaluator": {}})
    staff: list = []
    chiefs: set = set()
    for window in windows:
        wtype = schemas_type(window["type"])
        dept = window.get("department")
        purchased = wtype in PURCHASED_WINDOWS
        window["staff"] = []
        # a predecessor who served a full term of more than two years, where the hall is old enough
        for k in range(3 if (as_of - opened).days > 800 else 2):
            person = {"id": f"S{len(staff) + 1:04d}", "name": _person_name(rng, profile.place), "window": window["id"]}
            if dept and not purchased:
                person["employer"] = dept
            person["employment"] = style("employment", "government_purchased" if purchased else "civil_servant")
            roles = [["a_post"], ["b_post"], []][k]
            if purchased:
                roles.append("comprehensive_window")
            if k == 0 and dept and not purchased and dept not in chiefs:
                chiefs.add(dept)
                roles += ["chief_representative", "leader_in_charge"]
                person["authorised_for"] = list(CHANNELS_OF_AUTHORITY)
                person["rank"] = "科长"
            if k == 0 and wtype == "proxy_service":
                roles.append("proxy_agent")
            if k == 0 and wtype == "comprehensive_consultation":
                roles += ["guide", "hall_manager", "leader_in_charge", "proxy_agent"]
            person["roles"] = style.many("staff_role", roles)
            if k < 2:
                person["stationed_from"] = max(opened, as_of - dt.timedelta(days=rng.randint(60, 600)))
                window["staff"].append(person["id"])
            else:
                person["stationed_from"] = opened
                person["stationed_until"] = opened + dt.timedelta(days=760)
                person["end_reason"] = style("end_reason", "term_completed")
            person["training_passed"] = True
            person["training_passed_on"] = person["stationed_from"] - dt.timedelta(days=10)
            if "employer" in person:
                person["home_duties"] = False
            person["badge"] = True
            person["uniform"] = True
            staff.append(person)
    return windows, staff


def schemas_type(word: str) -> str:
    """The canonical window type of a Chinese or English word."""
    if word in VOCABULARY["window_type"]:
        return word
    return next(key for key, words in VOCABULARY["window_type"].items() if word in words)


def compliant_hall_document(rng, profile: Profile | str, scale: float = 0.03, chinese: bool | None = None) -> dict:
    """One hall of the profile that meets every bundled rule that applies to it: the same
    identity, items and windows as `hall_document`, with every record and facility the
    regulations ask for, kept on time. Used to prove that no two rules contradict each other
    (a hall can satisfy all of them at once); the deliberate breaches of `hall_document` are
    left out."""
    if isinstance(profile, str):
        profile = PROFILES[profile]
    chinese = _chance(rng, 0.5) if chinese is None else chinese
    doc = hall_document(rng, profile, scale=scale, chinese=chinese)
    style = _Style(rng, chinese)
    as_of = doc["as_of"] if isinstance(doc["as_of"], dt.date) else dt.date.fromisoformat(doc["as_of"])
    doc["as_of"] = as_of
    hall = doc["hall"]
    level, place = profile.level, PLACES[profile.place]
    # a quarter opened less than a year before the audit: periodic duties are owed only since then
    days_open = rng.randint(20, 364) if _chance(rng, 0.25) else rng.randint(800, 1500)
    opened = as_of - dt.timedelta(days=days_open)
    if profile.place == "dongying":
        opened = min(opened, dt.date(2017, 6, 1))
    hall["opened_on"] = opened
    hall.pop("newly_built", None)
    hall.pop("built_on", None)
    jurisdiction = hall["jurisdiction"]
    if profile.place == "longgang" and profile.kind == "branch_centre":  # longgang-2020 s3.1
        topic = next(t for d, t in DEPARTMENT_HALLS[profile.place] if hall["department"].endswith(d))
        hall["name"] = f"{jurisdiction['district']}行政服务中心{topic}分中心"
    if profile.kind == "branch_centre":  # a district centre's branch reports to it (longgang-2020 s1)
        hall["parent_centre"] = f"{jurisdiction['district']}{'行政' if profile.place == 'longgang' else '政务'}服务中心"
    if profile.place == "wuhai" and level == "township":  # wuhai-2022 s2.1.1: ××区××镇便民服务中心
        hall["name"] = f"{jurisdiction['district']}{jurisdiction['township']}便民服务中心"
    if profile.place == "wuhai" and level == "village":  # and ××镇××村便民服务站
        hall["name"] = f"{jurisdiction['township']}{jurisdiction['village']}便民服务站"
    hall["sign"] = [hall["name"]]
    if profile.kind == "department_hall":  # dongying-2017 art4: the centre's branch sign beside its own
        topic = next(t for d, t in DEPARTMENT_HALLS[profile.place] if hall["department"].endswith(d))
        hall["sign"].append(f"{place['city']}政务服务中心{topic}分中心")
    hall["floor_area_m2"] = {"city": 30000, "county": 25000, "township": 1500, "village": 120}[level]
    hall["zones"] = style.many("zone", _all("zone"))
    hall["facilities"] = style.many("facility", _all("facility"))
    targets = {"city": ["city_centre", "city_platform", "provincial_platform", "national_platform", "department_systems"],
               "county": ["city_centre", "district_centre", "district_platform", "city_platform", "provincial_platform",
                          "department_systems"],
               "township": ["district_centre", "district_platform", "city_platform", "provincial_platform"],
               "village": ["district_centre", "district_platform", "city_platform", "provincial_platform"]}[level]
    hall["systems"] = [{"kind": style("system", kind), "linked_to": style.many("link_target", targets),
                        "functions": style.many("system_function", _all("system_function"))}
                       for kind in _all("system")]
    for key, vocab in (("working_rules", "working_rule"), ("service_modes", "service_mode"),
                       ("supervision_channels", "supervision_channel"), ("handbooks", "handbook"),
                       ("online_services", "online_service"), ("online_channels", "online_channel"),
                       ("consultation_channels", "consultation_channel"), ("service_ends", "service_end"),
                       ("evaluation_methods", "evaluation_method"), ("appointment_channels", "appointment_channel")):
        hall[key] = style.many(vocab, _all(vocab))
    hall["opening_hours"] = {"weekdays": "08:30-17:30", "lunch_break_service": True, "weekend": True,
                             "holidays": True, "rest_day_appointment": True}
    hall["overtime_allowance"] = True
    hall["property_manager"] = f"{place['city']}机关事务服务中心"
    hall["newly_built"] = False
    if profile.kind == "department_hall":
        hall["parent_centre"] = f"{place['city']}政务服务中心"
    recent = as_of - dt.timedelta(days=5)
    hall["disclosure"] = {"channels": style.many("disclosure_channel", _all("disclosure_channel")),
                          "approval_news_on": recent, "policy_interpretation_on": recent, "notices_on": recent}
    hall["equipment_register"] = {k: True for k in ("kept", "numbered", "labels_fixed", "keepers_assigned")}
    hall["video_channel_table"] = {k: True for k in ("kept", "windows_mapped", "public_areas_mapped")}
    hall["site"] = {k: True for k in (
        "desks_essentials_only", "private_drawers_labelled", "placed_by_frequency", "desk_files_upright",
        "form_boxes_labelled", "flip_stands", "cabinets_labelled", "drawers_layered", "counter_items_aligned",
        "guide_desk_box_visible", "table_cards_max_a4", "convenience_box_labelled", "file_box_catalogues",
        "self_service_devices_labelled", "cables_tidied", "waiting_seats_aligned", "desk_corner_marks",
        "convenience_facilities_near_entrance", "convenience_facilities_marked", "no_idle_items", "desktops_unified")}
    _comply_records(doc, rng, style, profile, as_of, opened)
    return doc


def _comply_records(doc: dict, rng, style: _Style, profile: Profile, as_of: dt.date, opened: dt.date) -> None:
    level = profile.level
    # an older hall keeps its records from a year and a bit before the audit (hall.records_from):
    # periodic duties are owed from then, and the files stay small
    start = opened
    if (as_of - opened).days > 500:
        start = as_of - dt.timedelta(days=rng.randint(380, 440))
        doc["hall"]["records_from"] = start
    for item in doc.get("items", []):
        for key in ("fee", "fee_collected_at_window"):
            item.pop(key, None)
        item["online"] = True
        item["guide"] = style.many("guide_field", _all("guide_field"))
        legal = item.get("legal_limit_days") or 10
        item["legal_limit_days"] = legal
        item["promised_limit_days"] = max(0, legal // 2) if legal > 1 else 0
        item["mode"] = style("handling_mode", "committed" if item["promised_limit_days"] else "immediate")
        item.update({"fee": 0, "visits_required": 1, "handled_at_hall": True, "handled_outside": False,
                     "in_management_system": True, "progress_public": True, "on_platform": True,
                     "confirmed_on": opened, "materials_listed": 3, "materials_required": 3, "steps_listed": 2,
                     "steps_required": 2, "asks_for_shared_data": False, "section": "行政审批科",
                     "guide_channels": style.many("disclosure_channel", _all("disclosure_channel")),
                     "listed_in": style.many("item_catalogue", _all("item_catalogue"))})
    doc["windows"], doc["staff"] = _compliant_windows_and_staff(doc, rng, style, profile, as_of, opened)
    for window in doc.get("windows", []):
        window["display"] = {k: True for k in ("number", "department", "business", "staff_name", "staff_number",
                                                "complaint_phone")}
        if profile.place == "wuhai":
            window["display"]["mongolian"] = True
        window["daily_cases"] = 30
        window["evaluator"] = {k: True for k in ("installed", "staff_name", "staff_number", "department",
                                                  "consultation_phone", "complaint_phone", "items")}
    meetings, assessments, reports = [], [], []
    # monthly duties every month, the rest every quarter: more often than any rule asks
    monthly_assessments = {"monthly_assessment"}
    departments = sorted({w["department"] for w in doc["windows"] if "department" in w})
    first = min(as_of, start + 3 * DAY)  # a new hall starts every duty in its first days
    for day in [first] + [d for d in _monthly(start, as_of) if d > first]:
        quarter = day == first or day.month % 3 == start.month % 3
        for kind in _all("meeting_kind") if quarter else ():
            meetings.append({"kind": style("meeting_kind", kind), "date": day, "minutes": True,
                             "convened_by": f"{PLACES[profile.place]['city']}政务服务中心管理办公室"})
        for department in departments if quarter else ():
            for kind in ("onsite_office", "training"):  # kaifeng-2014 art31, art32: each unit's own
                meetings.append({"kind": style("meeting_kind", kind), "date": day, "minutes": True,
                                 "convened_by": department})
        for kind in _all("assessment_kind"):
            if quarter or kind in monthly_assessments:
                record = {"kind": style("assessment_kind", kind), "date": day, "circulated": True,
                          "counted_in_department": True, "reported_upward": True}
                if kind in ("assessment", "annual_assessment"):
                    record["aspects"] = style.many("assessment_aspect", _all("assessment_aspect"))
                assessments.append(record)
        for to in _all("report_recipient"):
            reports.append({"kind": style("report_kind", "operations"), "date": day, "to": style("report_recipient", to)})
    doc["meetings"], doc["assessments"], doc["reports"] = meetings, assessments, reports
    policies = []
    for n, kind in enumerate(_all("policy_kind")):
        formed = as_of - dt.timedelta(days=60 + 30 * n)
        # each on no more channels than its clause names: the extended-service list exactly where
        # wuhai-2022 s2.2.4 puts it, the rest on the government website and new media (s2.4.1)
        channels = ["service_platform", "mobile_app"] if kind == "extended_hours_list" else ["government_website", "new_media"]
        policies.append({"title": f"政务服务{VOCABULARY['policy_kind'][kind][0]}", "kind": style("policy_kind", kind),
                         "formed_on": formed, "approved_on": formed, "published_on": formed + dt.timedelta(days=7),
                         "channels": style.many("policy_channel", channels)})
    doc["policies"] = policies
    cases = []
    items = doc.get("items", [])
    for n, case in enumerate(doc.get("cases", [])):
        applied = case["applied_on"]
        if applied < opened:
            applied = min(as_of, opened + dt.timedelta(days=n % 30))
        case["applied_on"] = applied
        case.pop("item", None)
        case["completed_on"] = applied if applied <= as_of else as_of
        case["materials_incomplete"] = False
        if "approval_periods" in case:  # decided the day it was accepted
            case["approval_periods"] = [{"from": applied, "to": case["completed_on"]}]
        cases.append(case)
    doc["cases"] = cases
    doc["complaints"] = [{"id": f"T{n + 1:04d}", "kind": style("feedback_kind", "complaint"),
                          "received_on": day, "handled_on": day, "accountability": False, "result": "已办结"}
                         for n, day in enumerate(_monthly(start, as_of, 15))]
    doc["departments"] = [{"name": name, "licensing_section": True, "section_stationed_whole": True, "authorised": True}
                          for name in sorted({i["department"] for i in items if "department" in i})]
    doc["indicators"] = {"online_licensing_share": 1.0, "online_item_share": 1.0, "one_visit_share": 1.0,
                         "satisfaction_rate": 1.0, "satisfaction_rate_previous": 0.99, "one_certificate_items": 60, "measured_on": as_of - DAY}


# ------------------------------------------------------------------ many halls

def profile_of(seed: int, index: int) -> str:
    deck, position = divmod(index, DECK)
    if position == 0:
        return DECK_HEAD
    order = list(DECK_REST)
    random.Random(f"hallcheck-deck/{seed}/{deck}").shuffle(order)
    return order[position - 1]


def hall_text(seed: int, index: int) -> str:
    rng = random.Random(f"hallcheck-hall/{seed}/{index}")
    return dump(hall_document(rng, profile_of(seed, index)))


def file_name(index: int) -> str:
    return f"hall-{index:05d}.yaml"


def generate(outdir: Path, halls: int, seed: int, quiet: bool = False) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    total = 0
    for index in range(halls):
        path = outdir / file_name(index)
        text = hall_text(seed, index)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        paths.append(path)
        if not quiet and halls >= 1000 and (index + 1) % 1000 == 0:
            print(f"  {index + 1} halls written", file=sys.stderr)
    if not quiet:
        print(f"{halls} hall(s), {total / 1e6:.1f} MB of YAML in {outdir}", file=sys.stderr)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic hall descriptions (valid, deterministic from a seed).")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--halls", type=int, default=100, help="how many hall files (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.halls < 0:
        parser.error("--halls must be at least 0")
    generate(args.outdir, args.halls, args.seed, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())

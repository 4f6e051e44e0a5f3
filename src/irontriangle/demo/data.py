"""What the demo contains. Names, codes and figures are realistic but invented; websites use the
reserved `.example` domain.

The set is chosen so that every screen has something to show: an account tree three levels deep,
all four customer-matrix classes, every tier, a potential estimated from purchase drivers, a KA
profile waiting for a person to confirm it, accounts missing a triangle role, one ownership
conflict between a KA unit and the SMB unit waiting for the middle office, and the relationships
of the cathedral: power maps, the nine-grid, owners and backups, plans, eight weeks of visits,
organisational activities (one of them overdue) and a relationship evaluation.

Relationship dates are given in days before the day the demo is loaded, so the visit cadence and
the overdue flags look the same whenever it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from irontriangle.accounts.credit_code import check_character

DEMO_PASSWORD = "Demo-2026!"

# code, Chinese name, English name, segment, parent code
UNITS = [
    ("hq", "铁三角科技有限公司", "IronTriangle Tech Co., Ltd.", "ka", None),
    ("ka-telecom", "运营商大客户部", "Telecom Key Accounts BU", "ka", "hq"),
    ("ka-telecom-south", "华南运营商组", "Telecom South Team", "ka", "ka-telecom"),
    ("ka-mfg", "制造业大客户部", "Manufacturing Key Accounts BU", "ka", "hq"),
    ("smb", "中小企业销售部", "SMB Sales", "smb", "hq"),
    ("presales", "解决方案中心", "Solution Centre", "presales", "hq"),
    ("service", "交付与服务部", "Delivery and Service", "service", "hq"),
    ("marketing", "市场部", "Marketing", "marketing", "hq"),
    ("finance", "财务部", "Finance", "finance", "hq"),
    ("ops", "销售运营中台", "Sales Operations (middle office)", "ops", "hq"),
]

# username, display name, units, managed units, admin, what the person is for
USERS = [
    ("admin", "系统管理员 Admin", [], [], True, "administrator"),
    ("gm", "陈建国 Chen Jianguo", ["hq"], ["hq"], False, "general manager, sees everything below HQ"),
    ("director", "张伟 Zhang Wei", ["ka-telecom"], ["ka-telecom"], False, "telecom KA director (manager)"),
    ("ar", "王磊 Wang Lei", ["ka-telecom-south"], [], False, "AR account manager, telecom south"),
    ("sr", "李娜 Li Na", ["presales", "ka-telecom"], [], False, "SR solution manager (matrix: presales + telecom)"),
    ("sr2", "郑晓雯 Zheng Xiaowen", ["presales"], [], False, "SR solution manager, backup SR on telecom accounts"),
    ("fr", "赵强 Zhao Qiang", ["service"], [], False, "FR fulfilment manager"),
    ("ar2", "刘洋 Liu Yang", ["ka-mfg"], [], False, "AR account manager, manufacturing"),
    ("smb", "孙丽 Sun Li", ["smb"], [], False, "SMB sales"),
    ("finance", "周敏 Zhou Min", ["finance"], [], False, "finance (sees costs and margins)"),
    ("ops", "吴静 Wu Jing", ["ops"], [], False, "middle office (arbitrates ownership)"),
]


def credit_code(first17: str) -> str:
    """An invented unified social credit code with a correct GB 32100 check character."""
    return first17 + check_character(first17)


# key, name, legal name, parent key, owner username, owner unit, fields
#
# With the default matrix thresholds (high potential from 10,000,000; strong relationship from a score
# of 60, measured from the contacts in CONTACTS below) the accounts fall into:
#   core      ct, ct-gd, cm, steel
#   growth    cm-js, cm-zj
#   traction  ct-sz (potential from its purchase drivers), logistics, tianyue
#   problem   ct-gz, gas, consult
ACCOUNTS: list[tuple[str, str, str, str | None, str, str, dict[str, object]]] = [
    # --- a telecom operator: group → province → city ------------------------------------------------
    (
        "ct",
        "中国电信集团",
        "中国电信集团有限公司 China Telecom Group",
        None,
        "ar",
        "ka-telecom-south",
        {
            "credit_code": credit_code("91110000MA01TX0D7"),
            "industry": "电信 Telecom",
            "region": "北京 Beijing",
            "coverage": "national",
            "annual_revenue": "513000000000.00",
            "employees": 280000,
            "segment": "ka",
            "tier": "s",
            "purchase_pattern": "continuous",
            "on_vendor_list": True,
            "lifecycle_stage": "stable",
            "strategic_fit": "aligned",
            "potential": "120000000.00",
            "listed_in_ranking": True,
            "website": "https://www.chinatelecom.example",
            "address": "北京市西城区示例大街 31 号",
        },
    ),
    (
        "ct-gd",
        "中国电信广东公司",
        "中国电信股份有限公司广东分公司 China Telecom Guangdong",
        "ct",
        "ar",
        "ka-telecom-south",
        {
            "credit_code": credit_code("91440000MA4UGD2K3"),
            "industry": "电信 Telecom",
            "region": "广东 Guangdong",
            "coverage": "regional",
            "annual_revenue": "68000000000.00",
            "employees": 42000,
            "segment": "ka",
            "tier": "s",
            "purchase_pattern": "continuous",
            "on_vendor_list": True,
            "lifecycle_stage": "rising",
            "strategic_fit": "aligned",
            "potential": "35000000.00",
            "website": "https://gd.chinatelecom.example",
        },
    ),
    (
        "ct-sz",
        "中国电信深圳分公司",
        "中国电信股份有限公司深圳分公司 China Telecom Shenzhen",
        "ct-gd",
        "ar",
        "ka-telecom-south",
        {
            "credit_code": credit_code("91440300MA5F2Y8H1"),
            "industry": "电信 Telecom",
            "region": "深圳 Shenzhen",
            "coverage": "local",
            "segment": "ka",
            "tier": "a",
            "purchase_pattern": "continuous",
            "on_vendor_list": True,
            "lifecycle_stage": "rising",
            "strategic_fit": "aligned",
            # The potential follows the purchase drivers below (subscribers, base stations).
            "potential_basis": "drivers",
        },
    ),
    (
        "ct-gz",
        "中国电信广州分公司",
        "中国电信股份有限公司广州分公司 China Telecom Guangzhou",
        "ct-gd",
        "ar",
        "ka-telecom-south",
        {
            "industry": "电信 Telecom",
            "region": "广州 Guangzhou",
            "coverage": "local",
            "segment": "ka",
            "tier": "a",
            "purchase_pattern": "continuous",
            "lifecycle_stage": "exploring",
            "strategic_fit": "aligned",
            "potential": "6500000.00",
        },
    ),
    # --- a second operator with two provinces -------------------------------------------------------
    (
        "cm",
        "中国移动通信集团",
        "中国移动通信集团有限公司 China Mobile Group",
        None,
        "director",
        "ka-telecom",
        {
            "credit_code": credit_code("91110000MA02CM5P6"),
            "industry": "电信 Telecom",
            "region": "北京 Beijing",
            "coverage": "national",
            "annual_revenue": "1009000000000.00",
            "employees": 450000,
            "segment": "ka",
            "tier": "s",
            "purchase_pattern": "continuous",
            "on_vendor_list": True,
            "lifecycle_stage": "stable",
            "strategic_fit": "aligned",
            "potential": "90000000.00",
            "listed_in_ranking": True,
            "website": "https://www.chinamobile.example",
        },
    ),
    (
        "cm-js",
        "中国移动江苏公司",
        "中国移动通信集团江苏有限公司 China Mobile Jiangsu",
        "cm",
        "director",
        "ka-telecom",
        {
            "credit_code": credit_code("91320000MA1NJ84C2"),
            "industry": "电信 Telecom",
            "region": "江苏 Jiangsu",
            "coverage": "regional",
            "annual_revenue": "52000000000.00",
            "employees": 21000,
            "segment": "ka",
            "tier": "a",
            "purchase_pattern": "continuous",
            "lifecycle_stage": "exploring",
            "strategic_fit": "neutral",
            "potential": "20000000.00",
        },
    ),
    (
        "cm-zj",
        "中国移动浙江公司",
        "中国移动通信集团浙江有限公司 China Mobile Zhejiang",
        "cm",
        "director",
        "ka-telecom",
        {
            "credit_code": credit_code("91330000MA2HJ87Q4"),
            "industry": "电信 Telecom",
            "region": "浙江 Zhejiang",
            "coverage": "regional",
            "annual_revenue": "41000000000.00",
            "employees": 17500,
            "segment": "ka",
            "tier": "b",
            "purchase_pattern": "continuous",
            "lifecycle_stage": "declining",
            "strategic_fit": "neutral",
            "potential": "12000000.00",
        },
    ),
    # --- a manufacturer buying raw materials continuously; we are on its vendor list ---------------
    (
        "steel",
        "华东精工钢铁集团",
        "华东精工钢铁集团股份有限公司 East China Precision Steel Group",
        None,
        "ar2",
        "ka-mfg",
        {
            "credit_code": credit_code("91310000MA1GJG3R5"),
            "industry": "钢铁制造 Steel",
            "region": "上海 Shanghai",
            "coverage": "national",
            "annual_revenue": "18000000000.00",
            "employees": 15000,
            "segment": "ka",
            "tier": "s",
            "purchase_pattern": "continuous",
            "on_vendor_list": True,
            "lifecycle_stage": "stable",
            "strategic_fit": "aligned",
            "potential": "15000000.00",
            "website": "https://www.ec-steel.example",
            "address": "上海市宝山区示例路 88 号",
        },
    ),
    # --- a divergent customer with large revenue: a cash-flow customer whose investment shrinks ------
    (
        "gas",
        "粤海城市燃气",
        "粤海城市燃气集团有限公司 Yuehai City Gas Group",
        None,
        "ar2",
        "ka-mfg",
        {
            "credit_code": credit_code("91440100MA59YH6L8"),
            "industry": "能源 Energy",
            "region": "广东 Guangdong",
            "coverage": "regional",
            "annual_revenue": "8600000000.00",
            "employees": 6200,
            "segment": "ka",
            "tier": "b",
            "purchase_pattern": "continuous",
            "lifecycle_stage": "declining",
            "strategic_fit": "divergent",
            "cash_flow_customer": True,
            "potential": "4800000.00",
            "website": "https://www.yuehai-gas.example",
        },
    ),
    # --- an occasional buyer of consulting (first with manufacturing KA, handed over to SMB) --------
    (
        "consult",
        "明德管理咨询",
        "杭州明德管理咨询有限公司 Mingde Management Consulting",
        None,
        "ar2",
        "ka-mfg",
        {
            "credit_code": credit_code("91330106MA2CMD9W0"),
            "industry": "咨询 Consulting",
            "region": "杭州 Hangzhou",
            "coverage": "local",
            "annual_revenue": "86000000.00",
            "employees": 260,
            "segment": "smb",
            "tier": "c",
            "purchase_pattern": "occasional",
            "lifecycle_stage": "exploring",
            "strategic_fit": "neutral",
            "potential": "300000.00",
        },
    ),
    # --- global coverage, but a person kept it SMB against the KA profile ---------------------------
    (
        "logistics",
        "Pacific Rim Logistics Ltd.",
        "Pacific Rim Logistics Limited 环太平洋物流有限公司",
        None,
        "smb",
        "smb",
        {
            "industry": "Logistics 物流",
            "region": "Hong Kong 香港",
            "coverage": "global",
            "annual_revenue": "950000000.00",
            "employees": 4100,
            "segment": "smb",
            "tier": "b",
            "purchase_pattern": "occasional",
            "lifecycle_stage": "rising",
            "strategic_fit": "neutral",
            "potential": "2500000.00",
            "currency": "HKD",
            "website": "https://www.pacificrim-logistics.example",
        },
    ),
    # --- a regional key account still in SMB: the KA suggestion waits, and KA has claimed it --------
    (
        "tianyue",
        "浙江天越新材料",
        "浙江天越新材料股份有限公司 Zhejiang Tianyue New Materials",
        None,
        "smb",
        "smb",
        {
            "credit_code": credit_code("91330400MA2JTY5E3"),
            "industry": "新材料制造 New materials",
            "region": "浙江 Zhejiang",
            "coverage": "regional",
            "annual_revenue": "680000000.00",
            "employees": 1300,
            "segment": "smb",
            "tier": "b",
            "purchase_pattern": "continuous",
            "lifecycle_stage": "rising",
            "strategic_fit": "aligned",
            "potential": "5000000.00",
            "website": "https://www.tianyue-materials.example",
        },
    ),
]


@dataclass(frozen=True)
class TeamEntry:
    account: str
    username: str
    role: str
    primary: bool = True
    since: date | None = None


# The AR is the owner, put on the team when the account is created. Left without an SR or FR on
# purpose: ct-gz (neither), cm-js (no FR), gas (no SR), and the SMB-owned accounts.
TEAMS = [
    TeamEntry("ct", "sr", "sr", since=date(2024, 3, 1)),
    TeamEntry("ct", "sr2", "sr", primary=False, since=date(2025, 9, 1)),
    TeamEntry("ct", "fr", "fr", since=date(2024, 3, 1)),
    TeamEntry("ct", "director", "executive_sponsor", since=date(2024, 1, 15)),
    TeamEntry("ct-gd", "sr", "sr", since=date(2024, 6, 1)),
    TeamEntry("ct-gd", "sr2", "sr", primary=False, since=date(2025, 9, 1)),
    TeamEntry("ct-gd", "fr", "fr", since=date(2024, 6, 1)),
    TeamEntry("ct-sz", "sr", "sr", since=date(2025, 2, 10)),
    TeamEntry("ct-sz", "fr", "fr", since=date(2025, 2, 10)),
    TeamEntry("cm", "sr", "sr", since=date(2024, 11, 1)),
    TeamEntry("cm", "fr", "fr", since=date(2024, 11, 1)),
    TeamEntry("cm", "gm", "executive_sponsor", since=date(2024, 11, 1)),
    TeamEntry("cm-js", "sr2", "sr", since=date(2026, 4, 1)),
    TeamEntry("cm-zj", "sr", "sr", since=date(2025, 5, 6)),
    TeamEntry("cm-zj", "fr", "fr", since=date(2025, 5, 6)),
    TeamEntry("steel", "sr", "sr", since=date(2023, 8, 1)),
    TeamEntry("steel", "fr", "fr", since=date(2023, 8, 1)),
    TeamEntry("steel", "sr2", "sr", primary=False, since=date(2025, 1, 6)),
    TeamEntry("gas", "fr", "fr", since=date(2022, 5, 1)),
]


@dataclass(frozen=True)
class Driver:
    account: str
    name: str
    volume: Decimal
    unit: str
    factor: Decimal
    as_of: date
    source: str = ""


# Purchase drivers (seed 003): volume × purchase per unit per year = expected purchase volume.
DRIVERS = [
    Driver(
        "ct-sz",
        "移动用户数 Mobile subscribers",
        Decimal("2800000"),
        "户 subscribers",
        Decimal("2.0000"),
        date(2026, 6, 30),
        "深圳分公司半年报 Half-year report",
    ),
    Driver(
        "ct-sz",
        "5G 基站 5G base stations",
        Decimal("12000"),
        "个 sites",
        Decimal("200.0000"),
        date(2026, 6, 30),
        "网络部访谈 Network department interview",
    ),
    Driver(
        "steel",
        "粗钢产量 Crude steel output",
        Decimal("12000000"),
        "吨 t",
        Decimal("1.2500"),
        date(2026, 3, 31),
        "年报 Annual report",
    ),
    Driver(
        "cm-js",
        "政企专线 Enterprise leased lines",
        Decimal("40000"),
        "条 lines",
        Decimal("450.0000"),
        date(2026, 5, 31),
        "省公司政企部 Provincial enterprise department",
    ),
]


@dataclass(frozen=True)
class Info:
    account: str
    kind: str
    title: str
    detail: str
    recorded_on: date
    source: str = ""


# Customer information (seed 001): production, equipment and business, each with its date.
INFORMATION = [
    Info(
        "steel",
        "production",
        "2026 年粗钢产能 1,200 万吨 · Crude steel capacity 12 Mt in 2026",
        "上海、宁波两大基地满产运行;宁波基地三季度检修两周。\n"
        "Both sites (Shanghai, Ningbo) at full load; Ningbo stops two weeks for maintenance in Q3.",
        date(2026, 3, 18),
        "生产部 Production department",
    ),
    Info(
        "steel",
        "equipment",
        "宁波基地新建 2 号高炉 · New No. 2 blast furnace in Ningbo",
        "2027 年一季度点火,配套原料库与在线检测系统需要招标。\n"
        "First blast in Q1 2027; raw-material storage and inline inspection go to tender.",
        date(2026, 7, 2),
        "设备处访谈 Equipment office",
    ),
    Info(
        "steel",
        "business",
        "铁合金与耐火材料按月供货,我方通过 2026 年合格供应商复审 · Monthly raw-material deliveries; "
        "we passed the 2026 vendor-list review",
        "采购周期与用量稳定,竞争在于保持名录资格与交付准时率。\n"
        "Volumes and cycles are steady; the competition is about staying on the list and delivering on time.",
        date(2026, 1, 20),
        "采购中心 Procurement centre",
    ),
    Info(
        "ct-gd",
        "business",
        "广东公司 2027 数字化转型规划 · Guangdong 2027 digital transformation plan",
        "政企业务收入目标增长 12%,算力网络与行业云为重点。\n"
        "Enterprise revenue to grow 12%; computing network and industry cloud are the priorities.",
        date(2026, 9, 12),
        "战略对标会 Strategy alignment meeting",
    ),
    Info(
        "ct-gd",
        "equipment",
        "全省 IDC 机房扩容 3,000 机架 · 3,000 more IDC racks province-wide",
        "",
        date(2026, 8, 5),
        "",
    ),
    Info(
        "ct-sz",
        "production",
        "深圳 5G 基站突破 1.2 万个 · Shenzhen passes 12,000 5G sites",
        "",
        date(2026, 6, 30),
        "深圳分公司半年报 Half-year report",
    ),
    Info(
        "gas",
        "business",
        "集团战略转向氢能与海外 LNG · Group strategy turns to hydrogen and overseas LNG",
        "三至五年规划与我方主航道背离:保持现有合同收入,逐步收缩投入。\n"
        "Their 3–5 year plan diverges from our core business: keep the contract revenue, shrink investment.",
        date(2026, 4, 8),
        "高层拜访 Executive visit",
    ),
    Info(
        "consult",
        "business",
        "计划 2027 年上半年做组织诊断 · Plans an organisational diagnosis in H1 2027",
        "偶发性采购:需求随机,靠及时获取信息。\nOccasional purchase: demand is irregular, timely information decides.",
        date(2026, 10, 15),
        "行业沙龙 Industry salon",
    ),
    Info(
        "tianyue",
        "production",
        "锂电隔膜二期投产 · Second separator-film line in production",
        "年产能提升至 8 亿平方米。\nAnnual capacity rises to 800 million m².",
        date(2026, 5, 20),
        "官网新闻 Company news",
    ),
]

# account key, the person who settles the segment, segment, reason
SEGMENT_DECISIONS = [
    (
        "logistics",
        "smb",
        "smb",
        "只采购标准产品,经渠道服务 · Buys standard products only, served through the channel",
    ),
]


@dataclass(frozen=True)
class Ownership:
    account: str
    requested_by: str
    unit: str
    reason: str
    new_owner: str | None = None
    # None: still waiting for the middle office; True / False: decided by `ops` with `decision`.
    approve: bool | None = None
    decision: str = ""


# Ownership requests (seed 004), in the order they happened. The last one is the open conflict.
OWNERSHIP = [
    Ownership(
        "consult",
        "ar2",
        "smb",
        "客户规模小、偶发采购,交给中小企业部跟进 · Small, occasional buyer: better served by SMB",
        new_owner="smb",
        approve=True,
        decision="符合 SMB 客户画像,同意移交 · Fits the SMB profile; transfer approved",
    ),
    Ownership(
        "gas",
        "smb",
        "smb",
        "客户主动联系我部询价 · The customer called SMB sales for a quote",
        approve=False,
        decision="制造业大客户部签约服务中,询价转交原团队 · Served under contract by Manufacturing KA; "
        "the enquiry goes to that team",
    ),
    Ownership(
        "tianyue",
        "ar2",
        "ka-mfg",
        "区域性重点客户:浙江总部,年收入 6.8 亿,二期扩产需要方案与交付团队 · Regional key account: "
        "Zhejiang HQ, revenue 680 million, the expansion needs a solution and delivery team",
    ),
]


# --- relationships: the cathedral (SPEC §3) -------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A contact at a customer. `key` names the person inside the demo (for reports-to lines, plans and
    visits); owners are (username, primary); `later` is a status change made after the person was met."""

    account: str
    key: str
    name: str
    title: str
    department: str
    roles: tuple[str, ...]
    stance: str
    intimacy: str
    support: str
    influence: int = 3
    is_key: bool = False
    reports_to: str | None = None
    owners: tuple[tuple[str, bool], ...] = ()
    phone: str = ""
    email: str = ""
    wechat: str = ""
    later: tuple[str, int, str] | None = None  # status, days ago, note


# Every account's strength (active key persons and decision makers who support us with medium or high
# intimacy) lands on the side of the matrix the account list above expects. The group CRM purchase of
# 中国电信集团 has the whole buying centre: sales management decides, IT evaluates, procurement, finance,
# legal and audit take part.
CONTACTS = [
    # --- 中国电信集团: the group CRM platform purchase -----------------------------------------------
    Person("ct", "ct-evp", "刘国强", "集团副总经理", "集团领导", ("decision_maker", "executive"), "supporter",
           "high", "medium", 5, True, None, (("director", True), ("gm", False)), "+86 10 5850 1001"),
    Person("ct", "ct-sales-vp", "黄志远", "销售副总裁", "市场营销部", ("decision_maker", "user"), "supporter",
           "high", "high", 5, True, "ct-evp", (("ar", True), ("director", False)), "+86 10 5850 1201",
           "huang.zhiyuan@chinatelecom.example", "hzy_ct"),
    Person("ct", "ct-sales-ops", "马丽", "销售运营总监", "市场营销部", ("user",), "supporter", "medium", "high", 4,
           True, "ct-sales-vp", (("ar", True), ("sr", False)), "+86 10 5850 1216"),
    Person("ct", "ct-cio", "陈志刚", "信息化部总经理 CIO", "信息化部", ("technical_evaluator",), "neutral", "medium",
           "medium", 5, True, "ct-evp", (("sr", True), ("sr2", False)), "+86 10 5850 1301"),
    Person("ct", "ct-architect", "林涛", "首席架构师", "信息化部", ("technical_evaluator", "user"), "supporter", "high",
           "medium", 3, False, "ct-cio", (("sr", True),)),
    Person("ct", "ct-cfo", "孙建华", "财务部副总经理", "财务部", ("finance", "economic_buyer"), "supporter", "medium",
           "medium", 4, True, "ct-evp", (("fr", True), ("ar", False))),
    # A key person with no backup owner: the risk radar asks for one.
    Person("ct", "ct-procurement", "吴红", "采购中心主任", "采购与供应链中心", ("procurement",), "neutral", "low",
           "medium", 4, True, "ct-cfo", (("ar", True),)),
    Person("ct", "ct-legal", "郑凯", "法务部经理", "法律事务部", ("legal",), "neutral", "low", "low", 2, False,
           "ct-evp"),
    Person("ct", "ct-audit", "周文斌", "风控与审计部总经理", "风控与审计部", ("risk_audit",), "opponent", "low",
           "low", 3),
    # Left the customer: the drift the seeds warn about.
    Person("ct", "ct-former-digital", "何晓东", "原数字化部总经理", "数字化部", ("technical_evaluator",), "supporter",
           "high", "high", 4, True, "ct-cio", (("sr", True), ("ar", False)),
           later=("left", 30, "离职加入一家云服务商 · Left to join a cloud provider")),
    # --- 中国电信广东公司 ----------------------------------------------------------------------------
    Person("ct-gd", "gd-vp", "罗建新", "副总经理", "公司领导", ("decision_maker",), "supporter", "medium", "high", 5,
           True, None, (("ar", True), ("sr", False))),
    Person("ct-gd", "gd-enterprise", "谢文", "政企客户部总经理", "政企客户部", ("economic_buyer", "user"), "supporter",
           "high", "high", 4, True, "gd-vp", (("ar", True), ("fr", False))),
    # Moved: promoted to the group's IT department, the province seat is empty for now.
    Person("ct-gd", "gd-it", "邓磊", "IT 部经理", "信息技术部", ("technical_evaluator",), "neutral", "medium", "medium",
           3, True, "gd-vp", (("sr", True), ("sr2", False)),
           later=("moved", 20, "调任集团信息化部 · Moved to the group IT department")),
    Person("ct-gd", "gd-procurement", "陈佳", "采购经理", "采购部", ("procurement",), "neutral", "low", "low", 2,
           False, "gd-vp"),
    # --- 中国电信深圳分公司 --------------------------------------------------------------------------
    Person("ct-sz", "sz-gm", "彭海", "总经理", "公司领导", ("decision_maker", "executive"), "supporter", "high",
           "medium", 5, True, None, (("ar", True), ("sr", False))),
    Person("ct-sz", "sz-network", "钟伟", "网络部主任", "网络部", ("technical_evaluator",), "supporter", "medium",
           "high", 4, True, "sz-gm", (("sr", True), ("fr", False))),
    # --- 中国电信广州分公司: one neutral decision maker, owned without a backup ---------------------------
    Person("ct-gz", "gz-vp", "梁志勇", "副总经理", "公司领导", ("decision_maker",), "neutral", "low", "low", 4, True,
           None, (("ar", True),)),
    # --- 中国移动通信集团 ----------------------------------------------------------------------------
    Person("cm", "cm-it", "高远", "信息技术部总经理", "信息技术部", ("decision_maker", "technical_evaluator"),
           "supporter", "high", "high", 5, True, None, (("director", True), ("sr", False))),
    Person("cm", "cm-procurement", "方静", "采购与供应链管理部总经理", "采购与供应链管理部",
           ("procurement", "economic_buyer"), "supporter", "medium", "medium", 4, True, None,
           (("director", True), ("gm", False))),
    Person("cm", "cm-finance", "汪洁", "财务部经理", "财务部", ("finance",), "neutral", "low", "medium", 3),
    # --- 中国移动江苏公司 / 浙江公司 ---------------------------------------------------------------
    Person("cm-js", "js-vp", "杨帆", "副总经理", "公司领导", ("decision_maker",), "neutral", "low", "medium", 4, True,
           None, (("director", True), ("sr2", False))),
    # An opponent decision maker: the relationship plan below works on him.
    Person("cm-zj", "zj-vp", "许国华", "副总经理", "公司领导", ("decision_maker",), "opponent", "medium", "low", 5,
           True, None, (("director", True), ("sr", False))),
    Person("cm-zj", "zj-it", "姚敏", "IT 支撑中心主任", "IT 支撑中心", ("technical_evaluator",), "supporter", "low",
           "high", 3, True, "zj-vp", (("sr", True), ("fr", False))),
    # --- 华东精工钢铁集团 ----------------------------------------------------------------------------
    Person("steel", "steel-president", "沈立新", "总裁", "集团领导", ("decision_maker", "executive"), "supporter",
           "high", "high", 5, True, None, (("ar2", True), ("sr", False)), "+86 21 5660 8801"),
    Person("steel", "steel-procurement", "钱伟", "采购中心总经理", "采购中心", ("procurement", "economic_buyer"),
           "supporter", "medium", "high", 4, True, "steel-president", (("ar2", True), ("fr", False))),
    Person("steel", "steel-equipment", "蒋建军", "设备处处长", "设备处", ("technical_evaluator", "user"), "supporter",
           "medium", "medium", 4, True, "steel-president", (("sr", True), ("sr2", False))),
    Person("steel", "steel-finance", "韩雪", "财务总监", "财务部", ("finance",), "neutral", "low", "low", 3, True,
           "steel-president", (("ar2", True),)),
    Person("steel", "steel-legal", "曹阳", "法务主管", "法务部", ("legal", "risk_audit"), "neutral", "low", "low", 2,
           False, "steel-finance"),
    # --- 粤海城市燃气: the divergent cash-flow customer ----------------------------------------------
    Person("gas", "gas-gm", "冯志强", "总经理", "集团领导", ("decision_maker",), "opponent", "low", "low", 5, True,
           None, (("ar2", True), ("fr", False))),
    Person("gas", "gas-procurement", "邓燕", "采购部经理", "采购部", ("procurement",), "neutral", "medium", "low", 3,
           True, "gas-gm", (("ar2", True),)),
    # --- SMB-owned accounts --------------------------------------------------------------------------
    Person("consult", "consult-partner", "周明德", "合伙人", "管理层", ("decision_maker",), "neutral", "low", "low", 4,
           True, None, (("smb", True),)),
    Person("logistics", "logistics-it", "Michael Chan 陈志明", "IT Director", "IT", ("decision_maker",), "supporter",
           "medium", "medium", 4, True, None, (("smb", True),), "+852 2800 1234", "michael.chan@pacificrim.example"),
    Person("tianyue", "tianyue-gm", "吕天越", "总经理", "公司领导", ("decision_maker", "executive"), "supporter",
           "high", "medium", 5, True, None, (("smb", True),)),
]  # fmt: skip


@dataclass(frozen=True)
class PlanAct:
    title: str
    owner: str
    due_in_days: int
    done_days_ago: int | None = None


@dataclass(frozen=True)
class Plan:
    contact: str
    by: str
    goal: str
    target_intimacy: str
    target_support: str
    target_stance: str
    due_in_days: int
    actions: tuple[PlanAct, ...]


PLANS = [
    Plan(
        "ct-cio",
        "sr",
        "陈总从中立转为支持:用 POC 证明与现有 BSS 的集成能力 · Move the CIO from neutral to supporter through the POC",
        "high",
        "high",
        "supporter",
        90,
        (
            PlanAct("邀请陈总参观深圳 POC 环境 · Site tour of the Shenzhen POC", "sr", -20, done_days_ago=21),
            PlanAct("我方 CTO 与陈总交流云原生架构 · Our CTO meets the CIO on cloud-native", "director", 14),
            PlanAct("联合创新中心揭牌仪式邀请陈总出席 · Invite him to open the joint innovation centre", "ar", 45),
        ),
    ),
    Plan(
        "zj-vp",
        "director",
        "许总从反对转为中立:弄清其对交付风险的顾虑 · Move the opponent to neutral by answering his delivery concerns",
        "medium",
        "medium",
        "neutral",
        120,
        (
            PlanAct("梳理许总的痛苦链与考核指标 · Map his pain chain and KPIs", "sr", -10, done_days_ago=12),
            PlanAct("安排参观华东精工的交付现场 · Reference visit at East China Precision Steel", "fr", 30),
        ),
    ),
]


@dataclass(frozen=True)
class Meeting:
    """A logged interaction with real minutes; `days_ago` before the load, at `hour` o'clock."""

    account: str
    kind: str
    days_ago: int
    hour: int
    by: str
    participants: tuple[str, ...]
    contacts: tuple[str, ...]
    minutes: str
    next_steps: str = ""


MEETINGS = [
    Meeting(
        "ct", "visit", 38, 10, "ar", ("ar", "sr"), ("ct-sales-vp", "ct-sales-ops"),
        "集团 CRM 平台项目启动沟通。黄总明确:2027 年预算约 3,000 万元,纳入集团数字化转型专项;"
        "目标是 31 个省公司销售过程统一在线,商机与合同全流程可视。马总监提出现有系统报表滞后两周。\n"
        "Kick-off of the group CRM platform: about 30 million CNY budgeted for 2027 under the digital "
        "transformation programme; one sales process online for all 31 provinces.",
        "两周内提交方案建议书;约信息化部做技术交流 · Proposal within two weeks; technical session with IT",
    ),
    Meeting(
        "ct", "meeting", 31, 14, "sr", ("sr", "sr2"), ("ct-cio", "ct-architect"),
        "技术交流:信息化部关注与现有 BSS/计费系统的集成、国产化数据库适配和等保三级要求。"
        "林工建议先在深圳分公司做 POC,范围为商机管理与移动端拜访记录,周期六周。\n"
        "Technical exchange: integration with BSS and billing, domestic databases, MLPS level 3; a six-week "
        "POC in Shenzhen on opportunity management and mobile visit logs.",
        "准备 POC 方案与测试用例 · Prepare the POC plan and test cases",
    ),
    Meeting(
        "ct", "meal", 24, 19, "ar", ("ar", "director"), ("ct-cfo",),
        "与孙总晚餐。财务部关注总拥有成本(TCO)和分期付款,希望按里程碑付款:签约 30%、上线 40%、验收 30%。\n"
        "Dinner with the deputy CFO: total cost of ownership and milestone payments 30/40/30.",
        "财务测算表发孙总 · Send the TCO workbook",
    ),
    Meeting(
        "ct", "visit", 17, 15, "ar", ("ar",), ("ct-procurement",),
        "拜访采购中心吴主任:集团计划 2027 年 1 月发布公开招标公告,评分办法技术 60 分、商务 40 分;"
        "要求提供三个央企同类案例。吴主任尚未表态,需加强沟通。\n"
        "Procurement: public tender planned for January 2027, technical 60 / commercial 40; three "
        "state-owned references required.",
        "整理央企案例;请孙总引荐 · Collect references; ask the deputy CFO for an introduction",
    ),
    Meeting(
        "ct", "call", 10, 11, "ar", ("ar",), ("ct-legal",),
        "电话沟通合同范本:法务关注数据出境与个人信息保护条款,要求数据存储在境内机房。\n"
        "Call with legal on the contract template: data stays in mainland data centres.",
    ),
    Meeting(
        "ct-sz", "site_tour", 21, 10, "sr", ("sr", "fr"), ("sz-network", "sz-gm"),
        "深圳 POC 环境参观:演示移动端拜访签到、商机阶段门和作战地图;彭总认可,要求 POC 增加 5G 专网场景。\n"
        "POC site tour: mobile check-in, stage gates and the battle map; add a 5G private-network scenario.",
        "POC 第二阶段加入 5G 专网场景 · Add the 5G private-network scenario to POC phase two",
    ),
    Meeting(
        "ct-gd", "visit", 27, 9, "ar", ("ar", "sr"), ("gd-vp", "gd-enterprise"),
        "广东公司 2027 年政企业务收入目标增长 12%,罗总希望营销中台先行,作为集团 CRM 的省级试点。\n"
        "Guangdong wants the marketing platform first, as the provincial pilot of the group CRM.",
    ),
    Meeting(
        "steel", "visit", 19, 14, "ar2", ("ar2", "sr"), ("steel-equipment", "steel-procurement"),
        "宁波基地 2 号高炉配套在线检测系统:预算约 1,800 万元,2027 年二季度招标;蒋处长希望我方先做"
        "两周的现场测试。钱总确认我方在合格供应商名录内,可直接参与邀请招标。\n"
        "Inline inspection for the new blast furnace: about 18 million CNY, tender in Q2 2027; a two-week "
        "field test first; we are on the vendor list.",
        "安排现场测试 · Schedule the field test",
    ),
    Meeting(
        "cm", "meeting", 45, 15, "director", ("director", "sr"), ("cm-it",),
        "中国移动信息技术部年度交流:高总介绍 2027 年 IT 投资方向,算力网络与 AI 客服优先。\n"
        "Yearly exchange with China Mobile IT: computing network and AI customer service come first.",
    ),
    Meeting(
        "cm-zj", "visit", 33, 10, "director", ("director", "sr"), ("zj-vp",),
        "许总对我方在浙江的交付能力有顾虑,倾向竞争对手的本地团队;需要用标杆案例和交付承诺扭转。\n"
        "The vice president doubts our delivery capacity in Zhejiang and leans to a competitor's local team.",
        "做关系计划 · Make a relationship plan",
    ),
    Meeting(
        "gas", "call", 40, 16, "ar2", ("ar2",), ("gas-procurement",),
        "燃气集团采购部:现有合同续签按原价,不再新增项目预算。\n"
        "Gas group procurement: renewal at the current price, no new project budget.",
    ),
]  # fmt: skip

# Routine face-to-face visits per week, oldest of the eight weeks first, this week last, by the people
# who went together (the first logs it; a visit counts for everyone who went) and the accounts they
# visit in turn. This week `ar` and `ar2` reach the weekly target of 5; `sr`, `sr2`, `fr` and the
# director stay below it.
ROUTINE_VISITS: list[tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]] = [
    (("ar", "sr"), (2, 2, 1, 2, 1, 2, 2, 2), ("ct", "ct-gd", "ct-sz")),
    (("ar",), (3, 2, 4, 2, 4, 3, 2, 3), ("ct", "ct-gd", "ct-sz", "ct-gz")),
    (("ar2", "sr2"), (1, 1, 2, 1, 1, 2, 1, 1), ("steel",)),
    (("ar2",), (3, 4, 3, 3, 3, 3, 3, 4), ("steel", "gas")),
    (("sr", "fr"), (1, 1, 1, 1, 1, 1, 1, 0), ("ct-sz", "steel", "cm", "cm-zj")),
    (("fr",), (0, 1, 0, 1, 0, 0, 1, 1), ("ct-gd", "gas")),
    (("sr2",), (1, 1, 1, 1, 1, 1, 1, 1), ("cm-js", "ct")),
    (("director",), (1, 1, 0, 1, 1, 0, 1, 1), ("cm", "cm-js", "ct")),
]
# Calls this week: logged, shown, and not counted towards the visit cadence.
CALLS_THIS_WEEK = {"sr": 3, "fr": 2}
VISIT_NOTES = (
    "例行拜访:了解数字化转型项目进展和下季度预算安排。\n"
    "Regular visit: digital transformation progress and next quarter's budget.",
    "POC 周例会:确认测试用例通过情况,记录客户新增需求。\nWeekly POC meeting: tests passed, new requirements noted.",
    "招标前沟通:解读技术规范书,了解评分办法。\nPre-tender talk: the technical specification and the scoring rules.",
    "交付回访:上线后使用情况良好,客户希望增加移动端报表。\nDelivery follow-up: good adoption, mobile reports wanted.",
    "年度合作回顾:梳理今年完成的项目和明年的重点工作。\nYearly review: this year's projects, next year's priorities.",
    "陪同客户参观展会,交流行业解决方案。\nExhibition with the customer, industry solutions discussed.",
    "与信息中心讨论系统对接方案:单点登录和主数据同步,下周给出接口清单。\n"
    "Integration with the IT centre: single sign-on and master data sync; interface list due next week.",
    "拜访财务部:了解付款审批流程,第三季度付款需在 9 月 20 日前提交发票。\n"
    "Finance visit: the payment approval flow; Q3 invoices must be in by 20 September.",
    "业务部门访谈:销售团队反映商机跟进靠表格,领导看不到全局,痛点明确。\n"
    "Interviews in the business: opportunities tracked in spreadsheets, no overview for managers.",
    "客户提出价格顾虑,竞争对手报价低 15%;约定下次带方案经理讲价值和总拥有成本。\n"
    "Price concern: a competitor is 15% lower; next time the solution manager presents value and TCO.",
    "工作午餐:了解客户新任处长的工作重点,他关注合规和数据安全。\n"
    "Working lunch: the new division head cares most about compliance and data security.",
    "培训回访:二期培训覆盖 120 名一线人员,满意度 4.6 分,提出两项改进。\n"
    "Training follow-up: 120 front-line staff trained, satisfaction 4.6, two improvements asked.",
    "商务沟通:确认付款节点按 30/60/10 拆分,验收标准写入合同附件。\n"
    "Commercial talk: payment in 30/60/10, acceptance criteria go into a contract annex.",
    "现场巡检:系统运行稳定,客户希望明年扩展到省公司,预计新增 800 个账号。\n"
    "Site check: stable operation; the customer wants to extend to the provinces next year, about 800 more users.",
)


@dataclass(frozen=True)
class Activity:
    account: str
    kind: str
    days_ago: int
    title: str
    participants: tuple[str, ...]
    contacts: tuple[str, ...]
    outcome: str
    key_projects: str = ""
    exclusive: bool = False
    valid_for_days: int | None = None


# Organisational relationships. 中国移动通信集团 (tier S) had its last executive visit nine months ago:
# with two a year due, it shows as overdue.
ACTIVITIES = [
    Activity(
        "ct", "strategic_alignment_meeting", 46, "2027 数字化转型战略对标会 · 2027 digital transformation alignment",
        ("director", "ar", "sr"), ("ct-evp", "ct-sales-vp"),
        "双方确认集团 CRM 平台为 2027 年重点合作项目,成立联合项目组,每月例会。\n"
        "Both sides name the group CRM platform the key project of 2027; a joint team meets monthly.",
    ),
    Activity(
        "ct", "executive_visit", 80, "我方总经理拜访刘国强副总经理 · Our general manager visits the EVP",
        ("gm", "director", "ar"), ("ct-evp",),
        "高层互信建立,刘总同意推动深圳 POC,并指定黄志远副总裁牵头。\n"
        "Trust at the top; the EVP backs the Shenzhen POC and names the sales VP to lead it.",
    ),
    Activity(
        "ct", "strategic_agreement", 120, "战略合作协议 2027–2028 · Strategic cooperation agreement 2027–2028",
        ("gm", "director"), ("ct-evp",),
        "签署两年期战略合作协议,明确重点项目与独家合作范围。\n"
        "Two-year agreement with its key projects and exclusivity.",
        key_projects="集团 CRM 平台 · Group CRM platform\n省公司营销中台 · Provincial marketing platforms\n"
        "算力网络运营支撑 · Computing network operations support",
        exclusive=True,
        valid_for_days=610,
    ),
    Activity(
        "ct-gd", "joint_innovation_centre", 60, "粤电信–铁三角联合创新中心(广州)· Joint innovation centre, Guangzhou",
        ("director", "ar", "sr", "fr"), ("gd-vp", "gd-enterprise"),
        "创新中心揭牌,首批课题:政企营销数字化、5G 专网运营。\n"
        "The centre opens with two first topics: enterprise marketing and 5G private-network operations.",
    ),
    Activity(
        "cm", "strategic_alignment_meeting", 100, "中国移动 2027 IT 投资方向对标 · China Mobile 2027 IT investment",
        ("gm", "director", "sr"), ("cm-it",),
        "对齐算力网络与 AI 客服方向,约定下半年高层互访。\n"
        "Aligned on computing network and AI customer service; an executive visit promised for H2.",
    ),
    Activity(
        "cm", "executive_visit", 270, "中国移动信息技术部高层来访 · China Mobile IT executives visit us",
        ("gm", "director"), ("cm-it", "cm-procurement"),
        "参观研发中心,确认年度框架采购。\nR&D centre tour; the yearly framework purchase confirmed.",
    ),
    Activity(
        "steel", "strategic_alignment_meeting", 75, "华东精工 2027 智能制造规划对标 · Smart manufacturing alignment",
        ("ar2", "sr"), ("steel-president", "steel-equipment"),
        "沈总确认宁波 2 号高炉在线检测为 2027 年重点项目。\n"
        "The president names inline inspection at the new blast furnace a 2027 priority.",
    ),
    Activity(
        "steel", "executive_visit", 130, "我方总经理拜访沈立新总裁 · Our general manager visits the president",
        ("gm", "ar2"), ("steel-president",),
        "续签三年供货框架,讨论联合研发。\nThree-year supply framework renewed; joint R&D discussed.",
    ),
]  # fmt: skip

# The relationship evaluation of the group account for the current year (the nine key actions).
EVALUATION = (
    "ct",
    "director",
    {
        "strategy_set": True,
        "plan_made": True,
        "information_maintained": True,
        "key_relationships_owned": False,
        "strategic_agreement": True,
        "satisfaction_survey": False,
        "contact_activities_standardised": True,
        "voice_of_customer_closed": False,
        "executive_minutes_timely": True,
        "notes": "采购与审计的关系仍薄弱,吴红主任缺少备份负责人。\n"
        "Procurement and audit relationships are still thin; the procurement head has no backup owner.",
    },
)


# --- pipeline: leads and opportunities (SPEC §4, §5) --------------------------------------------------

# How kinds of customers buy (seed 004): code, Chinese and English names, descriptions, and the steps with
# the buying roles of the customer's people at each step.
PROCUREMENT_TEMPLATES: list[tuple[str, str, str, str, str, tuple[tuple[str, str, tuple[str, ...]], ...]]] = [
    (
        "group-crm",
        "集团公司采购 CRM",
        "Group company buys a CRM",
        "集团销售管理部发起,采购、信息化、财务、法务、风控审计各自把关;不能只搞定 KP。",
        "The group's sales management starts it; procurement, IT, finance, legal and risk/audit each have a say: "
        "winning over the key person is not enough.",
        (
            ("销售管理部提出需求", "Sales management states the need", ("decision_maker", "user")),
            ("采购部选型与询价", "Procurement shortlists and asks for prices", ("procurement",)),
            ("信息化部技术评估", "IT evaluates the solution", ("technical_evaluator",)),
            ("财务部预算与付款审批", "Finance approves budget and payment", ("finance", "economic_buyer")),
            ("法务部合同审核", "Legal reviews the contract", ("legal",)),
            ("风控与审计部合规审查", "Risk and audit check compliance", ("risk_audit",)),
        ),
    ),
    (
        "telecom-tender",
        "运营商省公司公开招标",
        "Telecom operator's provincial tender",
        "省公司需求部门立项,技术评估后公开招标,评标委员会打分,商务谈判后走合同审批。",
        "A provincial company's business unit raises the project; after technical evaluation a public tender is "
        "scored by a bid committee, then commercial negotiation and contract approval.",
        (
            ("需求部门立项", "The business unit raises the requirement", ("user", "decision_maker")),
            ("技术评估与测试", "Technical evaluation and testing", ("technical_evaluator",)),
            ("招标与评标", "Tender and bid evaluation", ("procurement", "supervisor_third_party")),
            ("商务谈判", "Commercial negotiation", ("procurement", "economic_buyer")),
            ("合同审批", "Contract approval", ("decision_maker", "legal")),
        ),
    ),
    (
        "smb-owner",
        "中小企业老板拍板采购",
        "SMB owner-operator purchase",
        "老板(或老板娘)一人拍板,财务付款;没有流程,解决 KP 关心的问题就解决了采购。",
        "The owner decides alone and finance pays: no process, solving the key person's problem settles it.",
        (
            ("老板拍板", "The owner decides", ("decision_maker",)),
            ("财务付款", "Finance pays", ("finance",)),
        ),
    ),
]


@dataclass(frozen=True)
class FollowUp:
    kind: str
    days_ago: int
    note: str
    next_step: str = ""
    next_in_days: int | None = None


@dataclass(frozen=True)
class LeadEntry:
    """A lead as its owner captured it. `bant` is four states (budget, authority, need, timeline); `convert`
    is None (not converted) or who converts it, with an override reason when BANT is not all confirmed."""

    key: str
    owner: str
    name: str
    source: str
    scenario: str
    account: str | None
    company_name: str = ""
    contact: str | None = None
    contact_name: str = ""
    amount: Decimal | None = None
    bant: tuple[str, str, str, str] = ("unknown", "unknown", "unknown", "unknown")
    evidence: tuple[str, str, str, str] = ("", "", "", "")
    spin: tuple[str, str, str, str] = ("", "", "", "")
    status: str = "new"
    disqualified_reason: str = ""
    follow_ups: tuple[FollowUp, ...] = ()
    convert: tuple[str, str] | None = None  # (username, override reason or "")


LEADS = [
    LeadEntry(
        "lead-ct-crm", "ar", "集团 CRM 平台建设", "referral", "continuous", "ct", contact="ct-sales-vp",
        amount=Decimal("30000000"),
        bant=("confirmed", "confirmed", "confirmed", "confirmed"),
        evidence=(
            "2027 年数字化转型专项预算约 3,000 万元(黄总,启动会)",
            "黄志远副总裁牵头,刘国强副总经理拍板",
            "31 个省公司销售过程不统一,报表滞后两周",
            "2027 年 1 月发布招标公告,年中上线",
        ),
        spin=(
            "集团 31 个省公司各用各的销售系统,总部靠表格汇总。",
            "商机与合同看不到全流程,报表滞后两周。",
            "管理层无法及时调配资源,重点项目丢单后才知道。",
            "统一平台后每周可视,预计赢单率提升、销售费用下降。",
        ),
        follow_ups=(
            FollowUp("visit", 40, "黄总介绍集团 CRM 规划,同意启动交流。", "约信息化部技术交流", 9),
            FollowUp("meeting", 33, "技术交流完成,信息化部认可云原生架构。"),
        ),
        convert=("ar", ""),
    ),
    LeadEntry(
        "lead-gz", "ar", "广州分公司营销数字化咨询", "outbound", "continuous", "ct-gz", contact="gz-vp",
        amount=Decimal("1200000"),
        bant=("confirmed", "confirmed", "confirmed", "partial"),
        evidence=("年度咨询预算已列支", "梁总可以决定", "渠道营销效率低", "希望四季度启动,尚未定档"),
        spin=("广州分公司渠道众多,营销活动靠人工统计。", "活动效果算不清。", "费用投放无依据,年底考核被动。", ""),
        follow_ups=(FollowUp("call", 12, "梁总同意先做两周调研,时间待定。", "发调研方案", 3),),
        # The timeline is still partial: the director converts it anyway, with the reason on record.
        convert=("director", "集团 CRM 试点需要广州样板,时间由省公司统一安排,先立项跟进"),
    ),
    LeadEntry(
        "lead-tianyue", "smb", "天越新材料销售管理 SaaS", "inbound", "continuous", "tianyue", contact="tianyue-gm",
        amount=Decimal("380000"),
        bant=("confirmed", "confirmed", "confirmed", "confirmed"),
        evidence=("吕总批了 40 万以内", "吕总一人拍板", "二期扩产后客户翻倍,跟进靠微信", "下月上线"),
        spin=(
            "二期投产后经销商和直客翻倍。", "销售跟进全靠微信和表格。", "老客户复购漏跟,回款变慢。",
            "一个系统看全客户和回款。",
        ),
        follow_ups=(FollowUp("call", 6, "吕总试用了标准版,要求演示经销商管理。", "安排演示", 2),),
        convert=("smb", ""),
    ),
    LeadEntry(
        "lead-js", "director", "江苏移动政企客户经理移动展业", "alliance", "continuous", "cm-js", contact="js-vp",
        amount=Decimal("2500000"),
        bant=("partial", "unknown", "confirmed", "partial"),
        evidence=("明年预算申报中", "", "客户经理外出无法录入商机", "希望明年上半年"),
        spin=("政企客户经理 1,200 人,大部分时间在外。", "拜访记录事后补录,不真实。", "", ""),
        status="working",
        follow_ups=(
            FollowUp("visit", 15, "杨总对移动展业感兴趣,但预算归口不清。", "找信息技术部确认预算", 10),
            FollowUp("call", 5, "信息技术部说明年统一申报。"),
        ),
    ),
    LeadEntry(
        "lead-steel", "ar2", "华东精工设备点检移动应用", "referral", "continuous", "steel", contact="steel-equipment",
        amount=Decimal("1600000"),
        bant=("confirmed", "confirmed", "confirmed", "confirmed"),
        evidence=("设备处年度预算 160 万", "蒋处长与沈总确认", "纸质点检漏检率高", "明年一季度"),
        spin=(
            "两大基地 3,000 台设备靠纸质点检。", "漏检和补录频繁。", "设备故障停产一次损失数百万。",
            "移动点检实时预警。",
        ),
        status="qualified",
        follow_ups=(FollowUp("visit", 9, "现场查看点检流程,确认需求。", "准备立项材料", 7),),
    ),
    LeadEntry(
        "lead-gas", "ar2", "粤海燃气客服热线外包", "inbound", "occasional", "gas", contact="gas-procurement",
        amount=Decimal("900000"),
        bant=("unknown", "partial", "partial", "unknown"),
        status="disqualified",
        disqualified_reason="客户战略转向氢能与海外 LNG,不再新增项目预算",
        follow_ups=(FollowUp("call", 20, "采购部表示新项目冻结。"),),
    ),
    LeadEntry(
        "lead-expo", "smb", "前海跨境电商协会会员 CRM 团购", "exhibition", "occasional", None,
        company_name="深圳前海跨境电商协会", contact_name="林秘书长", amount=Decimal("200000"),
        spin=("协会 300 家会员企业,多为 10–50 人团队。", "", "", ""),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class QuoteLineEntry:
    product: str
    quantity: Decimal
    list_price: Decimal
    discount: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class QuoteEntry:
    lines: tuple[QuoteLineEntry, ...]
    notes: str = ""
    # "draft", "submitted" (by the owner), "sr" (approved by `approver`, which below the floor leaves it
    # waiting for a manager), or "manager" (then approved by `manager` too).
    until: str = "sr"
    approver: str = "sr"
    manager: str = ""


def _line(product: str, quantity: str, price: str, discount: str, cost: str) -> QuoteLineEntry:
    return QuoteLineEntry(product, Decimal(quantity), Decimal(price), Decimal(discount), Decimal(cost))


@dataclass(frozen=True)
class Deal:
    """An opportunity and the work that moves it through its gates, in the order people did it.

    `path` is the stages it is advanced to, in order; `override` names a stage in the path that a manager
    forced open, with who and why. `ticks` are manual checklist items with their evidence."""

    key: str
    account: str
    owner: str
    name: str
    amount: Decimal
    close_in_days: int
    path: tuple[str, ...]
    lead: str | None = None
    currency: str = "CNY"
    project_type: str = "company_led"
    lead_source: str = ""
    template: str | None = None
    decision_process: str = ""
    team: tuple[tuple[str, str], ...] = ()
    guides: tuple[tuple[str, str, str], ...] = ()  # contact, level, cost notes
    competitors: tuple[tuple[str, str, str, str, str], ...] = ()  # name, strengths, weaknesses, threat, strategy
    pains: tuple[tuple[str, str, str, str], ...] = ()  # contact, pain, cause, consequence
    ticks: tuple[tuple[str, str], ...] = ()
    quotes: tuple[QuoteEntry, ...] = ()
    override: tuple[str, str, str] | None = None  # stage, manager, reason
    reason: str = ""  # why it was won or lost
    splits: tuple[tuple[str, Decimal, str], ...] = ()  # unit code, percent, agreement
    lead_unit: tuple[str, str] | None = None  # unit code, basis


DEALS = [
    # --- key-account process ------------------------------------------------------------------------
    Deal(
        "ct-crm", "ct", "ar", "集团 CRM 平台", Decimal("30000000"), 120, ("guide", "bid"), lead="lead-ct-crm",
        template="group-crm",
        decision_process="销售管理部提需求,信息化部技术评估,采购中心公开招标(技术 60 / 商务 40),"
        "财务、法务、风控审计会签,集团总经理办公会审批。",
        team=(("sr", "sr"), ("fr", "fr"), ("director", "executive_sponsor")),
        guides=(("ct-sales-ops", "advise", "无费用;需要我方提供省公司对标报告"), ("ct-sales-vp", "intervene", "")),
        competitors=(
            ("Salesforce", "品牌强,功能全", "国产化适配和数据境内存储不满足要求,价格高", "medium",
             "突出国产化、等保三级和本地交付"),
            ("纷享销客", "价格低,移动端好用", "大型集团多组织、与 BSS 集成经验不足", "high",
             "用深圳 POC 证明集成能力,邀请客户参观央企案例"),
        ),
        pains=(
            ("ct-sales-vp", "看不到 31 个省的商机全貌", "各省系统不统一,报表靠人工汇总",
             "重点项目丢了才知道,集团考核被动"),
            ("ct-sales-ops", "报表滞后两周", "数据口径不一,每月手工对账",
             "销售运营团队加班,管理层决策延后"),
        ),
        ticks=(("solution", "2026 年 10 月方案汇报会纪要,黄总与马总监签字认可"),),
        quotes=(
            QuoteEntry(
                (
                    _line("CRM 平台软件许可(31 省)", "1", "18000000", "15", "4000000"),
                    _line("实施与 BSS 集成服务", "1", "9000000", "5", "6200000"),
                    _line("三年运维服务(每年)", "3", "1500000", "0", "700000"),
                ),
                notes="含国产化数据库适配与等保三级测评配合",
            ),
        ),
    ),
    Deal(
        "gd-pilot", "ct-gd", "ar", "广东公司营销中台省级试点", Decimal("8000000"), 150, ("guide",),
        template="telecom-tender", lead_source="referral",
        decision_process="政企客户部立项,省公司招标办公开招标,合同由副总经理审批。",
        team=(("sr", "sr"),),
        pains=(
            ("gd-enterprise", "政企营销活动效果算不清", "线索、商机、合同分散在三个系统",
             "12% 增长目标难以分解到客户经理"),
        ),
        competitors=(
            ("华为云", "与运营商关系深,算力资源强", "营销应用层经验少", "high", "联合其算力资源,做应用层总包"),
        ),
        ticks=(("bant", "罗总确认 800 万预算在 2027 年数字化专项内,谢总牵头,明年二季度上线"),),
        # Nobody who can advise is identified yet; the director lets it into guidance because the group
        # names it the provincial pilot.
        override=("guide", "director", "集团已指定广东为 CRM 省级试点,由罗总亲自牵头;向导在标前引导阶段补齐"),
    ),
    Deal(
        "sz-poc", "ct-sz", "ar", "深圳分公司 5G 专网运营支撑 POC", Decimal("2600000"), 75, ("guide", "trial"),
        lead_source="outbound",
        team=(("sr", "sr"), ("fr", "fr")),
        guides=(("sz-network", "advise", "每月一次技术交流"),),
        pains=(("sz-network", "5G 专网开通周期长", "工单在三个系统间流转", "行业客户投诉,丢失政企订单"),),
        competitors=(("中兴通讯", "网络侧产品强", "运营支撑软件需二次开发", "medium", "POC 中突出开通效率"),),
        ticks=(("bant", "彭总确认 POC 后 260 万预算,钟主任负责,年底前决策"),),
    ),
    Deal(
        "zj-capacity", "cm-zj", "director", "浙江移动 IT 支撑中心容量扩容", Decimal("4500000"), 60, ("guide", "bid"),
        template="telecom-tender", lead_source="alliance",
        team=(("sr", "sr"),),
        guides=(("zj-it", "advise", "需要我方的交付案例"),),
        pains=(("zj-it", "业务高峰期系统卡顿", "容量规划滞后两年", "营业厅排队投诉,许总被集团通报"),),
        competitors=(
            ("浙江本地软件公司", "本地团队响应快,许总信任", "无同等规模案例", "high",
             "华东精工交付现场参观 + 交付承诺"),
        ),
        ticks=(("bant", "姚主任确认 450 万预算,许总审批,年底前完成"),),
        # Priced below the floor to win against the local team: the SR approved it, a manager must too.
        quotes=(
            QuoteEntry(
                (
                    _line("容量扩容软件许可", "1", "3000000", "30", "1700000"),
                    _line("本地化驻场交付服务", "1", "2000000", "10", "1650000"),
                ),
                notes="对标本地竞争对手报价,交付团队驻场六个月",
            ),
        ),
    ),
    Deal(
        "steel-inspection", "steel", "ar2", "宁波基地 2 号高炉在线检测系统", Decimal("18000000"), 45,
        ("guide", "bid", "negotiate"), lead_source="referral",
        decision_process="设备处提需求,采购中心邀请招标(名录内供应商),财务总监与法务会签,沈总审批。",
        # Manufacturing KA owns the customer; the telecom south team brings the 5G private network.
        team=(("ar", "ar"), ("sr", "sr"), ("fr", "fr")),
        guides=(("steel-equipment", "intervene", "无"),),
        pains=(
            ("steel-equipment", "人工检测漏检", "高炉新建,检测点位翻倍", "质量事故影响沈总年度考核"),
            ("steel-procurement", "供应商多头对接", "软硬件分开采购", "交付延期无人负责"),
        ),
        competitors=(("基恩士 Keyence", "传感器精度高", "不做 5G 专网和系统集成", "medium", "软硬件 + 5G 专网总包"),),
        ticks=(
            ("bant", "钱总确认 1,800 万预算,沈总拍板,2027 年二季度招标"),
            ("bid_submitted", "2026 年邀请招标投标文件已递交,回执编号 EC-2026-118"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("在线检测系统软硬件", "1", "12000000", "8", "7000000"),
                    _line("5G 专网接入与边缘计算", "1", "4500000", "5", "2600000"),
                    _line("安装调试与培训", "1", "1500000", "0", "900000"),
                ),
            ),
        ),
        splits=(
            ("ka-mfg", Decimal("60"), "2026-09 销售运营中台协调会纪要第 3 条:制造业大客户部 60%"),
            ("ka-telecom-south", Decimal("40"), "2026-09 销售运营中台协调会纪要第 3 条:华南运营商组 40%(5G 专网)"),
        ),
        lead_unit=("ka-mfg", "relationship"),
    ),
    Deal(
        "cm-ai", "cm", "director", "移动集团 AI 客服平台", Decimal("12000000"), -40,
        ("guide", "bid", "negotiate", "won"),
        lead_source="alliance",
        team=(("sr", "sr"), ("fr", "fr"), ("gm", "executive_sponsor")),
        guides=(("cm-procurement", "advise", "无"),),
        pains=(("cm-it", "人工客服成本逐年上升", "话务量增长,坐席难招", "客户满意度下滑,集团考核扣分"),),
        competitors=(("科大讯飞", "语音识别领先", "平台开放性不足", "high", "开放平台 + 运营商级交付"),),
        ticks=(
            ("bant", "高总确认 1,200 万预算,2026 年内签约"),
            ("bid_submitted", "集团集中采购投标文件已递交"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("AI 客服平台许可", "1", "9000000", "10", "3500000"),
                    _line("模型训练与实施", "1", "4000000", "5", "2600000"),
                ),
            ),
        ),
        reason="开放平台架构与运营商级交付案例胜出;高总与方总全程支持",
    ),
    Deal(
        "gas-renewal", "gas", "ar2", "燃气集团客服系统扩容", Decimal("1800000"), -20, ("lost",),
        lead_source="inbound",
        reason="客户战略转向氢能与海外 LNG,取消新增项目预算;只按原价续签维护合同",
    ),
    Deal(
        "gz-consulting", "ct-gz", "ar", "广州分公司营销数字化咨询", Decimal("1200000"), 100, (), lead="lead-gz",
    ),
    # --- SMB process --------------------------------------------------------------------------------
    Deal(
        "tianyue-saas", "tianyue", "smb", "天越新材料销售管理 SaaS", Decimal("380000"), 30, ("demo",),
        lead="lead-tianyue", template="smb-owner", project_type="standard_product",
    ),
    Deal(
        "tianyue-portal", "tianyue", "smb", "天越新材料经销商订货门户", Decimal("150000"), 90, (),
        lead_source="inbound", project_type="standard_product",
    ),
    Deal(
        "logistics-crm", "logistics", "smb", "Pacific Rim CRM 标准版", Decimal("256000"), 14,
        ("demo", "proposal", "close"), currency="HKD", lead_source="partner", project_type="standard_product",
        team=(("sr2", "sr"),),
        ticks=(
            ("bant", "Michael Chan 确认预算与决策权,本季度上线"),
            ("demo_done", "向 Michael Chan 演示跨境订单与客户管理"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("CRM 标准版订阅(用户·年)", "50", "4800", "10", "1200"),
                    _line("实施服务包", "1", "40000", "0", "22000"),
                ),
                approver="sr2",
            ),
        ),
    ),
    Deal(
        "logistics-mobile", "logistics", "smb", "Pacific Rim 移动端加购", Decimal("91200"), 40, ("demo", "proposal"),
        currency="HKD", lead_source="partner", project_type="standard_product",
        team=(("sr2", "sr"),),
        ticks=(("bant", "Michael Chan 追加 20 个移动端账号"), ("demo_done", "演示移动端报表")),
        quotes=(QuoteEntry((_line("移动端加购(用户·年)", "20", "4800", "5", "1200"),), until="draft"),),
    ),
    Deal(
        "consult-crm", "consult", "smb", "明德咨询 CRM 标准版", Decimal("116000"), -5,
        ("demo", "proposal", "close", "won"), lead_source="referral", project_type="standard_product",
        team=(("sr2", "sr"), ("fr", "fr")),
        ticks=(
            ("bant", "周明德合伙人确认预算 12 万,自己拍板"),
            ("demo_done", "向周合伙人演示项目与客户管理"),
            ("milestones", "一次性付款,签约后 15 天内"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("CRM 标准版订阅(用户·年)", "20", "4800", "0", "1200"),
                    _line("上线培训", "1", "20000", "0", "8000"),
                ),
                approver="sr2",
            ),
        ),
        reason="标准版满足需求,价格在老板权限内,当场拍板",
    ),
    Deal(
        "consult-bi", "consult", "smb", "明德咨询 BI 报表", Decimal("60000"), -30, ("lost",),
        lead_source="inbound", project_type="standard_product",
        reason="预算不足,客户选择了免费的报表工具",
    ),
    # --- won earlier: their contracts are being collected (see CONTRACTS) ----------------------------
    Deal(
        "steel-warehouse", "steel", "ar2", "上海基地原料库智能仓储系统", Decimal("6000000"), -200,
        ("guide", "bid", "negotiate", "won"), lead_source="referral",
        decision_process="采购中心牵头邀请招标(名录内供应商),设备处技术评分,财务总监会签,沈总审批。",
        team=(("sr", "sr"), ("fr", "fr")),
        guides=(("steel-procurement", "advise", "无"),),
        pains=(("steel-procurement", "原料库存账实不符", "人工盘点,月底对账", "停产待料风险,资金占用高"),),
        competitors=(
            ("上海本地仓储集成商", "价格低,响应快", "缺少与 MES、ERP 的集成经验", "medium",
             "突出与现有 MES 的集成方案和交付团队"),
        ),
        ticks=(
            ("bant", "钱总确认 600 万预算,沈总审批,年内上线"),
            ("bid_submitted", "邀请招标投标文件已递交,回执编号 EC-2025-041"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("智能仓储管理软件 WMS", "1", "3200000", "5", "1400000"),
                    _line("立体库控制与 RFID 硬件", "1", "2400000", "3", "1800000"),
                    _line("实施与培训", "1", "600000", "0", "380000"),
                ),
            ),
        ),
        reason="与现有 MES 的集成方案最完整;钱总与蒋处长支持,价格在预算内",
    ),
    Deal(
        "sz-workorder", "ct-sz", "ar", "深圳分公司 5G 专网开通工单系统一期", Decimal("1500000"), -150,
        ("guide", "bid", "negotiate", "won"), lead_source="outbound",
        team=(("sr", "sr"), ("fr", "fr")),
        guides=(("sz-network", "advise", "每月一次技术交流"),),
        pains=(("sz-network", "专网开通靠人工派单", "工单在网络部与政企部之间线下传递", "开通超过两周,行业客户投诉"),),
        competitors=(
            ("亚信科技", "运营商 BSS 经验丰富", "专网开通场景没有现成产品", "medium", "现成工单引擎,快速交付"),
        ),
        ticks=(
            ("bant", "彭总确认 150 万预算,钟主任负责,本季度签约"),
            ("bid_submitted", "比选响应文件已递交"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("工单引擎软件许可", "1", "900000", "5", "300000"),
                    _line("专网开通流程实施", "1", "650000", "5", "420000"),
                ),
            ),
        ),
        reason="现成工单引擎六周上线,钟主任认可;二期并入 5G 专网运营支撑 POC",
    ),
    Deal(
        "tianyue-service", "tianyue", "smb", "天越新材料客户服务工单系统", Decimal("240000"), -45,
        ("demo", "proposal", "close", "won"), lead_source="inbound", project_type="standard_product",
        team=(("sr2", "sr"), ("fr", "fr")),
        ticks=(
            ("bant", "吕总确认预算 24 万,自己拍板"),
            ("demo_done", "向吕总演示客诉工单与回访"),
            ("milestones", "签约付 50%,验收后付 50%"),
        ),
        quotes=(
            QuoteEntry(
                (
                    _line("客服工单标准版订阅(用户·年)", "30", "6000", "0", "1500"),
                    _line("实施与数据迁移", "1", "60000", "0", "30000"),
                ),
                approver="sr2",
            ),
        ),
        reason="标准版上线快,吕总当场拍板",
    ),
    # --- partner-led (SPEC §6, tier 2): a local integrator leads, we supply the platform -------------
    Deal(
        "gz-portal", "ct-gz", "ar", "广州分公司政企客户自助服务门户", Decimal("1600000"), 110, (),
        lead_source="partner", project_type="partner_led",
    ),
    Deal(
        "sz-queue", "ct-sz", "ar", "深圳分公司营业厅排队叫号系统", Decimal("450000"), 60, (),
        lead_source="partner", project_type="partner_led",
    ),
]  # fmt: skip


# --- collection: the contracts of the won deals (SPEC §7, seed 003 回款) -------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    kind: str
    percent: str
    trigger: str
    offset_days: int


@dataclass(frozen=True)
class Paper:
    """An evidence file, made by the loader (a small real PDF or PNG) and uploaded by `by`.
    `milestone` is the milestone's position, 0 for a paper of the whole contract."""

    milestone: int
    kind: str
    name: str
    by: str
    notes: str = ""


@dataclass(frozen=True)
class Chase:
    """A collection action: a call, visit, letter or legal step, `days_ago` before the load."""

    kind: str
    days_ago: int
    by: str
    outcome: str
    contact: str | None = None
    milestone: int = 0
    promised_in_days: int | None = None


@dataclass(frozen=True)
class ContractEntry:
    """The contract signed on a won deal and what happened on it since, each step by the person who does it:
    the deal owner opens it and records disputes, the FR records delivery and acceptance, finance sends
    invoices and records money received. Milestones are a template's or given here; they are referred to
    by position (1, 2, …). Days are counted back from the day the demo is loaded."""

    number: str
    signed_days_ago: int
    payment_terms: str
    template: str | None = None
    milestones: tuple[MilestoneRow, ...] = ()
    delivered_days_ago: int | None = None
    accepted_days_ago: int | None = None
    warranty_ends_in_days: int | None = None
    invoices: tuple[tuple[int, int, str], ...] = ()  # milestone, days ago, invoice number
    payments: tuple[tuple[int, str, int, str], ...] = ()  # milestone, amount, days ago, bank reference
    dispute: tuple[int, str] | None = None  # milestone, what the customer disputes
    evidence: tuple[Paper, ...] = ()
    sign_offs: tuple[tuple[int, str, str, int | None], ...] = ()  # milestone, contact, role, signed days ago
    actions: tuple[Chase, ...] = ()
    ticks: tuple[tuple[str, str, str], ...] = ()  # checklist item, by, note


# Chosen so that the battle map shows every state: paid, partially paid, overdue 31–90 and 91–180 days,
# disputed, invoiced and not yet due, planned with no date yet, and one accepted contract whose
# acceptance certificate is missing (华东精工: its finance will not pay the acceptance milestone
# without it). No invoice or payment falls near the 90-day edge of the collection cycle, so its
# figures (tests/collections/test_demo_measures.py) are the same whatever day the demo is loaded.
CONTRACTS = {
    "cm-ai": ContractEntry(
        "HT-CM-0417", 40, "签约 30%、到货 60%、验收 10%,均在开票后 30 天内电汇。",
        template="30-60-10",
        delivered_days_ago=10,
        invoices=((1, 40, "INV-CM-0417-01"), (2, 8, "INV-CM-0417-02")),
        payments=((1, "3600000", 30, "CMB-20417-01"), (2, "3000000", 3, "CMB-20417-02")),
        evidence=(
            Paper(0, "contract", "HT-CM-0417 合同签字页.pdf", "director"),
            Paper(1, "invoice", "INV-CM-0417-01 增值税专用发票.pdf", "finance"),
            Paper(2, "delivery_note", "到货签收单 Delivery note.png", "fr", "汪经理与方总签收"),
            Paper(2, "invoice", "INV-CM-0417-02 增值税专用发票.pdf", "finance"),
        ),
        sign_offs=(
            (1, "cm-finance", "finance", 32),
            (2, "cm-procurement", "supply_chain", 10),
            (2, "cm-it", "user", 10),
            (3, "cm-it", "decision_maker", None),
            (3, "cm-finance", "finance", None),
        ),
        actions=(
            Chase("call", 6, "director", "汪经理确认到货款先付 300 万,余款随下一批付款审批支付。", "cm-finance", 2, 15),
        ),
    ),
    "steel-warehouse": ContractEntry(
        "HT-EC-0352", 200, "签约 30%、到货 30%、验收 30%、质保期满 10%;凭验收单原件与发票付款。",
        template="30-30-30-10",
        delivered_days_ago=150,
        accepted_days_ago=90,
        warranty_ends_in_days=275,
        invoices=((1, 200, "INV-EC-0352-01"), (2, 150, "INV-EC-0352-02"), (3, 85, "INV-EC-0352-03")),
        payments=(
            (1, "1800000", 190, "ICBC-0352-01"),
            (2, "600000", 100, "ICBC-0352-02"),
            (2, "300000", 40, "ICBC-0352-03"),
        ),
        # The acceptance certificate of milestone 3 was never archived: the gap the evidence chain shows.
        evidence=(
            Paper(0, "contract", "HT-EC-0352 合同.pdf", "ar2"),
            Paper(1, "invoice", "INV-EC-0352-01 发票.pdf", "finance"),
            Paper(2, "delivery_note", "原料库设备到货签收单.png", "fr", "钱总签收,采购中心盖章"),
            Paper(2, "invoice", "INV-EC-0352-02 发票.pdf", "finance"),
            Paper(3, "invoice", "INV-EC-0352-03 发票.pdf", "finance"),
        ),
        sign_offs=(
            (2, "steel-procurement", "supply_chain", 150),
            (2, "steel-equipment", "quality", 148),
            (3, "steel-equipment", "user", 90),
            (3, "steel-finance", "finance", None),
            (3, "steel-president", "decision_maker", None),
        ),
        actions=(
            Chase("call", 75, "ar2", "韩总监:到货款余款排在下季度资金计划。", "steel-finance", 2),
            Chase(
                "visit", 45, "ar2", "钱总同意先付 30 万到货款;验收款要等验收单原件归档后才能走付款流程。",
                "steel-procurement", 3,
            ),
            Chase("letter", 20, "ar2", "发出催款函,附到货签收单与发票复印件;采购中心已签收回执。", None, 2),
            Chase("call", 5, "fr", "蒋处长答应补签验收单原件,本周内交财务归档。", "steel-equipment", 3, 7),
        ),
        ticks=(("correspondence_kept", "ar2", "催款函及采购中心签收回执已归档"),),
    ),
    "sz-workorder": ContractEntry(
        "HT-SZ-0298", 150, "签约 40%、验收 50%、质保期满 10%。",
        milestones=(
            MilestoneRow("down_payment", "40", "signing", 10),
            MilestoneRow("on_acceptance", "50", "acceptance", 30),
            MilestoneRow("warranty_retention", "10", "warranty_end", 30),
        ),
        delivered_days_ago=95,
        accepted_days_ago=75,
        warranty_ends_in_days=290,
        invoices=((1, 150, "INV-SZ-0298-01"), (2, 74, "INV-SZ-0298-02")),
        payments=((1, "600000", 138, "CCB-0298-01"),),
        dispute=(
            2,
            "客户财务认为上线比合同约定晚两周,要求按第 9.2 条扣除延期违约金 37,500 元后再付验收款;"
            "我方认为延期因客户网络割接窗口推迟所致。",
        ),
        evidence=(
            Paper(0, "contract", "HT-SZ-0298 合同.pdf", "ar"),
            Paper(1, "invoice", "INV-SZ-0298-01 发票.pdf", "finance"),
            Paper(2, "acceptance_certificate", "验收证书 Acceptance certificate.pdf", "fr", "钟主任、彭总签字"),
            Paper(2, "invoice", "INV-SZ-0298-02 发票.pdf", "finance"),
            Paper(2, "correspondence", "客户扣款函.pdf", "ar", "客户财务部来函"),
        ),
        sign_offs=((2, "sz-network", "quality", 75), (2, "sz-gm", "decision_maker", 74)),
        actions=(
            Chase("visit", 30, "ar", "彭总同意由网络部出具割接推迟的说明,作为免责依据。", "sz-gm", 2),
            Chase("letter", 12, "ar", "发函说明延期原因,附割接窗口变更记录。", None, 2),
        ),
        ticks=(("issues_closed", "fr", "验收遗留的三个问题已在验收会上关闭,钟主任签字确认"),),
    ),
    "consult-crm": ContractEntry(
        "HT-MD-0511", 20, "签约后 15 天内一次付清。",
        template="100-signing",
        invoices=((1, 20, "INV-MD-0511"),),
        payments=((1, "116000", 12, "ABC-0511"),),
        evidence=(
            Paper(0, "contract", "HT-MD-0511 合同.pdf", "smb"),
            Paper(1, "invoice", "INV-MD-0511 电子发票.pdf", "finance"),
        ),
        sign_offs=((1, "consult-partner", "decision_maker", 20),),
    ),
    "tianyue-service": ContractEntry(
        "HT-TY-0486", 45, "签约 50%,验收后 15 天内付 50%。",
        milestones=(
            MilestoneRow("down_payment", "50", "signing", 10),
            MilestoneRow("on_acceptance", "50", "acceptance", 15),
        ),
        delivered_days_ago=25,
        accepted_days_ago=10,
        invoices=((1, 45, "INV-TY-0486-01"), (2, 9, "INV-TY-0486-02")),
        payments=((1, "120000", 38, "BOC-0486-01"),),
        evidence=(
            Paper(0, "contract", "HT-TY-0486 合同.pdf", "smb"),
            Paper(1, "invoice", "INV-TY-0486-01 发票.pdf", "finance"),
            Paper(2, "acceptance_certificate", "验收单扫描件.png", "fr", "吕总签字"),
            Paper(2, "invoice", "INV-TY-0486-02 发票.pdf", "finance"),
        ),
        sign_offs=((1, "tianyue-gm", "decision_maker", 45), (2, "tianyue-gm", "decision_maker", 10)),
        actions=(Chase("call", 2, "smb", "吕总确认验收款月底前支付。", "tianyue-gm", 2, 4),),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DealVisit:
    """A visit logged against a deal: its contacts met tell whether the deal is single-threaded."""

    deal: str
    kind: str
    days_ago: int
    hour: int
    by: str
    participants: tuple[str, ...]
    contacts: tuple[str, ...]
    minutes: str
    next_steps: str = ""


# Logged more than a week ago, so this week's visit cadence stays as ROUTINE_VISITS says.
DEAL_VISITS = [
    DealVisit(
        "ct-crm", "visit", 12, 10, "ar", ("ar", "sr"), ("ct-sales-vp", "ct-sales-ops"),
        "集团 CRM 平台方案汇报:黄总认可分省推广节奏,马总监确认报表口径;要求 12 月前完成深圳 POC 验收。",
        "整理 POC 验收材料 · POC acceptance pack",
    ),
    DealVisit(
        "ct-crm", "meeting", 9, 14, "sr", ("sr", "fr"), ("ct-cio", "ct-architect"),
        "技术评估会:信息化部确认 BSS 接口清单和国产化数据库版本,林工牵头测试。",
    ),
    DealVisit(
        "ct-crm", "meal", 8, 19, "ar", ("ar", "director"), ("ct-cfo",),
        "与孙总沟通付款节奏与三年运维费用,财务倾向按里程碑付款。",
    ),
    DealVisit(
        "zj-capacity", "visit", 10, 10, "director", ("director", "sr"), ("zj-it",),
        "姚主任确认扩容范围与割接窗口;许总仍未见面,评标前需要争取。",
        "请许总参观华东精工交付现场",
    ),
    DealVisit(
        "gd-pilot", "visit", 16, 10, "ar", ("ar", "sr"), ("gd-vp", "gd-enterprise"),
        "省级试点范围沟通:罗总要求先上线政企线索与商机管理,谢总负责组织 21 个地市的业务骨干参与需求调研。",
        "提交试点范围说明书",
    ),
    DealVisit(
        "sz-poc", "meeting", 14, 14, "sr", ("sr", "fr"), ("sz-network", "sz-gm"),
        "POC 第二阶段启动:5G 专网开通工单从三天缩短到六小时的目标获彭总认可,钟主任负责验收标准。",
    ),
    DealVisit(
        "logistics-crm", "visit", 9, 11, "smb", ("smb",), ("logistics-it",),
        "Michael Chan 确认 50 个账号与实施范围,合同走香港公司。",
    ),
    DealVisit(
        "gz-consulting", "visit", 11, 15, "ar", ("ar",), ("gz-vp",),
        "梁总同意两周调研,调研对象待他指定。",
    ),
    DealVisit(
        "steel-inspection", "site_tour", 13, 9, "ar2", ("ar2", "sr", "ar"), ("steel-equipment", "steel-procurement"),
        "宁波基地现场测试:检测精度达标,钱总确认按名录内邀请招标推进。",
    ),
]  # fmt: skip


# An opportunity review (seed 002): the telecom KA unit's monthly review, chaired by the director.
REVIEW = (
    "ka-telecom",
    "运营商大客户部月度商机评审会",
    3,
    ("ar", "sr", "fr", "sr2"),
    "重点过集团 CRM、浙江容量扩容和广东试点三个商机。",
    (
        (
            "ct-crm",
            "继续重点投入:POC 验收前补齐法务与风控审计的沟通,央企案例由解决方案中心准备。",
            "ar",
            14,
        ),
        (
            "zj-capacity",
            "报价低于毛利底线,提交总经理审批;同时由方案经理重新评估驻场交付成本。",
            "sr",
            7,
        ),
        ("gd-pilot", "尽快找到能建议的向导;IT 部经理调走后技术评估人空缺,需重新覆盖。", "ar", 21),
    ),
)


# --- call for fire: the presales pool, partners, requests and deal registrations (SPEC §6) ------------

# code, Chinese name, English name, segment, parent code
RESOURCE_UNITS = [
    ("tech-south", "华南技术支持组", "South Technical Support", "presales", "ka-telecom-south"),
    ("callcentre", "呼叫中心", "Call Centre", "service", "hq"),
]

# Like USERS: username, display name, units, managed units, admin, what the person is for
RESOURCE_USERS = [
    ("pool", "黄志远 Huang Zhiyuan", ["presales"], ["presales"], False, "head of the solution centre (runs the pool)"),
    ("se1", "许文博 Xu Wenbo", ["presales"], [], False, "solution engineer, CRM and data platform, Guangdong"),
    ("se2", "林嘉怡 Lin Jiayi", ["presales"], [], False, "solution engineer, 5G private networks and POCs"),
    ("tech", "何俊 He Jun", ["tech-south"], [], False, "branch technical support, south (tier 2)"),
]

# username, display name, partner name, what the person is for
PARTNER_LOGINS = [
    (
        "partner",
        "梁志成 Liang Zhicheng",
        "华南智联系统集成有限公司",
        "external partner login (sees its registrations and shared deals)",
    ),
]


@dataclass(frozen=True)
class PartnerEntry:
    name: str
    name_en: str
    type: str
    tier: str
    capabilities: tuple[str, ...]
    regions: tuple[str, ...]
    website: str
    contacts: tuple[tuple[str, str, str, str, bool], ...]  # name, title, phone, e-mail, primary


PARTNERS = [
    PartnerEntry(
        "华南智联系统集成有限公司", "South China Smartlink Systems", "si", "gold",
        ("系统集成 System integration", "5G 专网", "驻场运维 On-site operations"),
        ("广东 Guangdong", "广州 Guangzhou", "深圳 Shenzhen"),
        "https://smartlink.example",
        (
            ("梁志成 Liang Zhicheng", "售前总监 Presales director", "020-5550-1201", "liang@smartlink.example", True),
            ("邓慧 Deng Hui", "客户经理 Account manager", "020-5550-1202", "deng@smartlink.example", False),
        ),
    ),
    PartnerEntry(
        "数擎软件有限公司", "DataEngine Software", "isv", "silver",
        ("数据中台 Data platform", "BI 报表", "CRM 二次开发"),
        ("江苏 Jiangsu", "浙江 Zhejiang"),
        "https://dataengine.example",
        (("钱晓峰 Qian Xiaofeng", "渠道经理 Channel manager", "025-5550-3301", "qian@dataengine.example", True),),
    ),
    PartnerEntry(
        "启航云商分销有限公司", "Qihang Cloud Distribution", "distributor", "registered",
        ("标准产品分销 Standard product distribution", "电商店铺运营"),
        ("浙江 Zhejiang", "上海 Shanghai"),
        "https://qihang.example",
        (("方敏 Fang Min", "销售经理 Sales manager", "0571-5550-7701", "fang@qihang.example", True),),
    ),
]  # fmt: skip

# The pool (who, unit, tier, skills, region, weekly hours, executive); partner teams name their partner.
POOL = [
    ("sr", "presales", "tier1", ("CRM", "BSS 集成", "方案设计"), "北京 Beijing", 32, False),
    ("sr2", "presales", "tier1", ("CRM 标准版", "实施", "培训"), "上海 Shanghai", 24, False),
    ("se1", "presales", "tier1", ("CRM", "数据中台", "POC"), "广东 Guangdong", 40, False),
    ("se2", "presales", "tier1", ("5G 专网", "POC", "投标"), "深圳 Shenzhen", 40, False),
    ("tech", "tech-south", "tier2", ("5G 专网", "网络", "系统集成"), "广州 Guangzhou", 40, False),
    ("gm", "hq", "tier1", ("高层拜访", "战略合作"), "", 8, True),
]
# partner, team name, unit, tier, skills, region, weekly hours
PARTNER_TEAM = (
    "华南智联系统集成有限公司",
    "华南智联售前团队",
    "tech-south",
    "tier2",
    ("系统集成", "5G 专网"),
    "广东 Guangdong",
    60,
)


@dataclass(frozen=True)
class RequestEntry:
    """A call for fire on a deal. Dates are in days from Monday of the week the demo is loaded, so each
    assignment covers whole weeks and this week's load can be worked out by hand (see the test)."""

    deal: str
    kind: str
    by: str
    skills: tuple[str, ...]
    hours: int
    needed_in_days: int  # from today
    notes: str
    outcome: str  # assigned / declined / done / requested / escalated
    to: str = ""  # username, or the partner team's name
    answered_by: str = ""
    starts: int = 0  # days from this week's Monday
    ends: int = 6
    answer: str = ""  # why it was declined, or what was delivered


REQUESTS = [
    # this week: 60 h over 3 weeks = 20 h a week
    RequestEntry(
        "ct-crm", "solution_design", "ar", ("CRM", "数据中台", "POC"), 60, 20,
        "集团 CRM 31 省推广方案与数据中台对接设计,POC 验收前完成", "assigned", "se1", "pool", 0, 20,
    ),
    # started last week: 48 h over 3 weeks = 16 h a week
    RequestEntry(
        "sz-poc", "poc", "sr", ("POC", "5G 专网"), 48, 13,
        "POC 第二阶段:专网开通工单六小时目标的现场验证", "assigned", "se2", "pool", -7, 13,
    ),
    # 24 h in this week
    RequestEntry(
        "steel-inspection", "bid_writing", "ar2", ("投标", "5G 专网"), 24, 6,
        "高炉在线检测邀请招标:技术标 5G 专网与边缘计算章节", "assigned", "sr", "pool", 0, 6,
    ),
    # partner-led and large: the branch technical team, 30 h over 2 weeks = 15 h a week
    RequestEntry(
        "gz-portal", "solution_design", "ar", ("网络", "系统集成"), 30, 13,
        "与华南智联联合设计门户与 BSS 对接方案", "assigned", "tech", "director", 0, 13,
    ),
    # partner-led and small: the partner's own presales, 20 h in this week
    RequestEntry(
        "sz-queue", "partner", "ar", ("系统集成",), 20, 6,
        "营业厅叫号系统现场勘查与报价", "assigned", "华南智联售前团队", "director", 0, 6,
    ),
    # the GM joins a customer meeting: 4 h over 2 weeks = 2 h a week
    RequestEntry(
        "ct-crm", "executive_sponsor", "ar", ("高层拜访",), 4, 13,
        "请陈总出席集团 CRM 方案汇报会,与黄总对齐分省推广节奏", "assigned", "gm", "gm", 0, 13,
    ),
    # done today: 12 h in this week, still counted in this week's load
    RequestEntry(
        "gd-pilot", "solution_design", "ar", ("CRM",), 12, 6,
        "省级试点范围说明书", "done", "se1", "pool", 0, 6,
        answer="试点范围说明书已提交罗总,政企线索与商机管理先行",
    ),
    RequestEntry(
        "gz-consulting", "poc", "ar", ("POC",), 40, 30,
        "营销数字化咨询前做一个演示 POC", "declined", answered_by="pool",
        answer="商机仍在验证阶段,先完成两周调研;POC 资源优先给进入引导阶段的项目",
    ),
    RequestEntry(
        "tianyue-saas", "expert", "smb", ("CRM 标准版",), 4, 10,
        "客户想了解标准版与其 ERP 的对接方式,请专家电话支持", "requested",
    ),
    # raised three days ago and nobody answered: past its SLA twice, escalated to the pool's head and the GM
    RequestEntry(
        "zj-capacity", "solution_design", "director", ("容量规划", "方案设计"), 24, 14,
        "浙江移动扩容方案:驻场交付成本重新评估", "escalated",
    ),
]  # fmt: skip

# partner, account key, project, deal key, outcome, days (protected for; for `expired`, ended ago), note.
# A partner with a login registers through it; the channel manager records the others.
REGISTRATIONS = [
    (
        "华南智联系统集成有限公司", "ct-gz", "政企客户自助服务门户", "gz-portal", "approved", 90,
        "与广州分公司确认由华南智联牵头,我方提供平台",
    ),
    ("数擎软件有限公司", "cm-js", "数据中台二期", None, "submitted", 60, ""),
    ("启航云商分销有限公司", "tianyue", "经销商订货门户", None, "expired", 10, ""),
]  # fmt: skip

PARTNER_MEETING = (
    "华南智联系统集成有限公司",
    "gz-portal",
    6,
    ("ops", "ar", "tech"),
    "梁志成、邓慧",
    "广州门户项目启动会",
    "分工:华南智联负责门户开发与驻场,我方提供平台与 BSS 对接;每两周一次联合项目例会。",
    "华南智联提交实施计划;技术支持组评审接口方案",
)

"""What the demo contains. Names, codes and figures are realistic but invented; websites use the
reserved `.example` domain.

The set is chosen so that every screen has something to show: an account tree three levels deep,
all four customer-matrix classes, every tier, a potential estimated from purchase drivers, a KA
profile waiting for a person to confirm it, accounts missing a triangle role, and one ownership
conflict between a KA unit and the SMB unit waiting for the middle office.
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
# of 60: exploring 30, rising 60, stable 85, declining 40) the accounts fall into:
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

"""Bilingual names and texts for the benchmark data: Chinese companies and people mostly, some foreign."""

from __future__ import annotations

import random

CITIES = [
    ("北京", "Beijing"), ("上海", "Shanghai"), ("广州", "Guangzhou"), ("深圳", "Shenzhen"), ("苏州", "Suzhou"),
    ("杭州", "Hangzhou"), ("南京", "Nanjing"), ("成都", "Chengdu"), ("武汉", "Wuhan"), ("西安", "Xi'an"),
    ("天津", "Tianjin"), ("重庆", "Chongqing"), ("青岛", "Qingdao"), ("宁波", "Ningbo"), ("厦门", "Xiamen"),
    ("合肥", "Hefei"), ("长沙", "Changsha"), ("郑州", "Zhengzhou"), ("无锡", "Wuxi"), ("佛山", "Foshan"),
]  # fmt: skip
WORDS = [
    ("华锐", "Huarui"), ("恒通", "Hengtong"), ("中科", "Zhongke"), ("瑞丰", "Ruifeng"), ("鼎盛", "Dingsheng"),
    ("金桥", "Jinqiao"), ("海纳", "Haina"), ("东方", "Dongfang"), ("新元", "Xinyuan"), ("天成", "Tiancheng"),
    ("宏远", "Hongyuan"), ("博达", "Boda"), ("嘉禾", "Jiahe"), ("永信", "Yongxin"), ("长城", "Changcheng"),
    ("润泽", "Runze"), ("星河", "Xinghe"), ("正泰", "Zhengtai"), ("凯盛", "Kaisheng"), ("信诚", "Xincheng"),
    ("远航", "Yuanhang"), ("明德", "Mingde"), ("佳信", "Jiaxin"), ("华夏", "Huaxia"), ("同创", "Tongchuang"),
]  # fmt: skip
INDUSTRIES = [
    ("精密制造", "Precision Manufacturing", "manufacturing"), ("电子科技", "Electronics", "electronics"),
    ("汽车零部件", "Auto Parts", "automotive"), ("医药", "Pharmaceutical", "healthcare"),
    ("能源", "Energy", "energy"), ("物流", "Logistics", "logistics"), ("银行", "Bank", "finance"),
    ("通信", "Telecom", "telecom"), ("化工", "Chemicals", "chemicals"), ("食品", "Foods", "consumer"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞斌波宁晨浩然宇轩欣怡子涵梓萱雨婷俊峰建国志强文博"
FIRST = ["James", "Anna", "Peter", "Laura", "Michael", "Sophie", "David", "Emma", "Thomas", "Julia", "Mark", "Nina"]
LAST = ["Miller", "Schmidt", "Brown", "Dubois", "Rossi", "Smith", "Weber", "Martin", "Keller", "Novak", "Evans"]
TITLES = [
    ("总经理", "CEO"), ("副总经理", "Vice President"), ("采购总监", "Head of Procurement"), ("财务总监", "CFO"),
    ("技术总监", "CTO"), ("生产经理", "Production Manager"), ("IT经理", "IT Manager"), ("采购专员", "Buyer"),
    ("质量经理", "Quality Manager"), ("项目经理", "Project Manager"), ("法务经理", "Legal Counsel"),
]  # fmt: skip
DEPARTMENTS = ["总经办", "采购部", "财务部", "技术部", "生产部", "信息部", "质量部", "法务部"]
TOPICS_ZH = [
    "招标文件", "技术方案", "预算审批", "产线改造", "数字化转型", "供应商评估", "样机测试", "交付计划",
    "验收标准", "付款条件", "年度框架协议", "竞品对比", "高层拜访", "现场考察", "培训安排", "售后服务",
]  # fmt: skip
TOPICS_EN = [
    "tender documents", "solution design", "budget approval", "line upgrade", "digital transformation",
    "supplier audit", "pilot test", "delivery plan", "acceptance criteria", "payment terms", "framework agreement",
    "competitor comparison", "executive visit", "site survey", "training plan", "after-sales service",
]  # fmt: skip
PRODUCTS = ["MES", "ERP", "SCADA", "WMS", "PLM", "边缘网关", "视觉检测", "能耗管理", "数据中台", "工业机器人"]


def company(rng: random.Random, serial: int) -> tuple[str, str, str, str]:
    """A company name (unique by its serial), its region, industry code and a credit-code-like id."""
    city_zh, city_en = rng.choice(CITIES)
    word_zh, word_en = WORDS[serial % len(WORDS)]
    ind_zh, ind_en, industry = rng.choice(INDUSTRIES)
    if rng.random() < 0.15:
        name = f"{city_en} {word_en} {ind_en} Co., Ltd. No.{serial}"
    else:
        name = f"{city_zh}{word_zh}{ind_zh}有限公司{serial}号"
    return name, city_zh, industry, credit_code(serial)


def credit_code(serial: int) -> str:
    """A valid unified social credit code, distinct per serial."""
    from irontriangle.accounts.credit_code import check_character

    first17 = f"91{serial:015d}"
    return first17 + check_character(first17)


def person(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def title(rng: random.Random) -> str:
    return rng.choice(TITLES)[0 if rng.random() < 0.85 else 1]


def minutes(rng: random.Random, contact_name: str) -> tuple[str, str]:
    """Minutes and next steps of a customer meeting, Chinese mostly, sometimes English."""
    if rng.random() < 0.2:
        topic = rng.choice(TOPICS_EN)
        other = rng.choice(TOPICS_EN)
        return (
            f"Met {contact_name} about the {topic}; the customer asked for details on {other} "
            f"and a reference site for {rng.choice(PRODUCTS)}.",
            f"Send the {other} summary by Friday.",
        )
    topic = rng.choice(TOPICS_ZH)
    other = rng.choice(TOPICS_ZH)
    product = rng.choice(PRODUCTS)
    return (
        f"与{contact_name}沟通{topic},客户关注{product}的{other},希望下周提供详细资料并安排技术交流。",
        f"整理{other}材料,约定下次会议时间。",
    )

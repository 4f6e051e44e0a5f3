"""The default sales processes of SPEC §5 and the sales checklist of seed 000, installed by a migration.

Each stage: code, English and Chinese names, default probability, forecast category, outcome, optional,
the AR / SR / FR weights (seed 000: AR leads early, SR in bidding, FR after signing), and its items:
key, English and Chinese labels, required to leave the stage, the tool that checks it.
"""

from __future__ import annotations

from typing import Any

KA_STAGES: list[dict[str, Any]] = [
    {
        "code": "verify",
        "en": "Verify",
        "zh": "验证商机",
        "p": 10,
        "fc": "pipeline",
        "w": (60, 30, 10),
        "items": [
            ("bant", "BANT confirmed", "BANT 已确认", True, "bant_confirmed"),
            ("guide", "A guide who can advise or intervene", "找到能建议或能干预的向导", True, "guide_identified"),
            (
                "decision_maker",
                "Decision maker mapped on the power map",
                "权力地图上已标出决策人",
                True,
                "power_map_mapped",
            ),
            (
                "decision_process",
                "Customer's decision process recorded",
                "已记录客户决策流程",
                False,
                "decision_process_recorded",
            ),
        ],
    },
    {
        "code": "guide",
        "en": "Pre-bid guidance",
        "zh": "标前引导",
        "p": 30,
        "fc": "pipeline",
        "w": (40, 50, 10),
        "items": [
            ("pain_chain", "Pain chain recorded", "已记录痛苦链", True, "pain_chain_recorded"),
            ("competitors", "Competitors analysed", "已分析竞争对手", True, "competitors_analysed"),
            ("sr", "SR on the deal team", "方案经理已加入", True, "sr_assigned"),
            ("solution", "Solution presented and accepted by the users", "方案已向用户汇报并获认可", False, "manual"),
            ("multi_threaded", "More than one contact met", "接触不止一位客户联系人", False, "multi_threaded"),
        ],
    },
    {
        "code": "trial",
        "en": "Trial",
        "zh": "试用",
        "p": 40,
        "fc": "best_case",
        "w": (30, 50, 20),
        "optional": True,
        "items": [("trial_accepted", "Trial results accepted by the customer", "试用结果获客户认可", True, "manual")],
    },
    {
        "code": "bid",
        "en": "Bid",
        "zh": "投标",
        "p": 50,
        "fc": "best_case",
        "w": (30, 60, 10),
        "items": [
            ("quote", "Quote approved by the SR", "报价已由方案经理审批", True, "quote_approved"),
            ("bid_submitted", "Bid submitted", "标书已递交", True, "manual"),
            (
                "procurement",
                "Procurement stakeholders covered",
                "采购流程各环节的关键人已覆盖",
                False,
                "procurement_covered",
            ),
        ],
    },
    {
        "code": "negotiate",
        "en": "Negotiate and sign",
        "zh": "谈判签约",
        "p": 80,
        "fc": "commit",
        "w": (50, 20, 30),
        "items": [
            ("milestones", "Payment milestones agreed", "回款节点已与客户约定", True, "milestones_agreed"),
            ("fr", "FR on the deal team", "交付经理已加入", True, "fr_assigned"),
            ("contract_review", "Contract reviewed by legal", "合同已经法务审核", False, "manual"),
        ],
    },
    {
        "code": "won",
        "en": "Won",
        "zh": "赢单",
        "p": 100,
        "fc": "commit",
        "outcome": "won",
        "w": (20, 20, 60),
        "items": [],
    },
    {
        "code": "lost",
        "en": "Lost",
        "zh": "丢单",
        "p": 0,
        "fc": "omitted",
        "outcome": "lost",
        "w": (40, 40, 20),
        "items": [],
    },
]

SMB_STAGES: list[dict[str, Any]] = [
    {
        "code": "qualify",
        "en": "Qualify",
        "zh": "资格确认",
        "p": 10,
        "fc": "pipeline",
        "w": (70, 20, 10),
        "items": [("bant", "BANT confirmed", "BANT 已确认", True, "bant_confirmed")],
    },
    {
        "code": "demo",
        "en": "Demo",
        "zh": "产品演示",
        "p": 30,
        "fc": "pipeline",
        "w": (60, 30, 10),
        "items": [
            ("demo_done", "Demo given to the decision maker", "已向决策人演示", True, "manual"),
            (
                "decision_maker",
                "Decision maker mapped on the power map",
                "权力地图上已标出决策人",
                False,
                "power_map_mapped",
            ),
        ],
    },
    {
        "code": "proposal",
        "en": "Proposal",
        "zh": "方案报价",
        "p": 60,
        "fc": "best_case",
        "w": (50, 40, 10),
        "items": [("quote", "Quote approved by the SR", "报价已由方案经理审批", True, "quote_approved")],
    },
    {
        "code": "close",
        "en": "Close",
        "zh": "成交",
        "p": 80,
        "fc": "commit",
        "w": (60, 10, 30),
        "items": [("milestones", "Payment terms agreed", "付款条件已约定", False, "manual")],
    },
    {
        "code": "won",
        "en": "Won",
        "zh": "赢单",
        "p": 100,
        "fc": "commit",
        "outcome": "won",
        "w": (30, 10, 60),
        "items": [],
    },
    {
        "code": "lost",
        "en": "Lost",
        "zh": "丢单",
        "p": 0,
        "fc": "omitted",
        "outcome": "lost",
        "w": (60, 30, 10),
        "items": [],
    },
]

PROCESSES = [
    ("ka", "Key-account process", "大客户销售流程", "ka", KA_STAGES),
    ("smb", "SMB process", "中小客户销售流程", "smb", SMB_STAGES),
]


def install_processes(process_model: Any, stage_model: Any, item_model: Any) -> None:
    """Create the default processes that do not exist yet; an edited process is left as it is."""
    for code, name_en, name_zh, segment, stages in PROCESSES:
        process, created = process_model.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh": name_zh, "segment": segment}
        )
        if not created:
            continue
        for position, spec in enumerate(stages, start=1):
            ar, sr, fr = spec["w"]
            stage = stage_model.objects.create(
                process=process,
                code=spec["code"],
                name_en=spec["en"],
                name_zh=spec["zh"],
                position=position,
                probability=spec["p"],
                forecast_category=spec["fc"],
                outcome=spec.get("outcome", ""),
                is_optional=spec.get("optional", False),
                ar_weight=ar,
                sr_weight=sr,
                fr_weight=fr,
            )
            for index, (key, label_en, label_zh, required, tool) in enumerate(spec["items"], start=1):
                item_model.objects.create(
                    stage=stage,
                    key=key,
                    label_en=label_en,
                    label_zh=label_zh,
                    required=required,
                    tool=tool,
                    position=index,
                )


def ensure_processes() -> None:
    """Install the defaults when no process exists at all (a fresh or flushed database), as the other
    configurable defaults do; an administrator's edited processes are never touched."""
    from irontriangle.pipeline.models import ChecklistItem, SalesProcess, Stage

    if not SalesProcess.objects.exists():
        install_processes(SalesProcess, Stage, ChecklistItem)

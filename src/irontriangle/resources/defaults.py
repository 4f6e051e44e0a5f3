"""The SLAs and routing rules a company starts with (seed 002's three tiers of support).

Installed by a migration and reinstalled when found empty, so a deleted table never stops a request.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# kind, hours within which the pool must answer (assign or decline)
SLAS: list[tuple[str, int]] = [
    ("solution_design", 24),
    ("poc", 48),
    ("bid_writing", 24),
    ("expert", 24),
    ("executive_sponsor", 72),
    ("partner", 48),
]

# Partner-led projects from this amount are "large": the branch technical team serves them.
LARGE_PARTNER_PROJECT = Decimal("1000000")

# position, project type, from, below, tier, served by, double-count, Chinese, English
ROUTING: list[tuple[int, str, Decimal, Decimal | None, str, str, bool, str, str]] = [
    (
        10,
        "company_led",
        Decimal("0"),
        None,
        "tier1",
        "people",
        True,
        "一级支撑:本公司主导的项目,由方案中心一站式服务,并双算业绩",
        "Tier 1: company-led projects, served one-stop by the solution centre, which double-counts them",
    ),
    (
        20,
        "partner_led",
        LARGE_PARTNER_PROJECT,
        None,
        "tier2",
        "people",
        False,
        "二级支撑:合作伙伴主导的大项目,由分公司技术团队支持",
        "Tier 2: large partner-led projects, supported by the branch technical team",
    ),
    (
        30,
        "partner_led",
        Decimal("0"),
        LARGE_PARTNER_PROJECT,
        "tier2",
        "partner",
        False,
        "二级支撑:合作伙伴主导的小项目,由合作伙伴售前自行解决",
        "Tier 2: small partner-led projects, handled by the partner's own presales",
    ),
    (
        40,
        "standard_product",
        Decimal("0"),
        None,
        "tier3",
        "people",
        False,
        "三级支撑:经销商和电商的标准产品,由呼叫中心及其后的专家支持",
        "Tier 3: standard products of distributors and e-commerce, served by the call centre with experts",
    ),
]


def install_slas(model: Any) -> None:
    existing = set(model.objects.values_list("kind", flat=True))
    model.objects.bulk_create(
        model(kind=kind, answer_within_hours=hours) for kind, hours in SLAS if kind not in existing
    )


def install_routing(model: Any) -> None:
    if model.objects.exists():
        return
    model.objects.bulk_create(
        model(
            position=position,
            project_type=project_type,
            min_amount=low,
            max_amount=high,
            tier=tier,
            serve_with=serve_with,
            double_count=double,
            description=zh,
            description_en=en,
        )
        for position, project_type, low, high, tier, serve_with, double, zh, en in ROUTING
    )


def ensure_defaults() -> None:
    from irontriangle.resources.models import ResourceSettings, RoutingRule, SlaRule

    install_slas(SlaRule)
    install_routing(RoutingRule)
    if not ResourceSettings.objects.exists():
        ResourceSettings.objects.create()

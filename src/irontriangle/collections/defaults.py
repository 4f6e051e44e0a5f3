"""The payment schedules a company starts with (seed 003: down payment, delivery, acceptance, warranty).

Installed by a migration and reinstalled if an administrator ever deletes them all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# code, English, Chinese, [(kind, percent, trigger, days after the trigger)]
TEMPLATES: list[tuple[str, str, str, list[tuple[str, str, str, int]]]] = [
    (
        "30-60-10",
        "30 / 60 / 10: down payment, delivery, acceptance",
        "30/60/10:首付款、到货款、验收款",
        [
            ("down_payment", "30", "signing", 15),
            ("on_delivery", "60", "delivery", 30),
            ("on_acceptance", "10", "acceptance", 30),
        ],
    ),
    (
        "30-30-30-10",
        "30 / 30 / 30 / 10: down payment, delivery, acceptance, warranty retention",
        "30/30/30/10:首付款、到货款、验收款、质保尾款",
        [
            ("down_payment", "30", "signing", 15),
            ("on_delivery", "30", "delivery", 30),
            ("on_acceptance", "30", "acceptance", 30),
            ("warranty_retention", "10", "warranty_end", 30),
        ],
    ),
    (
        "100-signing",
        "100% on signing (small contracts)",
        "签约后一次付清(小额合同)",
        [("down_payment", "100", "signing", 15)],
    ),
]


def install_templates(template_model: Any, line_model: Any) -> None:
    for position, (code, name_en, name_zh, lines) in enumerate(TEMPLATES):
        template, created = template_model.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh": name_zh, "position": position}
        )
        if created:
            line_model.objects.bulk_create(
                line_model(
                    template=template,
                    position=index,
                    kind=kind,
                    percent=Decimal(percent),
                    trigger=trigger,
                    offset_days=days,
                )
                for index, (kind, percent, trigger, days) in enumerate(lines)
            )


def ensure_templates() -> None:
    from irontriangle.collections.models import MilestoneTemplate, MilestoneTemplateLine

    if not MilestoneTemplate.objects.exists():
        install_templates(MilestoneTemplate, MilestoneTemplateLine)

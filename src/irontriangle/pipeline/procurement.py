"""Customer procurement templates (seed 004): which buying roles each step of a purchase needs on our side."""

from __future__ import annotations

from dataclasses import dataclass

from irontriangle.pipeline.models import Opportunity, ProcurementStep
from irontriangle.relationships.models import BuyingRole, Contact, ContactStatus


@dataclass
class StepCoverage:
    step: ProcurementStep
    covered: list[str]
    uncovered: list[str]


def coverage(opportunity: Opportunity) -> list[StepCoverage]:
    """Per step of the template the deal follows, the stakeholder roles held by an active contact or not."""
    if opportunity.procurement_template_id is None:
        return []
    held: set[str] = set()
    for roles in Contact.objects.filter(account_id=opportunity.account_id, status=ContactStatus.ACTIVE).values_list(
        "buying_roles", flat=True
    ):
        held.update(code for code in roles.split(",") if code)
    steps = ProcurementStep.objects.filter(template_id=opportunity.procurement_template_id).order_by("position")
    return [
        StepCoverage(
            step=step,
            covered=[role for role in step.roles if role in held],
            uncovered=[role for role in step.roles if role not in held],
        )
        for step in steps
    ]


def uncovered_roles(opportunity: Opportunity) -> list[str]:
    """The template's stakeholder roles nobody at the customer holds, in buying-role order."""
    missing = {role for step in coverage(opportunity) for role in step.uncovered}
    return [role for role in BuyingRole.values if role in missing]

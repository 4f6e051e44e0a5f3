"""How far a relationship plan has come: the distance closed towards its targets and the actions done."""

from __future__ import annotations

from collections.abc import Mapping

from irontriangle.relationships.models import LEVEL_ORDER, STANCE_ORDER, RelationshipPlan


def _closed(start: str, current: str, target: str, order: Mapping[str, int]) -> tuple[int, int]:
    """Steps wanted and steps made on one scale; moving away from the target makes nothing."""
    wanted = abs(order[target] - order[start])
    if not wanted:
        return 0, 0
    direction = 1 if order[target] > order[start] else -1
    made = (order[current] - order[start]) * direction
    return wanted, max(0, min(made, wanted))


def plan_progress(plan: RelationshipPlan) -> int:
    """0–100: half for the distance closed on intimacy, support and stance, half for the actions done.
    A plan with only one of the two is measured by that one; an achieved plan is 100."""
    if plan.status == "achieved":
        return 100
    contact = plan.contact
    wanted = made = 0
    for start, current, target, order in (
        (plan.start_intimacy, contact.intimacy, plan.target_intimacy, LEVEL_ORDER),
        (plan.start_support, contact.support, plan.target_support, LEVEL_ORDER),
        (plan.start_stance, contact.stance, plan.target_stance, STANCE_ORDER),
    ):
        step_wanted, step_made = _closed(start, current, target, order)
        wanted += step_wanted
        made += step_made
    actions = list(plan.actions.all())
    parts = []
    if wanted:
        parts.append(made / wanted)
    if actions:
        parts.append(sum(1 for action in actions if action.done_on) / len(actions))
    return round(100 * sum(parts) / len(parts)) if parts else 0

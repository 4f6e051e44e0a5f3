"""The sales checklist (seed 000): what each stage asks, checked from the data wherever the data can tell.

A tool's fact is True or False when the records decide it, and None when they cannot (no lead behind the
deal, no procurement template): then a person ticks the item with evidence, as for `manual` items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from irontriangle.pipeline.models import (
    ChecklistItem,
    ChecklistTick,
    Competitor,
    Guide,
    GuideLevel,
    Opportunity,
    OpportunityRole,
    OpportunityTeamMember,
    PainChainLink,
    Quote,
    QuoteStatus,
    Stage,
    Tool,
)
from irontriangle.relationships.models import BuyingRole, Contact, ContactStatus, Interaction
from irontriangle.relationships.selectors import role_q

# A guide who only passes on information does not open doors: the gate wants one who advises or intervenes.
USEFUL_GUIDES = (GuideLevel.INTERVENE, GuideLevel.ADVISE)


def _bant(opportunity: Opportunity) -> bool | None:
    lead = opportunity.lead
    if lead is None or lead.conversion_override_reason:
        return None
    return not lead.missing_bant


def _procurement(opportunity: Opportunity) -> bool | None:
    if opportunity.procurement_template_id is None:
        return None
    from irontriangle.pipeline.procurement import uncovered_roles

    return not uncovered_roles(opportunity)


def _team_has(role: str) -> Exists:
    return Exists(OpportunityTeamMember.objects.filter(opportunity_id=OuterRef("pk"), role=role))


def _record_checks() -> dict[str, Any]:
    """What the records say, one SQL expression per tool, so the whole checklist costs one query."""
    from irontriangle.collections.models import Contract, PaymentMilestone

    deal = OuterRef("pk")
    met = (
        Interaction.contacts.through.objects.filter(
            interaction__opportunity_id=deal, interaction__deleted_at__isnull=True
        )
        .values("interaction__opportunity_id")
        .annotate(people=Count("contact_id", distinct=True))
        .values("people")  # type: ignore[misc]
    )
    return {
        Tool.POWER_MAP_MAPPED: Exists(
            Contact.objects.filter(
                role_q(BuyingRole.DECISION_MAKER), account_id=OuterRef("account_id"), status=ContactStatus.ACTIVE
            )
        ),
        Tool.PAIN_CHAIN_RECORDED: Exists(PainChainLink.objects.filter(opportunity_id=deal)),
        Tool.GUIDE_IDENTIFIED: Exists(
            Guide.objects.filter(opportunity_id=deal, level__in=USEFUL_GUIDES, contact__deleted_at__isnull=True)
        ),
        # Analysed means every competitor listed has both its strengths and its weaknesses written down.
        Tool.COMPETITORS_ANALYSED: ExpressionWrapper(
            Q(Exists(Competitor.objects.filter(opportunity_id=deal)))
            & ~Q(Exists(Competitor.objects.filter(Q(strengths="") | Q(weaknesses=""), opportunity_id=deal))),
            output_field=BooleanField(),
        ),
        Tool.SR_ASSIGNED: _team_has(OpportunityRole.SR),
        Tool.FR_ASSIGNED: _team_has(OpportunityRole.FR),
        Tool.QUOTE_APPROVED: Exists(Quote.objects.filter(opportunity_id=deal, status=QuoteStatus.APPROVED)),
        Tool.MULTI_THREADED: GreaterThan(Coalesce(Subquery(met, output_field=IntegerField()), 0), 1),
        # Agreed means written into a contract: its milestones were accepted only if they add up to it.
        Tool.MILESTONES_AGREED: Exists(
            Contract.objects.filter(
                Exists(PaymentMilestone.objects.filter(contract_id=OuterRef("pk"))), opportunity_id=deal
            )
        ),
    }


def facts_of(opportunity: Opportunity, tools: set[str]) -> dict[str, bool | None]:
    """True or False where the records decide, None where a person must tick (no lead, no template)."""
    facts: dict[str, bool | None] = {}
    if Tool.BANT_CONFIRMED in tools:
        facts[Tool.BANT_CONFIRMED] = _bant(opportunity)
    if Tool.PROCUREMENT_COVERED in tools:
        facts[Tool.PROCUREMENT_COVERED] = _procurement(opportunity)
    if Tool.DECISION_PROCESS_RECORDED in tools:
        facts[Tool.DECISION_PROCESS_RECORDED] = bool(opportunity.decision_process_notes.strip())
    checks = {tool: expression for tool, expression in _record_checks().items() if tool in tools}
    if checks:
        row = Opportunity.all_objects.filter(pk=opportunity.pk).annotate(**checks).values(*checks).first() or {}
        facts.update({tool: bool(row.get(tool)) for tool in checks})
    return facts


@dataclass
class ItemState:
    key: str
    label: str
    required: bool
    done: bool
    stage: str
    stage_name: str
    tool: str
    # Checked from the data: nobody can tick it by hand.
    automatic: bool
    evidence: str = ""


def stages_in_scope(opportunity: Opportunity, stages: Iterable[Stage]) -> list[Stage]:
    """The stages whose items count towards the score: those reached so far, an optional one only if entered."""
    current = opportunity.stage
    return [
        stage
        for stage in stages
        if not stage.outcome
        and (stage.position <= current.position or current.outcome)
        and (not stage.is_optional or stage.pk == current.pk)
    ]


def evaluate(opportunity: Opportunity, items: Iterable[ChecklistItem]) -> list[ItemState]:
    items = list(items)
    ticks = {tick.key: tick for tick in ChecklistTick.objects.filter(opportunity=opportunity, done=True)}
    facts = facts_of(opportunity, {item.tool for item in items if item.tool != Tool.MANUAL})
    states = []
    for item in items:
        fact = facts.get(item.tool) if item.tool != Tool.MANUAL else None
        tick = ticks.get(item.key)
        states.append(
            ItemState(
                key=item.key,
                label=item.label,
                required=item.required,
                done=bool(fact) if fact is not None else tick is not None,
                stage=item.stage.code,
                stage_name=item.stage.name,
                tool=item.tool,
                automatic=fact is not None,
                evidence=tick.evidence if tick is not None and fact is None else "",
            )
        )
    return states


def process_items(opportunity: Opportunity) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(stage__process_id=opportunity.process_id)
        .select_related("stage")
        .order_by("stage__position", "position", "id")
    )


def checklist(opportunity: Opportunity) -> list[ItemState]:
    """Every item of the process, those of later stages included, with what is done."""
    return evaluate(opportunity, process_items(opportunity))


def score(states: list[ItemState], opportunity: Opportunity) -> tuple[int, int, int]:
    stage_codes = {stage.code for stage in stages_in_scope(opportunity, opportunity.process.stages.all())}
    counted = [state for state in states if state.stage in stage_codes]
    done = sum(1 for state in counted if state.done)
    total = len(counted)
    return done, total, round(done * 100 / total) if total else 0


def unmet_to_leave(opportunity: Opportunity, target: Stage, states: list[ItemState] | None = None) -> list[ItemState]:
    """The required items still open on the way from the current stage to `target`.

    Leaving a stage needs its own required items; jumping ahead also needs those of the stages skipped.
    Losing a deal, or stepping back, needs nothing.
    """
    current = opportunity.stage
    if target.outcome == "lost" or target.position <= current.position:
        return []
    states = states if states is not None else checklist(opportunity)
    passing = {
        stage.code
        for stage in opportunity.process.stages.all()
        if current.position <= stage.position < target.position
        and not stage.outcome
        and (stage.pk == current.pk or not stage.is_optional)
    }
    return [state for state in states if state.stage in passing and state.required and not state.done]


def refresh(opportunity: Opportunity) -> tuple[int, int, int]:
    """Store the score on the opportunity so that lists read it without computing it per row."""
    figures = score(checklist(opportunity), opportunity)
    done, total, value = figures
    if (opportunity.checklist_done, opportunity.checklist_total, opportunity.checklist_score) != figures:
        Opportunity.all_objects.filter(pk=opportunity.pk).update(
            checklist_done=done, checklist_total=total, checklist_score=value
        )
        opportunity.checklist_done, opportunity.checklist_total, opportunity.checklist_score = figures
    return figures


def refresh_account(account_id: int) -> None:
    """The account's contacts changed: the power map and procurement items of its open deals may have too."""
    for opportunity in Opportunity.objects.filter(
        ~Q(stage__outcome__in=("won", "lost")), account_id=account_id
    ).select_related("stage", "process", "lead"):
        refresh(opportunity)

"""Quotes: the AR prices with the customer, the SR sets and approves the price (no player-referee), and a
margin below the floor also needs a manager above the deal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, Forbidden, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import Membership, User
from irontriangle.pipeline import checklist
from irontriangle.pipeline.models import (
    Opportunity,
    OpportunityRole,
    OpportunityTeamMember,
    Quote,
    QuoteLine,
    QuoteStatus,
)
from irontriangle.pipeline.selectors import holds_role, is_manager_of
from irontriangle.pipeline.services.common import announce, require_opportunity_editor, require_reason, text
from irontriangle.pipeline.settings import pipeline_settings

CENT = Decimal("0.01")
EDITABLE_STATUSES = (QuoteStatus.DRAFT, QuoteStatus.REJECTED)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _lines(quote: Quote, rows: list[dict[str, Any]]) -> list[QuoteLine]:
    errors: list[FieldError] = []
    lines = []
    if not rows:
        errors.append(FieldError("lines", "required", _("A quote needs at least one line.")))
    for index, row in enumerate(rows):
        values: dict[str, Any] = {"discount": Decimal("0"), "unit_cost": Decimal("0")}
        values.update(
            {
                name: row[name]
                for name in ("quantity", "list_price", "discount", "unit_cost")
                if row.get(name) is not None
            }
        )
        line = QuoteLine(quote=quote, position=index + 1, product=text(row.get("product")), **values)
        try:
            line.full_clean(exclude=["quote"])
        except Exception as exc:  # a ValidationError per field: name the line and the field
            for name, messages in getattr(exc, "message_dict", {"product": [str(exc)]}).items():
                errors.extend(FieldError(f"lines.{index}.{name}", "invalid", message) for message in messages)
            continue
        if line.quantity <= 0:
            errors.append(FieldError(f"lines.{index}.quantity", "out_of_range", _("The quantity must be above 0.")))
        if not Decimal("0") <= line.discount <= Decimal("100"):
            errors.append(FieldError(f"lines.{index}.discount", "out_of_range", _("A discount is 0 to 100 percent.")))
        lines.append(line)
    if errors:
        raise InvalidInput(errors)
    return lines


def line_total(line: QuoteLine) -> Decimal:
    return _money(line.quantity * line.list_price * (Decimal("100") - line.discount) / Decimal("100"))


def _compute(quote: Quote, lines: list[QuoteLine]) -> None:
    quote.total = sum((line_total(line) for line in lines), Decimal("0"))
    quote.cost = _money(sum((line.quantity * line.unit_cost for line in lines), Decimal("0")))
    quote.margin = quote.total - quote.cost
    quote.margin_percent = _money(quote.margin * 100 / quote.total) if quote.total else None
    floor = pipeline_settings().margin_floor_percent
    quote.below_floor = quote.margin_percent is None or quote.margin_percent < floor


def _save_lines(quote: Quote, lines: list[QuoteLine]) -> None:
    quote.lines.all().delete()
    for line in lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(lines)


def refresh_opportunity_margin(opportunity: Opportunity) -> None:
    """The deal carries the margin of its approved quote, or else of its latest one still in play."""
    quotes = Quote.objects.filter(opportunity=opportunity).exclude(status=QuoteStatus.REJECTED)
    current = (
        quotes.filter(status=QuoteStatus.APPROVED).order_by("-number").first() or quotes.order_by("-number").first()
    )
    margin = current.margin if current else None
    percent = current.margin_percent if current else None
    Opportunity.all_objects.filter(pk=opportunity.pk).update(margin=margin, margin_percent=percent)
    opportunity.margin, opportunity.margin_percent = margin, percent


@transaction.atomic
def quote_create(*, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any]) -> Quote:
    require_opportunity_editor(viewer, opportunity)
    number = (Quote.all_objects.filter(opportunity=opportunity).aggregate(top=Max("number"))["top"] or 0) + 1
    quote = Quote(
        opportunity=opportunity,
        number=number,
        currency=opportunity.currency,
        valid_until=data.get("valid_until"),
        notes=text(data.get("notes")),
    )
    lines = _lines(quote, data.get("lines") or [])
    _compute(quote, lines)
    validate(quote)
    quote._history_user = actor  # type: ignore[attr-defined]
    quote.save()
    _save_lines(quote, lines)
    refresh_opportunity_margin(opportunity)
    announce(opportunity, kind="quote.created", actor=actor, data={"quote_id": quote.pk, "number": number})
    return quote


@transaction.atomic
def quote_update(*, viewer: Viewer, actor: User, quote: Quote, data: dict[str, Any], version: int | None) -> Quote:
    require_opportunity_editor(viewer, quote.opportunity)
    current = lock_for_update(quote)
    check_version(current, version)
    if current.status not in EDITABLE_STATUSES:
        raise Conflict(_("Only a draft or rejected quote can be changed."), code="quote_locked")
    for name in ("valid_until", "notes"):
        if name in data:
            setattr(current, name, text(data[name]) if name == "notes" else data[name])
    lines = None
    if "lines" in data and data["lines"] is not None:
        lines = _lines(current, data["lines"])
        _compute(current, lines)
    current.status = QuoteStatus.DRAFT
    save_versioned(current, actor=actor)
    if lines is not None:
        _save_lines(current, lines)
    refresh_opportunity_margin(current.opportunity)
    announce(current.opportunity, kind="quote.updated", actor=actor, data={"quote_id": current.pk})
    return current


def _sr_ids(opportunity: Opportunity) -> set[int]:
    return set(
        OpportunityTeamMember.objects.filter(opportunity=opportunity, role=OpportunityRole.SR).values_list(
            "user_id", flat=True
        )
    )


def _manager_ids(opportunity: Opportunity) -> set[int]:
    """Managers of the account's owner unit and every unit above it."""
    path = opportunity.account.owner_unit.path
    ancestors = [path[:end] for end in range(1, len(path) + 1) if path[end - 1] == "/"] or [path]
    return set(
        Membership.objects.filter(unit__path__in=ancestors, is_manager=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _tell(quote: Quote, actor: User, kind: str, recipients: set[int], title: Any) -> None:
    event_emit(
        kind=kind,
        subject=quote.opportunity,
        actor=actor,
        data={"opportunity_id": quote.opportunity_id, "quote_id": quote.pk, "status": quote.status},
        recipient_ids=recipients,
        message=bilingual(title, link=f"/opportunities/{quote.opportunity_id}/#quotes"),
    )


@transaction.atomic
def quote_submit(*, viewer: Viewer, actor: User, quote: Quote) -> Quote:
    require_opportunity_editor(viewer, quote.opportunity)
    current = lock_for_update(quote)
    if current.status not in EDITABLE_STATUSES:
        raise Conflict(_("This quote has already been submitted."), code="quote_locked")
    current.status = QuoteStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.rejection_reason = ""
    save_versioned(current, actor=actor)
    _tell(
        current,
        actor,
        "quote.submitted",
        _sr_ids(current.opportunity),
        lambda: (
            _("Quote %(ref)s of %(name)s waits for the SR's approval")
            % {"ref": current.reference, "name": current.opportunity.name}
        ),
    )
    return current


@transaction.atomic
def quote_approve(*, viewer: Viewer, actor: User, quote: Quote) -> Quote:
    """The SR approves a submitted quote; below the floor it then waits for a manager above the deal."""
    opportunity = quote.opportunity
    current = lock_for_update(quote)
    if current.status == QuoteStatus.SUBMITTED:
        # No player-referee: whoever negotiates with the customer may not approve the price.
        if opportunity.owner_id == viewer.user_id or holds_role(viewer, opportunity, OpportunityRole.AR):
            raise Forbidden(_("The AR who negotiates the deal cannot approve its price."))
        if not holds_role(viewer, opportunity, OpportunityRole.SR):
            raise Forbidden(_("Only the SR of the deal approves its price."))
        current.sr_approved_by, current.sr_approved_at = actor, timezone.now()
        current.status = QuoteStatus.PENDING_MANAGER if current.below_floor else QuoteStatus.APPROVED
    elif current.status == QuoteStatus.PENDING_MANAGER:
        if not is_manager_of(viewer, opportunity) or current.sr_approved_by_id == viewer.user_id:
            raise Forbidden(_("A margin below the floor needs a manager above the deal."))
        current.manager_approved_by, current.manager_approved_at = actor, timezone.now()
        current.status = QuoteStatus.APPROVED
    else:
        raise Conflict(_("This quote is not waiting for approval."), code="not_pending")
    save_versioned(current, actor=actor)
    refresh_opportunity_margin(opportunity)
    checklist.refresh(opportunity)
    if current.status == QuoteStatus.PENDING_MANAGER:
        _tell(
            current,
            actor,
            "quote.pending_manager",
            _manager_ids(opportunity),
            lambda: (
                _("Quote %(ref)s of %(name)s is below the margin floor and needs your approval")
                % {"ref": current.reference, "name": opportunity.name}
            ),
        )
    else:
        _tell(
            current,
            actor,
            "quote.approved",
            {opportunity.owner_id} | set(opportunity.team_members.values_list("user_id", flat=True)),
            lambda: _("Quote %(ref)s of %(name)s is approved") % {"ref": current.reference, "name": opportunity.name},
        )
    return current


@transaction.atomic
def quote_reject(*, viewer: Viewer, actor: User, quote: Quote, reason: str) -> Quote:
    opportunity = quote.opportunity
    current = lock_for_update(quote)
    if current.status == QuoteStatus.SUBMITTED:
        allowed = holds_role(viewer, opportunity, OpportunityRole.SR) and not holds_role(
            viewer, opportunity, OpportunityRole.AR
        )
    elif current.status == QuoteStatus.PENDING_MANAGER:
        allowed = is_manager_of(viewer, opportunity)
    else:
        raise Conflict(_("This quote is not waiting for approval."), code="not_pending")
    if not allowed:
        raise Forbidden()
    current.rejection_reason = require_reason("reason", reason, _("Say why the quote is rejected."))
    current.status = QuoteStatus.REJECTED
    save_versioned(current, actor=actor)
    refresh_opportunity_margin(opportunity)
    _tell(
        current,
        actor,
        "quote.rejected",
        {opportunity.owner_id} | set(opportunity.team_members.values_list("user_id", flat=True)),
        lambda: (
            _("Quote %(ref)s of %(name)s was rejected: %(reason)s")
            % {"ref": current.reference, "name": opportunity.name, "reason": current.rejection_reason}
        ),
    )
    return current


@transaction.atomic
def quote_delete(*, viewer: Viewer, actor: User, quote: Quote) -> None:
    require_opportunity_editor(viewer, quote.opportunity)
    if quote.status == QuoteStatus.APPROVED:
        raise Conflict(_("An approved quote is kept; make a new one instead."), code="quote_locked")
    record_soft_delete(quote, actor=actor)
    refresh_opportunity_margin(quote.opportunity)
    checklist.refresh(quote.opportunity)

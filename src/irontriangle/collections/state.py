"""A milestone's status and ageing, as the database computes them for any day.

The status column is kept by the services and the hourly job, but a read never trusts it alone: a
milestone that fell due overnight is `overdue` on the first read of the morning, job or no job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, DecimalField, F, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from irontriangle.collections.models import MilestoneStatus

# Ageing buckets (days past due, money still outstanding) in the order reports show them.
BUCKETS: list[tuple[str, Any, int | None, int | None]] = [
    ("not_due", _("Not due yet"), None, None),
    ("0_30", _("0–30 days"), 0, 30),
    ("31_90", _("31–90 days"), 31, 90),
    ("91_180", _("91–180 days"), 91, 180),
    ("180_plus", _("Over 180 days"), 181, None),
]
BUCKET_CODES = [code for code, *_rest in BUCKETS]
BUCKET_LABELS = {code: label for code, label, *_rest in BUCKETS}

OUTSTANDING = Greatest(F("amount") - F("received"), Value(Decimal("0")), output_field=DecimalField())


def unpaid_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}received__lt": F(f"{prefix}amount")})


def bucket_q(code: str, today: date) -> Q:
    """Milestones with money outstanding whose days past due fall in the bucket."""
    if code == "not_due":
        return unpaid_q() & (Q(due__isnull=True) | Q(due__gt=today))
    _code, _label, low, high = next(bucket for bucket in BUCKETS if bucket[0] == code)
    q = unpaid_q() & Q(due__lte=today - timedelta(days=low or 0))
    if high is not None:
        q &= Q(due__gte=today - timedelta(days=high))
    return q


def status_q(status: str, today: date) -> Q:
    """The rows whose status on `today` is `status` (the same order of precedence as `status_case`)."""
    disputed = ~Q(dispute_reason="")
    open_ = ~disputed & unpaid_q()
    not_past = Q(due__isnull=True) | Q(due__gte=today)
    paid = ~disputed & ~unpaid_q()
    overdue = open_ & Q(due__lt=today)
    partial = open_ & not_past & Q(received__gt=0)
    invoiced = open_ & not_past & Q(received=0, invoiced_on__isnull=False)
    planned = open_ & not_past & Q(received=0, invoiced_on__isnull=True)
    return {
        MilestoneStatus.DISPUTED: disputed,
        MilestoneStatus.PAID: paid,
        MilestoneStatus.OVERDUE: overdue,
        MilestoneStatus.PARTIALLY_PAID: partial,
        MilestoneStatus.INVOICED: invoiced,
        MilestoneStatus.PLANNED: planned,
    }[MilestoneStatus(status)]


def status_case(today: date) -> Case:
    return Case(
        When(~Q(dispute_reason=""), then=Value(MilestoneStatus.DISPUTED.value)),
        When(~unpaid_q(), then=Value(MilestoneStatus.PAID.value)),
        When(due__lt=today, then=Value(MilestoneStatus.OVERDUE.value)),
        When(received__gt=0, then=Value(MilestoneStatus.PARTIALLY_PAID.value)),
        When(invoiced_on__isnull=False, then=Value(MilestoneStatus.INVOICED.value)),
        default=Value(MilestoneStatus.PLANNED.value),
        output_field=CharField(),
    )


def bucket_case(today: date) -> Case:
    whens = [When(~unpaid_q(), then=Value(""))]
    whens += [When(bucket_q(code, today), then=Value(code)) for code in BUCKET_CODES]
    return Case(*whens, default=Value(""), output_field=CharField())


def with_state(queryset: QuerySet[Any], today: date) -> QuerySet[Any]:
    """Annotate `current_status`, `outstanding_amount` and `bucket` (empty when nothing is outstanding)."""
    return queryset.annotate(
        current_status=status_case(today), outstanding_amount=OUTSTANDING, bucket=bucket_case(today)
    )


@dataclass(frozen=True)
class MilestoneState:
    status: str
    outstanding: Decimal
    bucket: str
    days_overdue: int


def state_of(milestone: Any, today: date) -> MilestoneState:
    """The same rules in Python, for a milestone just written (the services keep the column with it)."""
    outstanding = max(milestone.amount - milestone.received, Decimal("0"))
    past_due = milestone.due is not None and milestone.due < today
    if milestone.dispute_reason:
        status = MilestoneStatus.DISPUTED
    elif outstanding == 0:
        status = MilestoneStatus.PAID
    elif past_due:
        status = MilestoneStatus.OVERDUE
    elif milestone.received > 0:
        status = MilestoneStatus.PARTIALLY_PAID
    elif milestone.invoiced_on is not None:
        status = MilestoneStatus.INVOICED
    else:
        status = MilestoneStatus.PLANNED
    days = (today - milestone.due).days if milestone.due is not None else 0
    bucket = ""
    if outstanding > 0:
        if milestone.due is None or milestone.due > today:
            bucket = "not_due"
        else:
            bucket = next(code for code, _label, low, high in BUCKETS[1:] if high is None or days <= high)
    return MilestoneState(status.value, outstanding, bucket, max(days, 0))

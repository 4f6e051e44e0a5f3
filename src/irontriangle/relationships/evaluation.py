"""Relationship evaluation of an account for a year (seed 001): the nine key actions as a checklist,
the evidence the records already hold for each, and the quantitative results available so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from irontriangle.accounts.models import Account, CustomerInfo
from irontriangle.relationships.models import (
    EVALUATION_ITEMS,
    FACE_TO_FACE,
    ContactStatus,
    Interaction,
    OrgActivity,
    OrgActivityKind,
    PlanStatus,
    RelationshipEvaluation,
    RelationshipPlan,
)
from irontriangle.relationships.selectors import account_contacts, has_backup, primary_owner


@dataclass
class EvaluationItem:
    key: str
    label: str
    done: bool
    evidence: str


@dataclass
class Evaluation:
    account: Account
    year: int
    record: RelationshipEvaluation | None
    items: list[EvaluationItem] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def score(self) -> int:
        return round(100 * self.checked / len(EVALUATION_ITEMS))


def evaluation_record(account: Account, year: int) -> RelationshipEvaluation | None:
    return RelationshipEvaluation.objects.filter(account=account, year=year).first()


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    return start, timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))


def account_evaluation(account: Account, year: int) -> Evaluation:
    from django.utils.translation import gettext as _

    record = evaluation_record(account, year)
    start, end = _year_bounds(year)
    contacts = account_contacts(account)
    key_contacts = [contact for contact in contacts if contact.is_key and contact.status == ContactStatus.ACTIVE]
    owned = [contact for contact in key_contacts if primary_owner(contact) is not None and has_backup(contact)]
    interactions = Interaction.objects.filter(account=account, occurred_at__gte=start, occurred_at__lt=end).aggregate(
        total=Count("pk"), in_person=Count("pk", filter=Q(kind__in=FACE_TO_FACE))
    )
    activities = {
        row["kind"]: row
        for row in OrgActivity.objects.filter(account=account, occurred_on__year=year)
        .values("kind")
        .annotate(n=Count("pk"), with_outcome=Count("pk", filter=~Q(outcome="")))
    }
    plans = RelationshipPlan.objects.filter(contact__account=account, contact__deleted_at__isnull=True).aggregate(
        active=Count("pk", filter=Q(status=PlanStatus.ACTIVE)),
        achieved=Count("pk", filter=Q(status=PlanStatus.ACHIEVED)),
    )
    recent_info = CustomerInfo.objects.filter(
        account=account, updated_at__gte=timezone.now() - timedelta(days=365)
    ).count()
    agreements = activities.get(OrgActivityKind.STRATEGIC_AGREEMENT, {}).get("n", 0)
    executive = activities.get(OrgActivityKind.EXECUTIVE_VISIT, {})
    evidence = {
        "plan_made": _("%(active)s active and %(achieved)s achieved relationship plans") % plans,
        "information_maintained": _("%(count)s information records updated in the last 12 months")
        % {"count": recent_info},
        "key_relationships_owned": _("%(owned)s of %(total)s key contacts have an owner and a backup")
        % {"owned": len(owned), "total": len(key_contacts)},
        "strategic_agreement": _("%(count)s strategic agreements this year") % {"count": agreements},
        "contact_activities_standardised": _("%(count)s interactions logged this year")
        % {"count": interactions["total"]},
        "executive_minutes_timely": _("%(with)s of %(total)s executive visits have their outcome recorded")
        % {"with": executive.get("with_outcome", 0), "total": executive.get("n", 0)},
    }
    result = Evaluation(account=account, year=year, record=record)
    for key, label in EVALUATION_ITEMS:
        result.items.append(
            EvaluationItem(key, str(label), bool(record and getattr(record, key)), evidence.get(key, ""))
        )
    supporters = sum(1 for contact in contacts if contact.stance == "supporter" and contact.status == "active")
    result.results = {
        "relationship_strength": account.relationship_score,
        "contacts": len(contacts),
        "key_contacts": len(key_contacts),
        "key_contacts_owned": len(owned),
        "supporters": supporters,
        "interactions": interactions["total"],
        "in_person_interactions": interactions["in_person"],
        "org_activities": sum(row["n"] for row in activities.values()),
    }
    return result

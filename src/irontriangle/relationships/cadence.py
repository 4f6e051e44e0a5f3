"""Cadences: customer visits per person per week (general relationships) and the yearly organisational
activities each S / A account should get (seed 001)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from irontriangle.accounts.models import Account
from irontriangle.common.access import Viewer
from irontriangle.relationships.models import FACE_TO_FACE, Interaction, OrgActivity, OrgActivityKind, OrgCadenceTarget

TREND_WEEKS = 8
# Units whose people meet customers; the visit cadence is theirs.
CUSTOMER_FACING = ("ka", "smb", "presales", "service")

DEFAULT_ORG_CADENCE = [
    # Seed 001: strategic alignment with each valued (S/A) account at least once or twice a year,
    # executive mutual visits at least twice a year.
    {"kind": OrgActivityKind.STRATEGIC_ALIGNMENT_MEETING, "tier": "s", "per_year": 2},
    {"kind": OrgActivityKind.STRATEGIC_ALIGNMENT_MEETING, "tier": "a", "per_year": 1},
    {"kind": OrgActivityKind.EXECUTIVE_VISIT, "tier": "s", "per_year": 2},
    {"kind": OrgActivityKind.EXECUTIVE_VISIT, "tier": "a", "per_year": 2},
]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- visit cadence ----------------------------------------------------------------------------------


@dataclass
class PersonCadence:
    user: Any
    unit: Any
    visits: int
    target: int
    trend: list[int]

    @property
    def below_target(self) -> bool:
        return self.visits < self.target


@dataclass
class UnitCadence:
    unit: Any
    people: int
    visits: int
    target: int
    on_target: int
    trend: list[float]

    @property
    def average(self) -> float:
        return round(self.visits / self.people, 1) if self.people else 0.0

    @property
    def below_target(self) -> bool:
        return self.people > 0 and self.average < self.target


@dataclass
class CadenceReport:
    week: date
    target: int
    weeks: list[date]
    people: list[PersonCadence] = field(default_factory=list)
    units: list[UnitCadence] = field(default_factory=list)


def cadence_people(viewer: Viewer, unit_code: str = "") -> list[Any]:
    """Whose cadence the viewer may see: everyone (global read), the people of units they manage, themselves."""
    from irontriangle.org.models import Membership, OrgUnit

    memberships = Membership.objects.filter(user__is_active=True, unit__segment__in=CUSTOMER_FACING)
    if not viewer.read_all:
        memberships = memberships.filter(viewer.manager_scope("unit__path") | Q(user_id=viewer.user_id))
    if unit_code:
        unit = OrgUnit.objects.filter(code=unit_code).first()
        memberships = memberships.filter(unit__path__startswith=unit.path) if unit else memberships.none()
    chosen: dict[int, Any] = {}
    for membership in memberships.select_related("user", "unit").order_by("-is_primary", "unit__path"):
        # A person counts once, under their primary (or first) customer-facing unit.
        chosen.setdefault(membership.user_id, membership)
    return sorted(chosen.values(), key=lambda membership: (membership.unit.path, membership.user.username))


def visit_counts(user_ids: list[int], first_week: date, last_week: date) -> dict[tuple[int, date], int]:
    """Face-to-face interactions per participant per week (Monday)."""
    rows = Interaction.objects.filter(
        kind__in=FACE_TO_FACE,
        participants__id__in=user_ids,
        occurred_at__gte=_local_midnight(first_week),
        occurred_at__lt=_local_midnight(last_week + timedelta(days=7)),
    ).values_list("participants__id", "occurred_at")
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for user_id, occurred_at in rows:
        counts[(user_id, week_start(timezone.localtime(occurred_at).date()))] += 1
    return counts


def visit_cadence(viewer: Viewer, week: date, *, unit_code: str = "", target: int = 5) -> CadenceReport:
    week = week_start(week)
    weeks = [week - timedelta(days=7 * back) for back in range(TREND_WEEKS - 1, -1, -1)]
    report = CadenceReport(week=week, target=target, weeks=weeks)
    memberships = cadence_people(viewer, unit_code)
    counts = visit_counts([membership.user_id for membership in memberships], weeks[0], week)
    by_unit: dict[int, list[PersonCadence]] = defaultdict(list)
    units: dict[int, Any] = {}
    for membership in memberships:
        trend = [counts.get((membership.user_id, day), 0) for day in weeks]
        person = PersonCadence(membership.user, membership.unit, trend[-1], target, trend)
        report.people.append(person)
        by_unit[membership.unit_id].append(person)
        units[membership.unit_id] = membership.unit
    for unit_id, people in by_unit.items():
        report.units.append(
            UnitCadence(
                unit=units[unit_id],
                people=len(people),
                visits=sum(person.visits for person in people),
                target=target,
                on_target=sum(1 for person in people if not person.below_target),
                trend=[round(sum(person.trend[i] for person in people) / len(people), 1) for i in range(len(weeks))],
            )
        )
    return report


# --- organisational cadence -------------------------------------------------------------------------


def cadence_targets() -> dict[str, dict[str, int]]:
    """Yearly targets by tier then kind; the defaults of seed 001 when none were ever configured."""
    rows = list(OrgCadenceTarget.objects.all())
    if not rows:
        for values in DEFAULT_ORG_CADENCE:
            OrgCadenceTarget.objects.get_or_create(kind=values["kind"], tier=values["tier"], defaults=values)
        rows = list(OrgCadenceTarget.objects.all())
    targets: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row.per_year:
            targets[row.tier][row.kind] = row.per_year
    return targets


@dataclass
class OrgCadence:
    account: Account
    kind: str
    kind_label: str
    per_year: int
    last_on: date | None
    count_last_year: int
    due_on: date

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def org_cadences(accounts: list[Account], today: date | None = None) -> list[OrgCadence]:
    """Each account's cadence per kind its tier has a target for: last time, count in 12 months, next due."""
    today = today or timezone.localdate()
    targets = cadence_targets()
    wanted = [account for account in accounts if targets.get(account.tier)]
    if not wanted:
        return []
    year_ago = today - timedelta(days=365)
    stats = {
        (row["account_id"], row["kind"]): row
        for row in OrgActivity.objects.filter(account__in=wanted)
        .values("account_id", "kind")
        .annotate(last_on=Max("occurred_on"), recent=Count("pk", filter=Q(occurred_on__gt=year_ago)))
    }
    labels = dict(OrgActivityKind.choices)
    result = []
    for account in wanted:
        for kind, per_year in sorted(targets[account.tier].items()):
            row = stats.get((account.pk, kind), {})
            last_on = row.get("last_on")
            # The next one is due one interval after the last (or after the account was created).
            basis = last_on or timezone.localtime(account.created_at).date()
            result.append(
                OrgCadence(
                    account=account,
                    kind=kind,
                    kind_label=str(labels.get(kind, kind)),
                    per_year=per_year,
                    last_on=last_on,
                    count_last_year=row.get("recent", 0),
                    due_on=basis + timedelta(days=365 // per_year),
                )
            )
    return result

"""Reads of contracts and what hangs off them, always through what the viewer may see.

A contract is seen by whoever sees its opportunity (SPEC §1), and by finance, who follow every collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from irontriangle.collections.models import (
    CollectionAction,
    Contract,
    ContractTick,
    Evidence,
    Payment,
    PaymentMilestone,
    SignOff,
)
from irontriangle.collections.state import bucket_q, status_q, with_state
from irontriangle.common.access import Viewer, get_visible, ids_union
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.pipeline.selectors import can_edit_opportunity, managed_deals, opportunity_id_sources


def contract_scope(viewer: Viewer, *, prefix: str = "") -> Q:
    """Contracts of the deals a viewer sees, and those naming them as AR or FR."""
    if viewer.finance or viewer.read_all or viewer.manages_every_unit:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    contracts = Contract.all_objects
    sources: list[QuerySet[Any, Any]] = [
        contracts.filter(opportunity_id__in=source).values("pk") for source in opportunity_id_sources(viewer)
    ]
    sources += [
        contracts.filter(ar_id=viewer.user_id).values("pk"),
        contracts.filter(fr_id=viewer.user_id).values("pk"),
    ]
    scope = Q(**{f"{prefix}pk__in": ids_union(*sources)})
    if viewer.managed_paths and not viewer.external:
        scope |= managed_deals(viewer, f"{prefix}opportunity__")
    return scope


def contracts_visible(viewer: Viewer) -> QuerySet[Contract]:
    if viewer.is_anonymous:
        return Contract.objects.none()
    return Contract.objects.filter(
        contract_scope(viewer), opportunity__deleted_at__isnull=True, account__deleted_at__isnull=True
    ).select_related("account", "account__owner_unit", "opportunity", "ar", "fr")


def contract_get(viewer: Viewer, pk: Any) -> Contract:
    return get_visible(contracts_visible(viewer), pk)


def contract_detail(viewer: Viewer, pk: Any, today: date | None = None) -> Contract:
    """A contract with its milestones (state annotated), sign-offs, evidence and ticks, in a fixed number of
    queries whatever their count."""
    today = today or timezone.localdate()
    milestones = with_state(PaymentMilestone.objects.select_related("responsible"), today).prefetch_related(
        Prefetch("sign_offs", queryset=SignOff.objects.select_related("contact")),
        Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True).select_related("uploaded_by")),
        Prefetch("payments", queryset=Payment.objects.select_related("recorded_by")),
    )
    queryset = contracts_visible(viewer).prefetch_related(
        Prefetch("milestones", queryset=milestones),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(removed_at__isnull=True, milestone__isnull=True).select_related(
                "uploaded_by"
            ),
            to_attr="contract_evidence",
        ),
        Prefetch("ticks", queryset=ContractTick.objects.select_related("by")),
    )
    return get_visible(queryset, pk)


def can_edit_contract(viewer: Viewer, contract: Contract) -> bool:
    """The deal's editors, the contract's AR and FR, and finance record what happens on a contract."""
    if viewer.user_id is None:
        return False
    if viewer.finance or viewer.is_admin or viewer.user_id in (contract.ar_id, contract.fr_id):
        return True
    return can_edit_opportunity(viewer, contract.opportunity)


CONTRACT_SORTS = {f"{sign}{name}" for sign in ("", "-") for name in ("signed_on", "amount", "number", "updated_at")}


@dataclass
class ContractFilters:
    q: str = ""
    account_id: int | None = None
    opportunity_id: int | None = None
    ar_id: int | None = None
    fr_id: int | None = None
    sort: str = "-signed_on"


def filtered_contracts(viewer: Viewer, filters: ContractFilters) -> QuerySet[Contract]:
    queryset = contracts_visible(viewer)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(number__icontains=term) | Q(title__icontains=term) | Q(account__name__icontains=term)
        )
    for name in ("account_id", "opportunity_id", "ar_id", "fr_id"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{name: value})
    return queryset


def with_collected(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    """Annotate `received` and `down_payment` (sums over the live milestones) for lists of contracts.

    Correlated subqueries rather than a join with GROUP BY: a page of 50 then sums 50 contracts' milestones
    instead of grouping every visible contract before the page is cut.
    """
    from decimal import Decimal

    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    def total(column: str, **conditions: Any) -> Coalesce:
        rows = PaymentMilestone.objects.filter(contract_id=OuterRef("pk"), **conditions).order_by()
        summed = rows.values("contract_id").annotate(total=Sum(column)).values("total")
        return Coalesce(Subquery(summed, output_field=DecimalField()), Value(Decimal("0")), output_field=DecimalField())

    return queryset.annotate(received=total("received"), down_payment=total("amount", kind="down_payment"))


def contracts_page(viewer: Viewer, filters: ContractFilters, *, cursor: str | None, limit: int) -> Page[Contract]:
    return keyset_page(filtered_contracts(viewer, filters), order=filters.sort, cursor=cursor, limit=limit)


# --- milestones --------------------------------------------------------------------------------------


def milestones_visible(viewer: Viewer, today: date | None = None) -> QuerySet[PaymentMilestone]:
    today = today or timezone.localdate()
    if viewer.is_anonymous:
        return PaymentMilestone.objects.none()
    queryset = PaymentMilestone.objects.filter(
        contract_scope(viewer, prefix="contract__"),
        contract__deleted_at__isnull=True,
        contract__opportunity__deleted_at__isnull=True,
        contract__account__deleted_at__isnull=True,
    ).select_related(
        "contract", "contract__account", "contract__account__owner_unit", "contract__ar", "contract__fr", "responsible"
    )
    return with_state(queryset, today)


def milestone_get(viewer: Viewer, pk: Any) -> PaymentMilestone:
    return get_visible(milestones_visible(viewer), pk)


def contract_milestones(viewer: Viewer, contract: Contract) -> QuerySet[PaymentMilestone]:
    return milestones_visible(viewer).filter(contract=contract).select_related(None).select_related("responsible")


# --- payments, evidence, actions --------------------------------------------------------------------


def payments_visible(viewer: Viewer) -> QuerySet[Payment]:
    if viewer.is_anonymous:
        return Payment.objects.none()
    return Payment.objects.filter(
        contract_scope(viewer, prefix="milestone__contract__"),
        milestone__deleted_at__isnull=True,
        milestone__contract__deleted_at__isnull=True,
    ).select_related("milestone", "milestone__contract", "recorded_by")


def payments_page(
    viewer: Viewer,
    *,
    milestone_id: int | None,
    contract_id: int | None,
    received_from: date | None,
    received_to: date | None,
    cursor: str | None,
    limit: int,
) -> Page[Payment]:
    queryset = payments_visible(viewer)
    if milestone_id is not None:
        queryset = queryset.filter(milestone_id=milestone_id)
    if contract_id is not None:
        queryset = queryset.filter(milestone__contract_id=contract_id)
    if received_from is not None:
        queryset = queryset.filter(received_on__gte=received_from)
    if received_to is not None:
        queryset = queryset.filter(received_on__lte=received_to)
    return keyset_page(queryset, order="-received_on", cursor=cursor, limit=limit)


def payment_get(viewer: Viewer, pk: Any) -> Payment:
    return get_visible(payments_visible(viewer), pk)


def evidence_visible(viewer: Viewer) -> QuerySet[Evidence]:
    if viewer.is_anonymous:
        return Evidence.objects.none()
    return Evidence.objects.filter(
        contract_scope(viewer, prefix="contract__"), contract__deleted_at__isnull=True, removed_at__isnull=True
    ).select_related("contract", "milestone", "uploaded_by")


def evidence_get(viewer: Viewer, pk: Any) -> Evidence:
    return get_visible(evidence_visible(viewer), pk)


def contract_actions(contract: Contract) -> QuerySet[CollectionAction]:
    """Only call with a contract obtained through `contract_get`."""
    return contract.actions.select_related("actor", "contact", "milestone")


# --- the battle map ----------------------------------------------------------------------------------

BATTLE_SORTS = {f"{sign}{name}" for sign in ("", "-") for name in ("due", "amount", "received", "updated_at")}


@dataclass
class BattleFilters:
    q: str = ""
    unit_id: int | None = None
    ar_id: int | None = None
    fr_id: int | None = None
    account_id: int | None = None
    contract_id: int | None = None
    status: str = ""
    bucket: str = ""
    due_from: date | None = None
    due_to: date | None = None
    sort: str = "due"


def battle_map(viewer: Viewer, filters: BattleFilters, today: date | None = None) -> QuerySet[PaymentMilestone]:
    """Every visible contract × milestone, with its status, outstanding amount and ageing bucket."""
    today = today or timezone.localdate()
    queryset = milestones_visible(viewer, today)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(contract__number__icontains=term)
            | Q(contract__title__icontains=term)
            | Q(contract__account__name__icontains=term)
        )
    if filters.unit_id is not None:
        from irontriangle.org.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=filters.unit_id).first()
        queryset = (
            queryset.filter(contract__account__owner_unit__path__startswith=unit.path) if unit else queryset.none()
        )
    for name, lookup in (
        ("ar_id", "contract__ar_id"),
        ("fr_id", "contract__fr_id"),
        ("account_id", "contract__account_id"),
        ("contract_id", "contract_id"),
    ):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    if filters.status:
        queryset = queryset.filter(status_q(filters.status, today))
    if filters.bucket:
        queryset = queryset.filter(bucket_q(filters.bucket, today))
    if filters.due_from is not None:
        queryset = queryset.filter(due__gte=filters.due_from)
    if filters.due_to is not None:
        queryset = queryset.filter(due__lte=filters.due_to)
    return queryset

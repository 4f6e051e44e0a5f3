"""Relationship strength of an account, measured from its contacts (the customer matrix's second axis).

Counted: active contacts (not moved, promoted away or left) who are key persons or decision makers.
Strong: those among them who are supporters with medium or high intimacy.
Strength = 100 × strong ÷ counted, rounded down; 0 when nobody is counted yet.

As with the other derived account fields, the rule exists in Python (one account) and as SQL (every
account at once); tests/relationships/test_strength.py holds the two to each other.
"""

from __future__ import annotations

from django.db.models import Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from irontriangle.relationships.models import BuyingRole, Contact, ContactStatus, Level, Stance
from irontriangle.relationships.selectors import role_q

DECISION_MAKER = BuyingRole.DECISION_MAKER


def counted_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": ContactStatus.ACTIVE}) & (
        Q(**{f"{prefix}is_key": True}) | role_q(DECISION_MAKER, prefix)
    )


def strong_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}stance": Stance.SUPPORTER, f"{prefix}intimacy__in": (Level.MEDIUM, Level.HIGH)})


def strength_counts(account_id: int) -> tuple[int, int]:
    totals = Contact.objects.filter(counted_q(), account_id=account_id).aggregate(
        counted=Count("pk"), strong=Count("pk", filter=strong_q())
    )
    return totals["counted"], totals["strong"]


def strength_score_sql() -> ExpressionWrapper:
    """The same measure for every account in one UPDATE."""

    def count_of(condition: Q) -> Coalesce:
        rows = (
            Contact.objects.filter(condition, account_id=OuterRef("pk"))
            .order_by()
            .values("account_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    counted = count_of(counted_q())
    strong = count_of(counted_q() & strong_q())
    # Integer division on both databases: rounds down like the Python rule; nobody counted gives 0.
    return ExpressionWrapper(Value(100) * strong / Greatest(counted, Value(1)), output_field=IntegerField())

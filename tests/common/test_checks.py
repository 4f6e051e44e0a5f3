"""Check constraints are evaluated in Python on validation, with the database's meaning and no query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from irontriangle.collections.models import PaymentMilestone
from irontriangle.common.checks import Unreadable, evaluate
from irontriangle.common.errors import InvalidInput
from irontriangle.common.services import validate
from irontriangle.relationships.models import Contact


def test_comparisons_follow_sql_three_valued_logic():
    milestone = PaymentMilestone(percent=Decimal("30"), received=Decimal("0"), evidence_present=1, evidence_needed=2)
    assert evaluate(Q(percent__gte=0, percent__lte=100), milestone, ()) is True
    assert evaluate(Q(evidence_present__lte=F("evidence_needed")), milestone, ()) is True
    milestone.evidence_present = 3
    assert evaluate(Q(evidence_present__lte=F("evidence_needed")), milestone, ()) is False
    # NULL makes a comparison unknown, and an unknown check passes, as in the database.
    milestone.percent = None
    assert evaluate(Q(percent__gte=0), milestone, ()) is True
    assert evaluate(~Q(percent__gte=0), milestone, ()) is True


def test_or_negation_in_and_isnull():
    contact = Contact(stance="neutral", influence=3, external_id="")
    assert evaluate(Q(stance__in=["supporter", "neutral"]), contact, ()) is True
    assert evaluate(~Q(external_id=""), contact, ()) is False
    assert evaluate(Q(influence__gt=4) | Q(stance="neutral"), contact, ()) is True
    assert evaluate(Q(reports_to__isnull=True), contact, ()) is True


def test_a_condition_on_an_excluded_field_is_skipped_and_unknown_shapes_are_refused():
    contact = Contact(influence=9)
    assert evaluate(Q(influence__lte=5), contact, {"influence"}) is True
    with pytest.raises(Unreadable):
        evaluate(Q(name__icontains="x"), contact, ())
    with pytest.raises(Unreadable):
        evaluate(Q(account__name="x"), contact, ())


def test_validation_reports_the_violated_rule_without_asking_the_database(org):
    milestone = PaymentMilestone(
        kind="other", percent=Decimal("30"), amount=Decimal("1"), received=Decimal("0"),
        evidence_present=2, evidence_needed=1,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries, pytest.raises(InvalidInput) as caught:
        validate(milestone, exclude=["contract"])
    assert [(e.field, "milestone_evidence_counts" in str(e.message)) for e in caught.value.errors] == [
        ("non_field", True)
    ]
    # Django would have sent each check to the database as `SELECT 1 AS "_check" WHERE ...`.
    assert not [q for q in queries.captured_queries if '"_check"' in q["sql"]]
    milestone.evidence_present = 1
    validate(milestone, exclude=["contract"])

"""The derived fields exist as Python (one save) and as SQL (re-classifying all): both must agree."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from irontriangle.accounts import profiling
from irontriangle.accounts.models import Account, Coverage, KaProfileRule, MatrixSettings
from irontriangle.org.models import OrgUnit
from irontriangle.relationships.models import Contact, ContactStatus, Level, Stance


def _random_accounts(unit: OrgUnit, rng: random.Random, count: int) -> list[Account]:
    amounts = [None, Decimal("0.00"), Decimal("9999999.99"), Decimal("10000000.00"), Decimal("5e7"), Decimal("8e7")]
    return [
        Account(
            name=f"客户{index}",
            owner_unit=unit,
            coverage=rng.choice([*Coverage.values, ""]),
            region=rng.choice(["", "浙江", "  "]).strip(),
            annual_revenue=rng.choice(amounts),
            potential=rng.choice(amounts),
            listed_in_ranking=rng.random() < 0.5,
            high_willingness_to_pay=rng.random() < 0.3,
        )
        for index in range(count)
    ]


def _random_contacts(accounts: list[Account], rng: random.Random) -> list[Contact]:
    """Between none and eight contacts per account, with every combination that the strength rule reads:
    status, key flag, buying roles (decision maker anywhere in the list, or a look-alike), stance, intimacy,
    and some of them in the trash."""
    role_lists = [
        "",
        "decision_maker",
        "decision_maker,economic_buyer",
        "economic_buyer,decision_maker",
        "technical_evaluator,decision_maker,user",
        "economic_buyer",
        "user,procurement",
    ]
    contacts = []
    for account in accounts:
        for index in range(rng.randint(0, 8)):
            contacts.append(
                Contact(
                    account=account,
                    name=f"{account.name}-联系人{index}",
                    buying_roles=rng.choice(role_lists),
                    is_key=rng.random() < 0.5,
                    status=rng.choice(ContactStatus.values),
                    stance=rng.choice(Stance.values),
                    intimacy=rng.choice(Level.values),
                    support=rng.choice(Level.values),
                    deleted_at=timezone.now() if rng.random() < 0.1 else None,
                )
            )
    return Contact.all_objects.bulk_create(contacts)


def _rule_of_the_user_guide(contacts: list[Contact]) -> int:
    """The rule written out once more, independently: the share of active decision makers and key persons
    who are supporters with medium or high intimacy; contacts in the trash do not exist."""
    counted = [
        contact
        for contact in contacts
        if contact.deleted_at is None
        and contact.status == "active"
        and (contact.is_key or "decision_maker" in contact.buying_roles.split(","))
    ]
    strong = [contact for contact in counted if contact.stance == "supporter" and contact.intimacy != "low"]
    return 100 * len(strong) // len(counted) if counted else 0


def _random_configuration(rng: random.Random) -> tuple[MatrixSettings, list[KaProfileRule]]:
    settings = profiling.matrix_settings()
    settings.potential_threshold = rng.choice([Decimal("1.00"), Decimal("10000000.00"), Decimal("5e7")])
    settings.strength_threshold = rng.choice([0, 33, 50, 60, 86, 100])
    settings.save()
    profiling.enabled_rules()  # installs the defaults where a flushed test database lost them
    rules = list(KaProfileRule.objects.all())
    assert len(rules) == 4
    for rule in rules:
        rule.enabled = rng.random() < 0.8
        rule.priority = rng.randint(1, 50)
        rule.requires_ranking = rng.random() < 0.3
        rule.min_annual_revenue = rng.choice([None, Decimal("5e7"), rule.min_annual_revenue])
        rule.save()
    return settings, profiling.enabled_rules()


def test_python_and_sql_derive_the_same_values(org):
    rng = random.Random(20261123)
    unit = org["units"]["smb"]
    scores: set[int] = set()
    for _round in range(5):
        settings, rules = _random_configuration(rng)
        Contact.all_objects.all().delete()
        Account.all_objects.all().delete()
        accounts = Account.all_objects.bulk_create(_random_accounts(unit, rng, 60))
        contacts = _random_contacts(accounts, rng)

        profiling.reclassify_all()

        stored = {row.pk: row for row in Account.all_objects.all()}
        for account in accounts:
            expected_score = profiling.relationship_score(account, settings)
            mine = [contact for contact in contacts if contact.account_id == account.pk]
            assert expected_score == _rule_of_the_user_guide(mine), [
                (c.status, c.is_key, c.buying_roles, c.stance, c.intimacy, c.deleted_at) for c in mine
            ]
            row = stored[account.pk]
            assert row.relationship_score == expected_score, account.name
            assert row.matrix_class == profiling.matrix_class(account.potential, expected_score, settings)
            assert row.ka_rule == profiling.matching_rule(account, rules), (account.coverage, account.annual_revenue)
            scores.add(expected_score)

    # The random data reached the interesting cases: nobody counted, none strong, all strong, and fractions.
    assert {0, 100} <= scores and len(scores) >= 5


def test_the_defaults_of_seed_004_are_installed(db):
    profiling.enabled_rules()
    rules = {rule.code: rule for rule in KaProfileRule.objects.all()}

    assert set(rules) == {"global", "national", "regional", "high_willingness"}
    assert rules["regional"].min_annual_revenue == Decimal("50000000.00") and rules["regional"].requires_region
    assert rules["global"].coverage == "global" and rules["national"].coverage == "national"
    assert rules["high_willingness"].requires_high_willingness
    assert profiling.matrix_settings().potential_threshold == Decimal("10000000.00")


def test_an_emptied_rule_table_gets_the_defaults_back(db):
    KaProfileRule.objects.all().delete()

    assert [rule.code for rule in profiling.enabled_rules()] == ["global", "national", "regional", "high_willingness"]

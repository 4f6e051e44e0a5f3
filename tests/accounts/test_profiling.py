"""The derived fields exist as Python (one save) and as SQL (re-classifying all): both must agree."""

from __future__ import annotations

import random
from decimal import Decimal

from irontriangle.accounts import profiling
from irontriangle.accounts.models import Account, Coverage, KaProfileRule, LifecycleStage, MatrixSettings
from irontriangle.org.models import OrgUnit


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
            lifecycle_stage=rng.choice(LifecycleStage.values),
            listed_in_ranking=rng.random() < 0.5,
            high_willingness_to_pay=rng.random() < 0.3,
        )
        for index in range(count)
    ]


def _random_configuration(rng: random.Random) -> tuple[MatrixSettings, list[KaProfileRule]]:
    settings = profiling.matrix_settings()
    settings.potential_threshold = rng.choice([Decimal("1.00"), Decimal("10000000.00"), Decimal("5e7")])
    settings.strength_threshold = rng.choice([0, 40, 60, 86])
    settings.score_rising = rng.randint(0, 100)
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
    for _round in range(5):
        settings, rules = _random_configuration(rng)
        Account.all_objects.all().delete()
        accounts = Account.all_objects.bulk_create(_random_accounts(unit, rng, 60))

        profiling.reclassify_all()

        stored = {row.pk: row for row in Account.all_objects.all()}
        for account in accounts:
            expected_score = profiling.relationship_score(account, settings)
            row = stored[account.pk]
            assert row.relationship_score == expected_score
            assert row.matrix_class == profiling.matrix_class(account.potential, expected_score, settings)
            assert row.ka_rule == profiling.matching_rule(account, rules), (account.coverage, account.annual_revenue)


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

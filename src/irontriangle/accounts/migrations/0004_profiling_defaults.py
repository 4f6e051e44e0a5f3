"""Default KA profile rules (seed 004) and matrix thresholds; derived fields for accounts that exist."""

from decimal import Decimal

from django.db import migrations

DEFAULT_RULES = [
    # code, priority, coverage, minimum annual revenue, region, ranking, willingness
    ("global", 10, "global", None, False, False, False),
    ("national", 20, "national", None, False, False, False),
    ("regional", 30, "regional", Decimal("50000000.00"), True, False, False),
    ("high_willingness", 40, "", None, False, False, True),
]


def forwards(apps, schema_editor):
    from irontriangle.accounts import profiling

    rule_model = apps.get_model("accounts", "KaProfileRule")
    for code, priority, coverage, revenue, region, ranking, willingness in DEFAULT_RULES:
        rule_model.objects.get_or_create(
            code=code,
            defaults={
                "priority": priority,
                "coverage": coverage,
                "min_annual_revenue": revenue,
                "requires_region": region,
                "requires_ranking": ranking,
                "requires_high_willingness": willingness,
            },
        )
    settings, _created = apps.get_model("accounts", "MatrixSettings").objects.get_or_create(pk=1)
    rules = list(rule_model.objects.filter(enabled=True).order_by("priority", "code"))
    account_model = apps.get_model("accounts", "Account")
    accounts = {account.pk: account for account in account_model._base_manager.all()}
    for account in accounts.values():
        account.name_key = profiling.name_key(account.name)
        account.relationship_score = profiling.relationship_score(account, settings)
        account.matrix_class = profiling.matrix_class(account.potential, account.relationship_score, settings)
        account.ka_rule = profiling.matching_rule(account, rules)
        path, node, seen = "", account, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path = f"/{node.pk}{path}"
            node = accounts.get(node.parent_id) if node.parent_id else None
        account.tree_path = f"{path}/"
    account_model._base_manager.bulk_update(
        accounts.values(), ["name_key", "relationship_score", "matrix_class", "ka_rule", "tree_path"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_profiling_matrix_ownership")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Relationship strength now comes from contacts (relationships/strength.py). No contact exists when this
app is installed, so every account starts at 0 and its matrix class follows from potential alone."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Q


def reset_strength(apps, schema_editor):
    Account = apps.get_model("accounts", "Account")
    MatrixSettings = apps.get_model("accounts", "MatrixSettings")
    settings = MatrixSettings.objects.filter(pk=1).first()
    threshold = settings.potential_threshold if settings else Decimal("10000000.00")
    strong = settings is not None and settings.strength_threshold == 0
    Account.objects.update(relationship_score=0)
    high = Q(potential__gte=threshold)
    Account.objects.filter(high).update(matrix_class="core" if strong else "growth")
    Account.objects.exclude(high).update(matrix_class="traction" if strong else "problem")


class Migration(migrations.Migration):
    dependencies = [("relationships", "0002_interaction_search"), ("accounts", "0005_strength_from_contacts")]

    operations = [migrations.RunPython(reset_strength, migrations.RunPython.noop)]

from django.db import migrations


def install(apps, schema_editor):
    from irontriangle.collections.defaults import install_templates

    install_templates(apps.get_model("collections", "MilestoneTemplate"), apps.get_model("collections", "MilestoneTemplateLine"))
    settings = apps.get_model("collections", "CollectionSettings")
    if not settings.objects.exists():
        settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("collections", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

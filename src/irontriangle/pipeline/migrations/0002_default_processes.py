from django.db import migrations


def install(apps, schema_editor):
    from irontriangle.pipeline.defaults import install_processes

    install_processes(
        apps.get_model("pipeline", "SalesProcess"),
        apps.get_model("pipeline", "Stage"),
        apps.get_model("pipeline", "ChecklistItem"),
    )
    settings = apps.get_model("pipeline", "PipelineSettings")
    if not settings.objects.exists():
        settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

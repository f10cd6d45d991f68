"""Every 2027 target of the Beijing and Sichuan plans, in the plans' own wording (content/targets/plans.py)."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from content.targets.plans import seed_indicators

    seed_indicators(apps.get_model("targets", "Indicator"), apps.get_model("base", "LifeStage"),
                    apps.get_model("base", "Topic"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_indicators_and_reported_values"),
        ("base", "0002_homepage_root_and_taxonomy"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

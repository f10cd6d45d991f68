from django.db import migrations


def seed(apps, schema_editor):
    from search.seed_synonyms import ensure_seed_synonyms

    ensure_seed_synonyms(apps.get_model("portal_search", "SynonymGroup"))


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_seed_synonyms")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


def seed(apps, schema_editor):
    from search.seed_synonyms import SEED_SYNONYMS

    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    if SynonymGroup.objects.exists():
        return
    SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms, note=note) for terms, note in SEED_SYNONYMS)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


def seed(apps, schema_editor):
    from search.vocabulary import seed_vocabulary

    seed_vocabulary(apps.get_model("portal_search", "SynonymGroup"))


class Migration(migrations.Migration):
    """The reviewed medical vocabulary (search/data/medical_vocabulary.tsv) into the synonym list."""

    dependencies = [("portal_search", "0004_synonym_kind_source_maps_to")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

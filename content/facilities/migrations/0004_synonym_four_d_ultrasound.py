"""四维彩超 is what people call the prenatal ultrasound screening the taxonomy names 产前超声筛查: an
editable synonym group (搜索 → 同义词), so the finder and site search understand it. Kept here, with
the facility taxonomy it serves, rather than in search/'s seed list."""

from django.db import migrations

TERMS = "四维彩超、四维超声、三维彩超、产前超声筛查"


def add(apps, schema_editor):
    from search.models import TERM_SEPARATORS

    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    known = set()
    for terms in SynonymGroup.objects.values_list("terms", flat=True):
        known.update(t.strip().lower() for t in TERM_SEPARATORS.split(terms) if t.strip())
    if "四维彩超" not in known:  # an editor's own group wins
        SynonymGroup.objects.create(terms=TERMS, note="俗称：产前超声筛查")


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0003_service_life_stages"),
        ("portal_search", "0003_more_seed_synonyms"),
    ]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

"""Pages with a Chinese slug (the demo's resources, titles typed before slugs were pinyin) move to
the pinyin slug, with a permanent redirect from each old address, so no published link breaks."""

from django.db import migrations

from content.base.slug_migration import move_pages_to_ascii_slugs


def forwards(apps, schema_editor):
    move_pages_to_ascii_slugs(
        apps.get_model("wagtailcore", "Page"), apps.get_model("wagtailcore", "Revision"),
        apps.get_model("wagtailcore", "Site"), apps.get_model("wagtailredirects", "Redirect"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0002_homepage_root_and_taxonomy"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Wagtail's tree root is titled "Root", which every editor reads in the breadcrumbs: call it 根目录."""

from django.db import migrations


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="根目录", draft_title="根目录")


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="根目录").update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("base", "0003_ascii_page_slugs")]

    operations = [migrations.RunPython(forwards, backwards)]

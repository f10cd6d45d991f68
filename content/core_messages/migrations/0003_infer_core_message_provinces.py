"""Existing core messages that name one province (「四川全面实施…」) apply to that province only."""

from django.db import migrations

from content.base.provinces import infer_provinces


def infer(apps, schema_editor):
    CoreMessage = apps.get_model("core_messages", "CoreMessage")
    for message in CoreMessage.objects.filter(provinces=""):
        codes = infer_provinces(message.statement, message.explanation)
        if codes:
            CoreMessage.objects.filter(pk=message.pk).update(provinces=codes)


class Migration(migrations.Migration):
    dependencies = [("core_messages", "0002_core_message_provinces")]
    operations = [migrations.RunPython(infer, migrations.RunPython.noop)]

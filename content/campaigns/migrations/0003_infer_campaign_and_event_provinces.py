"""Existing campaign editions and events that name one province apply to that province only."""

from django.db import migrations

from content.base.provinces import infer_provinces


def infer(apps, schema_editor):
    CampaignPage = apps.get_model("campaigns", "CampaignPage")
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    for page in CampaignPage.objects.filter(provinces=""):
        codes = infer_provinces(page.title, page.theme, page.slogan)
        if codes:
            CampaignPage.objects.filter(pk=page.pk).update(provinces=codes)
    for event in CampaignEvent.objects.filter(provinces=""):
        codes = infer_provinces(event.title, event.place, event.district, event.organiser)
        if codes:
            CampaignEvent.objects.filter(pk=event.pk).update(provinces=codes)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_campaign_and_event_provinces")]
    operations = [migrations.RunPython(infer, migrations.RunPython.noop)]

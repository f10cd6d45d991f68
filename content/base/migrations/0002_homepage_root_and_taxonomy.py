"""Replace Wagtail's welcome page with the portal's HomePage, so a bare `migrate` serves a home page
and importers have a parent; seed the life stages and topics."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("base.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    # Wagtail's initial migration creates a welcome page at path 00010001 (only on an empty tree).
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="base")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    sibling_paths = sorted(Page.objects.filter(depth=2).values_list("path", flat=True))
    next_number = int(sibling_paths[-1][4:8]) + 1 if sibling_paths else 1
    home = HomePage.objects.create(
        title="出生缺陷防治科普平台",
        draft_title="出生缺陷防治科普平台",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{next_number:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        hero_title="预防出生缺陷，守护每个家庭",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="出生缺陷防治科普平台")
    else:
        site.root_page = home
        site.save(update_fields=["root_page"])


def seed_taxonomy(apps, schema_editor):
    from content.base.taxonomy import seed_taxonomy as seed

    seed(apps.get_model("base.LifeStage"), apps.get_model("base.Topic"))


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]
    run_before = []

    operations = [
        migrations.RunPython(create_homepage, migrations.RunPython.noop),
        migrations.RunPython(seed_taxonomy, migrations.RunPython.noop),
    ]

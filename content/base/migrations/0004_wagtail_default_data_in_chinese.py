"""Data Wagtail's own migrations create in English, which editors read in the admin: the tree root
("Root", in every breadcrumb), the default groups ("Editors", "Moderators") and the default
workflow and its task ("Moderators approval"). The portal's roles are its own Chinese groups; these
defaults are only renamed, never removed, in case an installation uses them."""

from django.db import migrations

RENAMES = {
    "page": [("Root", "根目录")],
    "group": [("Editors", "编辑（Wagtail 默认组）"), ("Moderators", "审核员（Wagtail 默认组）")],
    "workflow": [("Moderators approval", "审核员批准（Wagtail 默认）")],
    "task": [("Moderators approval", "审核员批准（Wagtail 默认）")],
}


def rename(apps, backwards=False):
    models = {
        "page": apps.get_model("wagtailcore", "Page"),
        "group": apps.get_model("auth", "Group"),
        "workflow": apps.get_model("wagtailcore", "Workflow"),
        "task": apps.get_model("wagtailcore", "Task"),
    }
    for kind, pairs in RENAMES.items():
        model = models[kind]
        for english, chinese in pairs:
            old, new = (chinese, english) if backwards else (english, chinese)
            field = "title" if kind == "page" else "name"
            queryset = model.objects.filter(**{field: old})
            if kind == "page":
                queryset.filter(depth=1).update(title=new, draft_title=new)
            elif kind == "group" and model.objects.filter(name=new).exists():
                continue  # names are unique
            else:
                queryset.update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0003_ascii_page_slugs"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(lambda apps, schema: rename(apps), lambda apps, schema: rename(apps, True)),
    ]

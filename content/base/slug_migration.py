"""Move pages with a Chinese slug to the pinyin one, leaving a permanent redirect at every old address.

Works on Wagtail's base models only (Page, Revision, Site, Redirect), passed in, so the data
migration can run it with historical models and a command or test with the real ones."""

from .slugs import pinyin_slug

STEPLEN = 4  # treebeard's path step in Wagtail's page tree


def _site_relative_paths(url_path: str, sites) -> list[tuple[object, str]]:
    """(site, "/section/page") for every site whose root holds this url_path."""
    paths = []
    for site in sites:
        root_path = site.root_page.url_path
        if url_path.startswith(root_path):
            relative = url_path[len(root_path):].rstrip("/")
            if relative:
                paths.append((site, "/" + relative))
    return paths


def move_pages_to_ascii_slugs(Page, Revision, Site, Redirect) -> list[tuple[str, str]]:
    """Give every page below a site root an ASCII slug; returns [(old url_path, new url_path)]."""
    sites = list(Site.objects.select_related("root_page"))
    moved = []
    candidates = [pk for pk, slug in Page.objects.filter(depth__gt=2).order_by("depth", "path")
                  .values_list("pk", "slug") if not slug.isascii()]
    for pk in candidates:
        page = Page.objects.get(pk=pk)  # fresh: a moved ancestor changed its url_path
        parent = Page.objects.get(path=page.path[:-STEPLEN])
        base_slug = pinyin_slug(page.title) or f"page-{page.pk}"
        taken = set(Page.objects.filter(path__startswith=parent.path, depth=page.depth).exclude(pk=page.pk)
                    .values_list("slug", flat=True))
        slug, number = base_slug, 1
        while slug in taken:
            number += 1
            slug = f"{base_slug}-{number}"
        old_url_path = page.url_path
        new_url_path = f"{parent.url_path}{slug}/"
        subtree = list(Page.objects.filter(path__startswith=page.path).values_list("pk", "url_path"))
        Page.objects.filter(pk=page.pk).update(slug=slug)
        for descendant_pk, url_path in subtree:
            Page.objects.filter(pk=descendant_pk).update(url_path=new_url_path + url_path[len(old_url_path):])
            for site, old_path in _site_relative_paths(url_path, sites):
                Redirect.objects.update_or_create(
                    old_path=old_path, site=site,
                    defaults={"redirect_page_id": descendant_pk, "is_permanent": True,
                              "automatically_created": True})
        # The editor loads the latest revision: keep the new slug there, or the next publish would undo it.
        for revision in Revision.objects.filter(base_content_type__app_label="wagtailcore",
                                                base_content_type__model="page", object_id=str(page.pk)):
            if revision.content.get("slug") != slug:
                revision.content["slug"] = slug
                revision.save(update_fields=["content"])
        moved.append((old_url_path, new_url_path))
    return moved

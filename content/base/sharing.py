"""Sections shared between the provincial sites as Wagtail alias pages.

One editorial team keeps the library, the campaigns and the contests under the default site; every
other site shows them under its own address, header and navigation through an alias of the section
(Page.create_alias, recursive). Wagtail republishes an alias whenever its original is published; a
page added later under a shared section gets its alias under every alias of that section here
(`alias_new_child`), so a shared section never falls behind. See docs/sites.md."""

from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet


class SharedPageQuerySet(PageQuerySet):
    """Pages of a shared section's types (resources, contests): each exists once as an original and
    again as an alias under every other provincial site."""

    def originals(self):
        """The pages themselves, not their aliases on the other sites: what is counted, reviewed or
        processed once."""
        return self.filter(alias_of__isnull=True)


SharedPageManager = PageManager.from_queryset(SharedPageQuerySet)


def original_of(page):
    """The page an alias shows (following a chain of aliases), or the page itself."""
    seen = set()
    while page.alias_of_id and page.pk not in seen:
        seen.add(page.pk)
        page = page.alias_of
    return page


def sync_alias_children(original, alias):
    """Create the aliases missing under `alias` for the children of `original` (recursively)."""
    existing = {child.alias_of_id: child for child in alias.get_children() if child.alias_of_id}
    # Live children only: a draft gets its alias when it is first published (alias_new_child).
    for child in original.get_children().live().specific():
        child_alias = existing.get(child.pk)
        if child_alias is None:
            if alias.get_children().filter(slug=child.slug).exists():
                continue  # the site has a page of its own there: it wins
            child.create_alias(parent=alias, recursive=True, log_action=None)
        else:
            sync_alias_children(child, child_alias)


def share_section(section, sites=None):
    """Show `section` (a child of one site's home page) on every other site, as an alias under each home.

    Idempotent: an existing alias only gets the children it lacks; a site with a section of its own
    at that slug keeps it."""
    home = section.get_parent()
    targets = sites if sites is not None else Site.objects.exclude(root_page=home)
    aliases = []
    for site in targets:
        target_home = site.root_page
        if target_home.pk == home.pk:
            continue
        current = target_home.get_children().filter(slug=section.slug).first()
        if current is None:
            alias = section.specific.create_alias(parent=target_home, recursive=True, log_action=None)
        elif current.alias_of_id == section.pk:
            alias = current
            sync_alias_children(section, alias)
        else:
            continue
        aliases.append(alias)
    return aliases


def alias_new_child(sender, instance, **kwargs):
    """page_published: a page first published under a shared section appears under its aliases too."""
    if kwargs.get("alias") or instance.alias_of_id:
        return
    parent = instance.get_parent()
    if parent is None:
        return
    for parent_alias in Page.objects.filter(alias_of=parent):
        if not parent_alias.get_children().filter(alias_of=instance).exists() and \
                not parent_alias.get_children().filter(slug=instance.slug).exists():
            instance.specific.create_alias(parent=parent_alias, recursive=True, log_action=None)


def canonical_page(page):
    """The one address search engines should know `page` (an original or an alias of it) by: the
    original, unless the original's own site does not show it (a Sichuan-only campaign edition kept
    under the default site's campaigns), then the first alias whose site shows it; None when no site
    shows it."""
    from .provinces import shown_on_own_site

    original = original_of(page)
    if shown_on_own_site(original):
        return original
    for alias in Page.objects.filter(alias_of=original).order_by("path"):
        if shown_on_own_site(alias):
            return alias
    return None

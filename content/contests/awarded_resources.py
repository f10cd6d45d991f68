"""An awarded work becomes a draft in the resource library, crediting its authors. The draft then
follows the library's own medical review before anyone publishes it."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Site

from .entries import Category
from .services import ContestError

FORMATS = {
    Category.ARTICLE: "article",
    Category.VIDEO: "video",
    Category.SPEECH: "video",
    Category.POSTER: "infographic",
    Category.SLIDES: "document",
}


def library_index_for(contest):
    from content.library.models import ResourceIndexPage

    site = contest.get_site() or Site.objects.filter(is_default_site=True).first()
    indexes = ResourceIndexPage.objects.all()
    if site is not None:
        indexes = indexes.descendant_of(site.root_page)
    return indexes.order_by("path").first()


def credit_paragraph(entry, award):
    authors = escape(entry.authors)
    organisation = ""
    if entry.organisation:
        organisation = _(" (%(organisation)s)") % {"organisation": escape(entry.organisation)}
    credit = _(
        "By %(authors)s%(organisation)s. This work won %(level)s in “%(contest)s” and is published "
        "with the authors' consent under %(licence)s."
    ) % {
        "authors": authors,
        "organisation": organisation,
        "contest": escape(entry.contest.title),
        "level": escape(award.get_level_display()),
        "licence": escape(entry.licence),
    }
    return f"<p>{credit}</p>"


AWARD_COLLECTION = "竞赛获奖作品（待发布）"


def private_collection():
    """Where an awarded work's file waits for its library page: a collection only the content roles
    may view, so the document is not public while the page is a draft in medical review."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    from content.base.roles import CONTEST_ORGANISER, EDITOR, MEDICAL_REVIEWER

    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=AWARD_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=AWARD_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.set(Group.objects.filter(name__in=[EDITOR, MEDICAL_REVIEWER, CONTEST_ORGANISER]))
    return collection


def release_award_files(page):
    """The library page of an awarded work went live: its file leaves the private collection."""
    from wagtail.models import Collection

    from .entries import Award

    if not Award.objects.filter(resource_page_id=page.pk).exists():
        return
    resource = page.specific
    root = Collection.get_first_root_node()
    for item in (getattr(resource, "document", None), getattr(resource, "image", None)):
        if item is not None and item.collection.name == AWARD_COLLECTION:
            item.collection = root
            item.save(update_fields=["collection"])


def attach_work(resource, entry, user):
    """The first file of the work, as the library's image, document or video file."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    entry_file = entry.files.first()
    if entry_file is None:
        return
    with entry_file.file.open("rb") as handle:
        data = handle.read()
    name = f"{entry.code}.{entry_file.kind}"
    if entry_file.kind in ("jpg", "png", "webp"):
        image = get_image_model()(title=entry.title, uploaded_by_user=user, collection=private_collection())
        image.file.save(name, ContentFile(data), save=False)
        image.save()
        resource.image = image
        resource.image_alt = entry.title
    elif entry_file.kind == "mp4":
        resource.video_file.save(name, ContentFile(data), save=False)
    else:
        document = get_document_model()(
            title=entry.title, uploaded_by_user=user, collection=private_collection()
        )
        document.file.save(name, ContentFile(data), save=False)
        document.save()
        resource.document = document


def create_library_resource(award, user):
    """The award's draft ResourcePage (created once; later calls return the same page)."""
    from content.library.models import ResourcePage

    if award.resource_page_id:
        return award.resource_page.specific
    entry = award.entry
    index = library_index_for(entry.contest)
    if index is None:
        raise ContestError(_("There is no resource library on this site to add the work to."))
    with transaction.atomic():
        resource = ResourcePage(
            title=entry.title[:255],
            summary=entry.summary[:400],
            format=FORMATS[entry.category],
            video_url=entry.video_url,
            live=False,
            owner=user,
            body=[("paragraph", credit_paragraph(entry, award))],
        )
        attach_work(resource, entry, user)
        index.add_child(instance=resource)
        resource.save_revision(user=user, log_action=True)
        award.resource_page = resource
        award.save(update_fields=["resource_page"])
        log(entry, "contests.resource_create", user=user, data={"code": entry.code, "page": resource.pk})
    return resource

"""An awarded work becomes a draft in the resource library, crediting its authors. The draft then
follows the library's own medical review before anyone publishes it."""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Site

from .entries import Category
from .services import ContestError
from .storage import HELD_PREFIX, HELD_STEM_LENGTH, held_stem, hold_new, set_held

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


def award_file_names(resource) -> list[str]:
    """Every stored file of the work on its library page: image and renditions, document, MP4."""
    names = []
    image = getattr(resource, "image", None)
    if image is not None:
        names.append(image.file.name)
        names.extend(image.renditions.values_list("file", flat=True))
    document = getattr(resource, "document", None)
    if document is not None:
        names.append(document.file.name)
    if getattr(resource, "video_file", None):
        names.append(resource.video_file.name)
    return [name for name in names if held_stem(name)]


def files_may_be_public(award, resource) -> bool:
    """An awarded work is public once its results are published and its library page is live."""
    from .models import ContestResultsPage

    return resource.live and ContestResultsPage.objects.child_of(award.entry.contest).live().exists()


def sync_award_files(award):
    """Hold or release the work's files to match its pages: public only while the contest's results
    page and the work's library page are both live; held again as soon as either is unpublished."""
    from wagtail.models import Collection

    if not award.resource_page_id:
        return
    resource = award.resource_page.specific
    public = files_may_be_public(award, resource)
    names = award_file_names(resource)
    for stem in {held_stem(name) for name in names}:
        set_held(stem, names, held=not public)
    target = Collection.get_first_root_node() if public else private_collection()
    for item in (getattr(resource, "image", None), getattr(resource, "document", None)):
        if item is not None and item.collection_id != target.pk:
            item.collection = target
            item.save(update_fields=["collection"])


def sync_files_for_page(page):
    """A library page or a results page was published or unpublished: the awards it concerns."""
    from .entries import Award
    from .models import ContestResultsPage

    specific = page.specific_class
    if specific is ContestResultsPage:
        awards = Award.objects.filter(entry__contest_id=page.get_parent().pk, resource_page__isnull=False)
    else:
        awards = Award.objects.filter(resource_page_id=page.pk)
    for award in awards.select_related("entry__contest", "resource_page"):
        sync_award_files(award)


def attach_work(resource, entry, user):
    """The first file of the work, as the library's image, document or video file — held (private)
    from the start: sync_award_files releases it when both pages are live."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    entry_file = entry.files.first()
    if entry_file is None:
        return
    with entry_file.file.open("rb") as handle:
        data = handle.read()
    stem = f"{HELD_PREFIX}{uuid.uuid4().hex[:HELD_STEM_LENGTH - len(HELD_PREFIX)]}"
    hold_new(stem)
    name = f"{stem}.{entry_file.kind}"
    if entry_file.kind in ("jpg", "png", "webp"):
        image = get_image_model()(
            title=entry.title, uploaded_by_user=user, collection=private_collection(),
            file=ImageFile(io.BytesIO(data), name=name),  # read here: Wagtail needs width and height
        )
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

"""Public views: the entry form on each ContestPage, the receipt, the entrant's status page, and the
one door to private entry files."""

import hmac
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import emails, pending, ratelimit, services
from .entries import Entry, EntryFile, ReviewAssignment
from .forms import EntryForm, ReplaceFilesForm, StatusLookupForm

SESSION_KEY = "contest_entries"  # ids of the entries this browser has proved it owns


def remember_entry(request, entry):
    owned = [pk for pk in request.session.get(SESSION_KEY, []) if pk != entry.pk]
    request.session[SESSION_KEY] = [entry.pk, *owned][:10]


def owned_entry_ids(request):
    return set(request.session.get(SESSION_KEY, []))


def page_response(request, contest, template, context, status=200):
    context = {**contest.get_context(request), "page": contest, "self": contest, **context}
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def entry_form(request, contest):
    now = timezone.now()
    if request.method == "POST":
        return submit_entry(request, contest, now)
    form = (
        EntryForm(contest=contest, initial={"submission_token": uuid.uuid4()})
        if contest.is_open(now)
        else None
    )
    return page_response(request, contest, "contests/contest_page.html", {"form": form})


def submit_entry(request, contest, now):
    token = request.POST.get("submission_token", "")
    # A second post of the same form (double click, reload) is the entry the first one made.
    try:
        duplicate = Entry.objects.filter(submission_token=uuid.UUID(token), contest=contest.original).first()
    except ValueError:
        duplicate = None
    if duplicate is not None:
        return already_received(request, contest, duplicate)

    if not contest.is_open(now):
        return page_response(
            request,
            contest,
            "contests/contest_page.html",
            {
                "form": None,
                "refusal": _("This call is closed: entries were accepted until %(deadline)s.")
                % {"deadline": timezone.localtime(contest.closes_at).strftime("%Y-%m-%d %H:%M")},
            },
            status=403,
        )
    limit, window = settings.CONTEST_ENTRY_RATE_LIMIT
    if not ratelimit.hit("entry", request, limit, window):
        return page_response(
            request,
            contest,
            "contests/contest_page.html",
            {
                "form": None,
                "refusal": _("Too many submissions from your network. Please try again in an hour."),
            },
            status=429,
        )

    form = EntryForm(request.POST, request.FILES, contest=contest, pending=pending.pending(request, token))
    if not form.is_valid():
        # Files that passed their checks are kept for the next post instead of silently dropped.
        checked = form.cleaned_data.get("checked_files") if "files" not in form.errors else None
        if checked:
            form.pending = pending.keep(request, token, checked)
        elif request.FILES.getlist("files"):
            pending.discard(request)  # new files were chosen and refused: the old ones are not wanted
            form.pending = []
        return page_response(request, contest, "contests/contest_page.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:
        # Honeypot filled: a bot. Nothing is stored; a person who sees this can try again.
        return page_response(
            request,
            contest,
            "contests/contest_page.html",
            {"form": None, "refusal": _("Your entry could not be accepted.")},
            status=400,
        )

    entry = form.save(commit=False)
    entry.contest = contest.original  # a shared contest shown on another site: one set of entries
    entry.submission_token = form.cleaned_data["submission_token"]
    entry.licence = contest.licence
    entry.consented_at = now
    entry.submitted_at = now
    uploads = form.cleaned_data["checked_files"]
    if form.cleaned_data["use_pending"]:
        uploads = pending.as_uploads(form.pending)
    try:
        with transaction.atomic():
            entry.save()
            services.store_files(entry, uploads)
            services.record_submission(entry)
    except IntegrityError:
        # Two posts of one form raced: the other one won; show its receipt.
        existing = Entry.objects.filter(submission_token=entry.submission_token).first()
        if existing is None:
            raise
        return already_received(request, contest, existing)
    else:
        for kept, _kind in uploads:
            kept.close()
        pending.discard(request)
        status_url = request.build_absolute_uri(contest.status_url)
        transaction.on_commit(lambda: emails.send_receipt(entry, status_url))
    remember_entry(request, entry)
    return HttpResponseRedirect(contest.receipt_url)


def already_received(request, contest, entry):
    """A second post of a form that already made an entry. The browser that made it (its session)
    sees that entry's receipt; any other browser replaying the token learns only that the form was
    received: no code, no files, no withdraw or replace (issue 14)."""
    if entry.pk in owned_entry_ids(request):
        remember_entry(request, entry)  # this entry becomes the one the receipt shows
        return HttpResponseRedirect(contest.receipt_url)
    return page_response(request, contest, "contests/entry_already_received.html", {})


def _current_entry(request, contest):
    ids = request.session.get(SESSION_KEY, [])
    if not ids:
        return None
    return Entry.objects.filter(pk=ids[0], contest=contest.original).first()


@never_cache
def receipt(request, contest):
    entry = _current_entry(request, contest)
    if entry is None:
        return HttpResponseRedirect(contest.local_url)
    return page_response(request, contest, "contests/entry_receipt.html", {"entry": entry})


def status_lookup(request, contest):
    form = StatusLookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limit, window = settings.CONTEST_STATUS_RATE_LIMIT
        if not ratelimit.hit("status", request, limit, window):
            form.add_error(None, _("Too many look-ups from your network. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            entry = Entry.objects.filter(
                contest=contest.original, tracking_code=form.cleaned_data["tracking_code"]
            ).first()
            if (
                entry is not None
                and entry.contact_purged_at is None
                and hmac.compare_digest(
                    entry.email.casefold().encode(), form.cleaned_data["email"].casefold().encode()
                )
            ):
                remember_entry(request, entry)
                return HttpResponseRedirect(contest.status_entry_url)
            form.add_error(None, _("No entry matches this tracking code and email."))
            status = 404
        else:
            status = 400
    return page_response(request, contest, "contests/entry_status_lookup.html", {"form": form}, status=status)


def status_entry(request, contest):
    entry = _current_entry(request, contest)
    if entry is None:
        return HttpResponseRedirect(contest.status_url)
    replace_form = ReplaceFilesForm(entry=entry)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.withdraw(entry)
                messages.success(request, _("Your entry has been withdrawn and its files deleted."))
                return HttpResponseRedirect(request.path)
            if action == "replace":
                replace_form = ReplaceFilesForm(request.POST, request.FILES, entry=entry)
                if not entry.can_be_changed_by_entrant():
                    raise services.ContestError(_("Files can only be replaced before the deadline."))
                if replace_form.is_valid():
                    services.replace_files(entry, replace_form.cleaned_data["files"])
                    messages.success(request, _("Your files have been replaced."))
                    return HttpResponseRedirect(request.path)
                status = 400
        except services.ContestError as error:
            messages.error(request, str(error))
            status = 403
    award = getattr(entry, "award", None) if contest.results_page else None
    return page_response(
        request,
        contest,
        "contests/entry_status.html",
        {
            "entry": entry,
            "replace_form": replace_form,
            "can_change": entry.can_be_changed_by_entrant(),
            "stage": entrant_stage(entry),
            "award": award,
        },
        status=status,
    )


def entrant_stage(entry):
    contest = entry.contest
    if not entry.is_active:
        return _("Withdrawn")
    stage = contest.stage()
    if stage == "open":
        return _("Received; you can still change it until the deadline")
    if stage in ("review", "judging"):
        return _("In review")
    if stage == "results":
        return _("Results published")
    return _("Received")


# Private files --------------------------------------------------------------------------------


def file_access(request, entry_file):
    """ "owner", "organiser" or "reviewer" when the requester may have this file, else None."""
    entry = entry_file.entry
    user = request.user
    if user.is_authenticated and (user.is_superuser or services.can_manage(user)):
        return "organiser"
    if (
        user.is_authenticated
        and services.is_reviewer(user)
        and entry.is_active
        and ReviewAssignment.objects.filter(
            entry=entry, reviewer=user, status=ReviewAssignment.Status.ACTIVE
        ).exists()
    ):
        return "reviewer"
    if entry.pk in owned_entry_ids(request) and entry.contact_purged_at is None:
        return "owner"
    return None


@require_GET
def entry_file(request, key):
    entry_file = EntryFile.objects.select_related("entry", "entry__contest").filter(key=key).first()
    access = file_access(request, entry_file) if entry_file is not None else None
    if access is None:
        raise Http404  # the same answer whether or not the file exists
    if access == "reviewer":
        position = list(entry_file.entry.files.values_list("pk", flat=True)).index(entry_file.pk) + 1
        filename = entry_file.anonymous_name(position)  # an original name may carry the author's name
    else:
        filename = entry_file.original_name
    return private_file_response(entry_file, filename)


@require_GET
def entry_file_preview(request, key):
    """The first page of a PDF entry file as a PNG, for whoever may have the file itself."""
    from django.http import HttpResponse

    from .previews import first_page_png

    entry_file = EntryFile.objects.select_related("entry", "entry__contest").filter(key=key).first()
    if entry_file is None or file_access(request, entry_file) is None or entry_file.kind != "pdf":
        raise Http404
    png = first_page_png(entry_file)
    if png is None:
        raise Http404  # a PDF PDFium cannot read: the page still links the file itself
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def private_file_response(entry_file, filename):
    """The file as the type detected when it was checked (never guessed from its name), downloaded
    unless it is an image or a PDF, never sniffed, and sandboxed should a browser render it anyway."""
    from .files import INLINE_KINDS, KIND_CONTENT_TYPES

    content_type = entry_file.content_type or KIND_CONTENT_TYPES.get(
        entry_file.kind, "application/octet-stream"
    )
    # the name the browser saves it under carries the detected kind's extension, whatever was uploaded
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    response = FileResponse(
        entry_file.file.open("rb"),
        as_attachment=entry_file.kind not in INLINE_KINDS,
        filename=f"{stem}.{entry_file.kind}",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
    )
    return response


# what a held file may be: the entry kinds, and the formats Wagtail writes renditions in
HELD_MEDIA_TYPES = {"avif": "image/avif", "gif": "image/gif"}
HELD_INLINE = {"pdf", "jpg", "png", "webp", "avif", "gif", "mp4"}


def may_see_held_media(user) -> bool:
    """The content roles check an awarded work in its library draft; nobody else sees it held."""
    from content.base.roles import CONTEST_ORGANISER, EDITOR, MEDICAL_REVIEWER

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=[EDITOR, MEDICAL_REVIEWER, CONTEST_ORGANISER]).exists()


@never_cache
@require_GET
def held_media(request, name):
    """An awarded work's file while it is held (not yet public): same headers as the entry files."""
    from .files import KIND_CONTENT_TYPES
    from .storage import is_held

    content_types = {**KIND_CONTENT_TYPES, **HELD_MEDIA_TYPES}
    kind = name.rsplit(".", 1)[-1].lower().replace("jpeg", "jpg")
    if not may_see_held_media(request.user) or not is_held(name) or kind not in content_types:
        raise Http404
    from django.core.files.storage import default_storage

    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # a held name is the portal's own (award-…), its extension the kind detected at the entry's check
    response = FileResponse(
        handle, as_attachment=kind not in HELD_INLINE, filename=name.rsplit("/", 1)[-1],
        content_type=content_types[kind],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
    )
    return response

"""Files of an entry form that was refused for another reason (a bad e-mail, a missing consent):
already checked, they are kept in private storage for that browser session and that rendered form
(its submission token), shown as 「已上传：…」, and used on the next post unless new files are chosen.
Nothing else can reach them; they are deleted when the entry is stored, replaced, or left for
longer than MAX_AGE: cleaned up whenever another form keeps files, and by the cron job
`manage.py purge_pending_uploads` (docs/deployment.md) when nobody sends a form."""

import time
import uuid

from django.core.files import File

from .storage import get_private_storage

SESSION_KEY = "contest_pending_uploads"
FOLDER = "contests/pending"
MAX_AGE = 6 * 3600  # seconds


def _session_data(request, token):
    data = request.session.get(SESSION_KEY)
    if not data or data.get("token") != str(token) or time.time() - data.get("at", 0) > MAX_AGE:
        return None
    return data


def pending(request, token) -> list[dict]:
    """The kept files of this browser's form `token`: [{"path", "name", "kind", "size"}]."""
    data = _session_data(request, token)
    if data is None:
        return []
    storage = get_private_storage()
    return [item for item in data["files"] if storage.exists(item["path"])]


def keep(request, token, checked) -> list[dict]:
    """Store checked uploads [(UploadedFile, kind)] for the next post of this form."""
    discard(request)
    storage = get_private_storage()
    items = []
    for uploaded, kind in checked:
        uploaded.seek(0)
        path = storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{kind}", uploaded)
        items.append({"path": path, "name": uploaded.name[:200], "kind": kind, "size": uploaded.size})
    request.session[SESSION_KEY] = {"token": str(token), "files": items, "at": time.time()}
    clean_up_abandoned()
    return items


def as_uploads(items):
    """The kept files as [(File, kind)] for services.store_files."""
    storage = get_private_storage()
    uploads = []
    for item in items:
        kept = File(storage.open(item["path"], "rb"), name=item["name"])
        kept.size = item["size"]
        uploads.append((kept, item["kind"]))
    return uploads


def discard(request):
    data = request.session.pop(SESSION_KEY, None)
    if data:
        storage = get_private_storage()
        for item in data.get("files", []):
            storage.delete(item["path"])


def clean_up_abandoned(now=None, max_age=MAX_AGE, dry_run=False) -> int:
    """Delete kept files older than `max_age` seconds; the number deleted (or that would be).

    The session that kept a file only names it: `pending()` skips names whose file is gone."""
    storage = get_private_storage()
    now = now or time.time()
    try:
        _dirs, names = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            age = now - storage.get_modified_time(path).timestamp()
        except FileNotFoundError:  # deleted meanwhile by the form that kept it
            continue
        if age > max_age:
            removed += 1
            if not dry_run:
                storage.delete(path)
    return removed

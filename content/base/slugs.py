"""Short ASCII page addresses: the pinyin of a title's first words.

A Chinese slug turns a shared link into a long run of percent-escapes in WeChat and SMS, so pages
get 备孕女性为什么要补叶酸 → beiyun-nvxing-weishenme-yao-bu-yesuan instead. The editor's slug field
asks `pinyin_slug_view` for the same slug the server would set (see wagtail_hooks and
static/base/js/pinyin-slug.js)."""

from django.http import JsonResponse
from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

from search.analysis import CJK_RUN, _cut, normalize

MAX_LENGTH = 40
MAX_WORDS = 5


def _words(text: str) -> list[str]:
    words = []
    for token in _cut(normalize(text)):
        if CJK_RUN.fullmatch(token):
            words.append("".join(lazy_pinyin(token, style=Style.NORMAL, errors="ignore")))
        else:
            words.extend(slugify(token).split("-"))
    return [word for word in words if word]


def pinyin_slug(title: str, max_length: int = MAX_LENGTH) -> str:
    """The title's first words in pinyin, hyphenated, at most `max_length` characters; ASCII only."""
    slug = ""
    for count, word in enumerate(_words(title or "")):
        candidate = f"{slug}-{word}" if slug else word
        if count >= MAX_WORDS or len(candidate) > max_length:
            break
        slug = candidate
    if not slug:  # one very long first word: cut it
        slug = "".join(_words(title or ""))[:max_length]
    return slugify(slug)


def is_ascii_slug(slug: str) -> bool:
    return slug.isascii()


def pinyin_slug_view(request):
    """GET ?title=… → {"slug": "…"}: the editor's slug field fills itself from this as the title is typed.
    With ?parent=ID, the slug is made unique among that page's children as the server would."""
    from wagtail.models import Page

    title = request.GET.get("title", "")[:255]
    slug = pinyin_slug(title)
    parent_id = request.GET.get("parent", "")
    if slug and parent_id.isdigit():
        parent = Page.objects.filter(pk=int(parent_id)).first()
        if parent is not None:
            slug = unique_child_slug(parent, slug)
    return JsonResponse({"slug": slug})


def unique_child_slug(parent, base_slug: str, exclude=None) -> str:
    """base_slug, or base_slug-2, -3… if a sibling already has it (as Wagtail does for its own slugs)."""
    siblings = parent.get_children()
    if exclude is not None and exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.filter(slug__startswith=base_slug).values_list("slug", flat=True))
    slug, number = base_slug, 1
    while slug in taken:
        number += 1
        slug = f"{base_slug}-{number}"
    return slug

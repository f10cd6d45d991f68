"""`import_resources`: JSON Lines of resources (DESIGN §7) → ResourcePages under the library index.

read → validate every line (all problems reported, nothing written) → find or create the index →
upsert by title, publishing only what changed. Re-importing the same file changes nothing."""

import datetime
import json
import re
from dataclasses import dataclass, field

import markdown
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Site

from content.base.models import LifeStage, Topic
from content.editorial.review import REVIEW_INTERVAL, require_medical_review
from search.indexing import index_once_at_the_end

from .models import ResourceFormat, ResourceIndexPage, ResourcePage, ResourceSource

REQUIRED = ("title", "summary", "body_markdown", "format")
FORMAT_ALIASES = {"文章": "article", "视频": "video", "图解": "infographic", "一图读懂": "infographic",
                  "信息图": "infographic", "文档": "document", "文件": "document"}
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


@dataclass
class Problem:
    line: int
    field: str
    message: str

    def __str__(self):
        return _("line %(line)s, field %(field)s: %(message)s") % {
            "line": self.line, "field": self.field, "message": self.message}


@dataclass
class Record:
    line: int
    title: str
    summary: str
    body_markdown: str
    format: str
    life_stages: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    published_at: datetime.date | None = None
    source: str = ""
    reviewed_at: datetime.date | None = None


@dataclass
class Outcome:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    index: ResourceIndexPage | None = None


class ImportFailed(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


# Reading and validating ---------------------------------------------------------------------------

def parse_date(value):
    if isinstance(value, str):
        text = value.strip().replace("/", "-")
        for parse in (datetime.date.fromisoformat, lambda t: datetime.datetime.fromisoformat(t).date()):
            try:
                return parse(text)
            except ValueError:
                continue
    raise ValueError


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,，、;；]", value) if part.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    raise ValueError


class Validator:
    def __init__(self):
        self.stages = {}
        for stage in LifeStage.objects.all():
            self.stages[stage.code] = self.stages[stage.name] = stage
        self.topics = {}
        for topic in Topic.objects.all():
            self.topics[topic.code] = self.topics[topic.name] = topic

    def record(self, line, data):
        problems = []

        def problem(name, message):
            problems.append(Problem(line, name, message))

        if not isinstance(data, dict):
            return None, [Problem(line, "-", _("a line must be one JSON object"))]
        for name in REQUIRED:
            if not isinstance(data.get(name), str) or not data[name].strip():
                problem(name, _("required text is missing"))
        title = (data.get("title") or "").strip() if isinstance(data.get("title"), str) else ""
        if len(title) > 255:
            problem("title", _("longer than 255 characters"))
        fmt = data.get("format")
        if isinstance(fmt, str) and fmt.strip():
            fmt = FORMAT_ALIASES.get(fmt.strip(), fmt.strip().lower())
            if fmt not in ResourceFormat.values:
                problem("format", _("unknown format “%(value)s” (expected %(expected)s)")
                        % {"value": data["format"], "expected": ", ".join(ResourceFormat.values)})
        values = {}
        for name, known in (("life_stages", self.stages), ("topics", self.topics)):
            try:
                codes = as_list(data.get(name))
            except ValueError:
                problem(name, _("must be a list of codes"))
                continue
            unknown = [code for code in codes if code not in known]
            if unknown:
                problem(name, _("unknown code(s): %(codes)s") % {"codes": ", ".join(unknown)})
            values[name] = list(dict.fromkeys(known[code].code for code in codes if code in known))
        try:
            values["tags"] = list(dict.fromkeys(tag[:100] for tag in as_list(data.get("tags"))))
        except ValueError:
            problem("tags", _("must be a list of words"))
        for name in ("published_at", "reviewed_at"):
            if data.get(name) in (None, ""):
                values[name] = None
                continue
            try:
                values[name] = parse_date(data[name])
            except ValueError:
                problem(name, _("not a date: “%(value)s” (expected YYYY-MM-DD)") % {"value": data[name]})
        source = data.get("source", "")
        if not isinstance(source, str):
            problem("source", _("must be text"))
        if problems:
            return None, problems
        return Record(line=line, title=title, summary=data["summary"].strip(),
                      body_markdown=data["body_markdown"], format=fmt, source=source.strip(), **values), []


def read(lines) -> list[Record]:
    """Every record of the file, or ImportFailed listing every problem."""
    validator = Validator()
    records, problems, first_line_of = [], [], {}
    for number, text in enumerate(lines, start=1):
        text = text.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(Problem(number, "-", _("not valid JSON (%(error)s)") % {"error": error.msg}))
            continue
        record, line_problems = validator.record(number, data)
        problems.extend(line_problems)
        if record is None:
            continue
        if record.title in first_line_of:
            problems.append(Problem(number, "title", _("the same title as line %(line)s")
                                    % {"line": first_line_of[record.title]}))
            continue
        first_line_of[record.title] = number
        records.append(record)
    if problems:
        raise ImportFailed(problems)
    return records


# Converting --------------------------------------------------------------------------------------

def markdown_to_stream(text: str) -> list[dict]:
    """Markdown → body blocks: `#`/`##` headings become level-2 heading blocks, `###` level 3, the
    text between them rich-text paragraphs."""
    blocks, chunk = [], []

    def flush():
        source = "\n".join(chunk).strip()
        if source:
            html = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
            blocks.append({"type": "paragraph", "value": html})
        chunk.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        match = HEADING.match(line)
        if match:
            flush()
            level = "h3" if len(match.group(1)) == 3 else "h2"
            blocks.append({"type": "heading", "value": {"text": match.group(2)[:120], "level": level}})
        else:
            chunk.append(line)
    flush()
    return blocks


def stream_data(page) -> list[dict]:
    return [{"type": block["type"], "value": block["value"]} for block in page.body.get_prep_value()]


# Writing -----------------------------------------------------------------------------------------

def library_index(slug: str) -> ResourceIndexPage:
    """The library index with this slug on the default site, created under the home page if missing."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    index = ResourceIndexPage.objects.descendant_of(home).filter(slug=slug).first()
    if index is None:
        introduction = _("Birth defect prevention resources for every stage: before marriage, before and "
                         "during pregnancy, newborns and children.")
        index = ResourceIndexPage(title=_("Resource library"), slug=slug, show_in_menus=True,
                                  introduction=introduction)
        home.add_child(instance=index)
        index.save_revision().publish()
        require_medical_review(pages=[index])
    return index


def apply(page: ResourcePage, record: Record) -> bool:
    """Set the page's fields from the record; True if anything changed."""
    wanted = {
        "summary": record.summary,
        "format": record.format,
        "date_published": record.published_at or page.date_published,
        "last_reviewed": record.reviewed_at,
        "next_review": record.reviewed_at + REVIEW_INTERVAL if record.reviewed_at else None,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    body = markdown_to_stream(record.body_markdown)
    if not page.pk or stream_data(page) != body:
        page.body = body
        changed = True
    stages = sorted(record.life_stages)
    topics = sorted(record.topics)
    if sorted(stage.code for stage in page.life_stages.all()) != stages:
        page.life_stages = list(LifeStage.objects.filter(code__in=stages))
        changed = True
    if sorted(topic.code for topic in page.topics.all()) != topics:
        page.topics = list(Topic.objects.filter(code__in=topics))
        changed = True
    if sorted(tag.name for tag in page.tags.all()) != sorted(record.tags):
        page.tags.set(record.tags, clear=True)
        changed = True
    citations = [source.citation for source in page.sources.all()]
    wanted_citations = [record.source] if record.source else []
    if citations != wanted_citations:
        page.sources = [ResourceSource(citation=citation) for citation in wanted_citations]
        changed = True
    return changed


def import_resources(lines, parent_slug: str = "library", dry_run: bool = False) -> Outcome:
    records = read(lines)
    outcome = Outcome()
    with transaction.atomic(), index_once_at_the_end() as to_index:
        index = library_index(parent_slug)
        outcome.index = index
        existing = {page.title: page for page in ResourcePage.objects.child_of(index)}
        for record in records:
            page = existing.get(record.title)
            if page is None:
                page = ResourcePage(title=record.title, show_in_menus=False)
                apply(page, record)
                index.add_child(instance=page)
                page.save_revision().publish()
                outcome.created.append(record.title)
            elif apply(page, record):
                page.save_revision().publish()
                outcome.updated.append(record.title)
            else:
                outcome.unchanged.append(record.title)
        if dry_run:
            to_index.clear()
            transaction.set_rollback(True)
    return outcome

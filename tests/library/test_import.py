"""content/library/importer.py and the import_resources command (DESIGN §7)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from content.library.importer import ImportFailed, import_resources, markdown_to_stream
from content.library.models import ResourceIndexPage, ResourcePage

# The published evaluation file (shared/ lies beside the repository in every checkout and in CI) and the
# copy the demo ships.
PUBLIC = Path(__file__).resolve().parents[3] / "shared" / "eval" / "resources_public.jsonl"
BUNDLED = Path(__file__).resolve().parents[2] / "content" / "library" / "demo_data" / "resources_public.jsonl"


def record(**overrides):
    data = {"title": "增补叶酸为什么能预防神经管缺陷", "summary": "从孕前开始每天补充叶酸。",
            "body_markdown": "神经管在受孕后大约4周内闭合。\n\n## 怎么补才科学\n\n- 每天0.4毫克\n- 补到孕满3个月",
            "format": "article", "life_stages": ["preconception", "pregnancy"], "topics": ["folic_acid"],
            "tags": ["神经管缺陷", "备孕"], "published_at": "2024-02-26", "source": "京华妇幼健康科普中心",
            "reviewed_at": "2025-02-20"}
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def run(*lines, **kwargs):
    return import_resources(io.StringIO("\n".join(lines)), **kwargs)


def source_file():
    return PUBLIC if PUBLIC.exists() else BUNDLED


@pytest.mark.django_db
def test_public_file_fills_library_on_a_bare_site(client):
    assert not ResourceIndexPage.objects.exists()
    out = io.StringIO()
    call_command("import_resources", str(source_file()), stdout=out)
    index = ResourceIndexPage.objects.get()
    assert index.url_path == "/home/library/" and index.live and index.show_in_menus
    assert ResourcePage.objects.child_of(index).live().count() == 30
    assert "30 created" in out.getvalue()
    listing = client.get("/library/")
    assert listing.status_code == 200
    assert "准妈妈总是心情低落怎么办" in listing.content.decode()  # the newest
    assert "30 个资源" in listing.content.decode()


def test_bundled_demo_copy_matches_the_public_file():
    if not PUBLIC.exists():
        pytest.skip(f"the public evaluation file is not beside this checkout ({PUBLIC})")
    assert BUNDLED.read_bytes() == PUBLIC.read_bytes()


@pytest.mark.django_db
def test_fields_become_page_content(client):
    run(record())
    page = ResourcePage.objects.get()
    assert page.summary == "从孕前开始每天补充叶酸。"
    assert page.format == "article"
    assert str(page.date_published) == "2024-02-26"
    assert str(page.last_reviewed) == "2025-02-20" and str(page.next_review) == "2026-02-20"
    assert sorted(s.code for s in page.life_stages.all()) == ["preconception", "pregnancy"]
    assert [t.code for t in page.topics.all()] == ["folic_acid"]
    assert sorted(t.name for t in page.tags.all()) == ["备孕", "神经管缺陷"]
    assert [s.citation for s in page.sources.all()] == ["京华妇幼健康科普中心"]
    html = client.get(page.url).content.decode()
    assert "<h2>怎么补才科学</h2>" in html
    assert "<li>每天0.4毫克</li>" in html


def test_markdown_headings_become_heading_blocks_and_the_rest_paragraphs():
    blocks = markdown_to_stream("导语。\n\n## 小标题\n\n正文**重点**。\n\n### 更小\n\n1. 一\n2. 二")
    assert [b["type"] for b in blocks] == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert blocks[1]["value"] == {"text": "小标题", "level": "h2"}
    assert blocks[3]["value"]["level"] == "h3"
    assert "<strong>重点</strong>" in blocks[2]["value"]
    assert "<ol>" in blocks[4]["value"]


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    lines = source_file().read_text(encoding="utf-8").splitlines()
    import_resources(lines)
    pages = Page.objects.count()
    revisions = {p.pk: p.latest_revision_id for p in ResourcePage.objects.all()}
    outcome = import_resources(lines)
    assert (len(outcome.created), len(outcome.updated), len(outcome.unchanged)) == (0, 0, 30)
    assert Page.objects.count() == pages
    assert {p.pk: p.latest_revision_id for p in ResourcePage.objects.all()} == revisions


@pytest.mark.django_db
def test_a_changed_line_updates_its_page_by_title(client):
    run(record())
    outcome = run(record(summary="新的摘要。", topics=["folic_acid", "nutrition"], tags=["备孕"]))
    assert outcome.updated == ["增补叶酸为什么能预防神经管缺陷"]
    page = ResourcePage.objects.get()
    assert page.summary == "新的摘要。"
    assert sorted(t.code for t in page.topics.all()) == ["folic_acid", "nutrition"]
    assert [t.name for t in page.tags.all()] == ["备孕"]
    assert "新的摘要。" in client.get(page.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field"), [
    ({"format": "podcast"}, "format"),
    ({"title": ""}, "title"),
    ({"summary": None}, "summary"),
    ({"body_markdown": 3}, "body_markdown"),
    ({"life_stages": ["teenager"]}, "life_stages"),
    ({"topics": ["astrology"]}, "topics"),
    ({"topics": {"folic_acid": 1}}, "topics"),
    ({"tags": [1, 2]}, "tags"),
    ({"published_at": "26/02/2024x"}, "published_at"),
    ({"reviewed_at": "yesterday"}, "reviewed_at"),
])
def test_a_bad_line_is_reported_by_line_and_field_and_nothing_is_written(bad, field):
    with pytest.raises(ImportFailed) as failure:
        run(record(title="第一条"), record(**{"title": "第二条", **bad}) if "title" not in bad else record(**bad))
    problems = failure.value.problems
    assert [(p.line, p.field) for p in problems] == [(2, field)]
    assert not ResourcePage.objects.exists()
    assert not ResourceIndexPage.objects.exists()


@pytest.mark.django_db
def test_invalid_json_and_duplicate_titles_are_reported_together():
    with pytest.raises(ImportFailed) as failure:
        run(record(), "{not json", "", record(), "[1, 2]")
    assert [(p.line, p.field) for p in failure.value.problems] == [(2, "-"), (4, "title"), (5, "-")]
    assert not ResourcePage.objects.exists()


@pytest.mark.django_db
def test_command_reports_every_problem_and_fails(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([record(), record(title="二", format="podcast")]), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_resources", str(path), stderr=err)
    assert "第 2 行，字段 format：未知形式“podcast”" in err.getvalue()
    assert not ResourcePage.objects.exists()


@pytest.mark.django_db
def test_parent_slug_picks_or_creates_the_index(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(record(), encoding="utf-8")
    call_command("import_resources", str(path), "--parent", "kepu", stdout=io.StringIO())
    index = ResourcePage.objects.get().get_parent()
    assert index.slug == "kepu" and index.title == "科普资源库"


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(record(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_resources", str(path), "--dry-run", stdout=out)
    assert "1 created" in out.getvalue()
    assert not ResourcePage.objects.exists()


@pytest.mark.django_db
def test_codes_or_chinese_names_are_accepted_for_stages_topics_and_format():
    run(record(life_stages="孕前、孕期", topics=["增补叶酸"], format="视频"))
    page = ResourcePage.objects.get()
    assert page.format == "video"
    assert sorted(s.code for s in page.life_stages.all()) == ["preconception", "pregnancy"]


def index_rows(page) -> int:
    """The page's rows in the search index (modelsearch's IndexEntry), on either database."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    return IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(page),
                                     object_id=str(page.pk)).count()


@pytest.mark.django_db
def test_imported_pages_are_indexed_once_and_found(client):
    run(record(), record(title="孕期贫血怎么办", body_markdown="多吃富含铁的食物。"))
    pages = list(ResourcePage.objects.filter(title__in=["增补叶酸为什么能预防神经管缺陷", "孕期贫血怎么办"]))
    assert len(pages) == 2 and all(index_rows(page) == 1 for page in pages)
    found = client.get("/api/search/", {"q": "孕期贫血"}).json()["results"]
    assert "孕期贫血怎么办" in [result["title"] for result in found]


@pytest.mark.django_db
def test_after_an_import_saves_index_as_they_happen_again():
    with pytest.raises(ImportFailed):
        run(record(), "{not json")
    run(record())
    page = ResourcePage.objects.get(title="增补叶酸为什么能预防神经管缺陷")
    page.title = "增补叶酸：什么时候开始"
    page.save_revision().publish()
    from wagtail.search.models import IndexEntry

    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="resourcepage")
    assert "时候" in entry.title  # the new title: saves index again after the failed import

"""Demo: /contests/ with an open call, a call in review (nine entries, reviews partly done by
reviewer1–reviewer3) and a past call whose results are published. Dates are relative to the moment
of loading, so the stages stay true. Idempotent; everything is marked 示例数据."""

import io
import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.models import Site

from content.base.demo import SAMPLE
from content.base.sharing import share_section

from . import services
from .awarded_resources import create_library_resource, library_index_for
from .entries import Award, Entry, ReviewAssignment, Rubric, RubricCriterion
from .models import ContestIndexPage, ContestPage
from .publication import (
    attach_workflow,
    create_results_page,
    ensure_results_workflow,
    grant_section_publishing,
)

RULES = (
    "<p>1. 作品须为原创，围绕出生缺陷三级预防（婚前孕前保健、产前筛查与诊断、新生儿疾病筛查）的科学知识，"
    "内容准确、通俗易懂。</p>"
    "<p>2. 作品文件和视频中请勿出现作者姓名、单位或联系方式：评审采用匿名方式。</p>"
    "<p>3. 文章接受 PDF 或 Word（docx）；海报接受 JPEG、PNG、WebP 或 PDF；课件接受 PowerPoint（pptx）或 PDF；"
    "视频和演讲录像接受 MP4 文件或视频链接。每件作品最多 5 个文件。</p>"
    "<p>4. 截止时间前可凭查询码撤回作品或更换文件；截止后不再接受修改。</p>"
    f"<p>（{SAMPLE}）</p>"
)
PRIZES = (
    "<p>一等奖 1 名、二等奖 2 名、三等奖 3 名、优秀奖若干，颁发证书；"
    "获奖作品将收入本站科普资源库。（示例数据）</p>"
)

CRITERIA = [
    (
        "科学性",
        "内容准确，有可靠来源，没有夸大或误导",
        "2",
        False,
        ["存在明显科学错误", "有错误或不严谨之处", "基本准确", "准确，来源可靠", "准确严谨，引用权威指南"],
    ),
    (
        "通俗性",
        "目标人群能看懂、记得住",
        "1.5",
        False,
        ["难以理解", "术语多，解释少", "大体易懂", "通俗易懂", "生动易懂，过目难忘"],
    ),
    (
        "实用性",
        "告诉读者该做什么、去哪里做",
        "1.5",
        False,
        ["没有行动建议", "建议模糊", "有基本建议", "建议明确可行", "建议明确，并指明服务机构和时间"],
    ),
    ("创意与表现", "形式新颖，制作精良", "1", False, ["粗糙", "一般", "合格", "精良", "新颖精良，传播力强"]),
    (
        "视听质量",
        "视频、录音的画面和声音（非音视频作品选 N/A）",
        "0.5",
        True,
        ["难以观看", "质量较差", "可以接受", "清晰", "专业水准"],
    ),
]

REVIEWERS = {
    "reviewer1": ("北京市妇幼保健院（示例）", "产科、产前诊断"),
    "reviewer2": ("首都医科大学附属北京妇产医院（示例）", "遗传咨询"),
    "reviewer3": ("北京大学第一医院（示例）", "健康传播"),
}

ENTRIES = [
    ("备孕三个月，叶酸怎么补", "article", "北京市朝阳区妇幼保健院（示例）", "王丽"),
    ("唐筛高风险，别慌！", "video", "北京市海淀区妇幼保健院（示例）", "李娜、陈晨"),
    ("一张图看懂孕期检查时间表", "poster", "北京市东城区社区卫生服务中心（示例）", "张敏"),
    ("新生儿足跟血筛查查什么", "slides", "北京市妇幼保健院（示例）", "刘洋"),
    ("地贫基因携带者能生健康宝宝吗", "speech", "北京协和医学院（示例）", "赵静"),
    ("婚检不是走过场", "article", "北京市西城区妇幼保健院（示例）", "孙伟"),
    ("听力筛查没通过怎么办", "video", "北京同仁医院（示例）", "周婷、吴昊"),
    ("先心病早发现早治疗", "poster", "北京安贞医院（示例）", "郑磊"),
    ("NT 检查的那些事", "article", "", "钱芳"),
]

PAST_ENTRIES = [
    ("孕前优生健康检查免费啦", "poster", "北京市丰台区妇幼保健院（示例）", "冯雪"),
    ("叶酸小课堂", "video", "北京市昌平区妇幼保健院（示例）", "褚强"),
    ("产前诊断十问十答", "article", "北京大学人民医院（示例）", "卫琳"),
    ("宝宝出生后的第一次筛查", "slides", "北京市通州区妇幼保健院（示例）", "蒋涛"),
    ("远离出生缺陷，从婚检开始", "speech", "北京市顺义区社区卫生服务中心（示例）", "沈悦"),
    ("地贫防控知识漫画", "poster", "北京儿童医院（示例）", "韩梅"),
]


def sample_pdf(title: str) -> bytes:
    text = f"Sample entry (demo data): {uuid.uuid5(uuid.NAMESPACE_URL, title).hex[:8]}"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def sample_png(seed: int) -> bytes:
    image = Image.new("RGB", (480, 640), (230, 242, 239))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, 440, 600], outline=(11, 95, 86), width=6)
    draw.ellipse([140 + seed % 40, 200, 340, 400], fill=(168, 50, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_upload(title, category, seed):
    if category == "poster":
        return [(SimpleUploadedFile(f"poster-{seed}.png", sample_png(seed), "image/png"), "png")]
    if category in ("video", "speech"):
        return []
    return [(SimpleUploadedFile(f"entry-{seed}.pdf", sample_pdf(title), "application/pdf"), "pdf")]


def get_or_create_child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def make_rubric(contest):
    rubric, created = Rubric.objects.get_or_create(
        contest=contest,
        defaults={"introduction": "每项按 1–5 级评分；与作品类型无关的项目可选 N/A（不计为 0 分）。"},
    )
    if created:
        for order, (name, description, weight, allow_na, levels) in enumerate(CRITERIA):
            RubricCriterion.objects.create(
                rubric=rubric,
                sort_order=order,
                name=name,
                description=description,
                weight=weight,
                allow_na=allow_na,
                **{f"level_{i}": text for i, text in enumerate(levels, start=1)},
            )
    return rubric


def make_entries(contest, rows, submitted_at):
    entries = []
    for seed, (title, category, organisation, authors) in enumerate(rows):
        entry = Entry.objects.create(
            contest=contest,
            submission_token=uuid.uuid4(),
            title=title,
            category=category,
            summary=f"{title}：面向备孕和孕期家庭的科普作品。（{SAMPLE}）",
            video_url="https://example.org/video/demo" if category in ("video", "speech") else "",
            authors=authors,
            organisation=organisation,
            contact_name=authors.split("、")[0],
            email=f"entrant{contest.pk}-{seed}@example.org",
            phone="13800138000",
            licence=contest.licence,
            consented_at=submitted_at,
            submitted_at=submitted_at + timedelta(hours=seed),
        )
        services.store_files(entry, sample_upload(title, category, seed))
        services.record_submission(entry)
        entries.append(entry)
    return entries


def score_sheet(review, rng, bias):
    scores = {}
    for criterion in review.rubric_snapshot:
        if criterion["allow_na"] and review.assignment.entry.category not in ("video", "speech"):
            scores[criterion["key"]] = None
        else:
            scores[criterion["key"]] = max(1, min(5, rng.choice([3, 4, 4, 5]) + bias))
    return scores


def load_reviewers():
    User = get_user_model()
    users = {}
    for username, (organisation, expertise) in REVIEWERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile = services.profile_for(user)
        profile.organisation = organisation
        profile.expertise = expertise
        profile.save()
        users[username] = user
    return users


APPROVER = ("approver", "竞赛结果审批人")


def load_approver():
    """The results approver: a person other than the organiser, in a group of its own."""
    from django.conf import settings
    from django.contrib.auth.models import Group

    from .roles import CONTEST_RESULTS_APPROVER

    username, name = APPROVER
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "email": f"{username}@example.org"}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=CONTEST_RESULTS_APPROVER)[0])
    return user


def load(stdout):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    organiser = get_user_model().objects.filter(username="organiser").first()
    approver = load_approver()
    reviewers = load_reviewers()
    index, _created = get_or_create_child(
        home,
        ContestIndexPage,
        "contests",
        title="科普作品征集",
        show_in_menus=True,
        introduction=f"征集出生缺陷防治科普文章、短视频、海报、课件和演讲，由专家匿名评审，优秀作品收入科普资源库。（{SAMPLE}）",
    )
    grant_section_publishing(index)
    now = timezone.now()

    open_call, created = get_or_create_child(
        index,
        ContestPage,
        "thalassaemia-day-video",
        title="世界地贫日科普短视频征集（示例数据）",
        theme="围绕「地贫可防可控」，用短视频、海报或文章讲清楚地贫筛查、基因检测和产前诊断。",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=30),
        review_ends_at=now + timedelta(days=60),
        results_on=(now + timedelta(days=70)).date(),
        rules=RULES,
        prizes=PRIZES,
        reviewers_per_entry=2,
    )
    make_rubric(open_call)

    review_call, created = get_or_create_child(
        index,
        ContestPage,
        "birth-defects-day",
        title="预防出生缺陷日科普作品征集（示例数据）",
        theme="主题「健康孕育，预防出生缺陷」：面向备孕夫妇、孕妇和新生儿家长，介绍三级预防的关键检查。",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=10),
        review_ends_at=now + timedelta(days=20),
        results_on=(now + timedelta(days=30)).date(),
        rules=RULES,
        prizes=PRIZES,
        reviewers_per_entry=2,
        max_assignments_per_reviewer=8,
    )
    make_rubric(review_call)
    if created or not review_call.entries.exists():
        entries = make_entries(review_call, ENTRIES, now - timedelta(days=30))
        services.auto_assign(review_call, by=organiser, notify=False)
        rng = random.Random(6)
        # Reviews partly done: reviewer1 submits all but two (one left as a draft),
        # reviewer2 three, reviewer3 one.
        plan = {"reviewer1": (None, 1), "reviewer2": (3, 0), "reviewer3": (1, 0)}
        for username, (submit_count, drafts) in plan.items():
            user = reviewers.get(username)
            if user is None:
                continue
            assignments = list(
                ReviewAssignment.objects.filter(reviewer=user, entry__contest=review_call).order_by(
                    "entry__submitted_at"
                )
            )
            to_submit = len(assignments) - 2 if submit_count is None else submit_count
            for position, assignment in enumerate(assignments):
                if position >= to_submit + drafts:
                    break
                review = services.start_review(assignment)
                # one entry the reviewers strongly disagree on, to show the flag
                bias = (-2 if username == "reviewer1" else 1) if assignment.entry == entries[1] else 0
                services.save_review(
                    review, score_sheet(review, rng, bias), "（示例评语）", user, submit=position < to_submit
                )

    past_call, created = get_or_create_child(
        index,
        ContestPage,
        "birth-defects-day-2025",
        title="上届预防出生缺陷日科普作品征集（示例数据）",
        theme="主题「出生缺陷防治，从婚检孕检做起」。",
        opens_at=now - timedelta(days=420),
        closes_at=now - timedelta(days=360),
        review_ends_at=now - timedelta(days=330),
        results_on=(now - timedelta(days=320)).date(),
        rules=RULES,
        prizes=PRIZES,
        reviewers_per_entry=3,
    )
    make_rubric(past_call)
    if created or not past_call.entries.exists():
        entries = make_entries(past_call, PAST_ENTRIES, now - timedelta(days=380))
        services.auto_assign(past_call, by=organiser, notify=False)
        rng = random.Random(2025)
        for assignment in ReviewAssignment.objects.filter(entry__contest=past_call):
            review = services.start_review(assignment)
            services.save_review(review, score_sheet(review, rng, 0), "", assignment.reviewer, submit=True)
        ranked = services.ranking(past_call)
        levels = [Award.Level.FIRST, Award.Level.SECOND, Award.Level.THIRD, Award.Level.THIRD]
        for item, level in zip(ranked, levels, strict=False):
            services.set_award(item.entry, level, organiser)
        first = Award.objects.filter(entry__contest=past_call, level=Award.Level.FIRST).first()
        if first is not None and library_index_for(past_call) is not None:
            create_library_resource(first, organiser)
        # The panel's record before publication: every gap and every disagreement accounted for.
        from .gate import gate
        from .publication import record_gate_note

        state = gate(past_call)
        for item in state.missing:
            record_gate_note(item.entry, "shortfall", "示例：评审组确认现有评分足够。", organiser)
        for item in state.disagreements:
            record_gate_note(item.entry, "disagreement", "示例：评审组会议讨论后维持评分。", organiser)
        # The demo's entrants are not emailed.
        past_call.entries.update(result_notified_at=now)
        results = create_results_page(past_call, organiser)
        # Published as results are: submitted by the organiser, approved by the results approver.
        results.save_revision(user=organiser)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            state = ensure_results_workflow().start(results, organiser)
            task_state = state.current_task_state
            task_state.task.specific.on_action(task_state, approver, "approve")
    for contest in (open_call, review_call, past_call):
        results = contest.get_children().filter(slug="results").first()
        if results is not None:
            attach_workflow(results)
    share_section(index)
    stdout.write(f"contests: 3 calls at /contests/ ({review_call.entries.count()} entries in review)")

"""Demo: /library/ filled from demo_data/resources_public.jsonl (the public evaluation set, copied
here so the repository is self-contained) plus resources that show every format's media. Idempotent."""

import datetime
import json
from pathlib import Path

from django.utils import timezone

from content.base.models import LifeStage, Topic
from content.base.sharing import share_section
from content.editorial.review import REVIEW_INTERVAL, require_medical_review

from .demo_media import demo_image, demo_pdf
from .importer import import_resources
from .models import ResourceFormat, ResourcePage, ResourceSource

DEMO_FILE = Path(__file__).parent / "demo_data" / "resources_public.jsonl"
BEIJING_PLAN = "北京市出生缺陷防治能力提升计划实施方案"
SICHUAN_PLAN = "四川省出生缺陷防治能力提升计划实施方案（2023-2027年）"
REVIEWER = "妇幼保健专家组（示例）"
# The demo's medical reviewers, named on the resources they reviewed (sample names).
MEDICAL_REVIEWERS = ["王晓燕 主任医师（妇产科，示例）", "刘建华 主任医师（儿科，示例）",
                     "陈静 副主任医师（医学遗传科，示例）"]
# Two resources past their review date on purpose, so the 「待医学复审」 report and the public
# 「已过复审期」 notice have something to show; every other resource has a recent review.
OVERDUE_ON_PURPOSE = ["备孕前为什么要查风疹抗体", "羊水穿刺前后需要注意什么"]


def own_resources():
    """(fields, life stage codes, topic codes, tags, sources) of the resources written for the demo."""
    screening = demo_image("一图读懂新生儿疾病筛查（示例）",
                           ["1 出生后采足跟血", "2 筛查阳性及时召回", "3 两周内确诊治疗", "4 听力、先心、髋关节筛查"])
    guide = demo_pdf("孕前优生健康检查服务指南（示例）", "Preconception check-up guide (sample)")
    return [
        (dict(title="出生缺陷三级预防：每个阶段做什么", format=ResourceFormat.ARTICLE,
              summary="一级预防防发生，二级预防减出生，三级预防减残疾。婚前、孕前、孕期、新生儿和儿童各阶段各有重点。",
              date_published=datetime.date(2026, 9, 1),
              body=[
                  {"type": "paragraph",
                   "value": "<p>出生缺陷防治坚持预防为主、防治结合，"
                            "围绕婚前、孕前、孕期、新生儿和儿童各阶段开展三级预防。</p>"},
                  {"type": "heading", "value": {"text": "一级预防：防止出生缺陷发生", "level": "h2"}},
                  {"type": "paragraph",
                   "value": "<ul><li>自愿免费婚前医学检查</li><li>免费孕前优生健康检查</li>"
                            "<li>增补叶酸预防神经管缺陷</li></ul>"},
                  {"type": "heading", "value": {"text": "二级预防：减少严重出生缺陷儿出生", "level": "h2"}},
                  {"type": "paragraph", "value": "<p>孕期做好产前筛查，筛查高风险的孕妇落实后续产前诊断服务。</p>"},
                  {"type": "heading", "value": {"text": "三级预防：减少先天残疾", "level": "h2"}},
                  {"type": "paragraph",
                   "value": "<p>新生儿遗传代谢病、听力障碍、先天性心脏病和髋关节发育不良筛查，"
                            "早筛、早诊、早治。</p>"},
                  {"type": "callout",
                   "value": {"kind": "policy", "title": "免费服务",
                             "text": "<p>婚前医学检查、孕前优生健康检查和新生儿先天性心脏病筛查"
                                     "在很多地区免费提供。</p>"}},
              ]),
         ["premarital", "preconception", "pregnancy", "newborn", "child"], ["campaigns", "premarital_checkup"],
         ["三级预防", "出生缺陷"], [BEIJING_PLAN, SICHUAN_PLAN]),
        (dict(title="一图读懂新生儿疾病筛查", format=ResourceFormat.INFOGRAPHIC,
              summary="宝宝出生后的足跟血、听力、先心病和髋关节筛查，一张图看明白流程和时间。",
              date_published=datetime.date(2026, 6, 1), image=screening,
              image_alt="新生儿疾病筛查流程图：出生后采足跟血，筛查阳性及时召回，两周内确诊治疗；另有听力、先心病、髋关节筛查。",
              text_version="<ol><li>出生后按规定时间采集足跟血，筛查苯丙酮尿症、先天性甲状腺功能减低症等遗传代谢病。</li>"
                           "<li>筛查阳性的宝宝会被及时召回复查。</li><li>确诊后两周内开始治疗。</li>"
                           "<li>同时做听力筛查、先天性心脏病筛查和髋关节发育不良筛查。</li></ol>"),
         ["newborn"], ["newborn_screening", "pku", "hypothyroidism", "hearing", "congenital_heart_disease", "ddh"],
         ["新生儿筛查", "一图读懂"], [SICHUAN_PLAN]),
        (dict(title="孕前优生健康检查服务指南（可下载）", format=ResourceFormat.DOCUMENT,
              summary="计划怀孕夫妇免费孕前优生健康检查的项目、流程和准备事项，可下载打印。",
              date_published=datetime.date(2026, 4, 10), document=guide,
              body=[{"type": "paragraph",
                     "value": "<p>指南介绍孕前优生健康检查的检查项目、风险评估和咨询指导流程，"
                              "供计划怀孕的夫妇参考。</p>"}]),
         ["preconception"], ["preconception_checkup", "folic_acid"], ["孕前保健", "服务指南"], [SICHUAN_PLAN]),
        (dict(title="夫妻同是地贫携带者，怀孕后要做产前诊断", format=ResourceFormat.VIDEO,
              summary="三分钟视频讲清楚：同型地贫携带者夫妇为什么要做产前诊断，去哪里做。",
              date_published=datetime.date(2026, 5, 6),
              transcript="主持人：夫妻双方都是地中海贫血基因携带者，孩子一定会得病吗？\n"
                         "医生：如果双方携带的是同型地贫基因，每次怀孕，孩子有四分之一的可能是重型地贫。\n"
                         "医生：所以怀孕后要到产前诊断机构做产前诊断，并接受遗传咨询。\n"
                         "主持人：婚前、孕前筛查能提前发现风险，建议纳入婚前保健和孕前保健一起做。"),
         ["premarital", "preconception", "pregnancy"], ["thalassemia", "prenatal_diagnosis"],
         ["地中海贫血", "产前诊断"], [SICHUAN_PLAN]),
    ]


def refresh_reviews(index, today=None):
    """Give every demo resource a named reviewer and a review date relative to today (the imported
    evaluation file carries dates that have long passed). Idempotent: a resource already healthy, or
    already overdue on purpose, is left alone."""
    today = today or timezone.localdate()
    refreshed = 0
    # Live pages only: a draft (a contest winner awaiting review) must stay a draft.
    for position, page in enumerate(ResourcePage.objects.child_of(index).live().order_by("path")):
        overdue = page.title in OVERDUE_ON_PURPOSE
        healthy = page.reviewer and page.next_review and (page.next_review < today) == overdue
        if healthy:
            continue
        if overdue:
            last = today - datetime.timedelta(days=400 + 7 * position)
        else:
            last = max(page.date_published, today - datetime.timedelta(days=10 + (37 * position) % 300))
            last = min(last, today)
        page.reviewer = MEDICAL_REVIEWERS[position % len(MEDICAL_REVIEWERS)]
        page.last_reviewed, page.next_review = last, last + REVIEW_INTERVAL
        page.save_revision().publish()
        refreshed += 1
    return refreshed


def load(stdout):
    # Only what is not there yet: a second load must not put the file's old review dates back.
    present = set(ResourcePage.objects.originals().values_list("title", flat=True))
    with DEMO_FILE.open(encoding="utf-8") as lines:
        missing = [line for line in lines if line.strip() and json.loads(line)["title"] not in present]
    outcome = import_resources(missing, parent_slug="library")
    index = outcome.index
    require_medical_review(pages=[index])
    created = 0
    for fields, stages, topics, tags, sources in own_resources():
        if ResourcePage.objects.child_of(index).filter(title=fields["title"]).exists():
            continue
        page = ResourcePage(reviewer=REVIEWER, last_reviewed=datetime.date(2026, 9, 1), **fields)
        page.life_stages = list(LifeStage.objects.filter(code__in=stages))
        page.topics = list(Topic.objects.filter(code__in=topics))
        page.tags.set(tags)
        page.sources = [ResourceSource(citation=citation) for citation in sources]
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    reviewed = refresh_reviews(index)
    drafts = load_editorial_work(index)
    share_section(index)  # the Sichuan site shows the library at its own /library/
    stdout.write(f"library: {len(outcome.created)} imported, {created} demo resources created, "
                 f"{reviewed} review dates brought up to date, {drafts} drafts in the editorial workflow")


# Work in progress, so each role's 「待办」 panel has something on the demo: a draft, a page waiting
# for medical review, and one the medical reviewer sent back.
EDITORIAL_WORK = [
    ("孕期补碘要注意什么（示例草稿）", None, ""),
    ("新生儿足跟血筛查的流程（示例待审）", "submit", ""),
    ("唐筛高风险之后怎么办（示例退回）", "reject", "请补充参考来源和审核日期后再提交。"),
]


def load_editorial_work(index) -> int:
    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.filter(username__in=["editor",
                                                                                          "medical_reviewer"])}
    editor, reviewer = users.get("editor"), users.get("medical_reviewer")
    if editor is None or reviewer is None:
        return 0
    workflow = require_medical_review(pages=[index])
    created = 0
    for title, step, comment in EDITORIAL_WORK:
        if ResourcePage.objects.child_of(index).filter(title=title).exists():
            continue
        page = ResourcePage(title=title, summary="编辑正在撰写的示例内容。", live=False, owner=editor)
        index.add_child(instance=page)
        page.save_revision(user=editor)
        if step:
            state = workflow.start(page, editor)
            if step == "reject":
                task_state = state.current_task_state.specific
                task_state.task.specific.on_action(task_state, reviewer, "reject", comment=comment)
        created += 1
    return created

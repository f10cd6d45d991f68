"""Demo: core health messages for every life stage, worded after the Beijing and Sichuan 2023–2027
capacity plans (shared/reference), and the /core-messages/ page on both sites. Idempotent."""

import datetime

from django.utils import timezone
from wagtail.models import Site

from content.base.models import LifeStage, Topic
from content.base.provinces import infer_provinces
from content.editorial.review import require_medical_review

from .models import CoreMessage, CoreMessagesPage

BEIJING_PLAN = "《北京市出生缺陷防治能力提升计划实施方案》（示例引用）"
SICHUAN_PLAN = "《四川省出生缺陷防治能力提升计划实施方案（2023-2027年）》（示例引用）"
REVIEWER = "妇幼保健专家组（示例）"

# stage code → [(statement, explanation, source, topic codes)]
MESSAGES = {
    "premarital": [
        ("准备结婚的男女双方应主动参加免费婚前医学检查。",
         "婚前医学检查自愿、免费，重点排查严重遗传性疾病、指定传染病和有关精神病。很多地区已推广婚姻登记、"
         "婚前孕前医学检查、叶酸和避孕药具发放、优生优育指导“一站式”婚育综合服务。",
         SICHUAN_PLAN, ["premarital_checkup"]),
        ("生活在地中海贫血高发地区的夫妇，婚前孕前应做地贫筛查。",
         "夫妇双方如果同为同型地贫基因携带者，孩子有可能患重型地中海贫血。婚前、孕前筛查能及早发现风险，"
         "在医生指导下通过遗传咨询和产前诊断减少重型地贫发生。",
         SICHUAN_PLAN, ["thalassemia", "genetic_counseling"]),
        ("家族中有遗传病史的，婚前应接受遗传咨询。",
         "遗传咨询可以评估生育风险，给出检测和生育指导建议，帮助双方知情决定。",
         BEIJING_PLAN, ["genetic_counseling"]),
    ],
    "preconception": [
        ("计划怀孕的夫妇应参加免费孕前优生健康检查。",
         "孕前优生健康检查是国家基本公共卫生服务项目，通过风险评估和咨询指导，把出生缺陷防治关口前移到怀孕之前。",
         SICHUAN_PLAN, ["preconception_checkup"]),
        ("从计划怀孕前3个月起每天补充叶酸，可预防神经管缺陷。",
         "增补叶酸预防神经管缺陷是基本公共卫生服务项目。没有高危因素的女性每天补充0.4毫克叶酸，一直到怀孕满3个月。",
         SICHUAN_PLAN, ["folic_acid"]),
        ("孕前孕期要合理营养、保持好心情，预防病毒感染，在医生指导下谨慎用药。",
         "育龄妇女在婚前孕前、孕期注重合理营养和心理健康，科学补服叶酸等营养素，预防病毒感染和风险因素暴露，"
         "在医生指导下谨慎用药。",
         BEIJING_PLAN, ["nutrition", "infection", "medication_safety", "mental_health"]),
        ("准备怀孕和怀孕的妇女应避免接触有毒有害物质和放射线。",
         "用人单位应加强女职工劳动保护，准备怀孕和孕期妇女避免接触有毒有害物质和放射线。",
         BEIJING_PLAN, ["medication_safety"]),
    ],
    "pregnancy": [
        ("孕妇应按时接受产前筛查。",
         "产前筛查能发现唐氏综合征等胎儿染色体病和严重结构畸形的风险。北京、四川都提出产前筛查率达到或保持在90%以上。",
         BEIJING_PLAN, ["down_syndrome", "ultrasound"]),
        ("产前筛查高风险的孕妇，应及时到产前诊断机构接受产前诊断。",
         "筛查结果只提示风险，高风险孕妇应落实后续产前诊断服务，由产前诊断机构通过遗传咨询、影像和实验室检查明确诊断。",
         BEIJING_PLAN, ["prenatal_diagnosis", "nipt"]),
        ("孕期系统超声检查能发现大多数严重结构畸形。",
         "北京提出严重结构畸形产前诊断率保持在95%以上。请按医生建议的孕周完成超声检查。",
         BEIJING_PLAN, ["ultrasound", "congenital_heart_disease"]),
        ("夫妇同为同型地贫基因携带者，孕期应接受产前诊断。",
         "提高携带同型地贫基因夫妇孕期产前诊断率，强化高风险夫妇孕期追踪、产前诊断、遗传咨询和妊娠结局随访。",
         SICHUAN_PLAN, ["thalassemia", "prenatal_diagnosis"]),
    ],
    "newborn": [
        ("宝宝出生后要做新生儿遗传代谢病筛查，阳性的要在2周内确诊和治疗。",
         "足跟血筛查可发现苯丙酮尿症、先天性甲状腺功能减低症、先天性肾上腺皮质增生症、葡萄糖-6-磷酸脱氢酶缺乏症等疾病。"
         "新生儿遗传代谢病筛查率目标为98%，2周内诊断率、治疗率均达到90%。",
         SICHUAN_PLAN, ["newborn_screening", "pku", "hypothyroidism", "g6pd"]),
        ("宝宝要做听力筛查，听力障碍争取3个月内诊断、6个月内干预。",
         "新生儿听力筛查没通过不必慌张，应按时复筛；确诊后尽早干预，可以帮助孩子发展语言能力。",
         BEIJING_PLAN, ["hearing"]),
        ("新生儿先天性心脏病筛查简便无创，筛查阳性要尽快到诊治机构确诊。",
         "通过听诊和测量血氧饱和度即可完成筛查。四川全面实施新生儿先天性心脏病免费筛查项目。",
         SICHUAN_PLAN, ["congenital_heart_disease", "newborn_screening"]),
        ("髋关节发育不良早发现、早治疗，效果更好。",
         "北京提出新生儿髋关节发育不良筛查率达到98%，诊断率、干预率均达到80%。",
         BEIJING_PLAN, ["ddh"]),
    ],
    "child": [
        ("0—6岁儿童要定期做听力筛查，警惕迟发性耳聋。",
         "有听力高危因素或耳聋基因筛查未通过的儿童，要跟踪听力变化，早发现、早诊断、早治疗。",
         BEIJING_PLAN, ["hearing"]),
        ("确诊听力障碍的儿童，可获得助听器验配、人工耳蜗植入和康复救助。",
         "为确诊听力障碍患儿提供助听器精准验配、人工耳蜗植入、语言训练等干预服务和康复救助。",
         SICHUAN_PLAN, ["hearing", "aid_programs"]),
        ("出生缺陷患儿家庭可以申请出生缺陷干预救助项目。",
         "深入开展出生缺陷干预救助项目，提高出生缺陷患儿医疗保障水平。请向当地妇幼保健机构咨询申请条件。",
         BEIJING_PLAN, ["aid_programs"]),
    ],
}

INTRODUCTION = ("婚前、孕前、孕期、新生儿和儿童，每个阶段都有要记住的健康知识。以下核心信息依据北京市、四川省"
                "出生缺陷防治能力提升计划整理（示例数据）。")


def messages_page(home):
    page = CoreMessagesPage.objects.child_of(home).filter(slug="core-messages").first()
    if page is None:
        page = CoreMessagesPage(title="健康教育核心信息", slug="core-messages", show_in_menus=True,
                                introduction=INTRODUCTION,
                                search_description="出生缺陷防治健康教育核心信息，按人生阶段整理。")
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def load(stdout):
    pages = [messages_page(site.root_page) for site in Site.objects.all()]
    require_medical_review(pages=pages, models=[CoreMessage])
    # Review dates from today: reviewed three months ago (next review in nine months), one overdue.
    today = timezone.localdate()
    reviewed, overdue = today - datetime.timedelta(days=90), today - datetime.timedelta(days=400)
    created = 0
    for stage_code, entries in MESSAGES.items():
        stage = LifeStage.objects.get(code=stage_code)
        for number, (statement, explanation, source, topics) in enumerate(entries, start=1):
            # A message naming one province's programme (四川全面实施…) applies to that province only.
            provinces = infer_provinces(statement, explanation)
            existing = CoreMessage.objects.filter(life_stage=stage, number=number)
            if existing.exists():
                existing.filter(provinces="").update(provinces=provinces)
                continue
            message = CoreMessage(life_stage=stage, number=number, statement=statement,
                                  explanation=f"<p>{explanation}</p>", source=source, reviewer=REVIEWER,
                                  provinces=provinces,
                                  # one message overdue, so the report and dashboard panel have something
                                  last_reviewed=overdue if (stage_code, number) == ("child", 3)
                                  else reviewed)
            message.topics = list(Topic.objects.filter(code__in=topics))
            message.save()
            message.save_revision().publish()
            created += 1
    stdout.write(f"core_messages: {created} messages created, pages on {len(pages)} sites")

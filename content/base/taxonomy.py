"""The seed taxonomy: life stages, topics and services. Editors extend them in the admin."""

from typing import NamedTuple

# (code, name, entry-point label)
LIFE_STAGES = [
    ("premarital", "婚前", "准备结婚"),
    ("preconception", "孕前", "准备怀孕"),
    ("pregnancy", "孕期", "已经怀孕"),
    ("newborn", "新生儿", "宝宝出生后"),
    ("child", "儿童", "孩子成长中"),
]

# The topic codes of the resource library (shared/eval/resources_public.jsonl uses these).
TOPICS = [
    ("folic_acid", "增补叶酸"),
    ("nutrition", "孕期营养"),
    ("infection", "感染防控"),
    ("medication_safety", "用药安全"),
    ("mental_health", "心理健康"),
    ("genetic_counseling", "遗传咨询"),
    ("down_syndrome", "唐氏综合征"),
    ("nipt", "无创产前检测"),
    ("prenatal_diagnosis", "产前诊断"),
    ("ultrasound", "产前超声"),
    ("thalassemia", "地中海贫血"),
    ("newborn_screening", "新生儿疾病筛查"),
    ("pku", "苯丙酮尿症"),
    ("hypothyroidism", "先天性甲状腺功能减低症"),
    ("g6pd", "G6PD缺乏症"),
    ("hearing", "听力障碍"),
    ("congenital_heart_disease", "先天性心脏病"),
    ("ddh", "发育性髋关节发育不良"),
    ("dmd", "杜氏肌营养不良"),
    ("aid_programs", "救助项目"),
    ("campaigns", "宣传活动"),
    ("premarital_checkup", "婚前医学检查"),
    ("preconception_checkup", "孕前优生健康检查"),
]


def seed_taxonomy(LifeStage, Topic):
    """Idempotent: creates what is missing and leaves editors' changes alone."""
    for order, (code, name, audience) in enumerate(LIFE_STAGES):
        LifeStage.objects.get_or_create(code=code,
                                        defaults={"name": name, "audience": audience, "sort_order": order})
    for code, name in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name})


class Service(NamedTuple):
    code: str
    name: str
    aliases: list[str]
    life_stages: list[str]  # LifeStage codes; the first one groups the service in the finder's filters


# The service taxonomy of DESIGN §5 — the one table of it. Codes are stable; the facilities app
# seeds its Service records from it (editors then extend names and aliases in the admin), site
# search falls back on it for services the database does not have yet, and content links to the
# facility finder with the codes: /facilities/?service=<code>.
SERVICES = [
    Service("premarital_checkup", "婚前医学检查",
            ["婚检", "婚前检查", "婚前保健"],
            ["premarital"]),
    Service("preconception_checkup", "孕前优生健康检查",
            ["孕检", "孕前检查", "孕前优生检查"],
            ["preconception"]),
    Service("prenatal_screening", "产前筛查",
            ["唐筛", "唐氏筛查", "血清学筛查", "早唐", "中唐", "NT"],
            ["pregnancy"]),
    Service("nipt", "孕妇外周血胎儿游离DNA产前筛查与诊断",
            ["无创DNA", "无创产前", "无创", "NIPT", "胎儿游离DNA"],
            ["pregnancy"]),
    Service("prenatal_ultrasound", "产前超声筛查",
            ["大排畸", "排畸超声", "系统超声", "胎儿超声"],
            ["pregnancy"]),
    Service("prenatal_diagnosis", "产前诊断",
            ["羊水穿刺", "羊穿", "绒毛穿刺", "脐血穿刺", "染色体检查"],
            ["pregnancy"]),
    Service("genetic_counseling", "遗传咨询",
            ["遗传门诊"],
            ["pregnancy", "preconception", "premarital"]),
    Service("newborn_metabolic_screening", "新生儿遗传代谢病筛查",
            ["新生儿筛查", "足跟血", "苯丙酮尿症", "PKU", "甲低", "先天性甲状腺功能减低症", "G6PD", "蚕豆病",
             "先天性肾上腺皮质增生症", "CAH"],
            ["newborn"]),
    Service("newborn_hearing_screening", "新生儿听力筛查",
            ["听筛", "听力筛查", "耳聋基因筛查"],
            ["newborn"]),
    Service("hearing_diagnosis", "听力障碍诊治",
            ["听力诊断", "助听器验配", "人工耳蜗", "听力康复"],
            ["child", "newborn"]),
    Service("chd_screening", "新生儿先天性心脏病筛查",
            ["先心筛查", "先心病筛查", "先心病"],
            ["newborn"]),
    Service("chd_treatment", "先天性心脏病诊治",
            ["先心病手术", "先心病治疗"],
            ["child", "newborn"]),
    Service("ddh_screening", "髋关节发育不良筛查",
            ["髋关节筛查", "DDH"],
            ["child", "newborn"]),
    Service("thalassemia", "地中海贫血防控",
            ["地贫", "地贫筛查", "地贫基因检测", "地中海贫血"],
            ["preconception", "premarital", "pregnancy"]),
    Service("birth_defect_aid", "出生缺陷干预救助",
            ["出生缺陷救助", "救助"],
            ["child", "newborn"]),
]
SERVICE_NAMES = {service.code: service.name for service in SERVICES}
SERVICE_CHOICES = [(service.code, service.name) for service in SERVICES]

# Which services each life stage needs: the finder links of the home page's life-stage journeys.
LIFE_STAGE_SERVICES = {
    "premarital": ["premarital_checkup", "thalassemia", "genetic_counseling"],
    "preconception": ["preconception_checkup", "genetic_counseling", "thalassemia"],
    "pregnancy": ["prenatal_screening", "nipt", "prenatal_ultrasound", "prenatal_diagnosis"],
    "newborn": ["newborn_metabolic_screening", "newborn_hearing_screening", "chd_screening", "ddh_screening"],
    "child": ["hearing_diagnosis", "chd_treatment", "birth_defect_aid"],
}

# Which services a topic leads to: a resource about a topic links to the finder for these.
TOPIC_SERVICES = {
    "folic_acid": ["preconception_checkup"],
    "infection": ["preconception_checkup"],
    "genetic_counseling": ["genetic_counseling"],
    "down_syndrome": ["prenatal_screening", "nipt"],
    "nipt": ["nipt"],
    "prenatal_diagnosis": ["prenatal_diagnosis"],
    "ultrasound": ["prenatal_ultrasound"],
    "thalassemia": ["thalassemia"],
    "newborn_screening": ["newborn_metabolic_screening"],
    "pku": ["newborn_metabolic_screening"],
    "hypothyroidism": ["newborn_metabolic_screening"],
    "g6pd": ["newborn_metabolic_screening"],
    "hearing": ["newborn_hearing_screening", "hearing_diagnosis"],
    "congenital_heart_disease": ["chd_screening", "chd_treatment"],
    "ddh": ["ddh_screening"],
    "dmd": ["genetic_counseling"],
    "aid_programs": ["birth_defect_aid"],
    "premarital_checkup": ["premarital_checkup"],
    "preconception_checkup": ["preconception_checkup"],
}


def services_for(codes, mapping) -> list[str]:
    """The service codes `mapping` gives for `codes`, in order, without duplicates."""
    result = []
    for code in codes:
        for service in mapping.get(code, []):
            if service not in result:
                result.append(service)
    return result

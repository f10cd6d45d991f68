"""The seed taxonomy: life stages and topics. Editors extend both as snippets."""

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
        LifeStage.objects.get_or_create(code=code, defaults={"name": name, "audience": audience, "sort_order": order})
    for code, name in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name})

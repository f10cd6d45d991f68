"""The 2027 targets of the two plans (shared/reference), in the plans' own wording: seeded by the data
migration 0002; editors keep them current in the admin afterwards."""

BEIJING_PLAN = "北京市出生缺陷防治能力提升计划实施方案"
SICHUAN_PLAN = "四川省出生缺陷防治能力提升计划实施方案（2023-2027年）"

BJ_PREMARITAL = "婚前医学检查率、孕前优生健康检查目标人群覆盖率分别保持在70%和80%以上。"
BJ_PRENATAL = (
    "产前筛查率保持在90%以上，筛查高风险孕妇落实后续产前诊断服务，严重结构畸形产前诊断率保持在95%以上。"
)
BJ_METABOLIC = "新生儿遗传代谢病筛查率保持在98%以上，2周内诊断率、治疗率均达到90%。"
BJ_HEARING = "新生儿听力筛查率达到98%，听力障碍3个月内诊断率、6个月内干预率均达到90%。"
BJ_CHD_DDH = "新生儿先天性心脏病和髋关节发育不良筛查率均达到98%，诊断率、干预率均达到80%。"
BJ_MORTALITY = "出生缺陷导致的婴儿死亡率、5岁以下儿童死亡率分别降至1.0‰、1.1‰以下。"

SC_PREMARITAL = "婚前医学检查率、孕前优生健康检查目标人群覆盖率分别保持在85%以上。"
SC_PRENATAL = "产前筛查率达到90%，筛查高风险孕妇产前诊断服务逐步落实。"
SC_METABOLIC = (
    "苯丙酮尿症、先天性甲状腺功能减低症等新生儿遗传代谢病筛查率达到98%，2周内诊断率、2周内治疗率均达到90%。"
)
SC_HEARING = "新生儿听力障碍筛查率达到90%，3个月内诊断率、6个月内干预率均达到90%。"
SC_CHD = "新生儿先天性心脏病筛查2023年县域全覆盖，2027年筛查率达到90%、诊断率和干预率均达到80%。"
SC_MORTALITY = "全省出生缺陷导致的婴儿死亡率、5岁以下儿童死亡率分别降至1.0‰、1.1‰以下。"

LIVE_BIRTHS = "同期辖区活产数"

# code → (name, life stage, unit, direction, service, topics, numerator, denominator): the same indicator
# has the same definition in both provinces; the targets differ.
DEFINITIONS = {
    "premarital_checkup_rate": (
        "婚前医学检查率",
        "premarital",
        "%",
        "at_least",
        "premarital_checkup",
        ["premarital_checkup"],
        "辖区内接受婚前医学检查的人数",
        "同期辖区内结婚登记人数",
    ),
    "preconception_checkup_coverage": (
        "孕前优生健康检查目标人群覆盖率",
        "preconception",
        "%",
        "at_least",
        "preconception_checkup",
        ["preconception_checkup", "folic_acid"],
        "目标人群中接受孕前优生健康检查的计划怀孕夫妇数",
        "同期辖区内计划怀孕的目标人群夫妇数",
    ),
    "prenatal_screening_rate": (
        "产前筛查率",
        "pregnancy",
        "%",
        "at_least",
        "prenatal_screening",
        ["down_syndrome", "nipt"],
        "接受产前筛查（血清学、无创DNA或超声）的孕妇数",
        "同期辖区产妇数",
    ),
    "structural_anomaly_prenatal_diagnosis_rate": (
        "严重结构畸形产前诊断率",
        "pregnancy",
        "%",
        "at_least",
        "prenatal_ultrasound",
        ["ultrasound", "prenatal_diagnosis"],
        "产前诊断的严重结构畸形例数",
        "同期发现的严重结构畸形总例数（产前诊断与出生后诊断之和）",
    ),
    "newborn_metabolic_screening_rate": (
        "新生儿遗传代谢病筛查率",
        "newborn",
        "%",
        "at_least",
        "newborn_metabolic_screening",
        ["newborn_screening", "pku", "hypothyroidism"],
        "接受遗传代谢病筛查的新生儿数",
        LIVE_BIRTHS,
    ),
    "newborn_metabolic_diagnosis_rate": (
        "遗传代谢病2周内诊断率",
        "newborn",
        "%",
        "at_least",
        "newborn_metabolic_screening",
        ["newborn_screening"],
        "筛查阳性后2周内完成确诊的新生儿数",
        "同期筛查阳性新生儿数",
    ),
    "newborn_metabolic_treatment_rate": (
        "遗传代谢病2周内治疗率",
        "newborn",
        "%",
        "at_least",
        "newborn_metabolic_screening",
        ["newborn_screening"],
        "确诊后2周内开始治疗的患儿数",
        "同期确诊患儿数",
    ),
    "newborn_hearing_screening_rate": (
        "新生儿听力筛查率",
        "newborn",
        "%",
        "at_least",
        "newborn_hearing_screening",
        ["hearing"],
        "接受听力筛查的新生儿数",
        LIVE_BIRTHS,
    ),
    "hearing_diagnosis_rate": (
        "听力障碍3个月内诊断率",
        "newborn",
        "%",
        "at_least",
        "hearing_diagnosis",
        ["hearing"],
        "复筛未通过后3月龄内完成听力学诊断的婴儿数",
        "同期复筛未通过婴儿数",
    ),
    "hearing_intervention_rate": (
        "听力障碍6个月内干预率",
        "newborn",
        "%",
        "at_least",
        "hearing_diagnosis",
        ["hearing"],
        "确诊听力障碍后6月龄内接受干预的婴儿数",
        "同期确诊听力障碍婴儿数",
    ),
    "chd_screening_rate": (
        "新生儿先天性心脏病筛查率",
        "newborn",
        "%",
        "at_least",
        "chd_screening",
        ["congenital_heart_disease"],
        "接受先天性心脏病筛查（心脏听诊和经皮血氧饱和度测量）的新生儿数",
        LIVE_BIRTHS,
    ),
    "chd_diagnosis_rate": (
        "先天性心脏病诊断率",
        "newborn",
        "%",
        "at_least",
        "chd_treatment",
        ["congenital_heart_disease"],
        "筛查阳性后完成超声心动图诊断的新生儿数",
        "同期先天性心脏病筛查阳性新生儿数",
    ),
    "chd_intervention_rate": (
        "先天性心脏病干预率",
        "newborn",
        "%",
        "at_least",
        "chd_treatment",
        ["congenital_heart_disease"],
        "确诊需干预的先天性心脏病患儿中接受手术或介入治疗的人数",
        "同期确诊需干预的先天性心脏病患儿数",
    ),
    "ddh_screening_rate": (
        "新生儿髋关节发育不良筛查率",
        "newborn",
        "%",
        "at_least",
        "ddh_screening",
        ["ddh"],
        "接受髋关节发育不良筛查的新生儿数",
        LIVE_BIRTHS,
    ),
    "ddh_diagnosis_rate": (
        "髋关节发育不良诊断率",
        "newborn",
        "%",
        "at_least",
        "ddh_screening",
        ["ddh"],
        "筛查阳性后完成诊断的婴儿数",
        "同期髋关节发育不良筛查阳性婴儿数",
    ),
    "ddh_intervention_rate": (
        "髋关节发育不良干预率",
        "newborn",
        "%",
        "at_least",
        "ddh_screening",
        ["ddh"],
        "确诊髋关节发育不良后接受干预的婴儿数",
        "同期确诊髋关节发育不良婴儿数",
    ),
    "infant_mortality_birth_defects": (
        "出生缺陷导致的婴儿死亡率",
        "child",
        "‰",
        "at_most",
        "birth_defect_aid",
        ["aid_programs"],
        "因出生缺陷死亡的不满1周岁婴儿数",
        LIVE_BIRTHS,
    ),
    "under5_mortality_birth_defects": (
        "出生缺陷导致的5岁以下儿童死亡率",
        "child",
        "‰",
        "at_most",
        "birth_defect_aid",
        ["aid_programs"],
        "因出生缺陷死亡的不满5周岁儿童数",
        LIVE_BIRTHS,
    ),
}

# province → [(code, target, plan clause, name if it differs from the definition's)]
TARGETS = {
    "110000": (
        BEIJING_PLAN,
        [
            ("premarital_checkup_rate", "70", BJ_PREMARITAL, None),
            ("preconception_checkup_coverage", "80", BJ_PREMARITAL, None),
            ("prenatal_screening_rate", "90", BJ_PRENATAL, None),
            ("structural_anomaly_prenatal_diagnosis_rate", "95", BJ_PRENATAL, None),
            ("newborn_metabolic_screening_rate", "98", BJ_METABOLIC, None),
            ("newborn_metabolic_diagnosis_rate", "90", BJ_METABOLIC, None),
            ("newborn_metabolic_treatment_rate", "90", BJ_METABOLIC, None),
            ("newborn_hearing_screening_rate", "98", BJ_HEARING, None),
            ("hearing_diagnosis_rate", "90", BJ_HEARING, None),
            ("hearing_intervention_rate", "90", BJ_HEARING, None),
            ("chd_screening_rate", "98", BJ_CHD_DDH, None),
            ("chd_diagnosis_rate", "80", BJ_CHD_DDH, None),
            ("chd_intervention_rate", "80", BJ_CHD_DDH, None),
            ("ddh_screening_rate", "98", BJ_CHD_DDH, None),
            ("ddh_diagnosis_rate", "80", BJ_CHD_DDH, None),
            ("ddh_intervention_rate", "80", BJ_CHD_DDH, None),
            ("infant_mortality_birth_defects", "1.0", BJ_MORTALITY, None),
            ("under5_mortality_birth_defects", "1.1", BJ_MORTALITY, None),
        ],
    ),
    "510000": (
        SICHUAN_PLAN,
        [
            ("premarital_checkup_rate", "85", SC_PREMARITAL, None),
            ("preconception_checkup_coverage", "85", SC_PREMARITAL, None),
            ("prenatal_screening_rate", "90", SC_PRENATAL, None),
            ("newborn_metabolic_screening_rate", "98", SC_METABOLIC, None),
            ("newborn_metabolic_diagnosis_rate", "90", SC_METABOLIC, None),
            ("newborn_metabolic_treatment_rate", "90", SC_METABOLIC, None),
            ("newborn_hearing_screening_rate", "90", SC_HEARING, "新生儿听力障碍筛查率"),
            ("hearing_diagnosis_rate", "90", SC_HEARING, None),
            ("hearing_intervention_rate", "90", SC_HEARING, None),
            ("chd_screening_rate", "90", SC_CHD, None),
            ("chd_diagnosis_rate", "80", SC_CHD, None),
            ("chd_intervention_rate", "80", SC_CHD, None),
            ("infant_mortality_birth_defects", "1.0", SC_MORTALITY, None),
            ("under5_mortality_birth_defects", "1.1", SC_MORTALITY, None),
        ],
    ),
}


def seed_indicators(Indicator, LifeStage, Topic, now=None):
    """Creates every plan indicator that is missing (idempotent; editors' changes are left alone).

    Written against the historical models of a migration: no model methods, live rows written directly."""
    from decimal import Decimal

    stages = {stage.code: stage for stage in LifeStage.objects.all()}
    topics = {topic.code: topic for topic in Topic.objects.all()}
    created = 0
    for province, (plan, targets) in TARGETS.items():
        for order, (code, target, clause, name) in enumerate(targets):
            if Indicator.objects.filter(province_code=province, code=code).exists():
                continue
            (default_name, stage, unit, direction, service, topic_codes, numerator, denominator) = (
                DEFINITIONS[code]
            )
            indicator = Indicator.objects.create(
                province_code=province,
                code=code,
                name=name or default_name,
                life_stage=stages[stage],
                unit=unit,
                direction=direction,
                target_value=Decimal(target),
                target_year=2027,
                plan=plan,
                plan_clause=clause,
                numerator=numerator,
                denominator=denominator,
                service=service,
                sort_order=order,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            # Through the join table: a historical model does not commit a ParentalManyToManyField itself.
            through = Indicator.topics.through
            through.objects.bulk_create(
                [
                    through(indicator_id=indicator.pk, topic_id=topics[c].pk)
                    for c in topic_codes
                    if c in topics
                ]
            )
            created += 1
    return created

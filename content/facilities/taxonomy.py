"""The service taxonomy of DESIGN §5. Codes are stable; editors extend names and aliases in the admin."""

# code, official name, aliases, life stages (content/base LifeStage codes; the first one groups the
# service in the finder's filters)
SERVICES = [
    ("premarital_checkup", "婚前医学检查", ["婚检", "婚前检查", "婚前保健"], ["premarital"]),
    ("preconception_checkup", "孕前优生健康检查", ["孕检", "孕前检查", "孕前优生检查"], ["preconception"]),
    ("prenatal_screening", "产前筛查", ["唐筛", "唐氏筛查", "血清学筛查", "早唐", "中唐", "NT"], ["pregnancy"]),
    ("nipt", "孕妇外周血胎儿游离DNA产前筛查与诊断", ["无创DNA", "无创产前", "无创", "NIPT", "胎儿游离DNA"],
     ["pregnancy"]),
    ("prenatal_ultrasound", "产前超声筛查", ["大排畸", "排畸超声", "系统超声", "胎儿超声"], ["pregnancy"]),
    ("prenatal_diagnosis", "产前诊断", ["羊水穿刺", "羊穿", "绒毛穿刺", "脐血穿刺", "染色体检查"], ["pregnancy"]),
    ("genetic_counseling", "遗传咨询", ["遗传门诊"], ["pregnancy", "preconception", "premarital"]),
    ("newborn_metabolic_screening", "新生儿遗传代谢病筛查",
     ["新生儿筛查", "足跟血", "苯丙酮尿症", "PKU", "甲低", "先天性甲状腺功能减低症", "G6PD", "蚕豆病",
      "先天性肾上腺皮质增生症", "CAH"], ["newborn"]),
    ("newborn_hearing_screening", "新生儿听力筛查", ["听筛", "听力筛查", "耳聋基因筛查"], ["newborn"]),
    ("hearing_diagnosis", "听力障碍诊治", ["听力诊断", "助听器验配", "人工耳蜗", "听力康复"], ["child", "newborn"]),
    ("chd_screening", "新生儿先天性心脏病筛查", ["先心筛查", "先心病筛查", "先心病"], ["newborn"]),
    ("chd_treatment", "先天性心脏病诊治", ["先心病手术", "先心病治疗"], ["child", "newborn"]),
    ("ddh_screening", "髋关节发育不良筛查", ["髋关节筛查", "DDH"], ["child", "newborn"]),
    ("thalassemia", "地中海贫血防控", ["地贫", "地贫筛查", "地贫基因检测", "地中海贫血"],
     ["preconception", "premarital", "pregnancy"]),
    ("birth_defect_aid", "出生缺陷干预救助", ["出生缺陷救助", "救助"], ["child", "newborn"]),
]


def seed_services(Service, LifeStage):
    """Idempotent: creates missing services and leaves editors' changes to existing ones alone."""
    stages = {stage.code: stage for stage in LifeStage.objects.all()}
    for order, (code, name, aliases, stage_codes) in enumerate(SERVICES):
        service, created = Service.objects.get_or_create(
            code=code, defaults={"name": name, "aliases": "、".join(aliases), "sort_order": order}
        )
        if created:
            service.life_stages.set([stages[c] for c in stage_codes if c in stages])

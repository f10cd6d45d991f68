"""The service taxonomy of DESIGN §5 as data: what people type for each licensed service.

This is the seed and the fall-back: once `content.facilities.models.Service` rows exist, the
synonym table reads names and aliases from the database (editors can change them there), and
this table only fills in services the database does not have yet.
"""

from typing import NamedTuple


class ServiceAliases(NamedTuple):
    code: str
    name: str
    aliases: tuple[str, ...]


SERVICES = (
    ServiceAliases("premarital_checkup", "婚前医学检查", ("婚检", "婚前检查", "婚前保健")),
    ServiceAliases("preconception_checkup", "孕前优生健康检查", ("孕检", "孕前检查", "孕前优生检查")),
    ServiceAliases("prenatal_screening", "产前筛查", ("唐筛", "唐氏筛查", "血清学筛查", "早唐", "中唐", "NT")),
    ServiceAliases("nipt", "孕妇外周血胎儿游离DNA产前筛查与诊断",
                   ("无创DNA", "无创产前", "无创", "NIPT", "胎儿游离DNA")),
    ServiceAliases("prenatal_ultrasound", "产前超声筛查", ("大排畸", "排畸超声", "系统超声", "胎儿超声")),
    ServiceAliases("prenatal_diagnosis", "产前诊断", ("羊水穿刺", "羊穿", "绒毛穿刺", "脐血穿刺", "染色体检查")),
    ServiceAliases("genetic_counseling", "遗传咨询", ("遗传门诊",)),
    ServiceAliases("newborn_metabolic_screening", "新生儿遗传代谢病筛查",
                   ("新生儿筛查", "足跟血", "苯丙酮尿症", "PKU", "甲低", "先天性甲状腺功能减低症", "G6PD", "蚕豆病",
                    "先天性肾上腺皮质增生症", "CAH")),
    ServiceAliases("newborn_hearing_screening", "新生儿听力筛查", ("听筛", "听力筛查", "耳聋基因筛查")),
    ServiceAliases("hearing_diagnosis", "听力障碍诊治", ("听力诊断", "助听器验配", "人工耳蜗", "听力康复")),
    ServiceAliases("chd_screening", "新生儿先天性心脏病筛查", ("先心筛查", "先心病筛查", "先心病")),
    ServiceAliases("chd_treatment", "先天性心脏病诊治", ("先心病手术", "先心病治疗")),
    ServiceAliases("ddh_screening", "髋关节发育不良筛查", ("髋关节筛查", "DDH")),
    ServiceAliases("thalassemia", "地中海贫血防控", ("地贫", "地贫筛查", "地贫基因检测", "地中海贫血")),
    ServiceAliases("birth_defect_aid", "出生缺陷干预救助", ("出生缺陷救助", "救助")),
)

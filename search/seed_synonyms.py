"""The synonym list a new portal starts with: common names, abbreviations and lay words of the
programme's domain. Editors change and extend it in the admin (搜索 → 同义词)."""

SEED_SYNONYMS = [
    ("唐筛、唐氏筛查、唐氏综合征筛查、唐氏综合征血清学筛查、血清学筛查", "俗称与全称"),
    ("唐氏综合征、唐氏儿、21三体综合征、先天愚型", "俗称与学名"),
    ("婚检、婚前医学检查、婚前检查", "简称"),
    ("孕检、孕前优生健康检查、孕前检查、孕前优生检查", "简称"),
    ("无创DNA、无创产前检测、无创产前基因检测、NIPT、胎儿游离DNA", "简称与英文缩写"),
    ("羊穿、羊水穿刺、羊膜腔穿刺", "简称"),
    ("大排畸、排畸超声、系统超声、胎儿系统超声", "俗称"),
    ("NT、颈项透明层、颈项透明层检查、颈后透明带", "英文缩写"),
    ("地贫、地中海贫血", "简称"),
    ("PKU、苯丙酮尿症", "英文缩写"),
    ("甲低、先天性甲状腺功能减低症、先天性甲减、甲减", "俗称"),
    ("蚕豆病、G6PD缺乏症、G6PD、葡萄糖6磷酸脱氢酶缺乏症", "俗称与英文缩写"),
    ("DDH、发育性髋关节发育不良、髋关节发育不良", "英文缩写"),
    ("先心病、先天性心脏病、先心、CHD", "简称与英文缩写"),
    ("听筛、听力筛查", "简称"),
    ("听障、听力障碍、听力损失", "简称"),
    ("人工耳蜗、电子耳蜗", "同义"),
    ("DMD、杜氏肌营养不良、进行性肌营养不良", "英文缩写"),
    ("出生缺陷、先天畸形、先天缺陷", "同义"),
    ("救助、补助、资助", "口语"),
    ("新生儿、刚出生", "口语"),
    ("准妈妈、孕妇、孕妈", "口语"),
    ("高龄孕妇、高龄产妇", "同义"),
    ("用药、吃药、服药", "口语"),
    ("情绪低落、心情低落、心情不好", "口语"),
    ("艾滋病、HIV、人类免疫缺陷病毒", "英文缩写"),
    ("乙肝、乙型肝炎、HBV", "简称与英文缩写"),
    ("TORCH、优生五项、TORCH筛查", "俗称"),
    ("B超、超声检查", "俗称"),
    ("产检、产前检查", "简称"),
    ("SMA、脊髓性肌萎缩症", "英文缩写"),
    ("试管婴儿、辅助生殖、IVF", "俗称与英文缩写"),
    ("染色体异常、染色体病", "同义"),
    ("孕吐、早孕反应", "俗称"),
]


def ensure_seed_synonyms(SynonymGroup) -> int:
    """Adds each seed group none of whose terms is in the list yet (editors' changes stay)."""
    from search.models import TERM_SEPARATORS

    known = set()
    for terms in SynonymGroup.objects.values_list("terms", flat=True):
        known.update(t.strip().lower() for t in TERM_SEPARATORS.split(terms) if t.strip())
    added = 0
    for terms, note in SEED_SYNONYMS:
        group = [t.strip().lower() for t in TERM_SEPARATORS.split(terms) if t.strip()]
        if not known.intersection(group):
            SynonymGroup.objects.create(terms=terms, note=note)
            known.update(group)
            added += 1
    return added

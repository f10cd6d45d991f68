"""The analysis module on its own: normalisation, segmentation, grams, synonyms, pinyin, queries."""

from search.analysis import (
    SEGMENTER,
    SynonymTable,
    Thesaurus,
    add_vocabulary,
    analyse_query,
    cjk_grams,
    index_terms,
    index_text,
    normalize,
    read_query,
    segment,
    text_tokens,
    to_pinyin,
    word_pinyin_terms,
)

SERVICES = SynonymTable([["产前筛查", "唐筛", "唐氏筛查", "nt"], ["婚前医学检查", "婚检", "婚前检查"]])
EXACT = SynonymTable([["pku", "苯丙酮尿症"], ["蚕豆病", "G6PD缺乏症"]])
THESAURUS = Thesaurus([(EXACT, 1.0), (SERVICES, 0.6)])


def test_normalize_folds_width_case_traditional_and_control_characters():
    assert normalize("ＮＩＰＴ　產前診斷\x00") == "nipt 产前诊断 "
    assert normalize("葉酸") == "叶酸"


def test_segmenter_is_the_measured_one():
    assert SEGMENTER == "rjieba"


def test_segment_finds_a_word_inside_running_text():
    assert "叶酸" in segment("备孕女性为什么要补叶酸")
    assert "风疹" in segment("备孕前为什么要查风疹抗体")


def test_domain_vocabulary_keeps_terms_whole():
    add_vocabulary(["足跟血", "无创DNA"])
    assert "足跟血" in segment("出生后采几滴足跟血能查出哪些病")
    assert "无创" in segment("无创DNA检测")


def test_grams_are_single_characters_and_bigrams():
    grams = cjk_grams("风疹抗体")
    assert {"风", "疹", "风疹", "疹抗", "抗体"} <= set(grams)


def test_index_text_has_words_grams_and_title_pinyin():
    tokens = text_tokens("耳聋基因筛查能发现哪些听力风险", pinyin=True)
    assert {"耳聋", "基因", "耳", "聋"} <= tokens
    assert {"erlong", "erlongjiyin", "eljy", "tingli"} <= tokens
    assert "erlong" not in index_text("耳聋基因筛查")  # pinyin only where asked (titles, names)


def test_pinyin_of_titles():
    assert {"yesuan", "ys"} <= set(index_terms("叶酸", with_pinyin=True).pinyin)
    assert "dizhonghai" in word_pinyin_terms("一起认识地中海贫血")
    assert to_pinyin("羊水穿刺") == ("yangshuichuanci", "yscc")


def test_aliases_index_and_query_meet_on_the_canonical_term():
    add_vocabulary(SERVICES.vocabulary)
    indexed = index_terms("本院开展唐氏筛查", SERVICES)
    assert "产前筛查" in indexed.synonyms
    reading = read_query("朝阳区哪里可以做唐筛？", Thesaurus([(SERVICES, 1.0)]))
    assert [SERVICES.canonical(term) for _, term in reading.terms] == ["产前筛查"]


def test_one_reading_serves_site_search_and_the_facility_finder():
    """Site search's concepts are the reading's pieces, in the order of the text."""
    reading = read_query("朝阳区哪里可以做唐筛？", THESAURUS)
    assert [c.label for c in analyse_query("朝阳区哪里可以做唐筛？", THESAURUS).concepts] == [
        text for _, text in reading.pieces]
    assert reading.pieces[-1] == (8, "唐筛")
    # The segmenter's word edges tell a whole word from a part of one: 孕检 is not inside 怀孕|检查.
    boundaries = read_query("怀孕检查").boundaries
    assert {0, 2, 4} <= boundaries and not {1, 3} & boundaries


def test_synonym_groups_sharing_a_term_merge():
    table = SynonymTable([["地贫", "地中海贫血"], ["地中海贫血", "thalassemia"]])
    assert set(table.members("地贫")) == {"地贫", "地中海贫血", "thalassemia"}


def test_query_expands_exact_synonyms_above_service_aliases():
    add_vocabulary(THESAURUS.vocabulary)
    concept = analyse_query("PKU", THESAURUS).concepts[0]
    assert concept.tiers[0].kind == "word" and set(concept.tiers[0].tokens) == {"pku", "苯丙酮尿症"}
    tang = analyse_query("唐筛", THESAURUS).concepts[0]
    assert tang.tiers[0].tokens == ["唐筛"]
    assert tang.tiers[1].kind == "related" and "产前筛查" in tang.tiers[1].tokens
    assert tang.tiers[1].weight < tang.tiers[0].weight


def test_mixed_synonyms_are_found_by_their_specific_part():
    # g6pd缺乏症: the abbreviation is specific, 缺乏症 alone is not a term; nt检查 must never become a
    # search for every 检查.
    concept = analyse_query("蚕豆病", THESAURUS).concepts[0]
    assert "g6pd" in concept.tiers[0].tokens and "缺乏症" not in concept.tiers[0].tokens
    thesaurus = Thesaurus([(SynonymTable([["NT", "颈项透明层", "NT检查"], ["无创DNA", "无创"]]), 1.0)])
    assert "检查" not in analyse_query("颈项透明层", thesaurus).concepts[0].tokens
    assert "无创" in analyse_query("无创DNA", thesaurus).concepts[0].tokens


def test_question_keeps_meaningful_words_only():
    labels = [c.label for c in analyse_query("35岁怀孕一定要做羊水穿刺吗").concepts]
    assert "怀孕" in labels and "35" in labels
    assert not {"要", "做", "吗"} & set(labels)


def test_orphan_characters_stay_together():
    assert [c.label for c in analyse_query("排畸").concepts] == ["排畸"]


def test_unknown_long_words_fall_back_to_bigrams():
    concept = analyse_query("刚出生").concepts[0]
    assert concept.fallback is not None and "出生" in concept.fallback.tokens


def test_pinyin_query_uses_the_lexicon():
    concept = analyse_query("yesuan", pinyin_lookup=lambda p: ["叶酸"] if p == "yesuan" else []).concepts[0]
    assert concept.tiers[0].tokens == ["yesuan"]
    assert concept.tiers[1].kind == "pinyin" and concept.tiers[1].tokens == ["叶酸"]


def test_hostile_input_becomes_harmless_terms():
    hostile = '"*-\x00😀 <script>AND OR NOT NEAR( ) : ^ ' + "叶" * 5000
    reading = read_query(hostile, THESAURUS)
    assert all('"' not in text and "\x00" not in text for _, text in reading.pieces)
    assert len(reading.normalized) <= 200
    for concept in analyse_query(hostile, THESAURUS).concepts:
        for token in concept.tokens:
            assert token.isalnum(), token


def test_elasticsearch_rules_cover_every_table():
    rules = THESAURUS.as_elasticsearch_rules()
    assert any("唐筛" in rule and "产前筛查" in rule for rule in rules)
    assert any("pku" in rule and "苯丙酮尿症" in rule for rule in rules)


def test_pinyin_query_words_bring_their_synonyms():
    concept = analyse_query("tangshai", THESAURUS, pinyin_lookup=lambda p: ["唐筛"]).concepts[0]
    pinyin = next(t for t in concept.tiers if t.kind == "pinyin")
    assert pinyin.tokens == ["唐筛"]
    assert "产前筛查" in next(t for t in concept.tiers if t.kind == "related" and t is not concept.tiers[0]).tokens


def test_question_fillers_are_not_concepts():
    labels = [c.label for c in analyse_query("唐氏筛查高风险怎么办").concepts]
    assert "怎么办" not in labels and "高风险" in labels or "风险" in labels

from search.analysis import SynonymTable, add_vocabulary, cjk_grams, index_terms, normalize, plan_query, segment

SERVICES = SynonymTable([["产前筛查", "唐筛", "唐氏筛查", "nt"], ["婚前医学检查", "婚检", "婚前检查"]])


def test_normalize_folds_width_case_traditional_and_control_characters():
    assert normalize("ＮＩＰＴ　產前診斷\x00") == "nipt 产前诊断 "


def test_segment_finds_a_word_inside_running_text():
    assert "叶酸" in segment("备孕女性为什么要补叶酸")


def test_grams_are_single_characters_and_bigrams():
    grams = cjk_grams("风疹抗体")
    assert {"风", "疹", "风疹", "疹抗", "抗体"} <= set(grams)


def test_aliases_index_and_query_meet_on_the_canonical_term():
    add_vocabulary(SERVICES.vocabulary)
    indexed = index_terms("本院开展唐氏筛查", SERVICES)
    assert "产前筛查" in indexed.synonyms
    plan = plan_query("朝阳区哪里可以做唐筛？", SERVICES)
    assert plan.terms[0].synonym_token == "产前筛查"


def test_hostile_input_becomes_harmless_terms():
    plan = plan_query('"*-\x00😀 ' + "叶" * 5000)
    assert all('"' not in t.text and "\x00" not in t.text for t in plan.terms)
    assert len(plan.normalized) <= 200


def test_pinyin_of_titles():
    assert {"yesuan", "ys"} <= set(index_terms("叶酸", with_pinyin=True).pinyin)

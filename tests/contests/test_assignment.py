"""content/contests/assignment.py: N per entry, balanced load, maximum, conflicts, recusal."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from content.contests.assignment import (
    EntrySlot,
    ReviewerLoad,
    has_conflict,
    loads_after,
    organisation_key,
    plan_assignments,
)


def reviewers(n, maximum=None, orgs=None):
    return [ReviewerLoad(i, ((orgs or {}).get(i, f"机构{i}"),), 0, maximum) for i in range(n)]


def test_every_entry_gets_n_distinct_reviewers():
    entries = [EntrySlot(f"e{i}") for i in range(7)]
    plan = plan_assignments(entries, reviewers(4), per_entry=3)
    per_entry = Counter(e for e, _r in plan.pairs)
    assert set(per_entry.values()) == {3}
    assert len(set(plan.pairs)) == len(plan.pairs)
    assert plan.shortfall == {}


def test_load_is_balanced_within_one():
    plan = plan_assignments([EntrySlot(i) for i in range(10)], reviewers(4), per_entry=2)
    loads = loads_after(plan, reviewers(4))
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 20


def test_maximum_per_reviewer_is_respected_and_the_rest_reported():
    plan = plan_assignments([EntrySlot(i) for i in range(5)], reviewers(2, maximum=3), per_entry=2)
    loads = loads_after(plan, reviewers(2))
    assert max(loads.values()) <= 3
    assert sum(plan.shortfall.values()) == 10 - 6


def test_no_reviewer_from_the_entrants_organisation():
    pool = reviewers(3, orgs={0: "北京市妇幼保健院", 1: "首都医科大学", 2: "北大一院"})
    entry = EntrySlot("e", organisation="北京市 妇幼保健院。")
    plan = plan_assignments([entry], pool, per_entry=3)
    assert (("e", 0) not in plan.pairs) and plan.shortfall == {"e": 1}


def test_declared_conflicts_count_like_the_own_organisation():
    pool = [ReviewerLoad(1, ("甲医院", "乙大学")), ReviewerLoad(2, ("丙中心",))]
    plan = plan_assignments([EntrySlot("e", organisation="乙大学")], pool, per_entry=1)
    assert plan.pairs == [("e", 2)]


def test_organisation_names_compare_ignoring_width_case_spaces_and_punctuation():
    assert organisation_key("ＡＢＣ 医院（分院）") == organisation_key("abc医院(分院)")
    assert not has_conflict(EntrySlot("e", organisation=""), ReviewerLoad(1, ("",)))


def test_recused_reviewer_is_never_assigned_the_entry_again():
    entry = EntrySlot("e", reviewer_ids=frozenset({1}), excluded_ids=frozenset({0}))
    plan = plan_assignments([entry], reviewers(3), per_entry=2)
    assert plan.pairs == [("e", 2)]


def test_existing_assignments_count_towards_n_and_load():
    pool = [ReviewerLoad(0, (), load=5), ReviewerLoad(1, (), load=0), ReviewerLoad(2, (), load=0)]
    plan = plan_assignments([EntrySlot("e", reviewer_ids=frozenset({1}))], pool, per_entry=2)
    assert plan.pairs == [("e", 2)]  # the lighter of the eligible two


def test_most_constrained_entries_are_filled_first():
    # Only reviewer 0 can take "hard"; if "easy" were filled first it would take reviewer 0's last slot.
    pool = [ReviewerLoad(0, ("甲",), 0, 1), ReviewerLoad(1, ("乙",), 0, 1)]
    hard = EntrySlot("hard", organisation="乙")
    easy = EntrySlot("easy", organisation="")
    plan = plan_assignments([easy, hard], pool, per_entry=1)
    assert sorted(plan.pairs) == [("easy", 1), ("hard", 0)]
    assert plan.shortfall == {}


@settings(max_examples=60, deadline=None)
@given(
    entries=st.integers(1, 25),
    pool=st.integers(1, 8),
    per_entry=st.integers(1, 4),
    maximum=st.one_of(st.none(), st.integers(1, 10)),
    conflicts=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 7)), max_size=10),
)
def test_plans_never_break_a_rule(entries, pool, per_entry, maximum, conflicts):
    slots = [EntrySlot(i, organisation=f"org{i}") for i in range(entries)]
    people = [
        ReviewerLoad(r, tuple(f"org{e}" for e, rr in conflicts if rr == r), 0, maximum) for r in range(pool)
    ]
    plan = plan_assignments(slots, people, per_entry)
    assert len(set(plan.pairs)) == len(plan.pairs)
    per_entry_count = Counter(e for e, _r in plan.pairs)
    for entry in range(entries):
        assert per_entry_count[entry] + plan.shortfall.get(entry, 0) == per_entry
    for entry, reviewer in plan.pairs:
        assert (entry, reviewer) not in conflicts
    loads = loads_after(plan, people)
    if maximum is not None:
        assert max(loads.values()) <= maximum
    if not conflicts and maximum is None and per_entry <= pool:
        assert max(loads.values()) - min(loads.values()) <= 1

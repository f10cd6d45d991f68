"""content/contests/scoring.py: weighted review scores, N/A, mean and trimmed mean, disagreement, ties."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.contests.scoring import Aggregate, Criterion, Ranked, ScoringError, aggregate, rank, review_score

D = Decimal
CRITERIA = [
    Criterion("science", D("2")),
    Criterion("clarity", D("1")),
    Criterion("av", D("1"), allow_na=True),
]


def test_weights_count_in_proportion():
    # 100 × (2·5/5 + 1·1/5 + 1·3/5) / (2+1+1) = 100 × 2.8 / 4 = 70; unweighted it would be 60
    assert review_score(CRITERIA, {"science": 5, "clarity": 1, "av": 3}) == D("70.00")


def test_all_top_levels_is_100_and_all_lowest_is_20():
    assert review_score(CRITERIA, {"science": 5, "clarity": 5, "av": 5}) == D("100.00")
    assert review_score(CRITERIA, {"science": 1, "clarity": 1, "av": 1}) == D("20.00")


def test_na_is_left_out_not_counted_as_zero():
    with_na = review_score(CRITERIA, {"science": 5, "clarity": 5, "av": None})
    assert with_na == D("100.00")  # as 0 it would be 75


def test_na_only_where_the_criterion_allows_it():
    with pytest.raises(ScoringError, match="N/A not allowed"):
        review_score(CRITERIA, {"science": None, "clarity": 5, "av": 5})


def test_a_review_with_every_criterion_na_has_no_score():
    only_na = [Criterion("av", D("1"), allow_na=True)]
    assert review_score(only_na, {"av": None}) is None


@pytest.mark.parametrize(
    "scores, reason",
    [
        ({"science": 5, "clarity": 5}, "missing"),
        ({"science": 6, "clarity": 5, "av": 5}, "not a level"),
        ({"science": 0, "clarity": 5, "av": 5}, "not a level"),
        ({"science": True, "clarity": 5, "av": 5}, "not a level"),
        ({"science": "5", "clarity": 5, "av": 5}, "not a level"),
        ({"science": 5, "clarity": 5, "av": 5, "extra": 3}, "unknown criterion"),
    ],
)
def test_incomplete_or_invalid_sheets_are_refused(scores, reason):
    with pytest.raises(ScoringError, match=reason):
        review_score(CRITERIA, scores)


def test_mean_below_five_reviews():
    result = aggregate([D("60"), D("70"), D("95")], D("50"))
    assert result.method == "mean"
    assert result.score == D("75.00")
    assert result.count == 3


def test_trimmed_mean_from_five_reviews_drops_highest_and_lowest():
    result = aggregate([D("10"), D("70"), D("72"), D("74"), D("100")], D("200"))
    assert result.method == "trimmed_mean"
    assert result.score == D("72.00")  # the plain mean would be 65.2


def test_reviews_without_a_score_are_not_counted():
    result = aggregate([D("80"), None, D("60")], D("50"))
    assert result.count == 2
    assert result.score == D("70.00")


def test_no_reviews_no_score():
    result = aggregate([], D("20"))
    assert result.score is None and result.method == "none" and not result.flagged


def test_disagreement_is_flagged_above_the_threshold_only():
    assert aggregate([D("40"), D("65")], D("25")).flagged is False  # spread 25 = threshold: not above
    assert aggregate([D("40"), D("65.01")], D("25")).flagged is True
    assert aggregate([D("90")], D("0")).flagged is False  # one review cannot disagree


def test_spread_is_highest_minus_lowest():
    assert aggregate([D("50"), D("90"), D("70")], D("100")).spread == D("40")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False), min_size=1, max_size=12))
def test_aggregate_stays_within_the_reviews(values):
    result = aggregate(values, D("30"))
    assert min(values) - D("0.01") <= result.score <= max(values) + D("0.01")
    assert result.method == ("trimmed_mean" if len(values) >= 5 else "mean")


T0 = datetime(2026, 9, 1, 8, 0)


def ranked(entry_id, scores, minutes=0):
    return Ranked(entry_id, aggregate([D(s) for s in scores], D("100")), T0 + timedelta(minutes=minutes))


def test_ranking_orders_by_score():
    result = rank([ranked("a", ["60"]), ranked("b", ["90"]), ranked("c", ["75"])])
    assert [(r.entry_id, r.rank) for r in result] == [("b", 1), ("c", 2), ("a", 3)]


def test_tie_broken_by_median_then_lowest_then_count_then_time():
    # a and b both average 70; b's median (75) is higher than a's (70)
    by_median = rank([ranked("a", ["60", "70", "80"]), ranked("b", ["55", "75", "80"])])
    assert [r.entry_id for r in by_median] == ["b", "a"]
    assert by_median[1].tie_break == "median"

    # same mean and median; c's lowest review is higher
    by_lowest = rank([ranked("d", ["50", "70", "70", "90"]), ranked("c", ["60", "70", "70", "80"])])
    assert [r.entry_id for r in by_lowest] == ["c", "d"]
    assert by_lowest[1].tie_break == "lowest"

    by_count = rank([ranked("e", ["70"]), ranked("f", ["70", "70"])])
    assert [r.entry_id for r in by_count] == ["f", "e"]
    assert by_count[1].tie_break == "count"

    by_time = rank([ranked("late", ["70"], minutes=5), ranked("early", ["70"], minutes=1)])
    assert [(r.entry_id, r.rank) for r in by_time] == [("early", 1), ("late", 2)]
    assert by_time[1].tie_break == "submitted_at"


def test_ranks_are_strict_and_unscored_entries_come_last_without_rank():
    result = rank([ranked("none", []), ranked("x", ["70"]), ranked("y", ["70"], minutes=1)])
    assert [(r.entry_id, r.rank) for r in result] == [("x", 1), ("y", 2), ("none", None)]


def test_scores_are_compared_at_two_decimals():
    a = Ranked("a", Aggregate(D("70.00"), "mean", 3, D("0"), False, D("70"), D("70")), T0)
    b = Ranked(
        "b",
        Aggregate(D("70.004").quantize(D("0.01")), "mean", 3, D("0"), False, D("70"), D("70")),
        T0 + timedelta(minutes=1),
    )
    assert [r.tie_break for r in rank([b, a])] == ["", "submitted_at"]

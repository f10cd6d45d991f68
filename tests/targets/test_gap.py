"""content/targets/gap.py: the gap between a reported value and its 2027 target, both directions, % and ‰."""

from decimal import Decimal

import pytest

from content.targets.gap import compute_gap, format_number, value_problem


@pytest.mark.parametrize(
    ("direction", "unit", "target", "value", "met", "text"),
    [
        ("at_least", "%", "90", "85.8", False, "还差 4.2 个百分点"),
        ("at_least", "%", "98", "97.25", False, "还差 0.75 个百分点"),
        ("at_least", "%", "70", "70", True, "已达标"),
        ("at_least", "%", "80", "86.5", True, "已达标"),
        ("at_most", "‰", "1.0", "1.2", False, "还差 0.2 个千分点"),
        ("at_most", "‰", "1.1", "1.1", True, "已达标"),
        ("at_most", "‰", "1.1", "0.93", True, "已达标"),
        ("at_least", "‰", "5", "4.5", False, "还差 0.5 个千分点"),
        ("at_most", "%", "10", "12.5", False, "还差 2.5 个百分点"),
    ],
)
def test_gap_in_both_directions_and_units(direction, unit, target, value, met, text):
    gap = compute_gap(direction, unit, Decimal(target), Decimal(value))
    assert gap.met is met
    assert gap.text == text
    assert gap.points == (0 if met else abs(Decimal(target) - Decimal(value)))


def test_no_value_has_no_gap():
    assert compute_gap("at_least", "%", Decimal(90), None) is None


def test_floats_do_not_leak_binary_noise_into_the_text():
    assert compute_gap("at_least", "%", 90.0, 85.8).text == "还差 4.2 个百分点"


def test_unknown_direction_or_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        compute_gap("about", "%", 1, 0)
    with pytest.raises(ValueError):
        compute_gap("at_least", "per cent", 2, 1)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("4.20"), "4.2"),
        (Decimal("98.00"), "98"),
        (0.05, "0.05"),
        (Decimal("100"), "100"),
        (Decimal("0.00"), "0"),
    ],
)
def test_numbers_are_written_without_trailing_zeros(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("unit", "value", "refused"),
    [
        ("%", "-0.1", True),
        ("%", "100.01", True),
        ("%", "0", False),
        ("%", "100", False),
        ("‰", "-0.01", True),
        ("‰", "0", False),
        ("‰", "1.1", False),
        ("‰", "1001", True),
    ],
)
def test_rates_outside_their_range_are_refused_in_chinese(unit, value, refused):
    problem = value_problem(unit, Decimal(value))
    assert (problem is not None) is refused
    if refused:
        assert ("百分比" if unit == "%" else "千分率") in problem

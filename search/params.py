"""What the search page and the search API accept as input: one reading of `q` and `page` for both."""

from search.analysis import MAX_QUERY_CHARS

MAX_PAGE = 1000


def clean_query(value) -> str:
    """What was typed, kept for display and for the search box (escaped by the templates); cut to a
    sane length and stripped of NUL and other control characters."""
    text = "".join(ch for ch in str(value or "") if ch >= " " or ch in "\t")
    return text.strip()[: MAX_QUERY_CHARS * 2]


def page_number(value) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)

"""content/facilities/search/indexing.py: the import's term analysis, in a worker process or not."""

import pytest

from content.facilities.search import indexing
from content.facilities.search.indexing import TermAnalyser, analyse_batch, analysis_workers
from content.facilities.search.terms import term_builder

pytestmark = pytest.mark.django_db

ROWS = [
    ("北京市朝阳区福安妇幼保健院（1）", "110105", "北京市朝阳区建国路12号", ["010-65001234"],
     "京母婴许字〔2024〕第000001号",
     [("prenatal_screening", False, ""), ("premarital_checkup", True, "")]),
    ("成都市武侯区人民医院", "510107", "四川省成都市武侯区人民路3号", [], "川母婴许字〔2023〕第000002号",
     [("prenatal_diagnosis", False, "遗传咨询、医学影像"), ("nipt", False, "")]),
    ("巨野县妇幼保健計劃生育服務中心", "371724", "山东省菏泽市巨野县和平街215号",
     ["0530-1234567", "13800000000"], "X-3",
     [("newborn_hearing", True, "")]),
]


def test_a_worker_process_gives_exactly_the_terms_of_the_serial_path():
    builder = term_builder()
    serial = TermAnalyser(builder, workers=0).submit(ROWS)()
    with TermAnalyser(builder, workers=1) as analyser:
        first = analyser.submit(ROWS)
        assert analyser._pool is None  # the first batch is analysed here: one batch forks nothing
        second, third = analyser.submit(ROWS), analyser.submit(ROWS[::-1])
        assert analyser._pool is not None  # the next ones did go to another process
        assert first() == second() == serial
        assert third() == analyse_batch(builder, ROWS[::-1])
    expected = [(term, field, weight, position) for position, args in enumerate(ROWS)
                for (term, field), weight in builder.terms(*args).items()]
    assert serial == expected and serial


def test_one_cpu_means_no_worker_and_the_same_terms(monkeypatch):
    monkeypatch.setattr(indexing.os, "sched_getaffinity", lambda pid: {0})
    assert analysis_workers() == 0

    def no_pool(*args, **kwargs):
        raise AssertionError("no worker process on a single CPU")

    monkeypatch.setattr(indexing.multiprocessing, "get_context", no_pool)
    analyser = TermAnalyser(term_builder())
    assert analyser.submit(ROWS)() == analyse_batch(term_builder(), ROWS)
    analyser.close()


def test_a_free_second_cpu_means_one_worker_and_a_busy_one_none(monkeypatch):
    monkeypatch.setattr(indexing.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(indexing.os, "getloadavg", lambda: (0.6, 0.5, 0.5))
    assert analysis_workers() == 1
    monkeypatch.setattr(indexing.os, "getloadavg", lambda: (3.2, 3.0, 2.5))
    assert analysis_workers() == 0

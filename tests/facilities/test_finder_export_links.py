"""The finder's 「下载此列表」 and 「打印此列表」 links give the list the visitor is looking at."""

import csv
import html as html_lib
import io
import re

import pytest

from .conftest import card_names, page_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["?service=thalassemia", "?q=唐筛&sort=relevance", "?region=110105&free=1"])
def test_the_csv_link_downloads_the_same_facilities_as_the_page(client, sample_facilities, finder_sites, query):
    page = page_html(client.get(f"/facilities/{query}"))
    link = html_lib.unescape(re.search(r'href="(/api/facilities\.csv\?[^"]*)"', page).group(1))
    response = client.get(link)
    assert response.status_code == 200, (link, response.content[:200])
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[next(iter(row))] for row in rows]
    assert card_names(page) and card_names(page) == names[: len(card_names(page))]

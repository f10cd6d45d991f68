"""One service taxonomy: the seeded Service records, site search's fall-back synonyms and the
campaign block's choices all come from content/base/taxonomy.py."""

import pytest

from content.base.taxonomy import SERVICE_CHOICES, SERVICE_NAMES, SERVICES
from content.campaigns.blocks import FacilityFinderBlock
from content.facilities.records import Service
from search.synonyms import service_groups


@pytest.mark.django_db
def test_the_seeded_services_are_the_table():
    seeded = {s.code: (s.name, s.alias_list, sorted(s.life_stages.values_list("code", flat=True)))
              for s in Service.objects.prefetch_related("life_stages")}
    assert seeded == {row.code: (row.name, row.aliases, sorted(row.life_stages)) for row in SERVICES}


@pytest.mark.django_db
def test_search_falls_back_on_the_same_table_for_a_service_the_database_lacks():
    Service.objects.filter(code="ddh_screening").delete()
    groups = service_groups()
    assert ["髋关节发育不良筛查", "髋关节筛查", "DDH"] in groups
    assert len(groups) == len(SERVICES)


def test_content_links_use_the_same_codes():
    assert [code for code, _name in SERVICE_CHOICES] == [row.code for row in SERVICES]
    assert SERVICE_NAMES["prenatal_screening"] == "产前筛查"
    block = FacilityFinderBlock()
    assert [code for code, _label in block.child_blocks["services"].field.choices] == list(SERVICE_NAMES)

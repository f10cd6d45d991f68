"""Facilities: a licensed facility in a seeded region with the seeded services it offers, and the
provincial sites with their finder pages.

Regions (GB/T 2260) and services come with the migrations, so their factories find the seeded
row by code rather than invent one."""

import datetime

import factory
from wagtail.models import Page, Site

from content.base.models import HomePage, SiteSettings
from content.facilities.models import FacilityFinderPage
from content.facilities.records import Facility, FacilityService, Region, Service

from .pages import PublishedPageFactory, home_page


class RegionFactory(factory.django.DjangoModelFactory):
    """RegionFactory(code="110105") is 北京市朝阳区 as seeded."""

    code = "110105"

    class Meta:
        model = Region
        django_get_or_create = ("code",)


class ServiceFactory(factory.django.DjangoModelFactory):
    """ServiceFactory(code="premarital_checkup") is the seeded 婚前医学检查."""

    code = "prenatal_screening"

    class Meta:
        model = Service
        django_get_or_create = ("code",)


class FacilityFactory(factory.django.DjangoModelFactory):
    """A facility with a current licence in 北京市朝阳区; `services=["prenatal_screening", …]` (codes)
    says what it offers, `free_services=[…]` which of them are free there."""

    name = factory.Sequence(lambda n: f"测试妇幼保健院{n}")
    region = factory.SubFactory(RegionFactory)
    address = factory.LazyAttribute(lambda facility: f"{facility.region.path_name}测试路1号")
    phones = "010-12345678"
    latitude = 39.92
    longitude = 116.44
    licence_number = factory.Sequence(lambda n: f"测试许字{n:04d}号")
    licence_issuing_authority = "北京市卫生健康委员会"
    licence_valid_until = datetime.date(2030, 1, 1)
    source = "测试"

    class Meta:
        model = Facility
        skip_postgeneration_save = True

    @factory.post_generation
    def services(facility, create, extracted, **kwargs):
        if create:
            for code in extracted or ["prenatal_screening"]:
                FacilityServiceFactory(facility=facility, service__code=code)

    @factory.post_generation
    def free_services(facility, create, extracted, **kwargs):
        if create and extracted:
            facility.facility_services.filter(service__code__in=extracted).update(free=True)


class FacilityServiceFactory(factory.django.DjangoModelFactory):
    facility = factory.SubFactory(FacilityFactory, services=[])
    service = factory.SubFactory(ServiceFactory)

    class Meta:
        model = FacilityService


class FacilityFinderPageFactory(PublishedPageFactory):
    title = "查找持证机构"
    slug = "facilities"
    show_in_menus = True
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = FacilityFinderPage


def provincial_site(province_code, home=None, hostname=None, site_name=""):
    """A site for `province_code` (the default site when no home is given) with a finder page at
    /facilities/, as the demo builds them: the finder page."""
    if home is None:
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
    else:
        Page.get_first_root_node().add_child(instance=home)
        site = Site.objects.create(hostname=hostname, port=80, root_page=home, site_name=site_name)
    settings = SiteSettings.for_site(site)
    settings.province_code = province_code
    settings.contact_email = "fuyou@example.org"
    settings.save()
    return FacilityFinderPageFactory(parent=home)


def sichuan_home():
    return HomePage(title="四川省出生缺陷防治科普平台", slug="sichuan")

"""The demo library looks like a healthy one: recent reviews by named medical reviewers, relative to
the day the demo is loaded, and only a couple of resources past their review date on purpose."""

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from content.library.demo import MEDICAL_REVIEWERS, OVERDUE_ON_PURPOSE
from content.library.models import ResourcePage


class DemoLibraryReviewsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", force=True, stdout=open("/dev/null", "w"))

    def originals(self):
        return ResourcePage.objects.originals().live()

    def test_only_the_chosen_examples_are_overdue_and_every_resource_names_its_reviewer(self):
        today = timezone.localdate()
        pages = list(self.originals())
        assert len(pages) >= 30
        overdue = sorted(page.title for page in pages if page.is_review_overdue(today))
        assert overdue == sorted(OVERDUE_ON_PURPOSE)
        assert all(page.reviewer for page in pages)
        assert {page.reviewer for page in pages} >= set(MEDICAL_REVIEWERS)
        for page in pages:
            assert page.last_reviewed <= today
            assert page.last_reviewed >= page.date_published or page.is_review_overdue(today)

    def test_the_public_pages_say_so(self):
        shown_overdue = 0
        for page in self.originals():
            body = self.client.get(page.get_url_parts()[2]).content.decode()
            assert page.reviewer in body
            shown_overdue += "已过复审期" in body
        assert shown_overdue == len(OVERDUE_ON_PURPOSE)
        # The Sichuan site's copies (aliases) carry the same reviews.
        sichuan = ResourcePage.objects.filter(alias_of__isnull=False, title=OVERDUE_ON_PURPOSE[0]).get()
        assert sichuan.is_review_overdue() and sichuan.reviewer

    def test_loading_the_demo_again_keeps_the_reviews(self):
        before = dict(self.originals().values_list("title", "last_reviewed"))
        call_command("load_demo", force=True, stdout=open("/dev/null", "w"))
        # The same dates, and no draft published on the way.
        assert dict(self.originals().values_list("title", "last_reviewed")) == before

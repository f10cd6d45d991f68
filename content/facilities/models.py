"""Licensed maternal and child health facilities: regions, the service taxonomy, facilities and their
search terms, and the public finder page."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from content.base.models import ShareableSlugMixin
from search.indexing import analysed_search_fields

from .records import Facility, Region


class FacilityFinderPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """The public finder: search by need, place and distance; each facility's own page is a sub-route
    (/facilities/<id>/), so it shares the finder's site, breadcrumbs and settings."""

    introduction = models.TextField(_("Introduction"), blank=True)
    default_region = models.ForeignKey(
        Region, verbose_name=_("Default region"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Leave empty to use the province in the site settings."),
    )
    help_text_body = RichTextField(_("Help for an empty result"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("default_region"),
                                            FieldPanel("help_text_body")]
    search_fields = analysed_search_fields(Page.search_fields)
    parent_page_types = ["base.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "facilities/facility_finder_page.html"

    class Meta:
        verbose_name = _("Facility finder page")

    @path("")
    def finder(self, request):
        from .finder import finder_context

        context = self.get_context(request)
        context.update(finder_context(self, request))
        return self.render(request, context_overrides=context)

    @path("<int:facility_id>/")
    def facility(self, request, facility_id: int):
        from .finder import facility_context

        context = self.get_context(request)
        context.update(facility_context(self, request, facility_id))
        return self.render(request, context_overrides=context, template="facilities/facility_page.html")

    @path("<int:facility_id>/report/")
    def facility_report(self, request, facility_id: int):
        """「报告信息有误」: POST the form; a refused report shows the page again with the reasons (400)."""
        from django.shortcuts import redirect

        from .corrections import submit
        from .finder import facility_context

        target = f"{self.facility_url(facility_id, request)}"
        if request.method != "POST":
            return redirect(target + "#report")
        facility = Facility.objects.filter(pk=facility_id).first()
        if facility is None:
            raise Http404("No such facility")
        form, stored = submit(request, facility)
        if stored:
            return redirect(target + "?reported=1#report")
        context = self.get_context(request)
        context.update(facility_context(self, request, facility_id))
        context["report_form"] = form
        response = self.render(request, context_overrides=context, template="facilities/facility_page.html")
        response.status_code = 400
        return response

    @path("<int:facility_id>/card/")
    def facility_card(self, request, facility_id: int):
        """A printable A6 (or ?size=a4) card with a QR code back to the facility page."""
        from .finder import facility_context, print_size

        context = self.get_context(request)
        context.update(facility_context(self, request, facility_id))
        context["size"] = print_size(request)
        return self.render(request, context_overrides=context, template="facilities/print/facility_card.html")

    @path("<int:facility_id>/share-image/")
    def facility_share_image(self, request, facility_id: int):
        from .cards import share_image_response

        return share_image_response(self, request, facility_id)

    @path("card/")
    def search_card(self, request):
        """The current search (its first page) as a printable A4 sheet, with a QR code back to it."""
        from .finder import finder_context, print_size, search_card_context

        context = self.get_context(request)
        context.update(finder_context(self, request))
        context.update(search_card_context(self, request))
        context["size"] = print_size(request, default="a4")
        return self.render(request, context_overrides=context, template="facilities/print/search_card.html")

    def facility_url(self, facility_id: int, request=None) -> str:
        return f"{self.get_url(request=request)}{facility_id}/"

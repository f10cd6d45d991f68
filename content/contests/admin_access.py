"""Who may open the contest admin views: reviewers their own assignments, organisers their contests."""

from django.template.response import TemplateResponse

from . import services


def forbidden(request):
    # A plain 403, not Wagtail's redirect to the dashboard: the address itself is not for this user.
    return TemplateResponse(request, "contests/admin/forbidden.html", {}, status=403)


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not services.is_reviewer(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class OrganiserRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

"""Medical review of health content: who reviewed it, when, and when it is due again.

Resource pages and core messages both carry these dates; readers see them, and the stale-content
report lists what is past its next review date. Imports no models, so any content app can use it."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REVIEW_INTERVAL = datetime.timedelta(days=365)
WORKFLOW_NAME = "医学审核"


class ReviewDatesMixin(models.Model):
    reviewer = models.CharField(_("Reviewing expert"), max_length=80, blank=True)
    last_reviewed = models.DateField(_("Last reviewed"), null=True, blank=True)
    next_review = models.DateField(
        _("Next review"), null=True, blank=True,
        help_text=_("Leave empty for a year after the last review."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.last_reviewed and not self.next_review:
            self.next_review = self.last_reviewed + REVIEW_INTERVAL
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        # Pages are validated before save: fill the default so the form shows it too.
        if self.last_reviewed and not self.next_review:
            self.next_review = self.last_reviewed + REVIEW_INTERVAL
        super().full_clean(*args, **kwargs)

    def is_review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.next_review is not None and self.next_review < today


def medical_review_workflow():
    """The 「医学审核」 workflow: one group-approval task for the medical reviewers. Idempotent."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    from content.base.roles import MEDICAL_REVIEWER

    group, _ = Group.objects.get_or_create(name=MEDICAL_REVIEWER)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
    task.groups.add(group)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def require_medical_review(*, pages=(), models=()):
    """Attach the 「医学审核」 workflow to section pages (and so their children) and snippet models."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowContentType, WorkflowPage

    workflow = medical_review_workflow()
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    for model in models:
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow})
    return workflow

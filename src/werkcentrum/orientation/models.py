"""A talent wall result, stored only when a logged-in resident shares it with a career adviser."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalentWallResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A resident sees their own results; guides and coordinators those of their region."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "is_resident", False):
            return self.filter(person_id=user.person_id) if user.person_id else self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(person__region_id=user.region_id)
        return self.none()


class TalentWallResult(models.Model):
    person = models.ForeignKey(
        "frontdoor.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="talent_wall_results",
    )
    code = models.CharField(_("Holland code"), max_length=3)
    scores = models.JSONField(_("scores per type"), default=dict)
    areas = models.JSONField(_("fitting areas"), default=list, blank=True)
    contact = models.ForeignKey(
        "frontdoor.Contact",
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(_("shared with a career adviser"), null=True, blank=True)

    objects = TalentWallResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent wall result")
        verbose_name_plural = _("talent wall results")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.code} ({self.created_at:%Y-%m-%d})" if self.created_at else self.code

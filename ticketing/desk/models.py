"""An agent's saved ticket views: the listing's filters and search, kept under a name."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SavedViewQuerySet":
        """The user's own views and those shared with the team, by name."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(shared=True)).order_by("name", "pk")


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_ticket_views",
    )
    name = models.CharField(_("name"), max_length=100)
    # The listing's query string, only known filter keys (forms.clean_listing_query), encoded.
    query = models.CharField(_("filters and search"), max_length=2000, blank=True)
    shared = models.BooleanField(
        _("shared with the team"),
        default=False,
        help_text=_("Everyone in the support team can pick a shared view."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        # Not a model permission: who sees the team's backlog on the home (managers).
        permissions = [("view_team_backlog", _("Can see the team's backlog"))]

    def __str__(self) -> str:
        return self.name

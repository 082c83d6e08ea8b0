"""The search index: one row per searchable object, kept in step at write time
(``search.signals``) and rebuilt in full by ``search.index.rebuild``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    UNIT = "unit", _("Enheter")
    INDICATOR = "indicator", _("Indikatorer")
    GOAL = "goal", _("Mål")
    ACTIVITY = "activity", _("Aktiviteter")
    PLAN = "plan", _("Planer")
    ANALYSIS = "analysis", _("Analyser")


class SearchEntry(models.Model):
    """What a search shows of one object and what it matches on.

    `folded` is the folded (lower case, no accents) text matched against; `sort_key` the
    title's Swedish sort key (``search.folding``). Visibility follows the pages: anyone
    who may view the organisation sees the entry, except entries of a draft plan
    (`draft_path` set to the plan unit's path), which only those who may plan that unit
    see. `link_unit_id` is the unit whose page the `url` names (re-indexed when the unit's
    code changes)."""

    kind = models.CharField(_("slag"), max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField(_("objekt"))
    organisation_id = models.BigIntegerField(_("organisation"), db_index=True)
    link_unit_id = models.BigIntegerField(_("enhet i länken"), null=True, db_index=True)
    draft_path = models.CharField(_("utkast för enhet"), max_length=255, blank=True)
    title = models.CharField(_("rubrik"), max_length=500)
    code = models.CharField(_("kod"), max_length=100, blank=True)
    context = models.CharField(_("sammanhang"), max_length=500, blank=True)
    excerpt = models.CharField(_("utdrag"), max_length=300, blank=True)
    url = models.CharField(_("adress"), max_length=500)
    folded = models.TextField(_("söktext"))
    sort_key = models.CharField(_("sorteringsnyckel"), max_length=120)

    class Meta:
        verbose_name = _("sökpost")
        verbose_name_plural = _("sökposter")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_entry")
        ]
        indexes = [
            models.Index(fields=["kind", "sort_key", "object_id"], name="search_kind_sort_id")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

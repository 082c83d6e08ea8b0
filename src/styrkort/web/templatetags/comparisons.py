from django import template

register = template.Library()


@register.inclusion_tag("web/comparisons/_settings.html", takes_context=True)
def kolada_settings(context, organisation, editable):
    """The Kolada section of the organisation's settings page, with the last fetches."""
    from styrkort.comparisons.models import ComparisonFetch, ComparisonValue

    fetches = list(ComparisonFetch.objects.filter(organisation=organisation)[:3])
    tolerance = (organisation.settings or {}).get("comparison_tolerance_pct")
    return {
        "organisation": organisation,
        "editable": editable,
        "fetches": fetches,
        "tolerance": tolerance,
        "example": ComparisonValue.objects.filter(example=True).exists(),
        "csrf_token": context.get("csrf_token"),
    }

"""`{% downloads 'scorecard_export' unit.code period=period_text %}`: a page's links to
download its tables as CSV and XLSX (web.views.exports)."""

from django import template

register = template.Library()


@register.inclusion_tag("web/_downloads.html")
def downloads(url_name, *args, **query):
    from styrkort.web.views.exports import export_links

    return export_links(url_name, *args, **query)

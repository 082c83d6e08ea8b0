"""Free text in the API: answered as typed, and as HTML beside it.

Every free-text field (a model ``TextField``: analyses, reasons, comments, descriptions)
is read and written as plain text, exactly as the person typed it (``styrkort.text``:
``Vård & omsorg <3 >2``, paragraphs separated by a blank line, ``- `` lists). A client
that wants to show it as a web page reads ``<field>_html`` beside it, the same HTML the
web pages print (escaped; ``<p>``, ``<br>``, ``<ul>``, ``<ol>``, ``<li>``, ``<strong>``).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from styrkort.text import to_html

__all__ = ["FreeTextHtmlField", "FreeTextSerializerMixin"]


class FreeTextHtmlField(serializers.CharField):
    """A free-text field rendered as HTML (read only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault(
            "help_text",
            "Texten som HTML (p, br, ul, ol, li, strong), tecknen & < > skyddade.",
        )
        super().__init__(**kwargs)

    def to_representation(self, value):
        return to_html(str(value or ""))


class FreeTextSerializerMixin:
    """For a model serializer: adds a read-only ``<name>_html`` for every free-text field
    (a model ``TextField``) among its fields."""

    def get_fields(self):
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is None:
            return fields
        for name, field in list(fields.items()):
            source = field.source or name
            try:
                model_field = model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, models.TextField) and f"{name}_html" not in fields:
                fields[f"{name}_html"] = FreeTextHtmlField(source=source)
        return fields

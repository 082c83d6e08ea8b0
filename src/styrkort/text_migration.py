"""The data migrations that move free text to the stored format of ``styrkort.text``.

Until 2025 free text was stored as nh3-sanitised HTML (``Vård &amp; omsorg``,
``<p>…</p>``, ``<b>…</b>``); now it is plain text as typed. Each app that owns
free-text fields has a migration that calls :func:`to_plain_text` (forwards) and
:func:`to_old_html` (backwards) with its fields. History rows (simple-history) are
converted as well, so that restoring an old version restores plain text.
"""

from __future__ import annotations

import contextlib
import html

from styrkort.text import normalise, normalise_line, to_html

__all__ = ["to_old_html", "to_plain_text"]

BATCH = 2000


def _models(apps, app_label: str, name: str) -> list:
    """The model and its history model (when it has one)."""
    models = [apps.get_model(app_label, name)]
    with contextlib.suppress(LookupError):
        models.append(apps.get_model(app_label, f"Historical{name}"))
    return models


def _convert(apps, app_label: str, fields: dict, rich, line) -> None:
    """``fields``: model name -> (free-text fields, one-line fields)."""
    for name, (rich_fields, line_fields) in fields.items():
        for model in _models(apps, app_label, name):
            pk = model._meta.pk.attname
            names = [*rich_fields, *line_fields]
            limits = {
                f: model._meta.get_field(f).max_length
                for f in names
                if model._meta.get_field(f).max_length
            }
            changed = []
            rows = model._default_manager.values_list(pk, *names).order_by(pk)
            for row in rows.iterator(chunk_size=BATCH):
                values = dict(zip(names, row[1:], strict=True))
                new = {f: rich(values[f] or "") for f in rich_fields}
                new.update({f: line(values[f] or "") for f in line_fields})
                for f, limit in limits.items():
                    new[f] = new[f][:limit]
                if any(new[f] != (values[f] or "") for f in names):
                    changed.append(model(**{pk: row[0]}, **new))
                if len(changed) >= BATCH:
                    model._default_manager.bulk_update(changed, names)
                    changed = []
            if changed:
                model._default_manager.bulk_update(changed, names)


def to_plain_text(apps, app_label: str, fields: dict) -> None:
    """Forwards: old HTML (and text escaped as HTML) to plain text; every other text
    tidied as new input is (line endings, control characters)."""
    _convert(apps, app_label, fields, normalise, normalise_line)


def to_old_html(apps, app_label: str, fields: dict) -> None:
    """Backwards: plain text to the HTML the old version stored and printed."""
    _convert(apps, app_label, fields, to_html, lambda text: html.escape(text, quote=False))

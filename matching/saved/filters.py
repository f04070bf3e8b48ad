"""A saved search is the job board's query, validated by the board's own
form (matching.forms.BoardSearchForm), never SQL: stored as the form's
field values, and validated again at every alert run."""

import hashlib
import json
from typing import Any

from django import forms
from django.http import QueryDict

from matching.forms import BoardSearchForm

# Query keys that are not filters: paging and order do not make a search.
NOT_FILTERS = {"page", "after", "before", "cursor", "sort", "order"}


def filters_from_query(query: QueryDict) -> dict[str, Any] | None:
    """The board filters of a query string, as stored in an alert (only
    the form's own fields, non-empty), or None when the form refuses them."""
    form = BoardSearchForm(query)
    if not form.is_valid():
        return None
    filters: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name in NOT_FILTERS:
            continue
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values = sorted({v.strip()[:100] for v in query.getlist(name) if v.strip()})[:20]
            if values:
                filters[name] = values
        else:
            value = (query.get(name) or "").strip()[:200]
            if value:
                filters[name] = value
    return filters


def as_query(filters: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        if isinstance(value, list):
            query.setlist(name, [str(v) for v in value])
        else:
            query[name] = str(value)
    return query


def cleaned(filters: dict[str, Any]) -> dict[str, Any] | None:
    """What board_search takes for stored filters, or None when they no
    longer validate (a taxonomy entry removed): such an alert sends nothing."""
    form = BoardSearchForm(as_query(filters))
    return form.cleaned_data if form.is_valid() else None


def filters_key(filters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def describe(filters: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, shown value) per filter, for people: choice labels, not codes."""
    form = BoardSearchForm(as_query(filters))
    form.is_valid()
    shown = []
    for name, value in filters.items():
        field = form.fields.get(name)
        if field is None:
            continue
        data = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(k): str(v) for k, v in field.choices}
            text = ", ".join(labels.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
        elif isinstance(field, forms.BooleanField):
            text = "✓"
        elif data is not None and not isinstance(data, str):
            text = ", ".join(str(d) for d in data) if isinstance(data, list | tuple) else str(data)
        else:
            text = ", ".join(value) if isinstance(value, list) else str(value)
        shown.append((str(field.label or name), text))
    return shown

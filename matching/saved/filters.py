"""A saved search is the job board's query, validated by the board's own
form (matching.forms.BoardSearchForm), never SQL: stored as the form's
field values, and validated again at every alert run. Only candidates save
searches, so the form is a candidate's: "Only jobs I may legally take" is
kept, and applied to the person's profile at every run."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.http import QueryDict

from matching.forms import BoardSearchForm

# Query keys that are not filters: paging and order do not make a search.
NOT_FILTERS = {"page", "after", "before", "cursor", "sort", "order"}


def filters_from_query(query: QueryDict) -> dict[str, Any] | None:
    """The board filters of a query string, as stored in an alert (only
    the form's own fields, non-empty), or None when the form refuses them."""
    form = BoardSearchForm(query, candidate=True)
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
    form = BoardSearchForm(as_query(filters), candidate=True)
    return form.cleaned_data if form.is_valid() else None


class Cleaner:
    """`cleaned()` for many stored searches in one run: each (field, value)
    is validated by the board's form once, so a run of thousands of distinct
    searches does not look up the same prefecture thousands of times. Exact
    while the form validates field by field; if it ever gains a form-wide
    clean(), every search is validated whole again."""

    def __init__(self) -> None:
        self._fields: dict[tuple[str, str], tuple[bool, Any]] = {}
        self._empty = BoardSearchForm(QueryDict(), candidate=True)
        self._empty.is_valid()
        self._whole = BoardSearchForm.clean is not forms.Form.clean

    def _field(self, name: str, value: Any) -> tuple[bool, Any]:
        key = (name, json.dumps(value, sort_keys=True))
        if key not in self._fields:
            form = BoardSearchForm(as_query({name: value}), candidate=True)
            valid = form.is_valid()
            self._fields[key] = (valid, form.cleaned_data.get(name) if valid else None)
        return self._fields[key]

    def __call__(self, filters: dict[str, Any]) -> dict[str, Any] | None:
        if self._whole:
            return cleaned(filters)
        data = dict(self._empty.cleaned_data)
        for name, value in filters.items():
            valid, value_cleaned = self._field(name, value)
            if not valid:
                return None
            if name in data:
                data[name] = value_cleaned
        return data


def filters_key(filters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def describe_all(searches: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    """(label, shown value) per filter of each search, for people: choice
    labels, not codes. The choices are read once for all the searches (a
    page of alerts asks a constant number of queries)."""
    if not searches:
        return []
    fields = BoardSearchForm(candidate=True).fields
    labels: dict[str, dict[str, str] | None] = {}
    for name, field in fields.items():
        if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
            key = field.to_field_name or "pk"
            labels[name] = {str(getattr(obj, key)): str(obj) for obj in field.queryset or ()}
        elif isinstance(field, forms.ChoiceField):
            labels[name] = {str(k): str(v) for k, v in cast(Iterable[tuple[Any, Any]], field.choices)}
        else:
            labels[name] = None
    described = []
    for search in searches:
        shown = []
        for name, value in search.items():
            if name not in fields:
                continue
            field = fields[name]
            values = value if isinstance(value, list) else [value]
            choices = labels[name]
            if isinstance(field, forms.BooleanField):
                text = "✓"
            elif choices is not None:
                text = ", ".join(choices.get(str(v), str(v)) for v in values)
            else:
                text = ", ".join(str(v) for v in values)
            shown.append((str(field.label or name), text))
        described.append(shown)
    return described


def describe(filters: dict[str, Any]) -> list[tuple[str, str]]:
    return describe_all([filters])[0]

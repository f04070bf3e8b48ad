"""Saved jobs and job alerts on other apps' pages: the save button on an
opening card, "Save this search" on the board, the saved jobs on My page."""

from typing import Any

from django import template

from matching.saved import selectors

register = template.Library()

PANEL_SIZE = 5


def _saved_ids(request: Any) -> set[int]:
    """The openings the person saved, read once per request (a board page
    shows twenty cards)."""
    cached = getattr(request, "_tsunagu_saved_ids", None)
    if cached is None:
        cached = selectors.saved_opening_ids(request.user)
        request._tsunagu_saved_ids = cached
    return cached


def _script_once(request: Any) -> bool:
    """True the first time a page asks: the page's script is loaded once."""
    if getattr(request, "_tsunagu_saved_script", False):
        return False
    request._tsunagu_saved_script = True
    return True


@register.inclusion_tag("saved/includes/save_button.html", takes_context=True)
def save_job_button(context, opening) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not (user.is_authenticated and user.is_candidate):
        return {"show": False}
    return {
        "show": True,
        "opening": opening,
        "saved": opening.pk in _saved_ids(request),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "script": _script_once(request),
    }


@register.inclusion_tag("saved/includes/save_search.html", takes_context=True)
def save_search_form(context) -> dict:
    """Candidates (and visitors, who are asked to sign in) save the board's
    current filters as an alert."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = request is not None and user is not None and (not user.is_authenticated or user.is_candidate)
    items = []
    if show:
        items = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values[:20]][:40]
    return {"show": show, "items": items}


@register.inclusion_tag("saved/includes/saved_panel.html", takes_context=True)
def saved_jobs_panel(context) -> dict:
    request = context["request"]
    saved = list(selectors.saved_jobs_of(request.user)[: PANEL_SIZE + 1])
    return {"saved": saved[:PANEL_SIZE], "more": len(saved) > PANEL_SIZE, "request": request}

from django import template

from matching import engine
from matching.invitations import JST
from profiles.models import CandidateProfile

register = template.Library()


@register.inclusion_tag("matching/includes/recommended.html", takes_context=True)
def recommended_openings(context, limit: int = 3):
    """A candidate's best openings with their reasons, for the dashboard."""
    request = context["request"]
    profile = CandidateProfile.objects.filter(user=request.user).select_related("status").first()
    rows = []
    if profile is not None:
        rows = [(row, engine.explain(profile, row, row=row)) for row in engine.rank_openings(profile)[:limit]]
    return {"rows": rows, "request": request}


@register.filter
def jst(value) -> str:
    """A time in Japan time with its offset: "2026-12-10 10:00 JST (UTC+09:00)"."""
    if not value:
        return ""
    return f"{value.astimezone(JST):%Y-%m-%d %H:%M} JST (UTC+09:00)"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None

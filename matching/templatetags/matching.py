from django import template

from matching import engine
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

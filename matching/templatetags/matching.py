from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from config.paths import IdPath, translations_of
from matching import recommended, seo
from matching.invitations import JST
from matching.selectors import candidate_profile

register = template.Library()


@register.inclusion_tag("matching/includes/recommended.html", takes_context=True)
def recommended_openings(context, limit: int = 3):
    """A candidate's best openings with their reasons, for the dashboard."""
    request = context["request"]
    profile = candidate_profile(request.user)
    rows = recommended.recommended_for(request.user, profile, limit=limit) if profile is not None else []
    return {"rows": rows, "request": request, "may_be_matched": rows or recommended.may_be_matched(request.user)}


@register.simple_tag(takes_context=True)
def job_posting_json(context, opening, statuses=(), logo=False):
    """The opening's schema.org JobPosting, for a data block in the page
    (<script type="application/ld+json">: data, never run, so the CSP's
    script rules do not apply to it)."""
    request = context["request"]
    data = seo.job_posting(opening, absolute=request.build_absolute_uri, statuses=statuses, logo=logo)
    return mark_safe(seo.as_data_block(data))  # noqa: S308 - escaped by as_data_block


@register.inclusion_tag("matching/includes/alternates.html", takes_context=True)
def language_alternates(context):
    """The page's canonical URL (this language, no query) and its versions
    in the other languages (hreflang), with x-default the English one."""
    request = context["request"]
    here = request.build_absolute_uri(request.path)
    url_for = translations_of(here)
    versions = [(code, url_for(code)) for code, _name in settings.LANGUAGES]
    default = url_for(settings.LANGUAGE_CODE)
    return {"canonical": here, "versions": versions, "default": default}


@register.filter
def jst(value) -> str:
    """A time in Japan time with its offset: "2026-12-10 10:00 JST (UTC+09:00)"."""
    if not value:
        return ""
    return f"{value.astimezone(JST):%Y-%m-%d %H:%M} JST (UTC+09:00)"


@register.filter
def with_id(path: IdPath, pk: int) -> str:
    """The path of a row's page from a list's `IdPath` (config.paths):
    {{ application_path|with_id:a.pk }}, reversed once per list."""
    return path.of(pk)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None

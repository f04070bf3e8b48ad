from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.template import Context
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

from accounts import charts, navigation
from accounts.dashboard import Chart
from config.paths import translations_of

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: language lives in the URL prefix,
    so switching is a plain link (no cookie, no JavaScript). Each language is
    named in itself (Tiếng Việt, नेपाली ...), whatever the page's language."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    match = getattr(request, "resolver_match", None)
    url_for: Callable[[str], str]
    if match is not None and match.view_name == "api:authorize":
        # The apps' consent page has no language prefix: it takes OpenID's `ui_locales`.
        def url_for(code: str) -> str:
            query = request.GET.copy()
            query["ui_locales"] = code
            return f"{request.path}?{query.urlencode()}"
    else:
        url_for = translations_of(path)

    return [
        {"code": code, "name": get_language_info(code)["name_local"], "url": url_for(code)}
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def staff_menu(context: Context) -> list[navigation.MenuItem]:
    """The staff pages the signed-in person may open (accounts.navigation)."""
    return navigation.staff_menu(context.get("user"))


@register.simple_tag(takes_context=True)
def may_open(context: Context, url_name: str, *args: Any) -> bool:
    """{% may_open "matching:staff_opening" opening.pk as can_open %}: does
    the view behind the link let the signed-in person in?"""
    return navigation.may_open(context.get("user"), url_name, *args)


@register.simple_tag
def bar_chart(chart: Chart, chart_id: str) -> SafeString:
    """{% bar_chart chart "requests-by-state" %}: the chart as inline SVG."""
    return charts.bar_chart(chart, chart_id)


@register.simple_tag
def join_id(*parts: Any) -> str:
    """An element id from parts: {% join_id "chart" panel.key forloop.counter as chart_id %}."""
    return "-".join(str(part) for part in parts)


@register.filter
def summary_in(version: Any, language: str) -> str:
    """A policy version's summary of what changed in a language (English,
    then Japanese, where it has none): {{ version|summary_in:LANG }}."""
    return version.summary_in(language)

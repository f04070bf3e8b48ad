from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: language lives in the URL prefix,
    so switching is a plain link (no cookie, no JavaScript)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    return [{"code": code, "name": name, "url": translate_url(path, code)} for code, name in settings.LANGUAGES]

"""The unread count in the header ("Messages" with a badge), for every page
a signed-in person sees: evaluated only when the template shows it."""

from django.utils.functional import SimpleLazyObject

from matching import selectors


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": SimpleLazyObject(lambda: selectors.unread_count(user))}

"""Reactions to allauth's events (a library we do not call ourselves)."""

from outbox.broker import send_task_on_commit
from profiles.services import profile_get_or_create


def on_user_signed_up(sender, request, user, **kwargs) -> None:
    """A social sign-up that agreed to import the provider's photo: fetch it
    in the background, through the same pipeline as uploads."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or not user.is_candidate:
        return
    wanted = request.session.pop("import_social_photo", False) if request is not None else False
    url = sociallogin.account.get_avatar_url() if wanted else None
    if not url:
        return
    profile = profile_get_or_create(user=user)
    send_task_on_commit("profiles.tasks.fetch_social_photo", profile.pk, url, sociallogin.account.provider)

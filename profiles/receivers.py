"""Reactions to allauth's events (a library we do not call ourselves)."""

from django.db import transaction


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
    from profiles.services import profile_get_or_create
    from profiles.tasks import fetch_social_photo

    profile = profile_get_or_create(user=user)
    provider = sociallogin.account.provider
    transaction.on_commit(lambda: fetch_social_photo.delay(profile.pk, url, provider))

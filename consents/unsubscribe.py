"""Signed one-click unsubscribe links (RFC 8058), shared by every kind of
purpose mail: staff campaigns (consents.campaigns) and job alerts
(matching.saved). A link names the person and the purpose and, for an
alert, the alert; it needs no session and stays valid for
TSUNAGU_UNSUBSCRIBE_MAX_AGE (at least 60 days)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from consents.models import EmailPurpose

UNSUBSCRIBE_SALT = "tsunagu.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeLink:
    user: User
    purpose: str
    # The job alert the link stops (None: the whole purpose).
    alert_id: int | None = None


def _token_data(user_id: int, purpose: str, alert_id: int | None) -> dict[str, object]:
    data: dict[str, object] = {"u": user_id, "p": purpose}
    if alert_id is not None:
        data["a"] = alert_id
    return data


def unsubscribe_token(user: User, purpose: str, *, alert_id: int | None = None) -> str:
    return signing.dumps(_token_data(user.pk, purpose, alert_id), salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_link(token: str) -> UnsubscribeLink | None:
    """What a link stops, or None (tampered, too old, wrong shape, the
    person gone)."""
    try:
        data = signing.loads(token[:500], salt=UNSUBSCRIBE_SALT, max_age=settings.TSUNAGU_UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in EmailPurpose.values or type(data.get("u")) is not int:
        return None
    alert_id = data.get("a")
    if alert_id is not None and type(alert_id) is not int:
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    return UnsubscribeLink(user=user, purpose=data["p"], alert_id=alert_id) if user else None


def unsubscribe_url(
    user: User, purpose: str, language: str, *, url_name: str = "campaigns:unsubscribe", alert_id: int | None = None
) -> str:
    """The absolute link, in `language`, to the page `url_name` (which takes
    the token)."""
    with translation.override(language):
        path = reverse(url_name, kwargs={"token": unsubscribe_token(user, purpose, alert_id=alert_id)})
    return settings.SITE_URL.rstrip("/") + path


# Stands for the token in a reversed path; never a valid token (no signature).
_TOKEN_SLOT = "TOKEN-SLOT"


class UnsubscribeLinks:
    """The same links as unsubscribe_url, for many people at once (a
    campaign's batch of outbox rows): the page's path reversed once per
    language and one signer, instead of a reverse, a translation switch and
    a new signer for every person."""

    def __init__(self, purpose: str, *, url_name: str = "campaigns:unsubscribe", alert_id: int | None = None):
        self.purpose = purpose
        self.url_name = url_name
        self.alert_id = alert_id
        self._signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
        self._frames: dict[str, tuple[str, str]] = {}

    def _frame(self, language: str) -> tuple[str, str]:
        frame = self._frames.get(language)
        if frame is None:
            with translation.override(language):
                path = reverse(self.url_name, kwargs={"token": _TOKEN_SLOT})
            before, after = path.split(_TOKEN_SLOT)
            frame = self._frames[language] = (settings.SITE_URL.rstrip("/") + before, after)
        return frame

    def url(self, user_id: int, language: str) -> str:
        before, after = self._frame(language)
        data = _token_data(user_id, self.purpose, self.alert_id)
        return before + self._signer.sign_object(data, compress=True) + after

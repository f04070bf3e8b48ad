"""Input rules a user understands. Each error message says what to do."""

import re
import unicodedata
from datetime import date

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Full-width katakana, the prolonged sound mark, middle dots and spaces
# (names of foreigners are written ファミリー・ネーム or with a space).
KATAKANA_NAME = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ＝=]+$")


def today() -> date:
    return timezone.localdate()


def normalise_width(value: str) -> str:
    """Full-width digits and letters to ASCII, half-width katakana to
    full-width (NFKC), as Japanese keyboards produce both."""
    return unicodedata.normalize("NFKC", value).strip()


def clean_katakana(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    value = re.sub(r"\s+", " ", value)
    if not KATAKANA_NAME.match(value):
        raise ValidationError(
            _(
                "Write your name in katakana only (for example グエン・ティ・ラン). "
                "Hiragana, kanji and Latin letters are not accepted here."
            )
        )
    return value


def clean_postal_code(value: str) -> str:
    value = normalise_width(value).replace("-", "").replace("〒", "").replace(" ", "")
    if not re.fullmatch(r"[0-9]{7}", value):
        raise ValidationError(_("A Japanese postal code has 7 digits, for example 100-0013."))
    return value


def clean_phone(value: str, region: str | None) -> str:
    """Any common way of writing a number → E.164 (+819012345678)."""
    raw = normalise_width(value)
    try:
        number = phonenumbers.parse(raw, (region or "JP").upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid telephone number. Write it with the country code, for example +81 90 1234 5678.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class TooYoung(ValidationError):
    """Raised for a date of birth under the age at which nothing may be kept."""


def check_date_of_birth(born: date) -> None:
    now = today()
    if born > now:
        raise ValidationError(_("The date of birth is in the future."))
    age = age_on(born, now)
    if age < settings.TSUNAGU_NO_DATA_UNDER_AGE:
        # Nothing of this submission is stored (see profiles.views).
        raise TooYoung(
            _(
                "Tsunagu is for people of working age. "
                "We could not accept your registration and have not kept the date you entered."
            )
        )
    if age < settings.TSUNAGU_MINIMUM_WORKING_AGE:
        raise ValidationError(
            _("You must be at least %(age)s years old to look for work in Japan through Tsunagu.")
            % {"age": settings.TSUNAGU_MINIMUM_WORKING_AGE}
        )
    if age > 100:
        raise ValidationError(_("Please check the year of your date of birth."))


def not_in_future(value: date | None, message: str | None = None) -> None:
    if value and value > today():
        raise ValidationError(message or _("This date is in the future."))

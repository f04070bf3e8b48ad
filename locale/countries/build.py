"""Country names in every language the portal offers, from CLDR (Babel).

django-countries names the countries in English and translates them with
its own catalogues, which lack Indonesian, Nepali, Burmese and Tagalog (and
a few Chinese names). This writes locale/countries/<lang>/LC_MESSAGES/
django.po: msgid the English name django-countries uses, msgstr the CLDR
name. settings.LOCALE_PATHS lists this folder after locale/, so Django
merges it into the "django" domain and every country select and name
(nationality, country of residence, the privacy desk) is in the page's
language. makemessages never touches it (no source file lives under
locale/). Run after upgrading django-countries or Babel:

    .venv/bin/python locale/countries/build.py   (then compilemessages)

Babel is a development requirement (requirements-dev.txt); the portal
itself reads only the compiled catalogues.
"""

import os
import sys
from pathlib import Path

import django
import polib
from babel import Locale

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.translation import to_locale  # noqa: E402
from django_countries import countries  # noqa: E402
from django_countries.data import COUNTRIES  # noqa: E402

HERE = Path(__file__).resolve().parent


def build(code: str) -> int:
    cldr = Locale.parse(to_locale(code)).territories
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "Tsunagu country names (CLDR via Babel)",
        "Language": to_locale(code),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    with translation.override("en"):
        english = {c: str(name) for c, name in COUNTRIES.items()}
    for country, name in sorted(english.items()):
        local = cldr.get(country)
        if local and local != name:
            po.append(polib.POEntry(msgid=name, msgstr=local, tcomment=f"ISO 3166-1 {country}"))
    target = HERE / to_locale(code) / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    po.save(str(target / "django.po"))
    return len(po)


if __name__ == "__main__":
    assert len(countries) == len(COUNTRIES)
    for code, _name in settings.LANGUAGES:
        if code != "en":
            print(code, build(code))

"""Reading the catalogues for the i18n tests: which languages, their .po
files, and the placeholders and tags a translation must keep."""

import re
from collections import Counter
from functools import cache
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = Path(settings.BASE_DIR) / "locale"
# Every language but the source one (English is the msgids themselves).
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]

# The plural rule each catalogue must declare (CLDR / GNU gettext): no
# plural forms in Japanese, Vietnamese, Chinese, Indonesian and Burmese;
# Nepali like English; Tagalog's one-form-for-one taken from gettext's
# "fil" (n > 1: zero takes the singular) — counts here are never zero in a
# sentence that varies (a native reviewer checks the wording, locale/README.md).
PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;",
    "vi": "nplurals=1; plural=0;",
    "zh-hans": "nplurals=1; plural=0;",
    "id": "nplurals=1; plural=0;",
    "my": "nplurals=1; plural=0;",
    "ne": "nplurals=2; plural=(n != 1);",
    "tl": "nplurals=2; plural=(n > 1);",
}

_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%%"  # a literal percent sign
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %s, %d
    r"|\{\{\s*[A-Za-z_][A-Za-z0-9_.]*\s*\}\}"  # {{ name }} (campaign merge field)
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}"  # {name}
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
_ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+);")


def po_path(code: str) -> Path:
    return LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"


@cache
def catalogue(code: str) -> polib.POFile:
    """Parsed once per test process (read only)."""
    return polib.pofile(str(po_path(code)))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


def markers(text: str) -> Counter:
    """What a translation must carry over unchanged: placeholders (each as
    often as in the source), HTML tags with their attributes, entities."""
    found = _PLACEHOLDER.findall(text) + _TAG.findall(text) + _ENTITY.findall(text)
    return Counter(re.sub(r"\s+", " ", m) for m in found)


def marker_problems(entry: polib.POEntry) -> list[str]:
    problems = []
    if entry.msgid_plural:
        allowed = [markers(entry.msgid), markers(entry.msgid_plural)]
        for index, form in sorted(entry.msgstr_plural.items()):
            if markers(form) not in allowed:
                problems.append(f"form {index} {dict(markers(form))} vs {dict(allowed[-1])}")
    elif markers(entry.msgstr) != markers(entry.msgid):
        problems.append(f"{dict(markers(entry.msgstr))} vs {dict(markers(entry.msgid))}")
    return problems

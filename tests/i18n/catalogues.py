"""Reading the catalogues for the i18n tests: which languages, their .po
files, and the placeholders and tags a translation must keep."""

import re
from collections import Counter
from functools import cache
from pathlib import Path

import polib
from django.apps import apps
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


# --- English left on a page or in a mail ------------------------------------------------

_MSGID_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}")
ALLAUTH_LOCALE = Path(apps.get_app_config("account").path).parent / "locale"


@cache
def _allauth_catalogue(language: str) -> list[polib.POEntry]:
    """allauth's strings in `language`: ours (locale/allauth/) where allauth
    has no catalogue, else its own; its Japanese one lists every msgid."""
    for path in (
        Path(settings.BASE_DIR) / "locale" / "allauth" / to_locale(language) / "LC_MESSAGES" / "django.po",
        ALLAUTH_LOCALE / to_locale(language) / "LC_MESSAGES" / "django.po",
    ):
        if path.exists():
            return live_entries(polib.pofile(str(path)))
    return []


def _allauth_english() -> set[str]:
    return {e.msgid for e in _allauth_catalogue("ja")}


@cache
def translations(language: str) -> set[str]:
    """What this language's catalogue says: a translation may happen to be
    spelt like an English msgid (Indonesian "Filter" for "Filters"), and
    the msgids it keeps as they are (names, acronyms: tests/i18n/
    test_catalogues.py) are its translation too."""
    said = set()
    for entry in live_entries(catalogue(language)) + _allauth_catalogue(language):
        said |= {entry.msgstr, *entry.msgstr_plural.values()}
    return {" ".join(text.split()) for text in said if text}


@cache
def english_patterns(language: str) -> tuple[set[str], re.Pattern]:
    """The English strings a page in `language` must not show: every msgid of
    our catalogue and allauth's, except what this language says the same."""
    ours = live_entries(catalogue(language))
    kept = translations(language)
    msgids = {e.msgid for e in ours} | {e.msgid_plural for e in ours if e.msgid_plural} | _allauth_english()
    exact, patterns = set(), []
    for msgid in msgids:
        if (
            " ".join(msgid.split()) in kept
            or "<" in msgid
            or not re.search(r"[A-Za-z]{3}", _MSGID_PLACEHOLDER.sub("", msgid))
        ):
            continue
        text = " ".join(msgid.split())
        if _MSGID_PLACEHOLDER.search(text):
            parts = _MSGID_PLACEHOLDER.split(text)
            if sum(len(p.strip()) for p in parts) < 8:
                continue  # "%(name)s (%(code)s)": nothing English to see
            patterns.append(".+?".join(re.escape(p) for p in parts))
        else:
            exact.add(text)
    return exact, re.compile("|".join(f"(?:{p})" for p in sorted(patterns)))

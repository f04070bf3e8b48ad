"""allauth's strings in the languages allauth has no catalogue for.

django-allauth ships catalogues for Japanese, Chinese and Indonesian but not
for Vietnamese, Nepali, Burmese or Tagalog, so its sign-in, password and
two-factor pages (and their form errors and messages) would be English on
/vi/, /ne/, /my/ and /tl/. This keeps locale/allauth/<lang>/LC_MESSAGES/
django.po for those four: the msgids are allauth's own (read from its
Japanese catalogue, which lists them all with their sources), limited to the
parts of allauth the portal uses (SOURCES); the msgstrs are ours (the
translator's notes in locale/README.md apply). settings.LOCALE_PATHS lists
this folder, so Django prefers it to allauth's catalogues. makemessages never
touches it (no source file lives under locale/).

After upgrading django-allauth:

    .venv/bin/python locale/allauth/build.py    (adds new msgids untranslated,
                                                 marks vanished ones obsolete)

then translate the empty entries and run tests/i18n/test_allauth_strings.py.
"""

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ["vi", "ne", "my", "tl"]
# allauth source paths (relative to the allauth package) whose strings a
# person can see here: the account, MFA and social-account pages, their
# forms, and the adapters' messages and errors. Not idp, openid, usersessions
# or headless, which the portal does not mount.
SOURCES = (
    "templates/account/",
    "templates/mfa/",
    "templates/socialaccount/",
    "templates/allauth/",
    "account/forms.py",
    "account/adapter.py",
    "account/fields.py",
    "mfa/adapter.py",
    "mfa/base/",
    "mfa/totp/",
    "mfa/webauthn/",
    "mfa/recovery_codes/",
    "socialaccount/adapter.py",
    "socialaccount/forms.py",
)


def allauth_dir() -> Path:
    return next((ROOT / ".venv" / "lib").glob("python3*/site-packages/allauth"))


def allauth_entries() -> list[polib.POEntry]:
    source = polib.pofile(str(allauth_dir() / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    return [e for e in source if not e.obsolete and any(path.startswith(SOURCES) for path, _line in e.occurrences)]


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def build(code: str, plural_forms: str) -> tuple[int, int]:
    path = HERE / code / "LC_MESSAGES" / "django.po"
    old = {key(e): e for e in polib.pofile(str(path))} if path.exists() else {}
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "Tsunagu: django-allauth strings",
        "Language": code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    missing = 0
    for source in allauth_entries():
        entry = polib.POEntry(
            msgctxt=source.msgctxt,
            msgid=source.msgid,
            msgid_plural=source.msgid_plural,
            occurrences=source.occurrences,
            flags=[f for f in source.flags if f != "fuzzy"],
        )
        known = old.get(key(source))
        if source.msgid_plural:
            nplurals = int(plural_forms.split("nplurals=")[1].split(";")[0])
            entry.msgstr_plural = {i: (known.msgstr_plural.get(i, "") if known else "") for i in range(nplurals)}
            missing += not all(entry.msgstr_plural.values())
        else:
            entry.msgstr = known.msgstr if known else ""
            missing += not entry.msgstr
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return len(po), missing


if __name__ == "__main__":
    forms = {"vi": "nplurals=1; plural=0;", "my": "nplurals=1; plural=0;",
             "ne": "nplurals=2; plural=(n != 1);", "tl": "nplurals=2; plural=(n > 1);"}  # fmt: skip
    for language in LANGUAGES:
        total, missing = build(language, forms[language])
        print(f"{language}: {total} strings, {missing} to translate")

"""The translation catalogues: complete, valid and faithful to their source
in every language the portal offers (settings.LANGUAGES)."""

import re
import shutil
import subprocess

import pytest

from tests.i18n.catalogues import (
    PLURAL_FORMS,
    TRANSLATED,
    catalogue,
    live_entries,
    marker_problems,
    markers,
    po_path,
)

# Strings a translation may leave as they are: names, acronyms and codes
# read the same in every language, and loanwords Filipino writes in English.
SAME_EVERYWHERE = {"API", "JSON", "JLPT N%(n)s", "%(percent)s%%", "EEA (GDPR)", "California (CCPA)", "Email"}
SAME_IN = {
    "id": {"Admin", "Total", "Status"},
    "tl": {
        "Tagalog", "Nepali", "Email address", "email address", "Password", "Staff", "Admin", "Recruiter",
        "Outbox", "Cookies", "Website", "Employer", "employer", "Account", "Legal", "Stream", "Code",
    },
}  # fmt: skip


def test_every_offered_language_has_a_catalogue():
    assert set(TRANSLATED) == set(PLURAL_FORMS)
    for code in TRANSLATED:
        assert po_path(code).exists(), code


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete(code):
    po = catalogue(code)
    untranslated = [e.msgid for e in live_entries(po) if not e.translated()]
    fuzzy = [e.msgid for e in live_entries(po) if "fuzzy" in e.flags]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_declares_the_languages_plural_rule(code):
    header = catalogue(code).metadata["Plural-Forms"]
    assert header.replace(" ", "").rstrip(";") == PLURAL_FORMS[code].replace(" ", "").rstrip(";")
    nplurals = int(re.search(r"nplurals=(\d)", header).group(1))
    for entry in live_entries(catalogue(code)):
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == nplurals, (code, entry.msgid)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("code", TRANSLATED)
def test_msgfmt_check_passes(code, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po_path(code))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_tags_are_kept(code):
    problems = [
        f"{entry.msgid[:70]!r}: {problem}"
        for entry in live_entries(catalogue(code))
        if entry.translated()
        for problem in marker_problems(entry)
    ]
    assert not problems, f"{code}:\n" + "\n".join(problems[:20])


def _words(msgid: str) -> str:
    """The text a reader sees: placeholders and tags are not English words."""
    return re.sub(r"%\([^)]*\)[sd]|\{[^}]*\}|<[^>]*>", "", msgid)


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_english_left_as_a_translation(code):
    allowed = SAME_EVERYWHERE | SAME_IN.get(code, set())
    left = [
        e.msgid
        for e in live_entries(catalogue(code))
        if not e.msgid_plural
        and e.msgstr == e.msgid
        and re.search(r"[A-Za-z]{3}", _words(e.msgid))
        and e.msgid not in allowed
    ]
    assert not left, f"{code}: English left as its own translation: {left[:20]}"


def test_the_placeholder_check_catches_what_it_should():
    assert markers('Hello %(name)s, 50%% of {count} <a href="/x">here</a>') == markers(
        '<a href="/x">ここ</a> {count} の 50%% 、%(name)s さん'
    )
    assert markers("%(name)s") != markers("%(nom)s")
    assert markers("%s and %s") != markers("%s")
    assert markers("<strong>x</strong>") != markers("<b>x</b>")
    assert markers("Write {{ name }}") != markers("Write {{ nom }}")
    assert markers("&lt;5") != markers("<5")

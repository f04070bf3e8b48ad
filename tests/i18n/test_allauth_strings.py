"""allauth's sign-in, password and two-factor strings in the languages
allauth ships no catalogue for (vi, ne, my, tl): locale/allauth/ has every
string of the parts of allauth the portal uses, translated, with the same
placeholders and tags, and Django prefers it to allauth's own catalogues."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.i18n.catalogues import marker_problems

ALLAUTH_LOCALE = Path(settings.BASE_DIR) / "locale" / "allauth"
_spec = importlib.util.spec_from_file_location("allauth_build", ALLAUTH_LOCALE / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def ours(code: str) -> polib.POFile:
    return polib.pofile(str(ALLAUTH_LOCALE / code / "LC_MESSAGES" / "django.po"))


def test_the_languages_are_those_allauth_lacks():
    shipped = {p.name for p in (build.allauth_dir() / "locale").iterdir()}
    offered = {code.replace("zh-hans", "zh_Hans") for code, _name in settings.LANGUAGES} - {"en"}
    assert set(build.LANGUAGES) == offered - shipped
    assert ALLAUTH_LOCALE in [Path(p) for p in settings.LOCALE_PATHS]


@pytest.mark.parametrize("code", build.LANGUAGES)
def test_every_allauth_string_we_show_is_translated(code):
    po = ours(code)
    have = {build.key(e) for e in po if not e.obsolete}
    missing = [e.msgid for e in build.allauth_entries() if build.key(e) not in have]
    assert not missing, f"{code}: run locale/allauth/build.py and translate: {missing[:5]}"
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not untranslated, f"{code}: {untranslated[:5]}"
    problems = [f"{e.msgid[:60]!r}: {p}" for e in po if not e.obsolete for p in marker_problems(e)]
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("code", build.LANGUAGES)
def test_msgfmt_check_passes(code, tmp_path):
    path = ALLAUTH_LOCALE / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("code", "expected"),
    [("vi", "Xác thực hai yếu tố"), ("ne", "दुई-चरण प्रमाणीकरण"), ("my", "နှစ်ဆင့် အထောက်အထားစစ်ဆေးခြင်း"),
     ("tl", "Two-factor authentication")],
)  # fmt: skip
def test_django_reads_them(code, expected):
    with translation.override(code):
        assert translation.gettext("Two-Factor Authentication") == expected
        assert translation.pgettext("field label", "Login") != "Login"

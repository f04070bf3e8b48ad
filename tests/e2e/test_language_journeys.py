"""Burmese and Nepali in a real browser on a phone: sign in with an emailed
code, the profile's status of residence, the job board and the language of
one's mail, all in the language; the self-hosted web font is the one that
draws the script (not boxes), and axe finds nothing serious or critical. A
Burmese candidate also applies to an opening and finds the application in
"my applications", every page in Burmese.
Screenshots are kept in tests/e2e/artifacts/ (gitignored) for a reader of
the language to look at."""

import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from matching.models import Application
from tests.accounts.factories import CandidateFactory
from tests.e2e.consent_helpers import employer_with_agreement, load_migration_data
from tests.e2e.helpers import login_code_from_mail
from tests.matching.factories import OpeningFactory
from tests.profiles.factories import FullCandidateProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
SCRIPTS = {
    "my": {"family": "Tsunagu Noto Sans Myanmar", "sample": "မြန်မာဘာသာ", "status": "သတ်မှတ်ကျွမ်းကျင်လုပ်သား (i)"},
    "ne": {"family": "Tsunagu Noto Sans Devanagari", "sample": "नेपाली भाषा", "status": "विशिष्ट सीपयुक्त कामदार (i)"},
}
SERIOUS = {"serious", "critical"}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module", autouse=True)
def web_fonts():
    """The fonts are built from package-lock.json (`make fonts`), not kept
    in git: build them if this checkout has not yet."""
    if not (FONTS / "noto-sans-myanmar-myanmar-400-normal.woff2").exists():
        result = subprocess.run(["make", "fonts"], cwd=settings.BASE_DIR, capture_output=True, text=True)
        assert result.returncode == 0, f"make fonts failed:\n{result.stdout}\n{result.stderr}"


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def script_is_drawn_by_the_web_font(page: Page, family: str, sample: str) -> bool:
    """The web font loaded, and it draws the sample: text in it is as wide
    as in the font itself, and not as wide as the same number of boxes."""
    # After a click the URL changes before the new page's stylesheet (and
    # its @font-face rules) is read: asked earlier, the family is unknown.
    page.wait_for_load_state("load")
    return page.evaluate(
        """async ([family, sample]) => {
            // unicode-range fonts load when text in their range is laid
            // out: ask for this one (as the page's text does) and wait, so a
            // busy machine is not taken for a missing font.
            await document.fonts.load(`20px "${family}"`, sample);
            await document.fonts.ready;
            const loaded = [...document.fonts].some(
                f => f.family.replace(/"/g, '') === family && f.status === 'loaded');
            const canvas = document.createElement('canvas').getContext('2d');
            canvas.font = `20px "${family}"`;
            const real = canvas.measureText(sample).width;
            canvas.font = '20px monospace';
            const boxes = canvas.measureText('\\uFFFF'.repeat([...sample].length)).width;
            return loaded && document.fonts.check(`20px "${family}"`, sample) && Math.abs(real - boxes) > 1;
        }""",
        [family, sample],
    )


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.mark.parametrize("language", ["my", "ne"])
def test_sign_in_profile_and_jobs_in_the_language_with_real_glyphs(language, page: Page):
    script = SCRIPTS[language]
    ARTIFACTS.mkdir(exist_ok=True)
    # Fonts and axe make these pages the slowest of the suite on a busy machine.
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    candidate = CandidateFactory(email=f"{language}.reader@example.test", language=language)

    page.goto(url("account_request_login_code", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    form = page.locator(f'form[action="{url("account_request_login_code", language)}"]')
    form.locator('input[name="email"]').fill(candidate.email)
    form.get_by_role("button").click()
    expect(page).to_have_url(re.compile(re.escape(url("account_confirm_login_code", language)) + "$"))
    assert script_is_drawn_by_the_web_font(page, script["family"], script["sample"])
    page.screenshot(path=str(ARTIFACTS / f"{language}-sign-in-code.png"), full_page=True)
    assert serious_violations(page) == []

    confirm = page.locator(f'form[action="{url("account_confirm_login_code", language)}"]')
    confirm.locator('input[name="code"]').fill(login_code_from_mail(candidate.email))
    confirm.locator('button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(url("accounts:dashboard", language)) + "$"))
    page.screenshot(path=str(ARTIFACTS / f"{language}-my-page.png"), full_page=True)
    assert serious_violations(page) == []

    # The profile's status of residence: reference data in the language.
    page.goto(url("profiles:section", language, section="status"))
    expect(page.locator("body")).to_contain_text(script["status"])
    assert script_is_drawn_by_the_web_font(page, script["family"], script["status"])
    page.screenshot(path=str(ARTIFACTS / f"{language}-profile-status.png"), full_page=True)

    # The job board and the language of one's mail.
    page.goto(url("matching:board", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.screenshot(path=str(ARTIFACTS / f"{language}-jobs.png"), full_page=True)
    page.goto(url("accounts:language", language))
    expect(page.locator(f'input[value="{language}"]')).to_be_checked()
    assert serious_violations(page) == []


def test_an_english_page_loads_no_web_font(page: Page):
    page.goto("/en/")
    assert page.evaluate("[...document.fonts].filter(f => f.family.includes('Tsunagu')).length") == 0


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_a_burmese_candidate_applies_and_finds_it_in_my_applications(page: Page):
    language = "my"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    load_migration_data()
    opening = OpeningFactory(employer=employer_with_agreement(legal_name="Sakura IT K.K."), title="Web engineer")
    candidate = CandidateFactory(email="my.applicant@example.test", language=language)
    FullCandidateProfileFactory(user=candidate)
    main = page.get_by_role("main")

    page.goto(url("account_request_login_code", language))
    form = page.locator(f'form[action="{url("account_request_login_code", language)}"]')
    form.locator('input[name="email"]').fill(candidate.email)
    form.get_by_role("button").click()
    confirm = page.locator(f'form[action="{url("account_confirm_login_code", language)}"]')
    confirm.locator('input[name="code"]').fill(login_code_from_mail(candidate.email))
    confirm.locator('button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(url("accounts:dashboard", language)) + "$"))

    # The opening, in Burmese, and its Apply button.
    page.goto(url("matching:opening", language, pk=opening.pk))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(main).to_contain_text("Web engineer")
    # (A complete profile: "ready to apply" sends straight on to the consent screen.)
    main.locator(f'a[href^="{url("ready_to_apply", language)}?opening={opening.pk}"]').click()

    # The consent screen: what the employer will see, in Burmese.
    expect(page).to_have_url(re.compile(re.escape(url("matching:apply", language, pk=opening.pk)) + "$"))
    expect(main).to_contain_text(in_language(language, "Applying to"))
    page.screenshot(path=str(ARTIFACTS / f"{language}-apply-consent.png"), full_page=True)
    assert serious_violations(page) == []
    main.locator('input[name="agree"]').check()
    main.get_by_role("button", name=in_language(language, "Share my profile")).click()

    sent = in_language(language, "Your application was sent to %(employer)s.") % {"employer": "Sakura IT K.K."}
    expect(page.get_by_role("status")).to_contain_text(sent)
    assert Application.objects.filter(candidate=candidate, opening=opening).count() == 1

    # My applications lists it, in Burmese.
    page.goto(url("matching:my_applications", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(in_language(language, "My applications"))
    expect(main).to_contain_text("Web engineer")
    expect(main).not_to_contain_text("Applied")  # the state is in Burmese, not English
    page.screenshot(path=str(ARTIFACTS / f"{language}-my-applications.png"), full_page=True)
    assert serious_violations(page) == []

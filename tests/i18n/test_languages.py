"""Eight languages by URL prefix, each named in itself; dates and numbers
per locale; the language of a person's email and notices, chosen at
/me/language/ and used by every mail (outbox.languages)."""

from datetime import date

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import formats, translation
from django.utils.translation import get_language_info

from accounts import services as account_services
from accounts.models import User
from outbox.languages import mail_language
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory
from tests.accounts.test_sign_in import RequestClient

LANGUAGES = ["en", "ja", "vi", "zh-hans", "id", "ne", "my", "tl"]
NAMED_IN_ITSELF = {
    "en": "English",
    "ja": "日本語",
    "vi": "Tiếng Việt",
    "zh-hans": "简体中文",
    "id": "Bahasa Indonesia",
    "ne": "नेपाली",
    "my": "မြန်မာဘာသာ",
    "tl": "Tagalog",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_answers_under_its_prefix(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    # The picker, on every page, names each language in itself and links
    # to this page in it.
    for code, name in NAMED_IN_ITSELF.items():
        assert f'lang="{code}"' in page and name in page, (language, code)
        if code != language:
            assert f'href="/{code}/"' in page


def test_every_language_has_locale_data_of_its_own():
    for code in LANGUAGES:
        info = get_language_info(code)
        assert info["name_local"] == NAMED_IN_ITSELF[code]
    # Django has no Tagalog: settings.EXTRA_LANG_INFO supplies it.
    assert get_language_info("tl")["name"] == "Tagalog"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Dec. 4, 2026"),
        ("ja", "2026年12月4日"),
        ("vi", "Ngày 04 tháng 12 năm 2026"),
        ("zh-hans", "2026年12月4日"),
        ("ne", "4 डिसम्वर 2026"),  # the month as Django's Nepali catalogue spells it
        ("my", "2026 ခုနှစ် 12 လ 4 ရက်"),
        ("tl", "December 4, 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 4)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234,567"), ("vi", "1.234.567"), ("id", "1.234.567"), ("ne", "12,34,567"), ("tl", "1,234,567")],
)
def test_numbers_are_grouped_per_locale(language, expected):
    with translation.override(language):
        assert formats.number_format(1234567, force_grouping=True) == expected


# --- /me/language/ ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["candidate", "employer_recruiter", "coordinator"])
def test_everyone_signed_in_chooses_the_language_of_their_mail(persona, persona_client, persona_user):
    client = persona_client(persona)
    page = client.get("/en/me/language/")
    assert page.status_code == 200
    assert 'value="my"' in page.content.decode() and "မြန်မာဘာသာ" in page.content.decode()

    response = client.post("/en/me/language/", {"language": "my"})

    assert response.status_code == 302
    assert response["Location"] == "/my/me/language/"  # the page, now in Burmese
    assert User.objects.get(pk=persona_user(persona).pk).language == "my"
    followed = client.get(response["Location"])
    assert "ဘာသာ" in followed.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["xx", "", "en' OR 1=1 --", "日本語", "x" * 10_000, "zh_Hans"])
def test_a_language_not_offered_is_refused(client, candidate, bad):
    client.force_login(candidate)
    response = client.post("/en/me/language/", {"language": bad})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.language == "en"


@pytest.mark.django_db
def test_nobody_sets_another_persons_language(candidate, other_candidate):
    with pytest.raises(account_services.PermissionDenied):
        account_services.user_language_set(actor=other_candidate, user=candidate, language="ne")


@pytest.mark.django_db
def test_saving_twice_is_harmless(client, candidate):
    client.force_login(candidate)
    for _ in range(2):
        assert client.post("/en/me/language/", {"language": "ne"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.language == "ne"


# --- The one rule for a mail's language -------------------------------------------------------


@pytest.mark.django_db
def test_the_account_language_wins_over_the_page_and_the_default():
    person = CandidateFactory(language="ne")
    assert mail_language(person, used="ja") == "ne"
    assert mail_language(None, used="zh-hans") == "zh-hans"
    assert mail_language(None, used="zh_Hans") == "zh-hans"
    assert mail_language(None, used="xx") == "en"
    assert mail_language(CandidateFactory(language="gone"), used="vi") == "vi"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "my", "ne", "tl"])
def test_sign_in_code_mail_is_in_the_persons_language_whatever_page_asked(language):
    person = CandidateFactory(language=language)
    client = _committing_client()
    response = client.post("/en/accounts/login/code/", {"email": person.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.filter(to_email=person.email).latest("pk")
    assert row.language == language
    with translation.override(language):
        expected = translation.gettext("Here is your code to sign in to Tsunagu:")
    assert expected in mail.outbox[-1].body


@pytest.mark.django_db
def test_a_signup_code_goes_out_in_the_language_of_the_page():
    client = _committing_client()
    client.post("/vi/accounts/signup/", {"email": "moi@example.test", "accept_policies": "on"})
    rows = OutboundEmail.objects.filter(to_email="moi@example.test")
    assert rows and {row.language for row in rows} == {"vi"}


@pytest.mark.django_db
def test_notices_and_mail_follow_the_account_language(coordinator):
    person = CandidateFactory(language="zh-hans")
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_services.account_screen(actor=coordinator, user=person, decision="suspended", reason="テスト")
    row = OutboundEmail.objects.filter(recipient=person).latest("pk")
    assert row.language == "zh-hans"
    assert row.subject == "关于您的Tsunagu账户的决定"
    assert "/zh-hans/" in row.body_text


def _committing_client():
    return RequestClient()

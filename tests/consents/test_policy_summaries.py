"""What changed in a policy revision, in every language (issue 15): each
language's text carries its summary; the announcement mail, the revision
banner, the public list and the acceptance page show the reader's, else the
English one, else the Japanese one."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consents.models import PolicyKind, PolicyText, PolicyVersion
from consents.policy_seed import LANGUAGES, SUMMARY, VERSION, add_policy_summaries
from consents.services import policy_version_announce
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory
from tests.consents.factories import PolicyVersionFactory, publish

pytestmark = pytest.mark.django_db

ENGLISH = "We now keep data exports for 7 days."
JAPANESE = "データのエクスポートの保存期間を7日間にしました。"
VIETNAMESE = "Chúng tôi nay lưu bản xuất dữ liệu trong 7 ngày."


def revision(**summaries: str) -> PolicyVersion:
    return publish(
        PolicyVersionFactory(
            kind=PolicyKind.PRIVACY, requires_consent=True, summaries={"en": ENGLISH, "ja": JAPANESE, **summaries}
        )
    )


def in_language(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_summary_is_the_readers_then_english_then_japanese():
    version = revision(vi=VIETNAMESE)
    version = PolicyVersion.objects.prefetch_related("texts").get(pk=version.pk)
    assert version.summary_in("vi") == VIETNAMESE
    assert version.summary_in("ja") == JAPANESE
    assert version.summary_in("tl") == ENGLISH
    PolicyText.objects.filter(version=version, language="en").update(summary="")
    version = PolicyVersion.objects.prefetch_related("texts").get(pk=version.pk)
    assert version.summary_in("tl") == JAPANESE


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("vi", VIETNAMESE, ENGLISH),  # the reader's summary
        ("tl", ENGLISH, VIETNAMESE),  # none in Tagalog: the English one
    ],
)
def test_the_mail_banner_and_pages_show_the_readers_summary(language, shown, not_shown):
    reader = CandidateFactory(language=language)
    version = revision(vi=VIETNAMESE)
    policy_version_announce(version.pk)
    mail = OutboundEmail.objects.get(recipient=reader, subject__contains=version.version)
    assert shown in mail.body_text and not_shown not in mail.body_text

    visitor = Client()
    for page in (in_language(language, "home"), in_language(language, "consents:policy_list")):
        html = visitor.get(page).content.decode()
        assert shown in html and not_shown not in html, page
    # The reader is asked to accept the revision: the page says what changed.
    html = signed_in(reader).get(in_language(language, "consents:policy_accept")).content.decode()
    assert shown in html and not_shown not in html


def test_a_revision_without_any_summary_has_no_banner():
    version = revision()
    PolicyText.objects.filter(version=version).update(summary="")
    assert "revision-banner" not in Client().get(reverse("home")).content.decode()


def test_the_first_versions_say_so_in_every_language():
    """Migration 0015 copied the English and Japanese summaries to their
    texts and gave every other text its own (policy_seed)."""
    for kind in PolicyKind.values:
        version = PolicyVersion.objects.prefetch_related("texts").get(kind=kind, version=VERSION)
        for language in LANGUAGES:
            assert version.summary_in(language) == SUMMARY[language], (kind, language)
    assert add_policy_summaries(apps) == 0  # safe to run again


def test_first_version_summaries_leave_a_summary_staff_wrote_alone():
    texts = PolicyText.objects.filter(version__version=VERSION, version__kind=PolicyKind.TERMS)
    texts.filter(language="en").update(summary="Rewritten by staff.")
    texts.filter(language="vi").update(summary="")
    assert add_policy_summaries(apps) == 0
    assert texts.get(language="vi").summary == ""
    texts.filter(language="en").update(summary=SUMMARY["en"])
    assert add_policy_summaries(apps) == 1
    assert texts.get(language="vi").summary == SUMMARY["vi"]


@pytest.mark.parametrize(
    ("languages", "summary_en", "summary_ja", "expected"),
    [
        # both texts: each keeps its own language's summary
        (
            {"en", "ja"},
            "Cookies explained.",
            "クッキーの説明。",
            {"en": "Cookies explained.", "ja": "クッキーの説明。"},
        ),
        # a Japanese-only draft keeps its Japanese summary, not the English one
        ({"ja"}, "Cookies explained.", "クッキーの説明。", {"ja": "クッキーの説明。"}),
        ({"en"}, "Cookies explained.", "クッキーの説明。", {"en": "Cookies explained."}),
        # a draft with one text and only the other language's summary keeps it there
        ({"ja"}, "Cookies explained.", "", {"ja": "Cookies explained."}),
        # with both texts, an empty summary stays empty rather than borrowing
        ({"en", "ja"}, "Cookies explained.", "", {"en": "Cookies explained."}),
        (set(), "Cookies explained.", "クッキーの説明。", {}),
    ],
)
def test_the_move_of_summaries_to_texts_loses_none(languages, summary_en, summary_ja, expected):
    """Migration 0016 moves the version's English and Japanese summaries to its texts."""
    migration = importlib.import_module("consents.migrations.0016_policy_summary_per_language")
    assert migration.summaries_to_texts(languages, summary_en, summary_ja) == expected

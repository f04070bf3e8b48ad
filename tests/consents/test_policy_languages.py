"""The Terms of Use, the Privacy Policy and the Data Use Agreement in every
language of the portal (issue 15): translations of the Japanese text, which
prevails, loaded as texts of the same version (nobody accepts again), with
the same structure as the Japanese original; the page shows the text in the
page's language with the "Japanese prevails" note and a link to the
Japanese text; the ledger records the language of the text a person
accepted."""

import hashlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from markdown_it import MarkdownIt

from consents.models import (
    ConsentEvent,
    ConsentKind,
    EmployerAgreement,
    PolicyAcceptance,
    PolicyKind,
    PolicyText,
    PolicyVersion,
)
from consents.policy_seed import KINDS, LANGUAGES, VERSION, add_policy_translations, read_policy_text
from consents.selectors import subject_key_of
from consents.services import current_policy, employer_agreement_accept, policy_accept
from tests.consents.factories import PolicyVersionFactory, publish

pytestmark = pytest.mark.django_db

TRANSLATIONS = [language for language in LANGUAGES if language not in ("en", "ja")]
# The statement near the top of each translation that the Japanese text
# prevails (a block quote before Article 1), and a word of it that must be
# there in that language.
PREVAILS = {
    "vi": "tiếng Nhật",
    "zh-hans": "日文",
    "id": "bahasa Jepang",
    "ne": "जापानी",
    "my": "ဂျပန်",
    "tl": "Hapon",
}


def outline(body: str) -> list[tuple]:
    """The shape of a policy text, section by section: heading level, and how
    many paragraphs, numbered items, bullet items and table rows follow it.
    The translation note (a block quote) is left out."""
    sections: list[list] = [[0, 0, 0, 0, 0]]
    lists: list[str] = []
    quoted = 0
    for token in MarkdownIt("commonmark").enable("table").parse(body):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif quoted:
            continue
        elif token.type == "heading_open":
            sections.append([int(token.tag[1]), 0, 0, 0, 0])
        elif token.type == "paragraph_open" and not lists:
            sections[-1][1] += 1
        elif token.type in ("ordered_list_open", "bullet_list_open"):
            lists.append(token.type)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            sections[-1][2 if lists[-1] == "ordered_list_open" else 3] += 1
        elif token.type == "tr_open":
            sections[-1][4] += 1
    return [tuple(section) for section in sections]


def links(body: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", body) + re.findall(r"[\w.+-]+@[\w-]+\.example", body)


@pytest.mark.parametrize("kind", KINDS)
def test_every_policy_has_a_text_in_every_language_of_the_current_version(kind):
    version = current_policy(kind)
    assert version.version == VERSION
    texts = {t.language: t for t in version.texts.all()}
    assert set(texts) == set(LANGUAGES)
    for language, text in texts.items():
        title, body = read_policy_text(kind, language)
        assert (text.title, text.body) == (title, body)
        assert text.sha256 == hashlib.sha256(body.encode()).hexdigest()
    # One version per document: the translations asked no one to accept again.
    assert PolicyVersion.objects.filter(kind=kind).count() == 1


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_translation_has_the_shape_of_the_japanese_original(kind, language):
    _title, original = read_policy_text(kind, "ja")
    title, body = read_policy_text(kind, language)
    assert title and title != read_policy_text(kind, "en")[0]
    assert outline(body) == outline(original)
    assert links(body) == links(original)


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_translation_says_near_its_top_that_the_japanese_text_prevails(kind, language):
    _title, body = read_policy_text(kind, language)
    first_heading = body.index("\n## ")
    quotes = [line for line in body[:first_heading].splitlines() if line.startswith(">")]
    assert quotes, "the note is a block quote before the first article"
    assert PREVAILS[language] in " ".join(quotes)


def test_no_translation_is_left_untranslated():
    """A sentence copied from the English text would show up here."""
    for kind in KINDS:
        english = {line.strip() for line in read_policy_text(kind, "en")[1].splitlines() if len(line.strip()) > 40}
        for language in TRANSLATIONS:
            lines = {line.strip() for line in read_policy_text(kind, language)[1].splitlines()}
            assert not english & lines, (kind, language)


def test_loading_the_translations_is_idempotent_and_adds_only_what_is_missing():
    terms = current_policy(PolicyKind.TERMS)
    before = PolicyText.objects.count()
    assert add_policy_translations(apps) == 0
    assert PolicyText.objects.count() == before

    terms.texts.filter(language="vi").delete()
    assert add_policy_translations(apps) == 1
    assert terms.texts.filter(language="vi").exists()
    assert add_policy_translations(apps) == 0
    assert PolicyVersion.objects.filter(kind=PolicyKind.TERMS).count() == 1


def test_translations_join_a_version_only_while_its_japanese_text_is_the_one_translated():
    terms = current_policy(PolicyKind.TERMS)
    terms.texts.exclude(language__in=["en", "ja"]).delete()
    PolicyText.objects.filter(version=terms, language="ja").update(body="別の本文\n")
    assert add_policy_translations(apps) == 0  # the other documents have theirs
    assert set(terms.texts.values_list("language", flat=True)) == {"en", "ja"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_accepting_in_a_language_records_that_language_version(language, candidate):
    PolicyAcceptance.objects.filter(user=candidate).delete()
    client = Client()
    client.force_login(candidate)
    with translation.override(language):
        accept = reverse("consents:policy_accept")
    page = client.get(accept)
    assert page.status_code == 200
    terms = current_policy(PolicyKind.TERMS)
    text = terms.texts.get(language=language)
    html = page.content.decode()
    assert text.title in html
    # Each document says the Japanese text prevails and links it (not the Japanese one).
    assert html.count(f"/ja/policies/terms/{VERSION}/") == (language != "ja")
    assert html.count(f"/ja/policies/privacy/{VERSION}/") == (language != "ja")

    assert client.post(accept, {"accept": "on"}).status_code == 302
    for kind in (PolicyKind.TERMS, PolicyKind.PRIVACY):
        version = current_policy(kind)
        shown = version.texts.get(language=language)
        assert PolicyAcceptance.objects.get(user=candidate, version=version).language == language
        row = ConsentEvent.objects.filter(
            subject_key=subject_key_of(candidate), kind=ConsentKind.POLICY, policy_version_id=version.pk
        ).latest("pk")
        assert (row.language, row.notice_sha256) == (language, shown.sha256)


def test_a_version_without_a_text_in_the_language_records_the_japanese_it_showed(candidate):
    version = publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY))
    assert not version.texts.filter(language="vi").exists()
    policy_accept(user=candidate, versions=[version], language="vi")
    assert PolicyAcceptance.objects.get(user=candidate, version=version).language == "ja"
    row = ConsentEvent.objects.filter(subject_key=subject_key_of(candidate), policy_version_id=version.pk).get()
    assert (row.language, row.notice_sha256) == ("ja", version.texts.get(language="ja").sha256)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_policy_page_shows_the_text_in_the_pages_language(kind, language, client):
    with translation.override(language):
        url = reverse("consents:policy", args=[kind])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text = current_policy(kind).texts.get(language=language)
    assert f"<h1>{text.title}</h1>" in html
    assert f'lang="{language}"' in html
    japanese = f"/ja/policies/{kind}/{VERSION}/"
    if language == "ja":
        assert japanese not in html
    else:
        assert japanese in html  # the prevailing text, one click away
    if language in PREVAILS:
        assert PREVAILS[language] in html


@pytest.mark.parametrize("language", ["my", "ne", "ja"])
def test_an_employer_admin_reads_and_accepts_the_agreement_in_their_language(language, employer_admin, employer):
    EmployerAgreement.objects.filter(employer=employer).delete()
    client = Client()
    client.force_login(employer_admin)
    with translation.override(language):
        url = reverse("consents:employer_agreement")
    html = client.get(url).content.decode()
    version = current_policy(PolicyKind.DATA_USE)
    assert version.texts.get(language=language).title in html
    assert (f"/ja/policies/data_use/{VERSION}/" in html) == (language != "ja")

    agreement = employer_agreement_accept(actor=employer_admin, version=version, language=language)
    assert agreement.language == language

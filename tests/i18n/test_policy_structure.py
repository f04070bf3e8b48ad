"""The policies' translations follow the Japanese text, which prevails: the
same articles, each with as many paragraphs and list items; a translation
corrected within its version keeps the wording it replaced, so what a
person accepted before the correction is still known."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from consents import policy_seed
from consents.models import PolicyAcceptance, PolicyKind, PolicyText, PolicyTextCorrection
from consents.policy_seed import KINDS, LANGUAGES, correct_policy_translations, read_policy_text

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ITEM = re.compile(r"\s*(?:[-*]|\d+\.)\s")


def structure(body: str) -> dict[int, tuple[int, int]]:
    """Article number → (paragraphs, list items). A heading `## …` starts an
    article (its first number: 第4条, Article 4, Điều 4, ပုဒ်မ 4 …)."""
    articles: dict[int, list[int]] = {}
    current = None
    for block in re.split(r"\n\s*\n", body):
        lines = block.strip().splitlines()
        if not lines:
            continue
        if lines[0].startswith("## "):
            number = re.search(r"\d+", lines[0].translate(_DIGITS))
            assert number, f"an article heading without a number: {lines[0]!r}"
            current = int(number.group())
            articles[current] = [0, 0]
            lines = lines[1:]
        if current is None or not lines:
            continue
        items = [line for line in lines if _ITEM.match(line)]
        articles[current][1] += len(items)
        articles[current][0] += len(items) < len(lines)
    return {number: tuple(counts) for number, counts in articles.items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "ja"])
def test_each_translation_has_the_japanese_articles_and_paragraphs(kind, language):
    japanese = structure(read_policy_text(kind, "ja")[1])
    translation = structure(read_policy_text(kind, language)[1])
    assert list(translation) == list(japanese), f"{kind}.{language}: articles {list(translation)}"
    differ = {n: (translation[n], japanese[n]) for n in japanese if translation[n] != japanese[n]}
    assert not differ, f"{kind}.{language}: (paragraphs, items) vs the Japanese: {differ}"


def test_the_structure_check_sees_a_merged_paragraph_and_a_missing_list():
    japanese = "## 第4条（登録）\n\nA\n\n２　B\n\n３　C\n\n- x\n- y\n"
    assert structure(japanese) == {4: (3, 2)}
    assert structure("## Article 4 (Registration)\n\nA\n\nB and C: x, y.\n") == {4: (2, 0)}


def test_the_english_says_what_the_japanese_says_in_the_corrected_articles():
    terms = read_policy_text("terms", "en")[1]
    assert "special intellectual violent crime group" in terms  # 特殊知能暴力集団 (Art. 22)
    assert "quasi-member" in terms and "represents and warrants" in terms
    assert "whether a limit of [amount] yen may be set" in terms  # 上限額の設定の可否 (Art. 21(2))
    assert "up to a limit of" not in terms
    data_use = read_policy_text("data_use", "en")[1]
    assert "records of the notification of the employment status of foreign nationals" in data_use  # Art. 7(4)


# --- A correction within the version -----------------------------------------------------


@pytest.fixture
def shipped_english_terms(db, monkeypatch):
    """The English Terms as if the first, uncorrected wording were stored."""
    text = PolicyText.objects.get(version__kind=PolicyKind.TERMS, version__version=policy_seed.VERSION, language="en")
    text.body = "Article 22: an organised crime group, or anyone similar.\n"
    text.save()
    monkeypatch.setitem(policy_seed.CORRECTIONS, ("terms", "en"), (text.sha256, "Article 22 corrected."))
    return text


@pytest.mark.django_db
def test_a_corrected_translation_keeps_the_wording_it_replaced(shipped_english_terms, candidate):
    text = shipped_english_terms
    accepted_before = timezone.now() - timedelta(minutes=1)

    assert correct_policy_translations(apps) == 1
    text.refresh_from_db()
    assert text.body == read_policy_text("terms", "en")[1]
    [correction] = PolicyTextCorrection.objects.filter(text=text)
    assert correction.previous_body == "Article 22: an organised crime group, or anyone similar.\n"
    # What someone who accepted in English before the correction read, and after.
    assert text.wording_at(accepted_before) == correction.previous_body
    assert text.wording_at(timezone.now()) == text.body
    # Nothing else changed: the same version, no one asked to accept again.
    assert PolicyAcceptance.objects.filter(user=candidate, version=text.version).exists()

    assert correct_policy_translations(apps) == 0  # safe to run again


@pytest.mark.django_db
def test_a_text_staff_changed_since_is_not_overwritten(shipped_english_terms):
    text = shipped_english_terms
    text.body = "A wording staff wrote.\n"
    text.save()
    assert correct_policy_translations(apps) == 0
    text.refresh_from_db()
    assert text.body == "A wording staff wrote.\n"


@pytest.mark.django_db
def test_nothing_is_corrected_when_the_japanese_text_is_no_longer_the_files(shipped_english_terms):
    japanese = PolicyText.objects.get(version=shipped_english_terms.version, language="ja")
    japanese.body += "\n追記\n"
    japanese.save()
    assert correct_policy_translations(apps) == 0


@pytest.mark.django_db
def test_the_english_page_says_the_translation_was_corrected(shipped_english_terms, client):
    correct_policy_translations(apps)
    page = client.get("/en/policies/terms/").content.decode()
    assert "This translation was corrected on" in page and "Article 22 corrected." in page
    japanese = client.get("/ja/policies/terms/").content.decode()
    assert "訂正されました" not in japanese  # the Japanese text was not corrected

"""A candidate fills in the whole profile in Japanese, on a phone.

Every field is found by its Japanese label, the way a person (or a screen
reader) finds it, so a missing translation or a label that is not tied to its
input fails the journey. The employer preview at the end must show the
candidate's own words intact (Japanese, Burmese, emoji) and must not show
the telephone number or the street address, which are shared only on request.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from profiles.models import CandidateProfile
from profiles.taxonomy import load_taxonomies
from profiles.validators import today
from tests.accounts.factories import CandidateFactory
from tests.e2e.conftest import PHONE
from tests.e2e.profile_helpers import expect_message, expect_phone_friendly_page, save, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

SELF_INTRODUCTION = (
    "はじめまして。グエン・ティ・ランと申します。ホテルのフロントで3年間働いています。\n"
    "မင်္ဂလာပါ။ မြန်မာစကားလည်း နည်းနည်းပြောတတ်ပါတယ်။\n"
    "よろしくお願いいたします🙇‍♀️🌸✨"
)
PHONE_TYPED = "090-1234-5678"
STREET = "霞が関1-2-3 さくらハイツ101号室"
KANA_ERROR = (
    "お名前はカタカナのみで入力してください（例：グエン・ティ・ラン）。ひらがな、漢字、ローマ字は使用できません。"
)


@pytest.fixture
def browser_context_args() -> dict:
    return {"viewport": PHONE, "locale": "ja-JP"}


@pytest.fixture(autouse=True)
def taxonomies(transactional_db) -> None:
    """The taxonomies come from a data migration, which the flush after an
    earlier transactional test removes: load them again (it only adds what is
    missing). Not serialized_rollback: restoring its snapshot collides with
    the staff groups that post_migrate recreates after a plain flush."""
    load_taxonomies(apps)


def ja(name: str, *args) -> str:
    with translation.override("ja"):
        return reverse(name, args=args)


def iso(days_from_today: int) -> str:
    return (today() + timedelta(days=days_from_today)).isoformat()


def expect_at(page: Page, name: str, *args) -> None:
    expect(page).to_have_url(re.compile(re.escape(ja(name, *args)) + "$"))
    expect_phone_friendly_page(page, "ja")


def go_to_section(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="プロフィールの項目").get_by_role("link", name=title, exact=True).click()


def test_candidate_completes_the_whole_profile_in_japanese_on_a_phone(page: Page, live_server):
    candidate = CandidateFactory(email="lan.nguyen@example.test")
    sign_in_with_session(page.context, live_server.url, candidate)

    # --- The overview: nothing filled in yet --------------------------------------
    page.goto(ja("profiles:overview"))
    expect_at(page, "profiles:overview")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイプロフィール")
    main = page.get_by_role("main")
    expect(main).to_contain_text("プロフィールの完成度は0%です。")
    main.get_by_role("link", name="基本情報", exact=True).click()

    # --- Basic information, with one mistake: the reading typed in hiragana -------
    expect_at(page, "profiles:section", "basics")
    expect(page.get_by_role("heading", level=1)).to_have_text("基本情報")
    page.get_by_label("パスポートの氏名").fill("NGUYEN THI LAN")
    page.get_by_label("氏名（カタカナ）").fill("ぐえん・てぃ・らん")
    page.get_by_label("国籍").select_option(label="ベトナム")
    page.get_by_label("居住国").select_option(label="日本")
    page.get_by_label("生年月日").fill("1998-04-12")
    page.get_by_label("性別").select_option(label="女性")
    page.get_by_label("電話番号").fill(PHONE_TYPED)
    save(page)

    expect_at(page, "profiles:section", "basics")
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text("以下のエラーを修正してください。")
    kana = page.get_by_label("氏名（カタカナ）")
    # The message is tied to the field, so a screen reader reads it with it.
    expect(kana).to_have_attribute("aria-invalid", "true")
    expect(kana).to_have_accessible_description(re.compile(re.escape(KANA_ERROR)))
    expect(page.locator("#id_name_kana_error")).to_have_text(KANA_ERROR)
    # Nothing else typed was lost, and nothing was saved.
    expect(page.get_by_label("パスポートの氏名")).to_have_value("NGUYEN THI LAN")
    expect(page.get_by_label("電話番号")).to_have_value(PHONE_TYPED)
    assert CandidateProfile.objects.get(user=candidate).name_kana == ""

    kana.fill("グエン・ティ・ラン")
    save(page)

    # --- Address in Japan ---------------------------------------------------------
    expect_at(page, "profiles:section", "address")
    expect_message(page, "基本情報を保存しました。")
    expect(page.get_by_role("heading", level=1)).to_have_text("住所")
    page.get_by_role("group", name="お住まいはどちらですか？").get_by_label("日本国内").check()
    page.get_by_label("郵便番号").fill("100-0013")
    expect(page.get_by_label("郵便番号")).to_have_value("100-0013")  # not cut short by maxlength
    page.get_by_label("都道府県").select_option(label="東京都")
    page.get_by_label("市区町村").fill("千代田区")
    page.get_by_label("番地・建物名").fill(STREET)
    save(page)

    # --- Status of residence ------------------------------------------------------
    expect_at(page, "profiles:section", "status")
    expect_message(page, "住所を保存しました。")
    page.get_by_label("在留資格", exact=True).select_option(label="技術・人文知識・国際業務")
    page.get_by_label("在留期間満了日").fill(iso(2 * 365))
    save(page)

    # --- Japanese: a JLPT result, another language, the speaking level ------------
    expect_at(page, "profiles:section", "japanese")
    expect_message(page, "在留資格を保存しました。")
    expect(page.get_by_role("heading", level=1)).to_have_text("日本語・その他の言語")

    page.get_by_role("link", name="試験結果を追加").click()
    expect_at(page, "profiles:entry_add", "japanese-tests")
    expect(page.get_by_role("heading", level=1)).to_have_text("試験結果を追加")
    page.get_by_label("試験とレベル").select_option(label="N2")
    page.get_by_label("合格日").fill("2022-12-04")
    save(page)
    expect_at(page, "profiles:section", "japanese")
    expect_message(page, "日本語試験の結果を保存しました。")
    expect(page.get_by_role("region", name="日本語試験の結果")).to_contain_text("N2")

    page.get_by_role("link", name="言語を追加").click()
    expect_at(page, "profiles:entry_add", "languages")
    # In the main form: the header's language switcher is called 言語 too.
    page.get_by_role("main").get_by_label("言語").select_option(value="en")
    page.get_by_label("レベル").select_option(label="ビジネス")
    save(page)
    expect_at(page, "profiles:section", "japanese")
    expect(page.get_by_role("region", name="その他の言語")).to_contain_text("English (English) · ビジネス")

    page.get_by_label("日本語の会話力").select_option(label="ビジネス会話レベル")
    save(page)

    # --- A qualification --------------------------------------------------------------
    expect_at(page, "profiles:section", "qualifications")
    expect_message(page, "日本語・その他の言語を保存しました。")
    page.get_by_role("link", name="資格を追加").click()
    expect_at(page, "profiles:entry_add", "qualifications")
    page.get_by_role("main").get_by_label("資格").select_option(label="特定技能評価試験：宿泊")
    page.get_by_label("取得日").fill("2023-03-15")
    save(page)
    expect_at(page, "profiles:section", "qualifications")
    expect(page.get_by_role("region", name="資格")).to_contain_text("特定技能評価試験：宿泊")
    go_to_section(page, "学歴")

    # --- Education --------------------------------------------------------------------
    expect_at(page, "profiles:section", "education")
    page.get_by_role("link", name="学歴を追加").click()
    expect_at(page, "profiles:entry_add", "education")
    expect(page.get_by_role("heading", level=1)).to_have_text("学歴を追加")
    page.get_by_label("学校名").fill("ハノイ大学（Hanoi University）")
    page.get_by_label("レベル").select_option(label="大学（学士）")
    page.get_by_label("専攻").fill("日本語学")
    page.get_by_label("国", exact=True).select_option(label="ベトナム")
    page.get_by_label("開始日").fill("2016-09-01")
    page.get_by_label("終了日").fill("2020-06-30")
    page.get_by_label("卒業済み").check()
    save(page)
    expect_at(page, "profiles:section", "education")
    expect(page.get_by_role("region", name="学歴")).to_contain_text("ハノイ大学（Hanoi University）")
    go_to_section(page, "職歴")

    # --- Work history -------------------------------------------------------------------
    expect_at(page, "profiles:section", "work")
    page.get_by_role("link", name="職歴を追加").click()
    expect_at(page, "profiles:entry_add", "work")
    page.get_by_label("勤務先").fill("株式会社さくらホテルズ")
    page.get_by_label("職種・役職").fill("フロントスタッフ")
    page.get_by_label("職種", exact=True).select_option(label="ホテル・観光（専門職）")
    page.get_by_label("国", exact=True).select_option(label="日本")
    page.get_by_label("開始日").fill("2021-04-01")
    page.get_by_label("業務内容").fill("チェックイン・チェックアウト対応、英語とベトナム語での接客。")
    save(page)
    expect_at(page, "profiles:section", "work")
    expect(page.get_by_role("region", name="職歴")).to_contain_text("フロントスタッフ")
    go_to_section(page, "希望条件")

    # --- What they look for -----------------------------------------------------------
    expect_at(page, "profiles:section", "preferences")
    categories = page.get_by_role("group", name="希望職種")
    categories.get_by_label("ホテル・観光（専門職）").check()
    categories.get_by_label("通訳・翻訳").check()
    prefectures = page.get_by_role("group", name="希望勤務地（都道府県）")
    prefectures.get_by_label("東京都").check()
    prefectures.get_by_label("大阪府").check()
    page.get_by_role("group", name="希望雇用形態").get_by_label("正社員").check()
    page.get_by_label("希望給与（円）").fill("250000")
    page.get_by_label("給与の単位").select_option(label="月給")
    start = iso(60)
    page.get_by_label("就業開始可能日").fill(start)
    page.get_by_label("スタッフからの求人紹介を受け取る").check()
    save(page)

    # --- A self-introduction in three scripts ---------------------------------------
    expect_at(page, "profiles:section", "introduction")
    expect_message(page, "希望条件を保存しました。")
    page.get_by_label("自己紹介").fill(SELF_INTRODUCTION)
    save(page)

    # --- The overview: every section complete -------------------------------------------
    expect_at(page, "profiles:overview")
    expect_message(page, "自己紹介を保存しました。")
    main = page.get_by_role("main")
    expect(main).to_contain_text("プロフィールの完成度は100%です。")
    expect(page.get_by_role("progressbar", name="プロフィールの完成度")).to_have_attribute("value", "100")
    cards = main.locator("ol.section-list > li")
    sections = ["基本情報", "住所", "在留資格", "日本語・その他の言語", "資格", "学歴", "職歴", "希望条件", "自己紹介"]
    for title in sections:
        expect(cards.filter(has=page.get_by_role("heading", name=title, exact=True))).to_contain_text("✓ 入力済み")
    expect(main).not_to_contain_text("未入力")

    # --- What an employer would see -------------------------------------------------------
    main.get_by_role("link", name="企業から見たプロフィールを確認する").click()
    expect_at(page, "consents:profile_preview")
    expect(page.get_by_role("heading", level=1)).to_have_text("企業から見たプロフィール")
    card = page.get_by_role("article")
    expect(card.get_by_role("heading", level=2)).to_have_text("NGUYEN THI LAN （グエン・ティ・ラン）")
    for shown in [
        "ベトナム",
        "技術・人文知識・国際業務",
        f"{iso(2 * 365)}まで",
        "N2",
        "ビジネス会話レベル",
        "English (English)",
        "特定技能評価試験：宿泊",
        "ハノイ大学（Hanoi University）",
        "株式会社さくらホテルズ",
        "東京都",
        "正社員",
        "月給",
        f"{start}から",
    ]:
        expect(card).to_contain_text(shown)
    assert card.locator(".intro").inner_text() == SELF_INTRODUCTION

    # Contact details and the postal address are opt-in per grant: not here.
    html = page.content()
    for hidden in [PHONE_TYPED, "09012345678", "+819012345678", "1234-5678", "霞が関", "さくらハイツ", "100-0013"]:
        assert hidden not in html, f"the employer preview shows {hidden!r}"
    expect(card).not_to_contain_text("電話番号")

    profile = CandidateProfile.objects.get(user=candidate)
    assert profile.name_kana == "グエン・ティ・ラン"
    assert profile.phone == "+819012345678"
    assert profile.postal_code == "1000013"
    assert profile.street == STREET
    # Browsers submit a textarea's line breaks as CRLF (HTML spec); the text is otherwise byte for byte.
    assert profile.self_introduction.replace("\r\n", "\n") == SELF_INTRODUCTION
    assert profile.open_to_proposals is True
    assert profile.earliest_start_date.isoformat() == start

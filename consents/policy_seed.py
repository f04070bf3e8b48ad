"""The first published versions of the Terms of Use, the Privacy Policy and
the Data Use Agreement, from consents/policy_texts/ (Japanese prevails).
Used by migrations 0003, 0010 and 0015 and to restore reference data in tests.

Files are ``{kind}.{language}.md``: the first line is the title (``# ...``),
the rest the body. The Japanese text is the original; English and the other
languages are translations of it, each saying so near its top."""

import hashlib
from pathlib import Path

from django.utils import timezone

TEXTS = Path(__file__).resolve().parent / "policy_texts"
VERSION = "2026-11-23"
# What changed, in each language (on each language's text since migration 0015).
SUMMARY = {
    "en": "First version.",
    "ja": "初版。",
    "vi": "Phiên bản đầu tiên.",
    "zh-hans": "首个版本。",
    "id": "Versi pertama.",
    "ne": "पहिलो संस्करण।",
    "my": "ပထမဆုံးဗားရှင်း။",
    "tl": "Unang bersyon.",
}
KINDS = ("terms", "privacy", "data_use")
# Every language the portal speaks (settings.LANGUAGES, issue 15). Written
# out here, not read from settings: a migration must load the same rows
# whatever the settings of the day say.
LANGUAGES = ("en", "ja", "vi", "zh-hans", "id", "ne", "my", "tl")


def policy_file(kind: str, language: str) -> Path:
    return TEXTS / f"{kind}.{language}.md"


def read_policy_text(kind: str, language: str) -> tuple[str, str] | None:
    """(title, body) of a policy text file, or None when there is none.
    The page shows the title itself, so it is taken out of the body."""
    path = policy_file(kind, language)
    if not path.exists():
        return None
    body = path.read_text(encoding="utf-8")
    first = body.splitlines()[0]
    if not first.startswith("#"):
        return kind, body
    return first.lstrip("#").strip()[:200], "\n".join(body.splitlines()[1:]).strip() + "\n"


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.fields)


def _summary(PolicyText, language: str) -> dict[str, str]:
    """The summary of what changed for a text in `language`, where the
    model has the field (since migration 0015; the migrations before it
    run these loaders with their historical models)."""
    return {"summary": SUMMARY[language]} if _has_field(PolicyText, "summary") else {}


def load_first_policies(apps) -> None:
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    now = timezone.now()
    # A first version is not a revision: nothing to announce. (The field is
    # newer than migration 0003, which runs this with its historical model.)
    announced = {"announced_at": now} if _has_field(PolicyVersion, "announced_at") else {}
    # Before migration 0015 the summary was the version's, in two languages.
    summaries = {"summary_en": SUMMARY["en"], "summary_ja": SUMMARY["ja"]}
    summaries = summaries if _has_field(PolicyVersion, "summary_en") else {}
    for kind in KINDS:
        version, created = PolicyVersion.objects.get_or_create(
            kind=kind,
            version=VERSION,
            defaults={
                **summaries,
                "requires_consent": True,
                "published_at": now,
                **announced,
            },
        )
        if not created:
            continue
        for language in ("en", "ja"):
            title, body = read_policy_text(kind, language) or (kind, "")
            PolicyText.objects.create(
                version=version,
                language=language,
                title=title,
                body=body,
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                **_summary(PolicyText, language),
            )
    add_policy_translations(apps)


def add_policy_translations(apps) -> int:
    """Add the translations in policy_texts/ that the first versions lack.

    The translations are of the same version (the same Japanese text), so
    they join that version: no new version, no one is asked to accept again.
    Only where the version's Japanese text is still the file's text (a
    translation of something else would be wrong); never changes a text
    that exists. Safe to run any number of times; returns how many texts
    it added."""
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    added = 0
    for kind in KINDS:
        version = PolicyVersion.objects.filter(kind=kind, version=VERSION).first()
        original = read_policy_text(kind, "ja")
        if version is None or original is None:
            continue
        texts = {t.language: t for t in PolicyText.objects.filter(version=version)}
        if "ja" not in texts or texts["ja"].body != original[1]:
            continue
        for language in LANGUAGES:
            found = read_policy_text(kind, language)
            if language in texts or found is None:
                continue
            title, body = found
            PolicyText.objects.create(
                version=version,
                language=language,
                title=title,
                body=body,
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                **_summary(PolicyText, language),
            )
            added += 1
    return added


def add_policy_summaries(apps) -> int:
    """Give the texts of the first versions their summary ("First version.")
    in their language, where they have none and the version's English
    summary is still the one shipped (staff may have written another).
    Safe to run again; returns how many texts it changed."""
    PolicyText = apps.get_model("consents", "PolicyText")
    changed = 0
    for kind in KINDS:
        texts = {t.language: t for t in PolicyText.objects.filter(version__kind=kind, version__version=VERSION)}
        if "en" in texts and texts["en"].summary not in ("", SUMMARY["en"]):
            continue
        for language, text in texts.items():
            if not text.summary and language in SUMMARY:
                text.summary = SUMMARY[language]
                text.save(update_fields=["summary"])
                changed += 1
    return changed


# Translations corrected within version 2026-11-23 (the Japanese text did not
# change): (kind, language) → the sha256 of the text as first shipped and what
# was corrected. Only that exact text is replaced: a text staff have changed
# since is left alone.
CORRECTIONS = {
    ("terms", "en"): (
        "0acda2270644f4735a704f200f3a87538d199dc1a0f46de88155822f0671a5f0",
        "Articles 2, 4, 21(2) and 22 brought into line with the Japanese text.",
    ),
    ("data_use", "en"): (
        "7b56405b0265eb2e20b4f0ab2baf979f1e3315a9112f4fc261d07823f92ba83b",
        "Articles 2 and 7(4) brought into line with the Japanese text.",
    ),
}


def correct_policy_translations(apps) -> int:
    """Replace each translation in CORRECTIONS by its file in policy_texts/,
    where the version's Japanese text is still the file's and the stored
    translation is exactly the one first shipped; the replaced wording is
    kept as a PolicyTextCorrection. Safe to run again; returns how many
    texts it corrected."""
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    PolicyTextCorrection = apps.get_model("consents", "PolicyTextCorrection")
    corrected = 0
    for (kind, language), (shipped_sha256, note) in CORRECTIONS.items():
        version = PolicyVersion.objects.filter(kind=kind, version=VERSION).first()
        original, found = read_policy_text(kind, "ja"), read_policy_text(kind, language)
        if version is None or original is None or found is None:
            continue
        japanese = PolicyText.objects.filter(version=version, language="ja").first()
        text = PolicyText.objects.filter(version=version, language=language).first()
        if japanese is None or japanese.body != original[1] or text is None or text.sha256 != shipped_sha256:
            continue
        PolicyTextCorrection.objects.create(text=text, previous_body=text.body, previous_sha256=text.sha256, note=note)
        text.title, text.body = found
        # Historical models have no custom save(): the hash is set here.
        text.sha256 = hashlib.sha256(text.body.encode()).hexdigest()
        text.save()
        corrected += 1
    return corrected

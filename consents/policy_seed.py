"""The first published versions of the Terms of Use, the Privacy Policy and
the Data Use Agreement, from consents/policy_texts/ (Japanese prevails).
Used by migration 0003 and to restore reference data in tests."""

import hashlib
from pathlib import Path

from django.utils import timezone

TEXTS = Path(__file__).resolve().parent / "policy_texts"
VERSION = "2026-11-23"
SUMMARY = {"en": "First version.", "ja": "初版。"}


def load_first_policies(apps) -> None:
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    now = timezone.now()
    # A first version is not a revision: nothing to announce. (The field is
    # newer than migration 0003, which runs this with its historical model.)
    announced = {"announced_at": now} if any(f.name == "announced_at" for f in PolicyVersion._meta.fields) else {}
    for kind in ("terms", "privacy", "data_use"):
        version, created = PolicyVersion.objects.get_or_create(
            kind=kind,
            version=VERSION,
            defaults={
                "summary_en": SUMMARY["en"],
                "summary_ja": SUMMARY["ja"],
                "requires_consent": True,
                "published_at": now,
                **announced,
            },
        )
        if not created:
            continue
        for language in ("en", "ja"):
            body = (TEXTS / f"{kind}.{language}.md").read_text(encoding="utf-8")
            first = body.splitlines()[0]
            title = first.lstrip("#").strip() if first.startswith("#") else kind
            # The page shows the title itself: drop it from the body.
            if first.startswith("#"):
                body = "\n".join(body.splitlines()[1:]).strip() + "\n"
            PolicyText.objects.create(
                version=version,
                language=language,
                title=title[:200],
                body=body,
                sha256=hashlib.sha256(body.encode()).hexdigest(),
            )

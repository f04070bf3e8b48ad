"""A candidate's recommended openings (the dashboard and /me/recommended/),
cached per candidate and language.

What is cached: the ids of the candidate's best KEEP openings in the order
of the ranking, and the explanation of each (engine.Match: its reasons are
words in the page's language), under a key made of the candidate's profile,
the time it last changed (`updated_at`: every profile service touches it),
the language, and the generations (config.generations) of the openings and
of the work rules and taxonomies, which matching.receivers bump on every
change. Nothing in it can be another person's: the key starts with the
profile.

What is never cached, but read at every view: whether the candidate's data
may be used for matching now (a restriction of use or a screening decision
hides their recommendations at the very next request: PRODUCT §3, "hidden
from employers and matching"), and which of the openings are still open
(a closing date passes without a write), with the openings' rows themselves
(title, employer, salary) fresh from the database.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from accounts.models import User
from config import generations
from consents import access
from matching import engine
from matching.models import Opening
from profiles.models import CandidateProfile

OPENINGS = generations.OPENINGS
# Taxonomy labels are words in the reasons; the work rules count as taxonomy (matching.receivers).
RULES = generations.TAXONOMY
# Enough for the page of recommendations (the dashboard shows the first 3).
KEEP = 20
# The score counts an opening published in the last 14 days: a ranking is
# kept for a quarter of an hour at most, so that bonus ends on time.
SECONDS = 15 * 60

CARD_RELATED = ("employer", "category", "prefecture", "employment_type", "required_level")


def may_be_matched(user: User) -> bool:
    """May the engine use this person's data now? Not under a screening
    decision, nor while they restrict the use of their data."""
    return not user.screening and not access.is_restricted(user)


def _key(profile: CandidateProfile, language: str) -> str:
    return ":".join(
        [
            "recommended",
            str(profile.pk),
            language,
            str(profile.updated_at.timestamp()),
            *(str(number) for number in generations.current_many([OPENINGS, RULES])),
        ]
    )


def _ranked(profile: CandidateProfile) -> list[tuple[int, engine.Match]]:
    rows = list(engine.rank_openings(profile)[:KEEP])
    return [(row.pk, engine.explain(profile, row, row=row)) for row in rows]


def recommended_for(user: User, profile: CandidateProfile, *, limit: int = KEEP) -> list[tuple[Opening, engine.Match]]:
    """The best open openings for the candidate `user` (whose profile is
    `profile`), at most `limit`, each with why it fits, best first."""
    if profile.user_id != user.pk or not may_be_matched(user):
        return []
    key = _key(profile, get_language() or "en")
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked(profile)
        cache.set(key, ranked, SECONDS)
    if not ranked:
        return []
    still_open = {
        opening.pk: opening
        for opening in engine.open_openings().filter(pk__in=[pk for pk, _match in ranked]).select_related(*CARD_RELATED)
    }
    return [(still_open[pk], match) for pk, match in ranked if pk in still_open][:limit]

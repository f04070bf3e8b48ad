"""Anonymised statistics (seed 004 Art. 1(6)): only about people who agreed
to the use of their data in statistics, in a form that identifies nobody.

- Only candidates with a current opt-in to EmailPurpose.STATISTICS count
  (active accounts, no restriction of use, no screening decision in force).
- Every count below MIN_COUNT is shown as "<5", on the page and in the CSV.
- A hidden count must not be worked out from the others: where the cells of
  a breakdown add up to its total, a breakdown whose hidden cells' sum can
  be read only one way (one hidden cell; 1 + 1; 4 + 4) hides the next
  smallest too, until it cannot (complementary suppression); where nothing
  is left to hide (5 people of 5 nationalities), the hidden cells become
  one unnamed row; a total below MIN_COUNT hides the whole breakdown.
- Hidden numbers never leave this module: a suppressed cell carries no
  value at all."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from consents.models import EmailPurpose, EmailPurposeConsent, ProcessingRestriction
from profiles.models import CandidateProfile, JapaneseCertificate, JobCategory, Prefecture, StatusOfResidence

MIN_COUNT = 5
HIDDEN = "<5"


def OTHERS() -> str:  # noqa: N802 - a label, read in the active language
    return _("Others (not named, so that no one can be recognised)")


def HIDDEN_TOO() -> str:  # noqa: N802 - a label, read in the active language
    return _("hidden")


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: hidden
    # Hidden because it is below MIN_COUNT ("<5"); otherwise hidden so that
    # one that is cannot be worked out ("hidden": never a false "<5").
    small: bool = True

    @property
    def shown(self) -> str:
        if self.count is not None:
            return str(self.count)
        return HIDDEN if self.small else str(HIDDEN_TOO())


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    total: Cell
    cells: list[Cell]
    # True where one person may fall in several cells (kinds of work).
    overlapping: bool = False


def consenting_profiles() -> QuerySet[CandidateProfile]:
    """The profiles statistics may use now."""
    return (
        CandidateProfile.objects.filter(user__is_active=True, user__role=User.Role.CANDIDATE)
        .filter(
            Exists(
                EmailPurposeConsent.objects.filter(user=OuterRef("user"), purpose=EmailPurpose.STATISTICS, granted=True)
            )
        )
        .filter(~Exists(ProcessingRestriction.objects.active().filter(user=OuterRef("user"))))
        .filter(user__screening="")
    )


def suppress(counts: list[tuple[str, int]], total: int, *, additive: bool) -> tuple[Cell, list[Cell]]:
    """Hide counts below MIN_COUNT, and enough others that none can be
    worked out from the total (see the module docstring)."""
    if total < MIN_COUNT:
        return Cell(_("Total"), None), [Cell(label, None) for label, _n in counts]
    small = {index for index, (_label, n) in enumerate(counts) if 0 < n < MIN_COUNT}
    large: set[int] = set()
    if additive:
        # The hidden counts' sum is the total less the shown ones: hide the
        # next smallest while that sum can be read only one way.
        shown = sorted((n, index) for index, (_label, n) in enumerate(counts) if index not in small and n > 0)

        def readable() -> bool:
            return bool(small) and _readable([counts[i][1] for i in small], [counts[i][1] for i in large])

        while readable() and shown:
            large.add(shown.pop(0)[1])
        if readable():
            # Nothing is left to hide (5 people, 5 nationalities: each is 1):
            # every row is hidden, and their names would tell each count. One
            # unnamed row remains, holding the total the reader has anyway.
            return Cell(_("Total"), total), [Cell(OTHERS(), total)]
    cells = [
        Cell(label, None, small=False) if index in large else Cell(label, None if index in small else n)
        for index, (label, n) in enumerate(counts)
    ]
    return Cell(_("Total"), total), cells


def _readable(small: list[int], large: list[int]) -> bool:
    """Would someone who knows the sum of the hidden counts, and reads each
    "<5" as 1 to MIN_COUNT − 1 and each "hidden" as MIN_COUNT or more, work
    out every one of them? Only where that sum is the least it could be, or
    (no "hidden" among them) the most."""
    if len(small) + len(large) == 1:
        return True
    total = sum(small) + sum(large)
    least = len(small) + MIN_COUNT * len(large)
    most = None if large else (MIN_COUNT - 1) * len(small)
    return total in (least, most)


def _breakdown(key: str, title: str, values: Iterable, labels: dict, total: int, *, not_given: str) -> Breakdown:
    counter = Counter(values)
    counts = [(labels[k], counter[k]) for k in labels if counter.get(k)]
    counts.sort(key=lambda item: (-item[1], item[0]))
    if counter.get(None):
        counts.append((not_given, counter[None]))
    total_cell, cells = suppress(counts, total, additive=True)
    return Breakdown(key=key, title=title, total=total_cell, cells=cells)


def statistics() -> list[Breakdown]:
    """Every breakdown: nationality, status of residence, Japanese level,
    kind of work sought, prefecture."""
    profiles = consenting_profiles()
    rows = list(profiles.values_list("pk", "nationality", "status_id", "prefecture_id"))
    total = len(rows)
    ids = [pk for pk, *_rest in rows]
    best_scale: dict[int, int] = {}
    for profile_id, scale in JapaneseCertificate.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "level__scale"
    ):
        best_scale[profile_id] = max(scale, best_scale.get(profile_id, 0))
    nationalities = dict(_countries())
    statuses = {s.pk: s.label for s in StatusOfResidence.objects.all()}
    prefectures = {p.pk: p.label for p in Prefecture.objects.all()}
    scales = {5: "N1", 4: "N2", 3: "N3", 2: "N4", 1: "N5"}
    scale_labels = {k: _("%(level)s or equivalent") % {"level": v} for k, v in scales.items()}
    not_given = _("Not given")
    breakdowns = [
        _breakdown(
            "nationality",
            _("Nationality"),
            (n or None for _pk, n, _s, _p in rows),
            nationalities,
            total,
            not_given=not_given,
        ),
        _breakdown(
            "status",
            _("Status of residence"),
            (s for _pk, _n, s, _p in rows),
            statuses,
            total,
            not_given=not_given,
        ),
        _breakdown(
            "japanese",
            _("Japanese level (best certificate)"),
            (best_scale.get(pk) for pk in ids),
            scale_labels,
            total,
            not_given=_("No certificate"),
        ),
        _breakdown(
            "prefecture",
            _("Prefecture they live in"),
            (p for _pk, _n, _s, p in rows),
            prefectures,
            total,
            not_given=_("Outside Japan or not given"),
        ),
    ]
    through = CandidateProfile.desired_categories.through
    sought = Counter(through.objects.filter(candidateprofile_id__in=ids).values_list("jobcategory_id", flat=True))
    categories = {c.pk: c.label for c in JobCategory.objects.filter(pk__in=sought)}
    counts = sorted(((categories[k], n) for k, n in sought.items()), key=lambda item: (-item[1], item[0]))
    # One person may seek several kinds of work: the cells do not add up to
    # the total, but hiding a second cell beside a lone hidden one costs
    # little and leaves nothing to subtract.
    total_cell, cells = suppress(counts, total, additive=True)
    breakdowns.insert(
        3,
        Breakdown(
            key="category",
            title=_("Kind of work sought (one person may seek several)"),
            total=total_cell,
            cells=cells,
            overlapping=True,
        ),
    )
    return breakdowns


def _countries() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in countries]


def csv_rows(breakdowns: list[Breakdown]) -> list[list[str]]:
    rows = [[_("Breakdown"), _("Value"), _("People")]]
    for breakdown in breakdowns:
        rows.append([breakdown.title, breakdown.total.label, breakdown.total.shown])
        rows.extend([breakdown.title, cell.label, cell.shown] for cell in breakdown.cells)
    return rows

"""Keyword search over openings, in English, Japanese (kanji and kana) and
romaji.

Each opening keeps a denormalised, normalised `search_text` (title,
description, company, city, prefecture and kind of work with their readings
and synonyms) and `search_grams` (every one- and two-character token of it:
CJK characters and pairs, short Latin words), written by
matching.services.opening_save and rebuilt by `manage.py rebuild_search_text`.
Both sides of a comparison go through `normalise` (NFKC, lower case,
katakana folded into hiragana, long-vowel marks dropped from romaji), so
`Tokyo`, `ＴＯＫＹＯ`, `東京`, `とうきょう` and `トウキョウ` meet.

A query word matches an opening when
- it occurs in `search_text` (three characters or more: the pg_trgm GIN
  index on PostgreSQL serves `LIKE '%word%'`), or is one of its short tokens
  (one or two characters: ` 東京 ` in `search_grams`, which the same kind of
  index serves, since a token between spaces is a whole trigram word); or
- it names the opening's prefecture or kind of work in the taxonomies
  (label, reading or synonym; a prefix of two characters or more; or, for a
  Latin word of five letters or more that names nothing, one or two typing
  mistakes away from a name): this is how `nursing` finds 介護 openings.
Every word must match. Why each shown opening matched is said in words
(`reasons`), from the row itself, without queries.

The taxonomy vocabulary is read once per taxonomy generation (two small
queries, then the cache: config.generations): staff edits to readings count
at the next search for the place and kind-of-work match, and after
`rebuild_search_text` for the text match.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from config import generations
from profiles.models import JobCategory, Prefecture

MAX_WORDS = 5
# Generations drop it when a taxonomy changes; this only bounds its life.
VOCABULARY_CACHE_SECONDS = 24 * 3600
# Long vowels written with a macron or circumflex (Tōkyō, Kyûshû).
_ROMAJI = str.maketrans("āīūēôōâîûêÂÎÛÊÔĀĪŪĒŌ", "aiueooaiueaiueoaiueo")
_SPLIT = re.compile(r"[\s,、。・/|;:()\[\]{}「」『』【】!?\"'<>]+")
_WORD = re.compile(r"\w+")


def _fold_kana(text: str) -> str:
    # Katakana ァ..ヶ (U+30A1..U+30F6) sit 0x60 above their hiragana.
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def normalise(text: str) -> str:
    """NFKC (full- and half-width forms), lower case, katakana as hiragana,
    romaji long vowels as plain vowels, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_ROMAJI)
    return " ".join(_fold_kana(text).split())


def _is_ascii(text: str) -> bool:
    return text.isascii()


def grams(text: str) -> str:
    """The one- and two-character tokens of normalised text, each between
    spaces: every CJK (non-ASCII) character and pair of adjacent characters
    within a word, and Latin words of one or two characters."""
    tokens: set[str] = set()
    for word in _WORD.findall(text):
        if _is_ascii(word):
            if len(word) <= 2:
                tokens.add(word)
            continue
        tokens.update(word)
        tokens.update(word[i : i + 2] for i in range(len(word) - 1))
    return " " + " ".join(sorted(tokens)) + " " if tokens else ""


class _Named(Protocol):
    label_en: str
    label_ja: str
    readings: str


def terms_of(entry: _Named) -> list[str]:
    """The normalised names of a taxonomy entry: its labels and each
    reading or synonym."""
    return [normalise(entry.label_en), normalise(entry.label_ja), *normalise(entry.readings).split()]


def search_text_of(opening: Any) -> tuple[str, str]:
    """(search_text, search_grams) for an opening (a model instance, or a
    historical one in a migration: only fields are read)."""
    parts = [
        opening.title,
        opening.description,
        opening.employer.legal_name,
        opening.city,
        *terms_of(opening.prefecture),
        *terms_of(opening.category),
    ]
    text = normalise(" \n ".join(p for p in parts if p))
    return text, grams(text)


# --- Queries -------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it passes `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass
class Vocabulary:
    """Place and kind-of-work names, from the taxonomies."""

    prefectures: dict[int, list[str]]
    categories: dict[int, list[str]]

    @classmethod
    def load(cls) -> "Vocabulary":
        """The names now: read once per taxonomy generation (an entry staff
        edit counts at the next search, config.generations)."""
        generation = generations.current(generations.TAXONOMY)
        key = f"search-vocabulary:{generation}"
        vocabulary = cache.get(key)
        if vocabulary is None:
            vocabulary = cls(
                prefectures={p.pk: terms_of(p) for p in Prefecture.objects.only("label_en", "label_ja", "readings")},
                categories={c.pk: terms_of(c) for c in JobCategory.objects.only("label_en", "label_ja", "readings")},
            )
            cache.set(key, vocabulary, VOCABULARY_CACHE_SECONDS)
        return vocabulary

    @staticmethod
    def _names(word: str, terms: list[str]) -> bool:
        if word in terms:
            return True
        if len(word) < 2 or (_is_ascii(word) and len(word) < 3):
            return False
        return any(term.startswith(word) for term in terms)

    @staticmethod
    def _near(word: str, terms: list[str]) -> bool:
        limit = 1 if len(word) < 8 else 2
        return any(_is_ascii(term) and edit_distance(word, term, limit) <= limit for term in terms)

    def lookup(self, word: str) -> tuple[set[int], set[int], bool]:
        """(prefecture ids, category ids, whether by a typing mistake)."""
        prefectures = {pk for pk, terms in self.prefectures.items() if self._names(word, terms)}
        categories = {pk for pk, terms in self.categories.items() if self._names(word, terms)}
        if prefectures or categories or not (_is_ascii(word) and len(word) >= 5 and word.isalpha()):
            return prefectures, categories, False
        prefectures = {pk for pk, terms in self.prefectures.items() if self._near(word, terms)}
        categories = {pk for pk, terms in self.categories.items() if self._near(word, terms)}
        return prefectures, categories, bool(prefectures or categories)


@dataclass
class Word:
    text: str
    prefectures: set[int] = field(default_factory=set)
    categories: set[int] = field(default_factory=set)
    typo: bool = False

    def q(self) -> Q:
        if len(self.text) <= 2:
            found = Q(search_grams__contains=f" {self.text} ")
        else:
            found = Q(search_text__contains=self.text)
        if self.prefectures:
            found |= Q(prefecture_id__in=sorted(self.prefectures))
        if self.categories:
            found |= Q(category_id__in=sorted(self.categories))
        return found


def words_of(query: str) -> list[str]:
    words = [w for w in _SPLIT.split(normalise(query)) if w]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def parse(query: str) -> list[Word]:
    """The query's words (at most five, normalised), each with the places
    and kinds of work it names."""
    words = words_of(query)
    if not words:
        return []
    vocabulary = Vocabulary.load()
    parsed = []
    for text in words:
        prefectures, categories, typo = vocabulary.lookup(text)
        parsed.append(Word(text, prefectures, categories, typo))
    return parsed


def keyword_q(words: Iterable[Word]) -> Q:
    condition = Q()
    for word in words:
        condition &= word.q()
    return condition


def reasons(opening: Any, words: Iterable[Word]) -> list[str]:
    """Why an opening matched each word, in words: "東京都 (prefecture)",
    "welder (title)". Reads only the row and its select_related entries."""
    said: list[str] = []
    fields = [
        (normalise(opening.title), _("title")),
        (normalise(opening.employer.legal_name), _("company")),
        (normalise(opening.city), _("city")),
        (normalise(opening.description), _("description")),
    ]
    for word in words:
        if opening.prefecture_id in word.prefectures:
            said.append(_("%(name)s (prefecture)") % {"name": opening.prefecture.label})
        elif opening.category_id in word.categories:
            said.append(_("%(name)s (kind of work)") % {"name": opening.category.label})
        else:
            where = next((name for text, name in fields if word.text in text), None)
            if where is None:
                where = _("place or kind of work")
            said.append(_("%(word)s (%(where)s)") % {"word": word.text, "where": where})
    return list(dict.fromkeys(said))

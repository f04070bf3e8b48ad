"""Every page each persona may open, in each of the eight languages (issue 15):
it answers 200 with `<html lang>` set to the language; on a non-English page
the <title> and <h1> are not the English ones, no string of the English
catalogues (ours and allauth's) is left untranslated, no English sentence of
the template is left as the English page has it; and no page in any language
shows a raw code (taxonomy or choice codes such as `ssw_1`, `jlpt_n2`) or
"None".

The pages and who may open them come from tests/access_matrix.py (every row
whose answer for the persona is 200). The personas and objects are made once
for the module (inside a transaction rolled back at its end); each test is
one persona in one language, and reports all its problems together.
"""

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import StaffGroup, User
from consents.models import ShareGrant
from consents.services import share_grant_withdraw
from matching.models import Application, ApplicationMessage, WebhookEndpoint
from profiles.models import CandidateProfile, Labelled
from tests.access_matrix import ROWS
from tests.accounts.factories import CandidateFactory, EmployerAdminFactory, EmployerMemberFactory, StaffFactory
from tests.conftest import PERSONAS, _employer_with_agreement, _publish_care_opening, _share
from tests.i18n.catalogues import english_patterns, translations
from tests.matching.factories import OpeningFactory
from tests.reference_data import ensure_reference_data

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Pages for developers, not people: the API's documentation is in English
# (docs/api.md), like the OpenAPI schema it renders.
NOT_FOR_READERS = {"api:swagger", "api:redoc"}
# Pages whose <title>/<h1> is the object's own name (an opening, a company, a
# person), the same in every language.
NAMED_BY_THEIR_DATA = {
    "matching:opening",
    "matching:company",
    "matching:employer_opening",
    "matching:employer_opening_edit",
    "matching:employer_opening_board",
    "matching:staff_opening",
    "consents:employer_candidate",
    "consents:staff_candidate",
    "accounts:company",
    "accounts:staff_employer_detail",
    "accounts:staff_account_screen",
    "profiles:moderation_report",
    "consents:staff_status_verify",
}


# --- the world: personas and objects, once per module ----------------------------------


class World:
    def __init__(self):
        self.users: dict[str, User | None] = {"anonymous": None}
        self.objects: dict[str, object] = {}
        self.clients: dict[str, Client] = {}

    def __getitem__(self, name):  # what access_matrix's kwargs_from asks for
        return self.objects[name]


def _build_world() -> World:
    """The personas of tests/conftest.py, made once."""
    world = World()
    users = world.users
    users["candidate"] = CandidateFactory(email="candidate@example.test", full_name="Nguyễn Thị Lan")
    users["other_candidate"] = CandidateFactory(email="other.candidate@example.test", full_name="အောင်ကျော်")
    users["employer_admin"] = EmployerAdminFactory(user__email="admin@employer.test").user
    employer = users["employer_admin"].employer_membership.employer
    users["employer_recruiter"] = EmployerMemberFactory(employer=employer, user__email="recruiter@employer.test").user
    granted = _employer_with_agreement()
    _share(users["candidate"], granted, groups=("contact",))
    users["employer_with_grant"] = EmployerMemberFactory(
        employer=granted, user__email="recruiter@granted-employer.test"
    ).user
    revoked = _employer_with_agreement()
    share_grant_withdraw(actor=users["candidate"], grant=_share(users["candidate"], revoked))
    users["revoked_employer"] = EmployerMemberFactory(
        employer=revoked, user__email="recruiter@revoked-employer.test"
    ).user
    users["staff_without_mfa"] = StaffFactory(
        email="new.staff@tsunagu.test", groups=[StaffGroup.COORDINATOR], mfa=False
    )
    users["coordinator"] = StaffFactory(email="coordinator@tsunagu.test", groups=[StaffGroup.COORDINATOR])
    users["privacy_officer"] = StaffFactory(email="privacy@tsunagu.test", groups=[StaffGroup.PRIVACY_OFFICER])
    users["support"] = StaffFactory(email="support@tsunagu.test", groups=[StaffGroup.SUPPORT])
    assert set(users) == set(PERSONAS), "a persona was added to tests/conftest.py: add it here too"

    world.objects["candidate"] = users["candidate"]
    world.objects["employer"] = employer
    world.objects["candidate_profile"] = CandidateProfile.objects.get_or_create(user=users["candidate"])[0]
    world.objects["opening"] = _publish_care_opening(users["employer_admin"])
    grant = ShareGrant.objects.get(candidate=users["candidate"], employer=granted)
    application = Application.objects.create(
        opening=OpeningFactory(employer=granted), candidate=users["candidate"], grant=grant
    )
    world.objects["conversation_message"] = ApplicationMessage.objects.create(
        application=application,
        author=users["employer_with_grant"],
        side=ApplicationMessage.Side.EMPLOYER,
        body="Hello",
    )
    world.objects["webhook_endpoint"] = WebhookEndpoint.objects.create(
        employer=employer, url="https://ats.example.test/hook", secret="whsec_c2VjcmV0", events=["grant.withdrawn"]
    )
    for name, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        world.clients[name] = client
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        yield _build_world()
        transaction.set_rollback(True)


def pages_for(persona: str) -> list[str]:
    return sorted(name for name, row in ROWS.items() if row.expect[persona] == 200 and name not in NOT_FOR_READERS)


# --- reading a page ---------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a reader sees on the page, as text nodes, leaving out what
    is marked as another language (the language picker) and code."""

    SKIP = {"script", "style", "template", "code", "pre", "kbd", "samp"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language.lower()
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[str] = []
        self.attributes: list[str] = []
        self.title = ""
        self.h1 = ""
        self.html_lang = None
        self._in = {"title": False, "h1": False}

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        lang = (attrs.get("lang") or "").lower()
        skipped = (
            self._skipped()
            or tag in self.SKIP
            or (lang and lang.split("-")[0] != self.language.split("-")[0])
            or attrs.get("translate") == "no"
        )
        if not skipped:
            for name in ("aria-label", "placeholder", "title", "alt"):
                if attrs.get(name):
                    self.attributes.append(" ".join(attrs[name].split()))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.attributes.append(attrs["value"])
            if attrs.get("value") == "None":
                self.texts.append("None")
        if tag in self._in:
            self._in[tag] = True
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in self._in:
            self._in[tag] = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if self._in["title"]:
            self.title += data
        if self._in["h1"]:
            self.h1 += data
        if text and not self._skipped():
            self.texts.append(text)


def read(html: str, language: str) -> _Text:
    parser = _Text(language)
    parser.feed(html)
    parser.title = " ".join(parser.title.split())
    parser.h1 = " ".join(parser.h1.split())
    return parser


# --- what must not be on a page ---------------------------------------------------------


@cache
def raw_codes() -> re.Pattern:
    """Codes stored in the database that a page must turn into words:
    taxonomy codes and the values of every choice field, where they cannot
    be mistaken for a word (they have an underscore or a digit)."""
    codes: set[str] = set()
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"accounts", "profiles", "consents", "matching", "outbox"}:
            continue
        if issubclass(model, Labelled):
            codes |= set(model.objects.values_list("code", flat=True))
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.choices:
                codes |= {str(value) for value, _label in field.flatchoices if isinstance(value, str)}
    codes = {c for c in codes if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", c)}
    return re.compile(
        r"(?<![\w/.-])(?:" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")(?![\w/.-])"
    )


# What the world above writes: people's and companies' own words.
DATA = {"Care for elderly residents.", "Work with a friendly team. 研修あり。", "Hello"}
_ENGLISH_SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [a-z]+){2,}[.:?]?$")


def problems_of(page: _Text, english: _Text | None, language: str) -> list[str]:
    found = []
    if page.html_lang != language:
        found.append(f'<html lang="{page.html_lang}">')
    shown = page.texts + page.attributes
    for text in shown:
        # English says "None." or "None yet."; Python's None is a word alone.
        if text == "None" or (language != "en" and re.search(r"\bNone\b", text)):
            found.append(f"'None' in {text[:80]!r}")
        if code := raw_codes().search(text):
            found.append(f"raw code {code.group()!r} in {text[:80]!r}")
    if language == "en" or english is None:
        return found
    said = translations(language)
    if page.title == english.title and page.title.removesuffix(" · Tsunagu") not in said:
        found.append(f"<title> as in English: {page.title!r}")
    if english.h1 and page.h1 == english.h1 and page.h1 not in said:
        found.append(f"<h1> as in English: {page.h1!r}")
    exact, patterns = english_patterns(language)
    english_texts = set(english.texts + english.attributes)
    for text in shown:
        if text in said:
            continue
        if text in exact or patterns.fullmatch(text):
            found.append(f"untranslated: {text[:80]!r}")
        elif _ENGLISH_SENTENCE.match(text) and text in english_texts and text not in DATA:
            found.append(f"English as on the English page: {text[:80]!r}")
    return sorted(set(found))


# --- the tests --------------------------------------------------------------------------

_english_pages: dict[tuple[str, str], _Text] = {}


def fetch(world: World, persona: str, name: str, language: str):
    row = ROWS[name]
    kwargs = dict(row.kwargs)
    if row.kwargs_from:
        kwargs.update(row.kwargs_from(world))
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
    return url, world.clients[persona].get(url)


def english_page(world: World, persona: str, name: str) -> _Text:
    key = (persona, name)
    if key not in _english_pages:
        _url, response = fetch(world, persona, name, "en")
        _english_pages[key] = read(response.content.decode(), "en")
    return _english_pages[key]


def crawl(world: World, persona: str, language: str) -> list[str]:
    problems = []
    for name in pages_for(persona):
        url, response = fetch(world, persona, name, language)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = read(response.content.decode(), language)
        english = english_page(world, persona, name) if language != "en" else None
        if name in NAMED_BY_THEIR_DATA and english is not None:
            english = _without_names(english)
        problems += [f"{url}: {problem}" for problem in problems_of(page, english, language)]
    return problems


def _without_names(english: _Text) -> _Text:
    copy = _Text(english.language)
    copy.texts, copy.attributes, copy.html_lang = english.texts, english.attributes, english.html_lang
    copy.title = copy.h1 = "\0"  # never equal: the name is the object's own
    return copy


# The crawl is some 2,500 requests. English, Japanese, Burmese and Nepali run
# in every quick run; the other four are marked slow (`-m "not slow"` leaves
# them out) but still run in the full suite on the same module fixture.
QUICK = {"en", "ja", "my", "ne"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language", [code if code in QUICK else pytest.param(code, marks=pytest.mark.slow) for code in LANGUAGES]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_in_every_language(world, persona, language):
    problems = crawl(world, persona, language)
    assert not problems, f"{persona} in {language}:\n" + "\n".join(problems)

"""No staff member can act as a candidate (security issue: account takeover
through the outbox).

Every message has a kind that declares its secrets (codes, tokenised links);
what is stored and shown holds their labels, the secrets travel sealed and
are dropped once the message is sent. Here every kind of secret-bearing
message is triggered, then every staff group crawls every page it can reach
and must not find a single secret, while the person the mail was for can
still use it."""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.template import engines
from django.template.base import VariableNode
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from accounts.emails import ALLAUTH_KINDS, INVITATION
from accounts.models import StaffGroup
from accounts.services import invitation_create
from consents import services as consent_services
from consents.campaigns import services as campaign_services
from consents.campaigns.models import Campaign
from consents.models import EmailPurpose
from consents.privacy import emails as privacy_emails
from outbox import delivery
from outbox import kinds as outbox_kinds
from outbox import services as outbox
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, EmployerFactory, StaffFactory
from tests.profiles.factories import CandidateProfileWithPhotoFactory

pytestmark = pytest.mark.django_db

CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
SIX_DIGITS = re.compile(r"\b(\d{6})\b")
TOKEN_PATHS = re.compile(r"/(?:invitations|unsubscribe)/([^/\s\"'<>]+)/")
STAFF_GROUPS = ["coordinator", "privacy_officer", "support"]


class RequestClient(Client):
    """Requests end as in production: work queued for after the commit
    (handing mail to the eager task) runs, so the mail is delivered."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


# --- Every kind declares its secrets -------------------------------------------------

SECRET_LOOKING = re.compile(r"(code|token|key|url|link|password)", re.IGNORECASE)


def _email_templates() -> list[str]:
    """Our own email templates, as template names without the extension."""
    root = Path(settings.BASE_DIR) / "templates"
    names = set()
    for path in root.glob("*/email/*.txt"):
        name = str(path.relative_to(root))[: -len(".txt")]
        names.add(name.removesuffix("_message").removesuffix("_subject"))
    return sorted(names)


def _variables(template_name: str) -> set[str]:
    """The first part of every {{ variable }} in the template and the
    templates it extends or includes."""
    found = set()
    for suffix in (".txt", ".html", "_message.txt", "_subject.txt", "_message.html"):
        try:
            template = engines["django"].engine.get_template(template_name + suffix)
        except Exception:  # noqa: BLE001 - not every variant exists
            continue
        for node in template.nodelist.get_nodes_by_type(VariableNode):
            found.add(
                node.filter_expression.var.var.split(".")[0]
                if hasattr(node.filter_expression.var, "var")
                else str(node.filter_expression.var)
            )
        for block in re.findall(r"{%\s*blocktrans(?:late)?\b[^%]*%}(.*?){%", template.source, re.S):
            found.update(re.findall(r"{{\s*(\w+)", block))
    return found


def _all_kinds():
    # Importing each app's kinds registers them.
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("emails")
    return outbox_kinds.KINDS


def test_every_email_template_belongs_to_a_kind():
    kinds = _all_kinds()
    templated = {kind.template for kind in kinds.values() if kind.template}
    assert set(_email_templates()) - templated == set()


@pytest.mark.parametrize("template", [*_email_templates(), *ALLAUTH_KINDS])
def test_every_value_that_looks_like_a_secret_is_declared(template):
    """A new email that puts a code, token or link in its text must say
    whether it is secret (hidden from everyone but the recipient) or public."""
    kind = next(k for k in _all_kinds().values() if k.template == template)
    undeclared = {
        name
        for name in _variables(template)
        if SECRET_LOOKING.search(name)
        and name not in kind.secrets
        and name not in kind.public
        and name not in ("SITE_URL", "LANGUAGE_CODE")
    }
    assert not undeclared, f"{kind.name}: declare {sorted(undeclared)} as secrets or public"


def test_two_kinds_cannot_share_a_name():
    with pytest.raises(ValueError):
        outbox_kinds.MessageKind(INVITATION.name)


# --- Stored hidden, delivered whole, then forgotten ------------------------------------


def test_an_invitation_is_stored_with_its_link_hidden_and_delivered_with_it(coordinator):
    issued = invitation_create(
        actor=coordinator, employer=EmployerFactory(), email="boss@employer.test", member_role="admin", language="ja"
    )
    row = OutboundEmail.objects.get(kind=INVITATION.name)
    token = issued.url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in row.body_text and token not in row.body_html
    assert "招待リンク" in row.body_text or "[invitation link hidden]" in row.body_text
    assert token not in row.sealed_secrets  # encrypted, not merely encoded

    sent = delivery.build_message(row)
    assert issued.url in sent.body
    html = next(body for body, mime in sent.alternatives if mime == "text/html")
    assert issued.url in html

    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.SENT
    assert row.sealed_secrets == ""  # nothing left to leak
    assert token not in delivery.build_message(row).body


def test_a_cancelled_message_forgets_its_secrets(candidate):
    row = outbox.enqueue_templated(
        kind=privacy_emails.ERASURE_CODE, to=candidate, context={"code": "123456"}, subject="code"
    )
    assert row.sealed_secrets and "123456" not in row.body_text
    outbox.cancel_pending_for(candidate)
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.CANCELLED and row.sealed_secrets == ""


def test_a_message_whose_secrets_cannot_be_read_fails_instead_of_going_out_with_labels(candidate, settings):
    row = outbox.enqueue_templated(
        kind=privacy_emails.ERASURE_CODE, to=candidate, context={"code": "654321"}, subject="code"
    )
    settings.SECRET_KEY = "another-key-entirely-without-the-old-one-as-fallback-0123456789"
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.FAILED and row.sealed_secrets == ""
    assert django_mail.outbox == []


def test_a_rotated_secret_key_kept_as_fallback_still_opens_queued_mail(candidate, settings):
    row = outbox.enqueue_templated(
        kind=privacy_emails.ERASURE_CODE, to=candidate, context={"code": "246810"}, subject="code"
    )
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-key-0123456789-0123456789-0123456789", [old]
    assert delivery.deliver(row.pk) == "sent"
    assert "246810" in django_mail.outbox[-1].body


def test_campaign_rows_hide_each_persons_unsubscribe_link(coordinator):
    person = CandidateFactory(email="reader@example.test")
    consent_services.purpose_consents_set(
        actor=person, user=person, choices={EmailPurpose.LIVING_IN_JAPAN: True}, language="en"
    )
    campaign = campaign_services.campaign_save(
        actor=coordinator,
        campaign=Campaign(
            purpose=EmailPurpose.LIVING_IN_JAPAN,
            subject_en="Rent",
            body_en="How rent works.",
            subject_ja="家賃",
            body_ja="家賃の仕組み。",
        ),
    )
    campaign_services.campaign_schedule(actor=coordinator, campaign=campaign, when=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign_services.campaign_run(campaign.pk)
    row = OutboundEmail.objects.get(campaign_id=campaign.pk)
    [sent] = [m for m in django_mail.outbox if m.to == [person.email]]
    link = re.search(r"https?://\S+/unsubscribe/\S+/", sent.body).group(0)
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    for stored in (row.body_text, row.body_html, str(row.headers), str(row.template_model)):
        assert link not in stored and "/unsubscribe/" not in stored
    assert row.sealed_secrets == ""  # sent: forgotten


# --- The crawl ------------------------------------------------------------------------------


def _trigger_every_secret(request) -> tuple[dict, RequestClient]:
    """Send one of each secret-bearing message. Returns the secrets found in
    the delivered mail (name → value) and the client of the candidate
    who asked for a sign-in code (to finish signing in at the end)."""
    candidate = request.getfixturevalue("candidate")
    recruiter = request.getfixturevalue("employer_recruiter")
    coordinator = request.getfixturevalue("coordinator")
    CandidateProfileWithPhotoFactory(user=candidate)
    secrets = {}

    signing_in = RequestClient()
    signing_in.post(reverse("account_request_login_code"), {"email": candidate.email})
    secrets["sign-in code"] = CODE_LINE.search(django_mail.outbox[-1].body).group(1)

    newcomer = RequestClient()
    form = newcomer.get(reverse("account_signup")).context["form"]
    data = {"email": "newcomer@example.test"}
    data.update({name: "on" for name, field in form.fields.items() if field.required and name != "email"})
    newcomer.post(reverse("account_signup"), data)
    secrets["verification code"] = CODE_LINE.search(django_mail.outbox[-1].body).group(1)

    RequestClient().post(reverse("account_reset_password"), {"email": recruiter.email})
    secrets["password reset code"] = CODE_LINE.search(django_mail.outbox[-1].body).group(1)

    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = invitation_create(
            actor=coordinator,
            employer=EmployerFactory(),
            email="boss@new-employer.test",
            member_role="admin",
            language="en",
        )
    secrets["invitation token"] = issued.url.rstrip("/").rsplit("/", 1)[-1]

    erasing = RequestClient()
    erasing.force_login(candidate)
    erasing.post(reverse("privacy:withdraw"), {"action": "send_code"})
    secrets["erasure code"] = SIX_DIGITS.search(django_mail.outbox[-1].body).group(1)

    consent_services.purpose_consents_set(
        actor=candidate, user=candidate, choices={EmailPurpose.JOB_OPENINGS: True}, language="en"
    )
    campaign = campaign_services.campaign_save(
        actor=coordinator,
        campaign=Campaign(
            purpose=EmailPurpose.JOB_OPENINGS,
            subject_en="Openings",
            body_en="New openings.",
            subject_ja="求人",
            body_ja="新しい求人。",
        ),
    )
    campaign_services.campaign_schedule(actor=coordinator, campaign=campaign, when=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign_services.campaign_run(campaign.pk)
    unsubscribe = [m for m in django_mail.outbox if "/unsubscribe/" in m.body][-1]
    secrets["unsubscribe token"] = TOKEN_PATHS.search(unsubscribe.body).group(1)
    return secrets, signing_in


SKIP = ("logout", "/delete/", "/photo/", "receipt.json", "/download/")


def _crawl(client: Client, starts: list[str], limit: int = 400) -> dict[str, str]:
    """Every page reachable by GET from `starts` within the site."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = urldefrag(queue.popleft())[0]
        if url in seen or any(part in url for part in SKIP):
            continue
        response = client.get(url)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        seen[url] = body
        for href in re.findall(r'(?:href|src|action)="([^"]+)"', body):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            # One language: which parts of a message a page shows does not
            # depend on the language it is read in (tests/i18n crawls every
            # page in every language), and the crawl is the suite's longest.
            if parts.path.startswith("/en/") and href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_no_staff_group_finds_any_secret_on_any_page_it_can_reach(group, request):
    secrets, signing_in = _trigger_every_secret(request)
    staff = StaffFactory(email=f"crawler.{group}@tsunagu.test", groups=[getattr(StaffGroup, group.upper())])
    client = Client()
    client.force_login(staff)
    outbox_rows = [
        reverse("outbox:staff_outbox_email", args=[pk]) for pk in OutboundEmail.objects.values_list("pk", flat=True)
    ]
    starts = [
        reverse("accounts:dashboard"),
        reverse("outbox:staff_outbox"),
        reverse("outbox:staff_suppressions"),
        reverse("admin:index"),
        reverse("privacy:staff_requests"),
        reverse("campaigns:staff_campaigns"),
        reverse("profiles:moderation_queue"),
        *outbox_rows,
    ]
    pages = _crawl(client, starts)
    assert len(pages) > 10
    assert any("/staff/outbox/" in url and body for url, body in pages.items()), "the outbox was not reached"
    found = [(name, url) for url, body in pages.items() for name, value in secrets.items() if value in body]
    assert not found, f"secrets visible to {group}: {found}"

    # The person the code was for can still use it.
    response = signing_in.post(reverse("account_confirm_login_code"), {"code": secrets["sign-in code"]})
    assert response.status_code == 302
    assert signing_in.session.get("_auth_user_id") == str(request.getfixturevalue("candidate").pk)


def test_the_outbox_page_shows_the_kind_and_the_hidden_label(coordinator, candidate):
    client = RequestClient()
    client.post(reverse("account_request_login_code"), {"email": candidate.email})
    row = OutboundEmail.objects.get(kind="allauth.login_code")
    staff = Client()
    staff.force_login(StaffFactory(groups=[StaffGroup.SUPPORT]))
    page = staff.get(reverse("outbox:staff_outbox_email", args=[row.pk])).content.decode()
    assert "allauth.login_code" in page
    assert "[sign-in code hidden]" in page
    # Its history in words, not the events' codes ("— attempt", "— sent").
    assert "— Sending attempt" in page and "— Sent" in page
    assert "— attempt" not in page and "— sent" not in page
    assert CODE_LINE.search(django_mail.outbox[-1].body).group(1) not in page


def test_the_outbox_page_names_a_purpose_in_the_reader_s_language():
    """Staff read what a purpose mail was for, by name, not as a code."""
    row = OutboundEmail.objects.create(
        to_email="someone@example.com",
        stream=OutboundEmail.Stream.BROADCAST,
        purpose=EmailPurpose.LIVING_IN_JAPAN,
        subject="Housing",
        body_text="Hello",
    )
    staff = Client()
    staff.force_login(StaffFactory(groups=[StaffGroup.SUPPORT]))
    for language in ("en", "ja"):
        with translation.override(language):
            page = staff.get(reverse("outbox:staff_outbox_email", args=[row.pk])).content.decode()
            assert str(EmailPurpose.LIVING_IN_JAPAN.label) in page
        assert "living_in_japan" not in page

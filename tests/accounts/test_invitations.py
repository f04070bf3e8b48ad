"""Employer onboarding: staff create employers and invite their admin; the
admin invites recruiters; an invitation link works once, for one address,
until it expires or is withdrawn."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Employer, EmployerInvitation, EmployerMember, User, hash_token
from tests.accounts.factories import (
    AcceptedInvitationFactory,
    CandidateFactory,
    EmployerFactory,
    EmployerInvitationFactory,
    ExpiredInvitationFactory,
    RevokedInvitationFactory,
)
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "kusunoki-tower-1987-blue"


def accept_url(token: str) -> str:
    return reverse("accounts:invitation_accept", kwargs={"token": token})


def accept_form(**overrides) -> dict:
    return {"full_name": "Sato Hanako", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD} | overrides


def text(response) -> str:
    return response.content.decode()


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


# --- Who may invite whom (services) --------------------------------------------


def test_staff_invites_an_admin_and_the_link_is_emailed_after_commit(coordinator, django_capture_on_commit_callbacks):
    employer = EmployerFactory(legal_name="株式会社さくら介護")

    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invitation_create(
            actor=coordinator, employer=employer, email=" New.Admin@Sakura.test ", member_role="admin", language="en"
        )
        assert mail.outbox == [], "the email goes out only once the invitation is saved"

    invitation = issued.invitation
    assert invitation.email == "new.admin@sakura.test"
    assert invitation.state == "open"
    assert invitation.token_hash == hash_token(issued.token) != issued.token
    assert invitation.expires_at - timezone.now() > timedelta(days=6)

    [message] = mail.outbox
    assert message.to == ["new.admin@sakura.test"]
    assert "株式会社さくら介護" in message.subject
    assert issued.url in message.body
    assert issued.url.startswith("http") and issued.url.endswith(accept_url(issued.token))
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{issued.url}"' in html


def test_the_invitation_email_is_in_the_invitations_language(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invitation_create(
            actor=coordinator,
            employer=EmployerFactory(),
            email="tanaka@example.test",
            member_role="admin",
            language="ja",
        )

    [message] = mail.outbox
    assert "/ja/invitations/" in issued.url
    assert issued.url in message.body
    html, _ = message.alternatives[0]
    assert '<html lang="ja">' in html


def test_employer_admin_invites_a_recruiter(employer_admin, employer):
    issued = services.invitation_create(
        actor=employer_admin, employer=employer, email="recruiter2@employer.test", member_role="recruiter"
    )
    assert issued.invitation.member_role == EmployerMember.Role.RECRUITER
    assert issued.invitation.invited_by == employer_admin


@pytest.mark.parametrize(
    ("actor", "role"),
    [
        ("employer_admin", "admin"),  # an admin cannot make another admin
        ("employer_recruiter", "recruiter"),
        ("other_employer_admin", "recruiter"),
        ("candidate", "recruiter"),
    ],
)
def test_who_may_not_invite(actor, role, employer, request):
    user = request.getfixturevalue(actor)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=user, employer=employer, email="someone@employer.test", member_role=role)
    assert not EmployerInvitation.objects.filter(email="someone@employer.test").exists()


def test_an_address_that_already_has_an_account_cannot_be_invited(coordinator, candidate):
    with pytest.raises(ValidationError) as caught:
        services.invitation_create(
            actor=coordinator, employer=EmployerFactory(), email=candidate.email.upper(), member_role="admin"
        )
    assert "already has a Tsunagu account" in str(caught.value)
    assert not EmployerInvitation.objects.exists()


def test_inviting_the_same_address_again_withdraws_the_earlier_link(client, coordinator):
    employer = EmployerFactory()
    first = services.invitation_create(actor=coordinator, employer=employer, email="admin@x.test", member_role="admin")
    second = services.invitation_create(actor=coordinator, employer=employer, email="ADMIN@x.test", member_role="admin")

    first.invitation.refresh_from_db()
    assert first.invitation.state == "revoked"
    assert second.invitation.state == "open"
    response = client.get(accept_url(first.token))
    assert response.status_code == 410
    assert "withdrawn" in text(response)
    assert client.get(accept_url(second.token)).status_code == 200


def test_admin_withdraws_a_recruiter_invitation_but_not_an_admin_one(employer_admin, employer, coordinator):
    recruiter_invitation = EmployerInvitationFactory(employer=employer, member_role="recruiter")
    admin_invitation = EmployerInvitationFactory(employer=employer, member_role="admin")

    services.invitation_revoke(actor=employer_admin, invitation=recruiter_invitation)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=employer_admin, invitation=admin_invitation)

    assert EmployerInvitation.objects.get(pk=recruiter_invitation.pk).state == "revoked"
    assert EmployerInvitation.objects.get(pk=admin_invitation.pk).state == "open"
    services.invitation_revoke(actor=coordinator, invitation=admin_invitation)
    assert EmployerInvitation.objects.get(pk=admin_invitation.pk).state == "revoked"


# --- Accepting (services) -----------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "recruiter"])
def test_accepting_makes_a_member_with_the_invited_role_and_a_verified_address(role):
    invitation = EmployerInvitationFactory(
        token="tok-accept", member_role=role, email="hanako@sakura.test", language="ja"
    )

    user = services.invitation_accept(token="tok-accept", full_name="  佐藤 花子 ", password=STRONG_PASSWORD)

    assert user.role == User.Role.EMPLOYER
    assert user.full_name == "佐藤 花子"
    assert user.language == "ja"
    assert user.check_password(STRONG_PASSWORD)
    assert user.employer_membership.employer == invitation.employer
    assert user.employer_membership.role == role
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("hanako@sakura.test", True, True)
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert invitation.accepted_by == user


@pytest.mark.parametrize(
    ("factory", "reason"),
    [
        (AcceptedInvitationFactory, "accepted"),
        (RevokedInvitationFactory, "revoked"),
        (ExpiredInvitationFactory, "expired"),
    ],
)
def test_an_invitation_that_is_not_open_cannot_be_accepted(factory, reason):
    factory(token="tok-closed", email="late@employer.test")
    with pytest.raises(services.InvitationUnusable) as caught:
        services.invitation_accept(token="tok-closed", full_name="Late", password=STRONG_PASSWORD)
    assert caught.value.reason == reason
    assert not User.objects.filter(email="late@employer.test").exists()


def test_a_weak_password_is_refused_and_the_invitation_stays_open():
    invitation = EmployerInvitationFactory(token="tok-weak", email="weak@employer.test")
    with pytest.raises(ValidationError):
        services.invitation_accept(token="tok-weak", full_name="Weak", password="password")
    assert not User.objects.filter(email="weak@employer.test").exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"


# --- The invitation link (view) --------------------------------------------------------


def test_invitee_accepts_and_is_signed_in_as_a_recruiter(client):
    invitation = EmployerInvitationFactory(token="tok-recruiter", member_role="recruiter", email="r@employer.test")

    page = client.get(accept_url("tok-recruiter"))
    assert page.status_code == 200
    assert invitation.employer.legal_name in text(page)
    assert "r@employer.test" in text(page)

    response = client.post(accept_url("tok-recruiter"), accept_form(full_name="Suzuki Ichiro"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    user = signed_in_user(client)
    assert user.email == "r@employer.test"
    assert user.employer_membership.role == EmployerMember.Role.RECRUITER
    # The next page they see (whatever else it asks of them) welcomes them.
    next_page = client.get(response["Location"], follow=True)
    assert next_page.status_code == 200
    assert "Welcome to Tsunagu" in text(next_page)
    assert signed_in_user(client) == user


def test_an_invited_admin_is_sent_to_set_up_mfa_first(client):
    EmployerInvitationFactory(token="tok-admin", member_role="admin", email="a@employer.test")

    response = client.post(accept_url("tok-admin"), accept_form(), follow=True)

    assert signed_in_user(client).employer_membership.role == EmployerMember.Role.ADMIN
    assert response.redirect_chain[0] == (reverse("accounts:dashboard"), 302)
    assert response.redirect_chain[1][0].startswith(reverse("mfa_activate_totp"))
    for url_name in ("accounts:dashboard", "accounts:company"):
        answer = client.get(reverse(url_name))
        assert answer.status_code == 302
        assert answer["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (AcceptedInvitationFactory, "already been used"),
        (RevokedInvitationFactory, "withdrawn"),
        (ExpiredInvitationFactory, "expired"),
    ],
)
def test_a_closed_link_says_why(client, factory, message):
    factory(token="tok-closed")
    for response in (client.get(accept_url("tok-closed")), client.post(accept_url("tok-closed"), accept_form())):
        assert response.status_code == 410
        assert message in text(response)
    assert User.objects.filter(role=User.Role.EMPLOYER).count() == 0


def test_an_unknown_link_is_not_found(client):
    response = client.get(accept_url("no-such-token"))
    assert response.status_code == 404
    assert "not valid" in text(response)
    assert client.get(accept_url("x" * 500)).status_code == 404


def test_the_link_works_once(client):
    EmployerInvitationFactory(token="tok-once", email="once@employer.test")
    assert client.post(accept_url("tok-once"), accept_form()).status_code == 302

    again = Client().post(accept_url("tok-once"), accept_form(full_name="Someone Else"))

    assert again.status_code == 410
    assert "already been used" in text(again)
    assert User.objects.filter(email="once@employer.test").count() == 1
    assert User.objects.get(email="once@employer.test").full_name == "Sato Hanako"


def test_a_link_that_expires_while_open_in_the_browser_is_refused(client):
    invitation = EmployerInvitationFactory(token="tok-late")
    assert client.get(accept_url("tok-late")).status_code == 200

    # Time passes: the week is over before the form is sent.
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save(update_fields=["expires_at"])
    response = client.post(accept_url("tok-late"), accept_form())

    assert response.status_code == 410
    assert "expired" in text(response)
    assert signed_in_user(client) is None


def test_an_address_that_got_an_account_meanwhile_is_refused_and_nothing_is_created(client):
    invitation = EmployerInvitationFactory(token="tok-taken", email="taken@example.test")
    CandidateFactory(email="taken@example.test")

    response = client.post(accept_url("tok-taken"), accept_form())

    assert response.status_code == 410
    assert "already exists" in text(response)
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1
    assert not EmployerMember.objects.filter(user__email="taken@example.test").exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"
    assert signed_in_user(client) is None


def test_someone_signed_in_is_asked_to_sign_out_first(client, candidate):
    EmployerInvitationFactory(token="tok-signed-in")
    client.force_login(candidate)
    response = client.get(accept_url("tok-signed-in"))
    assert response.status_code == 410
    assert "Sign out first" in text(response)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    EmployerInvitationFactory(token="tok-race", email="race@employer.test")
    statuses = at_once(lambda: Client().post(accept_url("tok-race"), accept_form()).status_code)

    assert sorted(statuses) == [302, 410]
    assert User.objects.filter(email="race@employer.test").count() == 1
    assert EmployerMember.objects.filter(user__email="race@employer.test").count() == 1


# --- Bad input on the acceptance form --------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"full_name": "", "password1": "", "password2": ""}, "full_name", "This field is required."),
        ({"full_name": "   "}, "full_name", "This field is required."),
        ({"full_name": "名" * 10_000}, "full_name", "at most 150 characters"),
        ({"password2": STRONG_PASSWORD + "x"}, "password2", "The two passwords differ."),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password1": "short1", "password2": "short1"}, "password1", "too short"),
        ({"password1": "73829104657382", "password2": "73829104657382"}, "password1", "entirely numeric"),
        ({"password1": "x" * 200, "password2": "x" * 200}, "password1", "at most 128 characters"),
    ],
)
def test_bad_input_on_the_acceptance_form_is_explained(client, form, field, message):
    EmployerInvitationFactory(token="tok-bad", email="bad@employer.test")

    response = client.post(accept_url("tok-bad"), accept_form(**form))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in text(response)
    assert not User.objects.filter(email="bad@employer.test").exists()
    assert signed_in_user(client) is None


def test_a_password_like_the_address_is_refused(client):
    EmployerInvitationFactory(token="tok-similar", email="kusunoki.tower@employer.test")
    response = client.post(
        accept_url("tok-similar"), accept_form(password1="kusunoki.tower", password2="kusunoki.tower")
    )
    assert response.status_code == 200
    assert "too similar" in text(response)
    assert not User.objects.filter(email="kusunoki.tower@employer.test").exists()


@pytest.mark.parametrize(
    "name",
    ["佐藤 花子", "မြန်မာ ကျော်ကျော်", "Lan 🌸 Nguyễn", "<script>alert(1)</script>", 'O\'Brien & "Sons"'],
)
def test_names_in_any_script_round_trip_and_are_escaped(name, employer_admin, employer):
    EmployerInvitationFactory(token="tok-name", employer=employer, member_role="recruiter", email="n@employer.test")
    Client().post(accept_url("tok-name"), accept_form(full_name=name))

    assert User.objects.get(email="n@employer.test").full_name == name

    client = Client()
    client.force_login(employer_admin)
    page = text(client.get(reverse("accounts:company")))
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    escaped = escaped.replace("'", "&#x27;")
    assert escaped in page
    if escaped != name:
        assert name not in page


# --- Staff pages: employers and their first admin -------------------------------------


def employer_form(**overrides) -> dict:
    return {
        "legal_name": "株式会社さくら介護サービス",
        "corporate_number": "7000012050002",
        "industry": "care",
        "postal_code": "1000013",
        "address": "東京都千代田区霞が関3-1-1",
        "contact_name": "佐藤 花子",
        "contact_email": "hr@sakura.test",
        "contact_phone": "03-1234-5678",
    } | overrides


def test_staff_creates_an_employer_then_invites_its_admin(
    persona_client, coordinator, django_capture_on_commit_callbacks
):
    client = persona_client("coordinator")

    response = client.post(
        reverse("accounts:staff_employer_create"), employer_form(corporate_number="7-0000-1205-0002")
    )

    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff_employer_detail", kwargs={"pk": employer.pk})
    assert employer.corporate_number == "7000012050002"
    assert employer.created_by == coordinator

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:staff_employer_detail", kwargs={"pk": employer.pk}),
            {"email": "hanako@sakura.test", "member_role": "admin", "language": "en"},
            follow=True,
        )

    assert response.status_code == 200
    assert "Invitation sent to hanako@sakura.test" in text(response)
    invitation = EmployerInvitation.objects.get(employer=employer)
    assert (invitation.email, invitation.member_role) == ("hanako@sakura.test", "admin")
    assert invitation.invited_by == coordinator
    [message] = mail.outbox
    assert message.to == ["hanako@sakura.test"]
    link = message.body.split("http://", 1)[1].split()[0]
    link_path = "/" + link.split("/", 1)[1]
    assert link_path.startswith("/en/invitations/")

    # The emailed link is the way in.
    invitee = Client()
    assert invitee.post(link_path, accept_form()).status_code == 302
    assert signed_in_user(invitee).employer_membership.employer == employer


def test_staff_cannot_invite_an_address_with_an_account(persona_client, candidate):
    employer = EmployerFactory()
    response = persona_client("coordinator").post(
        reverse("accounts:staff_employer_detail", kwargs={"pk": employer.pk}),
        {"email": candidate.email, "member_role": "admin", "language": "en"},
    )
    assert response.status_code == 200
    assert "already has a Tsunagu account" in text(response)
    assert not EmployerInvitation.objects.exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"legal_name": ""}, "This field is required."),
        ({"address": "", "contact_name": ""}, "This field is required."),
        ({"legal_name": "株" * 10_000}, "at most 200 characters"),
        ({"contact_email": "not-an-address"}, "Enter a valid email address."),
        ({"contact_email": "a@b@c.test"}, "Enter a valid email address."),
        ({"corporate_number": "8000012050002"}, "check digit is wrong"),
        ({"corporate_number": "700001205000"}, "exactly 13 digits"),
        ({"corporate_number": "７０００１２０５０００２"}, "half-width"),
        ({"corporate_number": "7000-0120-5000-2A"}, "exactly 13 digits"),
        ({"corporate_number": ""}, "This field is required."),
        ({"industry": "casino"}, "Select a valid choice."),
    ],
)
def test_bad_employer_input_is_explained(persona_client, form, message):
    response = persona_client("coordinator").post(reverse("accounts:staff_employer_create"), employer_form(**form))

    assert response.status_code == 200
    assert message in text(response)
    assert not Employer.objects.exists()


def test_a_corporate_number_already_onboarded_is_refused(persona_client):
    EmployerFactory(corporate_number="7000012050002")
    response = persona_client("coordinator").post(reverse("accounts:staff_employer_create"), employer_form())
    assert response.status_code == 200
    assert "already exists" in text(response)
    assert Employer.objects.count() == 1


def test_employer_names_in_any_script_are_kept_and_escaped(persona_client):
    name = "株式会社 <b>မြန်မာ</b> 🏭 & Co."
    client = persona_client("coordinator")
    client.post(reverse("accounts:staff_employer_create"), employer_form(legal_name=name))
    employer = Employer.objects.get()
    assert employer.legal_name == name

    page = text(client.get(reverse("accounts:staff_employer_detail", kwargs={"pk": employer.pk})))
    assert "株式会社 &lt;b&gt;မြန်မာ&lt;/b&gt; 🏭 &amp; Co." in page
    assert "<b>မြန်မာ</b>" not in page


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "This field is required."),
        ("not an email", "Enter a valid email address."),
        ("a" * 10_000 + "@x.test", "Enter a valid email address."),
    ],
)
def test_bad_invitation_input_is_explained(persona_client, email, message):
    employer = EmployerFactory()
    response = persona_client("coordinator").post(
        reverse("accounts:staff_employer_detail", kwargs={"pk": employer.pk}),
        {"email": email, "member_role": "admin", "language": "en"},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not EmployerInvitation.objects.exists()


# --- The company page: an admin invites recruiters ---------------------------------------


def test_admin_invites_a_recruiter_from_the_company_page(persona_client, employer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = persona_client("employer_admin").post(
            reverse("accounts:company"),
            {"email": "new.recruiter@employer.test", "member_role": "recruiter", "language": "ja"},
        )

    assert response.status_code == 302
    invitation = EmployerInvitation.objects.get(email="new.recruiter@employer.test")
    assert (invitation.employer, invitation.member_role, invitation.language) == (employer, "recruiter", "ja")
    assert [m.to for m in mail.outbox] == [["new.recruiter@employer.test"]]
    assert "/ja/invitations/" in mail.outbox[0].body


def test_admin_cannot_invite_another_admin_from_the_company_page(persona_client, employer):
    response = persona_client("employer_admin").post(
        reverse("accounts:company"), {"email": "second.admin@employer.test", "member_role": "admin", "language": "en"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not EmployerInvitation.objects.exists()


def test_recruiter_cannot_invite(persona_client, employer):
    client = persona_client("employer_recruiter")
    page = client.get(reverse("accounts:company"))
    assert page.status_code == 200
    assert 'name="email"' not in text(page)

    response = client.post(
        reverse("accounts:company"), {"email": "friend@employer.test", "member_role": "recruiter", "language": "en"}
    )

    assert response.status_code == 403
    assert not EmployerInvitation.objects.exists()


def test_admin_withdraws_a_recruiter_invitation_from_the_company_page(persona_client, employer):
    invitation = EmployerInvitationFactory(employer=employer, member_role="recruiter", email="gone@employer.test")

    response = persona_client("employer_admin").post(
        reverse("accounts:company_invitation_revoke", kwargs={"pk": invitation.pk}), follow=True
    )

    assert response.status_code == 200
    assert "Invitation withdrawn." in text(response)
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_an_admin_cannot_see_or_touch_another_employers_invitations(persona_client, employer, other_employer_admin):
    theirs = EmployerInvitationFactory(
        employer=other_employer_admin.employer_membership.employer, member_role="recruiter", email="theirs@other.test"
    )
    client = persona_client("employer_admin")

    assert "theirs@other.test" not in text(client.get(reverse("accounts:company")))
    response = client.post(reverse("accounts:company_invitation_revoke", kwargs={"pk": theirs.pk}))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "open"


def test_recruiter_cannot_withdraw_invitations(persona_client, employer):
    invitation = EmployerInvitationFactory(employer=employer, member_role="recruiter")
    response = persona_client("employer_recruiter").post(
        reverse("accounts:company_invitation_revoke", kwargs={"pk": invitation.pk})
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == "open"

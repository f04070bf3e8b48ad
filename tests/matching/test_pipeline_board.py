"""The pipeline board (issue 14): an opening's applications in columns by
state, moved by a form without JavaScript (each move tells the candidate
through the outbox), bulk actions (move, reject with a reason, message from
a template in each candidate's language); refusal reasons private unless
told, with a courteous message; message templates per language."""

import pytest
from django.urls import reverse

from matching import exports
from matching.models import Application, ApplicationMessage, Message, MessageTemplate
from outbox.models import OutboundEmail
from tests.matching.factories import (
    ApplicationFactory,
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    recruiter_of,
)
from tests.matching.talk import signed_in
from tests.matching.test_query_counts import assert_constant

pytestmark = pytest.mark.django_db


def apply(job, name="PHAM THI HOA", language="en") -> Application:
    profile = CompleteCandidateProfileFactory(name_passport=name, user__language=language)
    return ApplicationFactory(opening=job, candidate=profile.user)


def board_url(job) -> str:
    return reverse("matching:employer_opening_board", args=[job.pk])


def test_the_board_shows_columns_and_a_move_works_without_javascript(job, recruiter):
    application = apply(job)
    html = signed_in(recruiter).get(board_url(job)).content.decode()
    assert "PHAM THI HOA" in html and 'data-state="screening"' in html
    assert f'id="move-{application.pk}-screening"' in html
    before = Message.objects.filter(recipient=application.candidate).count()

    response = signed_in(recruiter).post(
        board_url(job), {"action": "move", "application": application.pk, "to_state": "screening"}, follow=True
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == "screening"
    assert Message.objects.filter(recipient=application.candidate).count() == before + 1
    assert OutboundEmail.objects.filter(recipient=application.candidate, subject__contains="Screening").exists()


def test_a_refused_move_says_why_and_changes_nothing(job, recruiter):
    application = apply(job)
    response = signed_in(recruiter).post(
        board_url(job), {"action": "move", "application": application.pk, "to_state": "hired"}, follow=True
    )
    assert "cannot go from" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "applied"


def test_bulk_reject_with_a_private_reason_and_a_courteous_message(job, recruiter):
    first, second = apply(job, "A ONE"), apply(job, "B TWO", language="ja")
    signed_in(recruiter).post(
        board_url(job),
        {"action": "reject", "application": [first.pk, second.pk], "refusal_reason": "japanese"},
    )
    for application in (first, second):
        application.refresh_from_db()
        assert (application.state, application.refusal_reason, application.refusal_reason_told) == (
            "not_selected",
            "japanese",
            False,
        )
    notice = Message.objects.filter(recipient=first.candidate).order_by("-pk").first()
    assert "Thank you very much for your interest" in notice.body
    assert "Japanese level" not in notice.body  # private to the employer
    japanese = Message.objects.filter(recipient=second.candidate).order_by("-pk").first()
    assert "Thank you very much" not in japanese.body  # in the candidate's language
    assert exports.section(first.candidate)[1]["applications"][0]["refusal_reason"] == ""


def test_a_reason_told_reaches_the_candidate_in_their_words(job, recruiter):
    application = apply(job)
    signed_in(recruiter).post(
        reverse("matching:employer_application", args=[application.pk]),
        {"action": "move", "to_state": "not_selected", "refusal_reason": "filled", "tell_reason": "on"},
    )
    notice = Message.objects.filter(recipient=application.candidate).order_by("-pk").first()
    assert "The employer's reason: The position has been filled" in notice.body
    assert exports.section(application.candidate)[1]["applications"][0]["refusal_reason"] == "filled"


def test_bulk_message_from_a_template_in_each_candidates_language(job, recruiter, company):
    english, japanese = apply(job, "A ONE"), apply(job, "B TWO", language="ja")
    client = signed_in(recruiter)
    versions = (
        ("en", "Thank you for applying to {opening}."),
        ("ja", "{employer}の{opening}にご応募ありがとうございます。"),
    )
    for language, body in versions:
        client.post(
            reverse("matching:employer_message_templates"),
            {"kind": "interview", "name": "Thanks", "language": language, "body": body},
        )
    template = MessageTemplate.objects.get(language="en")
    client.post(
        board_url(job), {"action": "message", "application": [english.pk, japanese.pk], "template": template.pk}
    )
    bodies = dict(ApplicationMessage.objects.values_list("application_id", "body"))
    assert bodies[english.pk] == f"Thank you for applying to {job.title}."
    assert bodies[japanese.pk] == f"{company.legal_name}の{job.title}にご応募ありがとうございます。"


def test_templates_belong_to_their_employer(job, recruiter):
    signed_in(recruiter).post(
        reverse("matching:employer_message_templates"),
        {"kind": "refusal", "name": "No", "language": "en", "body": "Sorry."},
    )
    template = MessageTemplate.objects.get()
    stranger = recruiter_of(EmployerWithAgreementFactory())
    assert signed_in(stranger).get(reverse("matching:employer_message_template", args=[template.pk])).status_code == 404
    application = apply(job)
    other_job = OpeningFactory(employer=stranger.employer_membership.employer)
    response = signed_in(stranger).post(
        reverse("matching:employer_opening_board", args=[other_job.pk]),
        {"action": "message", "application": [application.pk], "template": template.pk},
    )
    assert response.status_code == 302 and not ApplicationMessage.objects.exists()
    # A duplicate name and language is refused, a hostile one is stored as text.
    response = signed_in(recruiter).post(
        reverse("matching:employer_message_templates"),
        {"kind": "refusal", "name": "No", "language": "en", "body": "<b>again</b>"},
    )
    assert response.status_code == 400 and MessageTemplate.objects.count() == 1


def test_another_employer_cannot_open_or_post_to_the_board(job):
    stranger = recruiter_of(EmployerWithAgreementFactory())
    assert signed_in(stranger).get(board_url(job)).status_code == 404
    assert signed_in(stranger).post(board_url(job), {"action": "move"}).status_code == 404


def test_the_board_runs_the_same_queries_whatever_the_number_of_cards(job, recruiter):
    apply(job, "FIRST ONE")
    assert_constant(
        signed_in(recruiter),
        board_url(job),
        lambda: [apply(job, f"MORE {i}") for i in range(4)],
        ["FIRST ONE"],
        ["FIRST ONE", "MORE 3"],
    )

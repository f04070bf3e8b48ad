"""The staff dashboard: each group lands on the figures of its own work,
checked against rows made by the factories; charts carry a text
alternative, a table beside them, and a word (not only a colour) on what
needs attention."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import charts
from accounts.charts import bar_chart
from accounts.dashboard import Bar, Chart
from consents.privacy.models import AccountErasure, DataExport, Incident, PrivacyRequest
from consents.privacy.services import incident_record, privacy_request_submit
from matching.models import ApplicationEvent, ApplicationState, Proposal
from outbox.models import OutboundEmail, Suppression
from tests.matching.factories import CompleteCandidateProfileFactory, OpeningFactory, move_to, submit

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("accounts:dashboard")


def page(persona_client, persona) -> str:
    response = persona_client(persona).get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, label: str) -> str:
    match = re.search(r"<li><strong>([^<]*)</strong>" + re.escape(label) + "</li>", html)
    assert match, label
    return match.group(1)


def test_coordinators_see_openings_waiting_proposals_the_funnel_and_time_to_hire(persona_client, coordinator):
    waiting = OpeningFactory(title="Nobody applied yet")
    busy = OpeningFactory(title="Popular job")
    applicants = [CompleteCandidateProfileFactory(desired_categories=["it_engineering"]).user for _ in range(3)]
    applications = [submit(person, busy) for person in applicants]
    move_to(applications[0], ApplicationState.HIRED)
    move_to(applications[1], ApplicationState.INTERVIEW)
    # The hire took 12 days.
    ApplicationEvent.objects.filter(application=applications[0], to_state="hired").update(
        occurred_at=applications[0].created_at + timedelta(days=12)
    )
    proposed = CompleteCandidateProfileFactory().user
    Proposal.objects.create(opening=waiting, candidate=proposed, proposed_by=coordinator)

    html = page(persona_client, "coordinator")
    assert figure(html, "open openings without applications") == "1"
    assert "Nobody applied yet" in html and reverse("matching:staff_opening", args=[waiting.pk]) in html
    assert figure(html, "proposals waiting for the candidate") == "1"
    assert figure(html, "hires in the last 12 months") == "1"
    assert figure(html, "median days from application to hire") == "12"
    # Funnel: 3 applied, 2 reached interview (one went on to the hire), 1 hired.
    funnel = html[html.index("Pipeline funnel") :]
    assert re.search(r'<th scope="row">Applied</th><td>3', funnel)
    assert re.search(r'<th scope="row">Interview</th><td>2', funnel)
    assert re.search(r'<th scope="row">Hired</th><td>1', funnel)
    # No privacy or outbox panel for coordinators.
    assert "Privacy requests</h2>" not in html and "Email delivery" not in html


def test_privacy_officers_see_requests_by_state_and_law_with_days_left_and_overdue_marked(
    persona_client, privacy_officer
):
    def request(country, **changes):
        item = privacy_request_submit(
            requester=None,
            name="A",
            email="a@example.test",
            country=country,
            us_state="",
            kind="gdpr_access" if country == "FR" else "appi_disclosure",
            details="",
            language="en",
        )
        PrivacyRequest.objects.filter(pk=item.pk).update(**changes)
        return item

    request("FR")
    late = request("JP", due_on=timezone.localdate() - timedelta(days=3))
    request("JP", state="answered")
    html = page(persona_client, "privacy_officer")
    assert figure(html, "open requests") == "2"
    assert figure(html, "overdue") == "1"
    assert re.search(r'<th scope="row">EEA \(GDPR\)</th><td>1', html)
    assert re.search(r'<th scope="row">Japan \(APPI\)</th><td>1', html)
    row = re.search(r'<tr class="overdue">(.*?)</tr>', html, re.S).group(1)
    assert reverse("privacy:staff_request", args=[late.pk]) in row
    assert "3 days overdue" in row and "OVERDUE" in row  # a word, not only the red
    assert "days left" in html


def test_privacy_officers_see_incident_deadlines_exports_and_erasures_this_month(
    persona_client, privacy_officer, candidate
):
    incident_record(
        actor=privacy_officer,
        incident=Incident(
            discovered_at=timezone.now() - timedelta(days=6),
            description="Leak",
            data_categories="contact",
            sensitive_data=True,
        ),
    )
    DataExport.objects.create(user=candidate)
    AccountErasure.objects.create(trigger=AccountErasure.Trigger.SELF)
    AccountErasure.objects.create(trigger=AccountErasure.Trigger.INACTIVITY)
    AccountErasure.objects.create(trigger=AccountErasure.Trigger.SELF, erased_at=timezone.now() - timedelta(days=70))
    html = page(persona_client, "privacy_officer")
    assert figure(html, "incidents without a final report") == "1"
    assert figure(html, "data exports this month") == "1"
    assert figure(html, "accounts erased this month") == "2"
    row = re.search(r'<tr class="overdue">(.*?)</tr>', html, re.S).group(1)
    assert "Preliminary report" in row and "1 day overdue" in row


def test_support_sees_outbox_states_bounces_complaints_and_failures(persona_client, support):
    for state in ["sent", "sent", "queued", "failed", "bounced"]:
        OutboundEmail.objects.create(
            to_email="p@example.test",
            subject="s",
            body_text="t",
            state=state,
            last_error="550 mailbox unknown" if state == "failed" else "",
        )
    Suppression.objects.create(email="b@example.test", reason="hard_bounce")
    Suppression.objects.create(email="c@example.test", reason="complaint")
    html = page(persona_client, "support")
    assert figure(html, "queued now") == "1"
    assert figure(html, "bounces (30 days)") == "1"
    assert figure(html, "spam complaints (30 days)") == "1"
    assert figure(html, "failed (30 days)") == "1"
    assert "550 mailbox unknown" in html
    assert re.search(r'<th scope="row">Failed</th><td>1 <span class="alert-text">\(needs attention\)', html)
    assert "Contact desk</h2>" in html
    assert "Waiting for a match" not in html


def test_a_chart_has_a_title_a_summary_values_as_text_and_hatching_for_attention():
    chart = Chart(
        title="Messages",
        summary="3 messages, 1 failed.",
        bars=[Bar("Sent", 2), Bar("Failed", 1, note="needs attention", alert=True)],
    )
    svg = str(bar_chart(chart, "c1"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Messages</title>' in svg and '<desc id="c1-desc">3 messages, 1 failed.</desc>' in svg
    assert ">2</text>" in svg and ">1 (needs attention)</text>" in svg
    assert 'fill="url(#c1-hatch)"' in svg  # a pattern, not a colour alone
    assert "style=" not in svg and "<script" not in svg  # strict CSP: no inline style or script


def test_a_hidden_count_draws_no_bar_and_does_not_scale_the_others():
    chart = Chart(title="t", summary="s", bars=[Bar("A", 10), Bar("B", 0, shown="<5")])
    svg = str(bar_chart(chart, "c2"))
    assert "&lt;5" in svg
    widths = re.findall(rf'<rect x="{charts.LABEL_WIDTH}" y="\d+" width="(\d+)"', svg)
    assert widths == [str(charts.BAR_SPACE), "0"]


def test_labels_from_data_are_escaped():
    svg = str(bar_chart(Chart(title="<b>", summary="<i>", bars=[Bar("<script>", 1)]), "c3"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_the_dashboard_keeps_its_query_count_whatever_the_data(
    persona_client, privacy_officer, django_assert_max_num_queries
):
    for _ in range(3):
        privacy_request_submit(
            requester=None,
            name="A",
            email="a@example.test",
            country="JP",
            us_state="",
            kind="appi_disclosure",
            details="",
            language="en",
        )
    client = persona_client("privacy_officer")
    client.get(DASHBOARD)
    with django_assert_max_num_queries(40) as few:
        client.get(DASHBOARD)
    for _ in range(10):
        privacy_request_submit(
            requester=None,
            name="A",
            email="a@example.test",
            country="JP",
            us_state="",
            kind="appi_disclosure",
            details="",
            language="en",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(DASHBOARD)

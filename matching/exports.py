"""Matching's part of "download my data" and of erasure."""

from django.utils import timezone

from accounts.models import User
from matching.models import Application, ApplicationMessage, ConversationRead, Message, PendingNotification, Proposal
from matching.services import SHARING_ERASED, interviews_cancel_for_ended_sharing


def section(user: User):
    applications = (
        Application.objects.filter(candidate=user)
        .select_related("opening__employer")
        .prefetch_related("events", "notes", "conversation")
    )
    return "applications", {
        "applications": [
            {
                "opening": a.opening.title,
                "employer": a.opening.employer.legal_name,
                "state": a.state,
                "applied": a.created_at,
                "history": [{"to": e.to_state, "when": e.occurred_at} for e in a.events.all()],
                # The reason for not selecting you, when the employer chose to tell it.
                "refusal_reason": a.refusal_reason if a.refusal_reason_told else "",
                # Employers' notes about you are your personal data. Their
                # authors are named only as the employer.
                "employer_notes": [{"written": n.created_at, "note": n.body} for n in a.notes.all()],
                # The conversation with the employer (its members named only as the employer).
                "messages": [
                    {
                        "when": m.created_at,
                        "from": "you" if m.side == ApplicationMessage.Side.CANDIDATE else a.opening.employer.legal_name,
                        "text": m.body,
                        "hidden_by_staff": m.hidden_at is not None,
                    }
                    for m in a.conversation.all()
                ],
            }
            for a in applications
        ],
        "proposals": [
            {
                "opening": p.opening.title,
                "employer": p.opening.employer.legal_name,
                "state": p.state,
                "proposed": p.created_at,
                "message": p.message,
                # Proposed although the matching rules advised against it:
                # the coordinator's reason, and what the rules said.
                "reason_despite_the_rules": p.override_reason,
                "what_the_rules_said": p.engine_advice,
            }
            for p in Proposal.objects.filter(candidate=user).select_related("opening__employer")
        ],
        "messages": [
            {"when": m.created_at, "subject": m.subject, "text": m.body} for m in Message.objects.filter(recipient=user)
        ],
    }


def erase(user: User) -> None:
    """Applications stay for the employer's records but name nobody; notes
    about the person and the conversations with them are deleted; upcoming
    interviews are cancelled."""
    # Upcoming interviews are cancelled first, while the applications still
    # name the person: the employer is told and their calendar updated.
    interviews_cancel_for_ended_sharing(candidate_id=user.pk, reason=SHARING_ERASED)
    applications = Application.objects.filter(candidate=user)
    for application in applications:
        application.notes.all().delete()
    ApplicationMessage.objects.filter(application__candidate=user).delete()
    PendingNotification.objects.filter(recipient=user).delete()
    ConversationRead.objects.filter(user=user).delete()
    applications.update(candidate=None, anonymised_at=timezone.now())

"""Coordinators' panels on the staff dashboard (accounts.dashboard): what
is waiting for a match, and how the matches go."""

from datetime import timedelta
from statistics import median

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.dashboard import Bar, Chart, Panel, PanelContent
from accounts.models import StaffGroup, User
from matching import selectors

SHOWN = 10


def _waiting(user: User) -> PanelContent:
    openings = selectors.openings_without_applications()
    proposals = selectors.proposals_waiting()
    oldest = proposals.first()
    by_category = selectors.open_to_proposals_by_category()
    today = timezone.localdate()
    return PanelContent(
        figures=[
            (_("open openings without applications"), openings.count()),
            (_("proposals waiting for the candidate"), proposals.count()),
            (
                _("days the oldest proposal has waited"),
                (timezone.now() - oldest.created_at).days if oldest else "—",
            ),
        ],
        charts=[
            Chart(
                title=_("Candidates open to proposals, by kind of work"),
                summary=_("%(n)s kinds of work; a candidate may look for several.") % {"n": len(by_category)},
                bars=[Bar(label, count) for label, count in by_category[:15]],
                value_heading=_("Candidates"),
            )
        ],
        table={
            "caption": _("Open openings without applications (longest waiting first)"),
            "headings": [_("Opening"), _("Employer"), _("Published (days ago)")],
            "rows": [
                {
                    "url": reverse("matching:staff_opening", args=[o.pk]),
                    "cells": [
                        o.title,
                        o.employer.legal_name,
                        (today - timezone.localdate(o.published_at)).days if o.published_at else "—",
                    ],
                }
                for o in openings[:SHOWN]
            ],
        },
    )


def _outcomes(user: User) -> PanelContent:
    since = timezone.now() - timedelta(days=365)
    funnel = selectors.pipeline_funnel(since=since)
    days = selectors.days_to_hire(since=since)
    applied = funnel[0][1] or 1
    return PanelContent(
        figures=[
            (_("hires in the last 12 months"), len(days)),
            (_("median days from application to hire"), round(median(days)) if days else "—"),
            (_("fastest / slowest hire (days)"), f"{days[0]} / {days[-1]}" if days else "—"),
        ],
        charts=[
            Chart(
                title=_("Pipeline funnel, applications of the last 12 months"),
                summary=_("Of %(applied)s applications, %(hired)s led to a hire.")
                % {"applied": funnel[0][1], "hired": funnel[-1][1]},
                bars=[
                    Bar(label, count, note=_("%(percent)s%%") % {"percent": round(100 * count / applied)})
                    for label, count in funnel
                ],
                value_heading=_("Applications that reached this stage"),
            )
        ],
    )


PANELS = [
    Panel(
        key="matching-waiting",
        title=gettext_lazy("Waiting for a match"),
        groups=(StaffGroup.COORDINATOR,),
        build=_waiting,
        url_name="matching:staff_openings",
        order=10,
    ),
    Panel(
        key="matching-outcomes",
        title=gettext_lazy("Pipeline and time to hire"),
        groups=(StaffGroup.COORDINATOR,),
        build=_outcomes,
        order=20,
    ),
]

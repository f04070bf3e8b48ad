"""Privacy officers' panels on the staff dashboard (accounts.dashboard):
requests and their deadlines, incidents and the PPC's, exports and
erasures this month."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.dashboard import Bar, Chart, Panel, PanelContent
from accounts.models import StaffGroup, User
from consents.privacy import selectors
from consents.privacy.models import AccountErasure, PrivacyRequest, Regime

SHOWN = 15


def _days_left(days: int) -> str:
    if days < 0:
        return ngettext("%(n)s day overdue", "%(n)s days overdue", -days) % {"n": -days}
    return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}


def _requests(user: User) -> PanelContent:
    counts = selectors.open_request_counts()
    states = dict(PrivacyRequest.State.choices)
    regimes = dict(Regime.choices)
    by_state = [
        Bar(str(states[state]), sum(n for (s, _r), n in counts.items() if s == state))
        for state in PrivacyRequest.OPEN_STATES
    ]
    by_regime = [
        Bar(str(regimes[regime]), sum(n for (_s, r), n in counts.items() if r == regime)) for regime in regimes
    ]
    due = list(selectors.request_desk(open_only=True)[:SHOWN])
    overdue = [r for r in due if r.is_overdue]
    return PanelContent(
        figures=[
            (_("open requests"), sum(counts.values())),
            (_("overdue"), len(overdue)),
            (_("identity not checked yet"), sum(n for (s, _r), n in counts.items() if s == "verifying")),
        ],
        charts=[
            Chart(
                title=_("Open requests by state"),
                summary=_("%(n)s open requests.") % {"n": sum(counts.values())},
                bars=by_state,
                value_heading=_("Requests"),
            ),
            Chart(
                title=_("Open requests by law"),
                summary=_("The law follows where the person lives."),
                bars=by_regime,
                value_heading=_("Requests"),
            ),
        ],
        table={
            "caption": _("Due next (overdue first)"),
            "headings": [_("Request"), _("Law"), _("Due"), _("Days left")],
            "rows": [
                {
                    "url": reverse("privacy:staff_request", args=[r.pk]),
                    "cells": [
                        r.get_kind_display(),
                        r.get_regime_display(),
                        r.effective_due_on.isoformat(),
                        _days_left(r.days_left),
                    ],
                    "alert": _("OVERDUE") if r.is_overdue else "",
                }
                for r in due
            ],
        },
        links=[("privacy:staff_request_new", _("Record a request received by email, post or telephone"))],
    )


def _incidents(user: User) -> PanelContent:
    rows = []
    now = timezone.now()
    for incident in selectors.open_incidents()[:SHOWN]:
        deadlines = selectors.incident_deadlines(incident)
        if not deadlines["reportable"]:
            next_step, by = _("No PPC report needed (record kept)"), None
        elif not incident.preliminary_reported_at:
            next_step, by = _("Preliminary report"), deadlines["preliminary_by"]
        else:
            next_step, by = _("Final report"), deadlines["final_by"]
        late = deadlines["overdue_preliminary"] or deadlines["overdue_final"]
        rows.append(
            {
                "url": reverse("privacy:staff_incident", args=[incident.pk]),
                "cells": [
                    f"#{incident.pk} {incident.discovered_at:%Y-%m-%d}",
                    next_step,
                    by.strftime("%Y-%m-%d") if by else "—",
                    _days_left((timezone.localtime(by).date() - timezone.localdate(now)).days) if by else "—",
                ],
                "alert": _("OVERDUE") if late else "",
            }
        )
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    erasures = selectors.erasures_since(month_start)
    triggers = dict(AccountErasure.Trigger.choices)
    return PanelContent(
        figures=[
            (_("incidents without a final report"), selectors.open_incidents().count()),
            (_("data exports this month"), selectors.exports_since(month_start)),
            (_("accounts erased this month"), sum(erasures.values())),
        ],
        charts=[
            Chart(
                title=_("Accounts erased this month, by reason"),
                summary=_("%(n)s accounts erased since %(date)s.")
                % {"n": sum(erasures.values()), "date": month_start.strftime("%Y-%m-%d")},
                bars=[Bar(str(triggers[t]), n) for t, n in erasures.items()],
                value_heading=_("Accounts"),
            )
        ],
        table={
            "caption": _("Incidents and their PPC deadlines"),
            "headings": [_("Incident"), _("Next step"), _("Due by"), _("Days left")],
            "rows": rows,
        },
    )


PANELS = [
    Panel(
        key="privacy-requests",
        title=gettext_lazy("Privacy requests"),
        groups=(StaffGroup.PRIVACY_OFFICER,),
        build=_requests,
        url_name="privacy:staff_requests",
        order=30,
    ),
    Panel(
        key="privacy-incidents",
        title=gettext_lazy("Incidents, exports and erasures"),
        groups=(StaffGroup.PRIVACY_OFFICER,),
        build=_incidents,
        url_name="privacy:staff_incidents",
        order=40,
    ),
]

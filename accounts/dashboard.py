"""The staff dashboard ("My page" for staff): panels contributed by the apps.

Each app may have a `dashboard.py` with `PANELS`, a list of `Panel`s: the
figures a staff group needs for its work, built from that app's selectors.
They are found when first asked for (the way consents.privacy.registry finds
`exports.py`), so accounts, at the bottom of the house, imports no app above
it. A panel is shown to the groups it is made for, and its links only where
the view behind them lets the person in (accounts.navigation)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffGroup, User
from accounts.navigation import may_open
from accounts.permissions import in_staff_group
from outbox import selectors as outbox_selectors
from outbox.models import OutboundEmail, Suppression


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its value, and an optional state that
    the chart shows with a pattern and a word, never by colour alone."""

    label: str
    value: int
    note: str = ""
    alert: bool = False
    # Shown instead of the value (e.g. "<5" for a suppressed count: no bar).
    shown: str = ""


@dataclass(frozen=True)
class Chart:
    """A bar chart and the table beside it (accounts.charts draws it)."""

    title: str
    summary: str
    bars: list[Bar]
    unit: str = ""
    value_heading: str = ""


@dataclass
class PanelContent:
    """What a panel shows: headline figures, charts, rows of a table, links."""

    figures: list[tuple[str | Promise, Any]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    table: dict[str, Any] | None = None
    links: list[tuple[str, str | Promise]] = field(default_factory=list)
    note: str | Promise = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: Promise | str
    groups: tuple[str, ...]
    build: Callable[[User], PanelContent]
    # The page the panel summarises: its "open" link (shown only if it opens).
    url_name: str = ""
    order: int = 100


@cache
def registered_panels() -> tuple[Panel, ...]:
    found: list[Panel] = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "dashboard"):
            found.extend(getattr(import_module(f"{app_config.name}.dashboard"), "PANELS", []))
    return tuple(sorted(found, key=lambda panel: panel.order))


def panels_for(user: User) -> list[tuple[Panel, PanelContent, bool]]:
    """(panel, its content, whether its page opens for `user`), for every
    panel made for one of the person's groups."""
    shown = []
    for panel in registered_panels():
        if not in_staff_group(user, *panel.groups):
            continue
        content = panel.build(user)
        content.links = [(url, label) for url, label in content.links if may_open(user, url)]
        shown.append((panel, content, bool(panel.url_name) and may_open(user, panel.url_name)))
    return shown


# --- Support: the outbox (accounts sits on the outbox, so its panel is here) ---


def _outbox_panel(user: User) -> PanelContent:
    since = timezone.now() - timedelta(days=30)
    states = outbox_selectors.state_counts(since=since)
    suppressions = outbox_selectors.suppression_counts(since=since)
    labels = dict(OutboundEmail.State.choices)
    trouble = {OutboundEmail.State.FAILED, OutboundEmail.State.BOUNCED, OutboundEmail.State.COMPLAINED}
    bars = [
        Bar(
            str(labels[state]),
            count,
            note=str(_("needs attention")) if state in trouble and count else "",
            alert=state in trouble and count > 0,
        )
        for state, count in states.items()
    ]
    failed = outbox_selectors.failed_emails()
    return PanelContent(
        figures=[
            (_("queued now"), outbox_selectors.state_counts()[OutboundEmail.State.QUEUED]),
            (_("bounces (30 days)"), suppressions[Suppression.Reason.HARD_BOUNCE]),
            (_("spam complaints (30 days)"), suppressions[Suppression.Reason.COMPLAINT]),
            (_("failed (30 days)"), states[OutboundEmail.State.FAILED]),
        ],
        charts=[
            Chart(
                title=str(_("Messages by state, last 30 days")),
                summary=str(
                    _("%(total)s messages written in the last 30 days; %(problems)s could not be delivered.")
                    % {"total": sum(states.values()), "problems": sum(states[s] for s in trouble)}
                ),
                bars=bars,
                value_heading=str(_("Messages")),
            )
        ],
        table={
            "caption": _("Newest messages that could not be delivered"),
            "headings": [_("Message"), _("To"), _("State"), _("Error")],
            "rows": [
                {
                    "url": reverse("outbox:staff_outbox_email", args=[email.pk]),
                    "cells": [
                        f"#{email.pk} {email.kind}",
                        email.to_email,
                        email.get_state_display(),
                        email.last_error[:120],
                    ],
                }
                for email in failed
            ],
        },
        links=[("outbox:staff_suppressions", str(_("Suppression list")))],
    )


PANELS = [
    Panel(
        key="outbox",
        title=_("Email delivery"),
        groups=(StaffGroup.SUPPORT,),
        build=_outbox_panel,
        url_name="outbox:staff_outbox",
        order=50,
    )
]

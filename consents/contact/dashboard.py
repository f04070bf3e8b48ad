"""The contact desk's panel on the staff dashboard (accounts.dashboard)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.dashboard import Panel, PanelContent
from accounts.models import StaffGroup, User
from consents.contact import selectors


def _desk(user: User) -> PanelContent:
    mine = list(selectors.queue(show="mine", user=user)[:10])
    now = timezone.now()
    return PanelContent(
        figures=[
            (_("open inquiries"), selectors.open_count()),
            (_("not assigned yet"), selectors.unassigned_count()),
            (_("assigned to you"), len(mine)),
        ],
        table={
            "caption": _("Assigned to you (oldest first)"),
            "headings": [_("Inquiry"), _("Topic"), _("Waiting (days)")],
            "rows": [
                {
                    "url": reverse("contact:staff_inquiry", args=[i.pk]),
                    "cells": [f"#{i.pk} {i.name}", i.get_topic_display(), (now - i.received_at).days],
                }
                for i in mine
            ],
        },
    )


PANELS = [
    Panel(
        key="contact",
        title=gettext_lazy("Contact desk"),
        groups=(StaffGroup.SUPPORT,),
        build=_desk,
        url_name="contact:staff_inquiries",
        order=45,
    )
]

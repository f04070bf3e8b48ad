"""The exact texts people agree to, and their hashes for the ledger.

The consent screen shows `share_notice(...)` verbatim and the ledger stores
its SHA-256, so the record proves what was on the screen. The text is built
in the language shown (translation.override by the caller)."""

import hashlib
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Employer
from consents.models import OPTIONAL_FIELD_GROUPS, FieldGroup

SHARE_PURPOSE = "hiring_decision_and_contact"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def share_purpose_text() -> str:
    return _(
        "to decide whether to hire you, and to contact you about employment or non-acceptance "
        "(and for no other purpose, under its Data Use Agreement with Tsunagu)"
    )


def share_notice(*, employer: Employer, groups: set[str], expires_at: datetime) -> str:
    included = [str(FieldGroup(g).label) for g in [FieldGroup.CORE, *OPTIONAL_FIELD_GROUPS] if g in groups]
    not_included = [str(FieldGroup(g).label) for g in OPTIONAL_FIELD_GROUPS if g not in groups]
    lines = [
        _("I allow %(employer)s (corporate number %(number)s) to see my Tsunagu profile")
        % {"employer": employer.legal_name, "number": employer.corporate_number},
        _("Purpose: %(purpose)s.") % {"purpose": share_purpose_text()},
        _("Shared: %(items)s.") % {"items": "; ".join(included)},
    ]
    if not_included:
        lines.append(_("Not shared: %(items)s.") % {"items": "; ".join(not_included)})
    lines += [
        _(
            "Until: %(date)s, unless I withdraw earlier. I can withdraw at any time on the page “Who has my profile”; "
            "it takes effect at once."
        )
        # In local time, as every page and email shows dates (a bare
        # date_format would print the UTC date, a day off in Tokyo's evening).
        % {"date": date_format(timezone.localtime(expires_at), "DATE_FORMAT")},
        _("Every time someone at the employer looks at my profile, it is recorded and I can see it."),
    ]
    return "\n".join(lines)


def purposes_notice(purpose_labels: list[str]) -> str:
    return _("Emails and uses I agree to (each can be changed at any time): %(items)s.") % {
        "items": "; ".join(purpose_labels) or _("none")
    }


def cookie_notice(choices: dict[str, bool]) -> str:
    return _("Cookie choices: %(items)s.") % {
        "items": ", ".join(f"{name}={'yes' if value else 'no'}" for name, value in sorted(choices.items()))
    }

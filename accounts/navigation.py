"""What a person's menus offer: derived from the views themselves.

Every guarded view carries the test its guard applies (`view.allows`, set
by accounts.permissions and outbox.views): a menu item or a link in a list
is shown only when that same test passes for the person, so a menu can
never offer a page that answers 403. The staff menu names pages by URL
name only (strings, not imports: the apps above accounts own the views)."""

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Promise | str
    # One line for the staff dashboard ("My page").
    description: Promise | str = ""


# The staff workspace: every page made for a staff group, in the order of
# the daily work. Who sees which item is decided by the view's guard alone.
STAFF_MENU: tuple[MenuItem, ...] = (
    MenuItem("matching:staff_openings", _("Openings"), _("Openings, ranking and proposals")),
    MenuItem("consents:staff_candidates", _("Candidates"), _("Find a candidate (every look is recorded)")),
    MenuItem("accounts:staff_employer_list", _("Employers"), _("Employers and invitations")),
    MenuItem("profiles:moderation_queue", _("Moderation"), _("Reported self-introductions and photos")),
    MenuItem("accounts:staff_screening", _("Screening"), _("Suspend or refuse an account, with a reason")),
    MenuItem("saved:staff_alerts", _("Job alerts"), _("Alert volume: digests sent, unsubscribes")),
    MenuItem("campaigns:staff_campaigns", _("Campaigns"), _("Purpose mail to the people who agreed")),
    MenuItem("contact:staff_inquiries", _("Contact desk"), _("Inquiries from anyone, answered by email")),
    MenuItem("privacy:staff_requests", _("Privacy requests"), _("Requests under APPI, GDPR and CCPA")),
    MenuItem("privacy:staff_incidents", _("Incidents"), _("The breach register and its PPC deadlines")),
    MenuItem("outbox:staff_outbox", _("Outbox"), _("Every email: delivery, bounces, complaints")),
    MenuItem("consents:staff_statistics", _("Statistics"), _("Anonymised statistics (opted-in people only)")),
    MenuItem("profiles:work_rules", _("Work rules"), _("The work rules of the statuses of residence")),
)


def view_allows(view: Any, user: Any) -> bool:
    """Would `view` let `user` in? (A view without a guard is public.)"""
    allows = getattr(view, "allows", None)
    if allows is None:
        return True
    return bool(user is not None and user.is_authenticated and allows(user))


def may_open(user: Any, url_name: str, *args: Any) -> bool:
    """Does the view behind `url_name` let `user` in? Unknown names: no."""
    try:
        match = resolve(reverse(url_name, args=args or None))
    except NoReverseMatch:
        return False
    return view_allows(match.func, user)


@functools.cache
def _view_of(urlconf: str, url_name: str) -> Any:
    """The view a URL name without arguments leads to, in this URL
    configuration: code, the same for everyone, so found once per process
    (a reverse and a resolve per menu item took a sixth of a staff page).
    None for an unknown name."""
    try:
        return resolve(reverse(url_name, urlconf=urlconf), urlconf=urlconf).func
    except NoReverseMatch:
        return None


def staff_menu(user: Any) -> list[MenuItem]:
    """The staff pages this person may open (empty for anyone else): the
    guard of each is asked at every request."""
    if user is None or not user.is_authenticated or not user.is_staff_member:
        return []
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    views = [(item, _view_of(urlconf, item.url_name)) for item in STAFF_MENU]
    return [item for item, view in views if view is not None and view_allows(view, user)]

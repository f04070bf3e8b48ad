"""What a person reads outside the browser: their inbox and their
authenticator app."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail

# allauth's sign-in codes: groups of letters/digits joined by dashes ("BCDF-GHJK").
LOGIN_CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)
# Don't type a code this close to the end of its period: it could expire in flight.
TOTP_SAFETY_SECONDS = 3


def last_mail_to(address: str) -> mail.EmailMessage:
    """The newest message sent to `address`. The live server runs in this
    process, so its locmem backend appends to the same django.core.mail.outbox."""
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email to {address}; outbox: {[(m.to, m.subject) for m in mail.outbox]}"
    return sent[-1]


def login_code_from_mail(address: str) -> str:
    body = last_mail_to(address).body
    match = LOGIN_CODE.search(body)
    assert match, f"no sign-in code in the email body:\n{body}"
    return match.group(1)


class AuthenticatorApp:
    """A TOTP app holding one secret, typed from the way allauth checks codes:

    - only the current period's code counts (MFA_TOTP_TOLERANCE is 0), so a
      code about to expire is not handed out: the app waits for the next one;
    - a code that signs someone in is marked used for its period
      (TOTP.validate_code adds it to the cache) and is refused a second time,
      so the next sign-in waits for a new period; activating the
      authenticator only checks the code (validate_totp_code) and marks nothing.

    Time passing is the point here: there is no browser event to wait on."""

    def __init__(self, secret: str):
        self.secret = secret
        self.signed_in_with: set[int] = set()

    def code(self, *, signs_in: bool) -> str:
        period = mfa_settings.TOTP_PERIOD
        while True:
            now = time.time()
            counters = list(yield_hotp_counters_from_time())
            counter = counters[len(counters) // 2]  # the current period, whatever the tolerance
            left = period - (now % period)
            if left > TOTP_SAFETY_SECONDS and not (signs_in and counter in self.signed_in_with):
                if signs_in:
                    self.signed_in_with.add(counter)
                return format_hotp_value(hotp_value(self.secret, counter))
            time.sleep(left + 0.05)

"""Forms that replace allauth's own (ACCOUNT_FORMS).

Kept apart from accounts.forms: allauth.account.forms imports
ACCOUNT_SIGNUP_FORM_CLASS while it loads, so a module that holds a signup form
class and also imports allauth's forms is a circular import."""

import copy

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """Email and password, the way employer members and staff sign in.

    allauth drops the password field when sign-up asks for none, and ours
    does not (candidates sign up with an email and a code). Candidates use
    "Send me a sign-in code" on the same page instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" not in self.fields:
            self.fields["password"] = copy.deepcopy(self.base_fields["password"])
            self.order_fields(["login", "password"])

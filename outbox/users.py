"""The configured user model (settings.AUTH_USER_MODEL), as a type.

The outbox sits below accounts and never imports it, yet its foreign keys to
AUTH_USER_MODEL hold that model: django-stubs' mypy plugin resolves its `_User`
alias to the configured model, so the outbox names the same type without the
import. At run time the name stands for AbstractBaseUser."""

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as UserModel
else:
    UserModel = AbstractBaseUser

__all__ = ["UserModel"]

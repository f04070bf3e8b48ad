from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager

# The user model this manager is attached to (accounts.models.User); generic
# so this module need not import the model that imports it.
_U = TypeVar("_U", bound=AbstractBaseUser)


class UserManager(BaseUserManager[_U]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> _U:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> _U:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> _U:
        extra.update(role="staff", is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> _U:
        return self.get(email__iexact=username)

"""Kinds of message and their secrets.

Every message has a kind (`MessageKind`), declared in the `emails.py` of the
app that sends it, and the kind declares which of its values are secrets:
sign-in and reset codes, invitation links, erasure codes, one-click
unsubscribe links. A secret is stored only sealed (encrypted) beside its
outbox row; the subject, texts and headers that staff pages, the admin,
exports and logs can show hold its label instead ("[sign-in code hidden]").
The value is put in its place only in the message handed to the provider
(outbox.delivery), and the seal is dropped as soon as the row reaches a
final state.
"""

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.html import escape

KINDS: dict[str, "MessageKind"] = {}


@dataclass(frozen=True, eq=False)
class MessageKind:
    """A kind of message. `secrets` maps a template context key to the
    label shown in its place wherever the stored message is shown
    (translatable; rendered in the recipient's language). Declaring a kind
    registers it: tests/outbox/test_secrets.py checks that every
    email template belongs to a kind and that every value that looks like a
    code, token or link is declared secret or declared `public`."""

    name: str
    template: str = ""
    secrets: Mapping[str, object] = field(default_factory=dict)
    public: tuple[str, ...] = ()

    def __post_init__(self):
        known = KINDS.get(self.name)
        if known is not None and known is not self:
            raise ValueError(f"Two message kinds are named {self.name!r}")
        KINDS[self.name] = self


class Secret:
    """A value only the recipient may read. Rendered (str) as its label:
    whatever is stored or shown holds the label; `reveal()` puts the value
    back in the copy handed to the provider."""

    __slots__ = ("label", "value")

    def __init__(self, value, label) -> None:
        self.value = str(value)
        self.label = str(label)

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Secret({self.label!r})"


@lru_cache(maxsize=4)
def _fernet_for(secret_keys: tuple[str, ...]) -> MultiFernet:
    """One Fernet key per Django secret key (the current one first, then
    SECRET_KEY_FALLBACKS, so rotating the key keeps queued mail readable)."""
    keys = []
    for secret_key in secret_keys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tsunagu.outbox.secrets").derive(
            secret_key.encode()
        )
        keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def _fernet() -> MultiFernet:
    return _fernet_for((settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def seal(secrets: Mapping[str, str]) -> str:
    """Encrypt label → value pairs for storage ("" when there are none)."""
    if not secrets:
        return ""
    return _fernet().encrypt(json.dumps(dict(secrets), ensure_ascii=False).encode()).decode()


def unseal(sealed: str) -> dict[str, str]:
    if not sealed:
        return {}
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except (InvalidToken, ValueError) as exc:
        # The secret key changed without a fallback: sending the message
        # with its labels would confuse the person; fail it instead.
        raise UnreadableSecrets from exc


class UnreadableSecrets(Exception):
    """The sealed secrets cannot be decrypted (secret key rotated away)."""


def reveal(text: str, secrets: Mapping[str, str], *, html: bool = False) -> str:
    """`text` with each secret's label replaced by its value."""
    for label, value in secrets.items():
        text = text.replace(label, escape(value) if html else value)
    return text


def reveal_json(data, secrets: Mapping[str, str]):
    if isinstance(data, str):
        return reveal(data, secrets)
    if isinstance(data, dict):
        return {key: reveal_json(value, secrets) for key, value in data.items()}
    if isinstance(data, list):
        return [reveal_json(value, secrets) for value in data]
    return data


def hide_secrets(kind: MessageKind, context: Mapping) -> dict:
    """The context with the values `kind` declares secret wrapped as
    Secrets (labels in the active language)."""
    hidden = dict(context)
    for key, label in kind.secrets.items():
        if hidden.get(key) not in (None, ""):
            hidden[key] = Secret(hidden[key], label)
    return hidden


def secrets_in(context: Mapping) -> dict[str, str]:
    """label → value for every Secret among the context's values."""
    return {value.label: value.value for value in context.values() if isinstance(value, Secret)}

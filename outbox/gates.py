"""May purpose mail go to this person now? Asked at delivery time, never at
enqueue time (PRODUCT §3.2).

The rules (a current opt-in, no restriction of use, an active account) are
the consent app's; it registers its answer here when it starts
(consents.apps), so the outbox, which every app that sends mail sits on,
never imports it. Without a registered gate no purpose mail goes out."""

from collections.abc import Callable, Mapping

from outbox.users import UserModel

PurposeGate = Callable[[UserModel, str], bool]

_purpose_gate: PurposeGate | None = None


def register_purpose_gate(gate: PurposeGate) -> None:
    global _purpose_gate
    _purpose_gate = gate


def may_send_purpose(user: UserModel, purpose: str) -> bool:
    return _purpose_gate is not None and bool(_purpose_gate(user, purpose))


# The purposes' names as people read them (translatable), registered by the
# consent app with its gate: staff pages show a message's purpose by name.
_purpose_labels: dict[str, object] = {}


def register_purpose_labels(labels: Mapping[str, object]) -> None:
    _purpose_labels.update(labels)


def purpose_label(purpose: str) -> str:
    """The name of a purpose in the active language (its code only if no
    app registered one: never blank)."""
    return str(_purpose_labels.get(purpose, purpose))

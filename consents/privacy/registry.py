"""What each app contributes to the privacy rights: its part of "download my
data" (`exports.section(user) -> (name, data)`), what erasure must do with
its data (`exports.erase(user)`), and its retention rules
(`retention.RULES`, each `rule(now, dry_run) -> {what: count}`).

Filled when the app registry is ready (consents.privacy.apps), from the
modules of that name in every installed app, the way Django's admin finds
`admin.py`: no app below this one has to import it, and none is forgotten.
Sections come in INSTALLED_APPS order; erasure runs in the reverse order,
the apps on top (applications, grants) before the accounts below them."""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.module_loading import module_has_submodule

ExportSection = Callable[[AbstractBaseUser], tuple[str, Any]]
ErasureHook = Callable[[AbstractBaseUser], None]
RetentionRule = Callable[..., dict[str, int]]

export_sections: list[ExportSection] = []
erasure_hooks: list[ErasureHook] = []
retention_rules: list[RetentionRule] = []


def discover() -> None:
    sections: list[ExportSection] = []
    erase: list[ErasureHook] = []
    rules: list[RetentionRule] = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "exports"):
            module = import_module(f"{app_config.name}.exports")
            if hasattr(module, "section"):
                sections.append(module.section)
            if hasattr(module, "erase"):
                erase.append(module.erase)
        if module_has_submodule(app_config.module, "retention"):
            rules.extend(getattr(import_module(f"{app_config.name}.retention"), "RULES", []))
    export_sections[:] = sections
    erasure_hooks[:] = list(reversed(erase))
    retention_rules[:] = rules

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from accounts.demo import print_sign_ins


class Command(BaseCommand):
    help = "Load idempotent demo data (never in production) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "TSUNAGU_ALLOW_DEMO", False):
            raise CommandError("seed_demo writes public passwords: it runs only with DEBUG on (the embedded default).")
        with transaction.atomic():
            # Each app's demo.seed(stdout), in INSTALLED_APPS order: the
            # lowest layer first, so people exist before their openings.
            results = {}
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    results[app_config.label] = import_module(f"{app_config.name}.demo").seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if not options["quiet_sign_ins"]:
            print_sign_ins(self.stdout, results["accounts"])

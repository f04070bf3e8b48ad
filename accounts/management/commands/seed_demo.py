from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load idempotent demo data (never in production) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "TSUNAGU_ALLOW_DEMO", False):
            raise CommandError("seed_demo writes public passwords: it runs only with DEBUG on (the embedded default).")
        with transaction.atomic():
            results = {}
            for module_name in settings.TSUNAGU_DEMO_SEEDERS:
                results[module_name] = import_module(module_name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if not options["quiet_sign_ins"]:
            from accounts.demo import print_sign_ins

            print_sign_ins(self.stdout, results["accounts.demo"])

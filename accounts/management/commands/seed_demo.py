import contextlib
import logging
import sys
import tempfile
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from accounts.demo import print_sign_ins

DEFAULT_LOG = str(Path(tempfile.gettempdir()) / "tsunagu-demo-seed.log")


@contextlib.contextmanager
def output_to(stream):
    """Everything the seeders print (the console email backend writes each
    demo email to stdout; eager Celery tasks log to stderr) goes to `stream`:
    the sign-ins stay the last, short thing on the screen."""
    handlers = [
        handler
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for handler in getattr(logger, "handlers", [])
        if type(handler) is logging.StreamHandler
        and handler.stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    ]
    before = [handler.setStream(stream) for handler in handlers]
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            yield
    finally:
        for handler, old in zip(handlers, before, strict=True):
            handler.setStream(old)


class Command(BaseCommand):
    help = "Load idempotent demo data (never in production) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the sign-ins.")
        parser.add_argument(
            "--log",
            default=DEFAULT_LOG,
            help=f"Where the seeding output (the demo emails, task logs) goes (default {DEFAULT_LOG}); "
            "-v 2 prints it here instead.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "TSUNAGU_ALLOW_DEMO", False):
            raise CommandError("seed_demo writes public passwords: it runs only with DEBUG on (the embedded default).")
        log = Path(options["log"])
        with contextlib.ExitStack() as stack:
            if options["verbosity"] < 2:
                stream = stack.enter_context(log.open("w", encoding="utf-8"))
                stack.enter_context(output_to(stream))
            with transaction.atomic():
                # Each app's demo.seed(stdout), in INSTALLED_APPS order: the
                # lowest layer first, so people exist before their openings.
                results = {}
                for app_config in apps.get_app_configs():
                    if module_has_submodule(app_config.module, "demo"):
                        results[app_config.label] = import_module(f"{app_config.name}.demo").seed(self.stdout)
        where = f" (what it printed is in {log})" if options["verbosity"] < 2 else ""
        self.stdout.write(self.style.SUCCESS(f"Demo data ready{where}."))
        if not options["quiet_sign_ins"]:
            print_sign_ins(self.stdout, results["accounts"])

from django.core.management.base import BaseCommand

from consents.privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Delete or anonymise what is past its retention period (TSUNAGU_RETENTION). Runs daily in Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be done; change nothing.")

    def handle(self, *args, **options):
        results = apply_retention(dry_run=options["dry_run"])
        prefix = "Would act on" if options["dry_run"] else "Acted on"
        for name, count in results.items():
            self.stdout.write(f"{prefix} {count:>7}  {name.replace('_', ' ')}")

from django.core.management.base import BaseCommand

from matching.services import openings_search_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite every opening's search text and monthly salary (after readings or synonyms were edited "
        "in the admin, or a company changed its name)."
    )

    def handle(self, *args, **options):
        done = openings_search_rebuild()
        self.stdout.write(f"{done} openings rewritten.")

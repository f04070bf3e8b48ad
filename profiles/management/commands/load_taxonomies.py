from django.apps import apps
from django.core.management.base import BaseCommand

from profiles.taxonomy import load_taxonomies, load_work_rules


class Command(BaseCommand):
    help = (
        "Add missing taxonomy entries (statuses, categories, tests...) and work rules. Never changes existing ones."
    )

    def handle(self, *args, **options):
        created = load_taxonomies(apps)
        created.update(load_work_rules(apps))
        if created:
            for name, count in sorted(created.items()):
                self.stdout.write(f"{name}: {count} added")
        else:
            self.stdout.write("Nothing to add: every taxonomy entry and work rule exists.")

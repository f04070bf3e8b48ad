from django.apps import apps
from django.core.management.base import BaseCommand

from config import generations
from profiles.taxonomy import load_taxonomies, load_taxonomy_labels, load_work_rules


class Command(BaseCommand):
    help = (
        "Add missing taxonomy entries (statuses, categories, tests...), work rules and empty labels in other "
        "languages. Never changes existing ones."
    )

    def handle(self, *args, **options):
        created = load_taxonomies(apps)
        created.update(load_work_rules(apps))
        labels = load_taxonomy_labels(apps)
        # Rows written in bulk send no signal: drop cached pages and choices.
        generations.bump(generations.TAXONOMY)
        if labels:
            self.stdout.write(f"labels in other languages: {labels} filled")
        if created:
            for name, count in sorted(created.items()):
                self.stdout.write(f"{name}: {count} added")
        else:
            self.stdout.write("Nothing to add: every taxonomy entry and work rule exists.")

"""Write docs/privacy-mapping.md from docs/promises.yaml (the machine-
readable map of every promise of the seed documents to the code that keeps
it and the tests that prove it). `--check` only says whether the file is up
to date (tests/test_promises.py runs the same comparison)."""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCE = Path("docs/promises.yaml")
TARGET = Path("docs/privacy-mapping.md")
SEEDS = {
    "004": "Seed 004 (WeXpats) — the closest model",
    "000": "Seed 000 (WWJ)",
    "001": "Seed 001 (JapanWork)",
    "002": "Seed 002 (OpenWork)",
    "003": "Seed 003 (Serverworks)",
}
STATUS = {
    "kept": "kept",
    "different": "**deliberately different**",
    "organisational": "organisational (code does its part)",
}


def load(base: Path | None = None) -> list[dict[str, Any]]:
    return yaml.safe_load(((base or Path(settings.BASE_DIR)) / SOURCE).read_text(encoding="utf-8"))


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _paths(items: list[str]) -> str:
    return "<br>".join(f"`{item}`" for item in items)


def render(rows: list[dict[str, Any]]) -> str:
    counts = {status: sum(1 for r in rows if r["status"] == status) for status in STATUS}
    lines = [
        "# Privacy mapping: what the policies promise → where the code does it → what tests it",
        "",
        "Generated from `docs/promises.yaml` by `manage.py privacy_mapping`: do not edit by hand.",
        "`tests/test_promises.py` fails when a promise of the seed documents has no row, when a row",
        "names no test or a test that does not exist, and when this file is out of date.",
        "",
        f"{len(rows)} promises: {counts['kept']} kept in code, {counts['different']} deliberately different "
        f"(with the reason), {counts['organisational']} organisational (the code does its part).",
        "",
    ]
    for seed, title in SEEDS.items():
        seed_rows = [r for r in rows if r["seed"] == seed]
        if not seed_rows:
            continue
        lines += [
            f"## {title}",
            "",
            "| Id | Article | Promise | Status | Code | Tests |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in seed_rows:
            promise = _cell(r["promise"])
            extra = r.get("reason") or r.get("note")
            if extra:
                promise += f"<br>*{_cell(extra)}*"
            lines.append(
                f"| {r['id']} | {_cell(r['article'])} | {promise} | {STATUS[r['status']]} "
                f"| {_paths(r['code'])} | {_paths(r['tests'])} |"
            )
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Generate docs/privacy-mapping.md from docs/promises.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check that the file is up to date.")

    def handle(self, *args, check: bool = False, **options):
        base = Path(settings.BASE_DIR)
        text = render(load(base))
        target = base / TARGET
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(f"{TARGET} is out of date: run `manage.py privacy_mapping`.")
            self.stdout.write(f"{TARGET} is up to date.")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {TARGET}.")

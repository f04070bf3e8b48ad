"""The work rules' first contents (profiles/work_rules_data.py), and what the
taxonomies need for them on a database loaded before they existed:

- the Designated Activities designations (job hunting, working holiday,
  No. 46), the nursing-care Japanese evaluation test, the SSW (ii) tests and
  the Technical Intern Training (ii) completions (load_taxonomies adds what
  is missing);
- Engineer/Humanities/International covers language teaching ("teaching"),
  a correction of migration 0002's list;
- "Designated Activities" without a known designation is named as such, if
  staff have not renamed it.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from profiles.taxonomy import load_taxonomies, load_work_rules

    load_taxonomies(apps)
    StatusOfResidence = apps.get_model("profiles", "StatusOfResidence")
    JobCategory = apps.get_model("profiles", "JobCategory")
    engineer = StatusOfResidence.objects.filter(code="engineer_humanities").first()
    teaching = JobCategory.objects.filter(code="teaching").first()
    if engineer and teaching:
        engineer.job_categories.add(teaching)
    StatusOfResidence.objects.filter(
        code="designated_activities", label_en="Designated Activities", label_ja="特定活動"
    ).update(
        label_en="Designated Activities (other designation)",
        label_ja="特定活動（その他の指定）",
        notes="Work only as the designation (指定書) says, or none. The designations the engine knows are separate "
        "entries (job hunting, working holiday, No. 46); any other one is never treated as allowing work.",
    )
    load_work_rules(apps)


def backward(apps, schema_editor):
    for name in ("StatusRule", "SSWFieldRequirement", "SponsorshipRoute"):
        apps.get_model("profiles", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0004_work_rules")]
    operations = [migrations.RunPython(forward, backward)]

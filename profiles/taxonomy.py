"""Loading the taxonomies (used by migration 0002 and `load_taxonomies`)
and their labels in the other languages (migration 0006, from
profiles/taxonomy_i18n/<language>.json)."""

import json
from datetime import date
from pathlib import Path

from profiles import taxonomy_data as data
from profiles import work_rules_data as rules

READINGS = {"Prefecture": data.PREFECTURE_READINGS, "JobCategory": data.CATEGORY_READINGS}


def _has_readings(model) -> bool:
    # Migration 0002 loads the entries before the field exists (0006 adds it).
    return any(field.name == "readings" for field in model._meta.get_fields())


def load_readings(models) -> int:
    """Fill the search readings of entries that have none (migration 0006;
    never overwrites what staff wrote)."""
    filled = 0
    for model_name, readings in READINGS.items():
        model = models.get_model("profiles", model_name)
        for code, words in readings.items():
            filled += model.objects.filter(code=code, readings="").update(readings=words)
    return filled


def load_taxonomies(models) -> dict[str, int]:
    """Add the taxonomy entries that are missing; never change existing ones.

    `models` is anything with get_model(app_label, name): the migration's
    `apps` or django.apps.apps."""

    def get(name):
        return models.get_model("profiles", name)

    created: dict[str, int] = {}

    def add(model_name, code, **fields):
        if model_name in READINGS and _has_readings(get(model_name)):
            fields["readings"] = READINGS[model_name].get(code, "")
        _obj, made = get(model_name).objects.get_or_create(code=code, defaults=fields)
        if made:
            created[model_name] = created.get(model_name, 0) + 1
        return _obj

    for order, (code, en, ja) in enumerate(data.PREFECTURES):
        add("Prefecture", code, label_en=en, label_ja=ja, sort_order=order)
    for order, (code, en, ja) in enumerate(data.EMPLOYMENT_TYPES):
        add("EmploymentType", code, label_en=en, label_ja=ja, sort_order=order)
    for order, (code, en, ja, ii) in enumerate(data.SSW_FIELDS):
        add("JobCategory", code, label_en=en, label_ja=ja, sort_order=100 + order, is_ssw_field=True, ssw_ii_allowed=ii)
    for order, (code, en, ja) in enumerate(data.GENERAL_CATEGORIES):
        add("JobCategory", code, label_en=en, label_ja=ja, sort_order=order)
    JobCategory = get("JobCategory")
    statuses = data.STATUSES + data.FUTURE_STATUSES
    # Designations of 特定活動 sort next to "designated_activities" (by code).
    designation_order = next(i for i, entry in enumerate(statuses) if entry[0] == "designated_activities")
    for order, (code, en, ja, rule, hours, categories, notes) in [
        *enumerate(statuses),
        *((designation_order, entry) for entry in data.DESIGNATED_ACTIVITIES),
    ]:
        future = any(code == f[0] for f in data.FUTURE_STATUSES)
        official = "特定活動" if code.startswith("designated_activities") else ja
        status = add(
            "StatusOfResidence",
            code,
            label_en=en,
            label_ja=ja,
            label_ja_official=official,
            work_rule=rule,
            part_time_hours_limit=hours,
            notes=notes,
            sort_order=order,
            active=not future,
        )
        if categories and not status.job_categories.exists():
            status.job_categories.set(JobCategory.objects.filter(code__in=categories))
    # Migration 0009 adds counts_for_ssw (and sets it on the tests already there).
    ssw_tests = any(field.name == "counts_for_ssw" for field in get("JapaneseTest")._meta.get_fields())
    for t_order, (code, en, ja, levels) in enumerate(data.JAPANESE_TESTS):
        extra = {"counts_for_ssw": code in rules.SSW_JAPANESE_TESTS} if ssw_tests else {}
        test = add("JapaneseTest", code, label_en=en, label_ja=ja, sort_order=t_order, **extra)
        for l_order, (l_code, l_en, l_ja, scale) in enumerate(levels):
            add("JapaneseLevel", l_code, test=test, label_en=l_en, label_ja=l_ja, scale=scale, sort_order=l_order)
    kinds = [*enumerate(data.QUALIFICATION_KINDS), *enumerate(data.QUALIFICATION_KINDS_ADDED, start=100)]
    for order, (code, group, en, ja, field, free_text) in kinds:
        category = JobCategory.objects.get(code=field) if field else None
        add(
            "QualificationKind",
            code,
            group=group,
            label_en=en,
            label_ja=ja,
            job_category=category,
            free_text=free_text,
            sort_order=order,
        )
    return created


I18N_DIR = Path(__file__).resolve().parent / "taxonomy_i18n"


def load_taxonomy_labels(models) -> int:
    """Fill the empty label_<language> fields from taxonomy_i18n/*.json
    ({model name: {code: label}}); a label staff have written is never
    replaced. Returns how many labels were filled."""
    filled = 0
    for path in sorted(I18N_DIR.glob("*.json")):
        field = f"label_{path.stem}"
        for model_name, labels in json.loads(path.read_text(encoding="utf-8")).items():
            model = models.get_model("profiles", model_name)
            for entry in model.objects.filter(code__in=list(labels), **{field: ""}):
                setattr(entry, field, labels[entry.code][:200])
                entry.save(update_fields=[field])
                filled += 1
    return filled


# Shipped labels later corrected: (model, code, language field) → (the label as
# shipped, the corrected one). A correction replaces only the shipped label,
# never one staff have written since.
CORRECTED_LABELS = {
    ("QualificationKind", "international_driving_permit", "label_tl"): (
        "International driving permit",
        "Internasyonal na lisensya sa pagmamaneho (International Driving Permit)",
    ),
}


def correct_taxonomy_labels(models) -> int:
    """Apply CORRECTED_LABELS where the label is still the one shipped."""
    corrected = 0
    for (model_name, code, field), (shipped, label) in CORRECTED_LABELS.items():
        model = models.get_model("profiles", model_name)
        corrected += model.objects.filter(code=code, **{field: shipped}).update(**{field: label})
    return corrected


def load_work_rules(models) -> dict[str, int]:
    """Add the work rules that are missing (profiles/work_rules_data.py):
    status rules and sponsorship routes by code, field requirements by
    field. Never changes existing ones: once loaded, staff own them."""

    def get(name):
        return models.get_model("profiles", name)

    JobCategory, EmploymentType, QualificationKind, StatusOfResidence = (
        get("JobCategory"),
        get("EmploymentType"),
        get("QualificationKind"),
        get("StatusOfResidence"),
    )
    checked = date.fromisoformat(rules.CHECKED)
    created: dict[str, int] = {}

    def count(name):
        created[name] = created.get(name, 0) + 1

    def kind(code):
        return QualificationKind.objects.filter(code=code).first() if code else None

    StatusRule = get("StatusRule")
    for entry in rules.STATUS_RULES:
        entry = dict(entry)
        code, status_code = entry.pop("code"), entry.pop("status")
        categories, types = entry.pop("categories", []), entry.pop("employment_types", [])
        status = StatusOfResidence.objects.filter(code=status_code).first()
        if status is None or StatusRule.objects.filter(code=code).exists():
            continue
        rule = StatusRule.objects.create(code=code, status=status, checked_on=checked, **entry)
        rule.categories.set(JobCategory.objects.filter(code__in=categories))
        rule.employment_types.set(EmploymentType.objects.filter(code__in=types))
        count("StatusRule")

    Requirement = get("SSWFieldRequirement")
    for field in JobCategory.objects.filter(is_ssw_field=True, code__in=[code for code, *_ in data.SSW_FIELDS]):
        if Requirement.objects.filter(field=field).exists():
            continue
        name = field.code[4:]
        note, unsure = rules.SSW_FIELD_NOTES.get(field.code, ("", False))
        completion = kind(f"titp_ii_completed_{name}")
        if completion is not None:
            note = f"{note} {rules.TITP_RELATED_NOTE}".strip()
            unsure = True
        Requirement.objects.create(
            field=field,
            skills_test=kind(f"skills_test_{name}"),
            japanese_scale=rules.SSW_FIELD_JAPANESE.get(field.code, 2),
            extra_qualification=kind(rules.SSW_FIELD_EXTRA.get(field.code)),
            titp_completion=completion,
            ssw_ii_test=kind(f"skills_test_ii_{name}") if field.ssw_ii_allowed else None,
            japanese_scale_ii=rules.SSW_FIELD_JAPANESE_II.get(field.code, 0),
            dispatch_allowed=field.code in rules.SSW_DISPATCH,
            source=rules.SSW_FIELD_SOURCE,
            checked_on=checked,
            unconfirmed=unsure,
            note=note,
        )
        count("SSWFieldRequirement")

    Route = get("SponsorshipRoute")
    for code, status_code, categories, degree, years, qualification, source, unsure, note in rules.SPONSORSHIP_ROUTES:
        status = StatusOfResidence.objects.filter(code=status_code).first()
        if status is None or Route.objects.filter(code=code).exists():
            continue
        route = Route.objects.create(
            code=code,
            status=status,
            needs_degree=degree,
            min_years_experience=years,
            qualification=kind(qualification),
            source=source,
            checked_on=checked,
            unconfirmed=unsure,
            note=note,
        )
        route.categories.set(JobCategory.objects.filter(code__in=categories))
        count("SponsorshipRoute")
    apply_route_forms(models)
    return created


def apply_route_forms(models) -> int:
    """The employment types a sponsorship route's change of status can rest
    on (rules.SPONSORSHIP_ROUTE_FORMS), set on routes still as shipped: no
    employment types and the shipped note (a route staff edited stays as
    they left it). Idempotent; returns how many routes changed."""
    Route = models.get_model("profiles", "SponsorshipRoute")
    EmploymentType = models.get_model("profiles", "EmploymentType")
    if not any(f.name == "employment_types" for f in Route._meta.get_fields()):
        return 0  # migration 0005's models: 0011 adds the field and sets them
    shipped = {code: note for code, *_rest, note in rules.SPONSORSHIP_ROUTES}
    changed = 0
    for code, forms in rules.SPONSORSHIP_ROUTE_FORMS.items():
        route = Route.objects.filter(code=code, note=shipped[code]).first()
        if route is None or route.employment_types.exists():
            continue
        route.employment_types.set(EmploymentType.objects.filter(code__in=forms))
        route.note = (route.note + rules.ROUTE_FORMS_NOTE).strip()
        route.unconfirmed = True
        route.checked_on = date.fromisoformat(rules.ROUTE_FORMS_CHECKED)
        route.save(update_fields=["note", "unconfirmed", "checked_on"])
        changed += 1
    return changed


def correct_work_rules(models) -> int:
    """Corrections to the work rules as first shipped (issue 12 audit), made
    only where staff have not changed the row since:
    - JapaneseTest.counts_for_ssw on the tests SSW accepts (JLPT, JFT-Basic);
    - the railway field asks JLPT N3 (station and train staff), as
      automobile transport does, with its note;
    - Artist covers no kind of work on Tsunagu (not "entertainment");
    - Specified Skilled Worker (i) and (ii) never at an adult entertainment
      business (風俗営業等).
    Returns how many rows changed."""
    JapaneseTest = models.get_model("profiles", "JapaneseTest")
    Requirement = models.get_model("profiles", "SSWFieldRequirement")
    changed = JapaneseTest.objects.filter(code__in=rules.SSW_JAPANESE_TESTS, counts_for_ssw=False).update(
        counts_for_ssw=True
    )
    for code, scale in rules.SSW_FIELD_JAPANESE.items():
        note, unsure = rules.SSW_FIELD_NOTES.get(code, ("", False))
        changed += Requirement.objects.filter(field__code=code, japanese_scale=2, note="").update(
            japanese_scale=scale, note=note, unconfirmed=unsure, checked_on=date.fromisoformat(rules.CHECKED)
        )
    # Artist (芸術) excludes the performing of Entertainer (興行): it covers no
    # kind of work on Tsunagu (it was shipped covering "entertainment").
    StatusOfResidence = models.get_model("profiles", "StatusOfResidence")
    StatusRule = models.get_model("profiles", "StatusRule")
    artist = StatusOfResidence.objects.filter(code="artist").first()
    if artist is not None and set(artist.job_categories.values_list("code", flat=True)) == {"entertainment"}:
        artist.job_categories.clear()
        changed += 1 + StatusRule.objects.filter(code="artist_own_activity", note=ARTIST_SHIPPED_NOTE).update(
            note=rules.ARTIST_NOTE, source=f"{rules.CARD} {rules.ARTIST}", unconfirmed=False
        )
    # SSW food service and accommodation may not work at adult entertainment
    # premises (the other fields: our conservative reading, [M] in the note).
    for code, note, source in (
        ("ssw_1_field", rules.SSW_1_SHIPPED_NOTE, f"{rules.SSW_GENERAL} {rules.SSW_TESTS}"),
        ("ssw_2_field", rules.SSW_2_SHIPPED_NOTE, rules.SSW_2_SHIPPED_SOURCE),
    ):
        changed += StatusRule.objects.filter(
            code=code, excludes_adult_entertainment=False, note=note, source=source
        ).update(
            excludes_adult_entertainment=True,
            note=note + rules.SSW_ADULT_NOTE,
            source=f"{source} {rules.SSW_ADULT}",
            checked_on=date.fromisoformat(rules.CHECKED),
        )
    return changed


ARTIST_SHIPPED_NOTE = "[M] unconfirmed: the kinds of work listed on the status approximate its activity."

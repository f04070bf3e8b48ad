"""Loading the taxonomies (used by migration 0002 and `load_taxonomies`)."""

from profiles import taxonomy_data as data


def load_taxonomies(models) -> dict[str, int]:
    """Add the taxonomy entries that are missing; never change existing ones.

    `models` is anything with get_model(app_label, name): the migration's
    `apps` or django.apps.apps."""

    def get(name):
        return models.get_model("profiles", name)

    created = {}

    def add(model_name, code, **fields):
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
    for order, (code, en, ja, rule, hours, categories, notes) in enumerate(data.STATUSES + data.FUTURE_STATUSES):
        future = any(code == f[0] for f in data.FUTURE_STATUSES)
        status = add(
            "StatusOfResidence",
            code,
            label_en=en,
            label_ja=ja,
            label_ja_official=ja,
            work_rule=rule,
            part_time_hours_limit=hours,
            notes=notes,
            sort_order=order,
            active=not future,
        )
        if categories and not status.job_categories.exists():
            status.job_categories.set(JobCategory.objects.filter(code__in=categories))
    for t_order, (code, en, ja, levels) in enumerate(data.JAPANESE_TESTS):
        test = add("JapaneseTest", code, label_en=en, label_ja=ja, sort_order=t_order)
        for l_order, (l_code, l_en, l_ja, scale) in enumerate(levels):
            add("JapaneseLevel", l_code, test=test, label_en=l_en, label_ja=l_ja, scale=scale, sort_order=l_order)
    for order, (code, group, en, ja, field, free_text) in enumerate(data.QUALIFICATION_KINDS):
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

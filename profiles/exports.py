"""The profile's part of "download my data" and of erasure."""

from accounts.models import User
from profiles.models import CandidateProfile


def section(user: User):
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return "profile", None
    p = profile
    data = {
        "name_as_in_passport": p.name_passport,
        "name_in_katakana": p.name_kana,
        "nationality": str(p.nationality),
        "country_of_residence": str(p.country_of_residence),
        "date_of_birth": p.date_of_birth,
        "gender": p.gender,
        "telephone": p.phone,
        "address": {
            "postal_code": p.postal_code,
            "prefecture": p.prefecture.label_en if p.prefecture is not None else "",
            "city": p.city,
            "street": p.street,
            "overseas": p.overseas_address,
        },
        "status_of_residence": {
            "status": p.status.label_en if p.status is not None else None,
            "period_of_stay_ends": p.period_of_stay_expiry,
            "permission_outside_status": p.outside_activity_permission,
            "permitted_hours_per_week": p.outside_activity_hours,
            "verified_at": p.status_verified_at,
            "verification_method": p.status_verification_method,
        },
        "japanese_speaking": p.japanese_speaking,
        "japanese_tests": [
            {"level": c.level.label_en, "passed_on": c.obtained_on} for c in p.japanese_certificates.all()
        ],
        "other_languages": [{"language": lang.language, "level": lang.level} for lang in p.languages.all()],
        "qualifications": [
            {"kind": q.kind.label_en, "name": q.name, "obtained_on": q.obtained_on} for q in p.qualifications.all()
        ],
        "education": [
            {
                "school": e.school,
                "level": e.level,
                "field": e.field_of_study,
                "country": str(e.country),
                "from": e.started_on,
                "until": e.ended_on,
                "graduated": e.graduated,
            }
            for e in p.education.all()
        ],
        "work_history": [
            {
                "employer": w.employer_name,
                "title": w.job_title,
                "category": w.category.label_en if w.category is not None else None,
                "country": str(w.country),
                "from": w.started_on,
                "until": w.ended_on,
                "description": w.description,
            }
            for w in p.work_history.all()
        ],
        "looking_for": {
            "categories": [c.label_en for c in p.desired_categories.all()],
            "prefectures": [c.label_en for c in p.desired_prefectures.all()],
            "employment_types": [c.label_en for c in p.desired_employment_types.all()],
            "expected_salary": p.expected_salary,
            "salary_period": p.expected_salary_period,
            "earliest_start": p.earliest_start_date,
            "open_to_proposals": p.open_to_proposals,
        },
        "self_introduction": p.self_introduction,
        "self_introduction_hidden_by_staff": p.self_introduction_hidden,
        "photo": "photo.jpg" if p.photo else None,
        "moderation": [
            {
                "what": m.target,
                "reason": m.category,
                "state": m.state,
                "decided": m.decided_at,
                "reason_given": m.decision_reason,
            }
            for m in p.moderation_cases.all()
        ],
        "created": p.created_at,
        "updated": p.updated_at,
    }
    if p.photo:
        try:
            with p.photo.open("rb") as handle:
                data["__files__"] = {"photo.jpg": handle.read()}
        except OSError:
            data["photo"] = None
    return "profile", data


def erase(user: User) -> None:
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return
    for field in (profile.photo, profile.photo_thumbnail):
        if field:
            field.delete(save=False)

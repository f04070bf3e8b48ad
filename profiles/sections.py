"""The profile's sections, in the order a candidate fills them in.

Each section saves on its own. Sections made of entries (tests, languages,
qualifications, education, work) edit one entry at a time."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from profiles import forms
from profiles.models import EducationEntry, JapaneseCertificate, LanguageSkill, Qualification, WorkEntry


@dataclass(frozen=True)
class EntryKind:
    slug: str
    model: type
    form_class: type
    related_name: str
    title: object
    add_label: object


ENTRY_KINDS = {
    kind.slug: kind
    for kind in [
        EntryKind(
            "japanese-tests",
            JapaneseCertificate,
            forms.JapaneseCertificateForm,
            "japanese_certificates",
            _("Japanese test results"),
            _("Add a test result"),
        ),
        EntryKind(
            "languages", LanguageSkill, forms.LanguageSkillForm, "languages", _("Other languages"), _("Add a language")
        ),
        EntryKind(
            "qualifications",
            Qualification,
            forms.QualificationForm,
            "qualifications",
            _("Qualifications"),
            _("Add a qualification"),
        ),
        EntryKind("education", EducationEntry, forms.EducationForm, "education", _("Education"), _("Add a school")),
        EntryKind("work", WorkEntry, forms.WorkForm, "work_history", _("Work history"), _("Add a job")),
    ]
}


@dataclass(frozen=True)
class Section:
    slug: str
    title: object
    form_class: type | None = None
    entry_kinds: tuple[str, ...] = field(default_factory=tuple)
    required: bool = True


SECTIONS = [
    Section("basics", _("Basic information"), forms.BasicsForm),
    Section("address", _("Address"), forms.AddressForm),
    Section("status", _("Status of residence"), forms.StatusForm),
    Section("japanese", _("Japanese and other languages"), forms.JapaneseForm, ("japanese-tests", "languages")),
    Section("qualifications", _("Qualifications"), None, ("qualifications",), required=False),
    Section("education", _("Education"), None, ("education",)),
    Section("work", _("Work history"), None, ("work",), required=False),
    Section("preferences", _("What you are looking for"), forms.PreferencesForm),
    Section("introduction", _("Self-introduction"), forms.IntroductionForm),
]
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}
# Which section page lists a kind of entry.
SECTION_OF_ENTRY = {kind: s.slug for s in SECTIONS for kind in s.entry_kinds}

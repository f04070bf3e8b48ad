"""The candidate profile and the domain taxonomies it is filled in with.

Taxonomies (statuses of residence, job categories, Japanese tests, ...) are
data, not code: staff update them in the admin when the rules change (see the
2027 items in the domain notes: 育成就労 replaces Technical Intern Training,
three more SSW fields). Their first contents come from migration 0002.

Never collected (Employment Security Act Art. 5-5 and MHLW guidelines):
registered domicile (本籍), birthplace, religion or beliefs, union membership,
health or any other sensitive (要配慮) information. There is no field for them,
and none may be added. The residence card NUMBER is never stored either: only
the facts on the card that matter for work.
"""

import uuid
from typing import TypeAlias

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# --- Taxonomies ----------------------------------------------------------------


class Labelled(models.Model):
    """A taxonomy entry with a label per language (settings.LANGUAGES). Adding
    a language means a label_<code> field here (zh-hans: label_zh_hans) and
    its profiles/taxonomy_i18n/<code>.json; `label` falls back to English
    where a label is empty. Staff edit every label in the admin."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=200, blank=True)
    label_zh_hans = models.CharField(_("label (Simplified Chinese)"), max_length=200, blank=True)
    label_id = models.CharField(_("label (Indonesian)"), max_length=200, blank=True)
    label_ne = models.CharField(_("label (Nepali)"), max_length=200, blank=True)
    label_my = models.CharField(_("label (Burmese)"), max_length=200, blank=True)
    label_tl = models.CharField(_("label (Tagalog)"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Inactive entries stay on old profiles but are no longer offered.")
    )

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_in(get_language() or "en")

    def label_in(self, language: str) -> str:
        """The label in a language of settings.LANGUAGES, else English."""
        field = "label_" + language.lower().replace("-", "_")
        return getattr(self, field, None) or self.label_en


class WorkRule(models.TextChoices):
    """The card's 就労制限の有無 field, grouped."""

    UNRESTRICTED = "unrestricted", _("Work unrestricted")
    WITHIN_SCOPE = "within_scope", _("Only work within the activity of the status")
    DESIGNATION = "designation", _("Only the work named in the designation")
    NOT_PERMITTED = "not_permitted", _("No work without permission for activity outside status")


# Statuses without an end to the period of stay: permanent residents,
# special permanent residents and Highly Skilled Professional (ii).
NO_EXPIRY_STATUSES = ("permanent_resident", "special_permanent_resident", "highly_skilled_2")


class Searchable(models.Model):
    """A taxonomy entry the job search finds by other names: readings in
    kana and romaji, and synonyms in any language (data, edited in the
    admin; matching.search reads them)."""

    readings = models.TextField(
        _("readings and synonyms"),
        blank=True,
        help_text=_(
            "Other words people search this by, separated by spaces: readings in kana and romaji "
            "(とうきょう tokyo), synonyms in any language (kaigo caregiver). Katakana and hiragana are the same "
            "to the search."
        ),
    )

    class Meta:
        abstract = True


class JobCategory(Labelled, Searchable):
    """Job categories, including the Specified Skilled Worker (特定技能) fields."""

    is_ssw_field = models.BooleanField(_("Specified Skilled Worker field"), default=False)
    ssw_ii_allowed = models.BooleanField(_("SSW (ii) possible"), default=False)
    adult_entertainment = models.BooleanField(
        _("adult entertainment business (風俗営業等)"),
        default=False,
        help_text=_(
            "Work under permission for activity outside status, or on a working holiday, is never allowed here."
        ),
    )

    class Meta(Labelled.Meta):
        verbose_name = _("job category")
        verbose_name_plural = _("job categories")


class StatusOfResidence(Labelled):
    """A status of residence (在留資格) and its work rule."""

    label_ja_official = models.CharField(_("official Japanese name"), max_length=100, blank=True)
    work_rule = models.CharField(_("work rule"), max_length=16, choices=WorkRule.choices)
    part_time_hours_limit = models.PositiveSmallIntegerField(
        _("hours per week allowed with permission"),
        null=True,
        blank=True,
        help_text=_("28 for students and dependents (with permission for activity outside status)."),
    )
    job_categories = models.ManyToManyField(
        JobCategory,
        blank=True,
        related_name="statuses",
        verbose_name=_("job categories within its activity"),
        help_text=_(
            "For 'within scope' statuses: the categories its activity covers. The work rules of the status "
            "(below the statuses in the admin) apply to these unless a rule names its own."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta(Labelled.Meta):
        verbose_name = _("status of residence")
        verbose_name_plural = _("statuses of residence")


class JapaneseTest(Labelled):
    """A Japanese test. Employers may ask for a level on any test (the common
    scale); Specified Skilled Worker accepts only some tests (ISA: JLPT or
    JFT-Basic; work_rules_data.SSW_JAPANESE_TESTS)."""

    counts_for_ssw = models.BooleanField(
        _("counts for Specified Skilled Worker"),
        default=False,
        help_text=_("Specified Skilled Worker accepts only JLPT and JFT-Basic results as its Japanese test."),
    )

    class Meta(Labelled.Meta):
        verbose_name = _("Japanese test")


class JapaneseLevel(Labelled):
    """A level of one test, placed on one common scale so that any test can be
    compared with any other: 1 ≈ JLPT N5 / CEFR A1 … 5 ≈ JLPT N1."""

    test = models.ForeignKey(JapaneseTest, on_delete=models.PROTECT, related_name="levels")
    scale = models.PositiveSmallIntegerField(
        _("common scale (1 = N5 … 5 = N1)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta(Labelled.Meta):
        verbose_name = _("Japanese level")
        ordering = ["test__sort_order", "sort_order"]


class QualificationKind(Labelled):
    class Group(models.TextChoices):
        SSW_SKILLS_TEST = "ssw_skills_test", _("Specified Skilled Worker skills test")
        SSW_II_SKILLS_TEST = "ssw_ii_skills_test", _("Specified Skilled Worker (ii) skills test")
        TITP_COMPLETION = "titp_completion", _("Completion of Technical Intern Training (ii)")
        DRIVING = "driving", _("Driving licence")
        NURSING = "nursing", _("Nursing and care")
        OTHER = "other", _("Other")

    group = models.CharField(_("group"), max_length=32, choices=Group.choices)
    job_category = models.ForeignKey(
        JobCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="qualification_kinds",
        help_text=_("The SSW field a skills test (or a completed Technical Intern Training) is for."),
    )
    free_text = models.BooleanField(
        _("asks for a name"), default=False, help_text=_("For 'other': the candidate types the name.")
    )

    class Meta(Labelled.Meta):
        verbose_name = _("qualification kind")


class Prefecture(Labelled, Searchable):
    """The 47 prefectures; code is the JIS X 0401 number (01 Hokkaido … 47 Okinawa)."""

    class Meta(Labelled.Meta):
        verbose_name = _("prefecture")


class EmploymentType(Labelled):
    class Meta(Labelled.Meta):
        verbose_name = _("employment type")


# --- Work rules ----------------------------------------------------------------
#
# What each status of residence allows, as data staff read (the staff rule
# page) and edit (the admin) when the law or its reading changes. The
# matching engine (matching.rules) applies these rows in SQL; nothing about
# who may do which work is written in code. First contents: migration
# profiles.0005 from profiles/work_rules_data.py. Every row says where it
# comes from and when that was last checked; rows marked unconfirmed carry
# "[M] unconfirmed" and why in their note.


class RuleSource(models.Model):
    source = models.TextField(
        _("source"), help_text=_("Where this comes from: the law, an ISA page, a secondary source.")
    )
    checked_on = models.DateField(_("last checked on"))
    unconfirmed = models.BooleanField(
        _("unconfirmed [M]"), default=False, help_text=_("Not confirmed in a source: the note says what is unsure.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class SSWLevel(models.TextChoices):
    NONE = "", _("—")
    I = "i", _("Specified Skilled Worker (i)")  # noqa: E741 - the status's own numbering
    II = "ii", _("Specified Skilled Worker (ii)")


class StatusRule(RuleSource):
    """One way a status of residence allows work: which kinds of work, which
    employment types, how many hours, and what else it needs. A status with
    no rule allows no work at all; a job fits a status when one of its rules
    allows it."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    status = models.ForeignKey(
        StatusOfResidence, on_delete=models.PROTECT, related_name="rules", verbose_name=_("status of residence")
    )
    any_kind_of_work = models.BooleanField(
        _("any kind of work"),
        default=False,
        help_text=_("Work unrestricted by kind (permanent residents, students with permission, working holiday)."),
    )
    categories = models.ManyToManyField(
        JobCategory,
        blank=True,
        related_name="+",
        verbose_name=_("kinds of work"),
        help_text=_(
            "Empty: the kinds of work listed on the status (its activity); a status that lists none then allows none."
        ),
    )
    employment_types = models.ManyToManyField(
        EmploymentType,
        blank=True,
        related_name="+",
        verbose_name=_("employment types"),
        help_text=_("Empty: any employment type (a part-time, fixed-term or dispatch contract alike)."),
    )
    min_weekly_hours = models.PositiveSmallIntegerField(_("at least (hours a week)"), null=True, blank=True)
    max_weekly_hours = models.PositiveSmallIntegerField(_("at most (hours a week)"), null=True, blank=True)
    needs_permission = models.BooleanField(
        _("only with permission for activity outside status"),
        default=False,
        help_text=_("The hours the person's permission allows limit the job's hours as well."),
    )
    ssw_level = models.CharField(
        _("Specified Skilled Worker requirements"),
        max_length=2,
        choices=SSWLevel.choices,
        blank=True,
        help_text=_(
            "Apply the field's requirements (skills test, Japanese, dispatch) from the Specified Skilled Worker "
            "field table."
        ),
    )
    employer_bound = models.BooleanField(
        _("bound to one organisation"),
        default=False,
        help_text=_(
            "Never eligible for another employer's opening (Technical Intern Training, Intra-company Transferee)."
        ),
    )
    change_blocked = models.BooleanField(
        _("no change of status before completion"),
        default=False,
        help_text=_(
            "Sponsorship cannot help either, except the route to Specified Skilled Worker (i) in the field of a "
            "completed Technical Intern Training (ii)."
        ),
    )
    excludes_adult_entertainment = models.BooleanField(_("never in adult entertainment businesses"), default=False)
    new_employer_needs_permission = models.BooleanField(
        _("a new employer needs a new designation"),
        default=False,
        help_text=_("The designation names the employer: changing employer needs a change of status permission first."),
    )

    class Meta:
        ordering = ["status__sort_order", "status__code", "code"]
        verbose_name = _("work rule of a status")
        verbose_name_plural = _("work rules of statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_weekly_hours__isnull=True)
                | Q(max_weekly_hours__isnull=True)
                | Q(min_weekly_hours__lte=models.F("max_weekly_hours")),
                name="status_rule_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SSWFieldRequirement(RuleSource):
    """What Specified Skilled Worker needs in one field: the field's skills
    test, the Japanese level, anything else (nursing care: the nursing-care
    Japanese evaluation test), the (ii) test, and whether dispatch is allowed."""

    field = models.OneToOneField(
        JobCategory,
        on_delete=models.PROTECT,
        related_name="ssw_requirement",
        limit_choices_to={"is_ssw_field": True},
        verbose_name=_("SSW field"),
    )
    skills_test = models.ForeignKey(
        QualificationKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skills test (i)"),
    )
    japanese_scale = models.PositiveSmallIntegerField(
        _("Japanese for (i), common scale"),
        default=2,
        validators=[MaxValueValidator(5)],
        help_text=_("1 = JLPT N5 … 5 = N1; 2 = JLPT N4 or JFT-Basic A2. 0: none."),
    )
    extra_qualification = models.ForeignKey(
        QualificationKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("also needed for (i)"),
    )
    titp_completion = models.ForeignKey(
        QualificationKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("completed Technical Intern Training (ii) in this field"),
        help_text=_("Replaces the skills test and the Japanese tests for (i)."),
    )
    ssw_ii_test = models.ForeignKey(
        QualificationKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skills test (ii)"),
        help_text=_("Empty: no SSW (ii) in this field."),
    )
    japanese_scale_ii = models.PositiveSmallIntegerField(
        _("Japanese for (ii), common scale"), default=0, validators=[MaxValueValidator(5)]
    )
    dispatch_allowed = models.BooleanField(_("dispatch allowed"), default=False)

    class Meta:
        ordering = ["field__sort_order", "field__code"]
        verbose_name = _("Specified Skilled Worker field requirement")
        verbose_name_plural = _("Specified Skilled Worker field requirements")
        constraints = [
            models.CheckConstraint(condition=Q(japanese_scale__lte=5), name="ssw_requirement_scale_range"),
            models.CheckConstraint(condition=Q(japanese_scale_ii__lte=5), name="ssw_requirement_scale_ii_range"),
        ]

    def __str__(self) -> str:
        return str(self.field)


class SponsorshipRoute(RuleSource):
    """The work status an employer that sponsors a visa would apply for, for
    some kinds of work, and what the person must bring to get it. A kind of
    work with no route has no work status an employer could apply for
    (simple labour): sponsorship does not help there."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    status = models.ForeignKey(
        StatusOfResidence,
        on_delete=models.PROTECT,
        related_name="sponsorship_routes",
        verbose_name=_("status the employer would apply for"),
    )
    categories = models.ManyToManyField(
        JobCategory,
        blank=True,
        related_name="+",
        verbose_name=_("kinds of work"),
        help_text=_("Empty: the kinds of work listed on that status."),
    )
    needs_degree = models.BooleanField(_("a degree"), default=False)
    min_years_experience = models.PositiveSmallIntegerField(
        _("or years of experience in the kind of work"), null=True, blank=True
    )
    qualification = models.ForeignKey(
        QualificationKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("qualification needed"),
    )
    employment_types = models.ManyToManyField(
        EmploymentType,
        blank=True,
        related_name="+",
        verbose_name=_("employment types the status can be granted on"),
        help_text=_(
            "Empty: any. The contract the employer offers must be one of these for the change of status to be "
            "possible (a part-time job is not a basis for most work statuses)."
        ),
    )

    class Meta:
        ordering = ["status__sort_order", "code"]
        verbose_name = _("sponsorship route")
        verbose_name_plural = _("sponsorship routes")

    def __str__(self) -> str:
        return self.code


# --- The profile ---------------------------------------------------------------


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANOTHER = "another", _("Another gender")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class SpeakingLevel(models.TextChoices):
    NONE = "none", _("None yet")
    BASIC = "basic", _("Basic greetings and phrases")
    DAILY = "daily", _("Everyday conversation")
    BUSINESS = "business", _("Business conversation")
    FLUENT = "fluent", _("Fluent / native-like")


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class VerificationMethod(models.TextChoices):
    CARD_IN_PERSON = "card_in_person", _("Residence card seen in person")
    CARD_VIDEO = "card_video", _("Residence card seen on a video call")
    ISA_ONLINE = "isa_online", _("ISA online validity check")
    IC_CHIP = "ic_chip", _("IC chip read with the ISA reader app")


def _photo_path(instance, filename: str) -> str:
    # Random names: a path reveals nothing and cannot be guessed.
    return f"private/photos/{uuid.uuid4().hex}.jpg"


class CandidateProfile(models.Model):
    """Everything a candidate tells employers, one section at a time.

    Every field may be blank so that each section saves on its own and a
    half-finished profile loses nothing; `profiles.completeness` says what is
    still missing."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile")

    # Basics
    name_passport = models.CharField(_("name as in your passport"), max_length=150, blank=True)
    name_kana = models.CharField(_("name in katakana"), max_length=150, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    country_of_residence = CountryField(_("country you live in"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    phone = models.CharField(
        _("telephone"), max_length=16, blank=True, help_text=_("International format, e.g. +819012345678.")
    )

    # Address: in Japan, or overseas
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    prefecture = models.ForeignKey(
        Prefecture, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("prefecture")
    )
    city = models.CharField(_("city, ward, town or village"), max_length=100, blank=True)
    street = models.CharField(_("street, number and building"), max_length=200, blank=True)
    overseas_address = models.TextField(
        _("address outside Japan"), max_length=400, blank=True, validators=[MaxLengthValidator(400)]
    )

    # Status of residence (the card's facts, never its number)
    status = models.ForeignKey(
        StatusOfResidence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("status of residence"),
    )
    period_of_stay_expiry = models.DateField(_("period of stay ends on"), null=True, blank=True)
    outside_activity_permission = models.BooleanField(
        _("I have permission for activity outside my status (資格外活動許可)"), default=False
    )
    outside_activity_hours = models.PositiveSmallIntegerField(
        _("hours per week that permission allows"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    status_verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    status_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    status_verification_method = models.CharField(
        _("verified how"), max_length=32, choices=VerificationMethod.choices, blank=True
    )

    # Japanese
    japanese_speaking = models.CharField(
        _("how well you speak Japanese"), max_length=16, choices=SpeakingLevel.choices, blank=True
    )

    # What they look for
    desired_categories = models.ManyToManyField(
        JobCategory, blank=True, related_name="+", verbose_name=_("kinds of work")
    )
    desired_prefectures = models.ManyToManyField(
        Prefecture, blank=True, related_name="+", verbose_name=_("where in Japan")
    )
    desired_employment_types = models.ManyToManyField(
        EmploymentType, blank=True, related_name="+", verbose_name=_("employment types")
    )
    expected_salary = models.PositiveIntegerField(
        _("expected salary (JPY)"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    expected_salary_period = models.CharField(
        _("salary period"), max_length=8, choices=SalaryPeriod.choices, blank=True
    )
    earliest_start_date = models.DateField(_("earliest start date"), null=True, blank=True)
    open_to_proposals = models.BooleanField(_("staff may propose openings to me"), default=False)
    preferences_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Self-introduction (moderated)
    self_introduction = models.TextField(
        _("self-introduction"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    # Set by staff moderation; cleared when the candidate writes a new text.
    self_introduction_hidden = models.BooleanField(default=False, editable=False)

    # Photo: private files, served only through profiles.views.photo
    photo = models.FileField(upload_to=_photo_path, blank=True, max_length=200)
    photo_thumbnail = models.FileField(upload_to=_photo_path, blank=True, max_length=200)
    photo_hidden = models.BooleanField(default=False, editable=False)
    photo_source = models.CharField(
        max_length=16, blank=True, choices=[("upload", "upload"), ("google", "Google"), ("facebook", "Facebook")]
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outside_activity_hours__isnull=True) | Q(outside_activity_hours__lte=40),
                name="profile_outside_hours_bounded",
            ),
            models.CheckConstraint(
                condition=Q(postal_code="") | Q(postal_code__regex=r"^[0-9]{7}$"), name="profile_postal_code_7_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name_passport or self.user.email


class JapaneseCertificate(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="japanese_certificates")
    level = models.ForeignKey(
        JapaneseLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("test and level")
    )
    obtained_on = models.DateField(_("passed on"), null=True, blank=True)

    class Meta:
        ordering = ["-level__scale", "-obtained_on"]
        constraints = [models.UniqueConstraint(fields=["profile", "level"], name="japanese_certificate_once")]

    def __str__(self) -> str:
        return str(self.level)


# Language names in their own script, so everyone finds theirs.
LANGUAGE_CHOICES = sorted(
    ((code, f"{info['name_local']} ({info['name']})") for code, info in LANG_INFO.items() if "name_local" in info),
    key=lambda c: c[1],
) + [("tl", "Tagalog / Filipino")]
LANGUAGE_CODES = {code for code, _name in LANGUAGE_CHOICES}


class LanguageSkill(models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        CONVERSATIONAL = "conversational", _("Conversational")
        BUSINESS = "business", _("Business")
        NATIVE = "native", _("Native or fluent")

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="languages")
    # An ISO 639 code (see LANGUAGE_CHOICES); validated by the form.
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="language_skill_once")]

    def __str__(self) -> str:
        return f"{self.language} ({self.level})"

    def get_language_display(self) -> str:
        """The language's name as the form offers it ("Tiếng Việt (Vietnamese)"),
        not its code: the field has no choices, the form validates the code."""
        return dict(LANGUAGE_CHOICES).get(self.language, self.language)


class Qualification(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.ForeignKey(
        QualificationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("qualification")
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("For 'other' qualifications."))
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)

    class Meta:
        ordering = ["-obtained_on", "pk"]

    def __str__(self) -> str:
        return self.name or str(self.kind)


class EducationEntry(models.Model):
    class Level(models.TextChoices):
        SECONDARY = "secondary", _("High school")
        VOCATIONAL = "vocational", _("Vocational school (専門学校)")
        JAPANESE_SCHOOL = "japanese_school", _("Japanese language school")
        ASSOCIATE = "associate", _("Junior college / associate degree")
        BACHELOR = "bachelor", _("Bachelor's degree")
        MASTER = "master", _("Master's degree")
        DOCTORATE = "doctorate", _("Doctorate")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="education")
    school = models.CharField(_("school"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty if you study there now."))
    graduated = models.BooleanField(_("graduated"), default=False)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="education_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.started_on})"


class WorkEntry(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="work_history")
    employer_name = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    category = models.ForeignKey(
        JobCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of work")
    )
    country = CountryField(_("country"), blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty if you work there now."))
    description = models.TextField(
        _("what you did"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="work_dates_ordered"
            ),
        ]
        # Who has experience in a kind of work, read from the index alone
        # (the matching engine asks it for every ranking).
        indexes = [models.Index(fields=["category", "profile"], name="work_entry_category_profile")]

    # --- Moderation ----------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.job_title} at {self.employer_name}"


class ProhibitedContent(models.TextChoices):
    """The prohibited-content list of the Terms of Use (seed 004)."""

    VIOLENCE = "violence", _("Violence or cruelty")
    MALWARE = "malware", _("Viruses or harmful programs")
    DEFAMATION = "defamation", _("Damages the honour or credibility of others")
    OBSCENE = "obscene", _("Obscene expressions")
    DISCRIMINATION = "discrimination", _("Promotes discrimination")
    SELF_HARM = "self_harm", _("Promotes self-harm or suicide")
    DRUGS = "drugs", _("Promotes improper use of drugs")
    ANTISOCIAL = "antisocial", _("Antisocial expressions")
    CHAIN_MAIL = "chain_mail", _("Spreads third parties' information (chain mail)")
    DISCOMFORT = "discomfort", _("May cause discomfort to others")
    DATING = "dating", _("Seeking romantic acquaintances")
    OTHER_PERSONAL = "sensitive", _("Sensitive personal information that must not be collected")


class ModerationCase(models.Model):
    class Target(models.TextChoices):
        SELF_INTRODUCTION = "self_introduction", _("Self-introduction")
        PHOTO = "photo", _("Photo")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Hidden")
        DISMISSED = "dismissed", _("Dismissed")

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="moderation_cases")
    target = models.CharField(_("what"), max_length=32, choices=Target.choices)
    category = models.CharField(_("reason"), max_length=32, choices=ProhibitedContent.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)])
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        _("reason told to the candidate"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )

    class Meta:
        ordering = ["state", "reported_at"]
        indexes = [models.Index(fields=["state", "reported_at"])]

    def __str__(self) -> str:
        return f"{self.get_target_display()} of profile {self.profile_id}: {self.state}"


# One entry of a profile's history sections (profiles.sections.ENTRY_KINDS).
ProfileEntry: TypeAlias = JapaneseCertificate | LanguageSkill | Qualification | EducationEntry | WorkEntry

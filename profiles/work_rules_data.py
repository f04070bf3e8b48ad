# ruff: noqa: E501 - data tables read best one entry per line
"""First contents of the work rules (profiles.StatusRule, SSWFieldRequirement,
SponsorshipRoute): who may do which work under which status of residence.

Loaded by migration profiles.0005 and by `manage.py load_taxonomies`, which
only add missing rows (by code or field): once loaded, staff own the rules
(admin) and read them on the staff rule page.

Sources are those of ../shared/domain/japan.md (S1–S23) and secondary pages
that quote the Immigration Services Agency (ISA); none was checked against
an official text here, so every row says which source it rests on. Where the
rule is a reading of ours, or a source could not be found, the note says
"[M] unconfirmed" and the row is marked unconfirmed: the engine still applies
it, on the side that never lets through someone who may not take the job.
"""

CHECKED = "2026-12-04"

# --- Sources ----------------------------------------------------------------------

CARD = (
    "Residence card work field (就労制限の有無) and status tables: domain notes S1 nyukan-assist.tokyo, "
    "S2 immigration.sunrise-fp.com/residential-status, S3 inagawayobouhoumu.net No. 370 (secondary)."
)
OUTSIDE_PERMISSION = (
    "Permission for activity outside status (資格外活動許可): ≤28 h in any 7 days, students ≤8 h a day in their "
    "school's long holidays, never in adult entertainment businesses (風俗営業等), students only while enrolled. "
    "haganotakeyuki.tokyo/page3.html citing immi-moj.go.jp (S4); easy-consul.com/shikakugaikatsudou-shuuroujikan "
    "(secondary)."
)
SSW_GENERAL = (
    "SSW employment: direct, full-time (5 days and 30 h a week or more), dispatch only in agriculture and fishery. "
    "office-okada-scr.com/blog/archives/102; visa.gsss.pro/?p=3648; cipenglishschool.com (特定技能の派遣はNG? "
    "農業・漁業だけOK); ISA 特定技能ガイドブック as quoted by gagr.co.jp (secondary)."
)
SSW_TESTS = (
    "SSW (i): the field's skills test and JFT-Basic A2 or JLPT N4 (S6, S11); nursing care also the nursing-care "
    "Japanese evaluation test (smilevisa.jp/owned-media/tokuteiginou_kaigo_exam; tokuteiginou.pro/test/kaigoshikenn); "
    "good completion of Technical Intern Training (ii) in a related field replaces the tests "
    "(visasupportnavi.net/?p=10208; shionagaoffice.jp/blog/25422) (secondary)."
)
SSW_ADULT = (
    "SSW and adult entertainment (風営法): food service may not employ SSW workers at premises of a 風俗営業 (Art. 2(1), "
    "save banquet halls of licensed hotels, 対象旅館等) nor of a 性風俗関連特殊営業 (Art. 2(5)), nor have them entertain "
    "guests (接待); accommodation only at licensed hotels and inns, never at facilities under Art. 2(6)(iv) (love "
    "hotels) (分野別運用要領 for food service pp. 13–14 and accommodation p. 14, as quoted by mintoku.com/biz/?p=3626 "
    "and bridge2n.jp/17486017115389; tokuteiginou.kbp.or.jp 外食業) (secondary)."
)
SSW_ADULT_NOTE = (
    " Never at an adult entertainment business (風俗営業等), in any field [M] unconfirmed: food service and "
    "accommodation exclude such premises by their field rules; for the other fields no rule was found and the "
    "exclusion is our conservative reading (work there is rarely the field's own). The food-service exception for "
    "banquet halls of licensed hotels (対象旅館等) is not modelled: staff may propose with a recorded reason."
)
TITP = (
    "Technical Intern Training: only at the organisation named in the designation (指定書記載機関での在留資格に基づく"
    "就労活動のみ可, S3); changing employer in principle not allowed; after good completion of (ii) the trainee may "
    "move to SSW (i) in a related field (visasupportnavi.net/news/10216; osahiro.blog/archives/682) (secondary)."
)
ICT = (
    "Intra-company Transferee: a transfer within the company group, E/H/I work only "
    "(office-arai-gunma.com/gyoumu/category33/entry44.html; aptitude.co.jp 企業内の転勤); joining another company "
    "means a change of status first (visasupportnavi.net/?p=11671) (secondary)."
)
EHI = (
    "Engineer/Specialist in Humanities/International Services: degree related to the work (or Japanese vocational "
    "school), or 10 years of experience; international services (translation, interpretation, language teaching, "
    "…) 3 years, none for graduates teaching or translating (ISA ordinance quoted by habu-gyosei.com/work-visa/302; "
    "maron-office.com/archives/1968; sapporocapls.com/clp/320 lists teachers at private companies) (secondary)."
)
JOB_HUNTING = (
    "Designated Activities (continued job hunting): 6 months, renewable once; work only with permission for activity "
    "outside status, 28 h a week, no vacation exception (fukada-office.kilo.jp/jobhunting; visa-kyoto.com 指定書) "
    "(secondary)."
)
WORKING_HOLIDAY = (
    "Designated Activities (working holiday): work to fund the holiday without separate permission, never in "
    "adult entertainment businesses (sapporozairyu.com, working holiday; visanavi-law.com) (secondary)."
)
NO46 = (
    "Designated Activities No. 46 (本邦大学卒業者): Japanese university graduates with JLPT N1 or BJT 480+, full-time "
    "work that uses Japanese, service and manufacturing work included, no part-time or dispatch, no work reserved "
    "to licensed professions or adult entertainment (visa-agent.net/service/for-work/visa-tokuteikatudou46; "
    "tonbo-law.com/?p=2825 quoting the ISA guideline; gofujii-office.com) (secondary)."
)
ARTIST = (
    "Artist (芸術): paid musical, artistic or literary activity, excluding the activities of Entertainer (興行) "
    "(Immigration Control Act, Appended Table I(1), as quoted by S1 nyukan-assist.tokyo) (secondary)."
)
ARTIST_NOTE = (
    "No kind of work on Tsunagu is this status's activity: 'Entertainment and performing arts' is Entertainer "
    "(興行), which Artist excludes. It fits no opening."
)
HSP = "Highly Skilled Professional (i): the designation names the employer (S23 kyoka-minnpaku-fukuoka.com; 4arrows-japan.com) (secondary)."


def _rule(code, status, *, source, note="", unconfirmed=False, **fields) -> dict:
    return {"code": code, "status": status, "source": source, "note": note, "unconfirmed": unconfirmed, **fields}


# --- What each status allows --------------------------------------------------------
# Keys besides code/status/source/note/unconfirmed: any_kind_of_work,
# categories (codes; empty = the status's own list), employment_types (codes;
# empty = any), min_weekly_hours, max_weekly_hours, needs_permission,
# ssw_level ("i"/"ii"), employer_bound, change_blocked,
# excludes_adult_entertainment, new_employer_needs_permission.
# A status with no row (temporary visitor, diplomat, official, cultural
# activities, trainee, Designated Activities with another designation)
# allows no work.

# The Specified Skilled Worker rows as first shipped (taxonomy.correct_work_rules
# adds the adult entertainment exclusion to rows still in this form).
SSW_1_SHIPPED_NOTE = (
    "Dispatch only where the field table allows it (agriculture, fishery). 5 days a week is not modelled: an "
    "opening states hours only [M] unconfirmed whether fixed-term contracts always qualify (sources say "
    "full-time direct employment; fixed-term full-time contracts are common)."
)
SSW_2_SHIPPED_SOURCE = f"{SSW_GENERAL} SSW (ii): the field's (ii) test; food service and fishery also JLPT N3 (manabel-japan.com, nihongocafe.jp) (secondary)."
SSW_2_SHIPPED_NOTE = "The (ii) practical or supervisory experience is not modelled (holders have it) [M] unconfirmed."

STATUS_RULES = [
    # Work unrestricted (就労制限なし)
    *[
        _rule(f"{code}_any_work", code, any_kind_of_work=True, source=CARD)
        for code in ("permanent_resident", "spouse_of_japanese", "spouse_of_permanent_resident", "long_term_resident")
    ],
    _rule(
        "special_permanent_resident_any_work",
        "special_permanent_resident",
        any_kind_of_work=True,
        source="Domain notes §1 (S5; M).",
        unconfirmed=True,
        note="[M] unconfirmed: under the Special Act, not the Immigration Act; no work limits known.",
    ),
    # Only within the activity of the status (在留資格に基づく就労活動のみ可): the
    # kinds of work listed on the status.
    *[
        _rule(
            f"{code}_own_activity",
            code,
            source=CARD,
            unconfirmed=unsure,
            note="[M] unconfirmed: the kinds of work listed on the status approximate its activity." if unsure else "",
        )
        for code, unsure in (
            ("professor", True),
            ("business_manager", False),
            ("legal_accounting", False),
            ("medical_services", False),
            ("researcher", False),
            ("instructor", True),
            ("nursing_care", False),
            ("entertainer", True),
            ("skilled_labor", True),
            ("highly_skilled_2", True),
        )
    ],
    *[
        _rule(
            f"{code}_own_activity",
            code,
            source=CARD,
            note="No kind of work on Tsunagu is this status's activity: it fits no opening.",
        )
        for code in ("religious_activities", "journalist")
    ],
    _rule(
        "artist_own_activity",
        "artist",
        source=f"{CARD} {ARTIST}",
        note=ARTIST_NOTE,
    ),
    *[
        _rule(
            f"{code}_own_activity",
            code,
            new_employer_needs_permission=True,
            source=f"{CARD} {HSP}",
            unconfirmed=True,
            note="[M] unconfirmed: the kinds of work listed on the status approximate its activity.",
        )
        for code in ("highly_skilled_1a", "highly_skilled_1b", "highly_skilled_1c")
    ],
    _rule(
        "engineer_humanities_own_activity",
        "engineer_humanities",
        source=f"{CARD} {EHI}",
        note="Includes language teaching at companies and private language schools (international services). "
        "Teaching at public schools is the Instructor status [M] unconfirmed.",
    ),
    _rule(
        "intra_company_transferee_bound",
        "intra_company_transferee",
        employer_bound=True,
        source=ICT,
        note="Bound to the company group that transferred the person: never eligible for another employer's opening. "
        "Another employer could sponsor a change to Engineer/Humanities/International if the person qualifies.",
    ),
    # Specified Skilled Worker: the field of the tests passed, full-time, direct.
    _rule(
        "ssw_1_field",
        "ssw_1",
        employment_types=["full_time", "contract", "dispatch"],
        min_weekly_hours=30,
        ssw_level="i",
        excludes_adult_entertainment=True,
        new_employer_needs_permission=True,
        source=f"{SSW_GENERAL} {SSW_TESTS} {SSW_ADULT}",
        note=SSW_1_SHIPPED_NOTE + SSW_ADULT_NOTE,
        unconfirmed=True,
    ),
    _rule(
        "ssw_2_field",
        "ssw_2",
        employment_types=["full_time", "contract", "dispatch"],
        min_weekly_hours=30,
        ssw_level="ii",
        excludes_adult_entertainment=True,
        new_employer_needs_permission=True,
        source=f"{SSW_2_SHIPPED_SOURCE} {SSW_ADULT}",
        note=SSW_2_SHIPPED_NOTE + SSW_ADULT_NOTE,
        unconfirmed=True,
    ),
    # Technical Intern Training and its successor: bound to the plan.
    *[
        _rule(
            f"{code}_bound",
            code,
            employer_bound=True,
            change_blocked=True,
            source=TITP,
            note="Never eligible for another employer's opening, nor for side jobs. Route shown instead: SSW (i) in "
            "the same field after good completion of (ii). [M] unconfirmed: a change before completion is refused "
            "in principle, not by statute.",
            unconfirmed=True,
        )
        for code in ("technical_intern_1", "technical_intern_2", "technical_intern_3")
    ],
    _rule(
        "employment_for_skill_development_bound",
        "employment_for_skill_development",
        employer_bound=True,
        change_blocked=True,
        source="Act No. 60 of 2024 (domain notes S9, S11).",
        unconfirmed=True,
        note="[M] unconfirmed: in force 1 Apr 2027; a change of employer at the worker's wish after 1–2 years is "
        "not modelled. Review before switching the status on.",
    ),
    # Designated Activities: by designation.
    _rule(
        "designated_activities_job_hunting_with_permission",
        "designated_activities_job_hunting",
        any_kind_of_work=True,
        max_weekly_hours=28,
        needs_permission=True,
        excludes_adult_entertainment=True,
        source=JOB_HUNTING,
    ),
    _rule(
        "designated_activities_working_holiday_any_work",
        "designated_activities_working_holiday",
        any_kind_of_work=True,
        excludes_adult_entertainment=True,
        source=WORKING_HOLIDAY,
        unconfirmed=True,
        note="[M] unconfirmed: work is meant to fund the holiday; some sources doubt permanent full-time posts. "
        "Not restricted here: no source calls them unlawful.",
    ),
    _rule(
        "designated_activities_no46_full_time",
        "designated_activities_no46",
        employment_types=["full_time", "contract"],
        min_weekly_hours=30,
        excludes_adult_entertainment=True,
        new_employer_needs_permission=True,
        source=NO46,
        unconfirmed=True,
        note="Kinds of work: those listed on the status, each only with duties that use Japanese (never line, "
        "kitchen or cleaning work alone). Factory work is left out: an opening does not say whether its duties "
        "use Japanese, and line work alone is not allowed. [M] unconfirmed: 30 h stands for 常勤 (full-time). "
        "Not a sponsorship route: the duties must centre on communication in Japanese, which an opening does not "
        "state; staff may propose such a candidate with a recorded reason.",
    ),
    # Work not permitted: only with permission for activity outside status.
    *[
        _rule(
            f"{code}_with_permission",
            code,
            any_kind_of_work=True,
            max_weekly_hours=28,
            needs_permission=True,
            excludes_adult_entertainment=True,
            source=OUTSIDE_PERMISSION,
            note=note,
        )
        for code, note in (
            (
                "student",
                "Any contract type (a 20-hour contract or dispatch work is fine): the permission limits hours and "
                "the kind of business, not the contract. The long-holiday allowance (8 h a day) is not modelled: "
                "openings state hours a week, and 28 applies.",
            ),
            ("dependent", "Any contract type; no holiday allowance."),
        )
    ],
]

# --- Specified Skilled Worker: per field ------------------------------------------------
# (field, Japanese scale for (i), also needed for (i), dispatch allowed,
#  Japanese scale for (ii), note)
# Skills tests, (ii) tests and Technical Intern Training completions are the
# qualification kinds named after the field (taxonomy_data).

SSW_FIELD_NOTES = {
    "ssw_nursing_care": ("No SSW (ii): the Nursing Care status covers it (S7).", False),
    "ssw_automobile_transport": (
        "Taxi and bus drivers need JLPT N3, truck drivers N4, plus a Japanese driving licence (second class for taxi "
        "and bus) (office-okada-scr.com; sapporocapls.com/clp/driver2). The kind of work does not say which: the "
        "higher level applies. The licence may be obtained after entry and is not checked. [M] unconfirmed: "
        "applying N3 to truck drivers is our conservative reading, not the rule.",
        True,
    ),
    "ssw_railway": (
        "Station and train staff (運輸係員) need JLPT N3; track, electrical and rolling-stock maintenance and "
        "rolling-stock manufacturing N4 (field operating policy of 2024 as summarised by kbp.or.jp (特定技能対象分野の"
        "追加) and saitok-fukaya.com (特定技能の日本語能力)) (secondary). The kind of work does not say which: the "
        "higher level applies. [M] unconfirmed: applying N3 to maintenance work is our conservative reading, not the "
        "rule.",
        True,
    ),
    "ssw_agriculture": (
        "Dispatch allowed (through dispatch businesses tied to agriculture or local government).",
        False,
    ),
    "ssw_fishery": ("Dispatch allowed; SSW (ii) also needs JLPT N3.", False),
    "ssw_food_service": ("SSW (ii) also needs JLPT N3.", False),
}
SSW_FIELD_JAPANESE = {"ssw_automobile_transport": 3, "ssw_railway": 3}
SSW_FIELD_JAPANESE_II = {"ssw_food_service": 3, "ssw_fishery": 3}
SSW_FIELD_EXTRA = {"ssw_nursing_care": "nursing_care_japanese_test"}
SSW_DISPATCH = {"ssw_agriculture", "ssw_fishery"}
SSW_FIELD_SOURCE = f"{SSW_GENERAL} {SSW_TESTS}"
# The Japanese tests SSW accepts (JapaneseTest.counts_for_ssw): JLPT and
# JFT-Basic only. BJT and NAT-TEST results, however high, do not stand in for
# them: "the only Japanese tests designated for SSW (i) are JFT-Basic and
# JLPT (N4 or above)" (Japan Foundation Q&A quoted by shikauchi.jp,
# 2022-02-22; nihongocafe.jp for the N3 of SSW (ii)) (secondary). A higher
# level of another test is an employer's matter, not the status's.
SSW_JAPANESE_TESTS = ("jlpt", "jft_basic")
TITP_RELATED_NOTE = (
    "[M] unconfirmed: which Technical Intern Training occupations count as related to the field is decided case by "
    "case; the completion entry is per field."
)

# --- Sponsorship: the status an employer would apply for ----------------------------------------
# (code, status, categories (empty = the status's list), degree, years, qualification, source, unconfirmed, note)

SPONSORSHIP_ROUTES = [
    (
        "engineer_humanities_professional",
        "engineer_humanities",
        ["it_engineering", "office_admin", "sales_marketing", "hotel_guest_services"],
        True,
        10,
        None,
        EHI,
        True,
        "A degree (or Japanese vocational school diploma) or 10 years of experience. [M] unconfirmed: the engine "
        "checks that a degree exists, not that its subject relates to the work; a Japanese vocational school counts "
        "when the school is in Japan.",
    ),
    (
        "engineer_humanities_international",
        "engineer_humanities",
        ["interpretation", "teaching"],
        True,
        3,
        None,
        EHI,
        False,
        "Translation, interpretation and language teaching: any degree, or 3 years of experience.",
    ),
    (
        "ssw_1",
        "ssw_1",
        [],
        False,
        None,
        None,
        SSW_FIELD_SOURCE,
        False,
        "The field's skills test and Japanese (field table).",
    ),
    (
        "nursing_care",
        "nursing_care",
        [],
        False,
        None,
        "certified_care_worker",
        "Nursing Care requires the 介護福祉士 (certified care worker) qualification (domain notes S5).",
        False,
        "",
    ),
    (
        "skilled_labor_chef",
        "skilled_labor",
        ["chef_foreign_cuisine"],
        False,
        10,
        None,
        "Skilled Labor, cooks of foreign cuisine: 10 years of experience [M].",
        True,
        "[M] unconfirmed: 10 years including training; shorter for Thai cuisine under a treaty.",
    ),
    (
        "instructor",
        "instructor",
        ["teaching"],
        True,
        None,
        None,
        "Instructor (教育): teaching at schools [M].",
        True,
        "[M] unconfirmed: teaching at elementary and secondary schools with a degree; licence rules not checked.",
    ),
    (
        "researcher",
        "researcher",
        ["research"],
        True,
        None,
        None,
        "Researcher (研究) [M].",
        True,
        "[M] unconfirmed: a master's degree or 3 years of research may also qualify; the engine asks for a degree.",
    ),
]

# The contract a change of status can rest on (issue 12 review). A work status
# is granted on stable employment paid as a Japanese employee would be: in
# practice a part-time (アルバイト・パート) contract is refused as the basis
# for Engineer/Humanities/International, Skilled Labor and Nursing Care, while
# fixed-term and dispatch contracts are accepted. Instructor and Researcher
# are left open (part-time lecturers may qualify on their total hours).
# Specified Skilled Worker has its own rule (full-time, direct, dispatch only
# in agriculture and fishery).
ROUTE_FORMS_CHECKED = "2026-12-05"
ROUTE_STABLE_FORMS = ["full_time", "contract", "dispatch"]
ROUTE_FORMS_NOTE = (
    " [M] unconfirmed: a part-time contract is not accepted as the basis for the change (ISA practice as reported "
    "by immigration lawyers; the law asks for a contract paying what a Japanese employee would earn, which the "
    "engine does not check); fixed-term and dispatch contracts are."
)
SPONSORSHIP_ROUTE_FORMS = {
    "engineer_humanities_professional": ROUTE_STABLE_FORMS,
    "engineer_humanities_international": ROUTE_STABLE_FORMS,
    "skilled_labor_chef": ["full_time", "contract"],
    "nursing_care": ROUTE_STABLE_FORMS,
}

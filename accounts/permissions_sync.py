"""What each staff group may do in the admin (Django model permissions).

Kept in code so every environment has the same groups; applied after every
migrate (accounts.apps)."""

from django.contrib.auth.models import Group, Permission

VIEW, CHANGE = "view", "change"

# Every staff group works with the outbox: support above all (delivery
# problems, bounces), coordinators (campaigns), privacy officers (what was
# sent to whom, for requests).
OUTBOX = [
    ("outbox", "outboundemail", VIEW),
    ("outbox", "suppression", VIEW),
    ("outbox", "suppression", CHANGE),
]

TAXONOMIES = [
    "statusofresidence",
    "jobcategory",
    "japaneselevel",
    "japanesetest",
    "qualificationkind",
    "prefecture",
    "employmenttype",
]
# The work rules (profiles.StatusRule …): coordinators keep them up to date.
WORK_RULES = ["statusrule", "sswfieldrequirement", "sponsorshiproute"]

GROUP_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    "coordinator": [
        *[("profiles", model, action) for model in TAXONOMIES for action in (VIEW, CHANGE)],
        *[("profiles", model, action) for model in WORK_RULES for action in (VIEW, CHANGE, "add", "delete")],
        ("profiles", "candidateprofile", VIEW),
        ("profiles", "moderationcase", VIEW),
        ("accounts", "employer", VIEW),
        ("accounts", "employer", CHANGE),
        ("accounts", "employermember", VIEW),
        ("accounts", "employerinvitation", VIEW),
        ("accounts", "user", VIEW),
        *OUTBOX,
    ],
    "support": [
        *[("profiles", model, VIEW) for model in TAXONOMIES + WORK_RULES],
        ("profiles", "candidateprofile", VIEW),
        ("profiles", "moderationcase", VIEW),
        ("accounts", "employer", VIEW),
        ("accounts", "employermember", VIEW),
        ("accounts", "employerinvitation", VIEW),
        ("accounts", "user", VIEW),
        *OUTBOX,
    ],
    "privacy_officer": [
        *[("profiles", model, VIEW) for model in WORK_RULES],
        ("profiles", "candidateprofile", VIEW),
        ("profiles", "moderationcase", VIEW),
        ("accounts", "user", VIEW),
        ("consents", "consentevent", VIEW),
        ("consents", "accessrecord", VIEW),
        ("consents", "policyversion", VIEW),
        ("consents", "policyversion", "add"),
        ("consents", "policyversion", CHANGE),
        ("consents", "policytext", VIEW),
        ("consents", "policytext", "add"),
        ("consents", "policytext", CHANGE),
        ("consents", "policytext", "delete"),
        *OUTBOX,
    ],
}


def sync_group_permissions(**kwargs) -> None:
    for group_name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for app_label, model, action in perms:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=f"{action}_{model}").first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)

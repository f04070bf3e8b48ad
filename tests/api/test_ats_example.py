"""docs/ats_example.py, the ATS integrators' example, run as a separate
program against a live server: token, polling with the cursor, the
applicant read (and recorded), the application moved (and the candidate
told), and polling on from where the last run stopped."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from accounts.oauth import EMPLOYER_SCOPES
from consents.models import AccessRecord, Channel
from consents.services import share_grant_withdraw, subject_key_for
from matching.models import Application, Message
from tests.api.factories import register
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(settings.BASE_DIR) / "docs" / "ats_example.py"


def run_example(live_server, issued, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--base-url",
            live_server.url,
            "--client-id",
            issued.client.client_id,
            "--client-secret",
            issued.secret,
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def api_reads_of(user):
    return AccessRecord.objects.filter(subject_key=subject_key_for(user), channel=Channel.API)


def test_the_ats_example_syncs_reads_and_moves(live_server):
    employer = EmployerWithAgreementFactory()
    issued = register(admin_of(employer), scopes=EMPLOYER_SCOPES)
    opening = OpeningFactory(employer=employer)
    shared = [ApplicationFactory(opening=opening) for _ in range(3)]
    withdrawn = ApplicationFactory(opening=opening)
    share_grant_withdraw(actor=withdrawn.candidate, grant=withdrawn.grant)
    ApplicationFactory()  # another company's: never seen

    first = run_example(live_server, issued, "--since", "2000-01-01T00:00:00+09:00", "--move-to", "screening")

    assert sorted(first["seen"]) == sorted(a.pk for a in [*shared, withdrawn])
    assert sorted(r["application"] for r in first["read"]) == sorted(a.pk for a in shared)
    assert first["not_visible"] == [withdrawn.pk]
    assert sorted(first["moved"]) == sorted(a.pk for a in shared)
    assert set(Application.objects.filter(pk__in=first["moved"]).values_list("state", flat=True)) == {"screening"}
    for application in shared:
        # The read was recorded for the candidate, and they were told of the move.
        assert api_reads_of(application.candidate).exists()
        assert Message.objects.filter(recipient=application.candidate).exists()
    assert not api_reads_of(withdrawn.candidate).exists()

    # Our own moves changed those applications: the next poll brings them
    # back once (already past "applied": nothing moved twice), then nothing.
    again = run_example(live_server, issued, "--since", first["next_since"], "--move-to", "screening")
    assert sorted(again["seen"]) == sorted(first["moved"]) and again["moved"] == []
    quiet = run_example(live_server, issued, "--since", again["next_since"])
    assert quiet["seen"] == [] and quiet["next_since"] == again["next_since"]

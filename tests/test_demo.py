"""The demo as a newcomer meets it (issue 14): `make demo PORT=8101` serves on
that port and every email links to it (SITE_URL); the seeding output goes to
a log, the sign-ins are printed last and short; our own icons, so no page
asks for a file that is not there."""

import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse

from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s<>\"')]+")


def test_make_demo_takes_a_port_and_sets_the_site_address_from_it():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "PORT   ?= 8000" in makefile
    assert "demo: export SITE_URL = http://127.0.0.1:$(PORT)" in makefile
    assert "runserver 127.0.0.1:$(PORT)" in makefile


@pytest.mark.django_db(transaction=True)  # the demo's mail goes out on commit, as in `make demo`
def test_seeding_output_goes_to_a_log_and_the_sign_ins_come_last(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as in the demo
    log = tmp_path / "seed.log"
    out = io.StringIO()

    call_command("seed_demo", "--log", str(log), stdout=out)

    printed = out.getvalue().strip().splitlines()
    assert len(printed) <= 20, printed
    assert printed[0].startswith("Demo data ready")
    assert "Demo sign-ins" in printed[2]
    assert "http://127.0.0.1:8101/en/accounts/login/" in printed[2]
    assert printed[-1].strip().startswith("support@demo.tsunagu.example")
    # The demo emails went to the log, not to the screen.
    assert "Subject:" in log.read_text()
    captured = capsys.readouterr()
    assert "Subject:" not in captured.out and "Subject:" not in captured.err


def test_every_demo_email_links_to_the_configured_address_and_port(settings, tmp_path):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    call_command("seed_demo", "--log", str(tmp_path / "seed.log"), stdout=io.StringIO())

    links = [link for row in OutboundEmail.objects.all() for link in URL.findall(row.body_text + row.body_html)]
    assert links, "the demo sends mail with links"
    elsewhere = [link for link in links if not (link + "/").startswith("http://127.0.0.1:8101/")]
    assert elsewhere == []


def test_sign_in_mails_link_to_the_configured_address_too(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "nobody@example.test"})
    [message] = mail.outbox
    links = URL.findall(message.body)
    assert links
    assert all((link + "/").startswith("http://127.0.0.1:8101/") for link in links), links


def test_our_icons_and_manifest_exist_and_favicon_ico_leads_to_them(client):
    for name in ("icons/favicon.ico", "icons/icon.svg", "icons/apple-touch-icon.png", "icons/manifest.webmanifest"):
        assert finders.find(name), name
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/icons/favicon.ico")
    page = client.get("/en/").content.decode()
    assert 'rel="manifest"' in page and 'rel="icon"' in page and 'rel="apple-touch-icon"' in page


# Four requests at once, each reading and then writing in one transaction
# (as the outbox claims an email), on the demo's own settings and database.
CONCURRENT_WRITES = textwrap.dedent(
    """
    import threading, time
    import django
    django.setup()
    from django.db import connection, transaction
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (n integer)")
        cursor.execute("INSERT INTO tally VALUES (0)")
    errors = []

    def request():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM tally")
                time.sleep(0.2)
                cursor.execute("UPDATE tally SET n = n + 1")
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM tally")
        print(cursor.fetchone()[0], errors)
    """
)


def test_the_demo_database_lets_concurrent_requests_write_in_turn(tmp_path):
    """runserver answers in threads: with SQLite's deferred transactions one
    of them failed with "database is locked" and the demo lost the email of a
    sign-in code. The demo's settings make them wait for each other."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITES],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "4 []", result.stdout + result.stderr

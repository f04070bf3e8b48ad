"""Webhooks go only to the public internet (SSRF): hostile receiver URLs are
refused when added, with a message in the admin's language, and a host that
later resolves into a private network gets nothing at delivery time. The
tests' local receiver works only through the documented allowance."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.models import WebhookDelivery, WebhookEndpoint
from matching.services import webhook_endpoint_add, webhook_test_send
from matching.webhook_addresses import check_webhook_url
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.test_project import PRODUCTION_ENV, no_dotenv, run_with_production_settings  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_rule(settings):
    # http allowed so that the address rule itself is what refuses below;
    # no network exempt (production's rule).
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = True
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = []
    settings.TSUNAGU_WEBHOOK_TIMEOUT_SECONDS = 5


def refusal(url: str) -> str:
    with pytest.raises(ValidationError) as caught:
        check_webhook_url(url)
    return caught.value.error_dict["url"][0].code


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://127.8.9.10/",
        "https://10.0.0.5/",
        "https://172.16.0.1/",
        "https://192.168.1.1/",
        "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://100.64.0.1/",  # carrier-grade NAT
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://255.255.255.255/",
        "https://[::1]/",
        "https://[::]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:7f00:1]/",
        "https://[::ffff:169.254.169.254]/",
        "https://[::ffff:10.0.0.1]:8443/",
        "https://[::127.0.0.1]/",  # IPv4-compatible
        "https://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "https://[fc00::1]/",
        "https://[fd12:3456:789a::1]/",
        "https://[fe80::1]/",
        "https://[fe80::1%25eth0]/",
        "https://[fec0::1]/",
        "https://[ff02::1]/",
        "https://localhost/",
        "https://LOCALHOST./",
        "https://internal.example.test/",
        "https://metadata.example.test/",
        "https://mapped.example.test/",
        "https://mixed.example.test/",  # one private address among public ones is enough
        "https://１２７.０.０.１/",  # full-width digits: 127.0.0.1 after IDNA mapping
        "https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",  # circled letters: localhost after IDNA mapping
    ],
)
def test_private_and_reserved_addresses_are_refused(url):
    assert refusal(url) == "private"


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",  # octal
        "http://127.1/",
        "http://017700000001/",
        "https://ats.example.test\\@127.0.0.1/",
        "https://ats.example.test:99999/",
        "https://ats.example.test:port/",
        "https:///hook",
        "https://ats.exa mple.test/",
        "https://ats.example.test%2F@x/",
        "https://[not-an-address]/",
        "https://ats.example.test\r\nX-Injected: 1/",
    ],
)
def test_odd_host_forms_are_refused(url):
    assert refusal(url) in {"host", "userinfo"}


@pytest.mark.parametrize(
    "url",
    [
        "https://ats.example.test@127.0.0.1/",
        "https://user:secret@ats.example.test/",
        "https://127.0.0.1@ats.example.test/",
    ],
)
def test_user_names_and_passwords_are_refused(url):
    assert refusal(url) == "userinfo"


def test_other_schemes_and_very_long_addresses_are_refused(settings):
    assert refusal("ftp://ats.example.test/") == "scheme"
    assert refusal("file:///etc/passwd") == "scheme"
    assert refusal("gopher://127.0.0.1:6379/_FLUSHALL") == "scheme"
    assert refusal("https://" + "a" * 600 + ".example.test/") == "length"
    assert refusal("https://ats.example.test/" + "x" * 10_000) == "length"
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = False
    assert refusal("http://ats.example.test/") == "scheme"


def test_names_that_do_not_resolve_are_refused():
    assert refusal("https://nowhere.example.test/hook") == "unresolved"
    assert refusal("https://xn--a.example.test/") == "unresolved"


def test_public_receivers_are_accepted_including_international_names(dns):
    check_webhook_url("https://ats.example.test/hooks?x=1")
    check_webhook_url("https://ATS.example.test:8443/hooks")
    check_webhook_url("https://93.184.215.14/hooks")
    check_webhook_url("https://[2606:2800:220:1::1]/hooks")
    check_webhook_url("https://bücher.example.test/hooks")  # looked up as xn--bcher-kva.example.test


def test_the_local_receiver_works_only_through_the_allowance(settings):
    assert refusal("http://127.0.0.1:8000/hooks") == "private"
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    check_webhook_url("http://127.0.0.1:8000/hooks")
    # The allowance exempts what it names, nothing else.
    assert refusal("http://10.0.0.1/hooks") == "private"
    assert refusal("http://2130706433/") == "host"


def test_the_page_refuses_in_the_admins_language(client):
    admin = admin_of(EmployerWithAgreementFactory())
    client.force_login(admin)
    answer = client.post(
        reverse("matching:employer_webhooks").replace("/en/", "/ja/"),
        {"url": "https://169.254.169.254/latest/", "events": ["grant.withdrawn"]},
    )
    assert answer.status_code == 400
    assert "公開されたインターネット" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


class Receiver:
    def __init__(self):
        self.received: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(self.path)
                self.send_response(302 if self.path == "/redirect" else 200)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_host_that_now_resolves_to_a_private_address_gets_nothing(dns, django_capture_on_commit_callbacks):
    admin = admin_of(EmployerWithAgreementFactory())
    with Receiver() as receiver:
        dns["rebind.example.test"] = ["93.184.215.14"]
        issued = webhook_endpoint_add(
            actor=admin, url=f"http://rebind.example.test:{receiver.port}/hooks", events=["grant.withdrawn"]
        )
        dns["rebind.example.test"] = ["127.0.0.1"]  # DNS rebinding after the check
        with django_capture_on_commit_callbacks(execute=True):
            webhook_test_send(actor=admin, endpoint=issued.endpoint)
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state != "delivered" and delivery.last_error.startswith("Refused")


def test_delivery_connects_to_the_address_it_checked(dns, settings, django_capture_on_commit_callbacks):
    # A name no real resolver knows: the delivery can only reach the receiver
    # through the address the guard resolved and checked.
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    dns["receiver.example.test"] = ["127.0.0.1"]
    admin = admin_of(EmployerWithAgreementFactory())
    with Receiver() as receiver:
        issued = webhook_endpoint_add(
            actor=admin, url=f"http://receiver.example.test:{receiver.port}/hooks", events=["grant.withdrawn"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            webhook_test_send(actor=admin, endpoint=issued.endpoint)
    assert receiver.received == ["/hooks"]
    assert WebhookDelivery.objects.get().state == "delivered"


def test_redirects_are_not_followed(settings, django_capture_on_commit_callbacks):
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.TSUNAGU_WEBHOOK_DISABLE_AFTER = 1
    admin = admin_of(EmployerWithAgreementFactory())
    with Receiver() as receiver:
        issued = webhook_endpoint_add(
            actor=admin, url=f"http://127.0.0.1:{receiver.port}/redirect", events=["grant.withdrawn"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            webhook_test_send(actor=admin, endpoint=issued.endpoint)
    assert receiver.received == ["/redirect"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed" and delivery.last_status_code == 302, delivery.last_error


@pytest.mark.usefixtures("no_dotenv")
def test_production_never_allows_http_or_private_receivers():
    env = PRODUCTION_ENV | {
        "DJANGO_DEBUG": "true",
        "TSUNAGU_WEBHOOK_ALLOW_HTTP": "true",
        "TSUNAGU_WEBHOOK_ALLOWED_NETWORKS": "0.0.0.0/0,::/0",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TSUNAGU_WEBHOOK_ALLOW_HTTP, settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS)"
    )
    result = run_with_production_settings(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "[]"]

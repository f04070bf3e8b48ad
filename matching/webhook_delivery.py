"""Sending one webhook delivery (run by matching.tasks.deliver_webhook):
signed per Standard Webhooks (the `standardwebhooks` package), recorded on
the delivery row, retried by the task on failure; an endpoint that fails
TSUNAGU_WEBHOOK_DISABLE_AFTER attempts in a row is stopped and its
company's admins are told."""

import json
import logging

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from matching.models import WebhookDelivery, WebhookEndpoint
from matching.services import webhook_endpoint_disable
from matching.webhook_addresses import RefusedAddress, guarded_session

log = logging.getLogger(__name__)


class TransientWebhookError(Exception):
    """The receiver did not take it this time: try again later."""


def signed_request(delivery: WebhookDelivery) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    now = timezone.now()
    msg_id = str(delivery.event_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tsunagu-Webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        # During the overlap after a rotation, one signature per secret (new first).
        "webhook-signature": " ".join(
            Webhook(secret).sign(msg_id, now, body) for secret in delivery.endpoint.signing_secrets(now)
        ),
    }
    return body, headers


def deliver(delivery_id: int, *, final_attempt: bool) -> str:
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return delivery.state if delivery else "gone"
    endpoint = delivery.endpoint
    if endpoint.disabled_at is not None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=WebhookDelivery.State.FAILED)
        return WebhookDelivery.State.FAILED
    body, headers = signed_request(delivery)
    status, error = None, ""
    try:
        with guarded_session() as session:
            response = session.post(
                endpoint.url,
                data=body,
                headers=headers,
                timeout=settings.TSUNAGU_WEBHOOK_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        status = response.status_code
    except requests.RequestException as exc:
        error = type(exc).__name__
    except RefusedAddress as exc:
        # The host now resolves into a private network: nothing was sent.
        error = f"Refused: {exc}"
    ok = status is not None and 200 <= status < 300
    now = timezone.now()
    with transaction.atomic():
        fields = {"attempts": F("attempts") + 1, "last_attempt_at": now, "last_status_code": status}
        if ok:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                state=WebhookDelivery.State.DELIVERED, delivered_at=now, last_error="", **fields
            )
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
            return WebhookDelivery.State.DELIVERED
        error = error or f"HTTP {status}"
        state = WebhookDelivery.State.FAILED if final_attempt else WebhookDelivery.State.PENDING
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=state, last_error=error[:300], **fields)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
        endpoint.refresh_from_db(fields=["consecutive_failures"])
        if endpoint.consecutive_failures >= settings.TSUNAGU_WEBHOOK_DISABLE_AFTER:
            webhook_endpoint_disable(endpoint=endpoint, reason=f"{endpoint.consecutive_failures} failures in a row")
            return WebhookDelivery.State.FAILED
    if final_attempt:
        return WebhookDelivery.State.FAILED
    log.info("Webhook %s to endpoint %s failed (%s); retrying", delivery.event_id, endpoint.pk, error)
    raise TransientWebhookError(error)

"""An applicant-tracking system's sync with Tsunagu, as docs/api.md describes
it: a client-credentials token, the applications changed since a time
(following the cursor to the end), each applicant read as their grant
allows, and new applications moved on. Run in CI against a live server
(tests/api/test_ats_example.py). Needs only `requests`.

    python docs/ats_example.py --base-url https://tsunagu.example \\
        --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" \\
        --since 2026-12-01T00:00:00+09:00 --move-to screening

Prints one JSON object: what was seen, read and moved, and the `updated_at`
to poll from next time. Keep that value; on the next run pass it as --since.
"""

import argparse
import json
import sys
import time

import requests

TIMEOUT = 30


class Tsunagu:
    """A small client: one token, renewed when it stops working (it
    expires after an hour, or the admin revoked the client), waits for
    Retry-After when rate-limited."""

    def __init__(self, base_url: str, client_id: str, client_secret: str, scope: str | None = None) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.credentials = (client_id, client_secret)
        self.scope = scope
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "en"
        self.token: str | None = None

    def authenticate(self) -> None:
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        answer = self.session.post(f"{self.base}/oauth/token/", data=data, auth=self.credentials, timeout=TIMEOUT)
        answer.raise_for_status()
        self.token = answer.json()["access_token"]

    def call(self, method: str, url: str, **kwargs) -> requests.Response:
        if not url.startswith("http"):
            url = self.base + url
        renewed = False
        while True:
            if self.token is None:
                self.authenticate()
            headers = {"Authorization": f"Bearer {self.token}"}
            answer = self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
            if answer.status_code == 401 and not renewed:
                self.token, renewed = None, True  # expired or revoked: one new token, then give up
                continue
            if answer.status_code == 429:
                time.sleep(int(answer.headers.get("Retry-After", "1")))
                continue
            return answer

    def applications_since(self, since: str | None):
        """Every application changed after `since`, oldest change first."""
        params = {"page_size": 100}
        if since:
            params["updated_since"] = since
        answer = self.call("GET", "/applications/", params=params)
        while True:
            answer.raise_for_status()
            page = answer.json()
            yield from page["results"]
            if not page["next"]:
                return
            answer = self.call("GET", page["next"])

    def candidate_of(self, application_id: int) -> dict | None:
        """The applicant as their grant to us allows; None when they do not
        share their profile with us now (then delete what we hold on them)."""
        answer = self.call("GET", f"/applications/{application_id}/candidate/")
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json()

    def move(self, application_id: int, to_state: str) -> dict:
        answer = self.call("POST", f"/applications/{application_id}/move/", json={"to_state": to_state})
        answer.raise_for_status()
        return answer.json()


def sync(client: Tsunagu, *, since: str | None, move_to: str | None) -> dict:
    seen, read, gone, moved = [], [], [], []
    last = since
    for application in client.applications_since(since):
        seen.append(application["id"])
        last = application["updated_at"]
        candidate = client.candidate_of(application["id"]) if application["candidate_visible"] else None
        if candidate is None:
            gone.append(application["id"])  # our copy of this candidate must go
            continue
        read.append({"application": application["id"], "field_groups": candidate.get("field_groups")})
        if move_to and application["state"] == "applied" and move_to in application["allowed_moves"]:
            moved.append(client.move(application["id"], move_to)["id"])
    return {"seen": seen, "read": read, "not_visible": gone, "moved": moved, "next_since": last}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--since", help="ISO 8601 with a time zone: only applications changed after it")
    parser.add_argument("--move-to", help="move new (applied) applications to this state, e.g. screening")
    args = parser.parse_args(argv)
    client = Tsunagu(args.base_url, args.client_id, args.client_secret)
    json.dump(sync(client, since=args.since, move_to=args.move_to), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A local stand-in for Postmark's API, the only fake in the email tests.

A small threaded HTTP server on 127.0.0.1 (a free port) that answers the
calls Tsunagu makes, the way Postmark documents them:

- POST /email, /email/batch, /email/withTemplate/, /email/batchWithTemplates
  (a stored template is rendered with each message's TemplateModel, {{var}}
  as Postmark's Mustachio does: HTML-escaped in the HTML body);
- PUT /templates/<alias> (404 when unknown) and POST /templates;
- GET /messages/outbound?metadata_<key>=<value>: searches what it accepted.

Every request is recorded with its headers and JSON body; every accepted
message is kept rendered (To, Subject, TextBody, HtmlBody, Headers as a dict,
Metadata, MessageStream). Failures are programmable for the next N sending
calls: `fail_next(n, 500)`, `fail_next(n, 422)` (Postmark's error JSON
{"ErrorCode": 300, "Message": ...}) or `hang_next(n, seconds)` (no answer
until after the client's timeout; with accept=True the messages are accepted
and recorded first, as when Postmark took a message and the answer was lost).
A wrong X-Postmark-Server-Token is answered 401, as Postmark does.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

SEND_PATHS = {"/email", "/email/batch", "/email/withTemplate", "/email/batchWithTemplates"}
TEMPLATE_VARIABLE = re.compile(r"{{{?\s*([\w.]+)\s*}?}}")


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: object
    at: float = field(default_factory=time.monotonic)


@dataclass
class Behaviour:
    kind: str  # "status" or "hang"
    status: int = 500
    seconds: float = 0.0
    accept: bool = False


class PostmarkStandIn:
    def __init__(self, *, token: str = "test-token"):
        self.token = token
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._behaviours: list[Behaviour] = []
        self.requests: list[Recorded] = []
        self.messages: list[dict] = []
        self.templates: dict[str, dict] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, name="postmark-stand-in", daemon=True)
        self._thread.start()

    # --- Use from tests ---------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._release.set()  # let any hanging answer go
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, times: int, status: int = 500) -> None:
        """The next `times` sending calls answer `status` and accept nothing."""
        with self._lock:
            self._behaviours += [Behaviour("status", status=status) for _ in range(times)]

    def hang_next(self, times: int, seconds: float, *, accept: bool = False) -> None:
        """The next `times` sending calls answer only after `seconds` (or at
        release()). With accept=True their messages are accepted first."""
        with self._lock:
            self._release.clear()
            self._behaviours += [Behaviour("hang", seconds=seconds, accept=accept) for _ in range(times)]

    def release(self) -> None:
        """Let hanging calls answer now."""
        self._release.set()

    def send_calls(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == "POST" and r.path in SEND_PATHS]

    def calls_to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path.rstrip("/")]

    def accepted(self) -> list[dict]:
        with self._lock:
            return list(self.messages)

    def accepted_for(self, address: str) -> list[dict]:
        return [m for m in self.accepted() if m["To"].lower() == address.lower()]

    def accepted_with_key(self, outbox_key) -> list[dict]:
        return [m for m in self.accepted() if (m.get("Metadata") or {}).get("outbox_key") == str(outbox_key)]

    def wait_for_messages(self, count: int, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.accepted()
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"the stand-in got {len(self.accepted())} messages, not {count}, in {timeout} s")

    def accept_directly(self, message: dict) -> dict:
        """Take a message as if a client had posted it to /email (to simulate
        a send whose answer never reached the worker)."""
        with self._lock:
            return self._accept(message, endpoint="/email")

    # --- Postmark's behaviour -----------------------------------------------------

    def _accept(self, data: dict, *, endpoint: str) -> dict:
        """Store one message (lock held); returns Postmark's answer for it."""
        message = dict(data)
        alias = data.get("TemplateAlias")
        if alias is not None:
            template = self.templates.get(alias)
            if template is None:
                return {"ErrorCode": 1101, "Message": f"The template alias '{alias}' was not found."}
            model = data.get("TemplateModel") or {}
            message["Subject"] = _render(template.get("Subject", ""), model, escape=False)
            message["TextBody"] = _render(template.get("TextBody", ""), model, escape=False)
            message["HtmlBody"] = _render(template.get("HtmlBody", ""), model, escape=True)
        message["Headers"] = {h["Name"]: h["Value"] for h in data.get("Headers") or []}
        message["MessageStream"] = data.get("MessageStream", "outbound")
        message["MessageID"] = str(uuid.uuid4())
        message["endpoint"] = endpoint
        message["SubmittedAt"] = datetime.now(UTC).isoformat()
        self.messages.append(message)
        return {
            "To": data.get("To", ""),
            "SubmittedAt": message["SubmittedAt"],
            "MessageID": message["MessageID"],
            "ErrorCode": 0,
            "Message": "OK",
        }

    def _send(self, path: str, body) -> tuple[int, object]:
        with self._lock:
            if path in ("/email", "/email/withTemplate"):
                return 200, self._accept(body, endpoint=path)
            if path == "/email/batch":
                return 200, [self._accept(m, endpoint=path) for m in body]
            messages = body.get("Messages", [])
            if len(messages) > 500:
                return 422, {"ErrorCode": 300, "Message": "A batch may hold at most 500 messages."}
            return 200, [self._accept(m, endpoint=path) for m in messages]

    def _search(self, query: dict[str, str]) -> dict:
        wanted = {k.removeprefix("metadata_"): v for k, v in query.items() if k.startswith("metadata_")}
        with self._lock:
            found = [
                m
                for m in self.messages
                if all(str((m.get("Metadata") or {}).get(k)) == v for k, v in wanted.items())
                and (not query.get("recipient") or query["recipient"].lower() in m["To"].lower())
            ]
        offset, count = int(query.get("offset", 0)), int(query.get("count", 100))
        return {
            "TotalCount": len(found),
            "Messages": [
                {
                    "MessageID": m["MessageID"],
                    "To": [{"Email": m["To"], "Name": None}],
                    "Subject": m.get("Subject", ""),
                    "Metadata": m.get("Metadata") or {},
                    "MessageStream": m["MessageStream"],
                    "Status": "Sent",
                    "ReceivedAt": m["SubmittedAt"],
                }
                for m in found[offset : offset + count]
            ],
        }

    def _template_put(self, alias: str, body: dict) -> tuple[int, dict]:
        with self._lock:
            if alias not in self.templates:
                return 404, {"ErrorCode": 1101, "Message": "The Template's 'ID' field is invalid or was not found."}
            template = self.templates[alias]
            template.update(body)
            return 200, {"TemplateId": template["TemplateId"], "Name": alias, "Active": True, "Alias": alias}

    def _template_post(self, body: dict) -> tuple[int, dict]:
        with self._lock:
            alias = body.get("Alias") or body.get("Name")
            template_id = len(self.templates) + 1000
            self.templates[alias] = {**body, "TemplateId": template_id}
            return 200, {"TemplateId": template_id, "Name": body.get("Name"), "Active": True, "Alias": alias}

    def _next_behaviour(self) -> Behaviour | None:
        with self._lock:
            return self._behaviours.pop(0) if self._behaviours else None

    def _handler_class(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                path = parts.path.rstrip("/") or "/"
                query = dict(parse_qsl(parts.query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                with stand_in._lock:
                    stand_in.requests.append(Recorded(method, path, query, dict(self.headers.items()), body))
                if self.headers.get("X-Postmark-Server-Token") != stand_in.token:
                    return self._answer(
                        401, {"ErrorCode": 10, "Message": "No Account or Server API tokens were supplied."}
                    )
                if method == "POST" and path in SEND_PATHS:
                    return self._sending(path, body)
                if method == "GET" and path == "/messages/outbound":
                    return self._answer(200, stand_in._search(query))
                if method == "PUT" and path.startswith("/templates/"):
                    return self._answer(*stand_in._template_put(path.removeprefix("/templates/"), body or {}))
                if method == "POST" and path == "/templates":
                    return self._answer(*stand_in._template_post(body or {}))
                return self._answer(404, {"ErrorCode": 404, "Message": f"No such endpoint: {method} {path}"})

            def _sending(self, path: str, body) -> None:
                behaviour = stand_in._next_behaviour()
                if behaviour is None:
                    return self._answer(*stand_in._send(path, body))
                if behaviour.kind == "hang":
                    answer = stand_in._send(path, body) if behaviour.accept else (500, {"ErrorCode": 500})
                    stand_in._release.wait(behaviour.seconds)
                    return self._answer(*answer)
                if behaviour.status == 422:
                    return self._answer(422, {"ErrorCode": 300, "Message": "Invalid 'From' address: 'nobody'."})
                return self._answer(behaviour.status, {"ErrorCode": behaviour.status, "Message": "Server error"})

            def do_GET(self):  # noqa: N802
                self._handle("GET")

            def do_POST(self):  # noqa: N802
                self._handle("POST")

            def do_PUT(self):  # noqa: N802
                self._handle("PUT")

        return Handler


def _render(text: str, model: dict, *, escape: bool) -> str:
    def value(match: re.Match) -> str:
        found: object = model
        for part in match.group(1).split("."):
            found = found.get(part, "") if isinstance(found, dict) else ""
        raw = match.group(0).startswith("{{{")
        return html.escape(str(found), quote=True) if escape and not raw else str(found)

    return TEMPLATE_VARIABLE.sub(value, text)


def serve_postmark(settings, **anymail):
    """A pytest fixture body: the stand-in, with the real anymail Postmark
    backend pointed at it (pytest-django's `settings` restores the rest).

        @pytest.fixture
        def postmark(settings):
            yield from serve_postmark(settings)
    """
    stand_in = PostmarkStandIn()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "POSTMARK_SERVER_TOKEN": stand_in.token,
        "POSTMARK_API_URL": stand_in.url + "/",
        **anymail,
    }
    try:
        yield stand_in
    finally:
        stand_in.close()

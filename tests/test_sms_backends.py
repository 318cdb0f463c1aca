"""SMS backends: the HTTP gateway against a local stub server, the file outbox, the in-memory
outbox, segment counting, and a code's delivery from ``otp_issue`` through the Celery task."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from accounts import services, sms
from accounts.exceptions import DeliveryError, TemporaryDeliveryError
from accounts.models import OneTimeCode
from accounts.sms import SmsMessage, segments
from accounts.sms.backends.http import SmsBackend as HttpSmsBackend
from accounts.tasks import deliver_one_time_code

from .factories import UserFactory

HTTP_BACKEND = "accounts.sms.backends.http.SmsBackend"
OUTBOX_BACKEND = "accounts.sms.backends.outbox.SmsBackend"
TOKEN = "test-gateway-token-123"
ARABIC_TEXT = "رمز التفعيل: 482913 صالح 10 دقائق. لا تشاركه مع أحد."
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def _code_in(text: str) -> str:
    match = CODE_RE.search(text)
    assert match, f"no 6-digit code in {text!r}"
    return match.group(1)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: Message
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


class StubGateway:
    """A tiny SMS gateway: records every request and answers with the next queued status."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.statuses: list[int] = []  # answered in order, then ``default_status``
        self.default_status = 200
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/sms/send"

    def next_status(self) -> int:
        with self._lock:
            return self.statuses.pop(0) if self.statuses else self.default_status

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                gateway.requests.append(
                    RecordedRequest(self.command, self.path, self.headers, body)
                )
                status = gateway.next_status()
                answer = json.dumps(
                    {"ok": status < 400, "id": f"gw-{len(gateway.requests)}"}
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_GET = do_PUT = _handle

            def log_message(self, *args):  # keep the test output quiet
                pass

        return Handler


@pytest.fixture
def gateway():
    stub = StubGateway()
    stub.server = ThreadingHTTPServer(("127.0.0.1", 0), stub.handler_class())
    thread = threading.Thread(
        target=stub.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield stub
    finally:
        stub.server.shutdown()
        stub.server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def http_sms(settings, gateway):
    """Route text messages to the stub gateway."""
    settings.SMS_BACKEND = HTTP_BACKEND
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = TOKEN
    settings.SMS_GATEWAY_TIMEOUT = 5.0
    settings.SMS_SENDER_ID = "SSC"
    return gateway


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- HTTP gateway backend --------------------------------------------------------------------


def test_http_backend_posts_utf8_json_with_bearer_token(http_sms):
    sent = sms.send_sms("+962791234567", ARABIC_TEXT)

    assert sent == "gw-1"  # the gateway's id, kept to match its delivery reports
    assert len(http_sms.requests) == 1
    req = http_sms.requests[0]
    assert req.method == "POST"
    assert req.path == "/api/sms/send"
    assert req.headers["Authorization"] == f"Bearer {TOKEN}"
    assert req.headers["Content-Type"].lower() == "application/json; charset=utf-8"
    # The Arabic goes over the wire as UTF-8, not as \\u escapes.
    assert ARABIC_TEXT.encode("utf-8") in req.body
    assert b"\\u" not in req.body
    assert req.json() == {"to": "+962791234567", "text": ARABIC_TEXT, "sender": "SSC"}


def test_http_backend_sends_one_request_per_message(http_sms):
    messages = [
        SmsMessage(to="+962791234567", body="أولى", sender="SSC"),
        SmsMessage(to="+962781112233", body="ثانية", sender="SSC"),
    ]

    assert HttpSmsBackend().send_messages(messages) == 2
    assert [r.json()["to"] for r in http_sms.requests] == ["+962791234567", "+962781112233"]
    assert [r.json()["text"] for r in http_sms.requests] == ["أولى", "ثانية"]


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_http_backend_server_error_is_temporary(http_sms, status):
    http_sms.default_status = status

    with pytest.raises(TemporaryDeliveryError, match=str(status)):
        sms.send_sms("+962791234567", ARABIC_TEXT)
    assert len(http_sms.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_http_backend_client_error_is_permanent(http_sms, status):
    http_sms.default_status = status

    with pytest.raises(DeliveryError, match=str(status)) as info:
        sms.send_sms("+962791234567", ARABIC_TEXT)
    assert not isinstance(info.value, TemporaryDeliveryError)
    assert len(http_sms.requests) == 1


def test_http_backend_refused_connection_is_temporary(settings):
    settings.SMS_BACKEND = HTTP_BACKEND
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{_closed_port()}/send"
    settings.SMS_GATEWAY_TOKEN = TOKEN

    with pytest.raises(TemporaryDeliveryError, match="unreachable"):
        sms.send_sms("+962791234567", ARABIC_TEXT)


def test_http_backend_rejects_a_non_http_url(settings):
    settings.SMS_GATEWAY_URL = "file:///etc/passwd"

    with pytest.raises(DeliveryError, match="http"):
        HttpSmsBackend()


# --- otp_issue -> Celery task (eager) -> HTTP gateway ----------------------------------------


@pytest.mark.django_db
def test_otp_issue_delivers_code_through_http_gateway(http_sms, django_capture_on_commit_callbacks):
    user = UserFactory(activated_at=None)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        otp = services.otp_issue(user=user, purpose="activation", channel="sms")
        # Nothing goes out before the transaction commits.
        assert http_sms.requests == []

    assert len(callbacks) == 1
    assert len(http_sms.requests) == 1
    payload = http_sms.requests[0].json()
    assert payload["to"] == "+962791234567"
    assert payload["sender"] == "SSC"
    code = _code_in(payload["text"])
    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.SENT
    assert otp.delivery_error == ""
    assert otp.sent_to == "+962791234567"

    verified = services.otp_verify(user=user, purpose="activation", code=code)
    assert verified.pk == otp.pk
    assert verified.used_at is not None


@pytest.fixture
def eager_retries():
    """Let eager tasks retry as a worker would.

    With ``task_eager_propagates`` on (config/settings/base.py), Celery re-raises the ``Retry``
    of an eager task instead of running the retry, so an eager task never retries. Turning it
    off makes ``apply()`` run each retry at once, in-process (the countdown is ignored).
    """
    from config.celery import app

    old = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        yield app
    finally:
        app.conf.task_eager_propagates = old


@pytest.mark.django_db
def test_gateway_always_503_retries_then_marks_failed(
    http_sms, eager_retries, django_capture_on_commit_callbacks
):
    http_sms.default_status = 503
    user = UserFactory(activated_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="activation", channel="sms")

    # The first try plus max_retries more, all run synchronously.
    assert len(http_sms.requests) == 1 + deliver_one_time_code.max_retries
    texts = {r.json()["text"] for r in http_sms.requests}
    assert len(texts) == 1  # every retry carries the same code
    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.FAILED
    assert "503" in otp.delivery_error


@pytest.mark.django_db
def test_gateway_recovering_after_503_ends_sent(
    http_sms, eager_retries, django_capture_on_commit_callbacks
):
    http_sms.statuses = [503, 503]  # then 200
    user = UserFactory(activated_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="activation", channel="sms")

    assert len(http_sms.requests) == 3
    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.SENT
    assert otp.delivery_error == ""
    code = _code_in(http_sms.requests[-1].json()["text"])
    assert services.otp_verify(user=user, purpose="activation", code=code).used_at


@pytest.mark.django_db
def test_gateway_503_with_project_eager_settings_ends_failed(
    http_sms, django_capture_on_commit_callbacks
):
    http_sms.default_status = 503
    user = UserFactory(activated_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="activation", channel="sms")

    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.FAILED
    assert len(http_sms.requests) == 1 + deliver_one_time_code.max_retries


@pytest.mark.django_db
def test_gateway_400_fails_at_once_without_retry(http_sms, django_capture_on_commit_callbacks):
    http_sms.default_status = 400
    user = UserFactory(activated_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="activation", channel="sms")

    assert len(http_sms.requests) == 1
    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.FAILED
    assert "400" in otp.delivery_error


# --- File outbox and in-memory backends ------------------------------------------------------


def test_outbox_backend_appends_json_lines_and_prints(settings, capsys):
    settings.SMS_BACKEND = OUTBOX_BACKEND
    outbox_file = settings.OUTBOX_FILE
    assert not outbox_file.exists()
    before = timezone.now()

    assert sms.send_sms("+962791234567", ARABIC_TEXT) == ""  # no gateway id from a file
    assert sms.send_sms("+962781112233", "Activation code: 111222") == ""

    lines = outbox_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["channel"] == "sms"
    assert first["to"] == "+962791234567"
    assert first["body"] == ARABIC_TEXT
    assert dt.datetime.fromisoformat(first["at"]) >= before
    assert (second["channel"], second["to"], second["body"]) == (
        "sms",
        "+962781112233",
        "Activation code: 111222",
    )
    assert ARABIC_TEXT in lines[0]  # written as UTF-8, not escaped

    out = capsys.readouterr().out
    assert f"[SMS to +962791234567] {ARABIC_TEXT}" in out
    assert "[SMS to +962781112233] Activation code: 111222" in out
    assert sms.outbox == []  # the in-memory outbox is not involved


def test_locmem_backend_appends_to_sms_outbox(settings):
    assert settings.SMS_BACKEND == "accounts.sms.backends.locmem.SmsBackend"
    settings.SMS_SENDER_ID = "SSC"

    assert sms.send_sms("+962791234567", ARABIC_TEXT) == ""

    assert len(sms.outbox) == 1
    msg = sms.outbox[0]
    assert isinstance(msg, SmsMessage)
    assert (msg.to, msg.body, msg.sender) == ("+962791234567", ARABIC_TEXT, "SSC")
    assert not settings.OUTBOX_FILE.exists()


# --- Segments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ب" * 70, 1),
        ("ب" * 71, 2),
        ("ب" * 134, 2),
        ("ب" * 135, 3),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 159 + "ب", 3),  # one Arabic letter makes the whole text UCS-2
        ("", 1),
    ],
)
def test_segments(body, expected):
    assert segments(body) == expected


# --- The code is never stored in clear -------------------------------------------------------


@pytest.mark.django_db
def test_code_is_stored_only_as_a_salted_hash(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="password_reset", channel="sms")

    code = _code_in(sms.outbox[-1].body)
    stored = OneTimeCode.objects.get(pk=otp.pk)
    assert code not in stored.code_hash
    assert re.fullmatch(r"[0-9a-f]{16}\$[0-9a-f]{64}", stored.code_hash)
    assert code not in stored.sent_to
    assert code not in stored.delivery_error
    assert stored.delivery_status == OneTimeCode.Delivery.SENT
    # The hash still proves the code.
    assert services.otp_verify(user=user, purpose="password_reset", code=code).pk == otp.pk


@pytest.mark.django_db
def test_a_notification_is_retried_after_temporary_failures_then_sent(
    http_sms, eager_retries, django_capture_on_commit_callbacks
):
    from eservices.models import Notification
    from eservices.notifications import notify

    http_sms.statuses = [503, 502]  # then the default 200
    user = UserFactory(activation_channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user=user, title="t", body="استلمنا طلبكم MAT-2026-000001")
    note.refresh_from_db()
    assert len(http_sms.requests) == 3
    assert note.status == Notification.Status.SENT and note.provider_id == "gw-3"
    assert Notification.objects.filter(user=user, channel="inbox").count() == 1

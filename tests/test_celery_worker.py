"""A real Celery worker, on Redis, delivers a one-time code.

The worker runs in its own process with tests.worker_settings: it reads the task from Redis,
loads the code's row from the test database (hence ``transaction=True``: the row must be
committed) and writes the text message to its own outbox file, which this test reads.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from kombu import pools

from accounts import services, sms
from accounts.models import OneTimeCode

from .factories import UserFactory

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, flushed by the test
CELERY = Path(sys.executable).with_name("celery")
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
PHONE = "+962791234567"


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database the test process uses (the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    if user and password:
        auth = f"{user}:{password}@"
    elif user:
        auth = f"{user}@"
    else:
        auth = ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    name = quote(settings_dict["NAME"], safe="")
    return f"postgres://{auth}{host}:{port}/{name}"


class Worker:
    def __init__(self, proc: subprocess.Popen, log_path: Path, outbox: Path) -> None:
        self.proc = proc
        self.log_path = log_path
        self.outbox = outbox

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the Celery worker exited ({self.proc.returncode}):\n{self.log()}")
            if " ready." in self.log():
                return
            time.sleep(0.2)
        pytest.fail(f"the Celery worker was not ready after {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def redis_broker():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def celery_worker(transactional_db, redis_broker, tmp_path):
    """A worker process on the test database and Redis; stopped before the database is flushed."""
    from django.db import connection

    outbox = tmp_path / "worker-outbox.jsonl"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": REDIS_URL,
        "OUTBOX_FILE": str(outbox),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(CELERY),
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--concurrency",
        "1",
        "-l",
        "info",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    ]
    with open(log_path, "wb") as log_fh:
        proc = subprocess.Popen(  # noqa: S603 - a fixed command
            command, cwd=ROOT, env=env, stdout=log_fh, stderr=subprocess.STDOUT
        )
    worker = Worker(proc, log_path, outbox)
    try:
        worker.wait_ready(timeout=60)
        yield worker
    finally:
        worker.stop()


def _reset_producer_pools(app) -> None:
    """Forget the broker connections and producers made for the previous broker URL."""
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def _tasks_sent_to(broker_url: str):
    """Make ``delay()`` in this process publish to ``broker_url`` instead of running eagerly."""
    from config.celery import app

    old_eager = app.conf.task_always_eager
    old_broker = app.conf.broker_url
    _reset_producer_pools(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    try:
        yield app
    finally:
        _reset_producer_pools(app)
        app.conf.task_always_eager = old_eager
        app.conf.broker_url = old_broker


def _wait_for_outbox_message(path: Path, to: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
                if not line.endswith("\n"):
                    continue  # still being written
                entry = json.loads(line)
                if entry.get("to") == to and CODE_RE.search(entry.get("body", "")):
                    return entry
        time.sleep(0.1)
    pytest.fail(f"no message to {to} with a code in {path} after {timeout} s")


def _wait_for_status(otp: OneTimeCode, status: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        otp.refresh_from_db()
        if otp.delivery_status == status:
            return
        time.sleep(0.1)
    pytest.fail(f"delivery_status is {otp.delivery_status!r}, not {status!r}, after {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_activation_code(celery_worker, redis_broker, settings):
    user = UserFactory(activated_at=None, phone=PHONE)
    try:
        with _tasks_sent_to(REDIS_URL) as app:
            assert app.conf.task_always_eager is False
            otp = services.otp_issue(user=user, purpose="activation", channel="sms")
            # The transaction has committed, the task is on its way to the worker.
            entry = _wait_for_outbox_message(celery_worker.outbox, PHONE, timeout=30)

        assert entry["channel"] == "sms"
        assert entry["to"] == PHONE
        code = CODE_RE.search(entry["body"]).group(1)
        # Delivered by the worker process, not in this one.
        assert sms.outbox == []
        assert not settings.OUTBOX_FILE.exists()

        _wait_for_status(otp, OneTimeCode.Delivery.SENT, timeout=30)
        assert otp.delivery_error == ""
        assert code not in otp.code_hash

        verified = services.otp_verify(user=user, purpose="activation", code=code)
        assert verified.pk == otp.pk
        assert verified.used_at is not None

        # The worker took the message off the queue and logged the task's success.
        assert redis_broker.llen("celery") == 0
        log = celery_worker.log()
        assert re.search(r"deliver_one_time_code\[[^\]]+\] succeeded in [\d.]+s: 'sent'", log)
    except BaseException:
        print(f"--- Celery worker log ---\n{celery_worker.log()}")
        raise

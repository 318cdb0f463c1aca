"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

No Playwright browser download exists here, so the launch points at /usr/bin/chromium. Codes sent
by the portal are read from the FILE outbox (accounts.outbox), as a person would read their SMS.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

# Sync Playwright runs an event loop in the test thread; Django's ORM (fixtures, factories) must
# still be allowed there. Set before Django touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_DIR.parent.parent / "test-artifacts"  # /work/main/test-artifacts (git-ignored)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

ARABIC = re.compile(r"[\u0600-\u06FF]")
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser/ drives Chromium: mark it ``browser``."""
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if BROWSER_DIR in path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A person in Jordan with an Arabic browser. Headless Chromium otherwise sends
    # "Accept-Language: en-US", and Django's LocaleMiddleware would then answer in English.
    return {**browser_context_args, "locale": "ar-JO", "timezone_id": "Asia/Amman"}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def shot(page, artifacts, request):
    """``shot("step")`` saves a full-page screenshot as test-artifacts/<test>--<step>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def take(step: str) -> Path:
        path = artifacts / f"{test_name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def file_outbox(settings):
    """Send SMS and email to the outbox FILE (settings.OUTBOX_FILE, a tmp path per test).

    The live server runs in a thread of this process, so it sees these settings.
    """
    settings.SMS_BACKEND = "accounts.sms.backends.outbox.SmsBackend"
    settings.EMAIL_BACKEND = "accounts.emailbackends.OutboxEmailBackend"
    return Path(settings.OUTBOX_FILE)


def read_outbox(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def newest_code(path: Path, *, channel: str | None = None, timeout: float = 5.0) -> str:
    """The 6-digit code in the newest outbox message (optionally on one channel).

    Waits up to ``timeout`` seconds for a message to appear.
    """
    deadline = time.monotonic() + timeout
    while True:
        for entry in reversed(read_outbox(path)):
            if channel and entry.get("channel") != channel:
                continue
            match = CODE.search(entry.get("body", ""))
            if match:
                return match.group(1)
        if time.monotonic() > deadline:
            raise AssertionError(
                f"No 6-digit code in the outbox file {path} "
                f"(channel={channel!r}); it holds: {read_outbox(path)!r}"
            )
        time.sleep(0.1)


def main_text(page) -> str:
    """The visible text of <main>: the page's own content, not the shared header and footer."""
    return page.locator("main#main").inner_text()


def assert_arabic(text: str, what: str) -> None:
    assert ARABIC.search(text or ""), f"{what} should be in Arabic, but is: {text!r}"


AXE_BLOCKING = {"serious", "critical"}


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v.get('help')} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            lines.append(f"    target: {node.get('target')}  html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, base_url: str, artifacts_dir, name: str) -> dict:
    """Run axe on the page, keep its JSON report, and fail on serious or critical violations."""
    import json

    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    (artifacts_dir / f"axe-{name}.json").write_text(
        json.dumps(response, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    # axe really ran on this page.
    assert response.get("url", "").startswith(base_url)
    assert response.get("passes"), "axe reported no passing rule: it did not inspect the page"
    violations = response["violations"]
    if violations:
        print(f"\naxe violations on {name} ({page.url}):\n{describe_violations(violations)}")
    blocking = [v for v in violations if v.get("impact") in AXE_BLOCKING]
    assert not blocking, (
        f"{len(blocking)} serious/critical axe violation(s) on {name} ({page.url}):\n"
        f"{describe_violations(blocking)}"
    )
    return response

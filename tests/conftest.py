"""Shared fixtures. The tests run on PostgreSQL (config.settings.test refuses anything else)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts import sms
from accounts.models import CivilRecord

from .factories import PASSWORD, CivilRecordFactory


@pytest.fixture(autouse=True)
def _clean_outboxes(settings, tmp_path):
    sms.outbox.clear()
    mail.outbox = []
    settings.OUTBOX_FILE = tmp_path / "outbox.jsonl"
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _rule_table(request):
    """The rule rows come from a data migration; a transactional test empties the tables when it
    ends, so put them back for any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("db")
    from eservices.models import Rule
    from eservices.rules_seed import seed_rules

    if not Rule.objects.exists():
        seed_rules(Rule)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def citizen() -> CivilRecord:
    """A Jordanian in the civil registry who has not registered yet."""
    return CivilRecordFactory(
        number="9902034567",
        id_card_number="XYZ54321",
        name_ar="سارة خالد المصري",
        sex="F",
        birth_date=dt.date(1990, 9, 3),
    )


@pytest.fixture
def relative() -> CivilRecord:
    return CivilRecordFactory(
        number="9751045678", id_card_number="KLM67890", name_ar="خالد يوسف المصري"
    )


@pytest.fixture
def foreigner() -> CivilRecord:
    return CivilRecordFactory(
        foreign=True,
        number="1000345678",
        passport_number="N7654321",
        nationality="SY",
        insurance_number="4567890",
        birth_date=dt.date(1992, 7, 20),
        name_ar="رنا عمر الخطيب",
    )


def _common(email: str, channel: str) -> dict:
    return {
        "residence_country": "JO",
        "education_level": "bachelor",
        "email": email,
        "email_confirm": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "activation_channel": channel,
        "captcha_0": "dummy-hash",
        "captcha_1": "PASSED",  # CAPTCHA_TEST_MODE accepts this answer
    }


@pytest.fixture
def jordanian_post(citizen, relative):
    """A complete, valid POST of the Jordanian registration form."""

    def make(**overrides) -> dict:
        data = {
            "national_number": citizen.number,
            "id_card_number": citizen.id_card_number,
            "relative_national_number": relative.number,
            "relative_kinship": "brother",
            "phone_0": "JO",
            "phone_1": "0791234567",
            **_common("sara@example.com", overrides.pop("activation_channel", "sms")),
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def non_jordanian_post(foreigner):
    def make(**overrides) -> dict:
        data = {
            "personal_number": foreigner.number,
            "phone_0": "JO",
            "phone_1": "0781112233",
            "passport_number": foreigner.passport_number,
            "birth_date": foreigner.birth_date.isoformat(),
            "insurance_number": foreigner.insurance_number,
            "nationality": foreigner.nationality,
            "phone_abroad_0": "SY",
            "phone_abroad_1": "0944123456",
            **_common("rana@example.com", overrides.pop("activation_channel", "sms")),
        }
        data.update(overrides)
        return data

    return make


def last_code(channel: str = "sms") -> str:
    """The 6-digit code in the last message sent on a channel."""
    import re

    body = sms.outbox[-1].body if channel == "sms" else mail.outbox[-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)

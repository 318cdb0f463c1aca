"""Sign-in by identifier type, where each kind of user lands, and lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from accounts.models import IdType

from .factories import PASSWORD, IndividualFactory, LiaisonOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/sign-in/"


def sign_in(client, id_type, number, password=PASSWORD, **extra):
    return client.post(
        URL,
        {"id_type": id_type, "username": number, "password": password},
        REMOTE_ADDR="10.1.1.1",
        **extra,
    )


def test_jordanian_signs_in_with_national_number_and_lands_home(client):
    ind = IndividualFactory()
    resp = sign_in(client, IdType.NATIONAL, ind.national_number)
    assert resp.status_code == 302 and resp.url == "/individuals/"
    home = client.get(resp.url)
    assert ind.name_ar in home.content.decode()


def test_non_jordanian_signs_in_with_personal_number(client):
    ind = IndividualFactory(
        user=UserFactory(id_type=IdType.PERSONAL, id_number="1000234567"),
        is_jordanian=False,
        national_number="",
        personal_number="1000234567",
    )
    resp = sign_in(client, IdType.PERSONAL, "1000234567")
    assert resp.url == "/individuals/"
    assert ind.personal_number in client.get("/individuals/").content.decode()


def test_same_number_under_another_type_does_not_sign_in(client):
    ind = IndividualFactory()
    resp = sign_in(client, IdType.PERSONAL, ind.national_number)
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()


def test_liaison_officer_lands_on_the_establishment_page(client):
    officer = LiaisonOfficerFactory()
    resp = sign_in(client, IdType.ESTABLISHMENT, officer.establishment.insurance_number)
    assert resp.url == "/establishments/"
    assert officer.establishment.name in client.get("/establishments/").content.decode()


def test_government_entity_code(client):
    officer = LiaisonOfficerFactory(
        user=UserFactory(id_type=IdType.GOVERNMENT, id_number="G1234"),
        establishment__kind="government",
        establishment__government_code="G1234",
    )
    resp = sign_in(client, IdType.GOVERNMENT, "G1234")
    assert resp.url == "/establishments/"
    assert officer.establishment.name in client.get("/establishments/").content.decode()


def test_staff_land_in_the_admin(client):
    UserFactory(id_type=IdType.STAFF, id_number="clerk", is_staff=True)
    resp = client.post(
        "/admin/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.1.1.2"
    )
    assert resp.status_code == 302
    assert client.get("/accounts/home/").url == "/admin/"


def test_wrong_password_is_a_clear_arabic_error(client):
    ind = IndividualFactory()
    resp = sign_in(client, IdType.NATIONAL, ind.national_number, password="wrong")
    assert resp.status_code == 200
    assert "كلمة السر" in " ".join(resp.context["form"].non_field_errors())


def test_not_activated_account_is_sent_to_activation(client):
    ind = IndividualFactory(user=UserFactory(activated_at=None))
    resp = sign_in(client, IdType.NATIONAL, ind.national_number)
    assert resp.url == "/accounts/activate/"
    assert "_auth_user_id" not in client.session


def test_disabled_account_cannot_sign_in(client):
    ind = IndividualFactory(user=UserFactory(is_active=False))
    resp = sign_in(client, IdType.NATIONAL, ind.national_number)
    assert resp.status_code == 200 and "_auth_user_id" not in client.session


def test_lockout_after_five_failures(client):
    ind = IndividualFactory()
    for _ in range(4):
        assert sign_in(client, IdType.NATIONAL, ind.national_number, "bad").status_code == 200
    locked = sign_in(client, IdType.NATIONAL, ind.national_number, "bad")
    assert locked.status_code == 429
    assert "30" in locked.content.decode()
    # Even the right password is refused while locked.
    again = sign_in(client, IdType.NATIONAL, ind.national_number)
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert attempt.username == f"national:{ind.national_number}"


def test_next_parameter_is_followed_only_on_this_site(client):
    ind = IndividualFactory()
    resp = client.post(
        URL + "?next=https://evil.example/",
        {"id_type": "national", "username": ind.national_number, "password": PASSWORD},
    )
    assert resp.url == "/individuals/"


def test_individual_cannot_open_the_establishment_page(client):
    ind = IndividualFactory()
    client.force_login(ind.user)
    assert client.get("/establishments/").status_code == 403


def test_sign_out(client):
    ind = IndividualFactory()
    client.force_login(ind.user)
    resp = client.post("/accounts/sign-out/")
    assert resp.status_code == 302 and "_auth_user_id" not in client.session

"""The retirement records in the admin (read-only, staff access logged, the payroll started from
its list), and the demo data: a retiree with an approved pension, dependants, payroll history and a
loan; the 40-year record of 9661012345 in the calculator; a woman who can ask for her pension."""

from __future__ import annotations

import pytest
from django.utils import timezone

from eservices.dates import month_start
from eservices.models import AccessLogEntry, Document
from individuals.models import Individual
from pensions.models import Loan, PayrollRun, Pension, PensionPayment

from .factories import UserFactory
from .factories_pensions import insured, make_pension, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


class TestAdmin:
    def test_pages_are_read_only_and_logged(self, client, staff):
        person = insured(months=300, birth_date=years_ago(64))
        pension = make_pension(person)
        client.force_login(staff)
        for url in (
            "/admin/pensions/pension/",
            "/admin/pensions/pensionpayment/",
            "/admin/pensions/payrollrun/",
            "/admin/pensions/loan/",
            f"/admin/pensions/pension/{pension.pk}/change/",
        ):
            assert client.get(url).status_code == 200, url
        assert client.get("/admin/pensions/pension/add/").status_code == 403
        assert AccessLogEntry.objects.filter(subject=person.user, service="pension").exists()

    def test_the_payroll_is_started_from_its_list(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        make_pension(insured(months=300, birth_date=years_ago(64)))
        client.force_login(staff)
        page = client.get("/admin/pensions/payrollrun/").content.decode()
        assert "/admin/pensions/payrollrun/run/" in page
        assert client.get("/admin/pensions/payrollrun/run/").status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post("/admin/pensions/payrollrun/run/")
        assert resp.status_code == 302
        run = PayrollRun.objects.get(month=month_start(timezone.localdate()))
        assert run.status == "completed" and run.paid == 1


def test_demo_data(client, django_capture_on_commit_callbacks):
    from eservices.demo import seed as seed_people
    from pensions.demo import seed

    seed_people()
    with django_capture_on_commit_callbacks(execute=True):
        rows = seed()
    assert {r[1] for r in rows} == {"national number 9581012345", "national number 9691012345"}
    retiree = Individual.objects.get(national_number="9581012345")
    pension = Pension.objects.get(individual=retiree)
    assert pension.status == "active" and pension.dependants.count() == 2
    payments = pension.payments.count()
    assert payments >= 20  # every month since it was granted, two years ago
    loan = Loan.objects.get(pension=pension)
    assert loan.instalments.filter(status="paid").count() >= 6
    assert PensionPayment.objects.filter(pension=pension, loan_deduction__gt=0).count() == (
        loan.instalments.filter(status="paid").count()
    )
    assert Document.objects.filter(owner=retiree.user, kind="decision", status="ready").exists()
    seed()  # again: nothing more
    assert Pension.objects.filter(individual=retiree).count() == 1
    assert pension.payments.count() == payments

    client.force_login(retiree.user)
    for url in (
        "/pensions/my-pension/",
        "/pensions/my-pension/payments/",
        "/pensions/my-pension/dependants/",
        "/pensions/my-pension/loan/",
    ):
        resp = client.get(url)
        assert resp.status_code == 200 and "pension" in resp.context, url

    ibrahim = Individual.objects.get(national_number="9661012345")
    client.force_login(ibrahim.user)
    resp = client.get("/pensions/expected-pension/")
    assert resp.context["record"].months.__len__() == 480
    assert resp.context["figure"].payable and resp.context["figure"].kind == "old_age"

    muna = Individual.objects.get(national_number="9691012345")
    client.force_login(muna.user)
    assert client.get("/service/ret.old-age-request/").context["reasons"] == []

"""The liaison officer's inquiries, the establishment's requests on the engine, and the letter."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.exceptions import ServiceError
from eservices.models import Document, Notification, ServiceRequest
from eservices.services import request_approve, request_reject
from establishments.models import Establishment, EstablishmentOwner, Movement
from establishments.selectors import previous_month
from individuals.models import WageRecord, WorkInjury

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
    WageRecordFactory,
)

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer():
    return LiaisonOfficerFactory(
        establishment__name="شركة الأفق للتجارة",
        establishment__insurance_number="300400",
        establishment__main_activity="تجارة عامة",
        establishment__district="الجبيهة",
        establishment__phone="+96265000000",
        name="رامي عادل الخطيب",
    )


@pytest.fixture
def est(officer):
    return officer.establishment


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk7", is_staff=True, is_superuser=True)


@pytest.fixture
def employee(est):
    person = IndividualFactory(name_ar="سمير فؤاد النابلسي", user__id_number="9881012345")
    InsurancePeriodFactory(
        individual=person,
        establishment=est,
        start_date=dt.date(2020, 3, 1),
        monthly_wage=Decimal("725.500"),
    )
    return person


@pytest.fixture
def other_employee():
    """Employed by another establishment only."""
    person = IndividualFactory(name_ar="غريب عن المنشأة", user__id_number="9891012345")
    InsurancePeriodFactory(individual=person, establishment=EstablishmentFactory())
    return person


def login(client, officer):
    client.force_login(officer.user)
    return client


def html(resp) -> str:
    assert resp.status_code == 200, resp.status_code
    return resp.content.decode()


# --- access --------------------------------------------------------------------------------------

PAGES = [
    "/establishments/inquiries/data/",
    "/establishments/inquiries/liaison-officer/",
    "/establishments/inquiries/employees/",
    "/establishments/inquiries/employees/export.xlsx",
    "/establishments/inquiries/employee/",
    "/establishments/inquiries/movements/",
    "/establishments/inquiries/unentered-wages/",
    "/establishments/inquiries/injuries/",
    "/establishments/letter/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in_and_an_individual_is_refused(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and "sign-in" in resp.url
    client.force_login(IndividualFactory().user)
    assert client.get(url).status_code == 403


def test_home_links_the_pages(client, officer):
    page = html(login(client, officer).get("/establishments/"))
    for url in PAGES[:3] + ["/service/est.edit-info/", "/establishments/letter/"]:
        assert url in page


# --- inquiries -----------------------------------------------------------------------------------


def test_establishment_data_and_owners(client, officer, est, employee):
    EstablishmentOwner.objects.create(
        establishment=est, name="عادل منصور", national_number="9601012345", share=Decimal("60")
    )
    page = html(login(client, officer).get("/establishments/inquiries/data/"))
    for text in ("شركة الأفق للتجارة", "300400", "تجارة عامة", "الجبيهة", "عادل منصور", "60"):
        assert text in page, text
    assert "بيانات المنشأة" in page  # Arabic


def test_liaison_officer_data(client, officer):
    page = html(login(client, officer).get("/establishments/inquiries/liaison-officer/"))
    assert "رامي عادل الخطيب" in page and "9751045678" in page and officer.email in page


def test_employee_data_only_for_own_employees(client, officer, est, employee, other_employee):
    WageRecordFactory(individual=employee, establishment=est, month=dt.date(2024, 5, 1))
    WageRecordFactory(
        individual=employee, establishment=EstablishmentFactory(), month=dt.date(2019, 5, 1)
    )
    login(client, officer)
    page = html(client.get("/establishments/inquiries/employee/9881012345/"))
    assert "سمير فؤاد النابلسي" in page and "725.500" in page and "2024-05" in page
    assert "2019-05" not in page  # wages at another establishment are not shown
    assert client.get("/establishments/inquiries/employee/9891012345/").status_code == 404
    assert client.get("/establishments/inquiries/employee/0000000000/").status_code == 404
    lookup = client.get("/establishments/inquiries/employee/", {"number": "9881012345"})
    assert lookup.status_code == 302 and lookup.url.endswith("/employee/9881012345/")


def _employees(est, n: int):
    for k in range(n):
        person = IndividualFactory(name_ar=f"موظف {k:03d}", user__id_number=f"95{k:08d}")
        InsurancePeriodFactory(
            individual=person, establishment=est, monthly_wage=Decimal("400.000") + k
        )


def test_active_employees_only_open_periods(client, officer, est, employee, other_employee):
    left = IndividualFactory(name_ar="موظف سابق", user__id_number="9871012345")
    InsurancePeriodFactory(
        individual=left, establishment=est, end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    ends_today = IndividualFactory(name_ar="ينتهي اليوم", user__id_number="9872012345")
    InsurancePeriodFactory(individual=ends_today, establishment=est, end_date=timezone.localdate())
    page = html(login(client, officer).get("/establishments/inquiries/employees/"))
    assert "سمير فؤاد النابلسي" in page and "725.500" in page and "2020-03-01" in page
    assert "ينتهي اليوم" in page
    assert "موظف سابق" not in page and "غريب عن المنشأة" not in page


def test_active_employees_search_and_pagination(client, officer, est):
    _employees(est, 30)
    login(client, officer)
    first = html(client.get("/establishments/inquiries/employees/"))
    assert "موظف 000" in first and "موظف 024" in first and "موظف 025" not in first
    second = html(client.get("/establishments/inquiries/employees/", {"page": 2}))
    assert "موظف 025" in second and "موظف 029" in second and "موظف 000" not in second
    by_name = html(client.get("/establishments/inquiries/employees/", {"q": "موظف 017"}))
    assert "موظف 017" in by_name and "موظف 016" not in by_name
    by_number = html(client.get("/establishments/inquiries/employees/", {"q": "9500000003"}))
    assert "موظف 003" in by_number and "موظف 004" not in by_number


def test_active_employees_xlsx(client, officer, est, employee):
    _employees(est, 3)
    login(client, officer)
    resp = client.get("/establishments/inquiries/employees/export.xlsx")
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    ws = wb.active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 5  # header + 4
    assert ("9881012345", "سمير فؤاد النابلسي") in [r[:2] for r in rows]
    # the same filter as the page
    resp = client.get("/establishments/inquiries/employees/export.xlsx", {"q": "سمير"})
    rows = list(load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][1] == "سمير فؤاد النابلسي"
    assert Decimal(str(rows[1][3])) == Decimal("725.5")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/establishments/inquiries/employees/", "/establishments/inquiries/employees/export.xlsx"],
)
def test_active_employees_fixed_query_count(client, officer, est, url):
    login(client, officer)
    _employees(est, 5)
    few = _queries(client, url)
    for k in range(5, 60):
        person = IndividualFactory(name_ar=f"موظف {k:03d}", user__id_number=f"95{k:08d}")
        InsurancePeriodFactory(individual=person, establishment=est)
    many = _queries(client, url)
    assert few == many


def test_movements_filter_and_pagination(client, officer, est, employee):
    for k in range(30):
        Movement.objects.create(
            establishment=est,
            individual=employee,
            kind="start" if k % 2 == 0 else "stop",
            date=dt.date(2024, 1, 1) + dt.timedelta(days=k),
            wage=Decimal("500.000") if k % 2 == 0 else None,
            created_by=officer.user,
        )
    login(client, officer)
    page = html(client.get("/establishments/inquiries/movements/"))
    assert "سمير فؤاد النابلسي" in page and "2024-01-30" in page and "2024-01-01" not in page
    assert "2024-01-01" in html(client.get("/establishments/inquiries/movements/", {"page": 2}))
    stops = html(client.get("/establishments/inquiries/movements/", {"kind": "stop"}))
    assert "2024-01-02" in stops and "2024-01-03" not in stops
    ranged = html(
        client.get(
            "/establishments/inquiries/movements/",
            {"date_from": "2024-01-05", "date_to": "2024-01-06"},
        )
    )
    assert "2024-01-05" in ranged and "2024-01-06" in ranged and "2024-01-07" not in ranged


def test_unentered_wages_for_a_month(client, officer, est, employee):
    paid = IndividualFactory(name_ar="أجره مدخل", user__id_number="9861112345")
    InsurancePeriodFactory(individual=paid, establishment=est)
    last = previous_month(timezone.localdate())
    WageRecordFactory(individual=paid, establishment=est, month=last)
    login(client, officer)
    page = html(client.get("/establishments/inquiries/unentered-wages/"))
    assert last.strftime("%Y-%m") in page
    assert "سمير فؤاد النابلسي" in page and "أجره مدخل" not in page
    WageRecord.objects.create(
        individual=employee, establishment=est, month=last, wage=1, coverage="mandatory"
    )
    assert "سمير فؤاد النابلسي" not in html(
        client.get("/establishments/inquiries/unentered-wages/")
    )
    # an earlier month, before the employee started, lists nobody
    page = html(client.get("/establishments/inquiries/unentered-wages/", {"month": "2019-01"}))
    assert "سمير فؤاد النابلسي" not in page and "2019-01" in page
    page = html(client.get("/establishments/inquiries/unentered-wages/", {"month": "2021-06"}))
    assert "سمير فؤاد النابلسي" in page and "أجره مدخل" in page


def test_injuries(client, officer, est, employee, other_employee):
    WorkInjury.objects.create(
        individual=employee,
        establishment=est,
        kind="injury",
        occurred_on=dt.date(2025, 2, 3),
        place="المستودع",
        description="سقوط",
    )
    WorkInjury.objects.create(
        individual=other_employee,
        kind="disease",
        occurred_on=dt.date(2025, 2, 4),
        description="x",
    )
    page = html(login(client, officer).get("/establishments/inquiries/injuries/"))
    assert "سمير فؤاد النابلسي" in page and "المستودع" in page and "2025-02-03" in page
    assert "غريب عن المنشأة" not in page


# --- the letter ----------------------------------------------------------------------------------


def test_letter_pdf_and_verification(
    client, officer, est, employee, django_capture_on_commit_callbacks
):
    login(client, officer)
    page = html(client.get("/establishments/letter/"))
    assert "شركة الأفق للتجارة" in page and "كتاب لمن يهمه الأمر" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/establishments/letter/")
    doc = Document.objects.get()
    assert resp.status_code == 302 and resp.url == f"/documents/{doc.pk}/"
    assert doc.owner == officer.user and doc.status == "ready" and doc.kind == "letter"
    with translation.override("ar"):
        status_ar = str(Establishment.Status.ACTIVE.label)
    download = client.get(resp.url)
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert doc.certifies == {
        "اسم المنشأة": "شركة الأفق للتجارة",
        "رقم المنشأة التأميني": "300400",
        "تاريخ الشمول": "2010-01-01",
        "حالة المنشأة": status_ar,
        "عدد الموظفين الفعالين": "1",
        "كما في تاريخ": timezone.localdate().isoformat(),
    }
    client.logout()
    verify = html(client.get(f"/verify/{doc.code}/"))
    for label, value in doc.certifies.items():
        assert label in verify and value in verify
    assert "سمير" not in verify and "725" not in verify


# --- requests on the engine ------------------------------------------------------------------------


def submit(client, officer, code, answers, capture, documents=()):
    login(client, officer)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=officer.user, service_code=code)
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    for key in documents:
        up = SimpleUploadedFile(f"{key}.pdf", pdf_bytes(), content_type="application/pdf")
        r = client.post(f"/requests/{req.pk}/documents/", {"document_type": key, "file": up})
        assert r.status_code == 302
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/").content.decode()
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    assert req.status == "submitted", req.status
    assert Document.objects.filter(request=req, kind="receipt", status="ready").exists()
    return req, check


EDIT = {
    "phone": "0791234567",
    "district": "خلدا",
    "street": "شارع وصفي التل",
    "building_number": "15",
    "main_activity": "تجارة إلكترونيات",
    "signatory_name": "عادل منصور",
}


def test_edit_info_approve_updates_the_establishment(
    client, officer, est, staff, django_capture_on_commit_callbacks
):
    req, check = submit(client, officer, "est.edit-info", EDIT, django_capture_on_commit_callbacks)
    assert req.reference.startswith("EEDIT-") and "خلدا" in check
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)
    est.refresh_from_db()
    assert est.district == "خلدا" and est.street == "شارع وصفي التل"
    assert str(est.phone) == "+962791234567" and est.signatory_name == "عادل منصور"
    before, after = est.history.all()[1], est.history.all()[0]
    assert before.district == "الجبيهة" and after.district == "خلدا"


def test_edit_info_refuses_no_change(client, officer, est):
    login(client, officer)
    client.post("/service/est.edit-info/")
    req = ServiceRequest.objects.get()
    same = {
        **EDIT,
        "phone": "065000000",
        "district": "الجبيهة",
        "street": "",
        "building_number": "",
    }
    est.street, est.building_number = "ش", "1"
    est.main_activity, est.signatory_name = EDIT["main_activity"], EDIT["signatory_name"]
    est.save()
    same.update(street="ش", building_number="1")
    resp = client.post(f"/requests/{req.pk}/answers/", {**same, "continue": "1"})
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()
    assert req.data == {}


def test_edit_info_reject_with_reasons(
    client, officer, est, staff, django_capture_on_commit_callbacks
):
    req, _ = submit(client, officer, "est.edit-info", EDIT, django_capture_on_commit_callbacks)
    with pytest.raises(ServiceError):
        request_reject(req=req, staff=staff, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(req=req, staff=staff, reason="العنوان غير مطابق للسجل التجاري")
    req.refresh_from_db()
    est.refresh_from_db()
    assert req.status == "rejected" and est.district == "الجبيهة"
    inbox = Notification.objects.filter(user=officer.user, channel="inbox").first()
    assert "غير مطابق" in inbox.body


def injury(**kw):
    data = {
        "national_number": "9881012345",
        "kind": "injury",
        "occurred_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "place": "خط الإنتاج",
        "description": "جرح في اليد أثناء العمل",
    }
    data.update(kw)
    return data


def test_injury_notice_approve_records_the_injury(
    client, officer, est, employee, staff, django_capture_on_commit_callbacks
):
    req, check = submit(
        client,
        officer,
        "est.injury-notice",
        injury(),
        django_capture_on_commit_callbacks,
        documents=["medical_report"],
    )
    assert "ضمن المهلة" in check or "Within the deadline" in check
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)
    wi = WorkInjury.objects.get()
    assert wi.individual == employee and wi.establishment == est and wi.request == req
    assert wi.status == "accepted" and wi.place == "خط الإنتاج"
    page = html(client.get("/establishments/inquiries/injuries/"))
    assert "خط الإنتاج" in page


def test_late_injury_notice_is_received_but_says_late(
    client, officer, est, employee, staff, django_capture_on_commit_callbacks
):
    late = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    req, check = submit(
        client,
        officer,
        "est.injury-notice",
        injury(occurred_on=late),
        django_capture_on_commit_callbacks,
        documents=["medical_report"],
    )
    assert ("متأخر" in check or "Late" in check) and "20" in check and "7" in check
    assert "20" in req.data["timing"]
    detail = html(client.get(f"/requests/{req.pk}/"))
    assert req.data["timing"] in detail
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(req=req, staff=staff, reason="التقرير الطبي غير مختوم")
    req.refresh_from_db()
    assert req.status == "rejected" and not WorkInjury.objects.exists()


def test_injury_notice_refuses_someone_else_employee(client, officer, est, other_employee):
    login(client, officer)
    client.post("/service/est.injury-notice/")
    req = ServiceRequest.objects.get()
    resp = client.post(
        f"/requests/{req.pk}/answers/", {**injury(national_number="9891012345"), "continue": "1"}
    )
    assert resp.status_code == 200 and "national_number" in resp.context["form"].errors


def test_complaint_answered(client, officer, staff, django_capture_on_commit_callbacks):
    req, _ = submit(
        client,
        officer,
        "est.complaint",
        {"subject": "تأخر الرد", "text": "لم نتلق ردًا على طلبنا"},
        django_capture_on_commit_callbacks,
    )  # the attachment is optional
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff, note="تمت معالجة طلبكم")
    req.refresh_from_db()
    assert req.status == "approved" and req.decision_reason == "تمت معالجة طلبكم"
    assert "تمت معالجة طلبكم" in html(client.get(f"/requests/{req.pk}/"))


def test_complaint_rejected(client, officer, staff, django_capture_on_commit_callbacks):
    req, _ = submit(
        client,
        officer,
        "est.complaint",
        {"subject": "ملاحظة", "text": "نص"},
        django_capture_on_commit_callbacks,
        documents=["attachment"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(req=req, staff=staff, reason="الشكوى مكررة")
    req.refresh_from_db()
    assert req.status == "rejected" and req.attachments.count() == 1


def test_lift_seizure_only_when_seized(client, officer, est):
    login(client, officer)
    page = html(client.get("/service/est.lift-seizure/"))
    assert "حجز" in page
    client.post("/service/est.lift-seizure/")
    assert not ServiceRequest.objects.exists()


def test_lift_seizure_approve(client, officer, est, staff, django_capture_on_commit_callbacks):
    Establishment.objects.filter(pk=est.pk).update(seized=True)
    req, _ = submit(
        client,
        officer,
        "est.lift-seizure",
        {"reason": "تم تسديد المبالغ المستحقة"},
        django_capture_on_commit_callbacks,
        documents=["payment_proof"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)
    est.refresh_from_db()
    assert not est.seized


def test_lift_seizure_reject(client, officer, est, staff, django_capture_on_commit_callbacks):
    Establishment.objects.filter(pk=est.pk).update(seized=True)
    req, _ = submit(
        client,
        officer,
        "est.lift-seizure",
        {"reason": "تسوية"},
        django_capture_on_commit_callbacks,
        documents=["payment_proof"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(req=req, staff=staff, reason="لم يُسدَّد كامل المبلغ")
    est.refresh_from_db()
    assert est.seized


def test_official_letter_needs_the_letter(
    client, officer, staff, django_capture_on_commit_callbacks
):
    login(client, officer)
    client.post("/service/est.official-letter/")
    req = ServiceRequest.objects.get()
    client.post(f"/requests/{req.pk}/answers/", {"subject": "s", "text": "t", "continue": "1"})
    req.refresh_from_db()
    client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    assert req.status == "draft"
    req.delete()
    req, _ = submit(
        client,
        officer,
        "est.official-letter",
        {"subject": "طلب تزويد ببيانات", "text": "نرجو تزويدنا"},
        django_capture_on_commit_callbacks,
        documents=["letter"],
    )
    assert req.reference.startswith("ELTR-")
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff, note="تم الاطلاع")
    req.refresh_from_db()
    assert req.status == "approved"


@pytest.mark.parametrize(
    "code",
    [
        "est.edit-info",
        "est.injury-notice",
        "est.complaint",
        "est.lift-seizure",
        "est.official-letter",
    ],
)
def test_requests_refuse_individuals_and_inactive_establishments(client, est, officer, code):
    client.force_login(IndividualFactory().user)
    client.post(f"/service/{code}/")
    Establishment.objects.filter(pk=est.pk).update(status="suspended", seized=True)
    login(client, officer)
    page = html(client.get(f"/service/{code}/"))
    assert "غير فعالة" in page or "not active" in page
    client.post(f"/service/{code}/")
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_a_staff_change_in_the_admin_is_recorded_in_the_history(client):
    from establishments.models import Establishment

    from .factories import EstablishmentFactory, UserFactory

    staff = UserFactory(id_type="staff", id_number="auditor", is_staff=True, is_superuser=True)
    est = EstablishmentFactory(name="منشأة قبل التعديل")
    client.force_login(staff)
    page = client.get(f"/admin/establishments/establishment/{est.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update(
        {
            "name": "منشأة بعد التعديل",
            "coverage_date": est.coverage_date.isoformat(),
            "phone_0": "JO",
            "phone_1": "",
            "liaison_officer-TOTAL_FORMS": "0",
            "liaison_officer-INITIAL_FORMS": "0",
            "liaison_officer-MIN_NUM_FORMS": "0",
            "liaison_officer-MAX_NUM_FORMS": "1",
        }
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    resp = client.post(f"/admin/establishments/establishment/{est.pk}/change/", data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else ""
    latest = Establishment.history.filter(id=est.pk).order_by("-history_date").first()
    assert latest.name == "منشأة بعد التعديل" and latest.history_user == staff
    assert latest.prev_record.name == "منشأة قبل التعديل"

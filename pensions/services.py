"""What approving a retirement request does: grant the pension (its record, dependants, first
payment and decision notice), change the dependants, grant or reschedule a retiree loan.

Each runs inside the decision's transaction (``eservices.services.request_approve`` calls the
declaration's ``on_approve``): a refusal raises ``ServiceError`` and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.models import Document, ServiceRequest
from eservices.rules import Working

from .calculator import EARLY, OLD_AGE, PENSION_KEYS, jd, pension_parts
from .loans import LOAN_KEYS, loan_reschedule, retiree_loan
from .models import Dependant, Loan, LoanInstalment, Pension, PensionPayment
from .rulebook import RuleBook
from .selectors import Assumptions, active_loan, pension_for_person, pension_record

OLD_AGE_REQUEST = "ret.old-age-request"
EARLY_REQUEST = "ret.early-request"
DEPENDANTS_UPDATE = "ret.dependents-update"
LOAN_REQUEST = "ret.loan-request"
LOAN_RESCHEDULE = "ret.loan-reschedule"
PENSION_REQUESTS = {OLD_AGE_REQUEST: OLD_AGE, EARLY_REQUEST: EARLY}
DEPENDANT_SLOTS = 3
DEPENDANT_FIELDS = ("name", "national_number", "kinship", "birth_date")


def dependants_from_answers(data: dict) -> list[dict]:
    """The dependants a request lists (its slots dependant_<n>_<field>), filled ones only."""
    rows = []
    for n in range(1, DEPENDANT_SLOTS + 1):
        row = {f: (data.get(f"dependant_{n}_{f}") or "") for f in DEPENDANT_FIELDS}
        if row["name"]:
            rows.append(row)
    return rows


def retirement_day(req: ServiceRequest) -> dt.date:
    """A pension request retires the person on the day it was sent."""
    return timezone.localtime(req.submitted_at).date() if req.submitted_at else timezone.localdate()


def _moment(day: dt.date | None) -> dt.datetime:
    """Now, or noon of a decision dated ``day`` (demo data, imports)."""
    if day is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _days(key: str, on: dt.date) -> int:
    return int(RuleBook(on, (key,)).row(key).value)


# --- The pension -------------------------------------------------------------------------------


def pension_figure_for_request(req: ServiceRequest, *, on: dt.date | None = None):
    """The pension a pension request asks for, from the applicant's record on the day it was
    sent (or ``on``): coverage has stopped, so nothing is projected."""
    person = req.applicant.individual
    on = on or retirement_day(req)
    record = pension_record(person, today=on)
    deps = dependants_from_answers(req.data)
    return pension_for_person(
        record,
        on,
        Assumptions(dependants=len(deps), keeps_working=False),
        today=on,
        kind=PENSION_REQUESTS[req.service_code],
    )


def pension_grant(req: ServiceRequest, *, today: dt.date | None = None) -> Pension:
    """Approval of ret.old-age-request / ret.early-request: the pension record and its
    dependants, the first payment (every month from the start to this one), and the decision
    notice. The pension is paid from the month after the retirement date. ``today``: the day of
    the decision (default today)."""
    person = req.applicant.individual
    on = retirement_day(req)
    figure = pension_figure_for_request(req, on=on)
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    if Pension.objects.filter(individual=person).exclude(status=Pension.Status.STOPPED).exists():
        raise ServiceError(_("A pension is already being paid to this person."))
    req.amount = figure.amount
    req.working = figure.working.as_json()
    req.save(update_fields=["amount", "working", "updated_at"])
    b = figure.breakdown
    granted_at = _moment(today)
    pension = Pension.objects.create(
        individual=person,
        request=req,
        kind=figure.kind,
        retirement_date=on,
        start_month=month_after(month_start(on), 1),
        contribution_months=b["contribution_months"],
        reference_wage=Decimal(b["reference_wage"]),
        base=Decimal(b["base"]),
        increment=Decimal(b["increment"]),
        supplement=Decimal(b["supplement"]),
        minimum_topup=Decimal(b["minimum_topup"]),
        amount=figure.amount,
        bank=req.data.get("bank", ""),
        iban=req.data["iban"],
        working=figure.as_json(),
        created_at=granted_at,
    )
    today = today or timezone.localdate()
    Dependant.objects.bulk_create(
        Dependant(
            pension=pension,
            name=d["name"],
            national_number=d["national_number"],
            kinship=d["kinship"],
            birth_date=dt.date.fromisoformat(d["birth_date"]),
            added_on=today,
        )
        for d in dependants_from_answers(req.data)
    )
    first_payment(pension, today=today)
    decision_notice_issue(pension)
    return pension


def first_payment(pension: Pension, *, today: dt.date) -> list[PensionPayment]:
    """The first payment on approval: a payment for each month from the pension's start up to
    this month (at least the first month), due ``pension.first_payment_days`` after today and not
    before the month it pays. The payroll pays the months after it (and skips these)."""
    due = today + dt.timedelta(days=_days("pension.first_payment_days", today))
    months, month = [], pension.start_month
    while month <= max(month_start(today), pension.start_month):
        months.append(month)
        month = month_after(month, 1)
    return PensionPayment.objects.bulk_create(
        PensionPayment(
            pension=pension,
            month=m,
            kind=PensionPayment.Kind.FIRST,
            status=PensionPayment.Status.SCHEDULED,
            base=pension.base,
            increment=pension.increment,
            supplement=pension.supplement,
            minimum_topup=pension.minimum_topup,
            gross=pension.amount,
            loan_deduction=Decimal("0.000"),
            net=pension.amount,
            iban=pension.iban,
            due_date=max(due, m),
        )
        for m in months
    )


def _masked(iban: str) -> str:
    return f"{iban[:4]} … {iban[-4:]}" if len(iban) > 8 else iban


def decision_context(pension: Pension) -> dict:
    """Everything the decision notice shows, JSON-safe (it travels to the PDF worker)."""
    person = pension.individual
    req = pension.request
    working = (pension.working or {}).get("working", {})
    return {
        "person": {
            "name": person.name_ar,
            "number": person.identifier,
            "is_jordanian": person.is_jordanian,
            "insurance_number": person.insurance_number,
        },
        "reference": req.reference if req else "",
        "decided_on": timezone.localtime(req.decided_at).date().isoformat()
        if req and req.decided_at
        else timezone.localdate().isoformat(),
        "kind": str(pension.get_kind_display()),
        "retirement_date": pension.retirement_date.isoformat(),
        "start_month": f"{pension.start_month:%Y-%m}",
        "contribution_months": pension.contribution_months,
        "reference_wage": jd(pension.reference_wage),
        "parts": [
            [_("Base pension"), jd(pension.base)],
            [_("Dependants' increment"), jd(pension.increment)],
            [_("Cost-of-living supplement"), jd(pension.supplement)],
            [_("Top-up to the minimum pension"), jd(pension.minimum_topup)],
        ],
        "amount": jd(pension.amount),
        "dependants": [
            [d.name, str(d.get_kinship_display())]
            for d in pension.dependants.filter(removed_on__isnull=True)
        ],
        "bank_account": _masked(pension.iban),
        "working": working,
    }


def decision_notice_issue(pension: Pension) -> Document:
    """ret.decision-notice: the PDF of the decision, with a verification code; what the public
    verification page shows is the decision itself (who, which pension, how much, from when)."""
    from eservices.documents import document_issue
    from eservices.selectors import service

    context = decision_context(pension)
    person = context["person"]
    with override("ar"):
        kind_ar = str(pension.get_kind_display())
    return document_issue(
        owner=pension.individual.user,
        request=pension.request,
        kind=Document.Kind.DECISION,
        title=str(service("ret.decision-notice").name),
        template="pdf/pension_decision.html",
        context=context,
        certifies={
            "الاسم": pension.individual.name_ar,
            ("الرقم الوطني" if person["is_jordanian"] else "الرقم الشخصي"): person["number"],
            "نوع الراتب": kind_ar,
            "الراتب الشهري (دينار)": context["amount"],
            "يصرف اعتبارًا من": context["start_month"],
        },
    )


# --- Dependants --------------------------------------------------------------------------------


def recompute_parts(pension: Pension, *, dependants: int, on: dt.date):
    """The parts after the base for ``dependants`` (rules in force on ``on``): the figure a change
    of dependants shows and applies. Returns (parts, working)."""
    w = Working()
    book = RuleBook(on, PENSION_KEYS)
    w.line(_("Base pension, as granted (JD)"), jd(pension.base))
    parts = pension_parts(
        w, book, base=pension.base, supplement=pension.supplement, dependants=dependants
    )
    return parts, w


def dependants_replace(*, pension: Pension, dependants: list[dict], on: dt.date) -> Pension:
    """Make ``dependants`` the pension's dependants from ``on`` (those no longer listed are removed,
    those already listed are kept) and recompute the increment and the top-up; the payroll pays
    the new amount from its next run."""
    pension = Pension.objects.select_for_update().get(pk=pension.pk)
    current = {d.national_number: d for d in pension.dependants.filter(removed_on__isnull=True)}
    wanted = {d["national_number"]: d for d in dependants}
    for number, row in current.items():
        if number not in wanted:
            row.removed_on = on
            row.save(update_fields=["removed_on"])
    for number, d in wanted.items():
        if number in current:
            row = current[number]
            row.name, row.kinship = d["name"], d["kinship"]
            row.birth_date = dt.date.fromisoformat(str(d["birth_date"]))
            row.save(update_fields=["name", "kinship", "birth_date"])
        else:
            Dependant.objects.create(
                pension=pension,
                name=d["name"],
                national_number=number,
                kinship=d["kinship"],
                birth_date=dt.date.fromisoformat(str(d["birth_date"])),
                added_on=on,
            )
    parts, _w = recompute_parts(pension, dependants=len(wanted), on=on)
    pension.increment = parts.increment
    pension.minimum_topup = parts.minimum_topup
    pension.amount = parts.pension
    pension.save(update_fields=["increment", "minimum_topup", "amount", "updated_at"])
    return pension


def dependants_update_approve(req: ServiceRequest) -> None:
    from .selectors import current_pension

    pension = current_pension(req.applicant.individual)
    if pension is None:
        raise ServiceError(_("There is no pension to change."))
    today = timezone.localdate()
    dependants_replace(pension=pension, dependants=dependants_from_answers(req.data), on=today)


# --- Loans -------------------------------------------------------------------------------------


def _loan_pension(req: ServiceRequest) -> Pension:
    pension = (
        Pension.objects.select_for_update()
        .filter(individual__user=req.applicant, status=Pension.Status.ACTIVE)
        .first()
    )
    if pension is None:
        raise ServiceError(_("A retiree loan is for a person whose pension is being paid."))
    return pension


def _instalments(loan: Loan, schedule, start: int = 1) -> list[LoanInstalment]:
    return LoanInstalment.objects.bulk_create(
        LoanInstalment(loan=loan, sequence=start + i.sequence - 1, month=i.month, amount=i.amount)
        for i in schedule
    )


def loan_grant(req: ServiceRequest, *, today: dt.date | None = None) -> Loan:
    """Approval of ret.loan-request: the loan, its schedule from next month (the payroll deducts
    it), and the payout of the principal into the pension's account. ``today``: the day of the
    decision (default today)."""
    from payments.models import BenefitPayment

    pension = _loan_pension(req)
    if active_loan(pension):
        raise ServiceError(_("The loan already granted must be repaid before a new one."))
    granted_at = _moment(today)
    today = today or timezone.localdate()
    book = RuleBook(today, (*LOAN_KEYS, "loan.payout_days"))
    figure = retiree_loan(
        net_pension=pension.amount,
        birth_date=pension.individual.birth_date,
        principal=Decimal(str(req.data["amount"])),
        months=int(req.data["months"]),
        on=today,
        rules=book,
    )
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    req.amount = figure.amount
    req.working = figure.working.as_json()
    req.save(update_fields=["amount", "working", "updated_at"])
    loan = Loan.objects.create(
        pension=pension,
        request=req,
        principal=figure.amount,
        interest_rate=book.row("loan.interest").value,
        months=figure.months,
        total=figure.total,
        first_month=figure.schedule[0].month,
        created_at=granted_at,
    )
    _instalments(loan, figure.schedule)
    BenefitPayment.objects.create(
        request=req,
        beneficiary=req.applicant,
        service_code=req.service_code,
        amount=figure.amount,
        iban=pension.iban,
        due_date=today + dt.timedelta(days=int(book.row("loan.payout_days").value)),
    )
    return loan


def reschedule_figure(pension: Pension, loan: Loan, months: int, *, on: dt.date):
    """The balance still due over ``months``, from the month after ``on`` — or after the last
    month already deducted, if the payroll has paid a later one."""
    rows = list(loan.instalments.all())
    balance = sum(
        (i.amount for i in rows if i.status == LoanInstalment.Status.DUE), Decimal("0.000")
    )
    first = month_after(month_start(on), 1)
    paid = [i.month for i in rows if i.status == LoanInstalment.Status.PAID]
    if paid:
        first = max(first, month_after(max(paid), 1))
    return loan_reschedule(
        net_pension=pension.amount,
        birth_date=pension.individual.birth_date,
        balance=balance,
        months=months,
        on=on,
        first_month=first,
    )


def loan_reschedule_approve(req: ServiceRequest) -> Loan:
    """Approval of ret.loan-reschedule: the instalments still due are replaced by the new
    schedule of the same balance, from next month."""
    pension = _loan_pension(req)
    loan = (
        Loan.objects.select_for_update().filter(pension=pension, status=Loan.Status.ACTIVE).first()
    )
    if loan is None:
        raise ServiceError(_("There is no loan being repaid."))
    today = timezone.localdate()
    figure = reschedule_figure(pension, loan, int(req.data["months"]), on=today)
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    req.amount = figure.amount
    req.working = figure.working.as_json()
    req.save(update_fields=["amount", "working", "updated_at"])
    with transaction.atomic():
        loan.instalments.filter(status=LoanInstalment.Status.DUE).update(
            status=LoanInstalment.Status.CANCELLED
        )
        last = loan.instalments.aggregate(m=Max("sequence"))["m"] or 0
        _instalments(loan, figure.schedule, start=last + 1)
    loan.rescheduled_at = timezone.now()
    loan.save(update_fields=["rescheduled_at"])
    return loan

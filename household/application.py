"""hh.apply (خدمة تأمين المعاشات) and hh.review on the shared request engine.

The application is an engine request (``ServiceRequest`` with code hh.apply): its draft, answers,
attachments, submission with a reference, staff decision with reasons, notifications and history
are the engine's. The household wizard (views_apply.py) asks the questions step by step, as the
source describes them, and saves each step into the same draft through the engine's services;
the engine checks every answer again when the application is sent
(:class:`household.forms.HouseholdApplicationForm`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.documents import document_issue
from eservices.models import Document, ServiceRequest
from eservices.notifications import notify
from eservices.rules import Working, rule
from eservices.services import request_save, request_submit

from .entitlement import INCOME_KINDS, EntitlementFigure, household_entitlement, members_of, sar
from .forms import HouseholdApplicationForm, incomes_from
from .models import IncomeSource, Pension, Profile
from .signup import is_household

CODE = "hh.apply"


# --- The review's time limit, from the rule table --------------------------------------------


def rule_int(key: str, on: dt.date) -> int:
    """A whole-number rule in force on ``on``, cached a minute (a queue asks it once a row)."""
    cache_key = f"household:rule:{key}:{on.isoformat()}"
    value = cache.get(cache_key)
    if value is None:
        value = int(rule(key, on=on).value)
        cache.set(cache_key, value, 60)
    return value


def review_days(on: dt.date | None = None) -> int:
    """``household.review_days`` in force on ``on`` (today by default)."""
    return rule_int("household.review_days", on or timezone.localdate())


def review_deadline(submitted_at: dt.datetime) -> dt.date:
    day = timezone.localtime(submitted_at).date()
    return day + dt.timedelta(days=review_days(day))


class RuleText:
    """A text with a rule value in it, worked out when it is shown (``who`` of a declaration)."""

    def __init__(self, text, key: str):
        self.text, self.key = text, key

    def __str__(self) -> str:
        return str(self.text) % {"days": int(rule(self.key, on=timezone.localdate()).value)}


# --- Who may apply, and the figure ----------------------------------------------------------


def household_reasons(user) -> list[str]:
    """Why a user cannot use a household request service yet ([] when they can)."""
    if not is_household(user) or not hasattr(user, "household_profile"):
        return [_("This service is for household social security accounts.")]
    profile = user.household_profile
    if profile.must_change_password:
        return [_("Change your temporary password first.")]
    if not profile.is_complete:
        return [_("Complete your profile first: its five stages and the terms.")]
    return []


def active_pension(user) -> Pension | None:
    return Pension.objects.filter(beneficiary=user, status=Pension.Status.ACTIVE).first()


def eligibility(user, today: dt.date) -> list[str]:
    reasons = household_reasons(user)
    if reasons:
        return reasons
    if active_pension(user):
        return [_("You already receive the household pension.")]
    pending = (
        ServiceRequest.objects.filter(
            applicant=user, service_code=CODE, status__in=ServiceRequest.OPEN
        )
        .values_list("reference", flat=True)
        .first()
    )
    if pending:
        return [_("Your application %(ref)s is being reviewed.") % {"ref": pending}]
    return []


def household_of(data: dict[str, Any]) -> dict[str, int]:
    return {
        "spouses": 1 if data.get("spouse_id_number") else 0,
        "children": int(data.get("children") or 0),
        "others": int(data.get("others") or 0),
    }


def application_figure(data: dict[str, Any], month: dt.date | None = None) -> EntitlementFigure:
    """The entitlement the answers give, by default for next month (the earliest that an
    application sent now could be paid for)."""
    month = month or month_after(month_start(timezone.localdate()), 1)
    return household_entitlement(
        members=members_of(**household_of(data)), incomes=incomes_from(data), month=month
    )


@dataclass
class EngineFigure:
    """What the engine keeps of the figure: the working. The amount is in riyals, and the
    engine's amount is in dinars, so it stays empty; the pension keeps the riyals."""

    payable: bool
    reasons: list[str]
    working: Working
    amount: None = None
    figure: EntitlementFigure | None = field(default=None, repr=False)


def compute(user, data: dict) -> EngineFigure | None:
    if not data.get("has_income"):
        return None
    fig = application_figure(data)
    return EngineFigure(payable=fig.payable, reasons=fig.reasons, working=fig.working, figure=fig)


def on_approve(req: ServiceRequest) -> None:
    """Acceptance: the pension, paid from the 1st of next month into the account given; the
    income and the account declared become the profile's."""
    from .payouts import first_payment_month, pension_figure

    data = req.data
    user = req.applicant
    today = timezone.localdate()
    profile = Profile.objects.select_for_update().get(user=user)
    profile.iban, profile.bank = data["iban"], data["bank"]
    profile.bank_verified_at = timezone.now()
    profile.has_income = data.get("has_income") == "yes"
    profile.save(update_fields=["iban", "bank", "bank_verified_at", "has_income"])
    replace_incomes(profile, data)
    pension = Pension.objects.create(
        request=req,
        beneficiary=user,
        accepted_on=today,
        first_month=first_payment_month(today),
        iban=data["iban"],
        bank=data["bank"],
        breadwinner_id_number=user.id_number,
        breadwinner_name=user.full_name,
        breadwinner_since=today,
        **household_of(data),
    )
    figure = pension_figure(pension, pension.first_month)
    notify(
        user=user,
        request=req,
        title=_("Household pension from %(month)s") % {"month": f"{pension.first_month:%Y-%m}"},
        body=_("Your pension is paid on the 1st of each month from %(date)s: %(amount)s SAR.")
        % {
            "date": pension.first_month.isoformat(),
            "amount": sar(figure.amount) if figure.amount else "0.00",
        },
    )


def replace_incomes(profile: Profile, data: dict[str, Any]) -> None:
    profile.incomes.all().delete()
    IncomeSource.objects.bulk_create(
        IncomeSource(profile=profile, kind=i.kind, monthly_amount=i.monthly_amount)
        for i in incomes_from(data)
    )


HOUSEHOLD_APPLICATION = register(
    RequestService(
        code=CODE,
        form_class=HouseholdApplicationForm,
        who=RuleText(
            gettext_lazy(
                "A Saudi household, or a resident the rules allow, whose countable income is "
                "below the household's minimum, with a complete profile. The ministry reviews "
                "the application within %(days)s days."
            ),
            "household.review_days",
        ),
        decision_days=20,  # when the rule is missing; the rule below is what counts
        decision_rule="household.review_days",
        reference_prefix="HH",
        audience="household",
        currency="SAR",
        start_url_name="household:apply",
        documents=(
            DocumentSpec("id_document", gettext_lazy("A valid national ID or iqama")),
            DocumentSpec(
                "medical_report", gettext_lazy("A medical report from a government hospital")
            ),
            DocumentSpec("family_record", gettext_lazy("The family record")),
        ),
        eligibility=eligibility,
        compute=compute,
        on_approve=on_approve,
    )
)


# --- The wizard's services -------------------------------------------------------------------

DONE = "_done"


def done_steps(req: ServiceRequest) -> list[str]:
    return list(req.data.get(DONE, []))


def application_save_step(
    *, req: ServiceRequest, user, step: str, answers: dict[str, Any]
) -> ServiceRequest:
    """Keep one step's answers in the draft (the engine's save), and mark the step done."""
    done = done_steps(req)
    if step not in done:
        done.append(step)
    return request_save(req=req, user=user, data={**req.data, **answers, DONE: done})


def application_submit(*, req: ServiceRequest, user, token: str) -> ServiceRequest:
    """Send the application (the engine's submission: reference, receipt, notification), then
    issue its printable summary. A second click returns the same application."""
    req = request_submit(req=req, user=user, token=token)
    if not req.documents.filter(kind=Document.Kind.LETTER).exists():
        summary_issue(req)
    return req


def summary_rows(req: ServiceRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answers in the wizard's sections, for the submission page, the summary and its PDF."""
    from eservices.services import answers_as_rows

    from .forms import APPLICATION_STEPS

    rows = {
        name: (label, value)
        for name, label, value in answers_as_rows(HOUSEHOLD_APPLICATION, req.data, req.applicant)
    }
    from .forms import income_field

    sections = []
    for key, title, form_class in APPLICATION_STEPS:
        if form_class is None:
            continue
        names = list(form_class(user=req.applicant).fields)
        if key == "income":
            names = ["has_income"] + [
                income_field(k) for k in INCOME_KINDS if req.data.get(income_field(k))
            ]
        if key == "bank":
            names = ["iban", "bank"]
        if key == "attachments":
            title = _("The medical report")
        sections.append((str(title), [rows[n] for n in names if n in rows]))
    return sections


def summary_issue(req: ServiceRequest) -> Document:
    fig = application_figure(req.data)
    deadline = review_deadline(req.submitted_at)
    return document_issue(
        owner=req.applicant,
        request=req,
        kind=Document.Kind.LETTER,
        title=_("Application summary: %(service)s") % {"service": HOUSEHOLD_APPLICATION.name},
        template="pdf/household_summary.html",
        context={
            "reference": req.reference,
            "submitted_at": timezone.localtime(req.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "applicant": req.applicant.get_full_name(),
            "identifier": req.applicant.id_number,
            "sections": [[title, [list(r) for r in rows]] for title, rows in summary_rows(req)],
            "attachments": [
                [str(_label(a.document_type)), a.original_name] for a in req.attachments.all()
            ],
            "month": fig.month.strftime("%Y-%m"),
            "amount": sar(fig.amount) if fig.amount else "",
            "working": fig.working.as_json(),
            "deadline": deadline.isoformat(),
            "review_days": review_days(timezone.localtime(req.submitted_at).date()),
        },
        certifies={
            _("Service"): str(HOUSEHOLD_APPLICATION.name),
            _("Reference number"): req.reference,
            _("Submitted at"): timezone.localtime(req.submitted_at).strftime("%Y-%m-%d"),
        },
    )


def _label(document_type: str):
    return next(
        (d.label for d in HOUSEHOLD_APPLICATION.documents if d.key == document_type),
        document_type,
    )


def start_application(*, user) -> ServiceRequest:
    from eservices.services import request_draft

    with transaction.atomic():
        return request_draft(user=user, spec=HOUSEHOLD_APPLICATION)


def own_application(user, pk: int) -> ServiceRequest:
    req = ServiceRequest.objects.filter(pk=pk, applicant=user, service_code=CODE).first()
    if req is None:
        raise ServiceError(_("There is no such application."))
    return req

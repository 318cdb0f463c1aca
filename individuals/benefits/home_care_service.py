"""mat.home-care and mat.care-stop declared on the e-service engine.

Home care follows an approved maternity allowance (mat.allowance): the mother names the child by
its date of birth, which picks her approved maternity request; the leave in that request gives the
first month, and approval schedules one payment a month. One home-care request for each birth.
Stopping it (mat.care-stop) stops the payments due from the 1st of the month after the approval.

The engine builds the forms without the user, so the form cannot list her maternity requests: the
date of birth is matched to them on the check page and again at the decision.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.models import ServiceRequest
from eservices.rules import plain, rule
from individuals.models import Kinship

from .home_care import HomeCareFigure, home_care_allowance, last_insured_wage
from .maternity_service import MaternityAllowanceForm, _individual
from .unemployment_service import schedule_payments

MATERNITY = "mat.allowance"
HOME_CARE = "mat.home-care"
CARE_STOP = "mat.care-stop"
S = ServiceRequest.Status
CLAIMING = (*ServiceRequest.OPEN, S.APPROVED)  # a request that holds its birth
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

CAREGIVERS = [
    ("", "---------"),
    *Kinship.choices,
    ("domestic_worker", gettext_lazy("Domestic worker")),
    ("other", gettext_lazy("Someone else")),
]


class HomeCareForm(forms.Form):
    child_name = forms.CharField(label=gettext_lazy("Name of the newborn"), max_length=120)
    child_birth_date = forms.DateField(
        label=gettext_lazy("Date of birth of the child"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("As in your approved maternity allowance request."),
    )
    caregiver_name = forms.CharField(
        label=gettext_lazy("Name of the person who cares for the child at home"), max_length=120
    )
    caregiver_relation = forms.ChoiceField(
        label=gettext_lazy("Relation of that person to you"), choices=CAREGIVERS
    )
    # The bank and the account as the maternity allowance asks for them.
    bank = MaternityAllowanceForm.base_fields["bank"]
    iban = MaternityAllowanceForm.base_fields["iban"]
    clean_iban = MaternityAllowanceForm.clean_iban


def _approved_maternity(user):
    return ServiceRequest.objects.filter(
        applicant=user, service_code=MATERNITY, status=S.APPROVED
    ).order_by("-decided_at", "-pk")


def _claimed(user, birth: str, *, exclude: int | None = None) -> bool:
    """Another home-care request, sent or approved, holds this birth."""
    qs = ServiceRequest.objects.filter(
        applicant=user, service_code=HOME_CARE, status__in=CLAIMING, data__child_birth_date=birth
    )
    return qs.exclude(pk=exclude).exists() if exclude else qs.exists()


def _assess(person, maternity: ServiceRequest) -> HomeCareFigure:
    birth = dt.date.fromisoformat(maternity.data["birth_date"])
    return home_care_allowance(
        birth_date=birth,
        leave_start=dt.date.fromisoformat(maternity.data["leave_start"]),
        last_insured_wage=last_insured_wage(person, before=month_start(birth)),
    )


def _refused(reason: str) -> HomeCareFigure:
    return HomeCareFigure(payable=False, amount=None, reasons=[reason])


def home_care_for(user, birth: str, *, exclude: int | None = None) -> HomeCareFigure:
    """The allowance for the birth on ``birth`` (ISO date) of the user's approved maternity."""
    qs = _approved_maternity(user).filter(data__birth_date=birth)
    if transaction.get_connection().in_atomic_block:
        qs = qs.select_for_update()  # two requests for one birth are sent one after the other
    maternity = qs.first()
    if maternity is None:
        return _refused(_("There is no approved maternity allowance for a birth on that date."))
    if _claimed(user, birth, exclude=exclude):
        return _refused(_("A home-care request was already made for this birth."))
    return _assess(user.individual, maternity)


def home_care_eligibility(user, today: dt.date) -> list[str]:
    """Eligible while one approved maternity allowance has a birth that home care may follow."""
    person = _individual(user)
    if person is None:
        return [_("This service is for insured individuals.")]
    births = list(_approved_maternity(user))
    if not births:
        return [_("Home care follows an approved maternity allowance, and you have none.")]
    reasons: list[str] = []
    for maternity in births:
        if _claimed(user, maternity.data["birth_date"]):
            reasons.append(_("A home-care request was already made for this birth."))
            continue
        figure = _assess(person, maternity)
        if figure.payable:
            return []
        reasons += figure.reasons
    return reasons


def home_care_compute(user, data: dict):
    birth = data.get("child_birth_date")
    if _individual(user) is None or not birth:
        return None
    return home_care_for(user, str(birth))


def home_care_approve(req) -> None:
    """Approval schedules one payment a month, due on the 1st, from the first month of care."""
    figure = home_care_for(req.applicant, req.data["child_birth_date"], exclude=req.pk)
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    schedule_payments(req, figure)


def _home_care_who() -> str:
    today = timezone.localdate()
    figures = {
        key: plain(rule(f"maternity.home_care_{key}", on=today).value)
        for key in ("wage_max", "monthly", "months")
    }
    return (
        _(
            "An insured woman whose maternity allowance was approved, if her last insured wage "
            "before the birth was at most %(wage_max)s JD: %(monthly)s JD a month for %(months)s "
            "months after the leave. One request for each birth."
        )
        % figures
    )


CAREGIVER_ID = DocumentSpec(
    "caregiver_id",
    gettext_lazy("Identity card of the person who cares for the child"),
    required=False,
)

HOME_CARE_SERVICE = register(
    RequestService(
        code=HOME_CARE,
        form_class=HomeCareForm,
        eligibility=home_care_eligibility,
        compute=home_care_compute,
        on_approve=home_care_approve,
        documents=(CAREGIVER_ID,),
        who=lazy(_home_care_who, str)(),
        decision_days=14,
        reference_prefix="HCARE",
    )
)


# --- stopping it -------------------------------------------------------------------------------


class CareStopForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why the home care stops"),
        choices=[
            ("", "---------"),
            ("nursery", gettext_lazy("The child is in a nursery")),
            ("work", gettext_lazy("Return to work")),
            ("other", gettext_lazy("Another reason")),
        ],
    )
    details = forms.CharField(
        label=gettext_lazy("Details"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Needed when the reason is another one."),
    )
    stop_date = forms.DateField(label=gettext_lazy("Date of the change"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not (data.get("details") or "").strip():
            self.add_error("details", _("Write the reason."))
        return data


def stop_from(day: dt.date) -> dt.date:
    """Payments stop from the 1st of the month after ``day``."""
    return month_after(month_start(day), 1)


def payments_to_stop(user, day: dt.date):
    from payments.models import BenefitPayment

    return BenefitPayment.objects.filter(
        beneficiary=user,
        service_code=HOME_CARE,
        request__status=S.APPROVED,
        status=BenefitPayment.Status.SCHEDULED,
        due_date__gte=stop_from(day),
    )


def care_stop_eligibility(user, today: dt.date) -> list[str]:
    if _individual(user) is None:
        return [_("This service is for insured individuals.")]
    if not payments_to_stop(user, today).exists():
        return [_("You have no home-care allowance with payments still to come.")]
    if ServiceRequest.objects.filter(
        applicant=user, service_code=CARE_STOP, status__in=ServiceRequest.OPEN
    ).exists():
        return [_("A request to stop your home-care allowance is already being processed.")]
    return []


def care_stop_approve(req) -> None:
    """The scheduled payments due from the 1st of the month after the approval are stopped."""
    from payments.models import BenefitPayment

    payments_to_stop(req.applicant, timezone.localdate()).update(
        status=BenefitPayment.Status.STOPPED
    )


STOP_PROOF = DocumentSpec(
    "proof",
    gettext_lazy("A document that shows the change (nursery or employer's letter)"),
    required=False,
)

CARE_STOP_SERVICE = register(
    RequestService(
        code=CARE_STOP,
        form_class=CareStopForm,
        eligibility=care_stop_eligibility,
        on_approve=care_stop_approve,
        documents=(STOP_PROOF,),
        who=gettext_lazy(
            "A woman who receives the home-care allowance: when the child goes to a nursery, when "
            "she returns to work, or for another reason. The payments stop from the month after "
            "the approval."
        ),
        decision_days=7,
        reference_prefix="HSTOP",
    )
)

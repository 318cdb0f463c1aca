"""The lump-sum services declared on the e-service engine: lump.request (تعويض الدفعة الواحدة) and
the three defense-order advances drawn from the lump-sum account (def.tamkeen2-lump-advance,
def.musaned3-lump-advance, def.tamkeen-retirement-advance). The figures come from lump_sum.py and
advances.py, which the API and the inquiry pages call too."""

from __future__ import annotations

import copy
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import plain, rule

from .advances import advance_for_person
from .lump_sum import (
    LUMP_REQUEST,
    MUSANED3,
    TAMKEEN2,
    TAMKEEN_RETIREMENT,
    Case,
    LumpSumFigure,
    MaritalStatus,
    lump_sum_for_person,
)
from .maternity_service import BANKS, MaternityAllowanceForm
from .unemployment_service import individual_of, schedule_payments


def _paid_into_account(field: forms.Field) -> forms.Field:
    field = copy.deepcopy(field)
    field.help_text = gettext_lazy("The amount is paid into this account, in your name.")
    return field


class PaymentAccountForm(forms.Form):
    """The bank (BANKS) and the IBAN (validate_jordanian_iban, spaces removed) as mat.allowance
    asks for them: its IBAN field and cleaning, with a help text for these amounts."""

    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = _paid_into_account(MaternityAllowanceForm.base_fields["iban"])
    clean_iban = MaternityAllowanceForm.clean_iban


class LumpSumRequestForm(PaymentAccountForm):
    field_order = ["case", "marital_status", "bank", "iban"]
    case = forms.ChoiceField(
        label=gettext_lazy("The case you apply under"),
        choices=Case.choices,
        widget=forms.RadioSelect,
    )
    marital_status = forms.ChoiceField(
        label=gettext_lazy("Marital status"),
        choices=[("", "---------"), *MaritalStatus.choices],
        required=False,
        help_text=gettext_lazy(
            "Needed for the case of a woman who is not married: the insurance record does not "
            "hold it."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("case") == Case.SINGLE_WOMAN and not data.get("marital_status"):
            self.add_error("marital_status", _("Give your marital status for this case."))
        return data


class AdvanceRequestForm(PaymentAccountForm):
    """The account the advance is paid into, and the applicant's agreement to the deduction."""

    field_order = ["bank", "iban", "deduction"]
    deduction = forms.BooleanField(
        label=gettext_lazy(
            "I ask for this advance and agree that it is deducted from the balance of my "
            "lump-sum account."
        )
    )


# --- Eligibility, amount and approval ---------------------------------------------------------


def _requests(user, code: str, statuses):
    from eservices.models import ServiceRequest

    return ServiceRequest.objects.filter(applicant=user, service_code=code, status__in=statuses)


def _draft_has(user, code: str, document_type: str) -> bool:
    from eservices.models import Attachment, ServiceRequest

    return Attachment.objects.filter(
        request__applicant=user,
        request__service_code=code,
        request__status=ServiceRequest.Status.DRAFT,
        document_type=document_type,
    ).exists()


def _not_individual() -> list[str]:
    return [_("This service is for insured individuals.")]


def lump_eligibility(user, today: dt.date) -> list[str]:
    from eservices.models import ServiceRequest

    person = individual_of(user)
    if person is None:
        return _not_individual()
    if _requests(user, LUMP_REQUEST, ServiceRequest.OPEN).exists():
        return [_("A lump-sum compensation request of yours is being processed.")]
    # The marital status is asked on the form: before it, a woman may be in the unmarried case.
    assumed = MaritalStatus.NEVER_MARRIED if person.sex == "F" else ""
    return lump_sum_for_person(person, on=today, marital_status=assumed).reasons


def lump_compute(user, data: dict) -> LumpSumFigure | None:
    person = individual_of(user)
    if person is None:
        return None
    case = data.get("case") if data.get("case") in Case.values else ""
    status = (
        data.get("marital_status") if data.get("marital_status") in MaritalStatus.values else ""
    )
    figure = lump_sum_for_person(person, on=timezone.localdate(), marital_status=status, case=case)
    if not person.is_jordanian and not _draft_has(user, LUMP_REQUEST, "passport"):
        figure.payable, figure.amount = False, None
        figure.reasons.append(_("Attach a copy of your passport: a non-Jordanian needs it here."))
    return figure


def lump_on_approve(req) -> None:
    """One payment of the lump sum, and the months it pays out are closed: every contribution
    month it counted is marked as paid out by this request (one UPDATE), so it counts nowhere."""
    from individuals.models import WageRecord

    person = req.applicant.individual
    figure = lump_sum_for_person(
        person,
        on=timezone.localdate(),
        marital_status=req.data.get("marital_status") or "",
        case=req.data.get("case") or "",
        exclude_request=req.pk,
    )
    schedule_payments(req, figure)
    closed = WageRecord.objects.filter(individual=person, compensated_by__isnull=True).update(
        compensated_by=req
    )
    if closed != figure.breakdown["contributions"]:  # the whole decision is undone
        raise ServiceError(
            _(
                "The insurance record changed after the request was sent: its contribution "
                "months are not those counted. Reject the request with this reason."
            )
        )


def _advance_eligibility(code: str):
    def eligibility(user, today: dt.date) -> list[str]:
        from eservices.models import ServiceRequest

        person = individual_of(user)
        if person is None:
            return _not_individual()
        if _requests(user, code, (*ServiceRequest.OPEN, ServiceRequest.Status.APPROVED)).exists():
            return [_("This advance is granted once: you have already asked for it.")]
        return advance_for_person(person, code, on=today).reasons

    return eligibility


def _advance_compute(code: str):
    def compute(user, data: dict) -> LumpSumFigure | None:
        person = individual_of(user)
        return advance_for_person(person, code, on=timezone.localdate()) if person else None

    return compute


def advance_on_approve(req) -> None:
    """The advance's payments (three monthly ones for Musaned 3); the account's balance drops by
    the advance from now on."""
    figure = advance_for_person(
        req.applicant.individual, req.service_code, on=timezone.localdate(), exclude_request=req.pk
    )
    schedule_payments(req, figure)


# --- Declarations ----------------------------------------------------------------------------


WHO_LUMP_RULES = {
    "woman": "lump.single_woman_age",
    "men": "lump.late_age_men",
    "women": "lump.late_age_women",
    "most": "lump.late_max_contributions",
    "months": "lump.late_uncovered_months",
}


def _lump_who_text() -> str:
    today = timezone.localdate()
    values = {name: plain(rule(key, on=today).value) for name, key in WHO_LUMP_RULES.items()}
    return (
        _(
            "An insured person to whom a case applies: a non-Jordanian whose coverage has ended; "
            "a woman who is not married, aged %(woman)s or more, whose coverage has ended; a man "
            "aged %(men)s or a woman aged %(women)s or more with at most %(most)s contributions "
            "and %(months)s months without coverage; or the old-age age reached outside covered "
            "service without a pension. On death or disability the heirs or the person apply "
            "with a request at the Corporation."
        )
        % values
    )


def _who_advance(wage_max_key: str):
    def who() -> str:
        limit = rule(wage_max_key, on=timezone.localdate())
        return _(
            "An insured person whose last insured wage is below %(max)s JD and whose lump-sum "
            "account has a balance. The advance is granted once and is deducted from the account."
        ) % {"max": plain(limit.value)}

    return lazy(who, str)()


LUMP_WHO = lazy(_lump_who_text, str)()  # with the rule rows in force on the day it is shown
LUMP_SUM_REQUEST = register(
    RequestService(
        code=LUMP_REQUEST,
        form_class=LumpSumRequestForm,
        who=LUMP_WHO,
        decision_days=30,
        reference_prefix="LMP",
        documents=(
            DocumentSpec(
                "end_of_service",
                gettext_lazy("Proof of the end of service (the employer's letter)"),
            ),
            DocumentSpec(
                "passport", gettext_lazy("Copy of the passport (non-Jordanians)"), required=False
            ),
        ),
        eligibility=lump_eligibility,
        compute=lump_compute,
        on_approve=lump_on_approve,
    )
)

ADVANCE_SERVICES = {
    code: register(
        RequestService(
            code=code,
            form_class=AdvanceRequestForm,
            who=_who_advance(wage_max_key),
            decision_days=14,
            reference_prefix=prefix,
            eligibility=_advance_eligibility(code),
            compute=_advance_compute(code),
            on_approve=advance_on_approve,
        )
    )
    for code, wage_max_key, prefix in (
        (TAMKEEN2, "tamkeen2.wage_max", "TMK"),
        (MUSANED3, "musaned3.wage_max", "MSN"),
        (TAMKEEN_RETIREMENT, "tamkeen_ret.wage_max", "TMR"),
    )
}

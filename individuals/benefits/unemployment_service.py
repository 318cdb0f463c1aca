"""The unemployment services declared on the e-service engine: unemp.request (the allowance),
unemp.stop (stopping it), def.musaned1 and def.musaned2-savings (payouts from the unemployment
savings balance). The figures come from ``unemployment.py``, which the API calls too."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import plain, rule
from individuals.selectors import establishment_choices_for

from .maternity_service import MaternityAllowanceForm
from .unemployment import (
    MUSANED1,
    MUSANED2,
    SAVINGS_DRAWS,
    SAVINGS_RULES,
    UNEMP_REQUEST,
    UNEMP_STOP,
    counted_wages,
    savings_for_person,
    unemployment_for_person,
)

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
BLANK = [("", "---------")]


class EndReason(models.TextChoices):
    RESIGNATION = "resignation", gettext_lazy("Resignation")
    DISMISSAL = "dismissal", gettext_lazy("Dismissal")
    END_OF_CONTRACT = "end_of_contract", gettext_lazy("End of the contract")
    ESTABLISHMENT_CLOSED = "establishment_closed", gettext_lazy("The establishment closed")
    OTHER = "other", gettext_lazy("Other")


class StopReason(models.TextChoices):
    FOUND_JOB = "found_job", gettext_lazy("I found a job")
    OTHER = "other", gettext_lazy("Other")


class BankAccountForm(forms.Form):
    """The bank and IBAN of mat.allowance (the BANKS list, validate_jordanian_iban, spaces removed):
    the same field objects, so the services ask for an account the same way."""

    bank = MaternityAllowanceForm.base_fields["bank"]
    iban = MaternityAllowanceForm.base_fields["iban"]
    clean_iban = MaternityAllowanceForm.clean_iban


def not_in_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


class UnemploymentRequestForm(BankAccountForm):
    field_order = [
        "service_end_date",
        "end_reason",
        "end_reason_other",
        "last_employer",
        "not_working",
    ]
    service_end_date = forms.DateField(
        label=gettext_lazy("Date the service ended"), validators=[not_in_future], **DATE_WIDGET
    )
    end_reason = forms.ChoiceField(
        label=gettext_lazy("Reason the service ended"), choices=BLANK + EndReason.choices
    )
    end_reason_other = forms.CharField(
        label=gettext_lazy("The other reason"), max_length=300, required=False
    )
    last_employer = forms.ChoiceField(label=gettext_lazy("Last employer"), choices=BLANK)
    not_working = forms.BooleanField(
        label=gettext_lazy(
            "I declare that I am not working now, and that I will tell the Corporation as soon as "
            "I start work."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The establishments on the person's own record (compute() checks it again).
        self.fields["last_employer"].choices = BLANK + establishment_choices_for(user)

    def clean(self):
        data = super().clean()
        if (
            data.get("end_reason") == EndReason.OTHER
            and not data.get("end_reason_other", "").strip()
        ):
            self.add_error("end_reason_other", _("Write the reason the service ended."))
        return data


class UnemploymentStopForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why the allowance stops"), choices=BLANK + StopReason.choices
    )
    new_work_date = forms.DateField(
        label=gettext_lazy("Date the new work started"), required=False, **DATE_WIDGET
    )
    establishment_name = forms.CharField(
        label=gettext_lazy("Name of the new establishment"), max_length=200, required=False
    )
    details = forms.CharField(label=gettext_lazy("Details"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("reason") == StopReason.FOUND_JOB:
            for name in ("new_work_date", "establishment_name"):
                if not data.get(name):
                    self.add_error(name, _("Give the date and the establishment of the new work."))
        elif data.get("reason") == StopReason.OTHER and not data.get("details", "").strip():
            self.add_error("details", _("Write why the allowance stops."))
        return data


class SavingsPayoutForm(BankAccountForm):
    # after the bank and the IBAN
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the amount is drawn from my unemployment savings balance."
        )
    )


# --- Who may use them (the figures are the rules in force today) ------------------------------


def _value(key: str) -> str:
    return plain(rule(key, on=timezone.localdate()).value)


def _who_unemployment() -> str:
    return _(
        "An insured person out of work and under the old-age age (%(men)s for men, %(women)s for "
        "women), with at least %(min)s contributions, at least one of them to the unemployment "
        "branch. At most %(max)s times in a career, each after %(new)s new contributions."
    ) % {
        "men": _value("oldage.age_men"),
        "women": _value("oldage.age_women"),
        "min": _value("unemp.min_contributions"),
        "max": _value("unemp.max_claims"),
        "new": _value("unemp.new_contributions"),
    }


def _who_savings(share_key: str, months_key: str | None = None) -> str:
    today = timezone.localdate()
    share = rule(share_key, on=today)
    months = rule(months_key, on=today) if months_key else None
    text = _(
        "An insured person with an unemployment savings balance who is not covered by insurance "
        "now. It pays %(share)s%% of the balance."
    ) % {"share": plain(share.value * 100)}
    if months:
        text += " " + _("It is paid in %(months)s monthly payments.") % {
            "months": plain(months.value)
        }
    if share.is_default or (months and months.is_default):
        text += " " + _("These figures are provisional: not yet confirmed by the Corporation.")
    return text


# --- Eligibility, amounts, approval ----------------------------------------------------------


def individual_of(user):
    return getattr(user, "individual", None) if user.is_individual else None


def _start_reasons(user, codes: tuple[str, ...]):
    """(person, reasons) every one of these services checks first."""
    from eservices.models import ServiceRequest

    person = individual_of(user)
    if person is None:
        return None, [_("This service is for insured individuals.")]
    pending = ServiceRequest.objects.filter(
        applicant=user, service_code__in=codes, status__in=ServiceRequest.OPEN
    )
    if pending.exists():
        return person, [_("A request of yours for this is being decided: wait for the decision.")]
    return person, []


def claim_date(req) -> dt.date:
    return timezone.localdate(req.submitted_at)


def schedule_payments(req, figure) -> None:
    """Approval pays what the applicant was shown, checked against the record as it is now."""
    from payments.models import BenefitPayment

    if not figure.payable:
        reason = figure.reasons[0] if figure.reasons else _("It is no longer payable.")
        raise ServiceError(
            _(
                "The insurance record changed after the request was sent: %(reason)s "
                "Reject the request with this reason."
            )
            % {"reason": reason}
        )
    if figure.amount != req.amount:
        raise ServiceError(
            _(
                "The insurance record changed after the request was sent: the amount is now "
                "%(amount)s JD, not %(sent)s JD. Reject the request with this reason."
            )
            % {"amount": figure.amount, "sent": req.amount}
        )
    BenefitPayment.objects.bulk_create(
        BenefitPayment(
            request=req,
            beneficiary=req.applicant,
            service_code=req.service_code,
            amount=p.amount,
            iban=req.data["iban"],
            due_date=p.due_date,
            sequence=p.sequence,
        )
        for p in figure.payments
    )


# unemp.request


def unemployment_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _start_reasons(user, (UNEMP_REQUEST,))
    if person is None or reasons:
        return reasons
    return unemployment_for_person(person, today).reasons


def _answer_reasons(person, data: dict) -> list[str]:
    """What the answers say that the record contradicts."""
    reasons = []
    employer = data.get("last_employer")
    if employer and not (
        person.wages.filter(establishment__insurance_number=employer).exists()
        or person.periods.filter(establishment__insurance_number=employer).exists()
    ):
        reasons.append(
            _("The last employer you chose is not an establishment on your insurance record.")
        )
    ended = data.get("service_end_date")
    if ended:
        ended = dt.date.fromisoformat(str(ended))
        later = counted_wages(person, until=timezone.localdate()).filter(
            month__gt=month_start(ended)
        )
        if later.exists():
            reasons.append(
                _("Your record has contributions after the date the service ended (%(date)s).")
                % {"date": ended.isoformat()}
            )
    return reasons


def unemployment_compute(user, data: dict):
    person = individual_of(user)
    if person is None:
        return None
    figure = unemployment_for_person(person, timezone.localdate())
    extra = _answer_reasons(person, data)
    if extra:
        figure.payable, figure.amount, figure.payments = False, None, []
        figure.reasons += extra
    return figure


def unemployment_approve(req) -> None:
    """The monthly payments, due on the 1st of each month from the month after the claim."""
    figure = unemployment_for_person(
        req.applicant.individual, claim_date(req), exclude_request=req.pk
    )
    schedule_payments(req, figure)


# unemp.stop


def _scheduled_allowance(user):
    from eservices.models import ServiceRequest
    from payments.models import BenefitPayment

    return BenefitPayment.objects.filter(
        beneficiary=user,
        service_code=UNEMP_REQUEST,
        request__status=ServiceRequest.Status.APPROVED,
        status=BenefitPayment.Status.SCHEDULED,
    )


def _next_month(day: dt.date) -> dt.date:
    return month_after(month_start(day), 1)


def stop_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _start_reasons(user, (UNEMP_STOP,))
    if person is None or reasons:
        return reasons
    # only payments that an approval this month would stop
    if not _scheduled_allowance(user).filter(due_date__gte=_next_month(today)).exists():
        return [_("No unemployment allowance is being paid to you: there is nothing to stop.")]
    return []


def stop_approve(req) -> None:
    """The allowance's payments due from the 1st of the month after the approval stop."""
    from payments.models import BenefitPayment

    start = _next_month(timezone.localdate(req.decided_at))
    _scheduled_allowance(req.applicant).filter(due_date__gte=start).update(
        status=BenefitPayment.Status.STOPPED
    )


# def.musaned1, def.musaned2-savings


def savings_approve(req) -> None:
    figure = savings_for_person(
        req.applicant.individual, claim_date(req), code=req.service_code, exclude_request=req.pk
    )
    schedule_payments(req, figure)


UNEMPLOYMENT_DOCUMENTS = (
    DocumentSpec(
        "service_end_letter",
        gettext_lazy("Letter from the employer ending the service"),
        required=False,
    ),
)
UNEMPLOYMENT_REQUEST = register(
    RequestService(
        code=UNEMP_REQUEST,
        reference_prefix="UNEMP",
        decision_days=14,
        who=lazy(_who_unemployment, str)(),
        form_class=UnemploymentRequestForm,
        documents=UNEMPLOYMENT_DOCUMENTS,
        eligibility=unemployment_eligibility,
        compute=unemployment_compute,
        on_approve=unemployment_approve,
    )
)

UNEMPLOYMENT_STOP = register(
    RequestService(
        code=UNEMP_STOP,
        reference_prefix="USTOP",
        decision_days=7,
        who=gettext_lazy(
            "A person paid the unemployment allowance who has found work or no longer needs it."
        ),
        form_class=UnemploymentStopForm,
        eligibility=stop_eligibility,
        on_approve=stop_approve,
    )
)


def savings_service(code: str, reference_prefix: str) -> RequestService:
    """def.musaned1 and def.musaned2-savings differ only in their rules (SAVINGS_RULES)."""

    def eligibility(user, today: dt.date) -> list[str]:
        person, reasons = _start_reasons(user, SAVINGS_DRAWS)
        if person is None or reasons:
            return reasons
        return savings_for_person(person, today, code=code).reasons

    def compute(user, data: dict):
        person = individual_of(user)
        return savings_for_person(person, timezone.localdate(), code=code) if person else None

    return register(
        RequestService(
            code=code,
            reference_prefix=reference_prefix,
            decision_days=7,
            who=lazy(partial(_who_savings, *SAVINGS_RULES[code]), str)(),
            form_class=SavingsPayoutForm,
            eligibility=eligibility,
            compute=compute,
            on_approve=savings_approve,
        )
    )


MUSANED_1 = savings_service(MUSANED1, "MSND1")
MUSANED_2 = savings_service(MUSANED2, "MSND2")

"""mat.allowance declared on the e-service engine: a form, eligibility, amount, approval."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import rule
from eservices.validators import validate_jordanian_iban

from .maternity import maternity_for_person

BANKS = [
    ("", "---------"),
    ("arab_bank", gettext_lazy("Arab Bank")),
    ("housing_bank", gettext_lazy("Housing Bank")),
    ("jordan_islamic_bank", gettext_lazy("Jordan Islamic Bank")),
    ("bank_of_jordan", gettext_lazy("Bank of Jordan")),
    ("cairo_amman_bank", gettext_lazy("Cairo Amman Bank")),
    ("jordan_kuwait_bank", gettext_lazy("Jordan Kuwait Bank")),
    ("etihad_bank", gettext_lazy("Bank al Etihad")),
    ("capital_bank", gettext_lazy("Capital Bank")),
    ("jordan_commercial_bank", gettext_lazy("Jordan Commercial Bank")),
    ("safwa_islamic_bank", gettext_lazy("Safwa Islamic Bank")),
]


class MaternityAllowanceForm(forms.Form):
    birth_date = forms.DateField(
        label=gettext_lazy("Date of birth of the child"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    child_name = forms.CharField(label=gettext_lazy("Name of the newborn"), max_length=120)
    births = forms.TypedChoiceField(
        label=gettext_lazy("Number of newborns"),
        coerce=int,
        choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")],
        initial=1,
    )
    hospital = forms.CharField(label=gettext_lazy("Place of birth (hospital)"), max_length=120)
    leave_start = forms.DateField(
        label=gettext_lazy("Start of the maternity leave"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = forms.CharField(
        label=gettext_lazy("Account number (IBAN)"),
        max_length=34,
        validators=[validate_jordanian_iban],
        help_text=gettext_lazy("The allowance is paid into this account, in your name."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    def clean_iban(self):
        return re.sub(r"\s+", "", self.cleaned_data["iban"]).upper()

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(
                _("The allowance is asked for after the birth: the date cannot be in the future.")
            )
        if value < today - dt.timedelta(days=365):
            raise forms.ValidationError(_("The birth was more than a year ago."))
        return value

    def clean(self):
        data = super().clean()
        birth, start = data.get("birth_date"), data.get("leave_start")
        if birth and start and abs((start - birth).days) > 60:
            self.add_error(
                "leave_start",
                _("The leave starts within 60 days of the birth."),
            )
        return data


def _individual(user):
    return getattr(user, "individual", None) if user.is_individual else None


def eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    if person is None:
        return [_("This service is for insured individuals.")]
    if person.sex != "F":
        return [_("The maternity allowance is paid to an insured woman.")]
    needed = int(rule("maternity.min_contributions", on=today).value)
    span = int(rule("maternity.window_months", on=today).value)
    first = month_after(month_start(today), -span)
    has = person.wages.filter(month__gte=first).count()
    if has < needed:
        return [
            _(
                "%(needed)s contributions are needed in the %(span)s months before the birth; "
                "the record has %(counted)s."
            )
            % {"needed": needed, "span": span, "counted": has}
        ]
    return []


def compute(user, data: dict):
    person = _individual(user)
    birth = data.get("birth_date")
    if person is None or not birth:
        return None
    return maternity_for_person(person, dt.date.fromisoformat(str(birth)))


def on_approve(req) -> None:
    """Approval schedules the one payment of the allowance into the applicant's account."""
    from payments.models import BenefitPayment

    BenefitPayment.objects.create(
        request=req,
        beneficiary=req.applicant,
        service_code=req.service_code,
        amount=req.amount,
        iban=req.data["iban"],
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )


MATERNITY_ALLOWANCE = register(
    RequestService(
        code="mat.allowance",
        form_class=MaternityAllowanceForm,
        who=gettext_lazy(
            "An insured woman with at least 6 contributions in the 12 months before the birth. "
            "It is asked for after the birth."
        ),
        decision_days=14,
        reference_prefix="MAT",
        documents=(
            DocumentSpec("birth_certificate", gettext_lazy("Birth certificate of the child")),
            DocumentSpec(
                "leave_letter",
                gettext_lazy("Employer's letter on the maternity leave"),
                required=False,
            ),
        ),
        eligibility=eligibility,
        compute=compute,
        on_approve=on_approve,
    )
)

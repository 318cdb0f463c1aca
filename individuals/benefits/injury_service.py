"""inj.report-by-relative and inj.complaint declared on the e-service engine.

A relative reports the work injury of an insured person (who must be in the civil registry and
have an insurance record); the insured person files a complaint on their own work injury or
occupational disease. Both are made within ``injury.report_years_family`` years, and approval
records the injury (accepted) on the injured person's record with the daily allowance.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from accounts.fields import DigitsField
from accounts.registry import get_registry
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.notifications import notify
from eservices.rules import plain, rule
from establishments.models import Establishment
from individuals.models import Individual, InsurancePeriod, Kinship, WageRecord, WorkInjury
from individuals.selectors import establishment_choices_for

from .injury import InjuryFigure, daily_allowance_for, report_deadline
from .maternity_service import _individual

BLANK = [("", "---------")]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_AREA = forms.Textarea(attrs={"rows": 4})
MEDICAL_REPORT = DocumentSpec("medical_report", gettext_lazy("Medical report"))


# --- the record ----------------------------------------------------------------------------------


def is_insured(person: Individual) -> bool:
    return person.wages.exists() or person.periods.exists()


def insured_person(national_number: str) -> Individual | None:
    """The Individual with this national number, if they have an insurance record."""
    return (
        Individual.objects.filter(national_number=national_number)
        .filter(
            Exists(WageRecord.objects.filter(individual=OuterRef("pk")))
            | Exists(InsurancePeriod.objects.filter(individual=OuterRef("pk")))
        )
        .first()
    )


def establishments_of(person: Individual):
    return Establishment.objects.filter(
        Q(wage_records__individual=person) | Q(insurance_periods__individual=person)
    ).distinct()


def reported_in_time(value: dt.date) -> None:
    """Not in the future, and before the deadline of the rule in force today."""
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("The date cannot be in the future."))
    if today >= report_deadline(value, today=today):
        raise forms.ValidationError(
            _("An injury is reported within %(years)s years of it: this date is too long ago.")
            % _years()
        )


def _refused(reason: str) -> InjuryFigure:
    return InjuryFigure(payable=False, amount=None, reasons=[reason])


def _already_recorded(person: Individual, occurred_on: dt.date) -> bool:
    return (
        WorkInjury.objects.filter(individual=person, occurred_on=occurred_on)
        .exclude(status=WorkInjury.Status.REFUSED)
        .exists()
    )


ALREADY_RECORDED = gettext_lazy("A work injury on that date is already on the record.")
NOT_INSURED = gettext_lazy(
    "The injured person is not insured: there is no insurance record for this national number."
)


def _answered_date(value) -> dt.date | None:
    """The date of a saved answer; None while a draft keeps something that is not one yet."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def injury_figure(person: Individual, occurred: dt.date) -> InjuryFigure:
    if _already_recorded(person, occurred):
        return _refused(str(ALREADY_RECORDED))
    return daily_allowance_for(person, occurred)


def record_injury(req, person: Individual, *, kind: str, place: str = "") -> WorkInjury:
    """What approval does: the injury, accepted, on the person's record with the allowance."""
    occurred = dt.date.fromisoformat(req.data["occurred_on"])
    if _already_recorded(person, occurred):
        raise ServiceError(ALREADY_RECORDED)
    number = req.data.get("establishment") or ""
    return WorkInjury.objects.create(
        individual=person,
        establishment=Establishment.objects.filter(insurance_number=number).first()
        if number
        else None,
        kind=kind,
        occurred_on=occurred,
        place=place,
        description=req.data["description"],
        status=WorkInjury.Status.ACCEPTED,
        daily_allowance=req.amount,
        request=req,
    )


def _years() -> dict:
    """The reporting years of the rule in force today, for the sentences that name them."""
    return {"years": plain(rule("injury.report_years_family", on=timezone.localdate()).value)}


class InjuryForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What happened"), max_length=2000, widget=TEXT_AREA
    )


# --- reported by a relative ----------------------------------------------------------------------


class RelativeReportForm(InjuryForm):
    injured_national_number = DigitsField(
        label=gettext_lazy("National number of the injured person"), digits=10
    )
    kinship = forms.ChoiceField(
        label=gettext_lazy("Your kinship to the injured person"), choices=BLANK + Kinship.choices
    )
    occurred_on = forms.DateField(
        label=gettext_lazy("Date of the injury"), widget=DATE_WIDGET, validators=[reported_in_time]
    )
    occurred_at = forms.TimeField(
        label=gettext_lazy("Time of the injury"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label=gettext_lazy("Place of the injury"), max_length=200)
    establishment = DigitsField(
        label=gettext_lazy("Establishment insurance number"),
        max_digits=12,
        required=False,
        help_text=gettext_lazy(
            "The establishment where it happened, one of those on the injured person's "
            "insurance record. Leave it empty if it did not happen at one of them."
        ),
    )
    hospital = forms.CharField(
        label=gettext_lazy("Hospital that treated the injured person"), max_length=120
    )

    field_order = [
        "injured_national_number",
        "kinship",
        "occurred_on",
        "occurred_at",
        "place",
        "establishment",
        "description",
        "hospital",
    ]

    def clean_occurred_at(self):
        return self.cleaned_data["occurred_at"].strftime("%H:%M")  # kept as people write it

    def clean(self):
        data = super().clean()
        number = data.get("injured_national_number")
        if not number:
            return data
        if not get_registry().jordanian_exists(national_number=number):
            self.add_error(
                "injured_national_number", _("This national number is not in the civil registry.")
            )
            return data
        injured = insured_person(number)
        if injured is None:
            self.add_error("injured_national_number", str(NOT_INSURED))
            return data
        where = data.get("establishment")
        if where and not establishments_of(injured).filter(insurance_number=where).exists():
            self.add_error(
                "establishment",
                _("This establishment is not on the injured person's insurance record."),
            )
        return data


def relative_eligibility(user, today: dt.date) -> list[str]:
    if not user.is_individual:
        return [_("This service is for individuals.")]
    return []


def relative_compute(user, data: dict):
    number = data.get("injured_national_number")
    occurred = _answered_date(data.get("occurred_on"))
    if not number or occurred is None:
        return None
    injured = insured_person(number)
    if injured is None:
        return _refused(str(NOT_INSURED))
    if injured.user_id == user.pk:
        return _refused(
            _("You are the injured person: file a work injury or occupational disease complaint.")
        )
    return injury_figure(injured, occurred)


def relative_approve(req) -> None:
    injured = insured_person(req.data["injured_national_number"])
    if injured is None:
        raise ServiceError(NOT_INSURED)
    record_injury(req, injured, kind=WorkInjury.Kind.INJURY, place=req.data.get("place", ""))
    notify(
        user=injured.user,
        title=_("A work injury was recorded on your insurance record"),
        body=_("The work injury a relative reported (%(ref)s) was accepted on your record.")
        % {"ref": req.reference},
    )


def _relative_who() -> str:
    return (
        _(
            "A relative of an insured person who had a work injury, within %(years)s years of the "
            "injury. The injured person's national number is needed."
        )
        % _years()
    )


REPORT_BY_RELATIVE = register(
    RequestService(
        code="inj.report-by-relative",
        form_class=RelativeReportForm,
        eligibility=relative_eligibility,
        compute=relative_compute,
        on_approve=relative_approve,
        documents=(
            MEDICAL_REPORT,
            DocumentSpec("police_report", gettext_lazy("Police report"), required=False),
        ),
        who=lazy(_relative_who, str)(),
        decision_days=14,
        reference_prefix="INJR",
    )
)


# --- the insured person's complaint ------------------------------------------------------------


class ComplaintForm(InjuryForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Injury or disease"), choices=BLANK + WorkInjury.Kind.choices
    )
    occurred_on = forms.DateField(
        label=gettext_lazy("Date of the injury or of the diagnosis"),
        widget=DATE_WIDGET,
        validators=[reported_in_time],
    )
    establishment = forms.ChoiceField(
        label=gettext_lazy("Establishment"), choices=[("", "---------")]
    )
    complaint = forms.CharField(
        label=gettext_lazy("What you complain of"),
        max_length=2000,
        widget=TEXT_AREA,
        help_text=gettext_lazy("For example: the establishment did not report the injury."),
    )

    field_order = ["kind", "occurred_on", "establishment", "description", "complaint"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The establishments on the complainant's own insurance record.
        self.fields["establishment"].choices = [("", "---------"), *establishment_choices_for(user)]


def complaint_eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    if person is None:
        return [_("This service is for insured individuals.")]
    if not is_insured(person):
        return [_("There is no insurance record in your name.")]
    return []


def complaint_compute(user, data: dict):
    person, occurred = _individual(user), _answered_date(data.get("occurred_on"))
    if person is None or occurred is None:
        return None
    return injury_figure(person, occurred)


def complaint_approve(req) -> None:
    record_injury(req, req.applicant.individual, kind=req.data["kind"])


def _complaint_who() -> str:
    return (
        _(
            "An insured person with a work injury or an occupational disease that the establishment "
            "did not report or that was not dealt with, within %(years)s years of the injury or the "
            "diagnosis."
        )
        % _years()
    )


COMPLAINT = register(
    RequestService(
        code="inj.complaint",
        form_class=ComplaintForm,
        eligibility=complaint_eligibility,
        compute=complaint_compute,
        on_approve=complaint_approve,
        documents=(MEDICAL_REPORT,),
        who=lazy(_complaint_who, str)(),
        decision_days=30,
        reference_prefix="INJC",
    )
)

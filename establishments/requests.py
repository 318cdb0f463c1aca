"""Request services of establishments declared on the e-service engine.

est.edit-info, est.injury-notice, est.complaint, est.lift-seizure and est.official-letter: each is
a form, who may use it, its documents, its decision time, its eligibility and what approval does.
The engine gives the pages, the staff decision, the notifications and the receipt."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import plain, rule
from individuals.models import Individual, WorkInjury

from .models import Establishment
from .selectors import establishment_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WHO = gettext_lazy("The liaison officer of an active establishment.")


def _establishment(user) -> Establishment | None:
    return establishment_of(user) if user is not None else None


def officer_eligibility(user, today: dt.date) -> list[str]:
    """Every establishment request: a liaison officer of an active establishment."""
    est = _establishment(user)
    if est is None:
        return [_("This service is for the liaison officers of establishments.")]
    if est.status != Establishment.Status.ACTIVE:
        return [
            _("The establishment is not active (%(status)s): it cannot use this service.")
            % {"status": est.get_status_display()}
        ]
    return []


def _applicant_establishment(req) -> Establishment:
    return Establishment.objects.select_for_update(of=("self",)).get(
        liaison_officer__user=req.applicant
    )


# --- est.edit-info -----------------------------------------------------------------------------

EDITABLE = ("phone", "district", "street", "building_number", "main_activity", "signatory_name")


class EditInfoForm(forms.Form):
    phone = PhoneNumberField(
        label=gettext_lazy("Phone number"),
        region="JO",
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )
    district = forms.CharField(label=gettext_lazy("District"), max_length=100)
    street = forms.CharField(label=gettext_lazy("Street"), max_length=150)
    building_number = forms.CharField(label=gettext_lazy("Building number"), max_length=20)
    main_activity = forms.CharField(label=gettext_lazy("Main activity"), max_length=200)
    signatory_name = forms.CharField(label=gettext_lazy("Authorised signatory"), max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = _establishment(user)
        if self.establishment is not None and not kwargs.get("data") and not args:
            current = {name: str(getattr(self.establishment, name) or "") for name in EDITABLE}
            kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        est = self.establishment
        unchanged = est is not None and all(
            str(data.get(n) or "") == str(getattr(est, n) or "") for n in EDITABLE
        )
        if unchanged and not self.errors:
            raise forms.ValidationError(
                _("Nothing was changed: change at least one piece of information.")
            )
        return data


def edit_info_approve(req) -> None:
    """The establishment takes the new information; its history keeps the before and after."""
    est = _applicant_establishment(req)
    for name in EDITABLE:
        if name in req.data:
            setattr(est, name, req.data[name])
    est._change_reason = req.reference
    est.save()


EDIT_INFO = register(
    RequestService(
        code="est.edit-info",
        form_class=EditInfoForm,
        who=WHO,
        decision_days=5,
        reference_prefix="EEDIT",
        audience="establishment",
        eligibility=officer_eligibility,
        on_approve=edit_info_approve,
    )
)


# --- est.injury-notice --------------------------------------------------------------------------


def notice_timing(occurred_on: dt.date, today: dt.date) -> tuple[bool, str]:
    """Whether the notice is late (after injury.report_days_establishment days), and the words
    that say so; the rule row is provisional, and the words say that too."""
    r = rule("injury.report_days_establishment", on=occurred_on)
    days = int(r.value)
    elapsed = (today - occurred_on).days
    provisional = _(" (provisional figure)") if r.is_default else ""
    if elapsed > days:
        text = _(
            "Late: notified %(elapsed)s days after the injury; the deadline is %(days)s days"
            "%(provisional)s. The notice is still received."
        )
    else:
        text = _(
            "Within the deadline: notified %(elapsed)s days after the injury; the deadline is "
            "%(days)s days%(provisional)s."
        )
    return elapsed > days, text % {
        "elapsed": elapsed,
        "days": plain(r.value),
        "provisional": provisional,
    }


class InjuryNoticeForm(forms.Form):
    national_number = forms.CharField(
        label=gettext_lazy("Employee's national or personal number"),
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=WorkInjury.Kind.choices)
    occurred_on = forms.DateField(
        label=gettext_lazy("Date of the injury or diagnosis"), widget=DATE
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    # Worked out from the date, never typed: the answers (and the receipt) say if it is late.
    timing = forms.CharField(
        label=gettext_lazy("Notice deadline"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = _establishment(user)
        super().__init__(*args, **kwargs)

    def clean_national_number(self):
        number = self.cleaned_data["national_number"].strip()
        est = self.establishment
        found = (
            est is not None
            and Individual.objects.filter(Q(national_number=number) | Q(personal_number=number))
            .filter(periods__establishment=est)
            .exists()
        )
        if not found:
            raise forms.ValidationError(_("This person is not an employee of the establishment."))
        return number

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("occurred_on"):
            data["timing"] = notice_timing(data["occurred_on"], timezone.localdate())[1]
        return data


def injury_notice_approve(req) -> None:
    """Approval records the work injury, accepted, on the employee's record."""
    est = Establishment.objects.get(liaison_officer__user=req.applicant)
    number = req.data["national_number"]
    person = (
        Individual.objects.filter(Q(national_number=number) | Q(personal_number=number))
        .filter(periods__establishment=est)
        .distinct()
        .get()
    )
    WorkInjury.objects.create(
        individual=person,
        establishment=est,
        kind=req.data["kind"],
        occurred_on=dt.date.fromisoformat(req.data["occurred_on"]),
        place=req.data.get("place", ""),
        description=req.data["description"],
        status=WorkInjury.Status.ACCEPTED,
        request=req,
    )


def _injury_notice_who() -> str:
    r = rule("injury.report_days_establishment", on=timezone.localdate())
    return _(
        "The liaison officer of an active establishment, for one of its employees, within "
        "%(days)s days of the injury%(provisional)s; a late notice is still received."
    ) % {"days": plain(r.value), "provisional": _(" (provisional figure)") if r.is_default else ""}


INJURY_NOTICE = register(
    RequestService(
        code="est.injury-notice",
        form_class=InjuryNoticeForm,
        who=lazy(_injury_notice_who, str)(),
        decision_days=14,
        reference_prefix="EINJ",
        audience="establishment",
        documents=(DocumentSpec("medical_report", gettext_lazy("Medical report")),),
        eligibility=officer_eligibility,
        on_approve=injury_notice_approve,
    )
)


# --- est.complaint -------------------------------------------------------------------------------


class ComplaintForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Complaint or remarks"), widget=forms.Textarea(attrs={"rows": 6})
    )


COMPLAINT = register(
    RequestService(
        code="est.complaint",
        form_class=ComplaintForm,
        who=gettext_lazy(
            "The liaison officer of an active establishment. The answer is sent with the decision."
        ),
        decision_days=7,
        reference_prefix="ECMP",
        audience="establishment",
        documents=(DocumentSpec("attachment", gettext_lazy("Attachment"), required=False),),
        eligibility=officer_eligibility,
        # Approval means "answered": the decision note carries the answer; nothing else changes.
        on_approve=None,
    )
)


# --- est.lift-seizure ------------------------------------------------------------------------------


def lift_seizure_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if not _establishment(user).seized:
        return [_("The establishment is not under seizure: there is nothing to lift.")]
    return []


class LiftSeizureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the request"), widget=forms.Textarea(attrs={"rows": 4})
    )


def lift_seizure_approve(req) -> None:
    est = _applicant_establishment(req)
    est.seized = False
    est._change_reason = req.reference
    est.save(update_fields=["seized"])


LIFT_SEIZURE = register(
    RequestService(
        code="est.lift-seizure",
        form_class=LiftSeizureForm,
        who=gettext_lazy("The liaison officer of an active establishment that is under seizure."),
        decision_days=7,
        reference_prefix="ESEIZ",
        audience="establishment",
        documents=(
            DocumentSpec(
                "payment_proof", gettext_lazy("Proof of payment or of a settlement of the debt")
            ),
        ),
        eligibility=lift_seizure_eligibility,
        on_approve=lift_seizure_approve,
    )
)


# --- est.official-letter ---------------------------------------------------------------------------


class OfficialLetterForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Letter text"), widget=forms.Textarea(attrs={"rows": 6})
    )


OFFICIAL_LETTER = register(
    RequestService(
        code="est.official-letter",
        form_class=OfficialLetterForm,
        who=WHO,
        decision_days=10,
        reference_prefix="ELTR",
        audience="establishment",
        documents=(DocumentSpec("letter", gettext_lazy("The letter")),),
        eligibility=officer_eligibility,
    )
)

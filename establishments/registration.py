"""Registering an establishment (acc.register-establishment, «شمول منشأة»).

A three-step wizard saved at every step and resumed with the application's token:

1. the establishment and its proof document, 2. the owners or partners, 3. the liaison officer.

Then check your answers and send. Staff approve (which issues the establishment insurance number and
creates the establishment, its owners, its liaison officer and the officer's account) or reject
with reasons. Every function below is one transaction that locks the application row first.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from phonenumber_field.phonenumber import PhoneNumber

from accounts.exceptions import ServiceError
from accounts.fields import DigitsField, PhoneField
from accounts.models import Channel, IdType, OneTimeCode, User
from accounts.registry import get_registry
from accounts.services import otp_issue
from eservices.services import TransitionError, check_document_upload, to_json

from .models import Establishment, EstablishmentApplication, EstablishmentOwner, LiaisonOfficer

A = EstablishmentApplication.Status
FIRST_INSURANCE_NUMBER = 100000
BLANK = [("", "---------")]

COVERAGE_TYPES = [
    ("mandatory", gettext_lazy("Mandatory coverage")),
    ("voluntary", gettext_lazy("Voluntary coverage")),
]
AFFILIATIONS = [
    ("private_sector", gettext_lazy("Private sector")),
    ("public_sector", gettext_lazy("Public sector")),
    ("independent_body", gettext_lazy("Independent public body")),
    ("non_profit", gettext_lazy("Charity or non-profit organisation")),
    ("international", gettext_lazy("International or foreign organisation")),
]
ACTIVITIES = [
    ("trade", gettext_lazy("Trade")),
    ("industry", gettext_lazy("Industry")),
    ("services", gettext_lazy("Services")),
    ("construction", gettext_lazy("Construction")),
    ("agriculture", gettext_lazy("Agriculture")),
    ("tourism", gettext_lazy("Tourism and hospitality")),
    ("transport", gettext_lazy("Transport")),
    ("education", gettext_lazy("Education")),
    ("health", gettext_lazy("Health")),
    ("finance", gettext_lazy("Finance and insurance")),
    ("technology", gettext_lazy("Information technology")),
    ("other", gettext_lazy("Other")),
]
# The value is the Arabic name, as the establishments table already keeps it.
GOVERNORATES = [
    ("العاصمة", gettext_lazy("Amman (the capital)")),
    ("إربد", gettext_lazy("Irbid")),
    ("الزرقاء", gettext_lazy("Zarqa")),
    ("البلقاء", gettext_lazy("Balqa")),
    ("المفرق", gettext_lazy("Mafraq")),
    ("الكرك", gettext_lazy("Karak")),
    ("مادبا", gettext_lazy("Madaba")),
    ("جرش", gettext_lazy("Jerash")),
    ("عجلون", gettext_lazy("Ajloun")),
    ("الطفيلة", gettext_lazy("Tafilah")),
    ("معان", gettext_lazy("Ma'an")),
    ("العقبة", gettext_lazy("Aqaba")),
]
DOCUMENT_TYPES = [
    ("commercial_register", gettext_lazy("Commercial register")),
    ("company_certificate", gettext_lazy("Company registration certificate")),
    ("vocational_licence", gettext_lazy("Vocational licence")),
    ("official_letter", gettext_lazy("Official letter from the competent authority")),
    ("other", gettext_lazy("Other official document")),
]

STEP_KEYS = ("establishment", "owners", "officer")


# --- forms -----------------------------------------------------------------------------------


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EstablishmentForm(forms.Form):
    """Step 1: the establishment, as the source lists its fields."""

    coverage_type = forms.ChoiceField(
        label=gettext_lazy("Coverage type"), choices=BLANK + COVERAGE_TYPES
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Establishment type"), choices=BLANK + Establishment.Kind.choices
    )
    affiliation = forms.ChoiceField(
        label=gettext_lazy("Establishment affiliation"), choices=BLANK + AFFILIATIONS
    )
    name = forms.CharField(label=gettext_lazy("Establishment name"), max_length=200)
    owner_name = forms.CharField(label=gettext_lazy("Owner's name"), max_length=200)
    registration_date = forms.DateField(
        label=gettext_lazy("Registration date"), widget=_date_widget()
    )
    coverage_date = forms.DateField(
        label=gettext_lazy("Establishment coverage date"), widget=_date_widget()
    )
    phone = PhoneField(label=gettext_lazy("Phone number"), region="JO")
    signatory_name = forms.CharField(
        label=gettext_lazy("Name of the authorised signatory"), max_length=200
    )
    main_activity = forms.ChoiceField(
        label=gettext_lazy("Main activity of the establishment"), choices=BLANK + ACTIVITIES
    )
    governorate = forms.ChoiceField(label=gettext_lazy("Governorate"), choices=BLANK + GOVERNORATES)
    district = forms.CharField(label=gettext_lazy("Address: district"), max_length=100)
    street = forms.CharField(label=gettext_lazy("Address: street"), max_length=150)
    building_number = forms.CharField(label=gettext_lazy("Address: building number"), max_length=20)
    document_type = forms.ChoiceField(
        label=gettext_lazy("Type of the attached document"), choices=BLANK + DOCUMENT_TYPES
    )
    proof = forms.FileField(
        label=gettext_lazy("Official proof document of the establishment"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_document:
            self.fields["proof"].required = False
            self.fields["proof"].help_text = gettext_lazy(
                "A document is already attached. Choose a file only to replace it."
            )

    def clean(self):
        data = super().clean()
        reg, cov = data.get("registration_date"), data.get("coverage_date")
        if reg and reg > timezone.localdate():
            self.add_error("registration_date", _("The registration date cannot be in the future."))
        if reg and cov and cov < reg:
            self.add_error(
                "coverage_date", _("The coverage date cannot be before the registration date.")
            )
        return data


class OwnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    national_number = DigitsField(label=gettext_lazy("National or personal number"), digits=10)
    nationality = LazyTypedChoiceField(
        label=gettext_lazy("Nationality"), choices=BLANK + list(countries), initial="JO"
    )
    share = forms.DecimalField(
        label=gettext_lazy("Share (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("Optional. When shares are given, they must total 100."),
    )


class BaseOwnerFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        if not rows:
            raise forms.ValidationError(_("Name at least one owner or partner."))
        numbers = [r["national_number"] for r in rows]
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("The same owner is listed more than once."))
        shares = [r["share"] for r in rows if r.get("share") is not None]
        if shares and (len(shares) != len(rows) or sum(shares) != Decimal("100")):
            raise forms.ValidationError(
                _("Give every owner's share, and the shares must total 100%.")
            )


OwnerFormSet = forms.formset_factory(
    OwnerForm, formset=BaseOwnerFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


class OfficerForm(forms.Form):
    """Step 3: the liaison officer, who will sign in with the establishment's number."""

    officer_name = forms.CharField(label=gettext_lazy("Liaison officer's name"), max_length=200)
    officer_national_number = DigitsField(label=gettext_lazy("National number"), digits=10)
    officer_phone = PhoneField(label=gettext_lazy("Country code and mobile phone"), region="JO")
    officer_email = forms.EmailField(label=gettext_lazy("Email"))
    officer_email_confirm = forms.EmailField(label=gettext_lazy("Confirm the email"))
    accept = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that the information given is correct and I accept the terms of use of "
            "the e-services."
        )
    )

    def clean_officer_national_number(self):
        number = self.cleaned_data["officer_national_number"]
        if not get_registry().jordanian_exists(national_number=number):
            raise forms.ValidationError(_("This national number is not in the civil registry."))
        return number

    def clean(self):
        data = super().clean()
        one, two = data.get("officer_email"), data.get("officer_email_confirm")
        if one and two and one.lower() != two.lower():
            self.add_error("officer_email_confirm", _("The two email addresses do not match."))
        return data


def form_initial(values: dict[str, Any]) -> dict[str, Any]:
    """Saved answers back into form initial values (phone numbers as PhoneNumber objects)."""
    initial = dict(values)
    for key in ("phone", "officer_phone"):
        if initial.get(key):
            initial[key] = PhoneNumber.from_string(initial[key])
    return initial


def _answers(cleaned: dict[str, Any], *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for key, value in cleaned.items():
        if key in skip:
            continue
        if isinstance(value, PhoneNumber):
            value = value.as_e164
        out[key] = to_json(value)
    return out


# --- showing the answers ------------------------------------------------------------------------


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


def answers_sections(application: EstablishmentApplication) -> list[dict[str, Any]]:
    """The answers by step, for check your answers and the admin: (label, shown value) rows."""
    data = application.data or {}
    est = data.get("establishment", {})
    form = EstablishmentForm()
    rows = [(str(f.label), _shown(f, est.get(n))) for n, f in form.fields.items() if n != "proof"]
    rows.append(
        (
            _("Attached document"),
            _("Attached") if application.proof_document else _("Not attached"),
        )
    )
    owner_form = OwnerForm()
    owners = [
        [(str(f.label), _shown(f, o.get(n))) for n, f in owner_form.fields.items()]
        for o in data.get("owners", [])
    ]
    officer = data.get("officer", {})
    officer_form = OfficerForm()
    officer_rows = [
        (str(f.label), _shown(f, officer.get(n)))
        for n, f in officer_form.fields.items()
        if n not in ("officer_email_confirm", "accept")
    ]
    return [
        {"key": "establishment", "title": _("The establishment's data"), "rows": rows},
        {"key": "owners", "title": _("Owners or partners"), "owners": owners},
        {"key": "officer", "title": _("Liaison officer"), "rows": officer_rows},
    ]


# --- applicant ------------------------------------------------------------------------------


def _locked(application: EstablishmentApplication) -> EstablishmentApplication:
    return EstablishmentApplication.objects.select_for_update().get(pk=application.pk)


def _locked_draft(application: EstablishmentApplication) -> EstablishmentApplication:
    app = _locked(application)
    if app.status != A.DRAFT:
        raise TransitionError(_("This application has been sent and can no longer be changed."))
    return app


def check_proof(upload: UploadedFile) -> str:
    """The content type of an official proof document (the engine's check for uploads)."""
    return check_document_upload(upload, field="proof")


def application_start() -> EstablishmentApplication:
    """A new draft with a secret token: whoever holds the token can resume it."""
    with transaction.atomic():
        return EstablishmentApplication.objects.create(token=secrets.token_urlsafe(24))


def application_save_establishment(
    *,
    application: EstablishmentApplication,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
) -> EstablishmentApplication:
    """Step 1. ``data`` is the form's cleaned data; ``upload`` replaces the proof document."""
    ctype = check_proof(upload) if upload is not None else ""
    with transaction.atomic():
        app = _locked_draft(application)
        if upload is None and not app.proof_document:
            raise ServiceError(_("Attach the official proof document."), field="proof")
        if upload is not None:
            old = app.proof_document.name if app.proof_document else ""
            app.proof_document.save("upload", upload, save=False)
            app.proof_content_type = ctype
            if old:
                name = old
                transaction.on_commit(lambda: app.proof_document.storage.delete(name))
        app.data = {**app.data, "establishment": _answers(data, skip=("proof",))}
        app.step = max(app.step, 1)
        app.save()
    return app


def application_save_owners(
    *, application: EstablishmentApplication, owners: list[dict[str, Any]]
) -> EstablishmentApplication:
    """Step 2: the owners or partners (cleaned rows of the formset, deleted ones left out)."""
    with transaction.atomic():
        app = _locked_draft(application)
        if app.step < 1:
            raise ServiceError(_("Fill in the establishment data first."))
        app.data = {**app.data, "owners": [_answers(o, skip=("DELETE",)) for o in owners]}
        app.step = max(app.step, 2)
        app.save()
    return app


def application_save_officer(
    *, application: EstablishmentApplication, data: dict[str, Any], resume_url: str = ""
) -> EstablishmentApplication:
    """Step 3: the liaison officer. The first time an email is given, the resume link is sent
    to it (after the transaction commits)."""
    with transaction.atomic():
        app = _locked_draft(application)
        if app.step < 2:
            raise ServiceError(_("Fill in the owners or partners first."))
        before = (app.data.get("officer") or {}).get("officer_email", "")
        answers = _answers(data, skip=("officer_email_confirm",))
        app.data = {**app.data, "officer": answers}
        app.step = max(app.step, 3)
        app.save()
        email = answers.get("officer_email", "")
        if resume_url and email and email.lower() != before.lower():
            subject = _("Your establishment registration: the link to resume it")
            body = _(
                "You can come back to the establishment registration and finish it at this "
                "link. Keep it private: whoever has it can change the application.\n%(url)s"
            ) % {"url": resume_url}
            transaction.on_commit(
                lambda: send_mail(subject, body, None, [email], fail_silently=True), robust=True
            )
    return app


def _validate_all(app: EstablishmentApplication) -> None:
    data = app.data or {}
    form = EstablishmentForm(
        data=_as_form_data(data.get("establishment", {})), has_document=bool(app.proof_document)
    )
    officer = OfficerForm(data=_as_form_data({**data.get("officer", {}), "accept": True}))
    owners = data.get("owners") or []
    owner_forms = [OwnerForm(data=_as_form_data(o)) for o in owners]
    if (
        not app.proof_document
        or not form.is_valid()
        or not owners
        or not all(f.is_valid() for f in owner_forms)
        or not officer.is_valid()
    ):
        raise ServiceError(_("Some answers are missing or not valid: correct them first."))
    shares = [Decimal(o["share"]) for o in owners if o.get("share") not in (None, "")]
    if shares and (len(shares) != len(owners) or sum(shares) != Decimal("100")):
        raise ServiceError(_("Give every owner's share, and the shares must total 100%."))


def _as_form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Saved answers as POST data, to validate them again before sending."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("phone", "officer_phone") and value:
            number = PhoneNumber.from_string(value)
            from phonenumbers import region_code_for_number

            out[f"{key}_0"] = region_code_for_number(number)
            out[f"{key}_1"] = str(number.national_number)
        elif value is None:
            out[key] = ""
        else:
            out[key] = value
    if "officer_email" in values:
        out["officer_email_confirm"] = values["officer_email"]
    return out


def application_submit(*, application: EstablishmentApplication) -> EstablishmentApplication:
    """Send the application. Sending one that was already sent returns it unchanged."""
    with transaction.atomic():
        app = _locked(application)
        if app.status != A.DRAFT:
            return app  # the same submission again (double click, refresh)
        if app.step < 3:
            raise ServiceError(_("Complete the three steps first."))
        _validate_all(app)
        now = timezone.now()
        app.status = A.SUBMITTED
        app.submitted_at = now
        app.reference = f"EST-{now:%Y}-{app.pk:06d}"
        app.save()
    return app


# --- staff -------------------------------------------------------------------------------


def next_insurance_number() -> str:
    """The next free establishment insurance number above the current largest (≥ 100000).

    Call inside a transaction: it takes a transaction-level lock so that two approvals cannot
    pick the same number."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_100_001])
    top = (
        Establishment.objects.filter(insurance_number__regex=r"^[0-9]{1,12}$")
        .annotate(n=Cast("insurance_number", output_field=_big_int()))
        .aggregate(m=Max("n"))["m"]
    )
    return str(max((top or 0) + 1, FIRST_INSURANCE_NUMBER))


def _big_int():
    from django.db.models import BigIntegerField

    return BigIntegerField()


def _decided(app: EstablishmentApplication, staff: User) -> EstablishmentApplication:
    app = _locked(app)
    if app.status != A.SUBMITTED:
        raise TransitionError(_("This application has already been decided or was not sent."))
    app.decided_at = timezone.now()
    app.decided_by = staff
    return app


def application_approve(
    *, application: EstablishmentApplication, staff: User
) -> EstablishmentApplication:
    """Create the establishment with a new insurance number, its owners, its liaison officer and
    the officer's account (not activated, no password), and send the officer a code to set the
    password through «استعادة كلمة السر»."""
    from eservices.notifications import notify

    with transaction.atomic():
        app = _decided(application, staff)
        est_data = app.data["establishment"]
        officer_data = app.data["officer"]
        number = next_insurance_number()
        est = Establishment.objects.create(
            insurance_number=number,
            kind=est_data["kind"],
            name=est_data["name"],
            owner_name=est_data.get("owner_name", ""),
            registration_date=dt.date.fromisoformat(est_data["registration_date"]),
            coverage_date=dt.date.fromisoformat(est_data["coverage_date"]),
            phone=est_data.get("phone", ""),
            governorate=est_data.get("governorate", ""),
            address="، ".join(
                p
                for p in (
                    est_data.get("district"),
                    est_data.get("street"),
                    est_data.get("building_number"),
                )
                if p
            ),
            main_activity=est_data.get("main_activity", ""),
            coverage_type=est_data.get("coverage_type", ""),
            affiliation=est_data.get("affiliation", ""),
            signatory_name=est_data.get("signatory_name", ""),
            district=est_data.get("district", ""),
            street=est_data.get("street", ""),
            building_number=est_data.get("building_number", ""),
        )
        EstablishmentOwner.objects.bulk_create(
            EstablishmentOwner(
                establishment=est,
                name=o["name"],
                national_number=o["national_number"],
                nationality=o.get("nationality") or "JO",
                share=Decimal(o["share"]) if o.get("share") not in (None, "") else None,
            )
            for o in app.data.get("owners", [])
        )
        email = officer_data["officer_email"]
        email_taken = User.objects.filter(email__iexact=email).exists()
        user = User.objects.create_user(
            IdType.ESTABLISHMENT,
            number,
            None,
            full_name=officer_data["officer_name"],
            email="" if email_taken else email,
            phone=officer_data["officer_phone"],
            activation_channel=Channel.SMS,
        )
        LiaisonOfficer.objects.create(
            establishment=est,
            user=user,
            name=officer_data["officer_name"],
            national_number=officer_data["officer_national_number"],
            phone=officer_data["officer_phone"],
            email=email,
        )
        app.status = A.APPROVED
        app.establishment = est
        app.decision_reason = ""
        app.save()
        otp_issue(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, channel=Channel.SMS)
        body = _(
            "Establishment %(ref)s approved. Insurance number %(n)s. Set your password: "
            "'Forgot password', with this number."
        ) % {"ref": app.reference, "n": number}
        detail = _(
            "To set the password, open «استعادة كلمة السر» on the sign-in page, choose "
            "«establishment insurance number», enter %(n)s and the code sent to your mobile."
        ) % {"n": number}
        notify(
            user=user,
            title=_("Establishment registration %(ref)s approved") % {"ref": app.reference},
            body=body,
            detail=detail,
        )
        if user.email:
            transaction.on_commit(
                lambda: send_mail(
                    _("Establishment registration %(ref)s approved") % {"ref": app.reference},
                    f"{body}\n{detail}",
                    None,
                    [email],
                    fail_silently=True,
                ),
                robust=True,
            )
    return app


def application_reject(
    *, application: EstablishmentApplication, staff: User, reasons: str
) -> EstablishmentApplication:
    """Refuse the application, with reasons, and tell the liaison officer by SMS and email."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ServiceError(_("Give the reasons for the rejection."), field="reasons")
    with transaction.atomic():
        app = _decided(application, staff)
        app.status = A.REJECTED
        app.decision_reason = reasons
        app.save()
        officer = app.data.get("officer") or {}
        body = _("Establishment registration %(ref)s was not approved. Reasons: %(r)s") % {
            "ref": app.reference,
            "r": reasons,
        }
        phone, email = officer.get("officer_phone"), officer.get("officer_email")

        def tell() -> None:
            from accounts import sms

            if phone:
                sms.send_sms(phone, body)
            if email:
                send_mail(
                    _("Establishment registration %(ref)s") % {"ref": app.reference},
                    body,
                    None,
                    [email],
                    fail_silently=True,
                )

        transaction.on_commit(tell, robust=True)
    return app

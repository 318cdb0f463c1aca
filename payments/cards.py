"""card.issue: a prepaid debit card for an insured person or a pensioner.

Who: an individual's account linked to a record (``individuals.models.Individual``) with an
insurance record (coverage periods or contribution months) or a pension, and no active card.
The form asks what a card issuer asks: the name embossed on the card (in English, as in the
passport, at most 26 letters), how the card is delivered (collected from a Corporation branch, or
by courier to an address), the mobile number typed twice (the card's PIN and top-up messages go to
it), and acceptance of the card's terms.

Approval issues the card: a card billing number for the bill-payment network ("40" and 8 digits:
what the cardholder enters in eFAWATEERcom to top the card up, card.instant-pay) and a card number
(PAN) made in memory, Luhn-valid, of which only the last four digits are kept. The applicant is
told the last four digits and the billing number; "my card" shows the card's balance, status and
last top-ups.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django import forms
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from accounts.exceptions import ServiceError
from eservices.models import ServiceRequest
from eservices.notifications import notify

from .models import DebitCard

CODE = "card.issue"
BILLING_PREFIX = "40"
# The issuing bank's identification number (the card's first six digits); the PAN exists only in
# memory when the card is issued, and only its last four digits are stored.
CARD_BIN = "489317"

# The Corporation's branches where a card may be collected (the portal's list; staff may extend it).
BRANCHES = [
    ("amman_head", gettext_lazy("Amman — head office (Abdali)")),
    ("amman_north", gettext_lazy("North Amman branch")),
    ("amman_south", gettext_lazy("South Amman branch")),
    ("amman_east", gettext_lazy("East Amman branch")),
    ("amman_west", gettext_lazy("West Amman branch")),
    ("irbid", gettext_lazy("Irbid branch")),
    ("zarqa", gettext_lazy("Zarqa branch")),
    ("salt", gettext_lazy("Salt branch")),
    ("mafraq", gettext_lazy("Mafraq branch")),
    ("karak", gettext_lazy("Karak branch")),
    ("madaba", gettext_lazy("Madaba branch")),
    ("jerash", gettext_lazy("Jerash branch")),
    ("ajloun", gettext_lazy("Ajloun branch")),
    ("tafilah", gettext_lazy("Tafilah branch")),
    ("maan", gettext_lazy("Ma'an branch")),
    ("aqaba", gettext_lazy("Aqaba branch")),
]
BRANCH, COURIER = "branch", "courier"


# --- card numbers --------------------------------------------------------------------------------


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial`` + digit pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these sit at odd positions once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or len(number) < 2:
        return False
    return luhn_check_digit(number[:-1]) == number[-1]


def new_pan() -> str:
    """A 16-digit card number on the issuer's BIN, Luhn-valid. Never stored."""
    body = CARD_BIN + "".join(secrets.choice("0123456789") for _ in range(9))
    return body + luhn_check_digit(body)


def new_billing_number() -> str:
    return BILLING_PREFIX + "".join(secrets.choice("0123456789") for _ in range(8))


# --- who may ask ---------------------------------------------------------------------------------


def _individual(user):
    return getattr(user, "individual", None) if getattr(user, "is_individual", False) else None


def has_record(person) -> bool:
    """An insurance record (coverage periods or contribution months) or a pension."""
    if person.periods.exists() or person.wages.exists():
        return True
    try:
        pension = apps.get_model("pensions", "Pension")
    except LookupError:  # the retirement part is not built yet
        return False
    return pension.objects.filter(individual=person).exists()


def active_card(person) -> DebitCard | None:
    return DebitCard.objects.filter(individual=person, status=DebitCard.Status.ACTIVE).first()


def eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    if person is None:
        return [_("The debit card is issued to insured persons and pensioners.")]
    if not has_record(person):
        return [
            _(
                "There is no insurance record or pension in your name: the card is issued to "
                "insured persons and pensioners."
            )
        ]
    card = active_card(person)
    if card is not None:
        return [
            _("You already have an active debit card ending in %(last4)s.") % {"last4": card.last4}
        ]
    pending = ServiceRequest.objects.filter(
        applicant=user, service_code=CODE, status__in=ServiceRequest.OPEN
    ).first()
    if pending is not None:
        return [_("Your card request %(ref)s is being decided.") % {"ref": pending.reference}]
    return []


# --- the form ------------------------------------------------------------------------------------

NAME_ON_CARD = re.compile(r"^[A-Z][A-Z .'-]*$")


class CardIssueForm(forms.Form):
    name_on_card = forms.CharField(
        label=gettext_lazy("Name on the card (in English letters, as in the passport)"),
        max_length=26,
        help_text=gettext_lazy("At most 26 letters, for example: AHMAD M ALALI."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("How do you want to receive the card?"),
        choices=[
            (BRANCH, gettext_lazy("Collect it from a Corporation branch")),
            (COURIER, gettext_lazy("Delivery by courier to my address")),
        ],
        widget=forms.RadioSelect,
    )
    branch = forms.ChoiceField(
        label=gettext_lazy("Branch"),
        choices=[("", "—"), *BRANCHES],
        required=False,
    )
    governorate = forms.ChoiceField(label=gettext_lazy("Governorate"), required=False)
    city = forms.CharField(label=gettext_lazy("City or area"), max_length=100, required=False)
    street = forms.CharField(label=gettext_lazy("Street"), max_length=150, required=False)
    building_number = forms.CharField(
        label=gettext_lazy("Building number"), max_length=20, required=False
    )
    mobile = PhoneNumberField(
        label=gettext_lazy("Mobile number"),
        region="JO",
        help_text=gettext_lazy("The card's PIN and the top-up messages are sent to this number."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )
    mobile_confirm = PhoneNumberField(
        label=gettext_lazy("Mobile number again, to confirm it"),
        region="JO",
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    accept_terms = forms.BooleanField(
        label=gettext_lazy(
            "I accept the terms of the card: it is prepaid, it is topped up through "
            "eFAWATEERcom, and I keep its PIN secret."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        if user is not None and not kwargs.get("data") and not args:
            person = _individual(user)
            initial = {}
            if user.phone:
                initial["mobile"] = user.phone
            if person is not None and person.name_en:
                initial["name_on_card"] = person.name_en.upper()[:26]
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        from establishments.registration import GOVERNORATES

        self.fields["governorate"].choices = [("", "—"), *GOVERNORATES]

    def clean_name_on_card(self):
        value = " ".join(self.cleaned_data["name_on_card"].split()).upper()
        if not NAME_ON_CARD.match(value):
            raise forms.ValidationError(
                _("Write the name in English letters only (A to Z), as in the passport.")
            )
        return value

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        if value and not str(value).startswith("+9627"):
            raise forms.ValidationError(_("Enter a Jordanian mobile number (07…)."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("mobile")
            and data.get("mobile_confirm")
            and data["mobile"] != data["mobile_confirm"]
        ):
            self.add_error("mobile_confirm", _("The two mobile numbers are not the same."))
        if data.get("delivery") == BRANCH:
            if not data.get("branch"):
                self.add_error("branch", _("Choose the branch."))
            for name in ("governorate", "city", "street", "building_number"):
                data[name] = ""
        elif data.get("delivery") == COURIER:
            for name in ("governorate", "city", "street"):
                if not data.get(name):
                    self.add_error(name, _("This is needed for the delivery."))
            data["branch"] = ""
        return data


# --- approval ------------------------------------------------------------------------------------


def delivery_text(data: dict) -> str:
    if data.get("delivery") == BRANCH:
        return str(dict(BRANCHES).get(data.get("branch"), data.get("branch", "")))
    parts = (
        data.get("governorate"),
        data.get("city"),
        data.get("street"),
        data.get("building_number"),
    )
    return "، ".join(str(p) for p in parts if p)


def issue_card(*, person, request: ServiceRequest | None = None) -> DebitCard:
    """A new active card for ``person``: a fresh billing number, the last four digits of a new
    Luhn-valid PAN. Refused when the person already has an active card."""
    if DebitCard.objects.filter(individual=person, status=DebitCard.Status.ACTIVE).exists():
        raise ServiceError(_("The applicant already has an active debit card."))
    pan = new_pan()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return DebitCard.objects.create(
                    individual=person,
                    request=request,
                    number=new_billing_number(),
                    last4=pan[-4:],
                    issued_on=timezone.localdate(),
                )
        except IntegrityError as exc:
            if "one_active_card" in str(exc):
                raise ServiceError(_("The applicant already has an active debit card.")) from exc
            continue  # the billing number was taken: draw another
    raise RuntimeError("could not number the card")


def on_approve(req: ServiceRequest) -> None:
    from individuals.models import Individual

    person = Individual.objects.select_for_update().get(user=req.applicant)
    card = issue_card(person=person, request=req)
    notify(
        user=req.applicant,
        request=req,
        title=_("Your debit card is issued"),
        body=_(
            "Your debit card ending in %(last4)s is issued. Its eFAWATEERcom top-up number is "
            "%(number)s."
        )
        % {"last4": card.last4, "number": card.number},
        detail=_("Delivery: %(where)s. Your card's page: %(url)s")
        % {"where": delivery_text(req.data), "url": reverse("payments:my_card")},
    )


# --- my card -------------------------------------------------------------------------------------


def cards_of(user):
    """The person's cards, newest first, each with its last 10 top-ups (two queries)."""
    from django.db.models import Prefetch

    from .models import Payment

    person = _individual(user)
    if person is None:
        return []
    return list(
        DebitCard.objects.filter(individual=person)
        .select_related("request")
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=Payment.objects.order_by("-paid_at")[:10],
                to_attr="last_topups",
            )
        )
        .order_by("-issued_on", "-pk")
    )

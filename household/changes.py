"""hh.change-report and hh.breadwinner-change, declared on the shared request engine.

- Report a change that affects eligibility (the source: "the applicant must tell the ministry of
  any change that affects the entitlement"), within ``household.change_report_days`` days. Staff
  approve it; a change of who lives in the household then counts from the next payment.
- Choose the breadwinner after a court decision (the source: "if the court decides ... the family
  may choose the breadwinner who can support them"). Staff confirm it by approving; the pension is
  then paid into the new breadwinner's account.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.declarations import DocumentSpec, RequestService, register
from eservices.notifications import notify

from .application import RuleText, active_pension, household_reasons
from .choices import BreadwinnerRelation, ChangeKind
from .entitlement import sar
from .forms import BLANK, BankForm, HouseholdForm, SaudiIdField, date_widget, not_in_future
from .models import Pension


def pension_reasons(user, today: dt.date) -> list[str]:
    reasons = household_reasons(user)
    if reasons:
        return reasons
    if active_pension(user) is None:
        return [_("This service is for beneficiaries of the household pension.")]
    return []


def _tell_next_payment(pension: Pension, req) -> None:
    from .payouts import next_payment_month, pension_figure

    month = next_payment_month(pension)
    fig = pension_figure(pension, month)
    notify(
        user=pension.beneficiary,
        request=req,
        title=_("Household pension from %(month)s") % {"month": f"{month:%Y-%m}"},
        body=_("From the payment of %(month)s your pension is %(amount)s SAR.")
        % {"month": f"{month:%Y-%m}", "amount": sar(fig.amount) if fig.amount else "0.00"},
    )


# --- hh.change-report ------------------------------------------------------------------------


class ChangeReportForm(HouseholdForm):
    kind = forms.ChoiceField(label=_("What changed"), choices=BLANK + list(ChangeKind.choices))
    change_date = forms.DateField(label=_("Date of the change"), widget=date_widget())
    children_after = forms.IntegerField(
        label=_("Sons and daughters who live with you after the change"),
        min_value=0,
        max_value=30,
        required=False,
    )
    others_after = forms.IntegerField(
        label=_("Other members you support after the change"),
        min_value=0,
        max_value=30,
        required=False,
    )
    details = forms.CharField(
        label=_("Describe the change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_change_date(self):
        value = self.cleaned_data["change_date"]
        not_in_future(
            value, _("Report a change that has happened: the date cannot be in the future.")
        )
        return value

    def clean(self):
        data = super().clean()
        members = data.get("kind") in (ChangeKind.MEMBER_JOINED, ChangeKind.MEMBER_LEFT)
        if members and data.get("children_after") is None and data.get("others_after") is None:
            self.add_error(
                "children_after",
                _("Give how many live with you now: sons and daughters, other members."),
            )
        return data


def change_report_approved(req) -> None:
    """A change of who lives in the household counts from the next payment."""
    data = req.data
    pension = Pension.objects.select_for_update().get(
        beneficiary=req.applicant, status=Pension.Status.ACTIVE
    )
    fields = []
    for key, attr in (("children_after", "children"), ("others_after", "others")):
        if data.get(key) not in (None, ""):
            setattr(pension, attr, int(data[key]))
            fields.append(attr)
    if fields:
        pension.save(update_fields=fields)
        _tell_next_payment(pension, req)


CHANGE_REPORT = register(
    RequestService(
        code="hh.change-report",
        form_class=ChangeReportForm,
        who=RuleText(
            gettext_lazy(
                "A beneficiary of the household pension, for a change that affects the "
                "entitlement. Report it within %(days)s days of the change."
            ),
            "household.change_report_days",
        ),
        decision_days=20,
        decision_rule="household.review_days",
        reference_prefix="HHC",
        audience="household",
        currency="SAR",
        documents=(
            DocumentSpec(
                "evidence", gettext_lazy("A document that shows the change"), required=False
            ),
        ),
        eligibility=pension_reasons,
        on_approve=change_report_approved,
    )
)


# --- hh.breadwinner-change -------------------------------------------------------------------


class BreadwinnerChangeForm(BankForm):
    """The court decision, the breadwinner the family chooses, and that person's bank account."""

    holder_field = "breadwinner_id_number"

    court = forms.CharField(label=_("Court"), max_length=200)
    decision_number = forms.CharField(label=_("Number of the court decision"), max_length=40)
    decision_date = forms.DateField(label=_("Date of the court decision"), widget=date_widget())
    breadwinner_id_number = SaudiIdField(label=_("ID number of the breadwinner chosen"))
    breadwinner_name = forms.CharField(label=_("Name of the breadwinner chosen"), max_length=200)
    breadwinner_birth_date = forms.DateField(
        label=_("Date of birth of the breadwinner chosen"), widget=date_widget()
    )
    relation = forms.ChoiceField(
        label=_("Relation to the family"), choices=BLANK + list(BreadwinnerRelation.choices)
    )

    field_order = [
        "court",
        "decision_number",
        "decision_date",
        "breadwinner_id_number",
        "breadwinner_name",
        "breadwinner_birth_date",
        "relation",
        "iban",
        "iban_confirm",
        "bank",
    ]

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        not_in_future(value, _("The date of the decision cannot be in the future."))
        return value

    def clean_breadwinner_birth_date(self):
        value = self.cleaned_data["breadwinner_birth_date"]
        not_in_future(value, _("The date of birth cannot be in the future."))
        return value


def breadwinner_change_approved(req) -> None:
    data = req.data
    pension = Pension.objects.select_for_update().get(
        beneficiary=req.applicant, status=Pension.Status.ACTIVE
    )
    pension.breadwinner_id_number = data["breadwinner_id_number"]
    pension.breadwinner_name = data["breadwinner_name"]
    pension.breadwinner_relation = data["relation"]
    pension.breadwinner_since = timezone.localdate()
    pension.iban, pension.bank = data["iban"], data["bank"]
    pension.save(
        update_fields=[
            "breadwinner_id_number",
            "breadwinner_name",
            "breadwinner_relation",
            "breadwinner_since",
            "iban",
            "bank",
        ]
    )


BREADWINNER_CHANGE = register(
    RequestService(
        code="hh.breadwinner-change",
        form_class=BreadwinnerChangeForm,
        who=gettext_lazy(
            "A family receiving the household pension, after a court decision: the family "
            "chooses the breadwinner who supports them, and the ministry confirms it. The pension "
            "is then paid into the breadwinner's account."
        ),
        decision_days=20,
        decision_rule="household.review_days",
        reference_prefix="HHB",
        audience="household",
        currency="SAR",
        documents=(
            DocumentSpec("court_decision", gettext_lazy("The court decision")),
            DocumentSpec("breadwinner_id", gettext_lazy("The ID of the breadwinner chosen")),
        ),
        eligibility=pension_reasons,
        on_approve=breadwinner_change_approved,
    )
)

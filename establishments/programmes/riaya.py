"""est.riaya-khcf: the Ri'aya insurance programme with the King Hussein Cancer Foundation.

The establishment subscribes its employees (each alone, or with their family) to the Foundation's
cancer-care insurance; the monthly premium of each employee depends on their age band and on the
number of family members, and is billed to the establishment with its contributions from the
first month. Approval records a ``RiayaSubscription`` for each employee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import age_on, month_after, month_start, months_from
from eservices.declarations import RequestService, register
from eservices.rules import Working, money, plain, rule

from .common import (
    ListField,
    ProgrammeFigure,
    employee_choices,
    establishment,
    figure_text,
    locked_establishment,
    month_choices,
    officer_eligibility,
    parse_month,
    people_by_identifier,
    rebill_billed_months,
    split,
)
from .models import RiayaSubscription

BLANK = [("", "---------")]


def premium_key(age: int) -> str:
    if age >= 60:
        return "riaya.premium.60_plus"
    if age >= 40:
        return "riaya.premium.40_to_59"
    return "riaya.premium.under_40"


def riaya_premiums(*, on: dt.date, people, family_members: int) -> ProgrammeFigure:
    """The monthly premium of each employee and the establishment's monthly total."""
    w = Working()
    member = w.use("riaya.premium.family_member", on=on)
    total = Decimal("0")
    for person in people:
        age = age_on(person.birth_date, on)
        base = w.use(premium_key(age), on=on)
        each = money(base + member * family_members)
        total += each
        w.line(
            _("%(name)s, aged %(age)s") % {"name": person.name_ar, "age": age},
            f"{each:.3f}",
            f"{plain(base)} + {family_members} × {plain(member)}",
        )
    w.line(_("Monthly premium billed to the establishment (JD)"), f"{money(total):.3f}")
    if not people:
        return ProgrammeFigure(
            payable=False, amount=None, reasons=[_("Choose at least one employee.")], working=w
        )
    return ProgrammeFigure(payable=True, amount=money(total), working=w)


class RiayaForm(forms.Form):
    employees = ListField(
        label=gettext_lazy("Employees to subscribe"),
        help_text=gettext_lazy("The establishment's active employees."),
    )
    plan = forms.ChoiceField(
        label=gettext_lazy("Plan"),
        choices=RiayaSubscription.Plan.choices,
        widget=forms.RadioSelect,
    )
    family_members = forms.IntegerField(
        label=gettext_lazy("Family members of each employee"),
        min_value=0,
        initial=0,
        help_text=gettext_lazy("For the family plan: the spouse and children insured with them."),
    )
    first_month = forms.ChoiceField(label=gettext_lazy("First month of the insurance"))
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The establishment agrees that the premiums are added to its monthly bill."
        )
    )
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = employee_choices(self.establishment)
        nxt = month_after(month_start(timezone.localdate()), 1)
        self.fields["first_month"].choices = BLANK + month_choices([nxt, month_after(nxt, 1)])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        members = data["family_members"]
        limit = int(rule("riaya.max_family_members", on=timezone.localdate()).value)
        if data["plan"] == RiayaSubscription.Plan.INDIVIDUAL and members:
            self.add_error("family_members", _("The employee-only plan has no family members."))
        if data["plan"] == RiayaSubscription.Plan.FAMILY and not members:
            self.add_error("family_members", _("Give the number of family members."))
        if members > limit:
            self.add_error("family_members", _("At most %(n)s family members.") % {"n": limit})
        found = people_by_identifier(split(data["employees"]))
        people = list(found.values())
        for sub in RiayaSubscription.objects.filter(
            individual__in=people, end_month__isnull=True
        ).select_related("individual"):
            self.add_error(
                "employees",
                _("%(name)s is already subscribed.") % {"name": sub.individual.name_ar},
            )
        data["employee_names"] = "، ".join(p.name_ar for p in people)
        return data


def _figure(data: dict) -> ProgrammeFigure | None:
    if not data.get("employees") or not data.get("first_month"):
        return None
    people = list(people_by_identifier(split(data["employees"])).values())
    return riaya_premiums(
        on=parse_month(data["first_month"]),
        people=people,
        family_members=int(data.get("family_members") or 0),
    )


def _compute(user, data: dict):
    return _figure(data)


def _approve(req) -> None:
    est = locked_establishment(req)
    d = req.data
    first = parse_month(d["first_month"])
    members = int(d.get("family_members") or 0)
    people = list(people_by_identifier(split(d["employees"])).values())
    if RiayaSubscription.objects.filter(individual__in=people, end_month__isnull=True).exists():
        raise ServiceError(_("Some of these employees are already subscribed."))
    member = rule("riaya.premium.family_member", on=first).value
    RiayaSubscription.objects.bulk_create(
        RiayaSubscription(
            establishment=est,
            individual=p,
            request=req,
            plan=d["plan"],
            family_members=members,
            monthly_premium=money(
                rule(premium_key(age_on(p.birth_date, first)), on=first).value + member * members
            ),
            first_month=first,
        )
        for p in people
    )
    # Approved late, after the first month was billed: its premiums are billed now.
    rebill_billed_months(est, months_from(first, month_after(timezone.localdate(), -1)))


def _who() -> str:
    return _(
        "The liaison officer of an active establishment, for its employees (alone or with their "
        "family). The monthly premium is %(young)s JD under 40, %(middle)s JD from 40 to 59, "
        "%(old)s JD from 60, plus %(member)s JD for each family member; it is billed to the "
        "establishment every month from the first month."
    ) % {
        "young": figure_text("riaya.premium.under_40"),
        "middle": figure_text("riaya.premium.40_to_59"),
        "old": figure_text("riaya.premium.60_plus"),
        "member": figure_text("riaya.premium.family_member"),
    }


RIAYA = register(
    RequestService(
        code="est.riaya-khcf",
        form_class=RiayaForm,
        who=lazy(_who, str)(),
        decision_days=7,
        reference_prefix="ERYA",
        audience="establishment",
        eligibility=officer_eligibility,
        compute=_compute,
        on_approve=_approve,
    )
)

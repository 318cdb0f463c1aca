"""This app's JSON endpoints, mounted under /api/ by eservices/api_urls.py: the expected-pension
calculator (calc.expected-pension) and the retiree-loan calculator (ret.loan-request). They call
the functions the pages call (calculator.py, loans.py)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from eservices.api import (
    CalculatorView,
    FigureSerializer,
    MonthField,
    calculator_schema,
    money_field,
)

from .calculator import EARLY, OLD_AGE, expected_pension
from .loans import retiree_loan

MAX_MONTHS = 1200  # a hundred years of contribution months: a bound on the input, not a rule


# --- Expected pension --------------------------------------------------------------------------


class PensionInputSerializer(serializers.Serializer):
    birth_date = serializers.DateField(help_text="Date of birth (YYYY-MM-DD).")
    sex = serializers.ChoiceField(
        choices=[("M", "man"), ("F", "woman")],
        help_text="M or F: the old-age and early-retirement ages differ.",
    )
    retirement_date = serializers.DateField(
        help_text="Date of retirement: the age on it and the rules in force on it apply."
    )
    contribution_months = serializers.IntegerField(
        min_value=0, max_value=MAX_MONTHS, help_text="Contribution months counted."
    )
    actual_contributions = serializers.IntegerField(
        min_value=0,
        max_value=MAX_MONTHS,
        required=False,
        allow_null=True,
        default=None,
        help_text="How many of them are actual contributions (default: all of them).",
    )
    reference_wages = serializers.ListField(
        child=money_field(min_value=Decimal("0")),
        required=False,
        allow_empty=False,
        max_length=MAX_MONTHS,
        help_text="The monthly insured wages of the contributions, oldest first, JD; the last "
        "pension.reference_months of them (60) are averaged. Give this or average_wage.",
    )
    average_wage = money_field(
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        default=None,
        help_text="The average monthly insured wage of the reference period, JD, instead of "
        "reference_wages.",
    )
    dependants = serializers.IntegerField(
        min_value=0, max_value=20, default=0, help_text="Dependants (up to 3 are counted)."
    )
    kind = serializers.ChoiceField(
        choices=[(OLD_AGE, "old-age pension"), (EARLY, "early retirement")],
        required=False,
        allow_null=True,
        default=None,
        help_text="old_age or early; by default the one the age on the retirement date calls for.",
    )
    first_covered = MonthField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Month of the first contribution: it chooses the early-retirement ages (those "
        "first covered from 2019-10 retire early later). Default: the contribution months taken "
        "as unbroken up to the month before the retirement date.",
    )

    def validate(self, data):
        errors = {}
        wages, average = data.get("reference_wages"), data.get("average_wage")
        if wages and average is not None:
            errors["average_wage"] = [_("Give the wages or their average, not both.")]
        elif not wages and average is None:
            errors["reference_wages"] = [
                _("Give the wages of the reference period or their average.")
            ]
        actual = data.get("actual_contributions")
        if actual is not None and actual > data["contribution_months"]:
            errors["actual_contributions"] = [_("This cannot be more than the contributions.")]
        if data["retirement_date"] < data["birth_date"]:
            errors["retirement_date"] = [_("The retirement date cannot be before the birth date.")]
        first = data.get("first_covered")
        if first is not None and first > data["retirement_date"]:
            errors["first_covered"] = [
                _("The first contribution cannot be after the retirement date.")
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class PensionBreakdownSerializer(serializers.Serializer):
    """The parts of the pension (amounts in JD, 3 decimals, as strings). When the pension is not
    payable only the first four are given."""

    retirement_date = serializers.DateField()
    age = serializers.IntegerField(help_text="Whole years on the retirement date.")
    contribution_months = serializers.IntegerField()
    actual_contributions = serializers.IntegerField()
    reference_wage = serializers.CharField(
        required=False, help_text="Average insured wage, to the fils (used unrounded)."
    )
    reference_wage_exact = serializers.BooleanField(required=False)
    reference_months_used = serializers.IntegerField(
        required=False, help_text="Wages averaged (0 when the average was given)."
    )
    years = serializers.CharField(required=False)
    accrual_low = serializers.CharField(required=False)
    accrual_high = serializers.CharField(required=False)
    pension_before_cap = serializers.CharField(required=False)
    cap = serializers.CharField(required=False)
    cap_applied = serializers.BooleanField(required=False)
    reduction_rate = serializers.CharField(required=False, help_text="Early retirement: the share.")
    reduction = serializers.CharField(required=False)
    base = serializers.CharField(required=False, help_text="Rounded to the fils.")
    dependants = serializers.IntegerField(required=False)
    dependants_counted = serializers.IntegerField(required=False)
    increment_rate = serializers.CharField(required=False)
    increment = serializers.CharField(required=False)
    supplement = serializers.CharField(required=False)
    minimum = serializers.CharField(required=False)
    minimum_applied = serializers.BooleanField(required=False)
    minimum_topup = serializers.CharField(required=False)
    pension = serializers.CharField(
        required=False, help_text="base + increment + supplement + minimum_topup."
    )


class PensionFigureSerializer(FigureSerializer):
    """The monthly pension: ``amount`` is the pension, ``breakdown`` its parts."""

    kind = serializers.ChoiceField(choices=[OLD_AGE, EARLY])
    breakdown = PensionBreakdownSerializer()


@calculator_schema(
    name="pension",
    input_serializer=PensionInputSerializer,
    figure_serializer=PensionFigureSerializer,
    summary="Expected old-age or early retirement pension",
    description="Eligibility and the monthly pension from explicit inputs, with its parts and the "
    "working, or the reasons it is not payable. Order and rounding of RULES.md: base (accrual, "
    "cap, early reduction) rounded to the fils, then the dependants' increment on that base, "
    "bounded and rounded, the supplement, the top-up to the minimum pension. Rule rows used (in "
    "force on the retirement date): oldage.*, pension.*, early.reduction_<age>; early.age_*, "
    "early.min_actual_*, early.alt_* are those in force on the first contribution's month.",
    examples=[
        OpenApiExample(
            "Old age at 60 after 30 years, two dependants",
            request_only=True,
            value={
                "birth_date": "1966-01-10",
                "sex": "M",
                "retirement_date": "2026-02-01",
                "contribution_months": 360,
                "average_wage": "1200.000",
                "dependants": 2,
            },
        ),
        OpenApiExample(
            "Early retirement at 52, the last 60 wages",
            request_only=True,
            value={
                "birth_date": "1974-06-01",
                "sex": "M",
                "retirement_date": "2026-07-01",
                "contribution_months": 300,
                "reference_wages": ["800.000"] * 60,
                "kind": "early",
                "first_covered": "2001-07",
            },
        ),
    ],
)
class PensionCalculatorView(CalculatorView):
    input_serializer_class = PensionInputSerializer
    calculator = staticmethod(expected_pension)
    rules_date_field = "retirement_date"


# --- Retiree loan ------------------------------------------------------------------------------


class LoanInputSerializer(serializers.Serializer):
    net_pension = money_field(min_value=Decimal("0"), help_text="Net monthly pension, JD.")
    birth_date = serializers.DateField(help_text="Date of birth: the term ends before 70.")
    principal = money_field(min_value=Decimal("0"), help_text="Loan asked for, JD.")
    months = serializers.IntegerField(min_value=1, max_value=600, help_text="Term in months.")
    on = serializers.DateField(
        help_text="Date of the request: the rules in force on it apply; the first instalment is "
        "deducted in the month after it."
    )


class InstalmentSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")
    amount = money_field()
    balance_after = money_field()


class LoanLimitsSerializer(serializers.Serializer):
    net_pension = money_field()
    max_months = serializers.IntegerField()
    max_instalment = money_field()
    max_principal = money_field(help_text="The largest loan over max_months.")
    ceiling = money_field(help_text="min(multiple × net pension, highest loan).")


class LoanFigureSerializer(FigureSerializer):
    """A retiree loan: ``amount`` is the principal, ``total`` the total due, ``schedule`` every
    instalment (rounded down to the fils, the last one takes the remainder)."""

    total = money_field(allow_null=True)
    months = serializers.IntegerField()
    schedule = InstalmentSerializer(many=True)
    limits = LoanLimitsSerializer(allow_null=True)


@calculator_schema(
    name="retiree_loan",
    input_serializer=LoanInputSerializer,
    figure_serializer=LoanFigureSerializer,
    summary="Retiree loan: limits and amortisation schedule",
    description="Rule rows used (in force on the date given): loan.pension_multiple, "
    "loan.max_amount, loan.max_months, loan.max_age, loan.interest, "
    "loan.instalment_max_ratio (provisional).",
    examples=[
        OpenApiExample(
            "5,000 JD over 60 months",
            request_only=True,
            value={
                "net_pension": "600.000",
                "birth_date": "1960-03-01",
                "principal": "5000.000",
                "months": 60,
                "on": "2026-05-20",
            },
        )
    ],
)
class LoanCalculatorView(CalculatorView):
    input_serializer_class = LoanInputSerializer
    calculator = staticmethod(retiree_loan)
    rules_date_field = "on"


urlpatterns = [
    path("v1/calculators/pension", PensionCalculatorView.as_view(), name="calculator_pension"),
    path(
        "v1/calculators/retiree-loan", LoanCalculatorView.as_view(), name="calculator_retiree_loan"
    ),
]

"""Calculator endpoints of the unemployment services, mounted under /api/v1/calculators/:
``unemployment`` (unemp.request), ``musaned1`` (def.musaned1) and ``musaned2``
(def.musaned2-savings). They call the functions the service pages call (``unemployment.py``)."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from eservices.api import (
    CalculatorView,
    FigureSerializer,
    MonthField,
    calculator_schema,
    money_field,
    rule_value_field,
)

from .unemployment import musaned1_advance, musaned2_payout, unemployment_allowance

MAX_MONTHS = 1200  # a hundred years of contribution months: a bound on the input, not a rule


def months_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_MONTHS, **kwargs)


def currently_insured_field() -> serializers.BooleanField:
    return serializers.BooleanField(
        default=False,
        help_text="Covered now (an open insurance period or a contribution this month).",
    )


# --- Unemployment allowance ------------------------------------------------------------------


class UnemploymentInputSerializer(serializers.Serializer):
    birth_date = serializers.DateField(help_text="Date of birth (YYYY-MM-DD).")
    sex = serializers.ChoiceField(
        choices=[("M", "man"), ("F", "woman")], help_text="M or F: the old-age age differs."
    )
    claim_date = serializers.DateField(
        help_text="Date of the claim: the rules in force that day apply; the first month is paid "
        "on the 1st of the month after it."
    )
    contributions = months_field(help_text="Contribution months on the record (not paid out).")
    unemployment_contributions = months_field(
        help_text="How many of them include a contribution to the unemployment branch."
    )
    last_insured_wage = money_field(
        min_value=0, help_text="Wage of the last contribution month, JD (up to 3 decimals)."
    )
    previous_claims = serializers.IntegerField(
        min_value=0, max_value=100, default=0, help_text="Earlier approved claims in the career."
    )
    new_contributions_since_last_claim = months_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="Contribution months after the month of the last approved claim; needed when "
        "previous_claims is more than 0.",
    )
    currently_insured = currently_insured_field()

    def validate(self, data):
        errors = {}
        if data["unemployment_contributions"] > data["contributions"]:
            errors["unemployment_contributions"] = [
                _("This cannot be more than the contributions.")
            ]
        new = data.get("new_contributions_since_last_claim")
        if data["previous_claims"] and new is None:
            errors["new_contributions_since_last_claim"] = [
                _("Give the new contributions since the last claim.")
            ]
        elif new is not None and new > data["contributions"]:
            errors["new_contributions_since_last_claim"] = [
                _("This cannot be more than the contributions.")
            ]
        if data["claim_date"] < data["birth_date"]:
            errors["claim_date"] = [_("The claim cannot be before the birth date.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class UnemploymentPaymentSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="Month of the allowance: 1, 2, …")
    due_date = serializers.DateField()
    amount = money_field()
    rate = rule_value_field(help_text="Share of the last insured wage that month.")
    capped = serializers.BooleanField(help_text="Cut to the monthly cap (unemp.monthly_cap).")


class UnemploymentFigureSerializer(FigureSerializer):
    """The unemployment allowance: ``amount`` is the total, ``payments`` each month."""

    payments = UnemploymentPaymentSerializer(many=True, help_text="Empty when not payable.")


def calculator_view(name: str, calculator, **schema) -> type[CalculatorView]:
    """A CalculatorView for ``calculator`` (rules chosen by the claim date), documented."""
    view = type(
        f"{name.title()}CalculatorView",
        (CalculatorView,),
        {
            "__module__": __name__,
            "input_serializer_class": schema["input_serializer"],
            "calculator": staticmethod(calculator),
            "rules_date_field": "claim_date",
        },
    )
    return calculator_schema(name=name, **schema)(view)


UnemploymentCalculatorView = calculator_view(
    "unemployment",
    unemployment_allowance,
    input_serializer=UnemploymentInputSerializer,
    figure_serializer=UnemploymentFigureSerializer,
    summary="Unemployment allowance",
    description="Eligibility and monthly allowance from explicit inputs, with each month's amount "
    "and due date. Rule rows used (in force on the claim date): unemp.min_contributions, "
    "oldage.age_men / oldage.age_women, unemp.max_claims, unemp.new_contributions, "
    "unemp.long_threshold, unemp.rate_month_1, unemp.rate_month_2, unemp.rate_month_3, "
    "unemp.rate_month_4_6, unemp.monthly_cap.",
    examples=[
        OpenApiExample(
            "A first claim after 200 contributions",
            request_only=True,
            value={
                "birth_date": "1985-04-02",
                "sex": "M",
                "claim_date": "2026-05-20",
                "contributions": 200,
                "unemployment_contributions": 120,
                "last_insured_wage": "800.000",
                "previous_claims": 0,
            },
        )
    ],
)


# --- Savings balance: Musaned 1 and 2 --------------------------------------------------------


class SavingsWageMonthSerializer(serializers.Serializer):
    month = MonthField()
    wage = money_field(min_value=0, help_text="Insured wage that month, JD.")
    unemployment = serializers.BooleanField(
        default=True, help_text="The month includes a contribution to the unemployment branch."
    )


class SavingsInputSerializer(serializers.Serializer):
    wages = serializers.ListField(
        child=SavingsWageMonthSerializer(),
        allow_empty=True,
        max_length=MAX_MONTHS,
        help_text="The contribution months (not paid out by a lump sum), each once.",
    )
    earlier_draws = serializers.ListField(
        child=money_field(min_value=0),
        default=list,
        max_length=100,
        help_text="Amounts of earlier approved Musaned 1 and Musaned 2 payouts, JD.",
    )
    claim_date = serializers.DateField(
        default=timezone.localdate,
        help_text="Date of the request (default today): the share in force that day applies; "
        "payments fall on the 1st of each month from the month after it.",
    )
    currently_insured = currently_insured_field()

    def validate_wages(self, rows):
        months = [r["month"] for r in rows]
        repeated = sorted({m.strftime("%Y-%m") for m in months if months.count(m) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("Give each month once; repeated: %(months)s.") % {"months": ", ".join(repeated)}
            )
        return rows


class SavingsPaymentSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = money_field()


class SavingsFigureSerializer(FigureSerializer):
    """A payout from the unemployment savings balance."""

    balance = money_field(help_text="The savings balance after earlier draws, JD.")
    payments = SavingsPaymentSerializer(many=True, help_text="Empty when not payable.")


SAVINGS_EXAMPLE = OpenApiExample(
    "Three months of wages",
    request_only=True,
    value={
        "wages": [
            {"month": "2025-01", "wage": "500.000", "unemployment": True},
            {"month": "2025-02", "wage": "500.000", "unemployment": True},
            {"month": "2025-03", "wage": "600.000", "unemployment": False},
        ],
        "earlier_draws": [],
        "claim_date": "2026-05-20",
    },
)
BALANCE_RULES = (
    "The balance is Σ wage × (contrib.unemployment.employee + contrib.unemployment.employer in "
    "force that month) over the months with an unemployment contribution, rounded to the fils, "
    "minus the earlier draws."
)


def savings_view(name: str, calculator, summary: str, description: str):
    return calculator_view(
        name,
        calculator,
        input_serializer=SavingsInputSerializer,
        figure_serializer=SavingsFigureSerializer,
        summary=summary,
        description=f"{BALANCE_RULES} {description}",
        examples=[SAVINGS_EXAMPLE],
    )


Musaned1CalculatorView = savings_view(
    "musaned1",
    musaned1_advance,
    "Musaned 1: advance from the unemployment savings balance",
    "The advance is musaned1.balance_share of it, in musaned1.months equal monthly payments "
    "(rounded down to the fils, the last takes the remainder).",
)
Musaned2CalculatorView = savings_view(
    "musaned2",
    musaned2_payout,
    "Musaned 2: payout of the unemployment savings balance",
    "The payout is musaned2.balance_share of it, once; that share is a provisional default "
    "(working.provisional is true).",
)


urlpatterns = [
    path(
        "v1/calculators/unemployment",
        UnemploymentCalculatorView.as_view(),
        name="calculator_unemployment",
    ),
    path("v1/calculators/musaned1", Musaned1CalculatorView.as_view(), name="calculator_musaned1"),
    path("v1/calculators/musaned2", Musaned2CalculatorView.as_view(), name="calculator_musaned2"),
]

"""POST /api/v1/calculators/household-entitlement: hh.entitlement as JSON (OpenAPI documented).

The members of the household with their relation and age (exactly one head), each income with its
type and monthly amount in riyals, and the month to pay; the answer is the entitlement and its
breakdown, with the working and the rule rows used. It calls the function the page calls.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from eservices.api import (
    CalculatorView,
    MonthField,
    WorkingSerializer,
    calculator_schema,
    rule_value_field,
)
from eservices.dates import month_after, month_start

from .entitlement import INCOME_KINDS, RELATIONS, Income, Member, household_entitlement

MAX_MEMBERS = 60  # a bound on the input, not a rule


def sar_field(**kwargs) -> serializers.DecimalField:
    """An amount in Saudi riyals with up to 2 decimals (halalas); a string out, never a float."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs
    )


def next_month():
    return month_after(month_start(timezone.localdate()), 1)


class HouseholdMemberSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(
        choices=list(RELATIONS),
        help_text="head (exactly one), spouse, son, daughter, father, "
        "mother, brother, sister or other.",
    )
    age = serializers.IntegerField(min_value=0, max_value=130, required=False, allow_null=True)


class HouseholdIncomeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=list(INCOME_KINDS),
        help_text="Earned: wages, trade. Other (counted in full): pension, rent, returns, other. "
        "Not counted while their exclusion rule is 1: citizen_account, rural_support, "
        "university_stipend, disability_benefit.",
    )
    monthly_amount = sar_field(min_value=Decimal("0"), help_text="SAR a month.")


class HouseholdEntitlementInputSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=HouseholdMemberSerializer(),
        min_length=1,
        max_length=MAX_MEMBERS,
        help_text="Everyone in the household, the head included (relation head, exactly once).",
    )
    incomes = serializers.ListField(
        child=HouseholdIncomeSerializer(),
        default=list,
        max_length=100,
        help_text="The household's monthly income, each source with its type.",
    )
    month = MonthField(
        default=next_month,
        help_text="The month paid (YYYY-MM; default next month): the rules in force on its first "
        "day apply.",
    )

    def validate_members(self, rows):
        heads = sum(1 for r in rows if r["relation"] == "head")
        if heads != 1:
            raise serializers.ValidationError(_("The household has exactly one head."))
        return rows


def calculate(*, members, incomes, month):
    return household_entitlement(
        members=[Member(m["relation"], m.get("age")) for m in members],
        incomes=[Income(i["type"], i["monthly_amount"]) for i in incomes],
        month=month,
    )


class HouseholdMemberLineSerializer(serializers.Serializer):
    relation = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    amount = sar_field(help_text="What this person adds to the minimum.")


class HouseholdIncomeLineSerializer(serializers.Serializer):
    type = serializers.CharField()
    monthly_amount = sar_field()
    share = rule_value_field(help_text="Share counted (from the rule rows).")
    counted = sar_field()
    excluded = serializers.BooleanField(help_text="Not counted: a support programme or benefit.")


class HouseholdBreakdownSerializer(serializers.Serializer):
    head_amount = sar_field(help_text="household.minimum.head in force.")
    member_amount = sar_field(help_text="household.minimum.member in force.")
    members = HouseholdMemberLineSerializer(many=True)
    minimum = sar_field(help_text="The household's minimum.")
    incomes = HouseholdIncomeLineSerializer(many=True)
    countable_income = sar_field()


class HouseholdEntitlementSerializer(serializers.Serializer):
    """The entitlement: minimum − countable income, in whole riyals; none when not positive."""

    payable = serializers.BooleanField()
    amount = sar_field(allow_null=True, help_text="SAR a month; null when there is none.")
    currency = serializers.ChoiceField(choices=["SAR"])
    month = serializers.CharField(help_text="YYYY-MM")
    reasons = serializers.ListField(child=serializers.CharField())
    breakdown = HouseholdBreakdownSerializer()
    working = WorkingSerializer()


@calculator_schema(
    name="household_entitlement",
    input_serializer=HouseholdEntitlementInputSerializer,
    figure_serializer=HouseholdEntitlementSerializer,
    summary="Household social security entitlement",
    description="The developed social security's monthly entitlement of a household: "
    "household.minimum.head for the head plus household.minimum.member for each other member, "
    "less the countable income (earned × household.income.earned_share, other × "
    "household.income.unearned_share, support programmes and disability benefits left out while "
    "household.income.excluded.<type> is 1), rounded half up to whole riyals; none when zero or "
    "less. The rule rows in force on the first day of the month apply.",
    examples=[
        OpenApiExample(
            "A family of four with a salary",
            request_only=True,
            value={
                "month": "2024-01",
                "members": [
                    {"relation": "head", "age": 45},
                    {"relation": "spouse", "age": 40},
                    {"relation": "son", "age": 12},
                    {"relation": "daughter", "age": 9},
                ],
                "incomes": [
                    {"type": "wages", "monthly_amount": "2000.00"},
                    {"type": "citizen_account", "monthly_amount": "720.00"},
                ],
            },
        )
    ],
)
class HouseholdEntitlementView(CalculatorView):
    input_serializer_class = HouseholdEntitlementInputSerializer
    calculator = staticmethod(calculate)
    rules_date_field = "month"

"""Calculator endpoints of the lump-sum services, mounted under /api/v1/calculators/:
``lump-sum`` (lump.inquiry, lump.request) and the advances drawn from the lump-sum account,
``tamkeen2-advance``, ``musaned3-advance`` and ``tamkeen-retirement-advance``. They call the
functions the service pages call (``lump_sum.py``, ``advances.py``)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from eservices.api import CalculatorView, FigureSerializer, calculator_schema, money_field

from .advances import musaned3_advance, tamkeen2_advance, tamkeen_retirement_advance
from .api_unemployment import MAX_MONTHS, SavingsPaymentSerializer, months_field
from .lump_sum import Case, MaritalStatus, lump_sum

ACCOUNT_FIELDS = ("contributions", "total_insured_wages")

# --- Inputs ----------------------------------------------------------------------------------


class AccountInputSerializer(serializers.Serializer):
    """The lump-sum account: the contributions not yet compensated and their wages (as a count
    and a total, or as the list of monthly wages), and the advances already drawn from it."""

    request_date = serializers.DateField(
        help_text="Date of the request (YYYY-MM-DD): the rules in force that day apply."
    )
    contributions = months_field(
        required=False,
        help_text="Contribution months not paid out by a lump sum; with total_insured_wages, "
        "or give monthly_wages instead.",
    )
    total_insured_wages = money_field(
        min_value=0, required=False, help_text="Total insured wages of those months, JD."
    )
    monthly_wages = serializers.ListField(
        child=money_field(min_value=0),
        required=False,
        max_length=MAX_MONTHS,
        help_text="The insured wage of each of those months, JD, instead of the count and total.",
    )
    advances_drawn = money_field(
        min_value=0,
        default=Decimal("0.000"),
        help_text="Approved advances already drawn from the account since the last lump sum, JD.",
    )

    def validate(self, data):
        wages = data.pop("monthly_wages", None)
        given = [name for name in ACCOUNT_FIELDS if name in data]
        if wages is not None:
            if given:
                raise serializers.ValidationError(
                    {
                        "monthly_wages": [
                            _(
                                "Give the monthly wages, or the contributions and the total "
                                "insured wages: not both."
                            )
                        ]
                    }
                )
            data["contributions"] = len(wages)
            data["total_insured_wages"] = sum(wages, Decimal("0.000"))
        elif len(given) < len(ACCOUNT_FIELDS):
            required = self.fields["contributions"].error_messages["required"]
            raise serializers.ValidationError(
                {name: [required] for name in ACCOUNT_FIELDS if name not in data}
            )
        return data


class LumpSumInputSerializer(AccountInputSerializer):
    sex = serializers.ChoiceField(choices=[("M", "man"), ("F", "woman")], help_text="M or F.")
    birth_date = serializers.DateField(help_text="Date of birth (YYYY-MM-DD).")
    is_jordanian = serializers.BooleanField(help_text="Of Jordanian nationality.")
    marital_status = serializers.ChoiceField(
        choices=MaritalStatus.choices,
        allow_blank=True,
        default="",
        help_text="For the case of a woman who is not married (the record does not hold it).",
    )
    months_uncovered = months_field(
        default=0, help_text="Whole months without coverage since the last month covered."
    )
    service_ended = serializers.BooleanField(
        default=True, help_text="The coverage has ended (no open insurance period)."
    )
    case = serializers.ChoiceField(
        choices=Case.choices,
        allow_blank=True,
        default="",
        help_text="The case applied under; empty: any case that applies.",
    )

    def validate(self, data):
        data = super().validate(data)
        if data["request_date"] < data["birth_date"]:
            raise serializers.ValidationError(
                {"request_date": [_("The request cannot be before the birth date.")]}
            )
        return data


class AdvanceInputSerializer(AccountInputSerializer):
    last_insured_wage = money_field(
        min_value=0,
        help_text="Wage of the last contribution month, JD: it must be below the programme's "
        "limit.",
    )


class Tamkeen2InputSerializer(AdvanceInputSerializer):
    is_jordanian = serializers.BooleanField(
        help_text="Of Jordanian nationality: the cap differs from 2021-03-01."
    )


class Musaned3InputSerializer(AdvanceInputSerializer):
    optional_subscriber = serializers.BooleanField(
        default=False,
        help_text="An optional (voluntary) subscriber on the last contribution month: their own "
        "rate and a cap per month.",
    )


# --- Figures ---------------------------------------------------------------------------------


class AccountBreakdownSerializer(serializers.Serializer):
    contributions = serializers.IntegerField()
    total_insured_wages = money_field()
    share = serializers.CharField(help_text="Share of the total wages by the contributions.")
    value = money_field(help_text="Lump-sum value: total × share, rounded to the fils.")
    advances_drawn = money_field()
    balance = money_field(help_text="Value less the advances drawn.")


class ConditionSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="In the request language.")
    met = serializers.BooleanField()


class CaseCheckSerializer(serializers.Serializer):
    case = serializers.ChoiceField(choices=Case.choices)
    label = serializers.CharField()
    applies = serializers.BooleanField()
    conditions = ConditionSerializer(many=True)


class LumpSumBreakdownSerializer(AccountBreakdownSerializer):
    case = serializers.ChoiceField(
        choices=Case.choices, allow_null=True, help_text="The case that applies; null if none."
    )
    cases = CaseCheckSerializer(many=True)


class LumpSumFigureSerializer(FigureSerializer):
    """The lump-sum compensation: the balance of the account, paid once, if a case applies."""

    payments = SavingsPaymentSerializer(many=True, help_text="Empty when not payable.")
    breakdown = LumpSumBreakdownSerializer()


class AdvanceBreakdownSerializer(AccountBreakdownSerializer):
    rate = serializers.CharField(help_text="Share of the balance.")
    cap = money_field(help_text="The most the advance may be, JD.")
    wage_max = serializers.CharField(help_text="The last insured wage must be below this, JD.")


class AdvanceFigureSerializer(FigureSerializer):
    """An advance from the lump-sum account: ``amount`` is the total, ``payments`` each one."""

    payments = SavingsPaymentSerializer(many=True, help_text="Empty when not payable.")
    breakdown = AdvanceBreakdownSerializer()


# --- Views -----------------------------------------------------------------------------------

SHARE_RULES = (
    "The lump-sum value is the total insured wages × lump.rate_upto_120 up to "
    "lump.band1_max_contributions contributions, lump.rate_121_215 up to "
    "lump.band2_max_contributions, lump.rate_from_216 beyond (rounded half up to the fils), less "
    "the advances drawn."
)
LUMP_SUM_EXAMPLE = {  # 58432.125 × 12% = 7011.855 (tests/test_lump_sum.py)
    "request_date": "2026-05-20",
    "contributions": 130,
    "total_insured_wages": "58432.125",
    "sex": "M",
    "birth_date": "1988-02-11",
    "is_jordanian": False,
    "service_ended": True,
}
ACCOUNT_EXAMPLE = {"contributions": 100, "total_insured_wages": "50000.000", "advances_drawn": "0"}


@calculator_schema(
    name="lump_sum",
    input_serializer=LumpSumInputSerializer,
    figure_serializer=LumpSumFigureSerializer,
    summary="Lump-sum compensation",
    description=f"Which case of the lump sum applies and its amount, from explicit inputs. "
    f"{SHARE_RULES} Cases: lump.single_woman_age, lump.late_age_men, lump.late_age_women, "
    "lump.late_max_contributions, lump.late_uncovered_months, oldage.age_men, "
    "oldage.age_women, oldage.min_contributions (in force on the request date).",
    examples=[
        OpenApiExample(
            "A non-Jordanian whose coverage ended, 130 contributions",
            request_only=True,
            value=LUMP_SUM_EXAMPLE,
        )
    ],
)
class LumpSumCalculatorView(CalculatorView):
    input_serializer_class = LumpSumInputSerializer
    calculator = staticmethod(lump_sum)
    rules_date_field = "request_date"


def advance_view(
    name: str,
    input_serializer: type[AdvanceInputSerializer],
    calculator,
    *,
    summary: str,
    description: str,
    example: tuple[str, dict],
) -> type[CalculatorView]:
    """The calculator view of an advance, documented in the schema."""
    title, inputs = example
    view = type(
        f"{name.title().replace('_', '')}CalculatorView",
        (CalculatorView,),
        {
            "input_serializer_class": input_serializer,
            "calculator": staticmethod(calculator),
            "rules_date_field": "request_date",
        },
    )
    return calculator_schema(
        name=name,
        input_serializer=input_serializer,
        figure_serializer=AdvanceFigureSerializer,
        summary=summary,
        description=f"{SHARE_RULES} {description}",
        examples=[OpenApiExample(title, request_only=True, value={**ACCOUNT_EXAMPLE, **inputs})],
    )(view)


Tamkeen2CalculatorView = advance_view(
    "tamkeen2_advance",
    Tamkeen2InputSerializer,
    tamkeen2_advance,
    summary="Tamkeen Iqtisadi 2: advance from the lump-sum account",
    description="The advance is tamkeen2.rate × the balance, at most tamkeen2.cap (Jordanians) "
    "or tamkeen2.cap_non_jordanian, for a last insured wage below tamkeen2.wage_max; paid once.",
    example=(
        "A Jordanian in 2021",
        {"request_date": "2021-04-01", "last_insured_wage": "900.000", "is_jordanian": True},
    ),
)
Musaned3CalculatorView = advance_view(
    "musaned3_advance",
    Musaned3InputSerializer,
    musaned3_advance,
    summary="Musaned 3: advance from the lump-sum account",
    description="The advance is musaned3.rate × the balance, at most musaned3.cap; optional "
    "subscribers musaned3.optional_rate, at most musaned3.optional_monthly_cap a month; for a "
    "last insured wage below musaned3.wage_max; in musaned3.months monthly payments (rounded "
    "down to the fils, the last takes the remainder).",
    example=(
        "An optional subscriber",
        {"request_date": "2021-06-01", "last_insured_wage": "450", "optional_subscriber": True},
    ),
)
TamkeenRetirementCalculatorView = advance_view(
    "tamkeen_retirement_advance",
    AdvanceInputSerializer,
    tamkeen_retirement_advance,
    summary="Tamkeen advance from the retirement account",
    description="The advance is tamkeen_ret.rate × the balance, at most tamkeen_ret.cap, for a "
    "last insured wage below tamkeen_ret.wage_max; paid once. These rule rows are provisional "
    "defaults.",
    example=("A wage of 600 JD", {"request_date": "2021-04-01", "last_insured_wage": "600"}),
)


urlpatterns = [
    path("v1/calculators/lump-sum", LumpSumCalculatorView.as_view(), name="calculator_lump_sum"),
    path(
        "v1/calculators/tamkeen2-advance",
        Tamkeen2CalculatorView.as_view(),
        name="calculator_tamkeen2_advance",
    ),
    path(
        "v1/calculators/musaned3-advance",
        Musaned3CalculatorView.as_view(),
        name="calculator_musaned3_advance",
    ),
    path(
        "v1/calculators/tamkeen-retirement-advance",
        TamkeenRetirementCalculatorView.as_view(),
        name="calculator_tamkeen_retirement_advance",
    ),
]

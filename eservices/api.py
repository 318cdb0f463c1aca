"""The public JSON API: the service catalogue and the calculators (OpenAPI by drf-spectacular).

A calculator endpoint is an input serializer, a calculation function and the figure it returns:
subclass ``CalculatorView``, set ``input_serializer_class`` and ``calculator`` (a function taking
the validated data as keyword arguments and returning an object with ``as_json()``), and document
it with ``calculator_schema(...)``. The views stay thin; the rules live in the functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.exceptions import ServiceError
from individuals.benefits.maternity import maternity_allowance

from .catalogue import SERVICES
from .registry import Kind, Service
from .rules import RuleMissing

AUDIENCE_CHOICES = tuple(dict.fromkeys(s.audience for s in SERVICES))
KIND_CHOICES = tuple(k.value for k in Kind)


# --- Catalogue -------------------------------------------------------------------------------


class ServiceSerializer(serializers.Serializer):
    """One e-service of the catalogue (read-only: the catalogue is code, not data)."""

    code = serializers.CharField(help_text="Stable code of the service, e.g. acc.login.")
    name_ar = serializers.SerializerMethodField()
    name_en = serializers.SerializerMethodField()
    audience = serializers.ChoiceField(choices=AUDIENCE_CHOICES)
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    implemented = serializers.BooleanField(help_text="The service works end to end in the portal.")
    url = serializers.CharField(
        allow_null=True, help_text="Absolute path of the service page; null until implemented."
    )

    def get_name_ar(self, obj: Service) -> str:
        with override("ar"):
            return str(obj.name)

    def get_name_en(self, obj: Service) -> str:
        with override("en"):
            return str(obj.name)


class ServiceFilterSerializer(serializers.Serializer):
    """Query parameters of the catalogue; both optional."""

    audience = serializers.ChoiceField(
        choices=AUDIENCE_CHOICES, required=False, help_text="Only the services of this audience."
    )
    implemented = serializers.BooleanField(
        required=False, help_text="true: only the implemented services; false: only the others."
    )


def filter_services(
    services: Iterable[Service], *, audience: str | None = None, implemented: bool | None = None
) -> list[Service]:
    return [
        s
        for s in services
        if (audience is None or s.audience == audience)
        and (implemented is None or s.implemented == implemented)
    ]


# --- Errors (documentation of the 400/429 bodies) --------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "description": "Errors of single items, by their index in the list.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        ]
    }
)
class _ItemErrorsField(serializers.JSONField):
    """Errors of a list input: messages about the list, or messages by item index."""


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@cache
def errors_serializer(input_serializer_class: type[serializers.Serializer]):
    """A serializer documenting the 400 body of an input serializer: messages by field name."""
    fields: dict[str, serializers.Field] = {}
    for name, field in input_serializer_class().fields.items():
        if isinstance(field, serializers.ListField):
            fields[name] = _ItemErrorsField(required=False)
        else:
            fields[name] = serializers.ListField(child=serializers.CharField(), required=False)
    fields[api_settings.NON_FIELD_ERRORS_KEY] = serializers.ListField(
        child=serializers.CharField(), required=False
    )
    fields["detail"] = serializers.CharField(
        required=False,
        help_text="Set instead of field errors when the request cannot be read (not JSON).",
    )
    name = input_serializer_class.__name__.removesuffix("Serializer") + "ErrorsSerializer"
    return type(
        name,
        (serializers.Serializer,),
        {**fields, "__doc__": "Invalid input: the messages, in the request language, by field."},
    )


# --- Views: catalogue ------------------------------------------------------------------------


class ServiceListView(APIView):
    """The whole e-service catalogue. It is code, so the view runs no SQL and needs no transaction."""

    permission_classes = [AllowAny]

    @classmethod
    def as_view(cls, **initkwargs):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    @extend_schema(
        operation_id="services_list",
        summary="The e-service catalogue",
        description="Every e-service with its stable code, Arabic and English names, audience "
        "and kind; implemented services have the path of their page.",
        tags=["catalogue"],
        parameters=[ServiceFilterSerializer],
        responses={
            200: ServiceSerializer(many=True),
            400: errors_serializer(ServiceFilterSerializer),
        },
    )
    def get(self, request):
        filters = ServiceFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        services = filter_services(SERVICES, **filters.validated_data)
        return Response(ServiceSerializer(services, many=True).data)


# --- Calculators: shared pieces --------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
        "example": "2025-03",
        "description": "A month as YYYY-MM, or any date of it as YYYY-MM-DD.",
    }
)
class MonthField(serializers.Field):
    """A calendar month, given as "YYYY-MM" or as a date; the value is its first day."""

    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM or a date as YYYY-MM-DD."),
    }

    def to_internal_value(self, data) -> dt.date:
        if isinstance(data, dt.datetime):
            self.fail("invalid")
        if isinstance(data, dt.date):
            return data.replace(day=1)
        if isinstance(data, str):
            text = data.strip()
            try:
                if m := MONTH_RE.match(text):
                    return dt.date(int(m[1]), int(m[2]), 1)
                if DATE_RE.match(text):
                    return dt.date.fromisoformat(text).replace(day=1)
            except ValueError:
                pass
        self.fail("invalid")

    def to_representation(self, value: dt.date) -> str:
        return value.strftime("%Y-%m")


def money_field(**kwargs) -> serializers.DecimalField:
    """An amount in JD with up to 3 decimals (fils); Decimal in, string out, never a float."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=3, coerce_to_string=True, **kwargs
    )


def rule_value_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=None, coerce_to_string=True, **kwargs
    )


class WorkingLineSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="In the request language.")
    value = serializers.CharField()
    formula = serializers.CharField(allow_blank=True)


class RuleRowSerializer(serializers.Serializer):
    """An effective-dated rule row the calculation used."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    value = rule_value_field()
    effective_from = serializers.DateField()
    is_default = serializers.BooleanField(
        help_text="A default value not yet confirmed: the figure is provisional."
    )
    source = serializers.CharField(allow_blank=True)
    description_ar = serializers.CharField(allow_blank=True)
    description_en = serializers.CharField(allow_blank=True)


class WorkingSerializer(serializers.Serializer):
    lines = WorkingLineSerializer(many=True)
    rules = RuleRowSerializer(many=True)
    provisional = serializers.BooleanField()


class FigureSerializer(serializers.Serializer):
    """The result of a calculator, with the working that shows how it was reached."""

    payable = serializers.BooleanField()
    amount = money_field(allow_null=True, help_text="JD with 3 decimals; null when not payable.")
    currency = serializers.ChoiceField(choices=["JOD"])
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why it is not payable, in the request language (empty when payable).",
    )
    working = WorkingSerializer()


class CalculatorThrottle(AnonRateThrottle):
    """Anonymous callers, per address; the rate is REST_FRAMEWORK's "calculator" throttle rate."""

    scope = "calculator"


class CalculatorView(APIView):
    """POST the inputs as JSON, get the figure's ``as_json()``.

    Subclasses set ``input_serializer_class``, ``calculator`` (wrap it in ``staticmethod``) and
    ``rules_date_field``: the input whose date selects the rule rows, where a missing rule is
    reported.
    """

    permission_classes = [AllowAny]
    throttle_classes = [CalculatorThrottle]
    input_serializer_class: type[serializers.Serializer]
    calculator: Callable[..., Any]
    rules_date_field: str | None = None

    def post(self, request):
        serializer = self.input_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            figure = self.calculator(**serializer.validated_data)
        except RuleMissing as exc:  # its message names the rule: not for the caller
            field = self.rules_date_field or api_settings.NON_FIELD_ERRORS_KEY
            raise ValidationError({field: [RuleMissing.default_message]}) from exc
        except ServiceError as exc:
            field = exc.field or api_settings.NON_FIELD_ERRORS_KEY
            raise ValidationError({field: [exc.message]}) from exc
        return Response(figure.as_json())


def calculator_schema(
    *,
    name: str,
    input_serializer: type[serializers.Serializer],
    figure_serializer: type[serializers.Serializer],
    summary: str,
    description: str = "",
    examples: list[OpenApiExample] | None = None,
):
    """The OpenAPI description of a ``CalculatorView`` subclass (use as a class decorator)."""
    operation = extend_schema(
        operation_id=f"calculators_{name}",
        summary=summary,
        description=description,
        tags=["calculators"],
        request=input_serializer,
        responses={
            200: figure_serializer,
            400: OpenApiResponse(
                errors_serializer(input_serializer),
                description="Invalid input, or no rule in force on the date given.",
            ),
            429: OpenApiResponse(DetailSerializer, description="Too many requests."),
        },
        examples=examples or [],
    )
    return extend_schema_view(post=operation)


# --- Calculator: maternity allowance ---------------------------------------------------------


class MaternityInputSerializer(serializers.Serializer):
    birth_date = serializers.DateField(help_text="Date of the birth (YYYY-MM-DD).")
    last_insured_wage = money_field(
        min_value=Decimal("0"),
        help_text="Wage of the last contribution month before the birth, JD (up to 3 decimals).",
    )
    contribution_months = serializers.ListField(
        child=MonthField(),
        allow_empty=True,
        max_length=600,
        help_text="Months with a contribution; only the months of the window before the birth "
        "month count, each once.",
    )
    is_woman = serializers.BooleanField(default=True)


class MaternityFigureSerializer(FigureSerializer):
    """The maternity allowance: paid once, last insured wage ÷ 30 × paid leave days."""


@calculator_schema(
    name="maternity",
    input_serializer=MaternityInputSerializer,
    figure_serializer=MaternityFigureSerializer,
    summary="Maternity allowance",
    description="Eligibility and amount of the maternity allowance from explicit inputs. "
    "Rule rows used: maternity.min_contributions, maternity.window_months, "
    "maternity.leave_days (in force on the birth date).",
    examples=[
        OpenApiExample(
            "Twelve months of contributions",
            request_only=True,
            value={
                "birth_date": "2026-03-10",
                "last_insured_wage": "875.500",
                "contribution_months": [
                    *(f"2025-{m:02d}" for m in range(3, 13)),
                    "2026-01",
                    "2026-02",
                ],
                "is_woman": True,
            },
        )
    ],
)
class MaternityCalculatorView(CalculatorView):
    input_serializer_class = MaternityInputSerializer
    calculator = staticmethod(maternity_allowance)
    rules_date_field = "birth_date"

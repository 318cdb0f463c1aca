"""This app's JSON endpoints, mounted under /api/ by eservices/api_urls.py."""

from django.urls import path

from .api import HouseholdEntitlementView

urlpatterns: list = [
    path(
        "v1/calculators/household-entitlement",
        HouseholdEntitlementView.as_view(),
        name="calculator_household_entitlement",
    ),
]

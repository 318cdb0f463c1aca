"""The money side's JSON endpoints, mounted under /api/ by eservices/api_urls.py (the biller
interface of the bill-payment network lives in network_api.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

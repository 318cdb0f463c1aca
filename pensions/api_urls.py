"""This app's JSON endpoints, mounted under /api/ by eservices/api_urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

"""/payments/…: each part of the money side mounts its own URL module."""

from django.urls import include, path

from . import urls_exemptions, urls_network, urls_statements, urls_subscriptions

app_name = "payments"
urlpatterns = [
    path("", include(urls_statements)),
    path("", include(urls_network)),
    path("", include(urls_subscriptions)),
    path("", include(urls_exemptions)),
]

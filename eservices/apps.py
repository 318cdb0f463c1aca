from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    """The e-service engine every app shares: catalogue, requests, documents, notifications, rules."""

    name = "eservices"
    verbose_name = _("E-services")

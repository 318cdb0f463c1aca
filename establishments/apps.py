from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstablishmentsConfig(AppConfig):
    name = "establishments"
    verbose_name = _("Establishments")

    def ready(self) -> None:
        # Request services of establishments declare themselves on the e-service engine.
        from . import requests  # noqa: F401
        from .programmes import declarations  # noqa: F401

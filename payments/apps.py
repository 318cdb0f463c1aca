from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Contributions, statements and bill payments (built in a later issue)."""

    name = "payments"
    verbose_name = _("Payments")

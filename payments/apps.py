import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Modules that declare this app's services on the e-service engine (register / register_page).
DECLARING_MODULES = (
    "payments.declare_statements",
    "payments.declare_network",
    "payments.declare_subscriptions",
    "payments.declare_exemptions",
)


class PaymentsConfig(AppConfig):
    """Contributions, statements, bill payments, subscriptions, cards and instalments."""

    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from . import sqlite

        sqlite.install()  # exact sums of money on SQLite (nothing on PostgreSQL)
        for name in DECLARING_MODULES:
            importlib.import_module(name)

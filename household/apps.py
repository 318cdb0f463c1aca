from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdConfig(AppConfig):
    """The household social security of the second source (the Saudi developed model): hh.*."""

    name = "household"
    verbose_name = _("Household social security")

    def ready(self) -> None:
        from eservices.declarations import register_page

        # Request services, declared on the shared engine.
        from . import application, changes  # noqa: F401

        # Services that are pages of this app.
        register_page("hh.register", "household:register")
        register_page("hh.entitlement", "household:entitlement")
        register_page("hh.review", "household:review")
        register_page("hh.payment", "household:payments")
        register_page("hh.update", "household:update")

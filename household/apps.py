from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdConfig(AppConfig):
    """The household social security of the second source (the Saudi developed model): hh.*."""

    name = "household"
    verbose_name = _("Household social security")

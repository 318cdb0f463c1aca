from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    """Retirement and household pensions (built in later issues)."""

    name = "pensions"
    verbose_name = _("Pensions")

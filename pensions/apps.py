from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    """Retirement: the expected-pension calculator, pension requests, payroll and retiree loans."""

    name = "pensions"
    verbose_name = _("Pensions")

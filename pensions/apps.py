from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    """Retirement: the expected-pension calculator, pension requests, payroll and retiree loans."""

    name = "pensions"
    verbose_name = _("Pensions")

    def ready(self) -> None:
        from eservices.declarations import register_page

        # Request services declare themselves on the e-service engine.
        from . import request_services  # noqa: F401

        register_page("calc.expected-pension", "pensions:calculator")
        register_page("ret.pension-details", "pensions:details")
        register_page("ret.pension-history", "pensions:history")
        register_page("ret.dependents", "pensions:dependants")
        register_page("ret.decision-notice", "pensions:decision_notice")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndividualsConfig(AppConfig):
    name = "individuals"
    verbose_name = _("Individuals")

    def ready(self) -> None:
        # Request services of individuals declare themselves on the e-service engine.
        from .benefits import (  # noqa: F401
            home_care_service,
            injury_service,
            lump_sum_service,
            maternity_service,
            unemployment_service,
        )

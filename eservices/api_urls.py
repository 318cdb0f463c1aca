"""URLs of the JSON API, included under /api/ by config.urls."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from household import api_urls as household_api
from individuals.benefits import api_lump_sum, api_unemployment
from payments import api_urls as payments_api
from pensions import api_urls as pensions_api

from . import api

app_name = "api"
urlpatterns = [
    path("v1/services", api.ServiceListView.as_view(), name="services"),
    path(
        "v1/calculators/maternity",
        api.MaternityCalculatorView.as_view(),
        name="calculator_maternity",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Calculators of the benefit services, each module mounting its own paths under v1/calculators/
    *api_unemployment.urlpatterns,
    *api_lump_sum.urlpatterns,
    # Each app's own endpoints (calculators, the bill-payment network's biller interface)
    *pensions_api.urlpatterns,
    *household_api.urlpatterns,
    *payments_api.urlpatterns,
]

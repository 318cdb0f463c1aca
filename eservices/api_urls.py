"""URLs of the JSON API, included under /api/ by config.urls."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from individuals.benefits import api_lump_sum, api_unemployment

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
]

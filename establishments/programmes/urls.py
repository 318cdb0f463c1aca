"""/establishments/programmes/…: the nursery inquiries. No app_name: the names join the
establishments namespace (establishments:nursery_covered, establishments:nursery_operating_costs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("nursery/covered/", views.nursery_covered, name="nursery_covered"),
    path(
        "nursery/operating-costs/",
        views.nursery_operating_costs,
        name="nursery_operating_costs",
    ),
]

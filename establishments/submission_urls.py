"""URLs of the establishments app (see establishments/urls.py): movements and wage files."""

from django.urls import path

from . import submission_views as views
from .models import Submission

K = Submission.Kind

urlpatterns = [
    path("movements/start/", views.send, {"kind": K.START_MOVEMENTS}, name="movements_start"),
    path("movements/stop/", views.send, {"kind": K.STOP_MOVEMENTS}, name="movements_stop"),
    path(
        "movements/previous-years/",
        views.send,
        {"kind": K.PREV_YEARS_MOVEMENTS},
        name="movements_prev_years",
    ),
    path("movements/", views.movements_list, name="movements_list"),
    path("movements/submissions/", views.movements_submissions, name="movements_submissions"),
    path("wages/january/", views.send, {"kind": K.JANUARY_WAGES}, name="wages_january"),
    path("wages/monthly/", views.send, {"kind": K.MONTHLY_WAGES}, name="wages_monthly"),
    path(
        "wages/previous-years/",
        views.send,
        {"kind": K.PREV_YEARS_WAGES},
        name="wages_prev_years",
    ),
    path("wages/submissions/", views.wages_submissions, name="wages_submissions"),
    path("submissions/<int:pk>/", views.detail, name="submissions_detail"),
    path("submissions/<int:pk>/confirm/", views.confirm, name="submissions_confirm"),
    path("submissions/<int:pk>/errors/", views.errors_file, name="submissions_errors"),
    path(
        "submissions/template/<str:kind>/",
        views.template_file,
        name="submissions_template",
    ),
]

from django.urls import path

from . import views

app_name = "pensions"
urlpatterns = [
    path("expected-pension/", views.calculator, name="calculator"),
    path("my-pension/", views.details, name="details"),
    path("my-pension/payments/", views.history, name="history"),
    path("my-pension/dependants/", views.dependants, name="dependants"),
    path("my-pension/decision-notice/", views.decision_notice, name="decision_notice"),
    path(
        "my-pension/decision-notice/print/",
        views.decision_notice_print,
        name="decision_notice_print",
    ),
    path("my-pension/loan/", views.loan, name="loan"),
]

"""Account statements of every kind: one view. ``payments:statement`` takes the account kind
(establishment, optional, self_employed); est_statement and opt_statement are its catalogue pages."""

from django.urls import path

from .statements import views

urlpatterns = [
    path(
        "statement/establishment/",
        views.statement,
        {"kind": "establishment"},
        name="est_statement",
    ),
    path("statement/optional/", views.statement, {"kind": "optional"}, name="opt_statement"),
    path("statement/<str:kind>/", views.statement, name="statement"),
    path("statement/<str:kind>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("statement/<str:kind>/<str:number>/", views.statement, name="account_statement"),
]

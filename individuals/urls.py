from django.urls import path

from . import views

app_name = "individuals"
urlpatterns = [
    path("register/", views.register_choose, name="register"),
    path("register/jordanian/", views.register_jordanian, name="register_jordanian"),
    path("register/non-jordanian/", views.register_non_jordanian, name="register_non_jordanian"),
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("statement/", views.statement, name="statement"),
    path("statement/print/", views.statement_print, name="statement_print"),
]

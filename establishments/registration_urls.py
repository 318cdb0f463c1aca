"""URLs of the establishment registration wizard (see establishments/urls.py)."""

from django.urls import path

from . import registration_views as views

urlpatterns: list = [
    path("register/", views.register, name="register"),
    path("register/document/<int:pk>/", views.register_document, name="register_document"),
    path("register/<str:token>/", views.register_resume, name="register_resume"),
    path(
        "register/<str:token>/establishment/",
        views.register_establishment,
        name="register_establishment",
    ),
    path("register/<str:token>/owners/", views.register_owners, name="register_owners"),
    path("register/<str:token>/officer/", views.register_officer, name="register_officer"),
    path("register/<str:token>/check/", views.register_check, name="register_check"),
    path("register/<str:token>/done/", views.register_done, name="register_done"),
]

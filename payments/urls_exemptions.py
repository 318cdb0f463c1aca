"""/payments/… pages of cards and exemptions (mounted by payments/urls.py)."""

from django.urls import path

from . import views_exemptions as views

urlpatterns = [
    path("card/", views.my_card, name="my_card"),
    path("exemptions/", views.exemption_documents, name="exemption_documents"),
    path("exemptions/<int:pk>/print/", views.exemption_print, name="exemption_print"),
    path("exemptions/<int:pk>/notes/", views.exemption_notes, name="exemption_notes"),
    path("exemptions/<int:pk>/cancel/", views.exemption_cancel, name="exemption_cancel"),
]

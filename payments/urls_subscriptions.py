"""/payments/…: the optional subscriber's, the self-employed subscriber's and the vehicle owners'
pages (the requests themselves are on the e-service engine: payments/declare_subscriptions.py)."""

from django.urls import path

from .subscriptions import views

urlpatterns = [
    path("optional/", views.optional_basic_data, name="optional_basic_data"),
    path("optional/payments/", views.optional_payments, name="optional_payments"),
    path("self-employment/", views.self_account, name="self_account"),
    path("vehicles/", views.driver_cards, name="driver_cards"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("drivers/<int:pk>/card/", views.driver_card_print, name="driver_card_print"),
]

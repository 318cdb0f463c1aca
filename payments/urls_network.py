"""The payment pages (payment_views.py), under /payments/pay/."""

from django.urls import path

from . import payment_views as views

urlpatterns = [
    path("pay/contributions/", views.pay_contributions, name="pay_contributions"),
    path("pay/instalments/", views.pay_installments, name="pay_installments"),
    path("pay/subscription/", views.opt_pay, name="opt_pay"),
    path("pay/card/", views.card_instant_pay, name="card_instant_pay"),
    path("pay/bills/<str:number>/", views.bill_print, name="bill_print"),
    path("pay/bills/<str:number>/simulate/", views.simulate_pay, name="simulate_pay"),
]

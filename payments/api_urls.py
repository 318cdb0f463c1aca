"""The money side's JSON endpoints, mounted under /api/ by eservices/api_urls.py: the biller
interface of the bill-payment network (network_api.py, docs/payments-network.md)."""

from django.urls import path

from . import network_api

urlpatterns: list = [
    path(
        "efawateercom/v1/bill-inquiry",
        network_api.bill_inquiry,
        name="efw_bill_inquiry",
    ),
    path(
        "efawateercom/v1/payment-notification",
        network_api.payment_notification,
        name="efw_payment_notification",
    ),
]

"""Types of the service catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    ACCOUNT = "account"
    INQUIRY = "inquiry"
    REQUEST = "request"
    PAYMENT = "payment"
    DOCUMENT = "document"
    CALCULATOR = "calculator"

    @property
    def label(self):
        return {
            "account": _("Account"),
            "inquiry": _("Inquiry"),
            "request": _("Request"),
            "payment": _("Payment"),
            "document": _("Document"),
            "calculator": _("Calculator"),
        }[self.value]


@dataclass(frozen=True)
class Group:
    key: str
    name: object
    audience: str


@dataclass(frozen=True)
class Service:
    code: str
    name: object
    audience: str
    kind: Kind
    group: str
    url_name: str | None = None

    @property
    def page(self) -> str | None:
        """The URL name of its page: set in the catalogue or declared by its app."""
        from .declarations import PAGE_SERVICES

        return self.url_name or PAGE_SERVICES.get(self.code)

    @property
    def implemented(self) -> bool:
        from .declarations import REQUEST_SERVICES

        return self.page is not None or self.code in REQUEST_SERVICES

    @property
    def url(self) -> str | None:
        from .declarations import REQUEST_SERVICES

        if self.code in REQUEST_SERVICES:
            return reverse("eservices:request_start", args=[self.code])
        return reverse(self.page) if self.page else None

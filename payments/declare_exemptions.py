"""Declarations of cards and exemptions on the e-service engine: card.issue and
est.exemption-request are requests; est.exemption-documents is a page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from eservices.declarations import RequestService, register, register_page

from . import cards, exemptions

CARD_ISSUE = register(
    RequestService(
        code=cards.CODE,
        form_class=cards.CardIssueForm,
        who=gettext_lazy(
            "An insured person or a pensioner with a record at the Corporation who has no "
            "active debit card."
        ),
        decision_days=7,
        reference_prefix="CARD",
        eligibility=cards.eligibility,
        on_approve=cards.on_approve,
    )
)

EXEMPTION_REQUEST = register(
    RequestService(
        code=exemptions.CODE,
        form_class=exemptions.ExemptionRequestForm,
        who=gettext_lazy(
            "The liaison officer of an active establishment that owes late-payment penalties "
            "on contributions up to the programme's cut-off month, with no active instalment "
            "plan. The penalties are waived if the principal is paid, in full or in monthly "
            "instalments after a down payment (provisional programme figures)."
        ),
        decision_days=14,
        reference_prefix="EXM",
        audience="establishment",
        eligibility=exemptions.eligibility,
        compute=exemptions.compute,
        on_approve=exemptions.on_approve,
    )
)

register_page(exemptions.DOCUMENTS_CODE, "payments:exemption_documents")

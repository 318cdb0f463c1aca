"""The payment pages of the money side, declared on the e-service engine (payment_views.py)."""

from eservices.declarations import register_page

register_page("est.pay-contributions", "payments:pay_contributions")
register_page("est.pay-installments", "payments:pay_installments")
register_page("opt.pay", "payments:opt_pay")
register_page("card.instant-pay", "payments:card_instant_pay")

"""Declarations of this part of the money side on the e-service engine: the statements are pages.
(The self-employment statement is payments:statement with kind "self_employed", linked from
self.account.)"""

from eservices.declarations import register_page

register_page("est.statement", "payments:est_statement")
register_page("opt.statement", "payments:opt_statement")

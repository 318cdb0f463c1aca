"""The service catalogue: every e-service of the two source documents, with its stable code.

Generated once from ../shared/domain/SERVICES.md and kept by hand since. A service is marked
implemented only when it works end to end: then ``url_name`` names its page.
"""

from django.utils.translation import gettext_lazy as _

from .registry import Group, Kind, Service

GROUPS = (
    Group("accounts", _("Registration and sign-in"), "public"),
    Group("my_data", _("My data in social security"), "individual"),
    Group("retirees", _("Retirees"), "individual"),
    Group("calculators", _("Virtual calculation services"), "individual"),
    Group("optional", _("Optional subscribers"), "individual"),
    Group("self_employment", _("Self-employment coverage services"), "individual"),
    Group("work_injury", _("Work injury insurance"), "individual"),
    Group("lump_sum", _("Lump-sum compensation"), "individual"),
    Group("maternity", _("Maternity services"), "individual"),
    Group("unemployment", _("Unemployment services"), "individual"),
    Group("defense_orders", _("Defense order services"), "individual"),
    Group("debit_card", _("Debit card"), "individual"),
    Group("details", _("Detailed data"), "establishment"),
    Group("edit_info", _("Edit establishment information"), "establishment"),
    Group("est_defense_orders", _("Defense order services"), "establishment"),
    Group("start_movements", _("Coverage-start movements"), "establishment"),
    Group("stop_movements", _("Coverage-stop movements"), "establishment"),
    Group("january_wages", _("January wages"), "establishment"),
    Group("est_injuries", _("Work injuries"), "establishment"),
    Group("pay", _("Paying financial dues"), "establishment"),
    Group("to_whom", _("To whom it may concern letter"), "establishment"),
    Group(
        "letters", _("Official letters and correspondence from the establishment"), "establishment"
    ),
    Group("prev_years", _("Completing data of previous years"), "establishment"),
    Group("exemptions", _("Requesting exemptions"), "establishment"),
    Group("nursery", _("Nursery care service"), "establishment"),
    Group(
        "riaya", _("Ri'aya insurance programme / King Hussein Cancer Foundation"), "establishment"
    ),
    Group("hafez", _("Hafez programme"), "establishment"),
    Group("startup", _("Entrepreneurial establishments"), "establishment"),
    Group("est_driver", _("Add a driver to a vehicle"), "establishment"),
    Group("household", _("Developed social security"), "household"),
)

SERVICES = (
    Service(
        "acc.register-jordanian",
        _("Register a Jordanian individual"),
        "public",
        Kind.ACCOUNT,
        "accounts",
        url_name="individuals:register_jordanian",
    ),
    Service(
        "acc.register-non-jordanian",
        _("Register a non-Jordanian individual"),
        "public",
        Kind.ACCOUNT,
        "accounts",
        url_name="individuals:register_non_jordanian",
    ),
    Service(
        "acc.register-establishment",
        _("Register an establishment"),
        "public",
        Kind.ACCOUNT,
        "accounts",
    ),
    Service(
        "acc.login",
        _("Sign in to the e-services"),
        "public",
        Kind.ACCOUNT,
        "accounts",
        url_name="accounts:login",
    ),
    Service(
        "acc.password-reset",
        _("Reset the password"),
        "public",
        Kind.ACCOUNT,
        "accounts",
        url_name="accounts:password_reset",
    ),
    Service(
        "ind.detailed-statement",
        _("Detailed insurance statement: periods, employers, wages, contribution months"),
        "individual",
        Kind.INQUIRY,
        "my_data",
        url_name="individuals:statement",
    ),
    Service(
        "ind.dashboard",
        _("My information dashboard"),
        "individual",
        Kind.INQUIRY,
        "my_data",
        url_name="individuals:dashboard",
    ),
    Service(
        "ret.loan-reschedule",
        _("Reschedule a retiree loan"),
        "individual",
        Kind.REQUEST,
        "retirees",
    ),
    Service(
        "ret.pension-history",
        _("Historical pension payments"),
        "individual",
        Kind.INQUIRY,
        "retirees",
    ),
    Service(
        "ret.decision-notice",
        _("Retirement decision notice"),
        "individual",
        Kind.DOCUMENT,
        "retirees",
    ),
    Service(
        "ret.dependents-update", _("Update dependants"), "individual", Kind.REQUEST, "retirees"
    ),
    Service(
        "ret.pension-details",
        _("Pension details (components)"),
        "individual",
        Kind.INQUIRY,
        "retirees",
    ),
    Service(
        "ret.old-age-request", _("Old-age pension request"), "individual", Kind.REQUEST, "retirees"
    ),
    Service(
        "ret.early-request",
        _("Early retirement pension request"),
        "individual",
        Kind.REQUEST,
        "retirees",
    ),
    Service("ret.loan-request", _("Retiree loan request"), "individual", Kind.REQUEST, "retirees"),
    Service("ret.dependents", _("Dependants"), "individual", Kind.INQUIRY, "retirees"),
    Service(
        "calc.expected-pension",
        _("Expected pension calculator"),
        "individual",
        Kind.CALCULATOR,
        "calculators",
    ),
    Service(
        "opt.basic-data",
        _("Optional subscription: basic data"),
        "individual",
        Kind.INQUIRY,
        "optional",
    ),
    Service(
        "opt.payments",
        _("Optional subscription: payments made"),
        "individual",
        Kind.INQUIRY,
        "optional",
    ),
    Service("opt.pay", _("Pay optional contributions"), "individual", Kind.PAYMENT, "optional"),
    Service(
        "opt.continue",
        _("Request to continue optional coverage"),
        "individual",
        Kind.REQUEST,
        "optional",
    ),
    Service(
        "opt.enroll", _("Optional subscription enrolment"), "individual", Kind.REQUEST, "optional"
    ),
    Service("opt.stop", _("Stop optional subscription"), "individual", Kind.REQUEST, "optional"),
    Service(
        "opt.annual-increase",
        _("Change the annual wage-increase percentage"),
        "individual",
        Kind.REQUEST,
        "optional",
    ),
    Service(
        "opt.statement",
        _("Optional subscription account statement"),
        "individual",
        Kind.INQUIRY,
        "optional",
    ),
    Service(
        "self.account",
        _("Self-employment: basic information, account statement, payments"),
        "individual",
        Kind.INQUIRY,
        "self_employment",
    ),
    Service(
        "self.add-driver",
        _("Add a driver to a vehicle"),
        "individual",
        Kind.REQUEST,
        "self_employment",
    ),
    Service(
        "self.driver-card",
        _("Print the driver card"),
        "individual",
        Kind.DOCUMENT,
        "self_employment",
    ),
    Service(
        "self.stop",
        _("Stop self-employment coverage"),
        "individual",
        Kind.REQUEST,
        "self_employment",
    ),
    Service(
        "self.enroll",
        _("Self-employment coverage enrolment"),
        "individual",
        Kind.REQUEST,
        "self_employment",
    ),
    Service(
        "self.bracket-change",
        _("Annual increase or change of coverage bracket"),
        "individual",
        Kind.REQUEST,
        "self_employment",
    ),
    Service(
        "inj.report-by-relative",
        _("Work injury reported by the injured person's family"),
        "individual",
        Kind.REQUEST,
        "work_injury",
    ),
    Service(
        "inj.complaint",
        _("Occupational disease / work injury complaint"),
        "individual",
        Kind.REQUEST,
        "work_injury",
    ),
    Service(
        "lump.re-inquiry",
        _("Inquiry on repaying a lump-sum compensation (to restore service)"),
        "individual",
        Kind.INQUIRY,
        "lump_sum",
        url_name="benefits:lump_re_inquiry",
    ),
    Service(
        "lump.inquiry",
        _("Lump-sum compensation inquiry (entitlement and amount)"),
        "individual",
        Kind.INQUIRY,
        "lump_sum",
        url_name="benefits:lump_inquiry",
    ),
    Service(
        "lump.request", _("Lump-sum compensation request"), "individual", Kind.REQUEST, "lump_sum"
    ),
    Service(
        "mat.care-stop", _("Stop a home-care request"), "individual", Kind.REQUEST, "maternity"
    ),
    Service(
        "mat.allowance", _("Maternity allowance request"), "individual", Kind.REQUEST, "maternity"
    ),
    Service(
        "mat.home-care", _("Home (child) care request"), "individual", Kind.REQUEST, "maternity"
    ),
    Service(
        "unemp.stop", _("Stop unemployment allowance"), "individual", Kind.REQUEST, "unemployment"
    ),
    Service(
        "unemp.request",
        _("Unemployment allowance request"),
        "individual",
        Kind.REQUEST,
        "unemployment",
    ),
    Service(
        "def.musaned1",
        _("Defense order: modified unemployment allowance (Musaned 1)"),
        "individual",
        Kind.REQUEST,
        "defense_orders",
    ),
    Service(
        "def.tamkeen-retirement-advance",
        _("Defense order: Tamkeen advance from the retirement account"),
        "individual",
        Kind.REQUEST,
        "defense_orders",
    ),
    Service(
        "def.tamkeen2-lump-advance",
        _("Defense order: advance from the lump-sum account (Tamkeen Iqtisadi 2)"),
        "individual",
        Kind.REQUEST,
        "defense_orders",
    ),
    Service(
        "def.musaned3-lump-advance",
        _("Defense order: advance from the lump-sum account (Musaned 3)"),
        "individual",
        Kind.REQUEST,
        "defense_orders",
    ),
    Service(
        "def.musaned2-savings",
        _("Defense order: savings balance payout (Musaned 2)"),
        "individual",
        Kind.REQUEST,
        "defense_orders",
    ),
    Service("card.issue", _("Issue a debit card"), "individual", Kind.REQUEST, "debit_card"),
    Service(
        "card.instant-pay",
        _(
            "Instant payment to the debit card through the national bill-payment network (eFAWATEERcom)"
        ),
        "individual",
        Kind.PAYMENT,
        "debit_card",
    ),
    Service(
        "est.injuries",
        _("Work injuries of the establishment's employees"),
        "establishment",
        Kind.INQUIRY,
        "details",
    ),
    Service(
        "est.unentered-wages", _("Wages not yet entered"), "establishment", Kind.INQUIRY, "details"
    ),
    Service(
        "est.active-employees", _("Active employees"), "establishment", Kind.INQUIRY, "details"
    ),
    Service("est.data", _("Establishment data"), "establishment", Kind.INQUIRY, "details"),
    Service(
        "est.employee-data", _("One employee's data"), "establishment", Kind.INQUIRY, "details"
    ),
    Service(
        "est.liaison-data", _("Liaison officer data"), "establishment", Kind.INQUIRY, "details"
    ),
    Service(
        "est.movements-inquiry",
        _("Coverage start / stop movements"),
        "establishment",
        Kind.INQUIRY,
        "details",
    ),
    Service(
        "est.statement",
        _("Establishment account statement"),
        "establishment",
        Kind.INQUIRY,
        "details",
    ),
    Service(
        "est.edit-info",
        _("Edit establishment information"),
        "establishment",
        Kind.REQUEST,
        "edit_info",
    ),
    Service(
        "edef.tadamon-temp-stop",
        _("Temporary stop so workers get unemployment allowance (Tadamon)"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.istidama-unauthorized",
        _("Istidama programme for establishments not authorised to operate"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.istidama-recovery",
        _("Istidama and recovery programme"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.suspend-old-age-3-5",
        _("Suspend old-age coverage for months 3, 4, 5"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.partial-old-age",
        _("Suspend or partial old-age coverage"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.tadamon2",
        _("Cover workers (Tadamon 2)"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "edef.recall", _("Recall request"), "establishment", Kind.REQUEST, "est_defense_orders"
    ),
    Service(
        "edef.himaya",
        _("Modified Himaya programme request"),
        "establishment",
        Kind.REQUEST,
        "est_defense_orders",
    ),
    Service(
        "est.start-movements",
        _("Coverage-start movements: submit (one or a file), list"),
        "establishment",
        Kind.REQUEST,
        "start_movements",
    ),
    Service(
        "est.stop-movements",
        _("Coverage-stop movements: submit (one or a file), list"),
        "establishment",
        Kind.REQUEST,
        "stop_movements",
    ),
    Service(
        "est.january-wages",
        _("January wages: submit a wage file, list of wage-file submissions"),
        "establishment",
        Kind.REQUEST,
        "january_wages",
    ),
    Service(
        "est.injury-notice",
        _("Notify an occupational disease / work injury"),
        "establishment",
        Kind.REQUEST,
        "est_injuries",
    ),
    Service("est.pay-contributions", _("Pay contributions"), "establishment", Kind.PAYMENT, "pay"),
    Service("est.pay-installments", _("Pay due instalments"), "establishment", Kind.PAYMENT, "pay"),
    Service(
        "est.to-whom-letter",
        _('"To whom it may concern" letter'),
        "establishment",
        Kind.DOCUMENT,
        "to_whom",
    ),
    Service(
        "est.complaint", _("Submit a complaint / remarks"), "establishment", Kind.REQUEST, "letters"
    ),
    Service(
        "est.lift-seizure", _("Request to lift a seizure"), "establishment", Kind.REQUEST, "letters"
    ),
    Service(
        "est.official-letter",
        _("Official correspondence from the establishment"),
        "establishment",
        Kind.REQUEST,
        "letters",
    ),
    Service(
        "est.prev-years-wages",
        _("Complete previous years: stops and wages"),
        "establishment",
        Kind.REQUEST,
        "prev_years",
    ),
    Service(
        "est.prev-years-movements",
        _("Complete previous years: start movements"),
        "establishment",
        Kind.REQUEST,
        "prev_years",
    ),
    Service(
        "est.exemption-documents",
        _("Exemption: print the request, print the promissory notes, cancel"),
        "establishment",
        Kind.DOCUMENT,
        "exemptions",
    ),
    Service(
        "est.exemption-request",
        _("Request exemptions under Defense Order 15"),
        "establishment",
        Kind.REQUEST,
        "exemptions",
    ),
    Service(
        "nursery.covered",
        _("Employees covered by nursery care"),
        "establishment",
        Kind.INQUIRY,
        "nursery",
    ),
    Service(
        "nursery.operating-costs",
        _("Operating cost details"),
        "establishment",
        Kind.INQUIRY,
        "nursery",
    ),
    Service("nursery.add-child", _("Add a child"), "establishment", Kind.REQUEST, "nursery"),
    Service(
        "nursery.accredit-care",
        _("Accredit a nursery in the care programme"),
        "establishment",
        Kind.REQUEST,
        "nursery",
    ),
    Service(
        "nursery.accredit-costs",
        _("Accredit a nursery for operating-cost contribution"),
        "establishment",
        Kind.REQUEST,
        "nursery",
    ),
    Service(
        "est.riaya-khcf",
        _("Ri'aya insurance programme with the King Hussein Cancer Foundation"),
        "establishment",
        Kind.REQUEST,
        "riaya",
    ),
    Service(
        "hafez.add-trainees",
        _("Hafez programme: add trainees"),
        "establishment",
        Kind.REQUEST,
        "hafez",
    ),
    Service(
        "hafez.accredit",
        _("Hafez programme: accredit registered companies"),
        "establishment",
        Kind.REQUEST,
        "hafez",
    ),
    Service(
        "startup.old-age-suspension",
        _("Entrepreneurial establishments: suspend or resume old-age coverage"),
        "establishment",
        Kind.REQUEST,
        "startup",
    ),
    Service(
        "startup.benefit",
        _("Entrepreneurial establishments: benefit request"),
        "establishment",
        Kind.REQUEST,
        "startup",
    ),
    Service(
        "est.add-driver",
        _("Add a driver to a vehicle"),
        "establishment",
        Kind.REQUEST,
        "est_driver",
    ),
    Service(
        "hh.register",
        _("Create an account in the e-services portal"),
        "household",
        Kind.ACCOUNT,
        "household",
    ),
    Service("hh.apply", _("Pension insurance service"), "household", Kind.REQUEST, "household"),
    Service("hh.entitlement", _("Pension calculation"), "household", Kind.CALCULATOR, "household"),
    Service("hh.review", _("Application review"), "household", Kind.REQUEST, "household"),
    Service("hh.payment", _("Pension payment"), "household", Kind.PAYMENT, "household"),
    Service("hh.update", _("Update data"), "household", Kind.REQUEST, "household"),
    Service(
        "hh.change-report",
        _("Report a change that affects eligibility"),
        "household",
        Kind.REQUEST,
        "household",
    ),
    Service(
        "hh.breadwinner-change",
        _("Choose a new breadwinner after a court decision"),
        "household",
        Kind.REQUEST,
        "household",
    ),
)

"""The expected-pension calculation (calc.expected-pension, ret.old-age-request, ret.early-request)
against RULES.md "Old-age pension" and "Early retirement": the worked examples of FACTS.md, and
hand-computed cases at every boundary (minimum months, the accrual's wage threshold, the cap, each
early-retirement age band, the new entrants of 2019, the increment's bounds, the minimum pension,
rounding half up once per part). Every expected figure below is worked out by hand in its comment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from eservices.models import Rule
from pensions.calculator import EARLY, OLD_AGE, PENSION_KEYS, expected_pension
from pensions.rulebook import RuleBook
from pensions.selectors import Assumptions, PensionRecord, pension_for_person

pytestmark = pytest.mark.django_db
D = Decimal


def calc(**kw):
    args = {
        "birth_date": dt.date(1960, 1, 1),
        "sex": "M",
        "retirement_date": dt.date(2026, 1, 1),  # age 66
        "contribution_months": 360,
        "average_wage": D("1000.000"),
        "dependants": 0,
    }
    args.update(kw)
    return expected_pension(**args)


def parts(fig) -> tuple[str, str, str, str, str]:
    b = fig.breakdown
    return b["base"], b["increment"], b["supplement"], b["minimum_topup"], b["pension"]


# --- FACTS.md worked examples ------------------------------------------------------------------


class TestFactsWorkedExamples:
    """FACTS.md C2 and C3 are about the pension. C1 (contributions) and C4 (the Saudi household
    pension) are other calculators' examples, tested with them."""

    def test_c2_revaluation_500_at_3_percent_for_14_years_is_756(self):
        """FACTS C2 [J54]: JD 500 (2023), 3% a year, retiring 15 years later → JD 756
        (= 500 × 1.03^14). The calculator's wage-growth assumption raises the last insured wage
        each January: the last month before a retirement on 2038-01-01 is 2037-12, 14 Januaries
        after 2023-12, so its wage is 500 × 1.03^14 = 756.2948… → 756.295 JD (756 in whole JD)."""
        record = PensionRecord(
            birth_date=dt.date(1978, 1, 1),
            sex="M",
            months=tuple(dt.date(2023, m, 1) for m in range(1, 13)),
            wages=(D("500.000"),) * 12,
            first_covered=dt.date(2023, 1, 1),
            covered=True,
        )
        fig = pension_for_person(
            record,
            dt.date(2038, 1, 1),
            Assumptions(wage_growth=D("0.03"), keeps_working=True),
            today=dt.date(2024, 1, 15),
        )
        line = next(x for x in fig.working.lines if "%" in x["label"] and "→" in x["formula"])
        first, last = line["formula"].split(" → ")
        assert first == "515.000"  # 2024: one raise
        assert last == "756.295"
        assert round(D(last)) == 756
        assert line["value"] == "168"  # 2024-01 … 2037-12

    def test_months_gone_by_are_never_assumed(self):
        """Contributions stopped in 2019; "I keep working" from today adds only the months from
        this one (2026-11) to the one before the retirement date (2027-02): 4 months."""
        record = PensionRecord(
            birth_date=dt.date(1966, 1, 1),
            sex="M",
            months=tuple(dt.date(2015 + k // 12, k % 12 + 1, 1) for k in range(60)),
            wages=(D("700.000"),) * 60,
            first_covered=dt.date(2015, 1, 1),
            covered=False,
        )
        fig = pension_for_person(
            record,
            dt.date(2027, 3, 1),
            Assumptions(keeps_working=True),
            today=dt.date(2026, 11, 22),
        )
        line = next(x for x in fig.working.lines if x["formula"] == "700.000 → 700.000")
        assert line["value"] == "4"
        assert fig.breakdown["contribution_months"] == 64

    def test_c3_average_wage_600_and_the_minimum_pension(self):
        """FACTS C3 [J21]: "average wage 600 → minimum 210 (⚠ rule unstated)". RULES.md adopts
        the minimum pension of 200 JD [law J21] and no wage-related minimum, so 210 is not
        reproduced. With an average wage of 600 even the shortest old-age career (180 months)
        is above both figures: 15 × 2.5% × 600 = 225 + 40 = 265 — the minimum is not applied."""
        fig = calc(average_wage=D("600"), contribution_months=180)
        assert parts(fig) == ("225.000", "0.000", "40.000", "0.000", "265.000")
        assert fig.breakdown["minimum"] == "200.000"
        assert fig.breakdown["minimum_applied"] is False

    def test_c3_the_minimum_applies_below_it(self):
        """The minimum of RULES.md where it does apply: average 300, 180 months →
        15 × 2.5% × 300 = 112.500 + 40 = 152.500, raised by 47.500 to 200.000."""
        fig = calc(average_wage=D("300"), contribution_months=180)
        assert parts(fig) == ("112.500", "0.000", "40.000", "47.500", "200.000")
        assert fig.breakdown["minimum_applied"] is True


# --- Old age: eligibility ----------------------------------------------------------------------


class TestOldAgeEligibility:
    @pytest.mark.parametrize(
        ("months", "actual", "payable"),
        [(179, 179, False), (180, 180, True), (180, 83, False), (180, 84, True)],
    )
    def test_minimum_contributions_and_actual_ones(self, months, actual, payable):
        # 180 months of 1000: 15 × 25 = 375 + 40 = 415
        fig = calc(contribution_months=months, actual_contributions=actual, kind=OLD_AGE)
        assert fig.payable is payable
        if payable:
            assert fig.amount == D("415.000")
        else:
            assert fig.amount is None and fig.reasons

    @pytest.mark.parametrize(
        ("sex", "birth", "day", "payable"),
        [
            ("M", dt.date(1966, 1, 10), dt.date(2026, 1, 9), False),  # 59 the day before
            ("M", dt.date(1966, 1, 10), dt.date(2026, 1, 10), True),  # 60 on the birthday
            ("F", dt.date(1971, 1, 10), dt.date(2026, 1, 9), False),  # 54
            ("F", dt.date(1971, 1, 10), dt.date(2026, 1, 10), True),  # 55
        ],
    )
    def test_old_age_age(self, sex, birth, day, payable):
        fig = calc(sex=sex, birth_date=birth, retirement_date=day, kind=OLD_AGE)
        assert fig.payable is payable
        if not payable:
            assert "60" in fig.reasons[0] or "55" in fig.reasons[0]

    def test_the_kind_follows_the_age_when_not_given(self):
        assert calc(birth_date=dt.date(1966, 1, 10), retirement_date=dt.date(2026, 1, 10)).kind == (
            OLD_AGE
        )
        young = calc(birth_date=dt.date(1966, 1, 10), retirement_date=dt.date(2026, 1, 9))
        assert young.kind == EARLY and young.payable  # 59 with 360 actual: early, reduced 2%

    def test_no_wage_is_a_reason(self):
        fig = calc(average_wage=D("0"))
        assert not fig.payable and fig.reasons


# --- The amount: accrual threshold, cap, rounding ---------------------------------------------


class TestAccrualAndCap:
    @pytest.mark.parametrize(
        ("wage", "months", "base"),
        [
            ("1000", 360, "750.000"),  # 30 × 2.5% × 1000 = 750 = the cap, not over it
            ("1500", 240, "750.000"),  # 20 × 2.5% × 1500 = 750: all of it in the lower band
            ("1500.001", 240, "750.000"),  # + 20 × 2% × 0.001 = 0.0004: 750.0004 → 750.000
            ("1600", 240, "790.000"),  # 20 × (37.5 + 2% × 100 = 2) = 790
            ("2000", 240, "950.000"),  # 20 × (37.5 + 10) = 950 (cap 1500)
            ("1000", 361, "750.000"),  # 361/12 × 25 = 752.083… > 750: the cap
            ("2000", 378, "1496.250"),  # 31.5 × 47.5 = 1496.25 ≤ 1500
            ("2000", 379, "1500.000"),  # 379/12 × 47.5 = 1500.208… > 1500: the cap
        ],
    )
    def test_threshold_and_cap(self, wage, months, base):
        fig = calc(average_wage=D(wage), contribution_months=months)
        assert fig.breakdown["base"] == base
        assert fig.amount == D(base) + 40
        capped = {"361", "379"}
        assert fig.breakdown["cap_applied"] is (str(months) in capped)

    def test_rounds_half_up_once_at_the_base(self):
        # 15 × 2.5% × 1000.012 = 375.0045 exactly: half up → 375.005 (half even would be 375.004)
        fig = calc(average_wage=D("1000.012"), contribution_months=180)
        assert fig.breakdown["base"] == "375.005"
        assert fig.amount == D("415.005")

    def test_increment_rounds_half_up_on_the_rounded_base(self):
        # base 20 × 2.5% × 1000.05 = 500.025; two dependants 18% → 90.0045 → 90.005
        fig = calc(average_wage=D("1000.050"), contribution_months=240, dependants=2)
        assert parts(fig) == ("500.025", "90.005", "40.000", "0.000", "630.030")

    def test_reference_wage_is_the_last_60_wages_unrounded(self):
        wages = [D("100")] * 10 + [D("1000")] * 60
        fig = calc(average_wage=None, reference_wages=wages, contribution_months=360)
        assert fig.breakdown["reference_wage"] == "1000.000"
        assert fig.breakdown["reference_months_used"] == 60
        # fewer than 60: all of them; 1000.333… is used unrounded: 15 × 25.00833… = 375.125
        fig = calc(
            average_wage=None,
            reference_wages=[D("1000"), D("1000"), D("1001")],
            contribution_months=180,
        )
        assert fig.breakdown["reference_months_used"] == 3
        assert fig.breakdown["reference_wage_exact"] is False
        assert fig.breakdown["base"] == "375.125"
        line = next(x for x in fig.working.lines if x["formula"] == "3001.000 ÷ 3")
        assert line["value"] == "1000.333…"

    def test_working_adds_up_and_names_its_rules(self):
        fig = calc(dependants=1)
        last = fig.working.lines[-1]
        assert last["value"] == "880.000"  # 750 + 90 + 40 + 0
        assert last["formula"] == "750.000 + 90.000 + 40.000 + 0.000"
        assert {"pension.accrual_low", "pension.cap_ratio", "pension.minimum"} <= set(
            fig.working.rules
        )
        assert fig.working.provisional  # the cap and the supplement are [default] rows

    def test_a_later_rule_row_applies_from_its_date(self):
        Rule.objects.create(
            key="pension.minimum",
            value=D("250"),
            effective_from=dt.date(2030, 1, 1),
            description_ar="الحد الأدنى للراتب التقاعدي (دينار)",
            description_en="Minimum pension (JD)",
        )
        before = calc(
            average_wage=D("300"), contribution_months=180, retirement_date=dt.date(2029, 12, 31)
        )
        after = calc(
            average_wage=D("300"), contribution_months=180, retirement_date=dt.date(2030, 1, 1)
        )
        assert before.amount == D("200.000") and after.amount == D("250.000")
        assert after.working.rules["pension.minimum"].effective_from == dt.date(2030, 1, 1)


# --- Dependants' increment ----------------------------------------------------------------------


class TestIncrement:
    @pytest.mark.parametrize(
        ("wage", "months", "deps", "expected"),
        [
            ("400", 240, 1, ("200.000", "30.000", "40.000", "0.000", "270.000")),  # 24 → 30
            ("500", 240, 1, ("250.000", "30.000", "40.000", "0.000", "320.000")),  # 12% = 30
            ("1000", 360, 2, ("750.000", "135.000", "40.000", "0.000", "925.000")),  # 18%
            ("1000", 300, 3, ("625.000", "150.000", "40.000", "0.000", "815.000")),  # 24% = 150
            ("1000", 360, 3, ("750.000", "150.000", "40.000", "0.000", "940.000")),  # 180 → 150
            ("1000", 360, 5, ("750.000", "150.000", "40.000", "0.000", "940.000")),  # 3 counted
        ],
    )
    def test_increment_bounds(self, wage, months, deps, expected):
        fig = calc(average_wage=D(wage), contribution_months=months, dependants=deps)
        assert parts(fig) == expected
        assert fig.breakdown["dependants_counted"] == min(deps, 3)


# --- Early retirement ------------------------------------------------------------------------

# 300 months of 1000: 25 × 2.5% × 1000 = 625 (cap 750), reduced by the age's percentage.
BANDS = {
    45: ("0.20", "500.000"),
    46: ("0.19", "506.250"),
    47: ("0.18", "512.500"),
    48: ("0.17", "518.750"),
    49: ("0.16", "525.000"),
    50: ("0.15", "531.250"),
    51: ("0.14", "537.500"),
    52: ("0.13", "543.750"),
    53: ("0.12", "550.000"),
    54: ("0.11", "556.250"),
    55: ("0.10", "562.500"),
    56: ("0.08", "575.000"),
    57: ("0.06", "587.500"),
    58: ("0.04", "600.000"),
    59: ("0.02", "612.500"),
}


def early(
    age: int, *, sex="M", months=300, actual=None, first=None, born=dt.date(1980, 6, 15), **kw
):
    return calc(
        birth_date=born,
        sex=sex,
        retirement_date=born.replace(year=born.year + age),
        contribution_months=months,
        actual_contributions=actual,
        first_covered=first,
        kind=EARLY,
        **kw,
    )


class TestEarlyRetirement:
    @pytest.mark.parametrize("age", list(BANDS))
    def test_each_age_band_of_men(self, age):
        rate, base = BANDS[age]
        fig = early(age)
        assert fig.payable, fig.reasons
        assert fig.breakdown["reduction_rate"] == str(D(rate).normalize())
        assert fig.breakdown["base"] == base
        assert fig.amount == D(base) + 40
        assert f"early.reduction_{age}" in fig.working.rules

    @pytest.mark.parametrize("age", [a for a in BANDS if a < 55])
    def test_each_age_band_of_women(self, age):
        rate, base = BANDS[age]
        fig = early(age, sex="F")
        assert fig.payable and fig.breakdown["base"] == base

    def test_women_at_55_have_the_old_age_pension(self):
        fig = early(55, sex="F")
        assert not fig.payable and "55" in fig.reasons[0]
        fig = calc(
            birth_date=dt.date(1980, 6, 15),
            sex="F",
            retirement_date=dt.date(2035, 6, 15),
            contribution_months=300,
        )
        assert fig.kind == OLD_AGE and fig.breakdown["base"] == "625.000"

    def test_under_45_is_never_early(self):
        assert not early(44).payable

    @pytest.mark.parametrize(
        ("sex", "age", "actual", "payable"),
        [
            ("M", 49, 299, False),  # 45–49 need 300
            ("M", 49, 300, True),
            ("M", 50, 251, False),  # from 50, a man needs 252
            ("M", 50, 252, True),
            ("F", 50, 227, False),  # a woman 228
            ("F", 50, 228, True),
            ("F", 49, 299, False),
            ("F", 45, 300, True),
        ],
    )
    def test_actual_contributions_by_age(self, sex, age, actual, payable):
        fig = early(age, sex=sex, months=actual, actual=actual)
        assert fig.payable is payable

    def test_hand_computed_minimum_months(self):
        # man at 50 with 252: 21 × 25 = 525 × 85% = 446.25 → 486.250
        assert early(50, months=252).amount == D("486.250")
        # woman at 50 with 228: 19 × 25 = 475 × 85% = 403.75 → 443.750
        assert early(50, sex="F", months=228).amount == D("443.750")

    @pytest.mark.parametrize(
        ("sex", "first", "age", "payable"),
        [
            ("M", dt.date(2019, 9, 1), 50, True),  # covered before the new law: 50
            ("M", dt.date(2019, 10, 1), 54, False),  # first covered from 2019-10-01: 55
            ("M", dt.date(2019, 10, 1), 55, True),
            ("F", dt.date(2019, 10, 1), 51, False),  # women: 52
            ("F", dt.date(2019, 10, 1), 52, True),
        ],
    )
    def test_first_covered_from_october_2019(self, sex, first, age, payable):
        fig = early(age, sex=sex, months=252, first=first, born=dt.date(1986, 6, 15))
        assert fig.payable is payable
        used = fig.working.rules[f"early.age_{'men' if sex == 'M' else 'women'}"]
        assert used.effective_from == (
            dt.date(2019, 10, 1) if first >= dt.date(2019, 10, 1) else dt.date(1980, 1, 1)
        )

    def test_first_covered_by_default_is_the_unbroken_record(self):
        fig = early(50, months=252)
        line = next(x for x in fig.working.lines if x["value"] == "2009-06")  # 2030-06 − 252
        assert line

    def test_minimum_applies_to_early_pensions(self):
        # woman at 45, 300 months of 300: 25 × 7.5 = 187.5 × 80% = 150 + 40 = 190 → 200
        fig = early(45, sex="F", average_wage=D("300"))
        assert parts(fig) == ("150.000", "0.000", "40.000", "10.000", "200.000")

    def test_reduction_before_the_rounding_of_the_base(self):
        # 300 months of 1000.013: 25 × 25.000325 = 625.008125 × 87% (age 52) = 543.75706875
        # → 543.757 (rounding 625.008 first would give 543.75696 → 543.757 too; the line shows
        # the unrounded figures)
        with translation.override("en"):
            fig = early(52, average_wage=D("1000.013"))
        assert fig.breakdown["base"] == "543.757"
        reduction = next(x for x in fig.working.lines if "reduction" in x["label"].lower())
        assert reduction["formula"] == "625.008… × 13%"


# --- Properties --------------------------------------------------------------------------------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    wage=st.decimals(min_value=D("1"), max_value=D("5000"), places=3),
    months=st.integers(min_value=180, max_value=600),
    deps=st.integers(min_value=0, max_value=6),
    age=st.integers(min_value=45, max_value=70),
)
def test_the_parts_always_add_up(wage, months, deps, age):
    assume(months <= (age - 16) * 12)  # a record that could have been
    born = dt.date(1975, 3, 1)
    fig = calc(
        birth_date=born,
        retirement_date=born.replace(year=born.year + age),
        average_wage=wage,
        contribution_months=months,
        dependants=deps,
    )
    if not fig.payable:
        return
    base, inc, sup, top, pension = (D(x) for x in parts(fig))
    assert pension == base + inc + sup + top == fig.amount
    assert pension >= D("200")
    assert base <= D("0.75") * wage + D("0.0005")
    if deps:
        assert D("30") <= inc <= D("150")
    else:
        assert inc == 0
    assert top == 0 or pension == D("200")


def test_the_rules_are_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert calc().payable
    with django_assert_num_queries(2):  # early: the rows of the date first covered too
        assert early(50).payable
    book = RuleBook(dt.date(2026, 1, 1), PENSION_KEYS)
    with django_assert_num_queries(0):
        assert calc(rules=book).amount == D("790.000")

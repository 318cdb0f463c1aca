"""hh.entitlement with hand-computed households (RULES.md, "Saudi developed social security").

Rule rows (household/rules_seed.py): head 1,100 and 550 a member from 2021-06-25; head 1,320 and 660
a member from 2023-11-01; earned income counts 50%, other income 100%; Citizen's Account, rural
support, university stipends and disability benefits are not counted. Entitlement = minimum −
countable income, whole riyals rounded half up; none when zero or less.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.exceptions import ServiceError
from eservices.models import Rule
from household.entitlement import Income, Member, household_entitlement, members_of

pytestmark = pytest.mark.django_db

OLD = dt.date(2022, 3, 1)  # 1,100 / 550
NEW = dt.date(2024, 3, 1)  # 1,320 / 660


def d(value: str) -> Decimal:
    return Decimal(value)


def calc(members, incomes=(), month=NEW):
    return household_entitlement(members=members, incomes=list(incomes), month=month)


class TestAlone:
    def test_alone_without_income_2022(self):
        fig = calc(members_of(), month=OLD)
        assert fig.payable and fig.amount == d("1100.00")
        assert fig.minimum == d("1100") and fig.countable_income == 0

    def test_alone_without_income_after_the_raise(self):
        fig = calc(members_of())
        assert fig.amount == d("1320.00")
        assert fig.working.rules["household.minimum.head"].value == d("1320")

    def test_alone_with_a_wage_half_counted(self):
        # 1,320 − 1,000 × 0.5 = 820
        fig = calc(members_of(), [Income("wages", d("1000"))])
        assert fig.amount == d("820.00")
        assert fig.incomes[0].counted == d("500") and fig.incomes[0].share == d("0.5")


class TestLargeFamilies:
    def test_head_spouse_and_six_children_2022(self):
        # 1,100 + 7 × 550 = 4,950
        fig = calc(members_of(spouses=1, children=6), month=OLD)
        assert fig.other_members == 7
        assert fig.minimum == d("4950") and fig.amount == d("4950.00")

    def test_head_two_wives_nine_children_and_a_mother(self):
        # 1,320 + 12 × 660 = 9,240
        fig = calc(members_of(spouses=2, children=9, others=1))
        assert fig.amount == d("9240.00")

    def test_the_worked_example_of_facts_md(self):
        # FACTS.md C.4: 1,320 + 3 × 660 = 3,300; a salary of 2,000 counts 1,000 → 2,300
        fig = calc(members_of(spouses=1, children=2), [Income("wages", d("2000"))])
        assert fig.minimum == d("3300") and fig.countable_income == d("1000")
        assert fig.amount == d("2300.00")
        last = fig.working.lines[-1]
        assert last["value"] == "2300.00" and last["formula"] == "3300.00 − 1000.00"


class TestIncomeAgainstTheMinimum:
    def test_income_below_the_entitlement_unearned_counted_in_full(self):
        # head + 1: 1,980; a pension of 900 counts in full → 1,080
        fig = calc(members_of(spouses=1), [Income("pension", d("900"))])
        assert fig.amount == d("1080.00")

    def test_income_above_the_minimum_gives_nothing(self):
        # head + 1: 1,980; wages 4,000 count 2,000 ≥ 1,980
        fig = calc(members_of(spouses=1), [Income("wages", d("4000"))])
        assert not fig.payable and fig.amount is None
        assert fig.reasons and "2000.00" in fig.reasons[0] and "1980.00" in fig.reasons[0]

    def test_income_equal_to_the_minimum_gives_nothing(self):
        # head + 1: 1,980 = rent 1,980
        fig = calc(members_of(spouses=1), [Income("rent", d("1980"))])
        assert not fig.payable and fig.amount is None

    def test_one_riyal_below_the_minimum_gives_one_riyal(self):
        fig = calc(members_of(spouses=1), [Income("rent", d("1979"))])
        assert fig.payable and fig.amount == d("1.00")

    def test_whole_riyals_rounded_half_up_once_at_the_end(self):
        # 1,980 − (1,001 × 0.5 = 500.5) = 1,479.5 → 1,480
        fig = calc(members_of(spouses=1), [Income("wages", d("1001"))])
        assert fig.countable_income == d("500.5") and fig.amount == d("1480.00")
        # 1,980 − (1,000.98 × 0.5 = 500.49) = 1,479.51 → 1,480; − 500.51 → 1,479.49 → 1,479
        assert calc(members_of(spouses=1), [Income("trade", d("1000.98"))]).amount == d("1480.00")
        assert calc(members_of(spouses=1), [Income("trade", d("1001.02"))]).amount == d("1479.00")

    def test_less_than_half_a_riyal_rounds_to_nothing(self):
        fig = calc(members_of(), [Income("pension", d("1319.60"))])
        assert not fig.payable and fig.amount is None and fig.reasons

    def test_several_sources_add_up(self):
        # 3,300 − (1,500 × 0.5 + 400 + 300) = 1,850
        fig = calc(
            members_of(spouses=1, children=2),
            [Income("wages", d("1500")), Income("rent", d("400")), Income("returns", d("300"))],
        )
        assert fig.countable_income == d("1450") and fig.amount == d("1850.00")


class TestExcludedIncome:
    @pytest.mark.parametrize(
        "kind", ["citizen_account", "rural_support", "university_stipend", "disability_benefit"]
    )
    def test_support_and_disability_are_not_counted(self, kind):
        fig = calc(members_of(spouses=1, children=1), [Income(kind, d("5000"))])
        assert fig.amount == d("2640.00")  # 1,320 + 2 × 660, nothing counted
        assert fig.incomes[0].excluded and fig.incomes[0].counted == 0
        assert f"household.income.excluded.{kind}" in fig.working.rules

    def test_excluded_beside_counted(self):
        # 2,640 − 800 × 0.5 (Citizen's Account 1,000 and disability 1,200 left out) = 2,240
        fig = calc(
            members_of(spouses=1, children=1),
            [
                Income("citizen_account", d("1000")),
                Income("disability_benefit", d("1200")),
                Income("wages", d("800")),
            ],
        )
        assert fig.countable_income == d("400") and fig.amount == d("2240.00")

    def test_staff_can_count_a_programme_from_a_date(self):
        """An exclusion is a rule row: a later row set to 0 counts it (in full) from its date."""
        Rule.objects.create(
            key="household.income.excluded.university_stipend",
            value=0,
            effective_from=dt.date(2030, 1, 1),
            description_ar="—",
            description_en="—",
        )
        stipend = [Income("university_stipend", d("990"))]
        assert calc(members_of(), stipend, month=dt.date(2029, 12, 1)).amount == d("1320.00")
        assert calc(members_of(), stipend, month=dt.date(2030, 1, 1)).amount == d("330.00")


class TestRulesByMonth:
    def test_the_rules_of_the_first_day_of_the_month_apply(self):
        # The raise starts on 2023-11-01: October is paid at 1,100, November at 1,320.
        assert calc(members_of(), month=dt.date(2023, 10, 31)).amount == d("1100.00")
        assert calc(members_of(), month=dt.date(2023, 11, 30)).amount == d("1320.00")
        # June 2021 is paid with the rules of 2021-06-01: none were in force yet.
        with pytest.raises(ServiceError):
            calc(members_of(), month=dt.date(2021, 6, 30))
        assert calc(members_of(), month=dt.date(2021, 7, 1)).amount == d("1100.00")

    def test_a_staff_change_of_the_earned_share(self):
        Rule.objects.create(
            key="household.income.earned_share",
            value=Decimal("0.4"),
            effective_from=dt.date(2031, 1, 1),
            description_ar="—",
            description_en="—",
        )
        wages = [Income("wages", d("1000"))]
        assert calc(members_of(), wages, month=dt.date(2030, 12, 1)).amount == d("820.00")
        assert calc(members_of(), wages, month=dt.date(2031, 1, 1)).amount == d("920.00")

    def test_the_uncertain_figures_make_it_provisional(self):
        fig = calc(members_of(spouses=1), [Income("wages", d("10"))])
        assert fig.working.provisional  # 660 a member and the 50% share are [default]
        assert fig.working.rules["household.minimum.member"].is_default


class TestWorkingAndInputs:
    def test_the_working_line_by_line(self):
        fig = calc(
            members_of(spouses=1, children=1),
            [Income("wages", d("1000")), Income("citizen_account", d("500"))],
        )
        lines = [(ln["value"], ln["formula"]) for ln in fig.working.lines]
        assert lines == [
            ("1320.00", "1 × 1320"),
            ("1320.00", "2 × 660"),
            ("2640.00", "1320.00 + 1320.00"),
            ("500.00", "1000.00 × 0.5"),
            ("0.00", lines[4][1]),
            ("500.00", "500.00 + 0.00"),
            ("2140.00", "2640.00 − 500.00"),
        ]
        assert "500.00" in lines[4][1]

    def test_ages_and_relations_are_kept(self):
        fig = calc([Member("head", 60), Member("daughter", 17), Member("mother", 82)])
        data = fig.as_json()
        assert data["amount"] == "2640.00" and data["currency"] == "SAR"
        assert [m["amount"] for m in data["breakdown"]["members"]] == [
            "1320.00",
            "660.00",
            "660.00",
        ]

    @pytest.mark.parametrize(
        "members",
        [[Member("spouse")], [Member("head"), Member("head")], [Member("head"), Member("cousin")]],
    )
    def test_the_household_has_one_head_and_known_relations(self, members):
        with pytest.raises(ServiceError):
            calc(members)

    def test_unknown_or_negative_income_is_refused(self):
        with pytest.raises(ServiceError):
            calc(members_of(), [Income("lottery", d("10"))])
        with pytest.raises(ServiceError):
            calc(members_of(), [Income("wages", d("-10"))])


class TestThePage:
    def test_the_working_line_by_line_on_the_page(self, client):
        resp = client.get(
            "/household/entitlement/",
            {
                "month": "2024-01",
                "spouses": "1",
                "children": "2",
                "others": "0",
                "has_income": "yes",
                "income_wages": "2000",
                "income_disability_benefit": "900",
            },
        )
        assert resp.status_code == 200
        fig = resp.context["figure"]
        assert fig.amount == d("2300.00")
        html = resp.content.decode()
        assert "2300.00" in html and "3300.00 − 1000.00" in html and "2000.00 × 0.5" in html
        assert html.count("<tr>") >= 8  # a line each, and the rules used

    def test_the_form_explains_a_mistake(self, client):
        resp = client.get("/household/entitlement/", {"month": "x", "has_income": "yes"})
        errors = resp.context["form"].errors
        assert errors["month"] and errors["has_income"] and resp.context["figure"] is None

    def test_a_signed_in_household_starts_from_its_own_income(self, client):
        from .factories_household import household_user

        client.force_login(household_user(incomes={"wages": "1500"}))
        form = client.get("/household/entitlement/").context["form"]
        assert form.initial["income_wages"] == d("1500.00") and form.initial["has_income"] == "yes"

"""The expected-pension calculator as a JSON endpoint (/api/v1/calculators/pension) and the retiree
loan calculator (/api/v1/calculators/retiree-loan): explicit inputs, the pension with its parts
and working or the reasons it is not payable, 400s by field, and the OpenAPI schema."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/calculators/pension"
LOAN_URL = "/api/v1/calculators/retiree-loan"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def post(api, url=URL, lang="en", **kw):
    body = {
        "birth_date": "1966-01-10",
        "sex": "M",
        "retirement_date": "2026-02-01",
        "contribution_months": 360,
        "average_wage": "1200.000",
        "dependants": 2,
    }
    body.update(kw)
    body = {k: v for k, v in body.items() if v is not ...}
    return api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE=lang)


class TestPensionEndpoint:
    def test_old_age_with_its_parts(self, api):
        # 30 × 2.5% × 1200 = 900 (cap 900); 18% = 162 → 150; + 40 = 1090
        r = post(api)
        assert r.status_code == 200, r.content
        data = r.json()
        assert data["payable"] is True and data["amount"] == "1090.000"
        assert data["kind"] == "old_age" and data["currency"] == "JOD"
        b = data["breakdown"]
        assert (b["base"], b["increment"], b["supplement"], b["minimum_topup"]) == (
            "900.000",
            "150.000",
            "40.000",
            "0.000",
        )
        assert b["cap_applied"] is False and b["minimum_applied"] is False
        assert data["working"]["provisional"] is True
        assert "pension.accrual_low" in {x["key"] for x in data["working"]["rules"]}
        assert data["working"]["lines"][-1]["value"] == "1090.000"

    def test_early_from_the_wages_of_the_reference_period(self, api):
        # 300 months of 800: 25 × 20 = 500 × 87% (52) = 435 + 40 = 475
        r = post(
            api,
            birth_date="1974-06-01",
            retirement_date="2026-07-01",
            contribution_months=300,
            average_wage=...,
            reference_wages=["100.000"] * 5 + ["800.000"] * 60,
            dependants=0,
            kind="early",
            first_covered="2001-07",
        )
        data = r.json()
        assert data["amount"] == "475.000" and data["kind"] == "early"
        assert data["breakdown"]["reduction_rate"] == "0.13"
        assert data["breakdown"]["reference_months_used"] == 60

    def test_not_payable_with_its_reasons(self, api):
        r = post(api, contribution_months=170, retirement_date="2025-06-01", kind="old_age")
        data = r.json()
        assert r.status_code == 200 and data["payable"] is False and data["amount"] is None
        assert data["reasons"] == [
            "The old-age pension is paid from the age of 60; on that date the age is 59.",
            "180 contributions are needed for an old-age pension; the record has 170.",
        ]

    def test_new_entrants_retire_early_later(self, api):
        kw = dict(
            birth_date="1975-03-01",
            retirement_date="2026-03-01",  # 51
            contribution_months=260,
            average_wage="700.000",
            dependants=0,
            kind="early",
        )
        assert post(api, first_covered="2005-01", **kw).json()["payable"] is True
        late = post(api, first_covered="2019-10", **kw).json()
        assert late["payable"] is False and "55" in late["reasons"][0]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"sex": "X"}, "sex"),
            ({"average_wage": ...}, "reference_wages"),
            ({"reference_wages": ["1.000"]}, "average_wage"),
            ({"actual_contributions": 400}, "actual_contributions"),
            ({"retirement_date": "1960-01-01"}, "retirement_date"),
            ({"first_covered": "2030-01"}, "first_covered"),
            ({"average_wage": "1.0005"}, "average_wage"),
            ({"dependants": -1}, "dependants"),
            ({"kind": "lump"}, "kind"),
            ({"contribution_months": 5000}, "contribution_months"),
        ],
    )
    def test_bad_input_is_a_400_by_field(self, api, overrides, field):
        r = post(api, **overrides)
        assert r.status_code == 400
        assert set(r.json()) == {field}

    def test_no_rule_in_force_is_a_400(self, api):
        r = post(api, birth_date="1940-01-01", retirement_date="2001-01-01")
        assert r.status_code == 400 and set(r.json()) == {"retirement_date"}
        # early retirement rows start with the coverage in 1980
        r = post(
            api,
            birth_date="1960-01-01",
            retirement_date="2015-01-01",
            kind="early",
            first_covered="1970-01",
        )
        assert r.status_code == 400 and set(r.json()) == {"first_covered"}

    def test_answers_in_arabic_by_default(self, api):
        r = api.post(URL, {"sex": "M"}, format="json")
        assert r.status_code == 400 and "birth_date" in r.json()


class TestLoanEndpoint:
    def test_5000_over_60_months(self, api):
        r = api.post(
            LOAN_URL,
            {
                "net_pension": "600.000",
                "birth_date": "1960-03-01",
                "principal": "5000.000",
                "months": 40,
                "on": "2026-05-20",
            },
            format="json",
        )
        data = r.json()
        # 5000 × (1 + 5% × 40/12) = 5833.333… → 5833.333; ÷ 40 = 145.833 × 39 + 145.846
        assert data["payable"] is True and data["total"] == "5833.333"
        assert [i["amount"] for i in data["schedule"]][-2:] == ["145.833", "145.846"]
        assert data["schedule"][0]["month"] == "2026-06"
        assert data["limits"]["max_months"] == 45

    def test_too_much_is_refused_with_the_reason(self, api):
        r = api.post(
            LOAN_URL,
            {
                "net_pension": "300.000",
                "birth_date": "1960-03-01",
                "principal": "3000.000",
                "months": 45,
                "on": "2026-05-20",
            },
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        data = r.json()
        assert data["payable"] is False and "2842.105" in data["reasons"][0]


def test_the_schema_documents_both_endpoints(api):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/calculators/pension" in schema["paths"]
    assert "/api/v1/calculators/retiree-loan" in schema["paths"]
    op = schema["paths"]["/api/v1/calculators/pension"]["post"]
    assert op["operationId"] == "calculators_pension"
    assert "400" in op["responses"] and "429" in op["responses"]
    assert api.get("/api/schema/").status_code == 200


def test_the_catalogue_api_says_implemented(api):
    rows = {s["code"]: s for s in api.get("/api/v1/services").json()}
    for code in ("calc.expected-pension", "ret.old-age-request", "ret.loan-reschedule"):
        assert rows[code]["implemented"] is True and rows[code]["url"]

"""The JSON API: the service catalogue, the maternity calculator and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from eservices.api import CalculatorThrottle
from eservices.catalogue import SERVICES

pytestmark = pytest.mark.django_db

SERVICES_URL = "/api/v1/services"
MATERNITY_URL = "/api/v1/calculators/maternity"
KEYS = {"code", "name_ar", "name_en", "audience", "kind", "implemented", "url"}
MATERNITY_RULES = {"maternity.min_contributions", "maternity.window_months", "maternity.leave_days"}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def months(first: str, count: int) -> list[str]:
    """``count`` consecutive months as "YYYY-MM", from ``first``."""
    year, month = map(int, first.split("-"))
    out = []
    for i in range(count):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y}-{m + 1:02d}")
    return out


def maternity(api, *, lang: str | None = None, **overrides):
    body = {
        "birth_date": "2026-03-10",
        "last_insured_wage": "875.500",
        "contribution_months": months("2025-03", 12),
        "is_woman": True,
        **overrides,
    }
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    return api.post(MATERNITY_URL, body, format="json", **headers)


# --- Catalogue -------------------------------------------------------------------------------


def test_the_catalogue_lists_every_service_with_both_names(api):
    response = api.get(SERVICES_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert len(data) == len(SERVICES) == 98
    assert all(set(item) == KEYS for item in data)
    assert [item["code"] for item in data] == [s.code for s in SERVICES]
    login = next(item for item in data if item["code"] == "acc.login")
    assert login["name_ar"] == "الدخول إلى الخدمات الإلكترونية"
    assert login["name_en"] == "Sign in to the e-services"
    assert login["audience"] == "public"
    assert login["kind"] == "account"


def test_the_names_do_not_follow_the_request_language(api):
    arabic = api.get(SERVICES_URL).json()
    english = api.get(SERVICES_URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert arabic == english


def test_implemented_and_url_follow_the_registry(api):
    data = {item["code"]: item for item in api.get(SERVICES_URL).json()}
    for service in SERVICES:
        item = data[service.code]
        assert item["implemented"] is service.implemented
        assert item["url"] == service.url
        if service.implemented:
            assert item["url"].startswith("/")
            assert resolve(item["url"])
        else:
            assert item["url"] is None
    assert any(s.implemented for s in SERVICES)


def test_a_service_not_declared_is_not_implemented_and_has_no_url(api, monkeypatch):
    from eservices.declarations import REQUEST_SERVICES

    monkeypatch.delitem(REQUEST_SERVICES, "mat.allowance")
    item = {i["code"]: i for i in api.get(SERVICES_URL).json()}["mat.allowance"]
    assert item["implemented"] is False
    assert item["url"] is None
    data = api.get(SERVICES_URL, {"implemented": "false"}).json()
    assert "mat.allowance" in [i["code"] for i in data]


@pytest.mark.parametrize("query", ["", "?audience=individual", "?implemented=true"])
def test_the_catalogue_runs_no_sql(api, django_assert_num_queries, query):
    with django_assert_num_queries(0):
        assert api.get(SERVICES_URL + query).status_code == 200


def test_filter_by_audience(api):
    data = api.get(SERVICES_URL, {"audience": "individual"}).json()
    expected = [s.code for s in SERVICES if s.audience == "individual"]
    assert expected
    assert [item["code"] for item in data] == expected
    assert {item["audience"] for item in data} == {"individual"}


@pytest.mark.parametrize("value, flag", [("true", True), ("false", False), ("1", True)])
def test_filter_by_implemented(api, value, flag):
    data = api.get(SERVICES_URL, {"implemented": value}).json()
    assert [item["code"] for item in data] == [s.code for s in SERVICES if s.implemented is flag]
    assert {item["implemented"] for item in data} <= {flag}


def test_filters_combine(api):
    data = api.get(SERVICES_URL, {"audience": "public", "implemented": "true"}).json()
    expected = [s.code for s in SERVICES if s.audience == "public" and s.implemented]
    assert expected
    assert [item["code"] for item in data] == expected


@pytest.mark.parametrize("query", [{"audience": "aliens"}, {"implemented": "maybe"}])
def test_a_bad_filter_is_a_400(api, query):
    response = api.get(SERVICES_URL, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_catalogue_is_read_only(api):
    assert api.post(SERVICES_URL, {}, format="json").status_code == 405


# --- Maternity calculator --------------------------------------------------------------------


def test_maternity_worked_example(api):
    response = maternity(api)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["payable"] is True
    expected = (Decimal("875.5") / 30 * 70).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    assert data["amount"] == str(expected) == "2042.833"
    assert data["currency"] == "JOD"
    assert data["reasons"] == []
    working = data["working"]
    assert {r["key"] for r in working["rules"]} == MATERNITY_RULES
    rules = {r["key"]: r for r in working["rules"]}
    assert Decimal(rules["maternity.leave_days"]["value"]) == 70
    assert Decimal(rules["maternity.min_contributions"]["value"]) == 6
    assert Decimal(rules["maternity.window_months"]["value"]) == 12
    assert working["provisional"] is False
    values = [line["value"] for line in working["lines"]]
    assert values[0] == "12"
    assert "875.500" in values
    assert values[-1] == "2042.833"


def test_the_wage_may_be_a_json_number_and_the_months_dates(api):
    data = maternity(
        api,
        last_insured_wage=875.5,
        contribution_months=[f"{m}-15" for m in months("2025-03", 12)],
    ).json()
    assert data["amount"] == "2042.833"


def test_a_month_counts_once(api):
    data = maternity(api, contribution_months=["2025-06", "2025-06-01", "2025-06-30"] * 3).json()
    assert data["payable"] is False
    assert data["working"]["lines"][0]["value"] == "1"


def test_six_months_in_the_window_are_enough(api):
    data = maternity(api, contribution_months=months("2025-09", 6)).json()
    assert data["payable"] is True
    assert data["amount"] == "2042.833"


def test_five_months_are_not(api):
    data = maternity(api, contribution_months=months("2025-10", 5), lang="en").json()
    assert data["payable"] is False
    assert data["amount"] is None
    assert len(data["reasons"]) == 1
    assert "6 contributions are needed in the 12 months before the birth" in data["reasons"][0]
    assert "has 5" in data["reasons"][0]


def test_months_outside_the_window_do_not_count(api):
    # Five in the window, plus the birth month itself and the month 13 months before it.
    contribution_months = [*months("2025-10", 5), "2026-03", "2025-02", "2026-04"]
    data = maternity(api, contribution_months=contribution_months).json()
    assert data["payable"] is False
    assert data["working"]["lines"][0]["value"] == "5"
    # The first and the last month of the window do count.
    data = maternity(api, contribution_months=["2025-03", *months("2025-10", 4), "2026-02"]).json()
    assert data["payable"] is True


def test_a_man_is_not_paid(api):
    data = maternity(api, is_woman=False, lang="en").json()
    assert data["payable"] is False
    assert data["amount"] is None
    assert data["reasons"] == ["The maternity allowance is paid to an insured woman."]


def test_a_zero_wage_is_not_paid(api):
    data = maternity(api, last_insured_wage="0", lang="en").json()
    assert data["payable"] is False
    assert data["reasons"] == ["There is no insured wage before the birth."]


def test_is_woman_defaults_to_true(api):
    body = {
        "birth_date": "2026-03-10",
        "last_insured_wage": "875.500",
        "contribution_months": months("2025-03", 12),
    }
    assert api.post(MATERNITY_URL, body, format="json").json()["payable"] is True


def test_the_working_follows_the_request_language(api):
    english = maternity(api, lang="en")
    assert english["Content-Language"] == "en"
    labels = [line["label"] for line in english.json()["working"]["lines"]]
    assert labels[0] == "Contributions from 2025-03 to 2026-02"
    arabic = maternity(api)
    assert arabic["Content-Language"] == "ar"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"birth_date": "2026-02-30"}, "birth_date"),
        ({"birth_date": "10/03/2026"}, "birth_date"),
        ({"last_insured_wage": "-1"}, "last_insured_wage"),
        ({"last_insured_wage": "875.5005"}, "last_insured_wage"),
        ({"last_insured_wage": "lots"}, "last_insured_wage"),
        ({"contribution_months": "2025-03"}, "contribution_months"),
        ({"is_woman": "perhaps"}, "is_woman"),
    ],
)
def test_invalid_input_is_a_400_with_field_errors(api, overrides, field):
    response = maternity(api, **overrides)
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {field}
    assert errors[field] and all(isinstance(m, str) for m in errors[field])


def test_an_invalid_month_names_the_item(api):
    response = maternity(api, contribution_months=["2025-03", "2025-13", "03-2025"], lang="en")
    assert response.status_code == 400
    expected = ["Enter a month as YYYY-MM or a date as YYYY-MM-DD."]
    assert response.json() == {"contribution_months": {"1": expected, "2": expected}}


def test_missing_fields_are_reported_in_arabic_by_default(api):
    response = api.post(MATERNITY_URL, {}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"birth_date", "last_insured_wage", "contribution_months"}
    assert errors["birth_date"] == ["هذا الحقل مطلوب."]
    english = api.post(MATERNITY_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["birth_date"] == ["This field is required."]


def test_a_date_before_the_rules_is_a_400_on_the_birth_date(api):
    response = maternity(api, birth_date="2000-05-01", lang="en")
    assert response.status_code == 400
    assert response.json() == {
        "birth_date": ["A rule needed for this calculation is not defined for that date."]
    }


def test_a_body_that_is_not_json_is_a_400(api):
    response = api.post(MATERNITY_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_only_post(api):
    assert api.get(MATERNITY_URL).status_code == 405


def test_the_calculator_is_throttled(api, monkeypatch):
    monkeypatch.setattr(CalculatorThrottle, "rate", "2/minute", raising=False)
    assert maternity(api).status_code == 200
    assert maternity(api).status_code == 200
    response = maternity(api)
    assert response.status_code == 429
    assert "detail" in response.json()


def test_the_default_rate_is_sixty_a_minute():
    assert CalculatorThrottle().get_rate() == "60/minute"


# --- Schema ----------------------------------------------------------------------------------


def test_the_schema_documents_both_endpoints(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Social Security e-services API"
    assert schema["info"]["version"] == "1"
    assert {"/api/v1/services", "/api/v1/calculators/maternity"} <= set(schema["paths"])

    as_json = api.get("/api/schema/", {"format": "json"})
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["paths"].keys() == schema["paths"].keys()


def test_the_schema_is_valid_openapi_with_the_shapes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    services = schema["paths"]["/api/v1/services"]["get"]
    assert {p["name"] for p in services["parameters"]} == {"audience", "implemented"}
    assert set(schema["components"]["schemas"]["Service"]["properties"]) == KEYS

    operation = schema["paths"]["/api/v1/calculators/maternity"]["post"]
    assert set(operation) >= {"requestBody", "responses"}
    assert "get" not in schema["paths"]["/api/v1/calculators/maternity"]
    assert {"200", "400"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = components[request_ref.rsplit("/", 1)[1]]
    assert set(request["properties"]) == {
        "birth_date",
        "last_insured_wage",
        "contribution_months",
        "is_woman",
    }
    assert request["properties"]["last_insured_wage"]["type"] == "string"
    ok_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    figure = components[ok_ref.rsplit("/", 1)[1]]
    assert set(figure["properties"]) == {"payable", "amount", "currency", "reasons", "working"}
    assert figure["properties"]["amount"]["type"] == "string"
    assert figure["properties"]["amount"]["nullable"] is True
    bad_ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert "contribution_months" in components[bad_ref.rsplit("/", 1)[1]]["properties"]


def test_a_figure_matches_its_documented_shape(api):
    """The response of the worked example has exactly the documented keys, recursively."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def keys(name):
        return set(components[name]["properties"])

    data = maternity(api).json()
    assert set(data) == keys("MaternityFigure")
    assert set(data["working"]) == keys("Working")
    assert all(set(line) == keys("WorkingLine") for line in data["working"]["lines"])
    assert all(set(row) == keys("RuleRow") for row in data["working"]["rules"])
    assert all(dt.date.fromisoformat(row["effective_from"]) for row in data["working"]["rules"])

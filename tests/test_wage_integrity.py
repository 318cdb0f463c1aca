"""The wage table's references, checked by PostgreSQL once per statement (individuals.wage_integrity).

What a foreign key refused is still refused, by the database, whatever writes the rows (raw SQL
here, so that the ORM's own checks are not what is tested); the ORM's on_delete still applies.
The last tests run two real connections at once, as the locks must hold across transactions.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from establishments.models import Submission
from individuals.models import Individual, WageRecord

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    LiaisonOfficerFactory,
    WageRecordFactory,
)

MONTH = dt.date(2024, 1, 1)


def insert_wage(individual_id: int, establishment_id: int | None, **extra) -> None:
    columns = {
        "individual_id": individual_id,
        "establishment_id": establishment_id,
        "month": MONTH,
        "wage": 500,
        "coverage": "mandatory",
        "unemployment": True,
        **extra,
    }
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO individuals_wagerecord ({names}) VALUES ({marks})",  # noqa: S608
            list(columns.values()),
        )


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        fn(*args, **kwargs)
    return str(caught.value)


@pytest.mark.django_db
class TestReferencesChecked:
    def test_a_wage_of_a_person_who_does_not_exist_is_refused(self):
        est = EstablishmentFactory()
        message = refused(insert_wage, 987654321, est.pk)
        assert "individuals_individual" in message and "987654321" in message
        assert not WageRecord.objects.exists()

    def test_a_wage_naming_a_missing_establishment_file_or_request_is_refused(self):
        person = IndividualFactory()
        assert "establishments_establishment" in refused(insert_wage, person.pk, 987654321)
        est = EstablishmentFactory()
        assert "establishments_submission" in refused(
            insert_wage, person.pk, est.pk, submission_id=987654321
        )
        assert "eservices_servicerequest" in refused(
            insert_wage, person.pk, est.pk, compensated_by_id=987654321
        )
        insert_wage(person.pk, est.pk)  # with every reference present, and a null one
        assert WageRecord.objects.get().establishment == est

    def test_one_bad_row_refuses_the_whole_statement(self):
        est = EstablishmentFactory()
        people = IndividualFactory.create_batch(3)
        values = ", ".join(["(%s, %s, %s, 500, 'mandatory', true)"] * 4)
        params = []
        for pk in [p.pk for p in people] + [987654321]:
            params += [pk, est.pk, MONTH]
        assert "987654321" in refused(
            raw,
            "INSERT INTO individuals_wagerecord (individual_id, establishment_id, month, wage,"
            f" coverage, unemployment) VALUES {values}",
            params,
        )
        assert not WageRecord.objects.exists()

    def test_an_update_to_a_missing_reference_is_refused(self):
        wage = WageRecordFactory()
        assert "establishments_establishment" in refused(
            raw,
            "UPDATE individuals_wagerecord SET establishment_id = %s WHERE id = %s",
            [987654321, wage.pk],
        )
        wage.refresh_from_db()
        assert wage.establishment_id is not None

    def test_deleting_what_a_wage_names_is_refused_by_the_database(self):
        est = EstablishmentFactory()
        officer = LiaisonOfficerFactory(establishment=est)
        sub = Submission.objects.create(establishment=est, kind="monthly", created_by=officer.user)
        wage = WageRecordFactory(establishment=est, submission=sub)
        for table, pk in (
            ("individuals_individual", wage.individual_id),
            ("establishments_establishment", est.pk),
            ("establishments_submission", sub.pk),
        ):
            message = refused(raw, f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
            assert table in message and str(pk) in message
        assert WageRecord.objects.filter(pk=wage.pk).exists()

    def test_the_orm_still_cascades_and_protects(self):
        wage = WageRecordFactory()
        with pytest.raises(ProtectedError), transaction.atomic():
            wage.establishment.delete()
        wage.individual.delete()  # a person's wages go with the person
        assert not WageRecord.objects.exists()
        assert not Individual.objects.filter(pk=wage.individual_id).exists()

    def test_deleting_people_or_establishments_without_wages_is_allowed(self):
        person = IndividualFactory()
        est = EstablishmentFactory()
        raw("DELETE FROM individuals_individual WHERE id = %s", [person.pk])
        raw("DELETE FROM establishments_establishment WHERE id = %s", [est.pk])
        raw("DELETE FROM individuals_individual WHERE id = %s", [person.pk])  # no row: nothing
        assert not Individual.objects.filter(pk=person.pk).exists()


def _delete_then_insert(delete_sql: str, delete_id: int, person_id: int, est_id: int) -> list:
    """One connection deletes a row and waits; another then inserts a wage naming it; the first
    commits. Returns what each thread ended with."""
    deleted = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def deleter() -> None:
        try:
            with transaction.atomic():
                raw(delete_sql, [delete_id])
                deleted.set()
                release.wait(timeout=10)
            outcome["delete"] = "committed"
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            outcome["delete"] = exc
            deleted.set()
        finally:
            connection.close()

    def inserter() -> None:
        try:
            deleted.wait(timeout=10)
            with transaction.atomic():
                timer = threading.Timer(0.5, release.set)  # let the insert reach its wait
                timer.start()
                insert_wage(person_id, est_id)
            outcome["insert"] = "committed"
        except BaseException as exc:  # noqa: BLE001
            outcome["insert"] = exc
        finally:
            release.set()
            connection.close()

    threads = [threading.Thread(target=deleter), threading.Thread(target=inserter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return [outcome.get("delete"), outcome.get("insert")]


@pytest.mark.django_db(transaction=True)
class TestConcurrentDeletes:
    """A delete not yet committed, and a wage naming the deleted row inserted meanwhile: the
    insert waits for the delete and is then refused (nothing is left naming a missing row)."""

    def test_a_person_deleted_meanwhile(self):
        person = IndividualFactory()
        est = EstablishmentFactory()
        delete, insert = _delete_then_insert(
            "DELETE FROM individuals_individual WHERE id = %s", person.pk, person.pk, est.pk
        )
        assert delete == "committed"
        assert isinstance(insert, IntegrityError) and "individuals_individual" in str(insert)
        assert not WageRecord.objects.exists()

    def test_an_establishment_deleted_meanwhile(self):
        person = IndividualFactory()
        est = EstablishmentFactory()
        delete, insert = _delete_then_insert(
            "DELETE FROM establishments_establishment WHERE id = %s", est.pk, person.pk, est.pk
        )
        assert delete == "committed"
        assert isinstance(insert, IntegrityError)
        assert "establishments_establishment" in str(insert)
        assert not WageRecord.objects.exists()

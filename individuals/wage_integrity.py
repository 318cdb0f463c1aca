"""The references of the wage table, checked by PostgreSQL once per statement.

``individuals_wagerecord`` is the biggest table of the portal and is written in bulk (a wage file
of tens of thousands of rows in one INSERT … SELECT). A foreign-key constraint checks every row
on its own (a trigger and a lookup per row and per key): measured on a 50,000-row wage file, the
four checks took 0.53 s of the 0.89 s the insert took. Here the database checks the same
references once per statement, with set-based queries over the statement's transition tables, and
refuses what a foreign key would refuse, with the same SQLSTATE (23503, an ``IntegrityError``):

- inserting or updating a wage record that names a person, an establishment, a wage file or a
  lump-sum request that does not exist;
- deleting a person, an establishment, a wage file or a request that a wage record names (the
  ORM's ``on_delete`` still runs first: a person's wages are deleted with the person, an
  establishment with wages is protected).

Concurrency, as a foreign key does it: the few establishments, files and requests a statement
names are locked ``FOR KEY SHARE``, so a concurrent delete waits, or is seen. The people are not
locked row by row (tens of thousands of locks would cost what we save); instead a delete of
people locks the wage table in SHARE mode before it looks for their wages, which waits for every
transaction writing wages and holds new ones back until it ends. People are next to never deleted.

SQLite (the development default) has no such checks, as it had no enforced foreign keys here.
"""

# ruff: noqa: S608  (DDL built from the constant table and column names of REFERENCES)
from __future__ import annotations

WAGE = "individuals_wagerecord"

# (column of the wage table, the table it names, lock the named rows: few per statement)
REFERENCES = (
    ("individual_id", "individuals_individual", False),
    ("establishment_id", "establishments_establishment", True),
    ("submission_id", "establishments_submission", True),
    ("compensated_by_id", "eservices_servicerequest", True),
)


def _violation(message: str) -> str:
    return f"RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = {message};"


def _missing_message(column: str, table: str) -> str:
    return (
        f'format(\'insert or update on table "{WAGE}" names a missing row of "{table}":'
        f" {column}=%%s', missing)"
    )


def _check_people(column: str, table: str) -> str:
    """The statement's rows naming no row of ``table``: one anti-join (index probes)."""
    return f"""
    SELECT n.{column} INTO missing FROM new_rows n
    WHERE n.{column} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = n.{column})
    LIMIT 1;
    IF FOUND THEN {_violation(_missing_message(column, table))} END IF;"""


def _check_few(column: str, table: str) -> str:
    """The few ids of ``table`` the statement names (the array ``ids_<column>``, found in one
    pass for every such column): lock them as a foreign key would, then look for a missing one
    (one a concurrent delete removed is missing once its transaction has committed)."""
    ids = f"ids_{column}"
    return f"""
    IF {ids} IS NOT NULL THEN
        PERFORM 1 FROM {table} t WHERE t.id = ANY({ids}) FOR KEY SHARE OF t;
        SELECT x INTO missing FROM unnest({ids}) x
        WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = x)
        LIMIT 1;
        IF FOUND THEN {_violation(_missing_message(column, table))} END IF;
    END IF;"""


def _guard_delete(column: str, table: str, lock: bool) -> str:
    """The function and trigger refusing to delete rows of ``table`` that wages name."""
    name = f"{table}_wage_references"
    table_lock = "" if lock else f"LOCK TABLE {WAGE} IN SHARE MODE;"
    message = (
        f'format(\'delete on table "{table}" removes a row that "{WAGE}" names: id=%%s\', named)'
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
        RETURN NULL;
    END IF;
    {table_lock}
    SELECT o.id INTO named FROM old_rows o
    WHERE EXISTS (SELECT 1 FROM {WAGE} w WHERE w.{column} = o.id)
    LIMIT 1;
    IF FOUND THEN {_violation(message)} END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def create_sql() -> str:
    few = [(column, table) for column, table, lock in REFERENCES if lock]
    arrays = ", ".join(
        f"array_agg(DISTINCT {column}) FILTER (WHERE {column} IS NOT NULL)" for column, _t in few
    )
    columns = ", ".join(column for column, _t in few)
    declare = "".join(f"\n    ids_{column} bigint[];" for column, _t in few)
    checks = "".join(_check_people(c, t) for c, t, lock in REFERENCES if not lock)
    checks += f"""
    SELECT {arrays} INTO {", ".join(f"ids_{c}" for c, _t in few)}
    FROM (SELECT DISTINCT {columns} FROM new_rows) x;"""
    checks += "".join(_check_few(c, t) for c, t in few)
    parts = [
        f"""
CREATE OR REPLACE FUNCTION {WAGE}_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;{declare}
BEGIN{checks}
    RETURN NULL;
END $$;
CREATE TRIGGER {WAGE}_references_insert AFTER INSERT ON {WAGE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {WAGE}_references();
CREATE TRIGGER {WAGE}_references_update AFTER UPDATE ON {WAGE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {WAGE}_references();
"""
    ]
    parts += [_guard_delete(*ref) for ref in REFERENCES]
    return "".join(parts)


def drop_sql() -> str:
    parts = [
        f"DROP TRIGGER IF EXISTS {WAGE}_references_insert ON {WAGE};",
        f"DROP TRIGGER IF EXISTS {WAGE}_references_update ON {WAGE};",
        f"DROP FUNCTION IF EXISTS {WAGE}_references();",
    ]
    for _column, table, _lock in REFERENCES:
        parts += [
            f"DROP TRIGGER IF EXISTS {table}_wage_references ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_wage_references();",
        ]
    return "\n".join(parts)


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(create_sql())


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(drop_sql())

"""The ledger is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of an entry
(corrections are new entries). SQLite, the development default, relies on the model's guard."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never changed or deleted: post a correction';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_ledger_append_only
    BEFORE UPDATE OR DELETE ON payments_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS payments_ledger_append_only ON payments_ledgerentry;
DROP FUNCTION IF EXISTS payments_ledger_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_ledger")]
    operations = [migrations.RunPython(forwards, backwards)]

"""On PostgreSQL the database itself refuses UPDATE and DELETE on the consent
ledger, whatever the application does. (TRUNCATE, used only by test database
teardown, is a table operation and does not fire row triggers.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION consents_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'consents_consentevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consents_consentevent_append_only
    BEFORE UPDATE OR DELETE ON consents_consentevent
    FOR EACH ROW EXECUTE FUNCTION consents_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS consents_consentevent_append_only ON consents_consentevent;
DROP FUNCTION IF EXISTS consents_ledger_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no placeholders: keep the % of RAISE as is


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

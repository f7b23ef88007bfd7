"""On PostgreSQL, refuse UPDATE and DELETE on the log's tables.

Only when the connection is PostgreSQL (SQLite has no equivalent that an
attacker with the file could not drop; there, verification catches a change).
TRUNCATE is refused by migration 0003.
"""

from django.db import migrations

TABLES = ["transparency_logentry", "transparency_merklenode", "transparency_treehead"]

FUNCTION = """
CREATE OR REPLACE FUNCTION transparency_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS transparency_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_log")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

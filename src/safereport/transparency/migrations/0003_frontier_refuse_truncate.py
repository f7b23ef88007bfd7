"""The log keeps its frontier in ``LogState`` (appends read nothing else), and on
PostgreSQL TRUNCATE of the log's tables is refused by a statement trigger.

The TRUNCATE trigger lets one caller through: a superuser session that has set
``safereport.ledger_truncate`` to ``allowed``. A superuser can drop the trigger
anyway, so this opens nothing new; the test suite sets it so that Django can
empty the database between transactional tests (tests/conftest.py). The
application's own role is not a superuser (docs/operations.md), so for it, as
for every other role, TRUNCATE fails.
"""

from django.db import migrations, models

TABLES = ["transparency_logentry", "transparency_merklenode", "transparency_treehead"]

FUNCTION = """
CREATE OR REPLACE FUNCTION transparency_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('safereport.ledger_truncate', true) = 'allowed'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the transparency log is append-only: TRUNCATE on % refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def fill_frontier(apps, schema_editor):
    from safereport.core.ledger import Frontier, frontier_node_ids

    LogState = apps.get_model("transparency", "LogState")
    MerkleNode = apps.get_model("transparency", "MerkleNode")
    state = LogState.objects.filter(id=1).first()
    if state is None or state.size == 0:
        return
    ids = frontier_node_ids(state.size)
    rows = {
        (level, index): bytes(value)
        for level, index, value in MerkleNode.objects.filter(
            level__in={n.level for n in ids}, index__in={n.index for n in ids}
        ).values_list("level", "index", "hash")
    }
    frontier = Frontier(state.size, [rows[(n.level, n.index)] for n in ids])
    LogState.objects.filter(id=1).update(frontier=frontier.to_bytes())


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_truncate();"
        )


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS transparency_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [("transparency", "0002_append_only_trigger")]
    operations = [
        migrations.AddField(
            model_name="logstate",
            name="frontier",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(fill_frontier, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(refuse_truncate, allow_truncate, elidable=False),
    ]

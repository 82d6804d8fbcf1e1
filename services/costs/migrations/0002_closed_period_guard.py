"""A closed period never changes, whatever writes to the database: statement-level triggers on
every table that holds rows of a period refuse inserts, updates and deletes touching a closed
period, and a row trigger on the period refuses changing or deleting a closed one. The actions
check the same first and give a readable error; these are the guard rail behind them."""

from django.db import migrations

PERIOD_TABLES = [
    "costs_costpool",
    "costs_driversnapshot",
    "costs_allocationrun",
    "costs_allocationline",
    "costs_statement",
    "costs_dispute",
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION costs_refuse_closed_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'closed' THEN
        RAISE EXCEPTION 'cost period % is closed and never changes', OLD.month
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE OR REPLACE FUNCTION costs_refuse_closed_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    closed_month date;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE 'SELECT p.month FROM new_rows r JOIN costs_period p ON p.id = r.period_id
                 WHERE p.state = ''closed'' LIMIT 1' INTO closed_month;
    END IF;
    IF closed_month IS NULL AND TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE 'SELECT p.month FROM old_rows r JOIN costs_period p ON p.id = r.period_id
                 WHERE p.state = ''closed'' LIMIT 1' INTO closed_month;
    END IF;
    IF closed_month IS NOT NULL THEN
        RAISE EXCEPTION 'cost period % is closed and never changes (%)', closed_month, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER costs_period_closed BEFORE UPDATE OR DELETE ON costs_period
    FOR EACH ROW EXECUTE FUNCTION costs_refuse_closed_period();
"""


def _table_triggers(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_closed_ins AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
CREATE TRIGGER {table}_closed_upd AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
CREATE TRIGGER {table}_closed_del AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
"""


def _drop(table: str) -> str:
    return "".join(
        f"DROP TRIGGER IF EXISTS {table}_closed_{op} ON {table};" for op in ("ins", "upd", "del")
    )


FORWARD = FUNCTIONS + "".join(_table_triggers(t) for t in PERIOD_TABLES)
BACKWARD = (
    "".join(_drop(t) for t in PERIOD_TABLES)
    + "DROP TRIGGER IF EXISTS costs_period_closed ON costs_period;"
    + "DROP FUNCTION IF EXISTS costs_refuse_closed_rows();"
    + "DROP FUNCTION IF EXISTS costs_refuse_closed_period();"
)


class Migration(migrations.Migration):
    dependencies = [("costs", "0001_cost_split")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

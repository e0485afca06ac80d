"""What the site asks of PostgreSQL for every connection."""

import json

import pytest
from django.db import connection

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compiler")
def test_a_query_on_a_never_analysed_table_is_not_compiled():
    # The Site row and the settings rows are too few for autovacuum ever to analyse them, so the planner
    # guesses millions of rows and, with JIT on, spent 0.8 s compiling the site frame's query.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE never_analysed (id integer, name text)")
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM never_analysed a, never_analysed b, never_analysed c"
        )
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert plan[0]["Plan"]["Total Cost"] > 100_000  # above PostgreSQL's default jit_above_cost
    assert "JIT" not in plan[0]

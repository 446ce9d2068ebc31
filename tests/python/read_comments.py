"""Reads coverage.duckdb as an analyst's tool would (Python duckdb, not the binary) and
checks that it explains itself: every table and view a run published, and every column
of them, has a comment. Prints the counts; exits 1 naming what has none.

    python3 tests/python/read_comments.py OUT/coverage.duckdb
"""
import sys

import duckdb


def main(path):
    conn = duckdb.connect(path, read_only=True)
    relations = conn.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT view_name, comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal"
    ).fetchall()
    columns = conn.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND NOT internal"
    ).fetchall()
    missing = [name for name, comment in relations if not comment]
    missing += [f"{t}.{c}" for t, c, comment in columns if not comment]
    print(f"comments: {len(relations)} tables and views, {len(columns)} columns, "
          f"{len(missing)} without a comment")
    if missing:
        print("without a comment: " + ", ".join(sorted(missing)), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])

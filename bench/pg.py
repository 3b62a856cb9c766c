"""Statements for the PostgreSQL server itself (CREATE and DROP DATABASE), run by the benchmark driver
(run.py) and the reminder sweep's benchmark (bench_sweep.py) on the databases they create and drop."""


def admin(server_url: str, *statements: str, connect_timeout: int) -> None:
    """Run `statements` in order on the server's `postgres` database, in autocommit."""
    # Imported here: without psycopg2 the callers report PostgreSQL as not measured rather than fail to load.
    import psycopg2

    connection = psycopg2.connect(f"{server_url}/postgres", connect_timeout=connect_timeout)
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()

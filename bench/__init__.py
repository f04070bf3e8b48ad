"""Data generator and benchmarks (never run in CI; see bench/README.md).

Both scripts take the database on the command line and point Django at it
before setup, so they never touch the development or test databases:

    .venv/bin/python -m bench.generate --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
    .venv/bin/python -m bench.run --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "config.settings.test"


def ensure_database(database_url: str) -> bool:
    """Create the PostgreSQL database named in the URL if it is missing.
    Returns True if it was created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("The benchmarks need a PostgreSQL database URL (postgres://...).")
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("The database URL names no database.")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def django_setup(database_url: str) -> None:
    """Point Django at `database_url` (test settings: fast hashers, locmem
    mail and cache, ALLOWED_HOSTS for the test client) and set it up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = database_url
    # Local-memory cache: the benchmark must not depend on a Redis being up.
    os.environ["REDIS_URL"] = ""
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)

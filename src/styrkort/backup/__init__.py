"""`styrkort backup FILE` and `styrkort restore FILE`: the database (SQLite's online backup
API, or `pg_dump`'s custom format on PostgreSQL), the uploaded files and a manifest of the
schema version in one file; see docs/backup.md."""

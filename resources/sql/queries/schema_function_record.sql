INSERT INTO schema_functions (name, sha256, schema_version, applied_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (name) DO UPDATE
SET sha256 = excluded.sha256, schema_version = excluded.schema_version,
    applied_at = excluded.applied_at

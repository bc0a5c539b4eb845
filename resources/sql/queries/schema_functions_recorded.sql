-- What the stored-function step ran before (server/storage/stored_functions.cpp).
SELECT name, sha256, schema_version FROM schema_functions

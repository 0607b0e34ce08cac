import { runCli } from './cli.js';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate.js';
import { roleNamesFrom } from './roles.js';

// The owner role's URL (MIGRATION_DATABASE_URL) where the runtime's DATABASE_URL is a less privileged
// role; one URL for both still works, and the output says the grants were skipped.
await runCli(
  'migrate',
  async (url) => ({ ...(await runMigrations(url, MIGRATIONS_FOLDER, roleNamesFrom(process.env))) }),
  ['MIGRATION_DATABASE_URL', 'DATABASE_URL'],
);

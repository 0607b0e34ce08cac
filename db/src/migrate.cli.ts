import { runCli } from './cli.js';
import { runMigrations } from './migrate.js';

await runCli('migrate', async (url) => ({ ...(await runMigrations(url)) }));

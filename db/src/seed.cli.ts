import { runCli } from './cli.js';
import { seedIfEmpty } from './seed.js';

await runCli('seed', async (url) => ({ ...(await seedIfEmpty(url)) }));

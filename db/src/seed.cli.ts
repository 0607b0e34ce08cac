import { runCli } from './cli.js';
import { describeSeedResult, seedIfEmpty } from './seed.js';

// The development data set signs in with a published password; it must never reach a production database
// (issue 3: "never a default password outside development").
if (process.env.NODE_ENV === 'production') {
  process.stderr.write('seed: refusing to load development data with NODE_ENV=production\n');
  process.exit(78);
}

await runCli('seed', async (url) => {
  const result = await seedIfEmpty(url);
  return { msg: describeSeedResult(result), ...result };
});

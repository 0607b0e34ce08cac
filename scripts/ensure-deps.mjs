#!/usr/bin/env node
// Runs before `npm start`, `npm test` and `npm run doctor` on a fresh clone, so it may use only Node's
// standard library: it checks the Node version and installs dependencies when node_modules is missing or
// older than package-lock.json (npm writes node_modules/.package-lock.json on every install).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `Node ${process.versions.node} is too old: this project needs Node 20.19 or newer (see .nvmrc).`,
  );
  console.error(
    '  fix: install Node 26 LTS, the line .nvmrc names (e.g. `nvm install`), and run the command again.',
  );
  process.exit(1);
}

const lock = path.join(root, 'package-lock.json');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  const started = Date.now();
  console.log('[deps] node_modules is missing or older than package-lock.json: running `npm ci`…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[deps] `npm ci` failed (see above).');
    console.error(
      '  fix: check your network access to the npm registry (and proxy/CA settings), then retry.',
    );
    process.exit(result.status ?? 1);
  }
  console.log(`[deps] installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

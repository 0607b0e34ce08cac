/**
 * The one change `npm run test:devcontainer` makes to the repository's dev container configurations:
 * build arguments that select a base image the engine has (no registry here) and switch the tool
 * downloads off (no release host here). Everything else is the file as committed, so what the suite
 * brings up is what VS Code, Codespaces and devcontainers/ci bring up. tests/infra/devcontainer.test.ts
 * holds the suite to that: an override may differ from its configuration in `build.args` only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonc } from '../../tests/infra/support/devcontainer-checks.js';

/** The build arguments the suite may set (both are ARGs of .devcontainer/Dockerfile). */
export const OVERRIDABLE_BUILD_ARGS = ['NODE_IMAGE', 'SKIP_TOOL_DOWNLOADS'] as const;
export type BuildArgOverrides = Partial<Record<(typeof OVERRIDABLE_BUILD_ARGS)[number], string>>;

/** The configurations the suite brings up, relative to the repository root. */
export const DEVCONTAINER_CONFIGS = ['.devcontainer/devcontainer.json', '.devcontainer/ci/devcontainer.json'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Config = { [key: string]: Json };

export function readConfig(file: string): Config {
  return parseJsonc<Config>(readFileSync(file, 'utf8'));
}

/** `config` with `args` merged into build.args (passed to the CLI as --override-config). */
export function overrideConfig(config: Config, args: BuildArgOverrides): Config {
  const out = structuredClone(config);
  const build = (out.build ?? {}) as Config;
  out.build = { ...build, args: { ...((build.args ?? {}) as Config), ...args } };
  return out;
}

/**
 * Where `override` differs from `original` other than in the allowed build arguments: JSON paths,
 * empty when the override is admissible.
 */
export function overrideDifferences(original: Config, override: Config): string[] {
  const out: string[] = [];
  const walk = (a: Json | undefined, b: Json | undefined, at: string) => {
    if (at.startsWith('/build/args/')) {
      const key = at.slice('/build/args/'.length);
      if (
        !(OVERRIDABLE_BUILD_ARGS as readonly string[]).includes(key) &&
        JSON.stringify(a) !== JSON.stringify(b)
      )
        out.push(`${at}: build argument ${key} is not one the suite may override`);
      return;
    }
    const isObj = (v: Json | undefined) => typeof v === 'object' && v !== null;
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a as Config), ...Object.keys(b as Config)]);
      for (const k of keys) walk((a as Config)[k], (b as Config)[k], `${at}/${k}`);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at || '/'}: differs`);
  };
  walk(original, override, '');
  return out;
}

/** The override the suite uses for one configuration of a workspace. */
export function suiteOverride(workspace: string, config: string, args: BuildArgOverrides): Config {
  return overrideConfig(readConfig(path.join(workspace, config)), args);
}

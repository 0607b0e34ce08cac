/**
 * Checks of .devcontainer/: devcontainer.json against the Dev Container JSON schema (draft 2019-09) and
 * the project's own rules (scripts exist and are executable, forwarded ports match docs/conventions.md
 * and the Tiltfile, every downloaded tool has a pinned version and sha256). Each check returns its
 * findings so tests/infra/devcontainer.test.ts can show it firing on a broken copy.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { repoRoot } from './k8s-render.js';

export const DEVCONTAINER_DIR = path.join(repoRoot, '.devcontainer');
export const DEVCONTAINER_JSON = path.join(DEVCONTAINER_DIR, 'devcontainer.json');
/** The unprivileged configuration CI jobs use: the same Dockerfile, no Docker engine inside. */
export const CI_DEVCONTAINER_JSON = path.join(DEVCONTAINER_DIR, 'ci', 'devcontainer.json');
export const TOOL_VERSIONS = path.join(DEVCONTAINER_DIR, 'tool-versions.env');

/** The Dev Container spec's schema, committed under tests/fixtures/ (SOURCE.md there: origin and licence). */
export const DEVCONTAINER_SCHEMA_DIR = path.join(repoRoot, 'tests', 'fixtures', 'devcontainer-schema');
export const DEVCONTAINER_SCHEMA = path.join(DEVCONTAINER_SCHEMA_DIR, 'devContainer.base.schema.json');

/** Ports devcontainer.json must forward besides the application's: Tilt's UI. */
export const TILT_UI_PORT = 10350;

/**
 * JSONC → JSON: removes // and /* *\/ comments outside strings and trailing commas before } or ],
 * which is what devcontainer.json allows on top of JSON.
 */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export function parseJsonc<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(stripJsonc(text)) as T;
}

export interface DevContainer {
  name?: string;
  build?: { dockerfile?: string; context?: string; args?: Record<string, string> };
  features?: Record<string, unknown>;
  remoteUser?: string;
  containerUser?: string;
  updateRemoteUserUID?: boolean;
  forwardPorts?: (number | string)[];
  portsAttributes?: Record<string, { label?: string }>;
  hostRequirements?: { cpus?: number; memory?: string; storage?: string };
  customizations?: { vscode?: { extensions?: string[] } };
  [key: string]: unknown;
}

export function readDevContainer(file = DEVCONTAINER_JSON): DevContainer {
  return parseJsonc<DevContainer>(readFileSync(file, 'utf8'));
}

let validator: ValidateFunction | undefined;

/** Compiled once. */
export function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  // The schema carries VS Code keywords (allowComments, deprecationMessage, …): not strict.
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  // CommonJS package: under NodeNext typing the default import is the module; `.default` is the plugin.
  addFormats.default(ajv);
  validator = ajv.compile(JSON.parse(readFileSync(DEVCONTAINER_SCHEMA, 'utf8')) as object);
  return validator;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const extra =
    'unevaluatedProperty' in error.params
      ? ` '${String(error.params.unevaluatedProperty)}'`
      : 'additionalProperty' in error.params
        ? ` '${String(error.params.additionalProperty)}'`
        : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}

/** Schema findings (deduplicated: the schema's oneOf branches repeat them). */
export function schemaErrors(doc: unknown, validate: ValidateFunction): string[] {
  if (validate(doc)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

const LIFECYCLE = [
  'initializeCommand',
  'onCreateCommand',
  'updateContentCommand',
  'postCreateCommand',
  'postStartCommand',
  'postAttachCommand',
] as const;

/** Commands of the lifecycle hooks, in their string, array and object (parallel) forms. */
export function lifecycleCommands(doc: DevContainer): { hook: string; argv: string[] }[] {
  const out: { hook: string; argv: string[] }[] = [];
  const add = (hook: string, value: unknown) => {
    if (typeof value === 'string') {
      for (const part of value.split(/&&|\|\||;|\|/)) {
        const argv = part.trim().split(/\s+/).filter(Boolean);
        if (argv.length > 0) out.push({ hook, argv });
      }
    } else if (Array.isArray(value)) {
      out.push({ hook, argv: value.map(String) });
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) add(`${hook}.${key}`, v);
    }
  };
  for (const hook of LIFECYCLE) add(hook, doc[hook]);
  return out;
}

/**
 * Every script a lifecycle hook runs (a command word with a `/`, relative to the workspace = repository
 * root) exists and is executable, and the build's Dockerfile and context exist.
 */
export function scriptErrors(
  doc: DevContainer,
  root = repoRoot,
  configDir = path.join(root, '.devcontainer'),
): string[] {
  const errors: string[] = [];
  for (const { hook, argv } of lifecycleCommands(doc)) {
    const [cmd = ''] = argv[0] === 'bash' || argv[0] === 'sh' ? argv.slice(1) : argv;
    if (!cmd.includes('/')) continue;
    const file = path.resolve(root, cmd);
    if (!existsSync(file)) {
      errors.push(`${hook}: ${cmd} does not exist`);
      continue;
    }
    try {
      accessSync(file, constants.X_OK);
    } catch {
      if (argv[0] !== 'bash' && argv[0] !== 'sh') errors.push(`${hook}: ${cmd} is not executable`);
    }
  }
  const dockerfile = doc.build?.dockerfile;
  if (!dockerfile)
    errors.push('build.dockerfile is not set (the image is built from .devcontainer/Dockerfile)');
  else if (!existsSync(path.resolve(configDir, dockerfile)))
    errors.push(`build.dockerfile ${dockerfile} does not exist`);
  const context = doc.build?.context ?? '.';
  const contextDir = path.resolve(configDir, context);
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory())
    errors.push(`build.context ${context} is not a directory`);
  return errors;
}

/** The ports docs/conventions.md names for the API, the worker and the Vite dev server. */
export function conventionPorts(conventions: string): { api?: number; worker?: number; web?: number } {
  const row = (label: RegExp) => {
    const line = conventions.split('\n').find((l) => l.startsWith('|') && label.test(l));
    const port = line?.split('|')[2]?.match(/\b(\d{4,5})\b/);
    return port ? Number(port[1]) : undefined;
  };
  return {
    api: row(/API HTTP port/),
    worker: row(/Worker health \+ metrics port/),
    web: row(/Web dev server \(Vite\)/),
  };
}

/**
 * forwardPorts = the Tilt UI + the conventions' API, worker and Vite ports, each with a label; and the
 * Tiltfile forwards the same application ports (what the container forwards is what Tilt serves).
 */
export function portErrors(doc: DevContainer, conventions: string, tiltPorts?: number[]): string[] {
  const errors: string[] = [];
  const want = conventionPorts(conventions);
  for (const [name, port] of Object.entries(want)) {
    if (port === undefined) errors.push(`docs/conventions.md: no ${name} port found`);
  }
  const expected = [TILT_UI_PORT, want.api, want.worker, want.web].filter(
    (p): p is number => p !== undefined,
  );
  const forwarded = (doc.forwardPorts ?? []).map((p) => Number(p));
  for (const p of expected) if (!forwarded.includes(p)) errors.push(`forwardPorts lacks ${p}`);
  for (const p of forwarded)
    if (!expected.includes(p)) errors.push(`forwardPorts has ${p}, which no convention names`);
  for (const p of forwarded) {
    if (!doc.portsAttributes?.[String(p)]?.label) errors.push(`portsAttributes["${p}"] has no label`);
  }
  if (tiltPorts) {
    for (const p of [want.api, want.worker, want.web]) {
      if (p !== undefined && !tiltPorts.includes(p)) errors.push(`the Tiltfile does not forward ${p}`);
    }
  }
  return errors;
}

/** The house rules for the container itself (issue 5). */
export function policyErrors(doc: DevContainer, dockerfileText: string): string[] {
  const errors: string[] = [];
  if (!doc.remoteUser || doc.remoteUser === 'root') errors.push('remoteUser must be a non-root user');
  if (doc.updateRemoteUserUID !== true)
    errors.push('updateRemoteUserUID must be true (bind-mount ownership)');
  // The container's own Docker engine comes from the image (Debian's docker.io), not from a feature a
  // registry-less machine cannot fetch; it needs a privileged container and /var/lib/docker on a volume.
  for (const f of Object.keys(doc.features ?? {}))
    errors.push(`feature ${f}: features are fetched from a registry; install it in the Dockerfile instead`);
  if (doc.privileged !== true)
    errors.push('privileged must be true (the container runs its own Docker engine for kind)');
  const mounts = (doc.mounts ?? []) as ({ target?: string; type?: string } | string)[];
  if (!mounts.some((m) => typeof m === 'object' && m.target === '/var/lib/docker' && m.type === 'volume'))
    errors.push('no volume mounted on /var/lib/docker (overlay2 cannot stack on the container root)');
  if (!/\bdocker\.io\b/.test(dockerfileText)) errors.push('Dockerfile does not install docker.io');
  const extensions = doc.customizations?.vscode?.extensions ?? [];
  for (const id of [
    'tilt-dev.tiltfile',
    'biomejs.biome',
    'vitest.explorer',
    'ms-azuretools.vscode-docker',
    'ms-kubernetes-tools.vscode-kubernetes-tools',
  ]) {
    if (!extensions.includes(id)) errors.push(`customizations.vscode.extensions lacks ${id}`);
  }
  const hr = doc.hostRequirements ?? {};
  if (hr.cpus !== 4 || hr.memory !== '8gb' || hr.storage !== '32gb') {
    errors.push(`hostRequirements must be 4 cpus / 8gb / 32gb, got ${JSON.stringify(hr)}`);
  }
  if (typeof doc.onCreateCommand !== 'string' || !/\bnpm ci\b/.test(doc.onCreateCommand)) {
    errors.push('onCreateCommand must install dependencies with npm ci');
  }
  // The Dockerfile: base image as a build argument defaulting to what devcontainer.json passes, the
  // skip switch, no download outside install-tools.sh (which pins and verifies).
  const defaultImage = /^ARG NODE_IMAGE=(\S+)/m.exec(dockerfileText)?.[1];
  if (!defaultImage) errors.push('Dockerfile: no `ARG NODE_IMAGE=<default>` before FROM');
  else if (doc.build?.args?.NODE_IMAGE && doc.build.args.NODE_IMAGE !== defaultImage) {
    errors.push(
      `build.args.NODE_IMAGE ${doc.build.args.NODE_IMAGE} differs from the Dockerfile default ${defaultImage}`,
    );
  }
  if (!/^FROM \$\{NODE_IMAGE\}/m.test(dockerfileText))
    errors.push('Dockerfile: FROM must use the NODE_IMAGE build argument');
  if (!/^ARG SKIP_TOOL_DOWNLOADS=0$/m.test(dockerfileText))
    errors.push('Dockerfile: ARG SKIP_TOOL_DOWNLOADS=0 missing');
  if (/\b(curl|wget)\b[^\n]*https?:|^ADD\s+https?:/m.test(dockerfileText)) {
    errors.push(
      'Dockerfile downloads something itself; every download goes through install-tools.sh (pinned, verified)',
    );
  }
  for (const pkg of ['postgresql-client-15', 'redis-tools']) {
    if (!dockerfileText.includes(pkg)) errors.push(`Dockerfile does not install ${pkg}`);
  }
  if (!/install-tools\.sh/.test(dockerfileText)) errors.push('Dockerfile does not run install-tools.sh');
  return errors;
}

/** KEY=value lines (quotes stripped, comments and blanks skipped), as `source` would read them. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    env[m[1] as string] = (m[2] as string).replace(/^"(.*)"$/, '$1');
  }
  return env;
}

export const ARCHES = ['amd64', 'arm64'] as const;
export const SHA256 = /^[0-9a-f]{64}$/;
export const UNVERIFIED = 'TODO-verify';

/**
 * Every tool the image downloads (TOOLS) has a version, a URL template using it, an archive member
 * (possibly empty), and per architecture a release arch name and a sha256 (or the explicit TODO-verify
 * marker, which makes the build fail for that architecture), plus where the checksum came from.
 */
export function versionsErrors(env: Record<string, string>): string[] {
  const errors: string[] = [];
  const tools = (env.TOOLS ?? '').split(/\s+/).filter(Boolean);
  if (tools.length === 0) errors.push('TOOLS is empty');
  for (const want of ['tilt', 'kind', 'ctlptl', 'kubectl', 'k6']) {
    if (!tools.includes(want)) errors.push(`TOOLS lacks ${want}`);
  }
  for (const tool of tools) {
    const up = tool.toUpperCase();
    const version = env[`${up}_VERSION`];
    if (!version || !/^\d+\.\d+\.\d+$/.test(version))
      errors.push(`${up}_VERSION must be a pinned x.y.z, got ${version}`);
    const url = env[`${up}_URL`];
    if (!url?.startsWith('https://') || !url.includes('{version}') || !url.includes('{arch}')) {
      errors.push(`${up}_URL must be an https template with {version} and {arch}`);
    }
    if (!(`${up}_MEMBER` in env)) errors.push(`${up}_MEMBER is missing (empty for a plain binary)`);
    const sums = env[`${up}_CHECKSUMS_URL`];
    if (!sums?.startsWith('https://') || !sums.includes('{version}'))
      errors.push(
        `${up}_CHECKSUMS_URL must be the release's published checksum file (https, with {version})`,
      );
    if (!env[`${up}_SHA256_SOURCE`])
      errors.push(`${up}_SHA256_SOURCE is missing (where the checksums came from)`);
    for (const arch of ARCHES) {
      if (!env[`${up}_ARCH_${arch}`]) errors.push(`${up}_ARCH_${arch} is missing`);
      const sum = env[`${up}_SHA256_${arch}`];
      if (sum === undefined) errors.push(`${up}_SHA256_${arch} is missing`);
      else if (sum !== UNVERIFIED && !SHA256.test(sum))
        errors.push(`${up}_SHA256_${arch} is not a sha256: ${sum}`);
    }
  }
  const node = env.KIND_NODE_IMAGE;
  if (!node || !/^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/.test(node)) {
    errors.push(
      'KIND_NODE_IMAGE must be kindest/node:vX.Y.Z@sha256:<digest> (kind supports images by digest)',
    );
  }
  return errors;
}

/** Checksums nobody has verified yet, as `TOOL version arch`. */
export function unverifiedChecksums(env: Record<string, string>): string[] {
  const tools = (env.TOOLS ?? '').split(/\s+/).filter(Boolean);
  return tools.flatMap((tool) => {
    const up = tool.toUpperCase();
    return ARCHES.filter((arch) => env[`${up}_SHA256_${arch}`] === UNVERIFIED).map(
      (arch) => `${tool} ${env[`${up}_VERSION`]} linux/${arch}`,
    );
  });
}

/**
 * The Dockerfile's COPY sources are admitted by the build context's .dockerignore (an allowlist). The
 * context is .devcontainer/, so that one file applies whichever way the image is built: the classic
 * builder and BuildKit read the context's .dockerignore, and so does a build of the Dockerfile the CLI
 * generates elsewhere (features, updateRemoteUserUID; devcontainers/cli issue 969). A
 * Dockerfile.dockerignore beside the Dockerfile would be read by BuildKit alone, so there must be none.
 */
export function contextErrors(
  dockerfileText: string,
  dockerignoreText: string,
  dockerfileIgnoreExists = false,
): string[] {
  const allowed = dockerignoreText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
  const errors: string[] = [];
  if (!dockerignoreText.split('\n').some((l) => l.trim() === '*')) {
    errors.push('.devcontainer/.dockerignore must start from `*` (allowlist)');
  }
  if (dockerfileIgnoreExists)
    errors.push(
      '.devcontainer/Dockerfile.dockerignore exists: BuildKit would apply it instead of .dockerignore',
    );
  for (const m of dockerfileText.matchAll(/^COPY\s+(?:--\S+\s+)*(.+)$/gm)) {
    const words = (m[1] as string).trim().split(/\s+/);
    for (const src of words.slice(0, -1)) {
      if (!allowed.includes(src)) errors.push(`COPY ${src}: not allowed by .devcontainer/.dockerignore`);
    }
  }
  return errors;
}

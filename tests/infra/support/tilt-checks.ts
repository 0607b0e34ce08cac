/**
 * Checks of the Tiltfile's declarations (recorded by tilt_eval.py against stub built-ins) against the
 * repository and the rendered dev overlay. Each check is a function returning findings (empty = holds),
 * so tests/infra/tilt.test.ts can show every one of them firing on a deliberately broken Tiltfile.
 * docs/tilt.md lists what these checks prove and what only a real `tilt up` does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from './k8s-objects.js';
import { renderKustomization, repoRoot } from './k8s-render.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TILT_EVAL = path.join(here, 'tilt_eval.py');
export const TILTFILE = path.join(repoRoot, 'Tiltfile');

/** The local resource `tilt ci` runs to prove the loop end to end (scripts/dev/tilt-smoke.mjs). */
export const SMOKE_RESOURCE = 'smoke';

/** Tilt's own HTTP port (the UI); a port forward on it would fail to bind. */
export const TILT_UI_PORT = 10350;
/** The labels the Tilt UI groups resources by (issue 5). */
export const RESOURCE_LABELS = ['infra', 'backend', 'frontend', 'test'] as const;

export interface LiveUpdateStep {
  step: 'sync' | 'run' | 'fall_back_on' | 'initial_sync' | 'restart_container';
  local_path?: string;
  remote_path?: string;
  files?: string[];
  cmd?: string;
  trigger?: string[];
}

export interface DockerBuild {
  ref: string;
  context: string;
  dockerfile: string;
  target: string;
  only: string[];
  ignore: string[];
  build_args: Record<string, string>;
  platform: string;
  live_update: LiveUpdateStep[];
}

export interface PortForward {
  local_port: number;
  container_port: number | null;
  name: string | null;
  link_path: string | null;
  host: string | null;
}

export interface Link {
  url: string;
  name: string;
}

export interface K8sResource {
  workload: string;
  new_name: string;
  port_forwards: PortForward[];
  resource_deps: string[];
  objects: string[];
  labels: string[];
  links: Link[];
  trigger_mode: string;
  auto_init: boolean;
}

export interface LocalResource {
  name: string;
  cmd: string;
  serve_cmd: string;
  deps: string[];
  resource_deps: string[];
  labels: string[];
  links: Link[];
  trigger_mode: string;
  auto_init: boolean;
  allow_parallel: boolean;
  env: Record<string, string>;
}

/** A button declared with the uibutton extension's cmd_button (tilt-extensions uibutton/Tiltfile). */
export interface Button {
  name: string;
  resource: string;
  argv: string[];
  text: string;
  location: string;
  icon_name: string | null;
  inputs: {
    name: string;
    label: string;
    bool?: { defaultValue: boolean; trueString?: string; falseString?: string };
    text?: { defaultValue: string; placeholder: string };
  }[];
}

/** A resource as Tilt assembles it (tilt_eval.py `_assemble`, after tiltfile_state.go assembleK8sV2). */
export interface AssembledResource {
  name: string;
  /** `Kind/name` of every object in it. */
  objects: string[];
  /** Images its workload runs (name without tag). */
  images: string[];
}

export interface TiltEvaluation {
  tiltfile: string;
  args: string[];
  subcommand: string;
  /** Tilt's own error text when Tilt would refuse to load the Tiltfile (the stub stops at the first). */
  error: string | null;
  kustomizations: string[];
  loads: string[];
  buttons: Button[];
  resources: AssembledResource[];
  /** Objects in no resource: Tilt shows them as "uncategorized". */
  unresourced: string[];
  /** Live updates Tilt would attempt and fail at run time, falling back to a full image build. */
  live_update_failures: { image: string; resource: string; message: string }[];
  starlark_errors: string[];
  docker_builds: DockerBuild[];
  k8s_yaml: { source: string }[];
  k8s_resources: K8sResource[];
  local_resources: LocalResource[];
  config: {
    definitions: { kind: string; name: string; args: boolean; usage: string }[];
    parse_called: boolean;
    enabled_resources: string[] | null;
  };
  settings: Record<string, Record<string, unknown>>;
  warnings: string[];
  local_commands: unknown[];
}

export interface TiltJob {
  tiltfile: string;
  /** What follows `tilt up` (resource or label names). */
  args?: string[];
  subcommand?: 'up' | 'ci' | 'down';
}

/**
 * Runs Tiltfiles under the stub built-ins, all in one python3 process (its start-up dominates the cost).
 * Results come back in the order of `jobs`.
 */
export function evaluateTiltfiles(jobs: TiltJob[]): TiltEvaluation[] {
  const out = execFileSync('python3', [TILT_EVAL, '--batch', '--base', repoRoot], {
    input: JSON.stringify(
      jobs.map((j) => ({ tiltfile: j.tiltfile, args: j.args ?? [], subcommand: j.subcommand ?? 'up' })),
    ),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as TiltEvaluation[];
}

export function evaluateTiltfile(
  tiltfile = TILTFILE,
  args: string[] = [],
  subcommand: 'up' | 'ci' | 'down' = 'up',
): TiltEvaluation {
  const [ev] = evaluateTiltfiles([{ tiltfile, args, subcommand }]);
  if (!ev) throw new Error('tilt_eval.py returned nothing');
  return ev;
}

// ---------------------------------------------------------------------------------------------------
// What Tilt deploys: the overlay(s) passed to k8s_yaml(kustomize(...)), rendered.

const renders = new Map<string, K8sObject[]>();

export function deployedObjects(ev: TiltEvaluation): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const { source } of ev.k8s_yaml) {
    if (!source.startsWith('kustomize:')) continue;
    const dir = path.resolve(repoRoot, source.slice('kustomize:'.length));
    let rendered = renders.get(dir);
    if (!rendered) {
      rendered = renderKustomization(dir);
      renders.set(dir, rendered);
    }
    objects.push(...rendered);
  }
  return objects;
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicaSet',
  'Pod',
]);

interface Container {
  name: string;
  image: string;
  ports?: { containerPort: number }[];
  env?: { name: string; value?: string }[];
}

interface Workload {
  name: string;
  kind: string;
  labels: Record<string, string>;
  containers: Container[];
}

/** Tilt makes one resource per workload, named after it (lower-case). */
export function workloadsOf(objects: K8sObject[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((o) => {
      const spec = o.spec as Record<string, unknown> | undefined;
      const template =
        o.kind === 'Pod'
          ? { metadata: o.metadata, spec }
          : o.kind === 'CronJob'
            ? ((spec?.jobTemplate as Record<string, Record<string, unknown>>)?.spec?.template as Record<
                string,
                unknown
              >)
            : (spec?.template as Record<string, unknown>);
      const podSpec = (template?.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
      const meta = (template?.metadata ?? {}) as { labels?: Record<string, string> };
      return {
        name: o.metadata.name.toLowerCase(),
        kind: o.kind,
        labels: meta.labels ?? {},
        containers: [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])],
      };
    });
}

/** Image name without tag or digest: `osint-api:dev` → `osint-api`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** Every resource name: Tilt's assembled k8s resources (the stub's), else one per workload, plus locals. */
export function resourceNames(ev: TiltEvaluation, objects: K8sObject[]): Set<string> {
  const names = new Set(
    ev.resources.length > 0 ? ev.resources.map((r) => r.name) : workloadsOf(objects).map((w) => w.name),
  );
  for (const r of ev.k8s_resources) if (r.new_name) names.add(r.new_name);
  for (const r of ev.local_resources) names.add(r.name);
  return names;
}

/** Every resource with its deps (workload resources without a k8s_resource call have none). */
export function dependencyGraph(ev: TiltEvaluation, objects: K8sObject[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const name of resourceNames(ev, objects)) graph.set(name, []);
  for (const r of ev.k8s_resources) {
    const name = r.new_name || r.workload;
    graph.set(name, [...(graph.get(name) ?? []), ...r.resource_deps]);
  }
  for (const r of ev.local_resources) graph.set(r.name, [...r.resource_deps]);
  return graph;
}

// ---------------------------------------------------------------------------------------------------
// Dockerfiles

export interface DockerfileStage {
  name: string;
  from: string;
  /** Index of the stage this one is built FROM, or -1 for an external image. */
  parent: number;
  instructions: { op: string; args: string }[];
}

/** Stages of a Dockerfile: `FROM <image> [AS <name>]` and the instructions under each. */
export function parseDockerfile(text: string): DockerfileStage[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (current === '' && /^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    if (current !== '' && /^\s*#/.test(line)) continue; // comment inside a continuation
    current += line;
    if (current.trim()) lines.push(current.trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());

  const stages: DockerfileStage[] = [];
  for (const line of lines) {
    const match = /^(\S+)\s*(.*)$/s.exec(line);
    if (!match) continue;
    const op = (match[1] ?? '').toUpperCase();
    const args = match[2] ?? '';
    if (op === 'FROM') {
      const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const from = words[0] ?? '';
      const asIndex = words.findIndex((w) => w.toLowerCase() === 'as');
      const name = asIndex >= 0 ? (words[asIndex + 1] ?? '') : '';
      const parent = stages.findIndex((s) => s.name !== '' && s.name.toLowerCase() === from.toLowerCase());
      stages.push({ name, from, parent, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]?.instructions.push({ op, args });
    }
  }
  return stages;
}

/** The target stage and its ancestors, oldest first; empty when the target does not exist. */
export function stageChain(stages: DockerfileStage[], target: string): DockerfileStage[] {
  let index = target
    ? stages.findIndex((s) => s.name.toLowerCase() === target.toLowerCase())
    : stages.length - 1;
  const chain: DockerfileStage[] = [];
  while (index >= 0) {
    const stage = stages[index];
    if (!stage || chain.includes(stage)) break;
    chain.unshift(stage);
    index = stage.parent;
  }
  return chain;
}

/** The working directory a container of the target stage starts in ('/' if never set). */
export function workdirOf(chain: DockerfileStage[]): string {
  let dir = '/';
  for (const stage of chain) {
    for (const { op, args } of stage.instructions) {
      if (op === 'WORKDIR') dir = path.posix.resolve(dir, args.trim().replace(/^["']|["']$/g, ''));
    }
  }
  return dir;
}

/** Build-context paths the target stage (and its ancestors) COPY/ADD; `--from` copies excluded. */
export function copySources(chain: DockerfileStage[]): string[] {
  const sources: string[] = [];
  for (const stage of chain) {
    for (const { op, args } of stage.instructions) {
      if (op !== 'COPY' && op !== 'ADD') continue;
      const words: string[] = [];
      let rest = args.trim();
      let fromOtherStage = false;
      while (rest.startsWith('--')) {
        const [flag = '', ...tail] = rest.split(/\s+/);
        if (flag.startsWith('--from')) fromOtherStage = true;
        rest = tail.join(' ');
      }
      if (fromOtherStage) continue;
      if (rest.startsWith('[')) words.push(...(JSON.parse(rest) as string[]));
      else words.push(...rest.split(/\s+/));
      for (const src of words.slice(0, -1)) {
        if (/^https?:\/\//.test(src)) continue;
        sources.push(src.replace(/^\.\//, '').replace(/\/$/, '') || '.');
      }
    }
  }
  return sources;
}

// ---------------------------------------------------------------------------------------------------
// Path rules (Tilt's `only` and dockerignore-style `ignore`)

const norm = (p: string) => path.posix.normalize(p.replace(/^\.\//, '')).replace(/\/$/, '');

/** `only` keeps a path if the path is, or is inside, one of its entries (an empty list keeps all). */
export function coveredByOnly(p: string, only: string[]): boolean {
  if (only.length === 0) return true;
  const target = norm(p);
  return only.some((entry) => {
    const e = norm(entry);
    return e === '.' || target === e || target.startsWith(`${e}/`);
  });
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = norm(glob);
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*') {
      if (g[i + 1] === '*') {
        re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += g[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** dockerignore semantics: a path is ignored when it or one of its parent directories matches. */
export function ignoredBy(p: string, patterns: string[]): string | undefined {
  const parts = norm(p).split('/');
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    for (let i = 1; i <= parts.length; i++) {
      if (re.test(parts.slice(0, i).join('/'))) return pattern;
    }
  }
  return undefined;
}

/**
 * A .dockerignore as Docker (moby's patternmatcher) reads it: patterns in order, the last one matching the
 * path or one of its parent directories decides, `!` re-includes. Returns whether `p` is excluded.
 */
export function dockerignoreExcludes(p: string, dockerignore: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ negated: l.startsWith('!'), re: globToRegExp(l.replace(/^!/, '').replace(/^\//, '')) }));
  const parts = norm(p).split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const { negated, re } of patterns) {
    if (candidates.some((c) => re.test(c))) excluded = !negated;
  }
  return excluded;
}

/** The ignore file Docker applies to a build: `<Dockerfile>.dockerignore` (BuildKit) or the context's. */
function dockerignoreFor(b: DockerBuild): { file: string; text: string } | undefined {
  const contextDir = path.resolve(repoRoot, b.context);
  for (const file of [
    path.resolve(contextDir, `${b.dockerfile}.dockerignore`),
    path.join(contextDir, '.dockerignore'),
  ]) {
    if (existsSync(file)) return { file: path.relative(repoRoot, file), text: readFileSync(file, 'utf8') };
  }
  return undefined;
}

function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Files under the context matching a glob source (walks only below the glob's literal prefix). */
function expandGlob(contextDir: string, glob: string): string[] {
  const segments = norm(glob).split('/');
  const literal: string[] = [];
  for (const s of segments) {
    if (hasGlob(s)) break;
    literal.push(s);
  }
  const start = path.join(contextDir, ...literal);
  if (!existsSync(start)) return [];
  const re = globToRegExp(glob);
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const rel = path.relative(contextDir, full).split(path.sep).join('/');
      if (re.test(rel)) found.push(rel);
      if (entry.isDirectory()) walk(full, depth + 1);
    }
  };
  walk(start, 0);
  return found;
}

// ---------------------------------------------------------------------------------------------------
// The checks. Each returns its findings; `[]` means it holds.

/** The Tiltfile ran to the end under the stubs and stayed inside the Starlark subset. */
export function evaluationErrors(ev: TiltEvaluation): string[] {
  return [...ev.starlark_errors, ...(ev.error ? [`Tiltfile failed: ${ev.error}`] : [])];
}

/** Tilt's warnings at load time (an ignored resource_dep, ...): the Tiltfile must load without any. */
export function warningErrors(ev: TiltEvaluation): string[] {
  return ev.warnings.map((w) => `Tilt warns: ${w}`);
}

/** It deploys the dev overlay with kustomize. */
export function manifestErrors(ev: TiltEvaluation): string[] {
  const sources = ev.k8s_yaml.map((y) => y.source);
  return sources.includes('kustomize:k8s/overlays/dev')
    ? []
    : [`k8s_yaml must deploy kustomize('k8s/overlays/dev'); it deploys ${JSON.stringify(sources)}`];
}

/** Every image it builds runs in a deployed workload, and every project image a workload runs is built. */
export function imageErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const used = new Map<string, string[]>();
  for (const w of workloadsOf(objects)) {
    for (const c of w.containers) {
      const name = imageName(c.image);
      used.set(name, [...(used.get(name) ?? []), `${w.kind}/${w.name}`]);
    }
  }
  const built = new Set(ev.docker_builds.map((b) => imageName(b.ref)));
  for (const b of ev.docker_builds) {
    if (!used.has(imageName(b.ref))) {
      errors.push(`docker_build('${b.ref}') builds an image no workload in the dev overlay runs`);
    }
  }
  for (const [name, users] of used) {
    if (name.startsWith('osint-') && !built.has(name)) {
      errors.push(
        `${users.join(', ')} run(s) ${name}, which no docker_build builds (the cluster would pull it)`,
      );
    }
  }
  const refs = ev.docker_builds.map((b) => b.ref);
  for (const ref of new Set(refs)) {
    if (refs.filter((r) => r === ref).length > 1) errors.push(`docker_build('${ref}') declared twice`);
  }
  return errors;
}

function readStages(b: DockerBuild): DockerfileStage[] | undefined {
  const file = path.resolve(repoRoot, b.context, b.dockerfile);
  if (!existsSync(file)) return undefined;
  return parseDockerfile(readFileSync(file, 'utf8'));
}

/** Every Dockerfile it builds exists and has the stage it targets (`FROM … AS <target>`). */
export function dockerfileErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const b of ev.docker_builds) {
    const stages = readStages(b);
    if (!stages) {
      errors.push(`docker_build('${b.ref}'): Dockerfile ${b.dockerfile} does not exist`);
      continue;
    }
    if (!b.target) {
      errors.push(`docker_build('${b.ref}'): no target; the dev image is the Dockerfile's \`dev\` stage`);
      continue;
    }
    if (stageChain(stages, b.target).length === 0) {
      const names = stages.map((s) => s.name).filter(Boolean);
      errors.push(
        `docker_build('${b.ref}'): ${b.dockerfile} has no stage '${b.target}' (stages: ${names.join(', ') || 'none named'})`,
      );
    }
  }
  return errors;
}

/** Every `only` path exists, and everything the Dockerfile target COPYs from the context is inside `only`. */
export function onlyErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const b of ev.docker_builds) {
    const contextDir = path.resolve(repoRoot, b.context);
    for (const entry of b.only) {
      if (!existsSync(path.join(contextDir, entry))) {
        errors.push(`docker_build('${b.ref}'): only= path ${entry} does not exist`);
      }
    }
    const stages = readStages(b);
    if (!stages) continue;
    for (const src of copySources(stageChain(stages, b.target))) {
      if (src === '.') continue;
      const paths = hasGlob(src) ? expandGlob(contextDir, src) : [src];
      if (hasGlob(src) && paths.length === 0) {
        errors.push(`docker_build('${b.ref}'): ${b.dockerfile} copies ${src}, which matches nothing`);
      }
      for (const p of paths) {
        if (!coveredByOnly(p, b.only)) {
          errors.push(
            `docker_build('${b.ref}'): ${b.dockerfile} copies ${p}, which only= leaves out of the context`,
          );
        } else if (ignoredBy(p, b.ignore)) {
          errors.push(
            `docker_build('${b.ref}'): ${b.dockerfile} copies ${p}, which ignore= removes from the context`,
          );
        }
      }
    }
  }
  return errors;
}

/**
 * Every live_update sync source exists inside the build context and reaches the image (in `only`, not
 * ignored), and lands under the working directory of the Dockerfile target (where the app runs).
 */
export function syncErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const b of ev.docker_builds) {
    const contextDir = path.resolve(repoRoot, b.context);
    const stages = readStages(b);
    const chain = stages ? stageChain(stages, b.target) : [];
    const workdir = chain.length > 0 ? workdirOf(chain) : undefined;
    for (const step of b.live_update.filter((s) => s.step === 'sync')) {
      const local = step.local_path ?? '';
      const remote = step.remote_path ?? '';
      const full = path.resolve(contextDir, local);
      const rel = path.relative(contextDir, full).split(path.sep).join('/');
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        errors.push(`docker_build('${b.ref}'): sync source ${local} is outside the build context`);
        continue;
      }
      if (!existsSync(full)) errors.push(`docker_build('${b.ref}'): sync source ${local} does not exist`);
      if (!coveredByOnly(rel, b.only))
        errors.push(`docker_build('${b.ref}'): sync source ${local} is not in only=`);
      const ignored = ignoredBy(rel, b.ignore);
      if (ignored) errors.push(`docker_build('${b.ref}'): sync source ${local} is ignored (${ignored})`);
      if (!remote.startsWith('/')) {
        errors.push(`docker_build('${b.ref}'): sync destination ${remote} must be absolute`);
      } else if (workdir && remote !== workdir && !remote.startsWith(`${workdir.replace(/\/$/, '')}/`)) {
        errors.push(
          `docker_build('${b.ref}'): sync destination ${remote} is not under the image's working directory ${workdir}`,
        );
      } else if (workdir && remote !== `${workdir.replace(/\/$/, '')}/${rel}`) {
        errors.push(
          `docker_build('${b.ref}'): sync ${local} -> ${remote}, but the image has it at ${workdir.replace(/\/$/, '')}/${rel}`,
        );
      }
    }
  }
  return errors;
}

/** fall_back_on names files that exist (a typo would silently never trigger a rebuild). */
export function fallBackErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const b of ev.docker_builds) {
    if (b.live_update.length === 0) continue;
    const steps = b.live_update.filter((s) => s.step === 'fall_back_on');
    if (steps.length === 0) errors.push(`docker_build('${b.ref}'): live_update has no fall_back_on`);
    for (const step of steps) {
      for (const f of step.files ?? []) {
        if (!existsSync(path.resolve(repoRoot, b.context, f))) {
          errors.push(`docker_build('${b.ref}'): fall_back_on file ${f} does not exist`);
        }
      }
      for (const must of ['package.json', 'package-lock.json', b.dockerfile]) {
        if (!(step.files ?? []).includes(must)) {
          errors.push(`docker_build('${b.ref}'): fall_back_on must include ${must}`);
        }
      }
    }
  }
  return errors;
}

/** Every k8s_resource names a deployed workload; every resource_deps entry names a resource; no cycles. */
export function resourceDepErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const names = resourceNames(ev, objects);
  const workloads = new Set(workloadsOf(objects).map((w) => w.name));
  for (const r of ev.k8s_resources) {
    if (r.workload && !workloads.has(r.workload) && !ev.resources.some((a) => a.name === r.workload)) {
      errors.push(`k8s_resource('${r.workload}'): no such workload in the dev overlay`);
    }
  }
  const graph = dependencyGraph(ev, objects);
  for (const [name, deps] of graph) {
    for (const dep of deps) {
      if (!names.has(dep)) errors.push(`${name}: resource_deps names '${dep}', which is not a resource`);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      errors.push(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    visiting.add(name);
    for (const dep of graph.get(name) ?? []) visit(dep, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of graph.keys()) visit(name, []);
  return errors;
}

/**
 * Every rendered object is in a resource. Tilt attaches each workload's Services to it and puts each
 * `objects=` fragment's object where the k8s_resource says (the stub does both as Tilt does, and fails
 * the evaluation with Tilt's text on a fragment that is no exact name[:kind[:namespace[:group]]] of
 * one object); whatever is left, the UI shows as "uncategorized" and no resource_deps can wait for it.
 */
export function objectErrors(ev: TiltEvaluation): string[] {
  return ev.unresourced.map((id) => `${id} is in no resource (it would be "uncategorized")`);
}

/**
 * Port forwards: no local port twice (nor Tilt's own 10350), and each forwards to a port the workload's
 * containers declare.
 */
export function portForwardErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const seen = new Map<number, string>([[TILT_UI_PORT, 'the Tilt UI']]);
  const workloads = new Map(workloadsOf(objects).map((w) => [w.name, w]));
  for (const r of ev.k8s_resources) {
    const name = r.new_name || r.workload;
    for (const pf of r.port_forwards) {
      const other = seen.get(pf.local_port);
      if (other) errors.push(`${name}: local port ${pf.local_port} is already forwarded by ${other}`);
      else seen.set(pf.local_port, name);
      const w = workloads.get(r.workload);
      if (!w) {
        errors.push(`${name}: port forward ${pf.local_port} on a resource without a workload`);
        continue;
      }
      const target = pf.container_port ?? pf.local_port;
      const ports = w.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
      if (!ports.includes(target)) {
        errors.push(
          `${name}: forwards to container port ${target}; the containers declare ${ports.join(', ') || 'none'}`,
        );
      }
    }
  }
  return errors;
}

/** Vite's HMR client connects to the page's port: the web forward must keep it, or the pod must say so. */
export function hmrErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const web = ev.k8s_resources.find((r) => r.workload === 'web');
  const pf = web?.port_forwards[0];
  if (!web || !pf) return ['web: no port forward for the Vite dev server'];
  const container = workloadsOf(objects).find((w) => w.name === 'web')?.containers[0];
  const clientPort = container?.env?.find((e) => e.name === 'VITE_HMR_CLIENT_PORT')?.value;
  const target = pf.container_port ?? pf.local_port;
  if (clientPort !== undefined) {
    return Number(clientPort) === pf.local_port
      ? []
      : [`web: VITE_HMR_CLIENT_PORT=${clientPort} but the browser reaches Vite on ${pf.local_port}`];
  }
  return pf.local_port === target
    ? []
    : [
        `web: forwards local ${pf.local_port} to Vite's ${target}; HMR would dial ${pf.local_port} ` +
          'only with VITE_HMR_CLIENT_PORT set in the web container',
      ];
}

/** Every resource carries one of the UI labels, and each label is used. */
export function labelErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const allowed = new Set<string>(RESOURCE_LABELS);
  const labelled = new Map<string, string[]>();
  for (const r of ev.k8s_resources) labelled.set(r.new_name || r.workload, r.labels);
  for (const r of ev.local_resources) labelled.set(r.name, r.labels);
  for (const name of resourceNames(ev, objects)) {
    const labels = labelled.get(name) ?? [];
    if (labels.length === 0) errors.push(`${name}: no label (one of ${RESOURCE_LABELS.join(', ')})`);
    for (const l of labels) if (!allowed.has(l)) errors.push(`${name}: unknown label '${l}'`);
  }
  const used = new Set([...labelled.values()].flat());
  for (const l of RESOURCE_LABELS) if (!used.has(l)) errors.push(`no resource is labelled '${l}'`);
  return errors;
}

/** Test and lint resources run only when asked: manual trigger, not at `tilt up`. */
export function localResourceErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const r of ev.local_resources) {
    if (!r.labels.includes('test')) continue;
    if (r.trigger_mode !== 'manual') errors.push(`${r.name}: test resource must use TRIGGER_MODE_MANUAL`);
    // The smoke check is what `tilt ci` proves end to end: it must run at start-up; the rest must not.
    if (r.name === SMOKE_RESOURCE) {
      if (!r.auto_init)
        errors.push(`${r.name}: must run at start-up (auto_init=True) so \`tilt ci\` runs it`);
    } else if (r.auto_init) errors.push(`${r.name}: test resource must not run at startup (auto_init=False)`);
  }
  for (const want of ['npm run test:unit', 'npm run lint', 'k6 run tests/perf/smoke.js']) {
    if (!ev.local_resources.some((r) => r.cmd === want)) errors.push(`no local_resource runs \`${want}\``);
  }
  return errors;
}

/** `tilt up api` works: one positional string-list setting `to-run` feeding set_enabled_resources. */
export function toRunErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  const def = ev.config.definitions.find((d) => d.name === 'to-run');
  if (!def) errors.push("config.define_string_list('to-run', args=True) is missing");
  else if (def.kind !== 'string_list' || !def.args)
    errors.push("'to-run' must be a string list taking the args");
  if (!ev.config.parse_called) errors.push('config.parse() is never called');
  if (ev.config.enabled_resources === null) errors.push('config.set_enabled_resources() is never called');
  return errors;
}

/**
 * What `tilt up <args>` would run: Tilt's own rule (config/resources.go): the named resources plus their
 * transitive resource_deps; no names means all. Unknown names are an error in Tilt too.
 */
export function enabledResources(
  ev: TiltEvaluation,
  objects: K8sObject[],
): { enabled: string[]; errors: string[] } {
  const graph = dependencyGraph(ev, objects);
  const requested = ev.config.enabled_resources ?? ev.args;
  if (requested.length === 0) return { enabled: [...graph.keys()].sort(), errors: [] };
  const result = new Set<string>();
  const errors: string[] = [];
  const add = (name: string) => {
    if (result.has(name)) return;
    result.add(name);
    for (const dep of graph.get(name) ?? []) add(dep);
  };
  for (const name of requested) {
    if (!graph.has(name)) errors.push(`tilt up ${ev.args.join(' ')}: no resource named '${name}'`);
    else add(name);
  }
  return { enabled: [...result].sort(), errors };
}

/**
 * `tilt up <label>` enables every resource carrying that label. `evaluations` are the Tiltfile evaluated
 * with each label as the only argument.
 */
export function labelSelectionErrors(evaluations: TiltEvaluation[], objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const ev of evaluations) {
    const label = ev.args[0] ?? '';
    const { enabled, errors: unknown } = enabledResources(ev, objects);
    errors.push(...unknown);
    const labelled = [
      ...ev.k8s_resources.filter((r) => r.labels.includes(label)).map((r) => r.new_name || r.workload),
      ...ev.local_resources.filter((r) => r.labels.includes(label)).map((r) => r.name),
    ];
    for (const name of labelled) {
      if (!enabled.includes(name))
        errors.push(`tilt up ${label}: does not enable ${name}, which is labelled ${label}`);
    }
  }
  return errors;
}

/** `tilt ci` has a deadline, and updates are bounded for a small machine. */
export function settingsErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  const ci = ev.settings.ci_settings;
  if (!ci || typeof ci.timeout !== 'string' || !/^\d+[smh]$/.test(ci.timeout)) {
    errors.push("ci_settings(timeout='<n>m') is missing: `tilt ci` would wait for the default 30m");
  }
  if (!ev.settings.update_settings) errors.push('update_settings(...) is missing');
  if (!ev.settings.version_settings) errors.push('version_settings(constraint=...) is missing');
  return errors;
}

/**
 * Nothing the build or the live update relies on is excluded by the context's .dockerignore: Docker would
 * leave it out of the image and Tilt would not watch it.
 */
export function dockerignoreErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  for (const b of ev.docker_builds) {
    const ignore = dockerignoreFor(b);
    if (!ignore) continue;
    const stages = readStages(b);
    const copied = stages
      ? copySources(stageChain(stages, b.target)).filter((c) => c !== '.' && !hasGlob(c))
      : [];
    const syncs = b.live_update.filter((st) => st.step === 'sync').map((st) => st.local_path ?? '');
    for (const [what, paths] of [
      ['only= path', b.only],
      ['sync source', syncs],
      ['COPY source', copied],
    ] as const) {
      for (const p of paths) {
        if (dockerignoreExcludes(p, ignore.text)) {
          errors.push(`docker_build('${b.ref}'): ${what} ${p} is excluded by ${ignore.file}`);
        }
      }
    }
  }
  return errors;
}

/**
 * No image with a live_update runs in a Job: Tilt's live-update reconciler cannot update a finished pod's
 * container ("Container for live update is stopped", reconciler.go) and falls back to a full build of the
 * image on every save, redeploying (and re-running) the Job. The stub reports each such image.
 */
export function liveUpdateErrors(ev: TiltEvaluation): string[] {
  return ev.live_update_failures.map(
    (f) =>
      `docker_build('${f.image}'): its live_update would fail on resource ${f.resource} (a Job): ` +
      `"${f.message}", so every save rebuilds the image and re-runs ${f.resource}`,
  );
}

const resourceOf = (ev: TiltEvaluation, name: string) =>
  ev.k8s_resources.find((r) => (r.new_name || r.workload) === name);
const localOf = (ev: TiltEvaluation, name: string) => ev.local_resources.find((r) => r.name === name);

/**
 * The loop stays live and usable: migrate and seed run their own images, the seed loads after the
 * migrations and only on request afterwards, the smoke check and k6 wait for the seed, and the exports
 * volume survives `tilt down`.
 */
export function loopErrors(ev: TiltEvaluation, objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const imageOf = (name: string) => ev.resources.find((r) => r.name === name)?.images ?? [];
  const built = new Map(ev.docker_builds.map((b) => [imageName(b.ref), b]));
  for (const [job, image] of [
    ['migrate', 'osint-migrate'],
    ['seed', 'osint-seed'],
  ] as const) {
    if (imageOf(job).join() !== image)
      errors.push(`${job}: runs ${imageOf(job).join(', ') || 'nothing'}, not ${image}`);
    const b = built.get(image);
    if (!b) errors.push(`no docker_build builds ${image}`);
    else if (b.live_update.length > 0)
      errors.push(`docker_build('${image}'): a Job's image has no live_update`);
  }
  const seed = resourceOf(ev, 'seed');
  if (!seed?.resource_deps.includes('migrate'))
    errors.push("seed: must wait for the migrations (resource_deps=['migrate'])");
  if (seed && (seed.trigger_mode !== 'manual' || !seed.auto_init))
    errors.push('seed: runs once at start-up, then on request (TRIGGER_MODE_MANUAL, auto_init=True)');
  const smoke = localOf(ev, SMOKE_RESOURCE);
  if (!smoke) errors.push(`no local_resource '${SMOKE_RESOURCE}' (the check \`tilt ci\` runs end to end)`);
  else {
    for (const dep of ['api', 'web', 'seed'])
      if (!smoke.resource_deps.includes(dep)) errors.push(`${SMOKE_RESOURCE}: must wait for ${dep}`);
    const script = /node (\S+)/.exec(smoke.cmd)?.[1];
    if (!script || !existsSync(path.join(repoRoot, script)))
      errors.push(`${SMOKE_RESOURCE}: runs \`${smoke.cmd}\`, whose script does not exist`);
  }
  if (!localOf(ev, 'k6-smoke')?.resource_deps.includes('seed'))
    errors.push('k6-smoke: signs in as the seed user, so it must wait for the seed (resource_deps)');
  const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'exports');
  const annotations = (pvc?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  if (annotations?.['tilt.dev/down-policy'] !== 'keep')
    errors.push(
      'PersistentVolumeClaim/exports: needs the annotation tilt.dev/down-policy: keep (tilt down deletes it otherwise)',
    );
  return errors;
}

/** The buttons the loop promises (docs/tilt.md#buttons): each on a resource that exists, running a command that exists. */
export function buttonErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  if (!ev.loads.includes('ext://uibutton')) errors.push("load('ext://uibutton', ...) is missing");
  const names = new Set([...ev.resources.map((r) => r.name), ...ev.local_resources.map((r) => r.name)]);
  for (const b of ev.buttons) {
    if (b.location === 'resource' && !names.has(b.resource))
      errors.push(`cmd_button('${b.name}'): resource '${b.resource}' does not exist`);
    const [program, ...rest] = b.argv;
    if (program === 'tilt' && rest[0] === 'trigger' && !names.has(rest[1] ?? ''))
      errors.push(`cmd_button('${b.name}'): triggers '${rest[1]}', which is no resource`);
    if ((program === 'sh' || program === 'node') && !existsSync(path.join(repoRoot, rest[0] ?? '')))
      errors.push(`cmd_button('${b.name}'): ${rest[0]} does not exist`);
  }
  const wanted: [string, (b: Button) => boolean][] = [
    ['runs the migrations', (b) => b.argv.join(' ') === 'tilt trigger migrate'],
    ['loads the seed', (b) => b.argv.join(' ') === 'tilt trigger seed'],
    ['runs the unit tests', (b) => b.argv.join(' ') === 'tilt trigger unit-tests'],
    [
      'resets the dev data behind a confirmation that defaults to no',
      (b) =>
        b.argv.join(' ') === 'sh scripts/dev/tilt-reset.sh' &&
        b.inputs.some(
          (i) => i.name === 'CONFIRM_RESET' && i.bool?.defaultValue === false && i.bool.trueString === 'yes',
        ),
    ],
  ];
  for (const [what, test] of wanted) if (!ev.buttons.some(test)) errors.push(`no button ${what}`);
  return errors;
}

/** Relative imports of a TypeScript file, resolved to repository paths (`./x.js` → `dir/x.ts`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const spec = (m[1] ?? '').replace(/\.js$/, '.ts');
    found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
  }
  return found;
}

/**
 * osint-migrate holds what `npm run db:migrate` needs and nothing that changes on an ordinary save: the
 * `migrate` stage copies db/migrations and every file db/src/migrate.cli.ts imports (transitively), and
 * the docker_build's only= is exactly that plus the install inputs, so only those files rebuild it.
 */
export function migrateImageErrors(ev: TiltEvaluation): string[] {
  const errors: string[] = [];
  const b = ev.docker_builds.find((d) => d.ref === 'osint-migrate');
  if (!b) return ['no docker_build builds osint-migrate'];
  const needed = new Set<string>(['db/migrations']);
  const queue = ['db/src/migrate.cli.ts'];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (needed.has(file)) continue;
    needed.add(file);
    queue.push(...relativeImports(file));
  }
  const stages = readStages(b);
  const copied = stages ? copySources(stageChain(stages, b.target)) : [];
  for (const f of needed) {
    if (!copied.some((c) => f === c || f.startsWith(`${c}/`)))
      errors.push(`${b.dockerfile} target ${b.target} does not copy ${f}, which the migrator needs`);
  }
  for (const entry of b.only) {
    if (!needed.has(entry) && !INSTALL_INPUTS.includes(entry))
      errors.push(
        `docker_build('osint-migrate'): only= ${entry} would rebuild it (and re-run the migrations) on saves that add no migration`,
      );
  }
  return errors;
}

/** The files whose change means a new `npm ci` (the Tiltfile's INSTALL_INPUTS). */
export const INSTALL_INPUTS = [
  'package.json',
  'package-lock.json',
  'packages/contracts/package.json',
  'services/api/package.json',
  'services/worker/package.json',
  'services/core/package.json',
  'packages/writes/package.json',
  'db/package.json',
  'web/package.json',
];

/**
 * The API and web images share their dependency layer: their `node-base` and `deps` stages hold the
 * same instructions, byte for byte, so BuildKit's cache key for the `npm ci` step is the same and a cold
 * `tilt up` installs once (`docker build` of the second image shows that step CACHED).
 */
export function sharedDependencyLayerErrors(
  api = readFileSync(path.join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8'),
  web = readFileSync(path.join(repoRoot, 'docker', 'web.Dockerfile'), 'utf8'),
): string[] {
  const chain = (text: string) => stageChain(parseDockerfile(text), 'deps');
  const a = chain(api);
  const w = chain(web);
  if (a.length === 0 || w.length === 0) return ['both Dockerfiles need a `deps` stage'];
  const errors: string[] = [];
  const flat = (stages: DockerfileStage[]) =>
    stages.flatMap((st) => [`FROM ${st.from}`, ...st.instructions.map((i) => `${i.op} ${i.args}`)]);
  const [fa, fw] = [flat(a), flat(w)];
  for (let i = 0; i < Math.max(fa.length, fw.length); i++) {
    if (fa[i] !== fw[i]) {
      errors.push(
        `node-base/deps differ at instruction ${i + 1}: api has \`${fa[i] ?? '(nothing)'}\`, web has \`${fw[i] ?? '(nothing)'}\`; ` +
          'the npm ci layer is no longer shared',
      );
      break;
    }
  }
  return errors;
}

interface ProbedContainer {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path?: string; port?: number | string } };
}

/**
 * The api and worker pods run the same hot runner as `npm start` (scripts/dev/hot-runner.ts, the one
 * tests/integration/hot-runner.test.ts proves keeps the old process serving through a start-up crash):
 * the container's command is the workspace's `dev` script, which starts the runner under the service's
 * name; the runner owns the port the readiness probe asks, and promotes a new process only once the
 * probe's path answers; the image's dev target carries the runner.
 */
export function hotRunnerPodErrors(
  objects: K8sObject[],
  runner = readFileSync(path.join(repoRoot, 'scripts', 'dev', 'hot-runner.ts'), 'utf8'),
  dockerfile = readFileSync(path.join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8'),
): string[] {
  const errors: string[] = [];
  const configData = (name: string) =>
    ((
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as {
        data?: Record<string, string>;
      }
    )?.data ?? {}) as Record<string, string>;
  const copied = copySources(stageChain(parseDockerfile(dockerfile), 'dev'));
  for (const f of ['scripts/dev/hot-runner.ts', 'scripts/dev/standby.mjs'])
    if (!copied.includes(f)) errors.push(`docker/api.Dockerfile target dev does not copy ${f}`);
  for (const svc of ['api', 'worker']) {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === svc);
    const spec = (
      deployment?.spec as { template?: { spec?: { containers?: ProbedContainer[] } } } | undefined
    )?.template?.spec;
    const c = spec?.containers?.find((x) => x.name === svc);
    if (!c) {
      errors.push(`Deployment/${svc}: no container named ${svc}`);
      continue;
    }
    const command = (c.command ?? []).join(' ');
    if (command !== `npm run dev -w services/${svc}`)
      errors.push(`Deployment/${svc}: runs \`${command}\`, not the workspace's dev script (the hot runner)`);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'services', svc, 'package.json'), 'utf8'));
    if (!String(pkg.scripts?.dev ?? '').includes(`scripts/dev/hot-runner.ts --name ${svc} `))
      errors.push(
        `services/${svc}/package.json: its dev script does not run scripts/dev/hot-runner.ts --name ${svc}`,
      );
    const known = new RegExp(
      `\\b${svc}: \\{ portEnv: '(\\w+)', hostEnv: '\\w+', defaultPort: (\\d+), ready: '([^']+)' \\}`,
    ).exec(runner);
    if (!known) {
      errors.push(`scripts/dev/hot-runner.ts: no entry for ${svc} in SERVICES`);
      continue;
    }
    const [, portEnv, defaultPort, ready] = known;
    const probe = c.readinessProbe?.httpGet;
    if (probe?.path !== ready)
      errors.push(`Deployment/${svc}: readiness probe asks ${probe?.path}, the runner promotes on ${ready}`);
    const probePort =
      typeof probe?.port === 'number'
        ? probe.port
        : c.ports?.find((p) => p.name === probe?.port)?.containerPort;
    const env: Record<string, string | undefined> = {};
    for (const from of c.envFrom ?? [])
      if (from.configMapRef) Object.assign(env, configData(from.configMapRef.name));
    for (const e of c.env ?? []) env[e.name] = e.value;
    const listens = Number(env[portEnv as string] ?? defaultPort);
    if (probePort !== listens)
      errors.push(
        `Deployment/${svc}: readiness probe on port ${probePort}, the runner listens on ${listens} (${portEnv})`,
      );
  }
  return errors;
}

/** Runs every check; used by the passing test and as the baseline the broken variants differ from. */
export function allTiltErrors(ev: TiltEvaluation): Record<string, string[]> {
  if (evaluationErrors(ev).length > 0) return { evaluation: evaluationErrors(ev) };
  const objects = deployedObjects(ev);
  return {
    evaluation: [],
    manifests: manifestErrors(ev),
    images: imageErrors(ev, objects),
    dockerfiles: dockerfileErrors(ev),
    only: onlyErrors(ev),
    dockerignore: dockerignoreErrors(ev),
    sync: syncErrors(ev),
    fallBack: fallBackErrors(ev),
    warnings: warningErrors(ev),
    resourceDeps: resourceDepErrors(ev, objects),
    objects: objectErrors(ev),
    liveUpdate: liveUpdateErrors(ev),
    loop: loopErrors(ev, objects),
    buttons: buttonErrors(ev),
    migrateImage: migrateImageErrors(ev),
    hotRunnerPods: hotRunnerPodErrors(objects),
    sharedDeps: sharedDependencyLayerErrors(),
    portForwards: portForwardErrors(ev, objects),
    hmr: hmrErrors(ev, objects),
    labels: labelErrors(ev, objects),
    localResources: localResourceErrors(ev),
    toRun: toRunErrors(ev),
    settings: settingsErrors(ev),
  };
}

export function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

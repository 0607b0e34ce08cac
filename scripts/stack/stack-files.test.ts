import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEnvFile, readBaseImages } from './base-images.js';
import { repoRoot } from './docker.js';

/**
 * Static checks of the container files, run by `npm test` (no Docker needed); `npm run test:stack`
 * builds and boots them for real. Each check guards a mistake that would only show up in a build or
 * on one of the two Compose implementations.
 */

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const workspaces: string[] = JSON.parse(read('package.json')).workspaces;
const dockerfiles = ['docker/api.Dockerfile', 'docker/web.Dockerfile'];

/** The instructions of one stage (`FROM ... AS name` up to the next FROM). */
function stage(dockerfile: string, name: string): string {
  const text = read(dockerfile);
  const start = text.search(new RegExp(`^FROM .* AS ${name}$`, 'm'));
  expect(start, `${dockerfile} has a stage ${name}`).toBeGreaterThanOrEqual(0);
  const next = text.slice(start + 1).search(/^FROM /m);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

describe('Dockerfiles', () => {
  it.each(dockerfiles)('%s installs from every workspace manifest before copying sources', (file) => {
    const deps = stage(file, 'deps');
    for (const ws of workspaces) {
      expect(deps, `${file} deps stage copies ${ws}/package.json`).toContain(`${ws}/package.json ${ws}/`);
    }
    expect(deps).toContain('package.json package-lock.json ./');
    expect(deps.indexOf('npm ci')).toBeGreaterThan(deps.lastIndexOf('COPY'));
  });

  it('the production dependency install covers every server workspace and no devDependencies', () => {
    const prodDeps = stage('docker/api.Dockerfile', 'prod-deps');
    for (const ws of workspaces) expect(prodDeps).toContain(`${ws}/package.json ${ws}/`);
    expect(prodDeps).toMatch(/npm ci --omit=dev/);
    for (const ws of ['db', 'services/core', 'packages/writes', 'services/api', 'services/worker']) {
      expect(prodDeps).toContain(`-w ${ws}`);
    }
  });

  it.each(dockerfiles)('%s: built-in frontend only, base images as build arguments', (file) => {
    const text = read(file);
    expect(text).not.toMatch(/^#\s*syntax=/m);
    const bases = readBaseImages();
    expect(text).toContain(`ARG NODE_IMAGE=${bases.NODE.publicRef}`);
    if (file.includes('web')) expect(text).toContain(`ARG NGINX_IMAGE=${bases.NGINX.publicRef}`);
    for (const from of text.matchAll(/^FROM (\S+)/gm)) {
      expect(from[1], `${file}: FROM ${from[1]}`).toMatch(/^(\$\{\w+\}|scratch|[a-z-]+)$/);
    }
  });

  it.each(dockerfiles)('%s: dev and production targets, unprivileged, with a health check', (file) => {
    for (const target of ['dev', 'production']) {
      const text = stage(file, target);
      expect(text, `${file} ${target}`).toMatch(/^HEALTHCHECK /m);
    }
    expect(stage(file, 'production')).toMatch(/^USER 10001:10001$/m);
    expect(stage(file, 'node-base')).toMatch(/^USER 10001:10001$/m);
    // No build secret or CA ends up in a layer: they only come in through secret mounts.
    expect(read(file)).not.toMatch(/^(COPY|ADD) .*(\.npmrc|\.pem|ca-certificates)/m);
  });

  it('.dockerignore admits exactly what the Dockerfiles copy and keeps host artefacts out', () => {
    const ignore = read('.dockerignore');
    expect(ignore.split('\n')[0]).not.toBe('');
    expect(ignore).toMatch(/^\*$/m);
    for (const ws of workspaces) expect(ignore).toContain(`!${ws.split('/')[0]}/`);
    for (const p of ['**/node_modules', '**/dist', '**/.env']) expect(ignore).toContain(p);
    for (const file of dockerfiles) {
      for (const m of read(file).matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
        for (const src of (m[1] as string).split(' ')) {
          expect(existsSync(path.join(repoRoot, src)), `${file}: COPY ${src}`).toBe(true);
        }
      }
    }
  });
});

type Service = Record<string, unknown> & {
  image?: string;
  build?: { dockerfile: string; target?: string };
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
};

describe.each(['compose.yaml', 'compose.prod.yaml'])('%s', (file) => {
  const doc = parse(read(file), { merge: true }) as { services: Record<string, Service> } & Record<
    string,
    unknown
  >;

  it('uses only what Compose v2 and docker-compose 1.29 both understand', () => {
    for (const key of ['name', 'include', 'version']) expect(doc, `top-level ${key}`).not.toHaveProperty(key);
    for (const [name, s] of Object.entries(doc.services)) {
      expect(s, `${name}.develop (v2 watch)`).not.toHaveProperty('develop');
      expect(s.build ?? {}, `${name}.build.secrets`).not.toHaveProperty('secrets');
      expect(s.healthcheck ?? {}, `${name}.healthcheck.start_interval`).not.toHaveProperty('start_interval');
      for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
        expect(doc.services, `${name} depends on ${dep}`).toHaveProperty(dep);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(
          cond.condition,
        );
      }
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, s] of Object.entries(doc.services)) {
      for (const port of s.ports ?? []) expect(port, `${name}: ${port}`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts only paths that exist, and builds from existing Dockerfile targets', () => {
    for (const [name, s] of Object.entries(doc.services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0] as string;
        if (source.startsWith('.'))
          expect(existsSync(path.join(repoRoot, source)), `${name}: ${v}`).toBe(true);
      }
      if (s.build) {
        const text = read(s.build.dockerfile);
        const target = s.build.target ?? 'production';
        expect(text, `${name}: ${s.build.dockerfile} target ${target}`).toMatch(
          new RegExp(`^FROM .* AS ${target}$`, 'm'),
        );
      }
    }
  });

  it('runs PostgreSQL 15 and Redis 7 from overridable images, with health checks and volumes', () => {
    const { postgres, redis } = doc.services as Record<string, Service>;
    const variable = (name: string, fallback: string) => `\${${name}:-${fallback}}`;
    expect(postgres?.image).toBe(variable('POSTGRES_IMAGE', 'postgres:15-bookworm'));
    expect(redis?.image).toBe(variable('REDIS_IMAGE', 'redis:7-bookworm'));
    expect(JSON.stringify(postgres?.healthcheck)).toContain('pg_isready');
    expect(JSON.stringify(redis)).toContain('noeviction');
    expect(JSON.stringify(redis)).toContain('appendonly');
    expect(postgres?.volumes?.[0]).toMatch(/^postgres-data:/);
    expect(redis?.volumes?.[0]).toMatch(/^redis-data:/);
  });

  it('starts api and worker only after migrations completed', () => {
    for (const s of ['api', 'worker']) {
      expect(doc.services[s]?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
  });
});

describe('base-images.env parsing', () => {
  it('reads KEY=value lines, ignoring comments and blanks', () => {
    expect(parseEnvFile('# c\n\nA=1\nB="two words"\n  C = x \nnot a pair\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x',
    });
  });

  it('names a public image and a local stand-in for every base', () => {
    const bases = readBaseImages();
    for (const key of ['NODE', 'NGINX', 'POSTGRES', 'REDIS'] as const) {
      expect(bases[key].publicRef).toMatch(/:/);
      expect(bases[key].localRef).toMatch(/^osint-base\//);
    }
  });
});

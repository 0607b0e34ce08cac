/**
 * Proof that the Compose stacks give api and worker one export directory (EXPORT_DIR on a shared named
 * volume) and that the api image prepares that mount point for its unprivileged user: an empty Docker
 * volume takes the ownership of the image directory it is mounted over, and the production root
 * filesystem is read-only, so without it the worker could not write an export. The k8s twin of this
 * check is `exportVolumeRules` in support/k8s-policy.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComposeFile, type ComposeService, composeExportErrors } from './support/compose-exports.js';
import { repoRoot } from './support/k8s-render.js';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const compose = (file: string) => parse(read(file), { merge: true }) as ComposeFile;

function svc(doc: ComposeFile, name: string): ComposeService {
  const service = doc.services[name];
  if (!service) throw new Error(`no ${name} service`);
  return service;
}

/** The instructions of one Dockerfile stage (`FROM ... AS name` up to the next FROM). */
function stage(text: string, name: string): string {
  const start = text.search(new RegExp(`^FROM .* AS ${name}$`, 'm'));
  if (start < 0) throw new Error(`no stage ${name}`);
  const next = text.slice(start + 1).search(/^FROM /m);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

describe.each(['compose.yaml', 'compose.prod.yaml'])('%s', (file) => {
  it('api and worker mount the same named volume, writable, at the same absolute EXPORT_DIR', () => {
    expect(composeExportErrors(compose(file), file)).toEqual([]);
  });

  it.each([
    [
      'the worker without the mount',
      (d: ComposeFile) => {
        svc(d, 'worker').volumes = (svc(d, 'worker').volumes ?? []).filter(
          (v) => typeof v !== 'string' || !v.includes(':/data/exports'),
        );
      },
      'worker: no volume mounted at EXPORT_DIR /data/exports',
    ],
    [
      'a different volume in the api',
      (d: ComposeFile) => {
        svc(d, 'api').volumes = ['api-exports:/data/exports'];
        d.volumes = { ...d.volumes, 'api-exports': null };
      },
      "worker: EXPORT_DIR is volume exports, api's is api-exports",
    ],
    [
      'a host bind mount',
      (d: ComposeFile) => {
        svc(d, 'api').volumes = ['./.data/exports:/data/exports'];
      },
      'api: EXPORT_DIR /data/exports must be a named volume (got ./.data/exports)',
    ],
    [
      'a read-only mount',
      (d: ComposeFile) => {
        svc(d, 'api').volumes = ['exports:/data/exports:ro'];
      },
      'api: the EXPORT_DIR mount /data/exports is read-only',
    ],
    [
      'a relative EXPORT_DIR in the worker',
      (d: ComposeFile) => {
        svc(d, 'worker').environment = {
          ...(svc(d, 'worker').environment as object),
          EXPORT_DIR: '.data/exports',
        };
      },
      'worker: EXPORT_DIR must be an absolute path (got .data/exports)',
    ],
    [
      'an undeclared volume',
      (d: ComposeFile) => {
        delete d.volumes?.exports;
      },
      'api: volume exports is not declared under top-level volumes',
    ],
  ])('fires on %s', (_what, breakIt, expected) => {
    const doc = structuredClone(compose(file));
    breakIt(doc);
    expect(composeExportErrors(doc, file)).toContain(`${file}: ${expected}`);
  });
});

describe('docker/api.Dockerfile prepares EXPORT_DIR for uid 10001', () => {
  const dockerfile = read('docker/api.Dockerfile');
  const env = (compose('compose.prod.yaml').services.api?.environment ?? {}) as Record<string, string>;
  const dir = String(env.EXPORT_DIR);

  // In the dev stage, not node-base: node-base is shared byte for byte with docker/web.Dockerfile.
  it('the dev image (dev stage) creates it owned by the osint user', () => {
    expect(stage(dockerfile, 'dev')).toMatch(
      new RegExp(`install -d -o osint -g osint -m 0750 ${dir}(\\s|$)`, 'm'),
    );
  });

  it('the production image copies it in owned by 10001', () => {
    const production = stage(dockerfile, 'production');
    const copy = /^COPY --from=runtime-rootfs --chown=10001:10001 (\S+)\/ \/$/m.exec(production);
    expect(copy, 'a COPY --chown=10001:10001 of the export mount point').not.toBeNull();
    expect(stage(dockerfile, 'runtime-rootfs')).toContain(`install -d -m 0750 ${copy?.[1]}${dir}`);
  });
});

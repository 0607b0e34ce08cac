/**
 * EXPORT_DIR in the Compose files (docs/containers.md#export-files): the worker writes export files, the
 * api serves the downloads, so both must see one directory. Pure: a parsed Compose document in, findings
 * out, so the check can be shown to fire on a broken copy.
 */

export interface ComposeService {
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  tmpfs?: string[];
  read_only?: boolean;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The services that share EXPORT_DIR. */
export const COMPOSE_EXPORT_SHARERS = ['api', 'worker'];

export function environment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const at = line.indexOf('=');
        return at === -1 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** A volume entry as {source, target, readOnly}; the short syntax is `source:target[:mode]`. */
function mounts(service: ComposeService): Array<{ source?: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target ?? '', readOnly: !!v.read_only };
    const [first = '', second, mode = ''] = v.split(':');
    return second === undefined
      ? { target: first, readOnly: false } // an anonymous volume: per container
      : { source: first, target: second, readOnly: mode.split(',').includes('ro') };
  });
}

/**
 * api and worker: the same absolute EXPORT_DIR, a writable mount of the same named volume there (not a
 * bind mount of a host path, not an anonymous volume or tmpfs, which are per container), declared at the
 * top level.
 */
export function composeExportErrors(doc: ComposeFile, file: string): string[] {
  const errors: string[] = [];
  const seen: Array<{ name: string; dir: string; volume: string }> = [];
  for (const name of COMPOSE_EXPORT_SHARERS) {
    const service = doc.services[name];
    if (!service) {
      errors.push(`${file}: no ${name} service`);
      continue;
    }
    const dir = environment(service).EXPORT_DIR;
    if (!dir?.startsWith('/')) {
      errors.push(`${file}: ${name}: EXPORT_DIR must be an absolute path (got ${dir ?? 'nothing'})`);
      continue;
    }
    const mount = mounts(service).find((m) => m.target === dir);
    if (!mount) {
      errors.push(`${file}: ${name}: no volume mounted at EXPORT_DIR ${dir}`);
      continue;
    }
    if (!mount.source || /^[./~]/.test(mount.source)) {
      errors.push(
        `${file}: ${name}: EXPORT_DIR ${dir} must be a named volume (got ${mount.source ?? 'anonymous'})`,
      );
      continue;
    }
    if (mount.readOnly) errors.push(`${file}: ${name}: the EXPORT_DIR mount ${dir} is read-only`);
    if (!doc.volumes || !(mount.source in doc.volumes))
      errors.push(`${file}: ${name}: volume ${mount.source} is not declared under top-level volumes`);
    seen.push({ name, dir, volume: mount.source });
  }
  const [first, ...rest] = seen;
  for (const other of first ? rest : []) {
    if (other.dir !== first?.dir)
      errors.push(
        `${file}: ${other.name}: EXPORT_DIR ${other.dir} differs from ${first?.name}'s ${first?.dir}`,
      );
    if (other.volume !== first?.volume)
      errors.push(
        `${file}: ${other.name}: EXPORT_DIR is volume ${other.volume}, ${first?.name}'s is ${first?.volume}`,
      );
  }
  return errors;
}

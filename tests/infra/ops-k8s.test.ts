/**
 * Proof for the operations manifests (issue 7), no cluster needed:
 *   - k8s dev runs PostgreSQL with the same tuned postgresql.conf as Compose and native mode;
 *   - k8s/base/monitoring (ConfigMaps) and its operator/ variant (PrometheusRule, ServiceMonitors) render
 *     and validate strictly; the alert rules and the dashboard use only metrics the code exports (or
 *     named external exporters), link runbooks that exist, and the PrometheusRule equals the rule file;
 *     every platform metric the code exports is listed in docs/operations.md;
 *   - the backup Component, which staging and prod include, rendered with its image pinned as the deploy
 *     script pins it, passes every house rule of tests/infra/support/k8s-policy.ts and may reach
 *     PostgreSQL and nothing else; the restore runbook's reader pod is admissible in those namespaces.
 * docs/operations.md describes all of it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Endpoint, firstAddress, isFlowAllowed, podEndpointOf } from './support/k8s-netpol.js';
import { type K8sObject, objectId, workloads } from './support/k8s-objects.js';
import { policyErrors } from './support/k8s-policy.js';
import { k8sRoot, renderKustomization, repoRoot } from './support/k8s-render.js';
import { createSchemaValidator, K8S_SCHEMA_DIR, schemaFileName } from './support/k8s-schema.js';

const validator = createSchemaValidator();
/** Rendering needs kubectl (its kustomize); without it this file skips with a message, like k8s.test.ts. */
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('[infra] SKIPPING tests/infra/ops-k8s.test.ts: kubectl not found');
const kdescribe = describe.skipIf(!hasKubectl);
const monitoringDir = path.join(k8sRoot, 'base', 'monitoring');
const read = (...p: string[]) => readFileSync(path.join(repoRoot, ...p), 'utf8');

// ---------------------------------------------------------------------------------------------------

kdescribe('k8s dev PostgreSQL uses the tuned configuration', () => {
  it('k8s/overlays/dev/postgresql.conf is a byte-for-byte copy of docker/postgres/postgresql.conf', () => {
    expect(
      read('k8s', 'overlays', 'dev', 'postgresql.conf'),
      'run: cp docker/postgres/postgresql.conf k8s/overlays/dev/',
    ).toBe(read('docker', 'postgres', 'postgresql.conf'));
  });

  it('k8s/overlays/dev/initdb/ is a byte-for-byte copy of docker/postgres/initdb/ (the database roles)', () => {
    const copy = readdirSync(path.join(k8sRoot, 'overlays', 'dev', 'initdb')).sort();
    expect(copy, 'run: cp docker/postgres/initdb/* k8s/overlays/dev/initdb/').toEqual(
      readdirSync(path.join(repoRoot, 'docker', 'postgres', 'initdb')).sort(),
    );
    for (const file of copy) {
      expect(read('k8s', 'overlays', 'dev', 'initdb', file), file).toBe(
        read('docker', 'postgres', 'initdb', file),
      );
    }
  });

  it('the StatefulSet starts postgres with config_file from the generated ConfigMap', () => {
    const objects = renderKustomization(path.join(k8sRoot, 'overlays', 'dev'));
    const config = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('postgres-config-'),
    );
    expect((config?.data as Record<string, string> | undefined)?.['postgresql.conf']).toBe(
      read('docker', 'postgres', 'postgresql.conf'),
    );
    const pg = workloads(objects).find((w) => w.id === 'StatefulSet/postgres');
    const container = pg?.template.spec.containers[0];
    expect(container?.args).toEqual(['postgres', '-c', 'config_file=/etc/postgresql/postgresql.conf']);
    const volume = pg?.template.spec.volumes?.find((v) => v.configMap?.name === config?.metadata.name);
    expect(container?.volumeMounts).toContainEqual(
      expect.objectContaining({ name: volume?.name, mountPath: '/etc/postgresql' }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------

/** Metric names the platform's code registers, plus prom-client's default process metrics per prefix. */
async function exportedMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(
          /new (?:Counter|Gauge|Histogram|Summary)\(\{\s*name: '([a-z_:][a-z0-9_:]*)'/g,
        )) {
          names.add(m[1] ?? '');
        }
        for (const m of text.matchAll(/collectDefaultMetrics\(\{[^}]*prefix(?:: '([a-z_]+)')?/g))
          prefixes.add(m[1] ?? '');
        for (const m of text.matchAll(/createHttpMetrics\(prefix = '([a-z_]+)'/g)) prefixes.add(m[1] ?? '');
      }
    }
  };
  for (const service of ['api', 'worker', 'core']) walk(path.join(repoRoot, 'services', service, 'src'));
  for (const prefix of prefixes) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix });
    for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  }
  return names;
}

/** Metrics from exporters the platform does not run itself (docs/operations.md#monitoring). */
const EXTERNAL_METRICS = new Set([
  'pg_stat_activity_count', // postgres_exporter
  'pg_settings_max_connections', // postgres_exporter
  'kube_cronjob_status_last_successful_time', // kube-state-metrics
  'kubelet_volume_stats_available_bytes', // kubelet
  'kubelet_volume_stats_capacity_bytes', // kubelet
]);

/** Metric names a PromQL expression selects (every selector in these files is written `name{…}`). */
function metricsOf(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1] ?? '');
}

const base = (name: string, exported: Set<string>) => {
  const stripped = name.replace(/_(bucket|count|sum)$/, '');
  return exported.has(stripped) ? stripped : name;
};

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rulesOf = (file: string): Rule[] =>
  (
    parse(readFileSync(path.join(monitoringDir, file), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);

kdescribe('monitoring: alert rules and dashboard', () => {
  it('the rules cover error rate, p95 latency, failed jobs, DB connections, backups; each is complete', () => {
    const rules = rulesOf('osint-platform.rules.yaml');
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'OsintApiHighErrorRate',
        'OsintApiHighLatencyP95',
        'OsintJobsFailing',
        'OsintDatabaseConnectionsHigh',
        'OsintBackupMissing',
        'OsintQueueBacklogOld',
        'OsintQueueBacklogGrowing',
        'OsintDbPoolSaturated',
      ]),
    );
    for (const rule of rules) {
      expect(rule.expr, rule.alert).toBeTruthy();
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket', 'info'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      const runbook = rule.annotations?.runbook_url ?? '';
      expect(runbook, rule.alert).toMatch(/^docs\/runbooks\/[a-z-]+\.md$/);
      expect(() => read(runbook), `${rule.alert}: ${runbook}`).not.toThrow();
      let depth = 0;
      for (const c of rule.expr) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      expect(depth, `${rule.alert}: unbalanced parentheses`).toBe(0);
    }
  });

  it('active rules and the dashboard select only exported metrics or named external ones', async () => {
    const exported = await exportedMetrics();
    expect(exported).toContain('http_request_duration_seconds');
    expect(exported).toContain('osint_jobs_total');
    expect(exported).toContain('osint_job_duration_seconds');
    expect(exported).toContain('osint_api_process_start_time_seconds');
    for (const name of [
      'osint_queue_jobs',
      'osint_queue_oldest_waiting_seconds',
      'osint_db_pool_connections',
      'osint_db_pool_waiting',
      'osint_db_pool_size',
    ])
      expect(exported).toContain(name);
    const unknown = (exprs: string[]) =>
      exprs.flatMap(metricsOf).filter((m) => !exported.has(base(m, exported)) && !EXTERNAL_METRICS.has(m));
    const rules = rulesOf('osint-platform.rules.yaml');
    expect(rules.every((r) => metricsOf(r.expr).length > 0)).toBe(true);
    expect(unknown(rules.map((r) => r.expr))).toEqual([]);
    const dashboard = JSON.parse(readFileSync(path.join(monitoringDir, 'osint-platform.json'), 'utf8'));
    const panels = (
      dashboard.panels as Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>
    ).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(8);
    for (const p of panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
    // Grafana lays panels out on a 24-column grid of whole numbers.
    for (const p of dashboard.panels as Array<{ title: string; gridPos: Record<string, unknown> }>) {
      for (const key of ['x', 'y', 'w', 'h'])
        expect(p.gridPos[key], `${p.title}: gridPos.${key}`).toBeTypeOf('number');
    }
    expect(unknown(panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)))).toEqual([]);
    expect(dashboard.uid).toBe('osint-platform');
    expect(new Set(panels.map((p) => (p as unknown as { id: number }).id)).size).toBe(panels.length);
  });

  it('docs/operations.md lists every platform metric the code exports', async () => {
    const exported = await exportedMetrics();
    const operations = read('docs', 'operations.md');
    const platform = [...exported].filter(
      (m) => (m.startsWith('osint_') || m.startsWith('http_')) && !/^osint_(api|worker)_/.test(m),
    );
    expect(platform.length).toBeGreaterThan(5);
    for (const metric of platform) expect(operations, metric).toContain(`\`${metric}\``);
  });

  it('k8s/base/monitoring renders two valid ConfigMaps holding the files as they are', () => {
    const objects = renderKustomization(monitoringDir);
    expect(objects.map(objectId).sort()).toEqual([
      'ConfigMap/osint-grafana-dashboard',
      'ConfigMap/osint-prometheus-rules',
    ]);
    expect(objects.flatMap((o) => validator.validateObject(o))).toEqual([]);
    const data = (name: string) =>
      objects.find((o) => o.metadata.name === name)?.data as Record<string, string>;
    expect(data('osint-prometheus-rules')['osint-platform.rules.yaml']).toBe(
      readFileSync(path.join(monitoringDir, 'osint-platform.rules.yaml'), 'utf8'),
    );
    expect(JSON.parse(data('osint-grafana-dashboard')['osint-platform.json'] ?? '')).toEqual(
      JSON.parse(readFileSync(path.join(monitoringDir, 'osint-platform.json'), 'utf8')),
    );
    const dashboard = objects.find((o) => o.metadata.name === 'osint-grafana-dashboard');
    expect(dashboard?.metadata.labels).toMatchObject({
      grafana_dashboard: '1',
      'app.kubernetes.io/part-of': 'osint-platform',
    });
  });

  it('operator/ renders a PrometheusRule equal to the rule file and ServiceMonitors on real Service ports', () => {
    const objects = renderKustomization(path.join(monitoringDir, 'operator'));
    expect(objects.map(objectId).sort()).toEqual([
      'PrometheusRule/osint-platform',
      'ServiceMonitor/osint-api',
      'ServiceMonitor/osint-worker',
    ]);
    expect(objects.flatMap((o) => operatorSchemaErrors(o))).toEqual([]);
    const broken = structuredClone(objects.find((o) => o.kind === 'ServiceMonitor')) as K8sObject;
    (broken.spec as Record<string, unknown>).endpoint = [];
    expect(operatorSchemaErrors(broken)).toContain(
      'ServiceMonitor/osint-api: /spec: unknown field "endpoint"',
    );
    const rule = objects.find((o) => o.kind === 'PrometheusRule') as K8sObject & {
      spec: { groups: unknown };
    };
    const file = parse(readFileSync(path.join(monitoringDir, 'osint-platform.rules.yaml'), 'utf8')) as {
      groups: unknown;
    };
    expect(
      rule.spec.groups,
      'regenerate operator/prometheusrule.yaml from osint-platform.rules.yaml',
    ).toEqual(file.groups);
    const prod = renderKustomization(path.join(k8sRoot, 'overlays', 'prod'));
    for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
      const spec = monitor.spec as {
        selector: { matchLabels: Record<string, string> };
        endpoints: Array<{ port: string }>;
      };
      const service = prod.find(
        (o) =>
          o.kind === 'Service' &&
          Object.entries(spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      expect(service, objectId(monitor)).toBeDefined();
      const ports = ((service?.spec as { ports?: Array<{ name: string }> } | undefined)?.ports ?? []).map(
        (p) => p.name,
      );
      for (const e of spec.endpoints) expect(ports, objectId(monitor)).toContain(e.port);
      expect(Object.keys(monitor.spec as object).sort()).toEqual([
        'endpoints',
        'namespaceSelector',
        'selector',
      ]);
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    }
  });

  it('the monitoring kustomizations are not part of any overlay (no CRDs needed to deploy the platform)', () => {
    for (const overlay of ['dev', 'staging', 'prod']) {
      const kinds = renderKustomization(path.join(k8sRoot, 'overlays', overlay)).map((o) => o.kind);
      expect(kinds).not.toContain('PrometheusRule');
      expect(kinds).not.toContain('ServiceMonitor');
    }
  });
});

// ---------------------------------------------------------------------------------------------------

/**
 * Strict validation for the Prometheus Operator kinds. Their corpus schemas carry Go regexes with an
 * inline case-insensitive flag (`^(?i)(abort|warn)?$`) that JavaScript cannot compile, so those patterns
 * are rewritten to letter classes (`[aA][bB]…`) — the same language — before compiling.
 */
function operatorSchemaErrors(obj: K8sObject): string[] {
  const file = path.join(K8S_SCHEMA_DIR, schemaFileName(obj.apiVersion, obj.kind));
  const schema = JSON.parse(readFileSync(file, 'utf8'), (key, value) => {
    if (key === 'pattern' && typeof value === 'string' && value.includes('(?i)')) {
      return value.replace('(?i)', '').replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
    }
    return value;
  }) as Record<string, unknown>;
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) =>
    e.keyword === 'additionalProperties'
      ? `${objectId(obj)}: ${e.instancePath || '/'}: unknown field "${String(e.params.additionalProperty)}"`
      : `${objectId(obj)}: ${e.instancePath || '/'}: ${e.message}`,
  );
}

const TEST_DIGEST = `sha256:${'ab'.repeat(32)}`;

/**
 * An overlay (which includes the backup Component) as scripts/deploy/set-images.sh pins it: rendered from a
 * copy of k8s/ (the committed overlays stay untouched) with a well-formed digest for the backup image in
 * place of the placeholder.
 */
function renderWithBackup(overlay: 'staging' | 'prod'): K8sObject[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'osint-backup-k8s-'));
  cpSync(k8sRoot, path.join(dir, 'k8s'), { recursive: true });
  const wrapper = path.join(dir, 'k8s', 'overlays', `${overlay}-with-backup`);
  mkdirSync(wrapper);
  writeFileSync(
    path.join(wrapper, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `namespace: osint-${overlay}`,
      `resources: [../${overlay}]`,
      'images:',
      '  - name: docker.io/library/postgres',
      `    digest: ${TEST_DIGEST}`,
      '',
    ].join('\n'),
  );
  return renderKustomization(wrapper);
}

/** The Pod manifest docs/runbooks/restore.md applies (the heredoc between <<'YAML' and YAML). */
function runbookReaderPod(): K8sObject {
  const doc = read('docs', 'runbooks', 'restore.md');
  const body = /<<'YAML'\n([\s\S]*?)\nYAML\n/.exec(doc)?.[1];
  if (!body) throw new Error('docs/runbooks/restore.md: no <<YAML heredoc');
  return parse(body) as K8sObject;
}

interface PodSecurity {
  runAsNonRoot?: boolean;
  seccompProfile?: { type?: string };
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}

/**
 * The restricted Pod Security Standard's checks (kubernetes.io/docs/concepts/security/pod-security-standards):
 * what the namespace's `enforce: restricted` label makes the API server check when the runbook's pod is created.
 */
function restrictedPodErrors(pod: K8sObject): string[] {
  const spec = pod.spec as {
    securityContext?: PodSecurity;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    volumes?: Array<Record<string, unknown>>;
    containers: Array<{ name: string; securityContext?: PodSecurity }>;
  };
  const id = pod.metadata.name;
  const errors: string[] = [];
  const podSc = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) errors.push(`${id}: host namespaces`);
  for (const v of spec.volumes ?? []) if ('hostPath' in v) errors.push(`${id}: hostPath volume`);
  const seccomp = (c: PodSecurity) => ['RuntimeDefault', 'Localhost'].includes(c.seccompProfile?.type ?? '');
  if (!seccomp(podSc) && !spec.containers.every((c) => seccomp(c.securityContext ?? {})))
    errors.push(`${id}: no RuntimeDefault/Localhost seccompProfile`);
  for (const c of spec.containers) {
    const sc = c.securityContext ?? {};
    if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) errors.push(`${id}/${c.name}: runAsNonRoot is not true`);
    if (sc.allowPrivilegeEscalation !== false)
      errors.push(`${id}/${c.name}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes('ALL'))
      errors.push(`${id}/${c.name}: does not drop ALL capabilities`);
    if ((sc.capabilities?.add ?? []).some((a) => a !== 'NET_BIND_SERVICE'))
      errors.push(`${id}/${c.name}: adds capabilities`);
  }
  return errors;
}

kdescribe('backup CronJob (k8s/components/backup)', () => {
  for (const overlay of ['staging', 'prod'] as const) {
    describe(overlay, () => {
      let rendered: K8sObject[] | undefined;
      const objects = new Proxy([] as K8sObject[], {
        get: (_t, key) => {
          rendered ??= renderWithBackup(overlay);
          const value = Reflect.get(rendered, key);
          return typeof value === 'function' ? value.bind(rendered) : value;
        },
      });

      it('renders the CronJob, its script ConfigMap and volume, strictly valid', () => {
        const ids = objects.map(objectId);
        expect(ids).toEqual(
          expect.arrayContaining(['CronJob/db-backup', 'PersistentVolumeClaim/db-backups']),
        );
        const script = objects.find(
          (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('db-backup-script-'),
        );
        expect((script?.data as Record<string, string> | undefined)?.['backup.sh']).toBe(
          read('k8s', 'components', 'backup', 'backup.sh'),
        );
        expect(objects.flatMap((o) => validator.validateObject(o))).toEqual([]);
      });

      it('passes every house rule (non-root, read-only root, limits, digest, policies)', () => {
        expect(policyErrors(objects, overlay)).toEqual([]);
        const job = workloads(objects).find((w) => w.id === 'CronJob/db-backup');
        expect(job?.template.spec.containers[0]?.image).toBe(`docker.io/library/postgres@${TEST_DIGEST}`);
        expect(job?.template.spec.containers[0]?.command).toEqual(['sh', '/opt/backup/backup.sh']);
      });

      it('each workload reads only its own database role (ADR 0021); the backup password never in argv', () => {
        const secretKeysOf = (id: string) =>
          (workloads(objects).find((w) => w.id === id)?.template.spec.containers ?? []).flatMap((c) =>
            (c.env ?? []).flatMap((e) =>
              e.valueFrom?.secretKeyRef ? [`${e.name}=${e.valueFrom.secretKeyRef.key}`] : [],
            ),
          );
        const databaseKeys = (id: string) => secretKeysOf(id).filter((k) => /DATABASE|PGPASSWORD/.test(k));
        expect(databaseKeys('Deployment/api')).toEqual(['DATABASE_URL=DATABASE_URL']);
        expect(databaseKeys('Deployment/worker')).toEqual(['DATABASE_URL=DATABASE_URL']);
        expect(databaseKeys('Job/migrate')).toEqual(['MIGRATION_DATABASE_URL=MIGRATION_DATABASE_URL']);
        expect(databaseKeys('CronJob/db-backup')).toEqual([
          'DATABASE_URL=BACKUP_DATABASE_URL',
          'PGPASSWORD=BACKUP_DATABASE_PASSWORD',
        ]);
      });

      it('may reach PostgreSQL (and DNS), nothing else; nothing reaches it', () => {
        const backup = podEndpointOf(objects, 'db-backup');
        const egress = objects.find((o) => objectId(o) === 'NetworkPolicy/egress-to-postgres');
        const spec = egress?.spec as
          | { egress: Array<{ to: Array<{ ipBlock: { cidr: string } }> }> }
          | undefined;
        const cidr = spec?.egress[0]?.to[0]?.ipBlock.cidr;
        const at = (c: string | undefined): Endpoint => ({ kind: 'external', ip: firstAddress(c ?? '') });
        const allowed = (from: Endpoint, to: Endpoint, port: number) =>
          isFlowAllowed(objects, { from, to, port, protocol: 'TCP' });
        expect(allowed(backup, at(cidr), 5432)).toBe(true);
        expect(allowed(backup, at(cidr), 6379)).toBe(false);
        expect(allowed(backup, { kind: 'external', ip: '203.0.113.9' }, 443)).toBe(false);
        expect(allowed(backup, podEndpointOf(objects, 'api'), 4000)).toBe(false);
        expect(allowed(podEndpointOf(objects, 'api'), backup, 5432)).toBe(false);
      });
    });
  }

  it("the restore runbook's reader pod is valid and admissible under the restricted Pod Security Standard", () => {
    const pod = runbookReaderPod();
    // No Pod schema in the corpus: its spec is validated as a Job's pod template (the same PodSpec schema).
    const asJob = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: pod.metadata.name },
      spec: { template: { spec: pod.spec } },
    } as K8sObject;
    expect(validator.validateObject(asJob)).toEqual([]);
    expect(restrictedPodErrors(pod)).toEqual([]);
    const spec = pod.spec as { volumes: Array<{ persistentVolumeClaim?: { claimName: string } }> };
    expect(spec.volumes[0]?.persistentVolumeClaim?.claimName).toBe('db-backups');

    const broken = structuredClone(pod) as { spec: { securityContext: Record<string, unknown> } } & K8sObject;
    delete broken.spec.securityContext.seccompProfile;
    expect(restrictedPodErrors(broken)).toEqual([
      'backup-reader: no RuntimeDefault/Localhost seccompProfile',
    ]);
  });

  it('staging and prod include the Component and pin its image by digest like the app images', () => {
    const component = parse(read('k8s', 'components', 'backup', 'kustomization.yaml')) as {
      images?: unknown;
    };
    // One place pins the digest: the overlay's `images:`, which set-images.sh overrides with BACKUP_IMAGE.
    expect(component.images).toBeUndefined();
    for (const overlay of ['staging', 'prod']) {
      const kustomization = parse(read('k8s', 'overlays', overlay, 'kustomization.yaml')) as {
        components?: string[];
        images?: Array<{ name: string; digest?: string; newTag?: string }>;
      };
      expect(kustomization.components, overlay).toContain('../../components/backup');
      const pin = kustomization.images?.find((i) => i.name === 'docker.io/library/postgres');
      expect(pin?.digest, overlay).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(pin?.newTag, overlay).toBeUndefined();
    }
    const dev = parse(read('k8s', 'overlays', 'dev', 'kustomization.yaml')) as { components?: string[] };
    expect(dev.components ?? []).not.toContain('../../components/backup');
  });
});

/**
 * Proof for the observability side of issue 7 that needs no cluster and no image registry:
 *   - compose.yaml's `observability` profile: Prometheus and Grafana only under the profile, images named by
 *     variables, ports on 127.0.0.1, and every file they mount is the one the configuration expects
 *     (prometheus.yml's rule glob, Grafana's provisioning paths, the dashboard) — and docker-compose 1.29
 *     accepts the file with and without the profile (when installed; Compose v2 too when present);
 *   - with promtool (Debian's `prometheus` package) the rule file and prometheus.yml check clean, and the
 *     queue and pool alerts fire on synthetic series exactly when they should (`promtool test rules`),
 *     including that worker replicas reporting the same queue are not added up.
 * The images are not run here (no registry): docs/operations.md#compose-observability-profile says so.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot } from './support/k8s-render.js';

const read = (...p: string[]) => readFileSync(path.join(repoRoot, ...p), 'utf8');
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const hasPromtool = has('promtool', ['--version']);
const hasCompose1 = has('docker-compose', ['version']);
const hasCompose2 = has('docker', ['compose', 'version']);
if (!hasPromtool) console.warn('[infra] SKIPPING promtool checks: install Debian package `prometheus`');

interface Service {
  image?: string;
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  extra_hosts?: string[];
  depends_on?: Record<string, unknown>;
}
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** host path → container path of a service's bind mounts. */
function mounts(service: Service): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of service.volumes ?? []) {
    const [source = '', target = ''] = v.split(':');
    if (source.startsWith('./')) out.set(path.normalize(source), target);
  }
  return out;
}

describe('compose.yaml observability profile', () => {
  const { prometheus, grafana } = compose.services;

  it('adds prometheus and grafana under the profile only, with overridable images and local ports', () => {
    expect(prometheus?.image).toMatch(/^\$\{PROMETHEUS_IMAGE:-prom\/prometheus:v\d+\.\d+\.\d+\}$/);
    expect(grafana?.image).toMatch(/^\$\{GRAFANA_IMAGE:-grafana\/grafana:\d+\.\d+\.\d+\}$/);
    for (const [name, s] of Object.entries(compose.services)) {
      const observability = name === 'prometheus' || name === 'grafana';
      expect(s.profiles?.includes('observability') ?? false, name).toBe(observability);
    }
    expect(prometheus?.ports).toEqual([`127.0.0.1:\${PROMETHEUS_PORT:-9090}:9090`]);
    expect(grafana?.ports).toEqual([`127.0.0.1:\${GRAFANA_PORT:-3000}:3000`]);
    // Data survives `down` like the database's; both volumes are declared.
    expect(prometheus?.volumes).toContain('prometheus-data:/prometheus');
    expect(grafana?.volumes).toContain('grafana-data:/var/lib/grafana');
    expect(compose.volumes).toHaveProperty('prometheus-data');
    expect(compose.volumes).toHaveProperty('grafana-data');
  });

  it('Prometheus reads the mounted config and the same rule file as k8s, and scrapes the real ports', () => {
    const m = mounts(prometheus ?? {});
    expect(m.get('docker/observability/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    const rules = m.get('k8s/base/monitoring/osint-platform.rules.yaml') ?? '';
    const config = parse(read('docker', 'observability', 'prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const glob = config.rule_files[0] ?? '';
    expect(path.dirname(rules)).toBe(path.dirname(glob));
    expect(path.basename(rules).endsWith(path.basename(glob).replace('*', ''))).toBe(true);
    const targets = (job: string) =>
      config.scrape_configs.find((c) => c.job_name === job)?.static_configs.flatMap((c) => c.targets);
    // The Compose services' ports, and the native processes' (host-gateway) ones.
    expect(compose.services.api?.environment?.API_PORT).toBe('4000');
    expect(compose.services.worker?.environment?.WORKER_PORT).toBe('4001');
    expect(targets('osint-api')).toEqual(['api:4000', 'host.docker.internal:4000']);
    expect(targets('osint-worker')).toEqual(['worker:4001', 'host.docker.internal:4001']);
    expect(prometheus?.extra_hosts).toContain('host.docker.internal:host-gateway');
  });

  it('Grafana is provisioned with the Prometheus service as data source and the k8s dashboard', () => {
    const m = mounts(grafana ?? {});
    expect(m.get('docker/observability/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashboards = parse(read('docker/observability/grafana/provisioning/dashboards/osint.yaml')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(m.get('k8s/base/monitoring/osint-platform.json')).toBe(
      `${dashboards.providers[0]?.options.path}/osint-platform.json`,
    );
    const sources = parse(read('docker/observability/grafana/provisioning/datasources/prometheus.yaml')) as {
      datasources: Array<{ type: string; url: string; isDefault: boolean }>;
    };
    expect(sources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    expect(grafana?.depends_on).toHaveProperty('prometheus');
  });

  it.skipIf(!hasCompose1)('docker-compose 1.29 accepts the file with and without the profile', () => {
    for (const args of [
      ['config', '-q'],
      ['--profile', 'observability', 'config', '-q'],
    ]) {
      const run = spawnSync('docker-compose', ['-f', 'compose.yaml', ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
    }
  });

  it.skipIf(!hasCompose2)('Compose v2 starts only the default services without the profile', () => {
    const services = (args: string[]) =>
      spawnSync('docker', ['compose', '-f', 'compose.yaml', ...args, 'config', '--services'], {
        cwd: repoRoot,
        encoding: 'utf8',
      }).stdout.split('\n');
    expect(services([])).not.toContain('prometheus');
    expect(services(['--profile', 'observability'])).toEqual(
      expect.arrayContaining(['prometheus', 'grafana']),
    );
  });
});

// ---------------------------------------------------------------------------------------------------

interface Rule {
  alert: string;
  annotations: Record<string, string>;
}
const ruleFile = path.join(repoRoot, 'k8s', 'base', 'monitoring', 'osint-platform.rules.yaml');
const rules = (parse(readFileSync(ruleFile, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (g) => g.rules,
);

/** An expected alert: its labels, and its annotations rendered as Prometheus would for those labels. */
function expected(alert: string, labels: Record<string, string>) {
  const rule = rules.find((r) => r.alert === alert);
  if (!rule) throw new Error(`no rule ${alert}`);
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => {
      expect(v, `${alert}.${k}: only $labels templates are rendered here`).not.toContain('$value');
      return [k, v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '')];
    }),
  );
  return { exp_labels: labels, exp_annotations: annotations };
}

function promtool(args: string[]) {
  return spawnSync('promtool', args, { encoding: 'utf8' });
}

describe.skipIf(!hasPromtool)('alert rules under promtool', () => {
  it('the rule file and the Compose prometheus.yml check clean', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-prom-'));
    mkdirSync(path.join(dir, 'rules'));
    copyFileSync(ruleFile, path.join(dir, 'rules', 'osint-platform.rules.yaml'));
    // The config with the rule glob pointing where the Compose mount would put the file.
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      read('docker', 'observability', 'prometheus.yml').replaceAll(
        '/etc/prometheus/rules',
        path.join(dir, 'rules'),
      ),
    );
    const rulesCheck = promtool(['check', 'rules', ruleFile]);
    expect(rulesCheck.status, rulesCheck.stdout + rulesCheck.stderr).toBe(0);
    const configCheck = promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(configCheck.status, configCheck.stdout + configCheck.stderr).toBe(0);
    expect(configCheck.stdout + configCheck.stderr).toContain('1 rule files found');
  });

  it('queue and pool alerts fire when they should, and replicas reporting one queue are not summed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-promtest-'));
    const tests = {
      rule_files: [ruleFile],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // extract: nothing taken for 40 minutes, seen by two worker replicas.
            {
              series: 'osint_queue_oldest_waiting_seconds{queue="extract", instance="w1"}',
              values: '0+60x40',
            },
            {
              series: 'osint_queue_oldest_waiting_seconds{queue="extract", instance="w2"}',
              values: '0+60x40',
            },
            // enrich: 400 s on each of two replicas — 800 if summed, but the backlog is 400 s old.
            { series: 'osint_queue_oldest_waiting_seconds{queue="enrich", instance="w1"}', values: '400x40' },
            { series: 'osint_queue_oldest_waiting_seconds{queue="enrich", instance="w2"}', values: '400x40' },
            // 1200 waiting and growing, on two replicas; export: a large but stable backlog.
            {
              series: 'osint_queue_jobs{queue="extract", state="waiting", instance="w1"}',
              values: '1200+20x40',
            },
            {
              series: 'osint_queue_jobs{queue="extract", state="waiting", instance="w2"}',
              values: '1200+20x40',
            },
            { series: 'osint_queue_jobs{queue="export", state="waiting", instance="w1"}', values: '5000x40' },
            { series: 'osint_queue_jobs{queue="extract", state="failed", instance="w1"}', values: '0+5x40' },
            // The API's pool: work waits from minute 3 on; the worker's never.
            {
              series: 'osint_db_pool_waiting{job="osint-api", instance="a1", pool="api"}',
              values: '0 0 0 3x40',
            },
            {
              series: 'osint_db_pool_waiting{job="osint-worker", instance="w1", pool="worker"}',
              values: '0x40',
            },
          ],
          alert_rule_test: [
            // Over 600 s from minute 11, then pending for 10 minutes.
            { eval_time: '20m', alertname: 'OsintQueueBacklogOld', exp_alerts: [] },
            {
              eval_time: '22m',
              alertname: 'OsintQueueBacklogOld',
              exp_alerts: [expected('OsintQueueBacklogOld', { queue: 'extract', severity: 'page' })],
            },
            {
              eval_time: '35m',
              alertname: 'OsintQueueBacklogGrowing',
              exp_alerts: [expected('OsintQueueBacklogGrowing', { queue: 'extract', severity: 'ticket' })],
            },
            // More than 100 failed from minute 21, for 30 minutes: not yet at 40.
            { eval_time: '40m', alertname: 'OsintQueueFailedJobsPiling', exp_alerts: [] },
            { eval_time: '7m', alertname: 'OsintDbPoolSaturated', exp_alerts: [] },
            {
              eval_time: '9m',
              alertname: 'OsintDbPoolSaturated',
              exp_alerts: [
                expected('OsintDbPoolSaturated', {
                  job: 'osint-api',
                  instance: 'a1',
                  pool: 'api',
                  severity: 'ticket',
                }),
              ],
            },
          ],
        },
      ],
    };
    const file = path.join(dir, 'alerts.test.yaml');
    writeFileSync(file, stringify(tests));
    const run = promtool(['test', 'rules', file]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
  });
});

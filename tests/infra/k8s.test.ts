/**
 * Proof for k8s/: every overlay renders with `kubectl kustomize`, every rendered object validates
 * strictly against the Kubernetes v1.30 schemas, the house rules hold (security, resources, probes,
 * images, network policy, disruption, scaling, references), the network flows the platform needs are
 * open and the others closed — and every checker is shown to fire on a deliberately broken copy.
 * No cluster is needed. docs/iac.md explains the manifests and these rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  cidrContains,
  type Endpoint,
  firstAddress,
  isFlowAllowed,
  podEndpointOf,
} from './support/k8s-netpol.js';
import {
  type Container,
  field,
  type K8sObject,
  matchesSelector,
  objectId,
  type PodSpec,
  parseSelector,
  workloads,
} from './support/k8s-objects.js';
import { parseImage, parseQuantity, policyErrors } from './support/k8s-policy.js';
import {
  k8sRoot,
  kustomizationErrors,
  kustomizationFiles,
  OVERLAYS,
  type Overlay,
  overlayDir,
  readKustomization,
  renderKustomization,
  repoRoot,
} from './support/k8s-render.js';
import { createSchemaValidator, K8S_SCHEMA_DIR, schemaFileName } from './support/k8s-schema.js';

// ---------------------------------------------------------------------------------------------------
// Rendering (cached: each kustomization is rendered once per run)

const renders = new Map<string, K8sObject[]>();

function render(dir: string): K8sObject[] {
  let objects = renders.get(dir);
  if (!objects) {
    objects = renderKustomization(dir);
    renders.set(dir, objects);
  }
  return objects;
}

const rendered = (overlay: Overlay) => render(overlayDir(overlay));
const BASE = path.join(k8sRoot, 'base');
const MIGRATE = path.join(k8sRoot, 'base', 'migrate');

/** A deep copy of an overlay's objects, for breaking. */
const copyOf = (overlay: Overlay): K8sObject[] => structuredClone(rendered(overlay));

function find(objects: K8sObject[], id: string): K8sObject {
  const obj = objects.find((o) => objectId(o) === id);
  if (!obj) throw new Error(`${id} not rendered`);
  return obj;
}

function podSpecOf(objects: K8sObject[], id: string): PodSpec {
  const workload = workloads(objects).find((w) => w.id === id);
  if (!workload) throw new Error(`${id} is not a workload`);
  return workload.template.spec;
}

function containerOf(objects: K8sObject[], id: string): Container {
  const container = podSpecOf(objects, id).containers[0];
  if (!container) throw new Error(`${id} has no container`);
  return container;
}

function without(objects: K8sObject[], id: string): K8sObject[] {
  const kept = objects.filter((o) => objectId(o) !== id);
  expect(kept.length).toBe(objects.length - 1);
  return kept;
}

function spec(obj: K8sObject): Record<string, unknown> {
  return obj.spec as Record<string, unknown>;
}

// The three `kubectl apply -l` phases of a deploy (docs/iac.md gives the same strings).
const PHASE_PREPARE = 'app.kubernetes.io/component notin (api,worker,web,migrate)';
const PHASE_MIGRATE = 'app.kubernetes.io/component=migrate';
const PHASE_ROLLOUT = 'app.kubernetes.io/component!=migrate';

const selectIds = (objects: K8sObject[], selector: string) =>
  objects.filter((o) => matchesSelector(parseSelector(selector), o.metadata.labels ?? {})).map(objectId);

// ---------------------------------------------------------------------------------------------------

describe('kustomize sources', () => {
  it('every kustomization uses current fields only (labels/patches, not commonLabels/patchesStrategicMerge)', () => {
    const files = kustomizationFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'k8s/base/kustomization.yaml',
        'k8s/base/migrate/kustomization.yaml',
        'k8s/overlays/dev/kustomization.yaml',
        'k8s/overlays/staging/kustomization.yaml',
        'k8s/overlays/prod/kustomization.yaml',
      ]),
    );
    expect(files.flatMap((f) => kustomizationErrors(readKustomization(f), f))).toEqual([]);
  });

  it('the kustomization check rejects deprecated fields', () => {
    const doc = { ...readKustomization('k8s/base/kustomization.yaml') };
    doc.commonLabels = { a: 'b' };
    doc.patchesStrategicMerge = ['x.yaml'];
    expect(kustomizationErrors(doc)).toEqual([
      'kustomization.yaml: `commonLabels` is deprecated, use `labels`',
      'kustomization.yaml: `patchesStrategicMerge` is deprecated, use `patches`',
    ]);
  });
});

describe('rendering', () => {
  it.each(OVERLAYS)('kubectl kustomize k8s/overlays/%s renders', (overlay) => {
    const objects = rendered(overlay);
    expect(objects.length).toBeGreaterThan(0);
    const ids = objects.map(objectId);
    expect(new Set(ids).size).toBe(ids.length);
    const perKind = new Map<string, number>();
    for (const o of objects) perKind.set(o.kind, (perKind.get(o.kind) ?? 0) + 1);
    const summary = [...perKind].map(([kind, count]) => `${count} ${kind}`).join(', ');
    console.info(`k8s/overlays/${overlay}: ${objects.length} objects (${summary})`);
  });

  it('the base renders and includes the migrate Job', () => {
    expect(render(BASE).map(objectId)).toContain('Job/migrate');
  });

  it('k8s/base/migrate renders the migrate Job alone', () => {
    expect(render(MIGRATE).map(objectId)).toEqual(['Job/migrate']);
  });

  it.each(OVERLAYS)('%s renders the expected objects', (overlay) => {
    const ids = rendered(overlay).map(objectId);
    const apps = ['api', 'worker', 'web'];
    expect(ids).toEqual(
      expect.arrayContaining([
        ...apps.flatMap((a) => [`Deployment/${a}`, `Service/${a}`, `PodDisruptionBudget/${a}`]),
        'Job/migrate',
        'ConfigMap/osint-config',
        'NetworkPolicy/default-deny-all',
        'NetworkPolicy/allow-dns-egress',
      ]),
    );
    if (overlay === 'dev') {
      expect(ids).toEqual(
        expect.arrayContaining([
          'StatefulSet/postgres',
          'StatefulSet/redis',
          'Service/postgres',
          'Service/redis',
        ]),
      );
      expect(ids).toContain('Secret/osint-secrets');
      expect(ids.filter((id) => id.startsWith('HorizontalPodAutoscaler/'))).toEqual([]);
      expect(ids.filter((id) => id.startsWith('Ingress/'))).toEqual([]);
    } else {
      expect(ids).toEqual(
        expect.arrayContaining([
          'HorizontalPodAutoscaler/api',
          'HorizontalPodAutoscaler/worker',
          'Ingress/web',
        ]),
      );
      expect(ids.filter((id) => id.startsWith('StatefulSet/') || id.startsWith('Secret/'))).toEqual([]);
    }
  });

  it('deploy phases: prepare (no app workloads), the migrate Job alone, then the rollout', () => {
    for (const overlay of OVERLAYS) {
      const objects = rendered(overlay);
      const prepare = selectIds(objects, PHASE_PREPARE);
      expect(prepare).toEqual(
        expect.arrayContaining([
          `Namespace/osint-${overlay}`,
          'ConfigMap/osint-config',
          'NetworkPolicy/default-deny-all',
        ]),
      );
      // Job/seed is dev-only and ordered by the Tiltfile (after migrate); no phased deploy applies dev.
      const phased = prepare.filter((id) => id !== 'Job/seed' || overlay !== 'dev');
      expect(phased.filter((id) => id.startsWith('Deployment/') || id.startsWith('Job/'))).toEqual([]);
      if (overlay === 'dev')
        expect(prepare).toEqual(expect.arrayContaining(['StatefulSet/postgres', 'StatefulSet/redis']));
      expect(selectIds(objects, PHASE_MIGRATE)).toEqual(['Job/migrate']);
      const rollout = selectIds(objects, PHASE_ROLLOUT);
      expect(rollout).not.toContain('Job/migrate');
      expect(rollout.length).toBe(objects.length - 1);
    }
  });

  it('docs/iac.md gives the same phase selectors the tests evaluate', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'iac.md'), 'utf8');
    for (const selector of [PHASE_PREPARE, PHASE_MIGRATE, PHASE_ROLLOUT]) expect(doc).toContain(selector);
  });
});

// ---------------------------------------------------------------------------------------------------

const validator = createSchemaValidator();
const schemaErrors = (objects: K8sObject[]) => objects.flatMap((o) => validator.validateObject(o));

describe('schema file names', () => {
  it.each([
    ['apps/v1', 'Deployment', 'deployment-apps-v1.json'],
    ['v1', 'ConfigMap', 'configmap-v1.json'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicy-networking-v1.json'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscaler-autoscaling-v2.json'],
    ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudget-policy-v1.json'],
  ])('%s %s → %s', (apiVersion, kind, file) => {
    expect(schemaFileName(apiVersion, kind)).toBe(file);
  });
});

describe('strict schema validation (Kubernetes v1.30)', () => {
  it.each(OVERLAYS)('every object of %s validates', (overlay) => {
    const objects = rendered(overlay);
    expect(schemaErrors(objects)).toEqual([]);
    console.log(
      `[corpus] k8s-json-schema-v1.30-strict: the ${objects.length} objects of ${overlay} validate`,
    );
  });

  it('every object of the base and of base/migrate validates', () => {
    expect(schemaErrors([...render(BASE), ...render(MIGRATE)])).toEqual([]);
  });

  it('rejects a misspelt field (command → comand)', () => {
    const objects = copyOf('prod');
    const container = containerOf(objects, 'Deployment/api') as unknown as Record<string, unknown>;
    container.comand = container.command;
    delete container.command;
    expect(validator.validateObject(find(objects, 'Deployment/api'))).toEqual([
      'Deployment/api: /spec/template/spec/containers/0: unknown field "comand"',
    ]);
  });

  it('rejects an unknown metadata field and a wrong type', () => {
    const objects = copyOf('dev');
    const deployment = find(objects, 'Deployment/web');
    (deployment.metadata as unknown as Record<string, unknown>).lables = { a: 'b' };
    spec(deployment).replicas = 'two';
    const errors = validator.validateObject(deployment);
    expect(errors).toContain('Deployment/web: /metadata: unknown field "lables"');
    expect(errors.some((e) => e.startsWith('Deployment/web: /spec/replicas: must be'))).toBe(true);
  });

  it('rejects a misspelt NetworkPolicy field and a wrong apiVersion', () => {
    const objects = copyOf('staging');
    const policy = find(objects, 'NetworkPolicy/web');
    spec(policy).podSelecter = spec(policy).podSelector;
    const hpa = { ...find(objects, 'HorizontalPodAutoscaler/api'), apiVersion: 'autoscaling/v1' };
    expect(validator.validateObject(policy)).toContain(
      'NetworkPolicy/web: /spec: unknown field "podSelecter"',
    );
    expect(validator.validateObject(hpa)[0]).toMatch(
      /no schema horizontalpodautoscaler-autoscaling-v1\.json/,
    );
  });

  it('reports a kind without a schema instead of passing it', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validator.validateObject(widget)).toEqual([
      `Widget/w: no schema widget-example-v1.json for example.com/v1 Widget in ${K8S_SCHEMA_DIR}`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('house rules', () => {
  it.each(OVERLAYS)('%s passes every policy', (overlay) => {
    expect(policyErrors(rendered(overlay), overlay)).toEqual([]);
  });

  it('the base alone is not deployable: data-store egress has no destination until an overlay sets it', () => {
    const errors = policyErrors(
      render(BASE).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'osint-prod' } })),
      'prod',
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'NetworkPolicy/egress-to-postgres: egress rule 0 allows any destination',
        'NetworkPolicy/egress-to-redis: egress rule 0 allows any destination',
      ]),
    );
  });

  interface BreakCase {
    overlay: Overlay;
    what: string;
    breakIt: (objects: K8sObject[]) => K8sObject[] | undefined;
    expected: string;
  }

  const cases: BreakCase[] = [
    {
      overlay: 'prod',
      what: 'limits dropped',
      breakIt: (o) => {
        delete containerOf(o, 'Deployment/api').resources?.limits;
        return o;
      },
      expected: 'Deployment/api/api: no memory limit',
    },
    {
      overlay: 'staging',
      what: 'requests dropped from the Job',
      breakIt: (o) => {
        delete containerOf(o, 'Job/migrate').resources?.requests;
        return o;
      },
      expected: 'Job/migrate/migrate: no cpu request',
    },
    {
      overlay: 'prod',
      what: 'request above limit',
      breakIt: (o) => {
        const resources = containerOf(o, 'Deployment/web').resources;
        if (resources?.requests) resources.requests.memory = '1Gi';
        return o;
      },
      expected: 'Deployment/web/web: memory request 1Gi exceeds limit 128Mi',
    },
    {
      overlay: 'prod',
      what: 'runAsNonRoot: false on the container',
      breakIt: (o) => {
        const sc = containerOf(o, 'Deployment/worker').securityContext;
        if (sc) sc.runAsNonRoot = false;
        return o;
      },
      expected: 'Deployment/worker/worker: runAsNonRoot must be true',
    },
    {
      overlay: 'dev',
      what: 'runAsNonRoot: false on the pod with no container override',
      breakIt: (o) => {
        const pod = podSpecOf(o, 'StatefulSet/postgres');
        if (pod.securityContext) pod.securityContext.runAsNonRoot = false;
        delete containerOf(o, 'StatefulSet/postgres').securityContext?.runAsNonRoot;
        return o;
      },
      expected: 'StatefulSet/postgres/postgres: runAsNonRoot must be true',
    },
    {
      overlay: 'staging',
      what: 'runAsUser 0',
      breakIt: (o) => {
        const pod = podSpecOf(o, 'Deployment/api');
        if (pod.securityContext) pod.securityContext.runAsUser = 0;
        return o;
      },
      expected: 'Deployment/api/api: runAsUser must be a non-zero numeric uid',
    },
    {
      overlay: 'prod',
      what: 'no seccomp profile',
      breakIt: (o) => {
        delete podSpecOf(o, 'Job/migrate').securityContext?.seccompProfile;
        return o;
      },
      expected: 'Job/migrate/migrate: seccompProfile must be RuntimeDefault',
    },
    {
      overlay: 'prod',
      what: 'privilege escalation allowed',
      breakIt: (o) => {
        const sc = containerOf(o, 'Deployment/web').securityContext;
        if (sc) sc.allowPrivilegeEscalation = true;
        return o;
      },
      expected: 'Deployment/web/web: allowPrivilegeEscalation must be false',
    },
    {
      overlay: 'prod',
      what: 'capabilities not dropped, NET_ADMIN added',
      breakIt: (o) => {
        const sc = containerOf(o, 'Deployment/api').securityContext;
        if (sc) sc.capabilities = { add: ['NET_ADMIN'] };
        return o;
      },
      expected: 'Deployment/api/api: adds capabilities NET_ADMIN',
    },
    {
      overlay: 'prod',
      what: 'privileged container',
      breakIt: (o) => {
        const sc = containerOf(o, 'Deployment/api').securityContext;
        if (sc) sc.privileged = true;
        return o;
      },
      expected: 'Deployment/api/api: privileged',
    },
    {
      overlay: 'staging',
      what: 'host network and a hostPath volume',
      breakIt: (o) => {
        const pod = podSpecOf(o, 'Deployment/worker');
        pod.hostNetwork = true;
        pod.volumes?.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
        return o;
      },
      expected: 'Deployment/worker: hostPath volume docker',
    },
    {
      overlay: 'prod',
      what: 'service account token mounted',
      breakIt: (o) => {
        delete podSpecOf(o, 'Deployment/web').automountServiceAccountToken;
        return o;
      },
      expected:
        'Deployment/web: automountServiceAccountToken must be false (no workload calls the Kubernetes API)',
    },
    {
      overlay: 'prod',
      what: 'writable root filesystem outside dev',
      breakIt: (o) => {
        const sc = containerOf(o, 'Deployment/api').securityContext;
        if (sc) sc.readOnlyRootFilesystem = false;
        return o;
      },
      expected: 'Deployment/api/api: readOnlyRootFilesystem must be true',
    },
    {
      overlay: 'dev',
      what: 'writable root filesystem in dev on a container Tilt does not live-update',
      breakIt: (o) => {
        const sc = containerOf(o, 'StatefulSet/redis').securityContext;
        if (sc) sc.readOnlyRootFilesystem = false;
        return o;
      },
      expected: 'StatefulSet/redis/redis: readOnlyRootFilesystem must be true',
    },
    {
      overlay: 'staging',
      what: 'liveness probe removed',
      breakIt: (o) => {
        delete containerOf(o, 'Deployment/worker').livenessProbe;
        return o;
      },
      expected: 'Deployment/worker/worker: no livenessProbe',
    },
    {
      overlay: 'dev',
      what: 'startup probe removed from an in-cluster data store',
      breakIt: (o) => {
        delete containerOf(o, 'StatefulSet/redis').startupProbe;
        return o;
      },
      expected: 'StatefulSet/redis/redis: no startupProbe',
    },
    {
      overlay: 'prod',
      what: 'probe on a port name the container does not have',
      breakIt: (o) => {
        const probe = containerOf(o, 'Deployment/worker').readinessProbe;
        if (probe?.httpGet) probe.httpGet.port = 'http';
        return o;
      },
      expected: 'Deployment/worker/worker: readinessProbe uses unknown port "http"',
    },
    {
      overlay: 'staging',
      what: ':latest image',
      breakIt: (o) => {
        containerOf(o, 'Deployment/web').image = 'osint-web:latest';
        return o;
      },
      expected: 'Deployment/web/web: image osint-web:latest uses :latest',
    },
    {
      overlay: 'prod',
      what: 'untagged image',
      breakIt: (o) => {
        containerOf(o, 'Job/migrate').image = 'osint-api';
        return o;
      },
      expected: 'Job/migrate/migrate: image osint-api has neither tag nor digest',
    },
    {
      overlay: 'prod',
      what: 'tag instead of digest',
      breakIt: (o) => {
        containerOf(o, 'Deployment/api').image = 'registry.example.com/osint-api:1.4.2';
        return o;
      },
      expected:
        'Deployment/api/api: image registry.example.com/osint-api:1.4.2 is not pinned by digest (@sha256:<64 hex>)',
    },
    {
      overlay: 'prod',
      what: 'default-deny NetworkPolicy removed',
      breakIt: (o) => without(o, 'NetworkPolicy/default-deny-all'),
      expected: 'NetworkPolicy: no default-deny (podSelector {}, Ingress+Egress, no rules)',
    },
    {
      overlay: 'staging',
      what: "the worker's NetworkPolicy and its data-store policies removed",
      breakIt: (o) =>
        without(
          without(without(o, 'NetworkPolicy/worker'), 'NetworkPolicy/egress-to-postgres'),
          'NetworkPolicy/egress-to-redis',
        ),
      expected: 'Deployment/worker: no NetworkPolicy selects its pods (beyond the defaults)',
    },
    {
      overlay: 'prod',
      what: 'egress rule without destination',
      breakIt: (o) => {
        const rules = spec(find(o, 'NetworkPolicy/egress-to-redis')).egress as Array<Record<string, unknown>>;
        delete rules[0]?.to;
        return o;
      },
      expected: 'NetworkPolicy/egress-to-redis: egress rule 0 allows any destination',
    },
    {
      overlay: 'dev',
      what: 'ingress rule without source',
      breakIt: (o) => {
        const rules = spec(find(o, 'NetworkPolicy/postgres')).ingress as Array<Record<string, unknown>>;
        delete rules[0]?.from;
        return o;
      },
      expected: 'NetworkPolicy/postgres: ingress rule 0 allows any source',
    },
    {
      overlay: 'prod',
      what: 'PodDisruptionBudget removed',
      breakIt: (o) => without(o, 'PodDisruptionBudget/web'),
      expected: 'Deployment/web: no PodDisruptionBudget',
    },
    {
      overlay: 'staging',
      what: 'PodDisruptionBudget selecting nothing',
      breakIt: (o) => {
        spec(find(o, 'PodDisruptionBudget/api')).selector = {
          matchLabels: { 'app.kubernetes.io/name': 'apii' },
        };
        return o;
      },
      expected: 'PodDisruptionBudget/api: selects no workload',
    },
    {
      overlay: 'prod',
      what: 'HPA target that does not exist',
      breakIt: (o) => {
        (spec(find(o, 'HorizontalPodAutoscaler/worker')).scaleTargetRef as Record<string, unknown>).name =
          'workers';
        return o;
      },
      expected: 'HorizontalPodAutoscaler/worker: scaleTargetRef Deployment/workers does not exist',
    },
    {
      overlay: 'prod',
      what: 'replicas set on an autoscaled Deployment',
      breakIt: (o) => {
        spec(find(o, 'Deployment/api')).replicas = 3;
        return o;
      },
      expected:
        'Deployment/api: sets spec.replicas although HorizontalPodAutoscaler/api owns it (every apply would reset it)',
    },
    {
      overlay: 'prod',
      what: 'too few replicas for prod',
      breakIt: (o) => {
        spec(find(o, 'HorizontalPodAutoscaler/api')).minReplicas = 2;
        return o;
      },
      expected: 'Deployment/api: 2 replica(s), prod needs at least 3',
    },
    {
      overlay: 'prod',
      what: 'no topology spread in prod',
      breakIt: (o) => {
        delete podSpecOf(o, 'Deployment/web').topologySpreadConstraints;
        return o;
      },
      expected: 'Deployment/web: no topologySpreadConstraints',
    },
    {
      overlay: 'staging',
      what: 'Service selecting nothing',
      breakIt: (o) => {
        spec(find(o, 'Service/api')).selector = { 'app.kubernetes.io/name': 'apy' };
        return o;
      },
      expected: 'Service/api: selects no workload',
    },
    {
      overlay: 'dev',
      what: 'Service targetPort that is not a container port',
      breakIt: (o) => {
        (spec(find(o, 'Service/web')).ports as Array<Record<string, unknown>>)[0]!.targetPort = 'web';
        return o;
      },
      expected: 'Service/web: targetPort "web" is not a container port',
    },
    {
      overlay: 'prod',
      what: 'Ingress backend port that does not exist',
      breakIt: (o) => {
        const rules = spec(find(o, 'Ingress/web')).rules;
        const service = field(rules, 0, 'http', 'paths', 0, 'backend', 'service') as Record<string, unknown>;
        service.port = { name: 'https' };
        return o;
      },
      expected: 'Ingress/web: Service web has no port https',
    },
    {
      overlay: 'prod',
      what: 'Ingress without TLS',
      breakIt: (o) => {
        delete spec(find(o, 'Ingress/web')).tls;
        return o;
      },
      expected: 'Ingress/web: needs tls with hosts and secretName',
    },
    {
      overlay: 'staging',
      what: 'reference to a ConfigMap that is not rendered',
      breakIt: (o) => {
        const source = containerOf(o, 'Deployment/worker').envFrom?.[0];
        if (source?.configMapRef) source.configMapRef.name = 'osint-confg';
        return o;
      },
      expected: 'Deployment/worker/worker: ConfigMap osint-confg is not rendered',
    },
    {
      overlay: 'prod',
      what: 'a key the out-of-band Secret does not document',
      breakIt: (o) => {
        containerOf(o, 'Deployment/api').env?.push({
          name: 'SMTP_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'osint-secrets', key: 'SMTP_PASSWORD' } },
        });
        return o;
      },
      expected: 'Deployment/api/api: Secret osint-secrets has no key SMTP_PASSWORD',
    },
    {
      overlay: 'dev',
      what: 'the generated dev Secret missing',
      breakIt: (o) => without(o, 'Secret/osint-secrets'),
      expected:
        'Deployment/api/api: Secret osint-secrets is neither rendered nor a documented out-of-band Secret',
    },
    {
      overlay: 'prod',
      what: 'a Secret committed into prod',
      breakIt: (o) => [
        ...o,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'osint-secrets',
            namespace: 'osint-prod',
            labels: { 'app.kubernetes.io/part-of': 'osint-platform' },
          },
          stringData: { SESSION_SECRET: 'x' },
        },
      ],
      expected: 'Secret/osint-secrets: prod must not render Secrets (they are created out of band)',
    },
    {
      overlay: 'staging',
      what: 'migrate Job without TTL',
      breakIt: (o) => {
        delete spec(find(o, 'Job/migrate')).ttlSecondsAfterFinished;
        return o;
      },
      expected: 'Job/migrate: no ttlSecondsAfterFinished (finished Jobs would pile up)',
    },
    {
      overlay: 'prod',
      what: 'migrate Job without its component label',
      breakIt: (o) => {
        delete find(o, 'Job/migrate').metadata.labels?.['app.kubernetes.io/component'];
        return o;
      },
      expected:
        'Job/migrate: needs app.kubernetes.io/component=migrate (the deploy script selects it by that)',
    },
    {
      overlay: 'staging',
      what: 'object in the wrong namespace',
      breakIt: (o) => {
        find(o, 'Service/web').metadata.namespace = 'default';
        return o;
      },
      expected: 'Service/web: in namespace default, want osint-staging',
    },
    {
      overlay: 'prod',
      what: 'namespace without the restricted Pod Security label',
      breakIt: (o) => {
        delete find(o, 'Namespace/osint-prod').metadata.labels?.['pod-security.kubernetes.io/enforce'];
        return o;
      },
      expected: 'Namespace/osint-prod: must enforce the restricted Pod Security Standard',
    },
    {
      overlay: 'dev',
      what: 'part-of label missing',
      breakIt: (o) => {
        delete find(o, 'Service/redis').metadata.labels?.['app.kubernetes.io/part-of'];
        return o;
      },
      expected: 'Service/redis: missing label app.kubernetes.io/part-of',
    },
    {
      overlay: 'prod',
      what: 'Prometheus port annotation not matching a container port',
      breakIt: (o) => {
        const workload = workloads(o).find((w) => w.id === 'Deployment/worker');
        const annotations = workload?.template.metadata?.annotations;
        if (annotations) annotations['prometheus.io/port'] = '4000';
        return o;
      },
      expected: 'Deployment/worker: prometheus.io/port 4000 is not a container port',
    },
    {
      overlay: 'prod',
      what: 'the worker without the export volume (it would write into nothing the api sees)',
      breakIt: (o) => {
        const worker = containerOf(o, 'Deployment/worker');
        worker.volumeMounts = (worker.volumeMounts ?? []).filter((m) => m.mountPath !== '/data/exports');
        return o;
      },
      expected: 'Deployment/worker/worker: no volume mounted at EXPORT_DIR /data/exports',
    },
    {
      overlay: 'staging',
      what: 'an emptyDir at EXPORT_DIR (per pod, not shared)',
      breakIt: (o) => {
        const volume = podSpecOf(o, 'Deployment/api').volumes?.find((v) => v.name === 'exports');
        if (volume) {
          delete volume.persistentVolumeClaim;
          volume.emptyDir = {};
        }
        return o;
      },
      expected:
        'Deployment/api/api: EXPORT_DIR /data/exports is not a PersistentVolumeClaim (api and worker pods cannot share it)',
    },
    {
      overlay: 'dev',
      what: 'api and worker on different claims',
      breakIt: (o) => {
        const volume = podSpecOf(o, 'Deployment/worker').volumes?.find((v) => v.name === 'exports');
        if (volume?.persistentVolumeClaim) volume.persistentVolumeClaim.claimName = 'worker-exports';
        return o;
      },
      expected: "Deployment/worker: EXPORT_DIR is claim worker-exports, Deployment/api's is exports",
    },
    {
      overlay: 'dev',
      what: 'the worker with its own EXPORT_DIR',
      breakIt: (o) => {
        const worker = containerOf(o, 'Deployment/worker');
        worker.env = [...(worker.env ?? []), { name: 'EXPORT_DIR', value: '/tmp/exports' }];
        for (const m of worker.volumeMounts ?? []) if (m.name === 'exports') m.mountPath = '/tmp/exports';
        return o;
      },
      expected: "Deployment/worker: EXPORT_DIR /tmp/exports differs from Deployment/api's /data/exports",
    },
    {
      overlay: 'prod',
      what: 'a read-only export mount',
      breakIt: (o) => {
        for (const m of containerOf(o, 'Deployment/api').volumeMounts ?? [])
          if (m.name === 'exports') m.readOnly = true;
        return o;
      },
      expected: 'Deployment/api/api: the EXPORT_DIR mount /data/exports is read-only',
    },
    {
      overlay: 'prod',
      what: 'a ReadWriteOnce export claim outside dev',
      breakIt: (o) => {
        spec(find(o, 'PersistentVolumeClaim/exports')).accessModes = ['ReadWriteOnce'];
        return o;
      },
      expected:
        'PersistentVolumeClaim/exports: must be ReadWriteMany in prod (api and worker pods run on several nodes)',
    },
    {
      overlay: 'staging',
      what: 'the backup CronJob on a tag instead of a digest',
      breakIt: (o) => {
        containerOf(o, 'CronJob/db-backup').image = 'docker.io/library/postgres:15-bookworm';
        return o;
      },
      expected:
        'CronJob/db-backup/backup: image docker.io/library/postgres:15-bookworm is not pinned by digest (@sha256:<64 hex>)',
    },
    {
      overlay: 'staging',
      what: 'the export claim not rendered',
      breakIt: (o) => without(o, 'PersistentVolumeClaim/exports'),
      expected: 'PersistentVolumeClaim/exports: not rendered (api and worker mount it at EXPORT_DIR)',
    },
  ];

  it.each(cases)('$overlay: fires on $what', ({ overlay, breakIt, expected }) => {
    const broken = breakIt(copyOf(overlay)) ?? [];
    expect(policyErrors(broken, overlay)).toContain(expected);
    // The original stays clean: the copy really was a copy.
    expect(policyErrors(rendered(overlay), overlay)).toEqual([]);
  });

  it('dev may relax readOnlyRootFilesystem on live-updated apps and use untagged images', () => {
    const objects = copyOf('dev');
    containerOf(objects, 'Deployment/web').image = 'osint-web';
    expect(containerOf(objects, 'Deployment/api').securityContext?.readOnlyRootFilesystem).toBe(false);
    expect(policyErrors(objects, 'dev')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------

const KUBE_DNS: Endpoint = {
  kind: 'pod',
  labels: { 'k8s-app': 'kube-dns' },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
};
const INGRESS_CONTROLLER: Endpoint = {
  kind: 'pod',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
};
const PROMETHEUS: Endpoint = {
  kind: 'pod',
  labels: { 'app.kubernetes.io/name': 'prometheus' },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring', 'osint-platform/monitoring': 'true' },
};
const OTHER_NAMESPACE_POD: Endpoint = {
  kind: 'pod',
  labels: { 'app.kubernetes.io/name': 'api' },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'someone-else' },
};
const INTERNET: Endpoint = { kind: 'external', ip: '203.0.113.80' };

/** Where PostgreSQL and Redis live for an overlay: the dev pods, or the managed services' CIDR. */
function dataStores(overlay: Overlay, objects: K8sObject[]): { postgres: Endpoint; redis: Endpoint } {
  if (overlay === 'dev') {
    return { postgres: podEndpointOf(objects, 'postgres'), redis: podEndpointOf(objects, 'redis') };
  }
  const patch = readFileSync(path.join(overlayDir(overlay), 'patches', 'external-datastores.yaml'), 'utf8');
  const cidrOf = (name: string) => {
    const doc = parseAllDocuments(patch)
      .map((d) => d.toJS() as K8sObject)
      .find((d) => d.metadata.name === name);
    return String(field(doc, 'spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr'));
  };
  return {
    postgres: { kind: 'external', ip: firstAddress(cidrOf('egress-to-postgres')) },
    redis: { kind: 'external', ip: firstAddress(cidrOf('egress-to-redis')) },
  };
}

describe('network flows', () => {
  describe.each(OVERLAYS)('%s', (overlay) => {
    const objects = () => rendered(overlay);
    const pod = (name: string) => podEndpointOf(objects(), name);
    const allowed = (from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') =>
      isFlowAllowed(objects(), { from, to, port, protocol });

    it('allows every flow the platform needs', () => {
      const { postgres, redis } = dataStores(overlay, objects());
      const webPort = pod('web').namedPorts?.http ?? 0;
      expect(webPort).toBe(overlay === 'dev' ? 5173 : 8080);
      const flows: Array<[string, boolean]> = [
        ['web → api:4000', allowed(pod('web'), pod('api'), 4000)],
        ['api → postgres:5432', allowed(pod('api'), postgres, 5432)],
        ['worker → postgres:5432', allowed(pod('worker'), postgres, 5432)],
        ['migrate → postgres:5432', allowed(pod('migrate'), postgres, 5432)],
        ['api → redis:6379', allowed(pod('api'), redis, 6379)],
        ['worker → redis:6379', allowed(pod('worker'), redis, 6379)],
        ['ingress controller → web', allowed(INGRESS_CONTROLLER, pod('web'), webPort)],
        ['prometheus → api:4000', allowed(PROMETHEUS, pod('api'), 4000)],
        ['prometheus → worker:4001', allowed(PROMETHEUS, pod('worker'), 4001)],
      ];
      for (const w of workloads(objects())) {
        flows.push([`${w.name} → kube-dns:53/UDP`, allowed(pod(w.name), KUBE_DNS, 53, 'UDP')]);
        flows.push([`${w.name} → kube-dns:53/TCP`, allowed(pod(w.name), KUBE_DNS, 53, 'TCP')]);
      }
      expect(flows.filter(([, ok]) => !ok).map(([name]) => name)).toEqual([]);
    });

    it('denies everything else that matters', () => {
      const { postgres, redis } = dataStores(overlay, objects());
      const flows: Array<[string, boolean]> = [
        ['web → postgres:5432', allowed(pod('web'), postgres, 5432)],
        ['web → redis:6379', allowed(pod('web'), redis, 6379)],
        ['migrate → redis:6379', allowed(pod('migrate'), redis, 6379)],
        ['api → postgres on 6379', allowed(pod('api'), postgres, 6379)],
        ['worker → api:4000', allowed(pod('worker'), pod('api'), 4000)],
        ['api → web', allowed(pod('api'), pod('web'), pod('web').namedPorts?.http ?? 0)],
        ['ingress controller → api:4000', allowed(INGRESS_CONTROLLER, pod('api'), 4000)],
        ['prometheus → web', allowed(PROMETHEUS, pod('web'), pod('web').namedPorts?.http ?? 0)],
        ['another namespace → api:4000', allowed(OTHER_NAMESPACE_POD, pod('api'), 4000)],
        ['another namespace → worker:4001', allowed(OTHER_NAMESPACE_POD, pod('worker'), 4001)],
        // No internet egress yet: enrichment that calls external services needs its own policy (docs/iac.md).
        ['worker → internet:443', allowed(pod('worker'), INTERNET, 443)],
        ['api → internet:443', allowed(pod('api'), INTERNET, 443)],
        ['api → kube-dns:5353', allowed(pod('api'), KUBE_DNS, 5353, 'UDP')],
      ];
      if (overlay === 'dev') {
        flows.push(['another namespace → postgres:5432', allowed(OTHER_NAMESPACE_POD, postgres, 5432)]);
        flows.push(['web → redis directly', allowed(pod('web'), pod('redis'), 6379)]);
      }
      expect(flows.filter(([, ok]) => ok).map(([name]) => name)).toEqual([]);
    });
  });

  it('removing a data-store policy cuts the flow it allowed', () => {
    for (const overlay of OVERLAYS) {
      const objects = without(copyOf(overlay), 'NetworkPolicy/egress-to-postgres');
      const { postgres } = dataStores(overlay, objects);
      expect(isFlowAllowed(objects, { from: podEndpointOf(objects, 'api'), to: postgres, port: 5432 })).toBe(
        false,
      );
    }
    const dev = without(copyOf('dev'), 'NetworkPolicy/postgres');
    const postgres = podEndpointOf(dev, 'postgres');
    expect(isFlowAllowed(dev, { from: podEndpointOf(dev, 'worker'), to: postgres, port: 5432 })).toBe(false);
  });

  it('without the default deny, unselected directions are open (the evaluator follows Kubernetes)', () => {
    const objects = without(
      without(copyOf('prod'), 'NetworkPolicy/default-deny-all'),
      'NetworkPolicy/worker',
    );
    expect(
      isFlowAllowed(objects, { from: OTHER_NAMESPACE_POD, to: podEndpointOf(objects, 'worker'), port: 4001 }),
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('contracts with the rest of the repository', () => {
  const commands = (overlay: Overlay) =>
    Object.fromEntries(
      workloads(rendered(overlay)).map((w) => [w.name, w.template.spec.containers[0]?.command ?? null]),
    );

  it.each(['staging', 'prod'] as const)(
    '%s runs the production commands (docs/conventions.md)',
    (overlay) => {
      expect(commands(overlay)).toEqual({
        api: ['node', 'services/api/dist/main.js'],
        worker: ['node', 'services/worker/dist/main.js'],
        web: null,
        migrate: ['node', 'db/dist/migrate.cli.js'],
        'db-backup': ['sh', '/opt/backup/backup.sh'],
      });
    },
  );

  it('dev runs the development commands (docs/conventions.md)', () => {
    expect(commands('dev')).toMatchObject({
      api: ['npm', 'run', 'dev', '-w', 'services/api'],
      worker: ['npm', 'run', 'dev', '-w', 'services/worker'],
      web: ['npm', 'run', 'dev', '-w', 'web', '--', '--host', '0.0.0.0', '--port', '5173'],
      migrate: ['npm', 'run', 'db:migrate'],
    });
  });

  it('images: osint-api and osint-web (and postgres for the backup), dev tags, digests in staging/prod', () => {
    const images = (overlay: Overlay) =>
      Object.fromEntries(
        workloads(rendered(overlay)).map((w) => [w.name, w.template.spec.containers[0]?.image]),
      );
    expect(images('dev')).toEqual({
      api: 'osint-api:dev',
      worker: 'osint-api:dev',
      web: 'osint-web:dev',
      migrate: 'osint-migrate:dev',
      seed: 'osint-seed:dev',
      postgres: 'postgres:15-bookworm',
      redis: 'redis:7-bookworm',
    });
    const expectedName = (name: string) =>
      name === 'web' ? 'osint-web' : name === 'db-backup' ? 'docker.io/library/postgres' : 'osint-api';
    for (const overlay of ['staging', 'prod'] as const) {
      for (const [name, image] of Object.entries(images(overlay))) {
        expect(parseImage(String(image)).name).toBe(expectedName(name));
      }
    }
  });

  it('ports and ConfigMap keys follow docs/conventions.md', () => {
    for (const overlay of OVERLAYS) {
      const objects = rendered(overlay);
      expect(podEndpointOf(objects, 'api').namedPorts).toEqual({ http: 4000 });
      expect(podEndpointOf(objects, 'worker').namedPorts).toEqual({ metrics: 4001 });
      const data = find(objects, 'ConfigMap/osint-config').data as Record<string, string>;
      expect(data).toMatchObject({ API_PORT: '4000', WORKER_PORT: '4001', LOG_LEVEL: expect.any(String) });
      expect(data.NODE_ENV).toBe(overlay === 'dev' ? 'development' : 'production');
    }
  });

  it('api and worker start and serve on /readyz and stay alive on /healthz (docs/conventions.md)', () => {
    for (const overlay of OVERLAYS) {
      for (const [name, port] of [
        ['api', 'http'],
        ['worker', 'metrics'],
      ] as const) {
        const c = containerOf(rendered(overlay), `Deployment/${name}`);
        expect([c.startupProbe, c.readinessProbe, c.livenessProbe].map((p) => p?.httpGet)).toEqual([
          { path: '/readyz', port },
          { path: '/readyz', port },
          { path: '/healthz', port },
        ]);
      }
    }
  });

  it('dev secrets are generated, obviously for development, and hold the keys the apps read', () => {
    const secret = find(rendered('dev'), 'Secret/osint-secrets');
    const values = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    expect(Object.keys(values).sort()).toEqual([
      'DATABASE_URL',
      'MIGRATION_DATABASE_URL',
      'REDIS_URL',
      'SESSION_SECRET',
    ]);
    // Every credential says what it is (Redis has none in dev).
    expect(values.SESSION_SECRET).toMatch(/dev-only/);
    expect(new URL(values.DATABASE_URL ?? '').password).toMatch(/dev-only/);
    expect(new URL(values.MIGRATION_DATABASE_URL ?? '').password).toMatch(/dev-only/);
    expect(values.SESSION_SECRET?.length).toBeGreaterThanOrEqual(32);
    // api and worker log in as the runtime role, migrate as the owner (docs/decisions/0021-database-roles.md).
    expect(values.DATABASE_URL).toMatch(/^postgres:\/\/osint_app:[^@]+@postgres:5432\/osint$/);
    expect(values.MIGRATION_DATABASE_URL).toMatch(/^postgres:\/\/osint:[^@]+@postgres:5432\/osint$/);
    expect(values.REDIS_URL).toBe('redis://redis:6379');
  });

  it('dev data stores: PostgreSQL 15 and Redis 7 as uid 999 on volumes, Redis append-only and noeviction', () => {
    const objects = rendered('dev');
    for (const name of ['postgres', 'redis']) {
      const set = find(objects, `StatefulSet/${name}`);
      expect(podSpecOf(objects, `StatefulSet/${name}`).securityContext?.runAsUser).toBe(999);
      expect((spec(set).volumeClaimTemplates as unknown[]).length).toBe(1);
    }
    expect(containerOf(objects, 'StatefulSet/postgres').readinessProbe?.exec?.command?.[0]).toBe(
      'pg_isready',
    );
    expect(containerOf(objects, 'StatefulSet/redis').readinessProbe?.exec?.command?.join(' ')).toContain(
      'redis-cli -h 127.0.0.1 ping',
    );
    const args = containerOf(objects, 'StatefulSet/redis').args?.join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--maxmemory-policy noeviction');
  });
});

describe('helpers', () => {
  it('parseQuantity', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('1')).toBe(1);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('lots')).toBeNaN();
  });

  it('parseImage', () => {
    expect(parseImage('osint-api')).toEqual({ name: 'osint-api' });
    expect(parseImage('localhost:5000/osint-api:dev')).toEqual({
      name: 'localhost:5000/osint-api',
      tag: 'dev',
    });
    expect(parseImage(`r.io/a@sha256:${'a'.repeat(64)}`)).toEqual({
      name: 'r.io/a',
      digest: `sha256:${'a'.repeat(64)}`,
    });
  });

  it('parseSelector and matchesSelector follow kubectl semantics', () => {
    const labels = { 'app.kubernetes.io/component': 'api', tier: 'x' };
    expect(matchesSelector(parseSelector('app.kubernetes.io/component=api'), labels)).toBe(true);
    expect(matchesSelector(parseSelector('app.kubernetes.io/component!=api'), labels)).toBe(false);
    expect(matchesSelector(parseSelector('app.kubernetes.io/component notin (web,api)'), labels)).toBe(false);
    expect(matchesSelector(parseSelector('app.kubernetes.io/component notin (web)'), {})).toBe(true);
    expect(matchesSelector(parseSelector('tier in (x,y),!missing'), labels)).toBe(true);
    expect(matchesSelector(parseSelector('missing'), labels)).toBe(false);
    expect(matchesSelector({}, labels)).toBe(true);
    expect(matchesSelector(undefined, labels)).toBe(false);
  });

  it('CIDR arithmetic', () => {
    expect(cidrContains('192.0.2.0/28', '192.0.2.15')).toBe(true);
    expect(cidrContains('192.0.2.0/28', '192.0.2.16')).toBe(false);
    expect(firstAddress('198.51.100.16/28')).toBe('198.51.100.17');
    expect(firstAddress('10.1.2.3/32')).toBe('10.1.2.3');
  });
});

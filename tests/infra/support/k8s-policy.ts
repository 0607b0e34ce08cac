import { effectivePolicyTypes, networkPolicies } from './k8s-netpol.js';
import {
  allContainers,
  type Container,
  field,
  isEmptySelector,
  type K8sObject,
  type LabelSelector,
  matchesSelector,
  objectId,
  type PodSpec,
  type Workload,
  workloads,
} from './k8s-objects.js';
import type { Overlay } from './k8s-render.js';

/**
 * House rules for rendered manifests, beyond what the API schema can say. Pure: objects in, findings
 * out (each `Kind/name[/container]: problem`), so every rule can be shown to fire on a broken copy.
 * docs/iac.md lists the rules and why each exists.
 */

export const NAMESPACES: Record<Overlay, string> = {
  dev: 'osint-dev',
  staging: 'osint-staging',
  prod: 'osint-prod',
};

/** Replicas each long-running app needs at least (HPA minReplicas when autoscaled). */
export const MIN_REPLICAS: Record<Overlay, number> = { dev: 1, staging: 2, prod: 3 };

/**
 * Secrets created out of band in staging/prod (never committed), with the only keys pods may read.
 * Dev generates them (secretGenerator), so there they must be rendered.
 */
export const OUT_OF_BAND_SECRETS: Record<string, string[]> = {
  'osint-secrets': [
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'BACKUP_DATABASE_URL',
    'BACKUP_DATABASE_PASSWORD',
    'REDIS_URL',
    'SESSION_SECRET',
  ],
};

/** Dev containers that Tilt live-updates and that may therefore write to their root filesystem. */
export const LIVE_UPDATE_WORKLOADS = new Set(['Deployment/api', 'Deployment/worker', 'Deployment/web']);

/** Workloads Prometheus must scrape (annotation-based discovery). */
export const SCRAPED_WORKLOADS = ['api', 'worker'];

const PART_OF = 'app.kubernetes.io/part-of';
const PLATFORM = 'osint-platform';
const DIGEST = /@sha256:[0-9a-f]{64}$/;

const BINARY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_SUFFIX: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A Kubernetes resource quantity ("100m", "1", "512Mi", "1.5Gi") as a number; NaN when malformed. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  const [, number, suffix = ''] = match;
  const scale = BINARY_SUFFIX[suffix] ?? DECIMAL_SUFFIX[suffix];
  return scale === undefined ? Number.NaN : Number(number) * scale;
}

/** Splits an image reference into its parts; `tag` is undefined for `name` and `name@digest`. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

function containerId(workload: Workload, container: Container): string {
  return `${workload.id}/${container.name}`;
}

function namespaceRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  const expected = NAMESPACES[overlay];
  const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === expected);
  if (!namespace) {
    errors.push(`Namespace/${expected}: missing`);
  } else if (namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    errors.push(`Namespace/${expected}: must enforce the restricted Pod Security Standard`);
  }
  for (const obj of objects) {
    if (obj.kind === 'Namespace') {
      if (obj.metadata.name !== expected)
        errors.push(`${objectId(obj)}: unexpected namespace (want ${expected})`);
    } else if (obj.metadata.namespace !== expected) {
      errors.push(`${objectId(obj)}: in namespace ${obj.metadata.namespace ?? '(none)'}, want ${expected}`);
    }
  }
  return errors;
}

function labelRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const obj of objects) {
    if (obj.metadata.labels?.[PART_OF] !== PLATFORM)
      errors.push(`${objectId(obj)}: missing label ${PART_OF}`);
  }
  for (const w of workloads(objects)) {
    for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/component', PART_OF]) {
      if (!w.object.metadata.labels?.[key]) errors.push(`${w.id}: missing label ${key}`);
      if (!w.podLabels[key]) errors.push(`${w.id}: pod template missing label ${key}`);
    }
  }
  return errors;
}

function podSecurityRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  for (const w of workloads(objects)) {
    const spec: PodSpec = w.template.spec;
    const pod = spec.securityContext ?? {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) errors.push(`${w.id}: uses host namespaces`);
    if (spec.automountServiceAccountToken !== false) {
      errors.push(
        `${w.id}: automountServiceAccountToken must be false (no workload calls the Kubernetes API)`,
      );
    }
    for (const volume of spec.volumes ?? []) {
      if (volume.hostPath !== undefined) errors.push(`${w.id}: hostPath volume ${volume.name}`);
    }
    for (const c of allContainers(spec)) {
      const id = containerId(w, c);
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) errors.push(`${id}: runAsNonRoot must be true`);
      const uid = sc.runAsUser ?? pod.runAsUser;
      if (uid === undefined || uid === 0) errors.push(`${id}: runAsUser must be a non-zero numeric uid`);
      const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        errors.push(`${id}: seccompProfile must be RuntimeDefault`);
      }
      if (sc.privileged === true) errors.push(`${id}: privileged`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${id}: allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) errors.push(`${id}: capabilities must drop ALL`);
      const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (added.length > 0) errors.push(`${id}: adds capabilities ${added.join(', ')}`);
      const writableAllowed = overlay === 'dev' && LIVE_UPDATE_WORKLOADS.has(w.id);
      if (sc.readOnlyRootFilesystem !== true && !writableAllowed) {
        errors.push(`${id}: readOnlyRootFilesystem must be true`);
      }
    }
  }
  return errors;
}

function resourceRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of allContainers(w.template.spec)) {
      const id = containerId(w, c);
      for (const resource of ['cpu', 'memory']) {
        const request = c.resources?.requests?.[resource];
        const limit = c.resources?.limits?.[resource];
        if (request === undefined) errors.push(`${id}: no ${resource} request`);
        if (limit === undefined) errors.push(`${id}: no ${resource} limit`);
        if (request !== undefined && limit !== undefined) {
          const r = parseQuantity(request);
          const l = parseQuantity(limit);
          if (Number.isNaN(r) || Number.isNaN(l)) errors.push(`${id}: malformed ${resource} quantity`);
          else if (r > l) errors.push(`${id}: ${resource} request ${request} exceeds limit ${limit}`);
        }
      }
    }
  }
  return errors;
}

function probeRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const w of workloads(objects).filter((x) => x.longRunning)) {
    for (const c of w.template.spec.containers) {
      const id = containerId(w, c);
      const names = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
        const probe = c[kind];
        if (!probe) {
          errors.push(`${id}: no ${kind}`);
          continue;
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
        if (typeof port === 'string' && !names.has(port))
          errors.push(`${id}: ${kind} uses unknown port "${port}"`);
      }
    }
  }
  return errors;
}

function imageRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of allContainers(w.template.spec)) {
      const id = containerId(w, c);
      if (!c.image) {
        errors.push(`${id}: no image`);
        continue;
      }
      const image = parseImage(c.image);
      if (overlay !== 'dev') {
        if (image.tag === 'latest') errors.push(`${id}: image ${c.image} uses :latest`);
        if (!image.tag && !image.digest) errors.push(`${id}: image ${c.image} has neither tag nor digest`);
      }
      if ((overlay === 'staging' || overlay === 'prod') && !DIGEST.test(c.image)) {
        errors.push(`${id}: image ${c.image} is not pinned by digest (@sha256:<64 hex>)`);
      }
    }
  }
  return errors;
}

function networkPolicyRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const policies = networkPolicies(objects);
  const defaultDeny = policies.some(
    (p) =>
      isEmptySelector(p.spec.podSelector) &&
      (p.spec.policyTypes ?? []).includes('Ingress') &&
      (p.spec.policyTypes ?? []).includes('Egress') &&
      (p.spec.ingress ?? []).length === 0 &&
      (p.spec.egress ?? []).length === 0,
  );
  if (!defaultDeny) errors.push('NetworkPolicy: no default-deny (podSelector {}, Ingress+Egress, no rules)');

  for (const p of policies) {
    if (!p.spec.policyTypes || p.spec.policyTypes.length === 0) {
      errors.push(`${p.id}: policyTypes must be explicit`);
    }
    (p.spec.ingress ?? []).forEach((rule, i) => {
      if (!rule.from || rule.from.length === 0) errors.push(`${p.id}: ingress rule ${i} allows any source`);
    });
    (p.spec.egress ?? []).forEach((rule, i) => {
      if (!rule.to || rule.to.length === 0) errors.push(`${p.id}: egress rule ${i} allows any destination`);
    });
  }

  for (const w of workloads(objects)) {
    const specific = policies.filter(
      (p) => !isEmptySelector(p.spec.podSelector) && matchesSelector(p.spec.podSelector, w.podLabels),
    );
    if (specific.length === 0)
      errors.push(`${w.id}: no NetworkPolicy selects its pods (beyond the defaults)`);
    const types = new Set(specific.flatMap((p) => effectivePolicyTypes(p.spec)));
    if (types.size === 0) errors.push(`${w.id}: its NetworkPolicies enforce nothing`);
  }
  return errors;
}

function hpaOwnedDeployments(objects: K8sObject[]): Map<string, K8sObject> {
  const owned = new Map<string, K8sObject>();
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const kind = field(hpa, 'spec', 'scaleTargetRef', 'kind');
    const name = field(hpa, 'spec', 'scaleTargetRef', 'name');
    if (typeof kind === 'string' && typeof name === 'string') owned.set(`${kind}/${name}`, hpa);
  }
  return owned;
}

/** The replica count a workload runs with at least: its HPA's minReplicas, else spec.replicas (default 1). */
export function effectiveReplicas(objects: K8sObject[], workload: K8sObject): number {
  const hpa = hpaOwnedDeployments(objects).get(objectId(workload));
  return Number(field(hpa ?? workload, 'spec', hpa ? 'minReplicas' : 'replicas') ?? 1);
}

function scalingRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  const byId = new Map(objects.map((o) => [objectId(o), o]));

  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const id = objectId(hpa);
    const ref = field(hpa, 'spec', 'scaleTargetRef') as { apiVersion?: string; kind?: string; name?: string };
    const target = byId.get(`${ref?.kind}/${ref?.name}`);
    if (!target) {
      errors.push(`${id}: scaleTargetRef ${ref?.kind}/${ref?.name} does not exist`);
      continue;
    }
    if (ref.apiVersion !== target.apiVersion)
      errors.push(`${id}: scaleTargetRef apiVersion ${ref.apiVersion}`);
    const min = Number(field(hpa, 'spec', 'minReplicas') ?? 1);
    const max = Number(field(hpa, 'spec', 'maxReplicas'));
    if (!(min <= max)) errors.push(`${id}: minReplicas ${min} > maxReplicas ${max}`);
    if (field(target, 'spec', 'replicas') !== undefined) {
      errors.push(
        `${objectId(target)}: sets spec.replicas although ${id} owns it (every apply would reset it)`,
      );
    }
    const metrics = (field(hpa, 'spec', 'metrics') ?? []) as Array<{
      type?: string;
      resource?: { name?: string };
    }>;
    const containers = (field(target, 'spec', 'template', 'spec', 'containers') ?? []) as Container[];
    for (const metric of metrics) {
      const resource = metric.type === 'Resource' ? metric.resource?.name : undefined;
      if (!resource) continue;
      for (const c of containers) {
        if (c.resources?.requests?.[resource] === undefined) {
          errors.push(
            `${id}: scales on ${resource} but ${objectId(target)}/${c.name} has no ${resource} request`,
          );
        }
      }
    }
  }

  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const replicas = effectiveReplicas(objects, d);
    if (replicas < MIN_REPLICAS[overlay]) {
      errors.push(
        `${objectId(d)}: ${replicas} replica(s), ${overlay} needs at least ${MIN_REPLICAS[overlay]}`,
      );
    }
  }
  return errors;
}

function disruptionRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  const all = workloads(objects);
  for (const pdb of pdbs) {
    const selector = field(pdb, 'spec', 'selector') as LabelSelector | undefined;
    const selected = all.filter((w) => matchesSelector(selector, w.podLabels));
    if (selected.length === 0) errors.push(`${objectId(pdb)}: selects no workload`);
    const minAvailable = field(pdb, 'spec', 'minAvailable');
    for (const w of selected) {
      const replicas = effectiveReplicas(objects, w.object);
      if (typeof minAvailable === 'number' && minAvailable >= replicas) {
        errors.push(`${objectId(pdb)}: minAvailable ${minAvailable} blocks every eviction of ${w.id}`);
      }
    }
  }
  if (overlay === 'staging' || overlay === 'prod') {
    for (const w of all.filter((x) => x.kind === 'Deployment')) {
      const covered = pdbs.some((pdb) =>
        matchesSelector(field(pdb, 'spec', 'selector') as LabelSelector | undefined, w.podLabels),
      );
      if (!covered) errors.push(`${w.id}: no PodDisruptionBudget`);
    }
  }
  if (overlay === 'prod') {
    for (const w of all.filter((x) => x.kind === 'Deployment')) {
      if ((w.template.spec.topologySpreadConstraints ?? []).length === 0) {
        errors.push(`${w.id}: no topologySpreadConstraints`);
      }
    }
  }
  return errors;
}

function referenceRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  const all = workloads(objects);
  const configMaps = new Map(
    objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, Object.keys(o.data ?? {})]),
  );
  const secrets = new Map(
    objects
      .filter((o) => o.kind === 'Secret')
      .map((o) => [o.metadata.name, [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]]),
  );
  const external = overlay === 'dev' ? {} : OUT_OF_BAND_SECRETS;

  const checkSecret = (id: string, name: string, key?: string) => {
    const keys = secrets.get(name) ?? external[name];
    if (!keys) errors.push(`${id}: Secret ${name} is neither rendered nor a documented out-of-band Secret`);
    else if (key !== undefined && !keys.includes(key)) errors.push(`${id}: Secret ${name} has no key ${key}`);
  };
  const checkConfigMap = (id: string, name: string, key?: string) => {
    const keys = configMaps.get(name);
    if (!keys) errors.push(`${id}: ConfigMap ${name} is not rendered`);
    else if (key !== undefined && !keys.includes(key))
      errors.push(`${id}: ConfigMap ${name} has no key ${key}`);
  };

  for (const w of all) {
    for (const c of allContainers(w.template.spec)) {
      const id = containerId(w, c);
      for (const source of c.envFrom ?? []) {
        if (source.configMapRef) checkConfigMap(id, source.configMapRef.name);
        if (source.secretRef) checkSecret(id, source.secretRef.name);
      }
      for (const env of c.env ?? []) {
        const secretRef = env.valueFrom?.secretKeyRef;
        if (secretRef) checkSecret(id, secretRef.name, secretRef.key);
        const configRef = env.valueFrom?.configMapKeyRef;
        if (configRef) checkConfigMap(id, configRef.name, configRef.key);
      }
    }
    for (const volume of w.template.spec.volumes ?? []) {
      if (volume.configMap) checkConfigMap(w.id, volume.configMap.name);
      if (volume.secret) checkSecret(w.id, volume.secret.secretName);
    }
  }

  const services = objects.filter((o) => o.kind === 'Service');
  for (const svc of services) {
    const selector = field(svc, 'spec', 'selector') as Record<string, string> | undefined;
    const selected = all.filter((w) => matchesSelector({ matchLabels: selector ?? {} }, w.podLabels));
    if (!selector || selected.length === 0) {
      errors.push(`${objectId(svc)}: selects no workload`);
      continue;
    }
    const ports = (field(svc, 'spec', 'ports') ?? []) as Array<{ targetPort?: number | string }>;
    for (const { targetPort } of ports) {
      if (typeof targetPort !== 'string') continue;
      const found = selected.some((w) =>
        w.template.spec.containers.some((c) => (c.ports ?? []).some((p) => p.name === targetPort)),
      );
      if (!found) errors.push(`${objectId(svc)}: targetPort "${targetPort}" is not a container port`);
    }
  }

  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const rules = (field(ingress, 'spec', 'rules') ?? []) as Array<{
      http?: {
        paths?: Array<{ backend?: { service?: { name: string; port: { name?: string; number?: number } } } }>;
      };
    }>;
    for (const path of rules.flatMap((r) => r.http?.paths ?? [])) {
      const backend = path.backend?.service;
      if (!backend) continue;
      const svc = services.find((s) => s.metadata.name === backend.name);
      const ports = (field(svc, 'spec', 'ports') ?? []) as Array<{ name?: string; port: number }>;
      if (!svc) errors.push(`${objectId(ingress)}: backend Service ${backend.name} does not exist`);
      else if (!ports.some((p) => p.name === backend.port.name || p.port === backend.port.number)) {
        errors.push(
          `${objectId(ingress)}: Service ${backend.name} has no port ${backend.port.name ?? backend.port.number}`,
        );
      }
    }
  }
  return errors;
}

function secretRules(objects: K8sObject[], overlay: Overlay): string[] {
  if (overlay === 'dev') return [];
  return objects
    .filter((o) => o.kind === 'Secret')
    .map((o) => `${objectId(o)}: ${overlay} must not render Secrets (they are created out of band)`);
}

function jobRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const w of workloads(objects).filter((x) => x.kind === 'Job')) {
    if (w.object.metadata.generateName) errors.push(`${w.id}: needs a stable name, not generateName`);
    if (field(w.object, 'spec', 'ttlSecondsAfterFinished') === undefined) {
      errors.push(`${w.id}: no ttlSecondsAfterFinished (finished Jobs would pile up)`);
    }
    if (field(w.object, 'spec', 'backoffLimit') === undefined) errors.push(`${w.id}: no backoffLimit`);
    const restart = w.template.spec.restartPolicy;
    if (restart !== 'Never' && restart !== 'OnFailure')
      errors.push(`${w.id}: restartPolicy must be Never or OnFailure`);
  }
  const migrate = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'migrate');
  if (!migrate) errors.push('Job/migrate: missing');
  else if (migrate.metadata.labels?.['app.kubernetes.io/component'] !== 'migrate') {
    errors.push(
      'Job/migrate: needs app.kubernetes.io/component=migrate (the deploy script selects it by that)',
    );
  }
  return errors;
}

function monitoringRules(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  const all = workloads(objects);
  for (const name of SCRAPED_WORKLOADS) {
    const w = all.find((x) => x.name === name && x.kind === 'Deployment');
    if (!w) {
      errors.push(`Deployment/${name}: missing`);
      continue;
    }
    const annotations = w.template.metadata?.annotations ?? {};
    if (annotations['prometheus.io/scrape'] !== 'true')
      errors.push(`${w.id}: not annotated prometheus.io/scrape`);
    const port = Number(annotations['prometheus.io/port']);
    const exposed = w.template.spec.containers.some((c) =>
      (c.ports ?? []).some((p) => p.containerPort === port),
    );
    if (!exposed)
      errors.push(`${w.id}: prometheus.io/port ${annotations['prometheus.io/port']} is not a container port`);
  }
  return errors;
}

function ingressRules(objects: K8sObject[], overlay: Overlay): string[] {
  if (overlay === 'dev') return [];
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  if (ingresses.length === 0) return [`Ingress: ${overlay} has none`];
  const errors: string[] = [];
  for (const ingress of ingresses) {
    const tls = (field(ingress, 'spec', 'tls') ?? []) as Array<{ hosts?: string[]; secretName?: string }>;
    if (tls.length === 0 || tls.some((t) => !t.secretName || (t.hosts ?? []).length === 0)) {
      errors.push(`${objectId(ingress)}: needs tls with hosts and secretName`);
    }
    const annotations = ingress.metadata.annotations ?? {};
    if (!annotations['cert-manager.io/cluster-issuer'] && !annotations['cert-manager.io/issuer']) {
      errors.push(`${objectId(ingress)}: no cert-manager issuer annotation`);
    }
  }
  return errors;
}

/** The Deployments that share export files: the worker writes them, the api serves the downloads. */
export const EXPORT_SHARERS = ['api', 'worker'];

/** The value a container sees for an environment variable: its own `env`, else an envFrom ConfigMap. */
function envValue(objects: K8sObject[], container: Container, name: string): string | undefined {
  const own = container.env?.find((e) => e.name === name);
  if (own) return own.value;
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef?.name;
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref);
    const value = (map?.data as Record<string, string> | undefined)?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * EXPORT_DIR is one directory seen by api and worker (docs/iac.md#export-files): the same absolute path in
 * both, a writable mount there, of the same PersistentVolumeClaim (an emptyDir is per pod), which exists and
 * outside dev is ReadWriteMany (the pods are spread over nodes).
 */
function exportVolumeRules(objects: K8sObject[], overlay: Overlay): string[] {
  const errors: string[] = [];
  const claims = new Map<string, { dir: string; claim: string }>();
  for (const name of EXPORT_SHARERS) {
    const w = workloads(objects).find((x) => x.kind === 'Deployment' && x.name === name);
    const c = w?.template.spec.containers[0];
    if (!w || !c) {
      errors.push(`Deployment/${name}: missing (it shares EXPORT_DIR)`);
      continue;
    }
    const id = containerId(w, c);
    const dir = envValue(objects, c, 'EXPORT_DIR');
    if (!dir?.startsWith('/')) {
      errors.push(`${id}: EXPORT_DIR must be an absolute path (got ${dir ?? 'nothing'})`);
      continue;
    }
    const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === dir);
    if (!mount) {
      errors.push(`${id}: no volume mounted at EXPORT_DIR ${dir}`);
      continue;
    }
    if (mount.readOnly) errors.push(`${id}: the EXPORT_DIR mount ${dir} is read-only`);
    const volume = (w.template.spec.volumes ?? []).find((v) => v.name === mount.name);
    const claim = volume?.persistentVolumeClaim;
    if (!claim) {
      errors.push(
        `${id}: EXPORT_DIR ${dir} is not a PersistentVolumeClaim (api and worker pods cannot share it)`,
      );
      continue;
    }
    if (claim.readOnly) errors.push(`${id}: the EXPORT_DIR claim ${claim.claimName} is mounted read-only`);
    claims.set(name, { dir, claim: claim.claimName });
  }
  const [first, ...rest] = [...claims.entries()];
  for (const [name, seen] of first ? rest : []) {
    if (seen.dir !== first?.[1].dir)
      errors.push(
        `Deployment/${name}: EXPORT_DIR ${seen.dir} differs from Deployment/${first?.[0]}'s ${first?.[1].dir}`,
      );
    if (seen.claim !== first?.[1].claim)
      errors.push(
        `Deployment/${name}: EXPORT_DIR is claim ${seen.claim}, Deployment/${first?.[0]}'s is ${first?.[1].claim}`,
      );
  }
  for (const claimName of new Set([...claims.values()].map((x) => x.claim))) {
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claimName);
    if (!pvc) {
      errors.push(`PersistentVolumeClaim/${claimName}: not rendered (api and worker mount it at EXPORT_DIR)`);
      continue;
    }
    const modes = (field(pvc, 'spec', 'accessModes') ?? []) as string[];
    if (overlay !== 'dev' && !modes.includes('ReadWriteMany'))
      errors.push(
        `PersistentVolumeClaim/${claimName}: must be ReadWriteMany in ${overlay} (api and worker pods run on several nodes)`,
      );
  }
  return errors;
}

/** Every house-rule finding for one rendered overlay; empty when the overlay is fit to apply. */
export function policyErrors(objects: K8sObject[], overlay: Overlay): string[] {
  return [
    ...namespaceRules(objects, overlay),
    ...labelRules(objects),
    ...podSecurityRules(objects, overlay),
    ...resourceRules(objects),
    ...probeRules(objects),
    ...imageRules(objects, overlay),
    ...networkPolicyRules(objects),
    ...scalingRules(objects, overlay),
    ...disruptionRules(objects, overlay),
    ...referenceRules(objects, overlay),
    ...secretRules(objects, overlay),
    ...jobRules(objects),
    ...monitoringRules(objects),
    ...ingressRules(objects, overlay),
    ...exportVolumeRules(objects, overlay),
  ];
}

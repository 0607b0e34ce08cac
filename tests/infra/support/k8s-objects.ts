/**
 * Typed views of the rendered Kubernetes objects the infra checks read. Only the fields the checks use
 * are typed; everything else stays `unknown` so a check never trusts a shape it did not look at.
 */

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: SecurityContext;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface Volume {
  name: string;
  hostPath?: unknown;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: unknown;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  securityContext?: SecurityContext;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  automountServiceAccountToken?: boolean;
  restartPolicy?: string;
  topologySpreadConstraints?: unknown[];
}

export interface PodTemplate {
  metadata?: { labels?: Labels; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** A rendered object that runs pods, with the parts the checks need pulled out. */
export interface Workload {
  object: K8sObject;
  id: string;
  kind: string;
  name: string;
  /** Deployments, StatefulSets and DaemonSets run forever; Jobs and CronJobs run to completion. */
  longRunning: boolean;
  template: PodTemplate;
  podLabels: Labels;
}

const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** `Kind/name`, the prefix of every finding so a failure names the object to fix. */
export function objectId(obj: Pick<K8sObject, 'kind' | 'metadata'>): string {
  return `${obj.kind}/${obj.metadata.name}`;
}

/** Reads a nested field without trusting the shape: undefined as soon as a step is missing. */
export function field(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** Every object that runs pods: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs. */
export function workloads(objects: K8sObject[]): Workload[] {
  const result: Workload[] = [];
  for (const object of objects) {
    const template =
      object.kind === 'CronJob'
        ? field(object, 'spec', 'jobTemplate', 'spec', 'template')
        : LONG_RUNNING_KINDS.has(object.kind) || object.kind === 'Job'
          ? field(object, 'spec', 'template')
          : undefined;
    if (!template || typeof template !== 'object') continue;
    const podTemplate = template as PodTemplate;
    result.push({
      object,
      id: objectId(object),
      kind: object.kind,
      name: object.metadata.name,
      longRunning: LONG_RUNNING_KINDS.has(object.kind),
      template: podTemplate,
      podLabels: podTemplate.metadata?.labels ?? {},
    });
  }
  return result;
}

/** Regular and init containers of a pod spec. */
export function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/**
 * Kubernetes label-selector semantics: an empty selector (`{}`) selects everything, a missing one
 * (`undefined`) nothing.
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True for `{}`-style selectors that select every pod of the namespace. */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/**
 * Parses a kubectl label-selector string (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), the syntax a deploy
 * script passes to `kubectl apply -l`, so tests can evaluate the exact strings the docs give.
 */
export function parseSelector(text: string): LabelSelector {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);

  const matchLabels: Labels = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    const setBased = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw);
    if (setBased) {
      const [, key, op, list] = setBased;
      const values = (list ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      matchExpressions.push({ key: key!, operator: op === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const notEqual = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(raw);
    if (notEqual) {
      matchExpressions.push({ key: notEqual[1]!, operator: 'NotIn', values: [notEqual[2]!] });
      continue;
    }
    const equal = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(raw);
    if (equal) {
      matchLabels[equal[1]!] = equal[2]!;
      continue;
    }
    const absent = /^!(\S+)$/.exec(raw);
    if (absent) {
      matchExpressions.push({ key: absent[1]!, operator: 'DoesNotExist' });
      continue;
    }
    if (/^\S+$/.test(raw)) {
      matchExpressions.push({ key: raw, operator: 'Exists' });
      continue;
    }
    throw new Error(`unsupported selector term "${raw}" in "${text}"`);
  }
  return { matchLabels, matchExpressions };
}

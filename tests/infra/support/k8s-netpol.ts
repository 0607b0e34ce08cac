import {
  type K8sObject,
  type LabelSelector,
  type Labels,
  matchesSelector,
  objectId,
  workloads,
} from './k8s-objects.js';

/**
 * A small evaluator of Kubernetes NetworkPolicy semantics for the rendered manifests of one namespace,
 * so tests can assert flows ("web reaches api on 4000", "web does not reach postgres") instead of
 * eyeballing YAML. Covers pod/namespace selectors, IPv4 ipBlocks, numeric, ranged and named ports;
 * not covered (unused here): IPv6, SCTP specifics, policies in other namespaces.
 */

interface NetworkPolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: Array<'Ingress' | 'Egress'>;
  ingress?: NetworkPolicyRule[];
  egress?: NetworkPolicyRule[];
}

/** A pod: in the manifests' namespace (`namespaceLabels` undefined) or in another namespace. */
export interface PodEndpoint {
  kind: 'pod';
  labels: Labels;
  namespaceLabels?: Labels;
  namedPorts?: Record<string, number>;
}

/** An address outside the cluster, e.g. a managed database. */
export interface ExternalEndpoint {
  kind: 'external';
  ip: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export function networkPolicies(objects: K8sObject[]): Array<{ id: string; spec: NetworkPolicySpec }> {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => ({ id: objectId(o), spec: (o.spec ?? {}) as NetworkPolicySpec }));
}

/** The policy types a policy enforces, with the API server's defaulting when `policyTypes` is absent. */
export function effectivePolicyTypes(spec: NetworkPolicySpec): Array<'Ingress' | 'Egress'> {
  if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The endpoint of a rendered workload's pods, by workload name (labels and named ports). */
export function podEndpointOf(objects: K8sObject[], workloadName: string): PodEndpoint {
  const workload = workloads(objects).find((w) => w.name === workloadName);
  if (!workload) throw new Error(`no workload named ${workloadName}`);
  const namedPorts: Record<string, number> = {};
  for (const container of workload.template.spec.containers) {
    for (const port of container.ports ?? []) {
      if (port.name) namedPorts[port.name] = port.containerPort;
    }
  }
  return { kind: 'pod', labels: workload.podLabels, namedPorts };
}

function ipv4ToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ipv4ToInt(base ?? '') / size) * size;
  const address = ipv4ToInt(ip);
  return address >= start && address < start + size;
}

/** The first usable-looking address of a CIDR (network address + 1, or the address of a /32). */
export function firstAddress(cidr: string): string {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ipv4ToInt(base ?? '') / size) * size + (size > 1 ? 1 : 0);
  return [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.');
}

function peerMatches(peer: NetworkPolicyPeer, endpoint: Endpoint, ownNamespace: Labels): boolean {
  if (peer.ipBlock) {
    if (endpoint.kind !== 'external') return false;
    return (
      cidrContains(peer.ipBlock.cidr, endpoint.ip) &&
      !(peer.ipBlock.except ?? []).some((e) => cidrContains(e, endpoint.ip))
    );
  }
  if (endpoint.kind !== 'pod') return false;
  const namespaceLabels = endpoint.namespaceLabels ?? ownNamespace;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, namespaceLabels)) return false;
  } else if (endpoint.namespaceLabels !== undefined) {
    // A podSelector alone only selects pods of the policy's own namespace.
    return false;
  }
  return peer.podSelector ? matchesSelector(peer.podSelector, endpoint.labels) : true;
}

function portMatches(
  ports: NetworkPolicyPort[] | undefined,
  target: Endpoint,
  port: number,
  protocol: string,
) {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') {
      return target.kind === 'pod' && target.namedPorts?.[p.port] === port;
    }
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

function ruleAllows(
  rules: NetworkPolicyRule[] | undefined,
  direction: 'from' | 'to',
  peer: Endpoint,
  portOwner: Endpoint,
  port: number,
  protocol: string,
  ownNamespace: Labels,
): boolean {
  return (rules ?? []).some((rule) => {
    const peers = rule[direction];
    const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, peer, ownNamespace));
    return peerOk && portMatches(rule.ports, portOwner, port, protocol);
  });
}

export interface FlowQuery {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/**
 * Whether the namespace's policies let `from` open a connection to `to` on `port`: egress must be
 * allowed at the source (when it is a pod of this namespace) and ingress at the destination (likewise).
 * A pod no policy selects for a direction is unrestricted in that direction, as in Kubernetes.
 */
export function isFlowAllowed(objects: K8sObject[], query: FlowQuery): boolean {
  const protocol = query.protocol ?? 'TCP';
  const namespace = objects.find((o) => o.kind === 'Namespace');
  const ownNamespace: Labels = namespace
    ? { ...(namespace.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace.metadata.name }
    : {};
  const policies = networkPolicies(objects);

  const local = (e: Endpoint): e is PodEndpoint => e.kind === 'pod' && e.namespaceLabels === undefined;

  if (local(query.from)) {
    const source = query.from;
    const selecting = policies.filter(
      (p) =>
        effectivePolicyTypes(p.spec).includes('Egress') && matchesSelector(p.spec.podSelector, source.labels),
    );
    const allowed =
      selecting.length === 0 ||
      selecting.some((p) =>
        ruleAllows(p.spec.egress, 'to', query.to, query.to, query.port, protocol, ownNamespace),
      );
    if (!allowed) return false;
  }
  if (local(query.to)) {
    const destination = query.to;
    const selecting = policies.filter(
      (p) =>
        effectivePolicyTypes(p.spec).includes('Ingress') &&
        matchesSelector(p.spec.podSelector, destination.labels),
    );
    const allowed =
      selecting.length === 0 ||
      selecting.some((p) =>
        ruleAllows(p.spec.ingress, 'from', query.from, query.to, query.port, protocol, ownNamespace),
      );
    if (!allowed) return false;
  }
  return true;
}

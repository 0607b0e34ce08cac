import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-objects.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const k8sRoot = path.join(repoRoot, 'k8s');

export const OVERLAYS = ['dev', 'staging', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export function overlayDir(overlay: Overlay): string {
  return path.join(k8sRoot, 'overlays', overlay);
}

/**
 * Renders a kustomization with the kubectl-embedded kustomize (v5.5 with kubectl 1.32), exactly what
 * `kubectl apply -k` would send, and parses the stream into objects.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const stdout = execFileSync('kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) throw new Error(`${dir}: unparsable output: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

/** Every `kustomization.yaml` under k8s/, relative to the repository root. */
export function kustomizationFiles(root = k8sRoot): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'kustomization.yaml') {
      found.push(path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
    }
  }
  return found.sort();
}

export function readKustomization(relativePath: string): Record<string, unknown> {
  return parse(readFileSync(path.join(repoRoot, relativePath), 'utf8')) as Record<string, unknown>;
}

/**
 * Fields kustomize v5 deprecates (and `kustomize edit fix` rewrites), with their replacement. Older
 * kustomize binaries in CI or Tilt still read them, but they are on their way out.
 */
const DEPRECATED_FIELDS: Record<string, string> = {
  commonLabels: 'labels',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches',
  bases: 'resources',
  vars: 'replacements',
  imageTags: 'images',
};

/** Findings for one parsed kustomization file: deprecated fields and a missing apiVersion/kind. */
export function kustomizationErrors(doc: Record<string, unknown>, file = 'kustomization.yaml'): string[] {
  const errors: string[] = [];
  for (const [name, replacement] of Object.entries(DEPRECATED_FIELDS)) {
    if (Object.hasOwn(doc, name)) errors.push(`${file}: \`${name}\` is deprecated, use \`${replacement}\``);
  }
  if (
    doc.apiVersion !== 'kustomize.config.k8s.io/v1beta1' &&
    doc.apiVersion !== 'kustomize.config.k8s.io/v1alpha1'
  ) {
    errors.push(`${file}: apiVersion must be kustomize.config.k8s.io/v1beta1 (or v1alpha1 for a Component)`);
  }
  if (doc.kind !== 'Kustomization' && doc.kind !== 'Component') {
    errors.push(`${file}: kind must be Kustomization or Component`);
  }
  return errors;
}

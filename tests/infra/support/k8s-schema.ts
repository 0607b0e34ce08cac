import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type K8sObject, objectId } from './k8s-objects.js';
import { repoRoot } from './k8s-render.js';

/**
 * Kubernetes v1.30 JSON schemas in kubeconform's "standalone-strict" layout: one self-contained file per
 * kind (`<kind>-<group>-<version>.json`, no `$ref`s), every object schema closed with
 * `additionalProperties: false` so a misspelt field is an error. Committed under tests/fixtures/ (only the
 * kinds the manifests use; SOURCE.md there names the origin and licence): a kind without a schema is an error.
 */
export const K8S_SCHEMA_DIR = path.join(repoRoot, 'tests', 'fixtures', 'k8s-json-schema-v1.30-strict');

/**
 * kubeconform's file name for a kind: core group omitted, otherwise the group's first DNS label
 * (`networking.k8s.io/v1` Ingress → `ingress-networking-v1.json`).
 */
export function schemaFileName(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const group = slash === -1 ? '' : (apiVersion.slice(0, slash).split('.')[0] ?? '');
  return `${[kind.toLowerCase(), group, version].filter(Boolean).join('-')}.json`;
}

/** The OpenAPI formats the schemas use; defined here so validation does not silently ignore them. */
const FORMATS = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i,
} as const;

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${where}: ${error.message} (${JSON.stringify(error.params.allowedValues)})`;
  }
  return `${where}: ${error.message}`;
}

export interface SchemaValidator {
  /** Findings for one object, each prefixed `Kind/name`; empty when the object is valid. */
  validateObject(obj: unknown): string[];
}

/**
 * Builds a validator over a schema directory. Compiled validators are cached per schema file: the pod
 * bearing kinds are ~700 kB each and take most of a second to compile.
 *
 * The files declare `"$schema": "http://json-schema.org/schema#"` (no draft) and use only keywords
 * draft-04 and draft-07 agree on, so the default (draft-07) Ajv reads them once that key is dropped.
 * `strict: false` lets Ajv ignore the `x-kubernetes-*` annotations; `additionalProperties: false` in
 * the schemas still rejects unknown fields.
 */
export function createSchemaValidator(schemaDir: string = K8S_SCHEMA_DIR): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, formats: FORMATS });
  const cache = new Map<string, ValidateFunction>();

  function validatorFor(file: string): ValidateFunction | undefined {
    const cached = cache.get(file);
    if (cached) return cached;
    const full = path.join(schemaDir, file);
    if (!existsSync(full)) return undefined;
    const schema = JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const compiled = ajv.compile(schema);
    cache.set(file, compiled);
    return compiled;
  }

  return {
    validateObject(obj: unknown): string[] {
      if (obj === null || typeof obj !== 'object') return ['(object): not a mapping'];
      const candidate = obj as Partial<K8sObject>;
      if (typeof candidate.apiVersion !== 'string' || typeof candidate.kind !== 'string') {
        return ['(object): missing apiVersion or kind'];
      }
      const id = objectId({ kind: candidate.kind, metadata: candidate.metadata ?? { name: '(unnamed)' } });
      const file = schemaFileName(candidate.apiVersion, candidate.kind);
      const validate = validatorFor(file);
      if (!validate) {
        // A kind without a schema must get one added to the corpus, not pass unchecked.
        return [`${id}: no schema ${file} for ${candidate.apiVersion} ${candidate.kind} in ${schemaDir}`];
      }
      if (validate(obj)) return [];
      return (validate.errors ?? []).map((error) => `${id}: ${describe(error)}`);
    },
  };
}

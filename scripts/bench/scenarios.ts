import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './stack.js';

/** tests/perf/scenarios.json, the one definition k6 and `npm run bench` share. */
export const SCENARIOS_FILE = path.join(repoRoot, 'tests', 'perf', 'scenarios.json');

export interface Endpoint {
  name: string;
  operationId: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, string>;
  expectStatus?: number;
  weight: number;
  p95Ms: number;
  pending?: string;
}

export interface Scenario {
  vus?: number;
  duration?: string;
  stages?: Array<{ duration: string; target: number }>;
  thresholds: Record<string, string[]>;
}

export interface ScenarioFile {
  auth: { email: string; password: string };
  investigation: { benchTitle: string };
  endpoints: Endpoint[];
  values: Record<string, string[]>;
  scenarios: Record<string, Scenario>;
  bench: { durationSeconds: number; warmupSeconds: number; connections: number };
}

export function loadScenarios(file = SCENARIOS_FILE): ScenarioFile {
  return JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
}

/** Fills `{name}` placeholders; unknown names are an error, so a typo in scenarios.json fails loudly. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`scenarios.json: no value for {${name}} in "${template}"`);
    return encodeURIComponent(value);
  });
}

/** Fills a JSON body's string values (no URL encoding there). */
export function fillBody(body: Record<string, string>, vars: Record<string, string>): string {
  const filled: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    filled[k] = v.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
  }
  return JSON.stringify(filled);
}

/** "30s", "2m", "1m30s" → seconds (k6 duration syntax, the subset scenarios.json uses). */
export function durationSeconds(text: string): number {
  let total = 0;
  const re = /(\d+)(h|m|s)/g;
  let match: RegExpExecArray | null = re.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  while (match) {
    total += Number(match[1]) * (match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1);
    match = re.exec(text);
  }
  return total;
}

/** Exact percentile (nearest rank) of a list of numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

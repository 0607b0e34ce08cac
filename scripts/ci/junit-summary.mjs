#!/usr/bin/env node
// Prints "<label>: N passed, N failed, N skipped" from a JUnit XML file (Vitest's junit reporter).
import { existsSync, readFileSync } from 'node:fs';

const [file, label = 'tests'] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`${label}: no report (${file ?? 'no file given'})`);
  process.exit(0);
}
const xml = readFileSync(file, 'utf8');
const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
let failed = 0;
let skipped = 0;
for (const c of cases) {
  if (/<(failure|error)\b/.test(c)) failed++;
  else if (/<skipped\b/.test(c)) skipped++;
}
console.log(`${label}: ${cases.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);

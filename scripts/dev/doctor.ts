import { composeApplies, printFindings, runChecks } from './checks.js';
import { devSettings } from './settings.js';

/** `npm run doctor`: every check `npm start` runs, with a fix for each problem; exit 1 on errors. */
const settings = devSettings();
// With Compose (provider b), PostgreSQL and Redis ports belong to the Compose services.
const findings = await runChecks(settings, { native: !composeApplies(settings) });
printFindings(findings);
const errors = findings.filter((f) => f.level === 'error').length;
const warnings = findings.filter((f) => f.level === 'warn').length;
console.log(`doctor: ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors > 0 ? 1 : 0);

// k6 scenario "load" of tests/perf/scenarios.json (definitions shared with npm run bench).
//   k6 run --quiet -e BASE_URL=http://127.0.0.1:8080 -e SUMMARY_JSON=out/load.json tests/perf/load.js
import { makeScenario } from './lib/scenario.js';

const scenario = makeScenario('load', open('./scenarios.json'));

export const options = scenario.options;
export const setup = scenario.setup;
export default scenario.run;
export const handleSummary = scenario.handleSummary;

export { type WorkerConfig, workerConfigSchema } from './config.js';
export { createDnsProvider } from './enrichment/index.js';
export { insertMentions, linkSelectors, upsertSelectors } from './graph/graph-writes.js';
export { startHealthServer } from './health-server.js';
// The write steps of an extraction and the queue metrics, which the benchmarks measure in-process
// (scripts/ import workspaces through their entry points, docs/architecture.md).
export { registerQueueMetrics } from './metrics.js';
export { createWorkerRuntime, DEFAULT_PROCESSORS, type Processor, type WorkerRuntime } from './runtime.js';

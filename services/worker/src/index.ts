export { type WorkerConfig, workerConfigSchema } from './config.js';
export { createDnsProvider } from './enrichment/index.js';
export { startHealthServer } from './health-server.js';
// The queue metrics, which the benchmarks measure in-process (scripts/ import workspaces through their
// entry points, docs/architecture.md).
export { registerQueueMetrics } from './metrics.js';
export { createWorkerRuntime, DEFAULT_PROCESSORS, type Processor, type WorkerRuntime } from './runtime.js';

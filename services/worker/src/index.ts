export { type WorkerConfig, workerConfigSchema } from './config.js';
export { createDnsProvider } from './enrichment/index.js';
export { startHealthServer } from './health-server.js';
export { createWorkerRuntime, DEFAULT_PROCESSORS, type Processor, type WorkerRuntime } from './runtime.js';

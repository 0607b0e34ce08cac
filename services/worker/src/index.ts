export { type WorkerConfig, workerConfigSchema } from './config.js';
export { startHealthServer } from './health-server.js';
export { createWorkerRuntime, type WorkerRuntime } from './runtime.js';

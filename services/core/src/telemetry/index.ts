export * from './db-pool.js';
export * from './queue-sample.js';
export * from './trace-context.js';
export * from './traced-queue.js';

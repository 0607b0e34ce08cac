export * from './config/common.js';
export * from './config/env.js';
export * from './extraction/index.js';
export * from './jobs/queues.js';
export * from './logger.js';
export * from './redis.js';
export * from './selectors/index.js';

export * from './client.js';
export * from './migrate.js';
export * from './roles.js';
export * as schema from './schema/index.js';
export * from './schema/index.js';
export * from './seed.js';
export * from './sql-time.js';
export * from './url.js';

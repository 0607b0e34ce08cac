/**
 * The whole schema, one file per area. drizzle-kit reads this file (drizzle.config.ts) to generate
 * migrations; the client factory passes it to Drizzle for typed and relational queries.
 */
export * from './audit.js';
export * from './documents.js';
export * from './enrichment.js';
export * from './graph.js';
export * from './investigations.js';
export * from './jobs.js';
export * from './notes.js';
export * from './relations.js';
export * from './selectors.js';
export * from './users.js';

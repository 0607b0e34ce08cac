/*
 * The write layer: the only code that inserts, updates or deletes the tables the API and the worker share
 * (selectors, investigation_selectors, mentions, relationships, entities, audit_events, jobs). Biome's
 * `only-writes-write-shared-tables` plugin refuses such writes anywhere else (docs/architecture.md).
 */
export * from './audit.js';
export * from './entities.js';
export * from './jobs.js';
export * from './mentions.js';
export * from './relationships.js';
export * from './selectors.js';
export * from './sql-state.js';

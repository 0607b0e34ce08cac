export * from './enums.js';
export * from './json-export.js';
export * from './vocabularies.js';

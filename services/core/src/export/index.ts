export * from './export-job.js';

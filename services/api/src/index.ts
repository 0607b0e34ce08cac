export { createApp, describeApi } from './app.js';
export { type ApiConfig, apiConfigSchema } from './config.js';
export { type ApiDeps, closeDeps, createDeps } from './deps.js';
export { listen, type RunningServer } from './server.js';

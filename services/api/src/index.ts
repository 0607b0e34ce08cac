export { createApp, describeApi } from './app.js';
export { type ApiConfig, apiConfigSchema } from './config.js';
export { type ApiDeps, closeDeps, createDeps } from './deps.js';
// Read paths the benchmarks and the evidence scripts measure in-process (scripts/ import workspaces
// through their entry points, docs/architecture.md).
export { requestContext } from './http/request-context.js';
export { listInvestigations } from './investigations/investigation.service.js';
export { listDocumentMentions, listSelectorMentions } from './mentions/mention.service.js';
export { listen, type RunningServer } from './server.js';
export { CursorCodec } from './shared/pagination.js';

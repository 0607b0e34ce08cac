export { bumpInvestigationVersion, searchCacheKey, searchVersionKey } from './cache-keys.js';

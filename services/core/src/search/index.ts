export {
  bumpInvestigationVersion,
  searchCacheKey,
  searchCacheKeyAround,
  searchVersionKey,
} from './cache-keys.js';

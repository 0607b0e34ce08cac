import { z } from 'zod';
import { SELECTOR_TYPES } from './vocabularies.js';

/** Validates a selector type arriving over the wire (API bodies, job payloads) before it is trusted. */
export const selectorTypeSchema = z.enum(SELECTOR_TYPES);

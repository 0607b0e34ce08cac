/** STIX 2.1 building blocks for exports: canonical JSON, deterministic ids, TLP 2.0 markings, mappings. */

export { STIX_SCO_NAMESPACE, scoId, sdoId } from './ids.js';
export { canonicalJson } from './jcs.js';
export {
  type DocumentForStix,
  documentStixId,
  documentToStix,
  type EntityForStix,
  entityToStix,
  OSINT_EXTENSION_DEFINITION_ID,
  PLATFORM_IDENTITY_ID,
  platformExtensionDefinition,
  platformIdentity,
  relationshipToStix,
  type SelectorForStix,
  selectorStixId,
  selectorToStix,
} from './objects.js';
export {
  TLP2_EXTENSION_DEFINITION_ID,
  TLP2_MARKING_IDS,
  tlp2MarkingDefinition,
} from './tlp.js';

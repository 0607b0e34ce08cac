import type { Tlp } from '@osint/contracts';
/**
 * FIRST TLP 2.0 as STIX 2.1 marking definitions. STIX 2.1 predefines only TLP 1.0 (white, green, amber,
 * red); TLP 2.0 is published by the OASIS CTI TC as the extension definition below, with one fixed
 * marking-definition object per level (cti-stix-common-objects, extension-definition-specifications/
 * tlp-2.0). AMBER+STRICT has its own object; CLEAR replaces WHITE. The ids and the `created` instant are
 * part of the published objects and must be copied exactly.
 */
export const TLP2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKING_IDS: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const TLP2_CREATED = '2022-10-01T00:00:00.000Z';

/** The published TLP 2.0 marking-definition object for `level`, to ship inside a bundle. */
export function tlp2MarkingDefinition(level: Tlp) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: TLP2_CREATED,
    name: `TLP:${level.toUpperCase()}`,
    extensions: {
      [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: level },
    },
  };
}

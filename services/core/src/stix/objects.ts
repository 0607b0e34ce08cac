import type { EntityKind, SelectorType } from '@osint/contracts';
import { scoId } from './ids.js';

/**
 * STIX 2.1 has no cyber-observable for phone numbers, cryptocurrency wallets or collected documents, so the
 * platform defines them as new SCO types under one extension definition of its own (STIX 2.1 section 7.3:
 * a custom object names the extension definition that describes it). The id is fixed: consumers recognise
 * the extension across exports and platforms. The definition object itself is published in
 * docs/search-and-export.md rather than shipped in every bundle: the OASIS bundle schema cannot accept an
 * `extension-definition` object (it matches both of its custom-object cores), and a bundle must validate.
 */
export const OSINT_EXTENSION_DEFINITION_ID = 'extension-definition--3f1c1c9e-6a4b-4c55-9a57-8d1f5e2b7c40';
/** The platform's own identity object (`created_by_ref` of everything it exports); fixed for the same reason. */
export const PLATFORM_IDENTITY_ID = 'identity--6f2f4a1e-8c1b-4c3e-9f7a-2d5b8e0c9a13';
const PLATFORM_OBJECTS_CREATED = '2026-11-01T00:00:00.000Z';

export function platformIdentity() {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: PLATFORM_IDENTITY_ID,
    created: PLATFORM_OBJECTS_CREATED,
    modified: PLATFORM_OBJECTS_CREATED,
    name: 'OSINT research platform',
    identity_class: 'system',
    description: 'The platform that produced this bundle.',
  };
}

export function platformExtensionDefinition() {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: OSINT_EXTENSION_DEFINITION_ID,
    created_by_ref: PLATFORM_IDENTITY_ID,
    created: PLATFORM_OBJECTS_CREATED,
    modified: PLATFORM_OBJECTS_CREATED,
    name: 'OSINT platform observables',
    description:
      'x-osint-phone-number (value: E.164), x-osint-cryptocurrency-wallet (value, currency) and ' +
      'x-osint-document (name, media_type, sha256, source_url): things the platform collects that STIX 2.1 ' +
      'has no type for. Id-contributing properties: `value` for the first two, `sha256` for documents.',
    schema: 'https://osint-platform.dev/stix/extensions/osint-observables/v1',
    version: '1.0.0',
    extension_types: ['new-sco'],
  };
}

const NEW_SCO = { [OSINT_EXTENSION_DEFINITION_ID]: { extension_type: 'new-sco' } };

const HASH_NAMES: Partial<Record<SelectorType, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};

export interface SelectorForStix {
  /** The platform's global selector id (a UUIDv4): reused for the SDOs it becomes (CVE → vulnerability). */
  id: string;
  type: SelectorType;
  value: string;
}

/**
 * The STIX object for a selector. SCOs get deterministic ids (UUIDv5 over their id-contributing
 * properties), so the same domain exported twice, or by another tool, has the same id:
 *
 * | selector | STIX | id-contributing |
 * |---|---|---|
 * | domain, ipv4, ipv6, url, email | domain-name, ipv4-addr, ipv6-addr, url, email-addr | value |
 * | md5, sha1, sha256, sha512 | file with `hashes` | hashes |
 * | username (`platform:handle`) | user-account (`account_type`, `account_login`) | account_type, account_login |
 * | phone, btc, eth | x-osint-phone-number, x-osint-cryptocurrency-wallet | value |
 * | cve | vulnerability (an SDO, id from the selector's UUID) with a `cve` external reference | — |
 */
export function selectorToStix(
  selector: SelectorForStix,
  common: { markingRefs: string[]; created: string },
): Record<string, unknown> {
  const marking = { object_marking_refs: common.markingRefs };
  const sco = (type: string, props: Record<string, unknown>, idProps: Record<string, unknown> = props) => ({
    type,
    spec_version: '2.1',
    id: scoId(type, idProps),
    ...props,
    ...marking,
  });
  switch (selector.type) {
    case 'domain':
      return sco('domain-name', { value: selector.value });
    case 'ipv4':
      return sco('ipv4-addr', { value: selector.value });
    case 'ipv6':
      return sco('ipv6-addr', { value: selector.value });
    case 'url':
      return sco('url', { value: selector.value });
    case 'email':
      return sco('email-addr', { value: selector.value });
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const hashes = { [HASH_NAMES[selector.type] as string]: selector.value };
      return sco('file', { hashes });
    }
    case 'username': {
      const colon = selector.value.indexOf(':');
      const props =
        colon > 0
          ? { account_type: selector.value.slice(0, colon), account_login: selector.value.slice(colon + 1) }
          : { account_login: selector.value };
      return sco('user-account', props);
    }
    case 'phone':
      return { ...sco('x-osint-phone-number', { value: selector.value }), extensions: NEW_SCO };
    case 'btc':
    case 'eth':
      return {
        ...sco(
          'x-osint-cryptocurrency-wallet',
          { value: selector.value, currency: selector.type },
          {
            value: selector.value,
          },
        ),
        extensions: NEW_SCO,
      };
    case 'cve':
      return {
        type: 'vulnerability',
        spec_version: '2.1',
        id: `vulnerability--${selector.id}`,
        created_by_ref: PLATFORM_IDENTITY_ID,
        created: common.created,
        modified: common.created,
        name: selector.value,
        external_references: [{ source_name: 'cve', external_id: selector.value }],
        ...marking,
      };
  }
}

/** The STIX id a selector gets, without building the whole object (relationship ends, report refs). */
export function selectorStixId(selector: SelectorForStix): string {
  return selectorToStix(selector, { markingRefs: [], created: PLATFORM_OBJECTS_CREATED }).id as string;
}

export interface EntityForStix {
  id: string;
  kind: EntityKind;
  label: string;
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const IDENTITY_CLASS = { person: 'individual', organisation: 'organization', other: 'unknown' } as const;

/** Entities become `identity` SDOs whose UUID is the entity's own (stable across exports). */
export function entityToStix(entity: EntityForStix, markingRefs: string[]) {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${entity.id}`,
    created_by_ref: PLATFORM_IDENTITY_ID,
    created: entity.createdAt,
    modified: entity.updatedAt,
    name: entity.label,
    identity_class: IDENTITY_CLASS[entity.kind],
    ...(Object.keys(entity.properties).length > 0 ? { description: JSON.stringify(entity.properties) } : {}),
    object_marking_refs: markingRefs,
  };
}

export interface DocumentForStix {
  id: string;
  title: string;
  mediaType: string;
  sha256: string;
  sourceUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Documents become `x-osint-document` cyber-observables (metadata only, never the bytes) whose id derives
 * from the document's SHA-256: the same bytes get the same id in every export. A custom SCO rather than a
 * custom SDO because the OASIS bundle schema only accepts custom objects that match exactly one of the
 * SDO and SCO cores, and an object with `created`/`modified` matches both.
 */
export function documentStixId(doc: { sha256: string }): string {
  return scoId('x-osint-document', { sha256: doc.sha256 });
}

export function documentToStix(doc: DocumentForStix, markingRefs: string[]) {
  return {
    type: 'x-osint-document',
    spec_version: '2.1',
    id: documentStixId(doc),
    name: doc.title,
    media_type: doc.mediaType,
    sha256: doc.sha256,
    ...(doc.sourceUrl ? { source_url: doc.sourceUrl } : {}),
    object_marking_refs: markingRefs,
    extensions: NEW_SCO,
  };
}

export function relationshipToStix(
  rel: {
    id: string;
    type: string;
    confidence: number;
    createdAt: string;
    updatedAt: string;
  },
  sourceRef: string,
  targetRef: string,
  markingRefs: string[],
) {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${rel.id}`,
    created_by_ref: PLATFORM_IDENTITY_ID,
    created: rel.createdAt,
    modified: rel.updatedAt,
    relationship_type: rel.type,
    source_ref: sourceRef,
    target_ref: targetRef,
    confidence: rel.confidence,
    object_marking_refs: markingRefs,
  };
}

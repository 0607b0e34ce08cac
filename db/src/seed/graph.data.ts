import type { EntityKind } from '@osint/contracts';
import type { InvestigationKey } from './investigations.data.js';

export interface SeedEntity {
  key: string;
  kind: EntityKind;
  label: string;
  properties: Record<string, unknown>;
}

/**
 * Entities per investigation: who the case is about. Every one is fictional; labels say so where a reader
 * could otherwise wonder. Keys are `person`, `org` and `group` in every case so the edges below can use them.
 */
export const SEED_ENTITIES: Readonly<Record<InvestigationKey, SeedEntity[]>> = {
  'paper-lantern': [
    {
      key: 'org',
      kind: 'organisation',
      label: 'Harbourline Freight Ltd (fictional target)',
      properties: { sector: 'logistics', country: 'GB' },
    },
    {
      key: 'group',
      kind: 'other',
      label: 'Paper Lantern operators',
      properties: { aliases: ['PL-01'], firstSeen: '2026-09-28' },
    },
    {
      key: 'person',
      kind: 'person',
      label: '"Lantern Ops" persona',
      properties: { role: 'advertised the kit', languages: ['en'] },
    },
  ],
  'northwind-invoices': [
    {
      key: 'org',
      kind: 'organisation',
      label: 'Northwind Supplies (fictional supplier)',
      properties: { sector: 'wholesale', country: 'US' },
    },
    {
      key: 'group',
      kind: 'other',
      label: 'Mule wallet cluster A',
      properties: { chain: ['bitcoin-testnet', 'ethereum'] },
    },
    {
      key: 'person',
      kind: 'person',
      label: '"J. Smith", impersonated accounts contact',
      properties: { impersonated: true },
    },
  ],
  'crimson-kettle': [
    {
      key: 'org',
      kind: 'organisation',
      label: 'Crimson Kettle crew',
      properties: { motivation: 'extortion' },
    },
    {
      key: 'group',
      kind: 'other',
      label: 'Leak-site mirror network',
      properties: { mirrors: 4 },
    },
    {
      key: 'person',
      kind: 'person',
      label: '"Kettle_Crew" spokesperson persona',
      properties: { platforms: ['telegram', 'fediverse'] },
    },
  ],
};

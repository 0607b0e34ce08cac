import type { InvestigationStatus, Tlp } from '@osint/contracts';
import type { UserKey } from './users.data.js';

export type InvestigationKey = 'paper-lantern' | 'northwind-invoices' | 'crimson-kettle';

export interface SeedInvestigation {
  key: InvestigationKey;
  title: string;
  description: string;
  status: InvestigationStatus;
  tlp: Tlp;
  defaultRegion: string;
  allowList: string[];
  owner: UserKey;
  editors: UserKey[];
  viewers: UserKey[];
  /** Day offset from the seed epoch, so the three look like they started at different times. */
  day: number;
}

/**
 * Three fictional cases, one per status and each with its own TLP marking, whose memberships cover every
 * role: every user is owner of one, and alice (the admin) is deliberately not a member of the second.
 */
export const SEED_INVESTIGATIONS: readonly SeedInvestigation[] = [
  {
    key: 'paper-lantern',
    title: 'Operation Paper Lantern',
    description:
      'Credential-phishing wave against staff of a (fictional) logistics company: lure domains, landing pages, ' +
      'the hosting behind them and the accounts that advertised them.',
    status: 'open',
    tlp: 'amber',
    defaultRegion: 'GB',
    allowList: ['harbourline-freight.example'],
    owner: 'alice',
    editors: ['bob'],
    viewers: ['carol'],
    day: 0,
  },
  {
    key: 'northwind-invoices',
    title: 'Northwind invoice fraud',
    description:
      'Business e-mail compromise: look-alike supplier domains, changed bank details, and the wallets the ' +
      'proceeds were moved to. Closed after the referral.',
    status: 'closed',
    tlp: 'red',
    defaultRegion: 'US',
    allowList: [],
    owner: 'bob',
    editors: ['carol'],
    viewers: ['dave'],
    day: 9,
  },
  {
    key: 'crimson-kettle',
    title: 'Crimson Kettle leak-site monitoring',
    description:
      'Archived monitoring of a (fictional) extortion crew: leak-site mirrors, exploited CVEs, sample hashes ' +
      'and the handles that announced new victims.',
    status: 'archived',
    tlp: 'green',
    defaultRegion: 'GB',
    allowList: [],
    owner: 'carol',
    editors: ['dave'],
    viewers: ['alice'],
    day: 21,
  },
];

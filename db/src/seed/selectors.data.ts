import { createHash } from 'node:crypto';
import type { SelectorType } from '@osint/contracts';

/**
 * A selector as the seed writes it: `raw` is how it is written in the seeded material (defanged, odd case,
 * extra formatting) and becomes `display_value`; `value` is the canonical match key core's
 * `normaliseSelector(type, raw)` produces. db cannot import core (house style 1), so the values are spelled
 * out here and `seed.int.test.ts` re-normalises every `raw` with core and compares.
 *
 * Only values that can never point at anyone: RFC 5737 / RFC 3849 documentation addresses, RFC 2606 /
 * RFC 6761 reserved names, Ofcom's drama range (+44 20 7946 0xxx) and the North American fictional range
 * (+1 202-555-01xx), hashes of made-up strings, made-up handles, and Bitcoin testnet/regtest addresses and
 * Ethereum addresses derived from made-up strings (nobody holds their keys).
 */
export interface SeedSelector {
  type: SelectorType;
  raw: string;
  value: string;
}

const ZONES = ['example.com', 'example.net', 'example.org', 'paper-lantern.example', 'northwind.test'];
const HOSTS = ['login', 'secure-update', 'cdn', 'mail', 'vpn', 'portal', 'files', 'billing'];

const defang = (s: string) => s.replaceAll('.', '[.]');
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function domains(): SeedSelector[] {
  const out = HOSTS.flatMap((host) => ZONES.map((zone) => `${host}.${zone}`)).map((value, i) => {
    const raw = [defang(value), `${value.toUpperCase()}.`, value, capitalise(value)][i % 4] ?? value;
    return { type: 'domain' as const, raw, value };
  });
  // An internationalised name: the match key is its punycode A-label.
  out.push({ type: 'domain', raw: 'bücher-shop.example', value: 'xn--bcher-shop-9db.example' });
  return out;
}

function ipv4s(): SeedSelector[] {
  const hosts = [5, 7, 11, 13, 17, 23, 29, 31, 37, 41, 43, 47, 53, 59, 250];
  return ['192.0.2', '198.51.100', '203.0.113'].flatMap((net) =>
    hosts.map((host, i) => {
      const value = `${net}.${host}`;
      return { type: 'ipv4' as const, raw: i % 3 === 0 ? defang(value) : value, value };
    }),
  );
}

function ipv6s(): SeedSelector[] {
  return Array.from({ length: 20 }, (_, i) => {
    const subnet = (i + 1).toString(16);
    const host = (i * 7 + 1).toString(16);
    const value = `2001:db8:${subnet}::${host}`;
    const full = ['2001', '0db8', subnet, '0', '0', '0', '0', host].map((f) =>
      f.padStart(4, '0').toUpperCase(),
    );
    return { type: 'ipv6' as const, raw: i % 2 === 0 ? full.join(':') : `[${value}]`, value };
  });
}

function urls(): SeedSelector[] {
  const paths = [
    '/owa/auth.php?id=',
    '/invoice/Q3-2026.pdf?ref=',
    '/gate.php?bot=',
    '/wp-admin/update.php?v=',
    '/dl/payload.bin?k=',
  ];
  const out = Array.from({ length: 28 }, (_, i) => {
    const host = `${HOSTS[i % HOSTS.length]}.${ZONES[i % ZONES.length]}`;
    const path = `${paths[i % paths.length]}${i}`;
    const scheme = i % 3 === 2 ? 'http' : 'https';
    const raw = [
      `hxxps://${defang(host)}${path}`,
      `HTTPS://${host.toUpperCase()}:443${path}#top`,
      `http://${host}${path}`,
    ][i % 3];
    return { type: 'url' as const, raw: raw ?? '', value: `${scheme}://${host}${path}` };
  });
  out.push({
    type: 'url',
    raw: 'http://198.51.100.7:8080/gate.php',
    value: 'http://198.51.100.7:8080/gate.php',
  });
  out.push({ type: 'url', raw: 'hxxp://[2001:db8::5]/panel/', value: 'http://[2001:db8::5]/panel/' });
  return out;
}

function emails(): SeedSelector[] {
  const locals = ['alice.ops', 'billing', 'j.smith', 'no-reply', 'security', 'invoices'];
  return locals.flatMap((local, l) =>
    ZONES.map((zone, z) => {
      const value = `${local}@${zone}`;
      const i = l * ZONES.length + z;
      const raw = [`${local}[@]${defang(zone)}`, `${local}@${zone.toUpperCase()}`, value][i % 3] ?? value;
      return { type: 'email' as const, raw, value };
    }),
  );
}

function phones(): SeedSelector[] {
  const uk = Array.from({ length: 10 }, (_, i) => {
    const last = String(100 + i * 37).padStart(3, '0');
    const value = `+442079460${last}`;
    return { type: 'phone' as const, raw: i % 2 === 0 ? `+44 20 7946 0${last}` : value, value };
  });
  const us = Array.from({ length: 10 }, (_, i) => {
    const last = String((i * 9) % 100).padStart(2, '0');
    return {
      type: 'phone' as const,
      raw: i % 2 === 0 ? `+1 (202) 555-01${last}` : `+1 202-555-01${last}`,
      value: `+120255501${last}`,
    };
  });
  return [...uk, ...us];
}

/** Digests of made-up strings; tools print both cases, so half are written in upper case. */
function hashes(type: 'md5' | 'sha1' | 'sha256' | 'sha512'): SeedSelector[] {
  return Array.from({ length: 12 }, (_, i) => {
    const value = createHash(type).update(`osint-seed:${type}:${i}`).digest('hex');
    return { type, raw: i % 2 === 0 ? value.toUpperCase() : value, value };
  });
}

/**
 * Derived once from made-up strings (hash160/witness program = SHA-256("osint-seed:btc:<kind>:<n>")),
 * encoded with @scure/base: testnet P2PKH, P2SH, P2WPKH, P2TR and one regtest P2WPKH.
 */
const BTC_ADDRESSES = [
  'mwM13iFHdD7y3qvYtHCUAbxeQy41HwfjsX',
  'mmGbPh1Mt1ZKnX2i79j1CwUc6yzte6jqmt',
  'n3Kvywb1BfQviQeNCtsMWZLSFLM7pAR6HP',
  'miExHgq1qZeZhDJrTwQxhVjozjoWMEpWvm',
  '2MwAFJse4FUqpsAzVFKWo3FTeYoaTQh8bck',
  '2NDp7ZgcjhHQEJiesBfgRX5qF4TcMi17fLX',
  'tb1q0zll699uvgrehjdcg3cjjlkurnsm6c2a4lxz8k',
  'tb1qvrf4gzgfqm06hsdnweusxhstx74zcrhtrv0xna',
  'tb1qnjttuhm36ynsy97y8kfqaqh28el4emnhum0tnk',
  'tb1p0wayvu9pss8trdx0hled05fcdyq0454cmcewax83uv4a63wmlr7qqfy9m2',
  'tb1p4e22wd44kw44zmq8e4h7xplsygvjt8annwn5qykm6cwcx2epudgs8a5l0f',
  'bcrt1qv53hk953qh8re70lqxcrm92fmlvegjc3vx4c2s',
];

function btcs(): SeedSelector[] {
  // Bech32 is case-insensitive: one segwit address is written in upper case, as QR codes do.
  return BTC_ADDRESSES.map((value, i) => ({
    type: 'btc' as const,
    raw: i === 7 ? value.toUpperCase() : value,
    value,
  }));
}

/** Last 20 bytes of Keccak-256("osint-seed:eth:<n>"), written in EIP-55 checksum case. */
const ETH_ADDRESSES = [
  '0x7D15A744af8759C532dD9A59041E21BE32d1eEeF',
  '0x338D61A83c598fB36C69f0Ba764E8358CCb67f57',
  '0xE69a28373400A6E1Ee495ae8ee635fEc249E193e',
  '0x5e6e26371a1B2974Cb1b58f1068A203512C005Bd',
  '0x5b11967300f07c072Ad395475aE3C3eF196692c6',
  '0x9f97fb31F5299B616D53d100DA54048b858CcEA8',
  '0xac64044408788264989B51A7B3eE99EFb9819A86',
  '0x41334DAa42e32D3901De3D733BaC3aFB33a20497',
  '0xADD275623f1644B31d0F45a8280530D8fA343c28',
  '0x0569839F36ce52149706520142168E8A80F8c917',
];

function eths(): SeedSelector[] {
  return ETH_ADDRESSES.map((raw) => ({ type: 'eth' as const, raw, value: raw.toLowerCase() }));
}

/** Real, public CVE identifiers (vulnerabilities, not people), written the ways reports write them. */
const CVES = [
  'CVE-2021-44228',
  'CVE-2023-4863',
  'CVE-2017-0144',
  'CVE-2014-0160',
  'CVE-2019-19781',
  'CVE-2021-26855',
  'CVE-2022-30190',
  'CVE-2023-23397',
  'CVE-2023-34362',
  'CVE-2024-3400',
  'CVE-2018-13379',
  'CVE-2020-1472',
  'CVE-2021-34527',
  'CVE-2022-41040',
  'CVE-2023-22515',
];

function cves(): SeedSelector[] {
  return CVES.map((value, i) => {
    const raw = [value.toLowerCase(), value.replaceAll('-', '\u2013'), value][i % 3] ?? value;
    return { type: 'cve' as const, raw, value };
  });
}

function usernames(): SeedSelector[] {
  const platforms = ['twitter', 'github', 'telegram', 'reddit', 'instagram'];
  const handles = [
    'Lantern_Ops',
    'InvoiceDesk',
    'Kettle_Crew',
    'ShadowCourier',
    'NorthwindPay',
    'quiet_harbour',
  ];
  const out = handles
    .flatMap((handle) => platforms.map((platform) => ({ platform, handle })))
    .slice(0, 26)
    .map(({ platform, handle }, i) => {
      const written =
        platform === 'twitter' && i % 2 === 0
          ? `X:@${handle}`
          : platform === 'reddit'
            ? `reddit:u/${handle}`
            : `${capitalise(platform)}:@${handle}`;
      return { type: 'username' as const, raw: written, value: `${platform}:${handle.toLowerCase()}` };
    });
  // Fediverse accounts keep the handle's case; so do platforms not known to fold case.
  out.push({
    type: 'username',
    raw: '@kettle_ops@social.example',
    value: 'fediverse:kettle_ops@social.example',
  });
  out.push({
    type: 'username',
    raw: '@LanternPress@MASTODON.example',
    value: 'fediverse:LanternPress@mastodon.example',
  });
  out.push({ type: 'username', raw: 'forum.example:DarkTrader', value: 'forum.example:DarkTrader' });
  out.push({ type: 'username', raw: 'forum.example:darktrader_2', value: 'forum.example:darktrader_2' });
  return out;
}

/**
 * About three hundred selectors covering all 14 types, interleaved round-robin across types so that a
 * rotation over the list (how the seed shares them out between investigations) gives each one every type.
 */
export function seedSelectors(): SeedSelector[] {
  const groups = [
    domains(),
    ipv4s(),
    ipv6s(),
    urls(),
    emails(),
    phones(),
    hashes('md5'),
    hashes('sha1'),
    hashes('sha256'),
    hashes('sha512'),
    btcs(),
    eths(),
    cves(),
    usernames(),
  ];
  const out: SeedSelector[] = [];
  const longest = Math.max(...groups.map((g) => g.length));
  for (let i = 0; i < longest; i++) {
    for (const group of groups) {
      const item = group[i];
      if (item) out.push(item);
    }
  }
  return out;
}

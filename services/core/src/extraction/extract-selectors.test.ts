import { describe, expect, it } from 'vitest';
import { normaliseSelector } from '../selectors/normalise.js';
import { compileAllowList } from './allow-list.js';
import { type ExtractedSelector, extractSelectors, isVersionContext } from './extract-selectors.js';

/** [type, raw as written, value] triples, in text order: easy to read next to the report. */
const summary = (found: ExtractedSelector[]) => found.map((s) => [s.type, s.raw, s.value]);
const values = (text: string, opts = {}) => extractSelectors(text, opts).map((s) => `${s.type}:${s.value}`);

const REPORT = [
  'APT-EXAMPLE campaign, 2026-03-14 (TLP:AMBER)',
  '',
  'Stage 1 downloads from hxxps://cdn[.]evil-corp[.]com/load/gate.php?id=7 (also hxxp://185.220.101[.]42:8080/a).',
  'Fallback C2: update-check[.]evil-corp(.)net and 185.220.101[.]43; IPv6 2a00:1450:4009:81f::200e.',
  'Phishing sender: billing [at] evil-corp [.] com; operator @ghost@infosec.exchange, github:gh0st-op.',
  'Dropped report.pdf and setup.py (installer v2.1.0.3, build 10.0.19041.1).',
  'Hashes:',
  '  MD5     44d88612fea8a8f36de82e1278abb02f',
  '  SHA-256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  'Ransom: BTC bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, ETH 0x52908400098527886E0F7030069857D2E4169EE7.',
  'Exploits CVE-2021-44228. Victim helpdesk +44 20 7946 0000. Lab host 198.51.100[.]7 and www.example.com.',
].join('\n');

describe('extractSelectors on a pasted report with defanged IOCs', () => {
  const found = extractSelectors(REPORT);

  it('finds every selector, normalised, in text order', () => {
    expect(summary(found)).toEqual([
      [
        'url',
        'hxxps://cdn[.]evil-corp[.]com/load/gate.php?id=7',
        'https://cdn.evil-corp.com/load/gate.php?id=7',
      ],
      ['url', 'hxxp://185.220.101[.]42:8080/a', 'http://185.220.101.42:8080/a'],
      ['domain', 'update-check[.]evil-corp(.)net', 'update-check.evil-corp.net'],
      ['ipv4', '185.220.101[.]43', '185.220.101.43'],
      ['ipv6', '2a00:1450:4009:81f::200e', '2a00:1450:4009:81f::200e'],
      ['email', 'billing [at] evil-corp [.] com', 'billing@evil-corp.com'],
      ['username', '@ghost@infosec.exchange', 'fediverse:ghost@infosec.exchange'],
      ['username', 'github:gh0st-op', 'github:gh0st-op'],
      ['md5', '44d88612fea8a8f36de82e1278abb02f', '44d88612fea8a8f36de82e1278abb02f'],
      [
        'sha256',
        '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
        '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      ],
      ['btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['eth', '0x52908400098527886E0F7030069857D2E4169EE7', '0x52908400098527886e0f7030069857d2e4169ee7'],
      ['cve', 'CVE-2021-44228', 'CVE-2021-44228'],
      ['phone', '+44 20 7946 0000', '+442079460000'],
      ['ipv4', '198.51.100[.]7', '198.51.100.7'],
      ['domain', 'www.example.com', 'www.example.com'],
    ]);
  });

  it('points every offset into the ORIGINAL text (raw is the slice, defanging included)', () => {
    for (const s of found) expect(REPORT.slice(s.start, s.end)).toBe(s.raw);
    const url = found[0]!;
    // Line 3 starts at 46; "Stage 1 downloads from " is 23 characters; the URL as written is 48.
    expect(REPORT.indexOf('Stage 1')).toBe(46);
    expect([url.start, url.end]).toEqual([69, 117]);
    const email = found.find((s) => s.type === 'email')!;
    expect(email.start).toBe(REPORT.indexOf('billing [at]'));
    expect(email.end - email.start).toBe('billing [at] evil-corp [.] com'.length);
    // Offsets after a defanged token are shifted correctly, not by the refanged length.
    const ip = found.find((s) => s.value === '198.51.100.7')!;
    expect(ip.start).toBe(REPORT.indexOf('198.51.100[.]7'));
  });

  it('gives the text as written as display value (value stays normalised) and keeps normalisation facts', () => {
    const url = found[0]!;
    expect(url.displayValue).toBe('hxxps://cdn[.]evil-corp[.]com/load/gate.php?id=7');
    expect(url.value).toBe('https://cdn.evil-corp.com/load/gate.php?id=7');
    const email = found.find((s) => s.type === 'email')!;
    expect([email.displayValue, email.value]).toEqual([
      'billing [at] evil-corp [.] com',
      'billing@evil-corp.com',
    ]);
    const eth = found.find((s) => s.type === 'eth')!;
    expect(eth.displayValue).toBe('0x52908400098527886E0F7030069857D2E4169EE7');
    // Whatever the spelling, the display value normalises back to the value (data model).
    for (const s of found) expect(normaliseSelector(s.type, s.displayValue).value, s.raw).toBe(s.value);
    expect(url.attributes).toMatchObject({ host: 'cdn.evil-corp.com', hostType: 'domain' });
    expect(found.find((s) => s.type === 'phone')!.attributes).toMatchObject({ country: 'GB' });
  });

  it('flags documentation ranges and reserved names instead of dropping them', () => {
    const flagged = found.filter((s) => s.allowListed).map((s) => [s.value, s.allowListReason]);
    expect(flagged).toEqual([
      ['198.51.100.7', 'documentation'],
      ['www.example.com', 'reserved'],
    ]);
  });
});

describe('false positives', () => {
  it('does not read file names as domains, except inside URLs', () => {
    expect(values('opened report.pdf, ran setup.py, unpacked invoice.zip and payload.exe')).toEqual([]);
    expect(values('fetched hxxp://files[.]evil-corp[.]com/report.pdf')).toEqual([
      'url:http://files.evil-corp.com/report.pdf',
    ]);
    // A host that looks like a file name is still a host when a scheme says so.
    expect(values('see http://setup.py/x')).toEqual(['url:http://setup.py/x']);
    expect(values('and config.local or node.js or e.g. this')).toEqual([]);
    // `.md`, `.rs`, `.pl` are busy ccTLDs and file extensions: conventional or upper-case stems are files.
    expect(values('see README.md, CHANGELOG.md, docs/CONTRIBUTING.md, NOTES.md and src/main.rs')).toEqual([]);
    expect(values('shop evil-corp.md and api.example.rs')).toEqual([
      'domain:evil-corp.md',
      'domain:api.example.rs',
    ]);
    expect(values('hxxps://readme[.]md/x')).toEqual(['url:https://readme.md/x']);
  });

  it('does not refang prose with the word "dot" into domains', () => {
    expect(values('connect the dot to the rest; a dot in the middle; the DOT IS red')).toEqual([]);
    expect(values('C2 evil-corp dot com and mail DOT evil-corp DOT net')).toEqual([
      'domain:evil-corp.com',
      'domain:mail.evil-corp.net',
    ]);
  });

  it('never reads an IP address (or other dotted numbers) as a phone number', () => {
    const opts = { defaultRegion: 'GB' };
    expect(values('host 81.2.69.160 replied', opts)).toEqual(['ipv4:81.2.69.160']);
    expect(values('bad quad 81.2.69.999 and 1.2.3.4.5 and 2026-03-14 and 14/03/2026', opts)).toEqual([]);
    expect(values('+44 20 7946 0000 and (020) 7946 0001', opts)).toEqual([
      'phone:+442079460000',
      'phone:+442079460001',
    ]);
    // Without a default region, a national number is ambiguous and is not extracted.
    expect(values('(020) 7946 0001 and 02079460001')).toEqual([]);
    // A bare run of digits is an id, not a phone number, even with a region.
    expect(values('order 02079460001', opts)).toEqual([]);
  });

  it('does not read version strings as IPs (the version rule)', () => {
    for (const text of [
      'installer v1.2.3.4',
      'Version 1.2.3.4',
      'version: 10.0.0.1',
      'build 10.0.19041.1',
      'fw 4.1.0.2 released',
      'agent 1.2.3.4-beta',
      'agent 1.2.3.4-rc1',
      'agent 1.2.3.4+build7',
      'OID 1.3.6.1.4.1.311',
      'package 1.2.3.4.5',
    ]) {
      expect(values(text), text).toEqual([]);
    }
    // Plain addresses in the same sentences are still addresses, and a dash+digit is a range.
    expect(values('from 8.8.8.8 (v2 agent)')).toEqual(['ipv4:8.8.8.8']);
    expect(values('range 10.0.0.1-10.0.0.9')).toEqual(['ipv4:10.0.0.1', 'ipv4:10.0.0.9']);
    expect(isVersionContext('ver. 1.2.3.4', 5, 12)).toBe(true);
  });

  it('only takes whole hex runs of a digest length as hashes', () => {
    const md5 = '44d88612fea8a8f36de82e1278abb02f';
    expect(values(`${md5}ab`)).toEqual([]); // 34 hex digits: no MD5 inside it
    expect(values(`x${md5}`)).toEqual([]); // glued to a letter
    expect(values(`0x${'ab'.repeat(32)}`)).toEqual([]); // an Ethereum tx hash is not a SHA-256
    expect(values(`${'a1'.repeat(40)}`)).toEqual([]); // 80 hex digits: no digest has that length
    expect(values('12345678901234567890123456789012')).toEqual([]); // all decimal: a number
    expect(values(`md5=${md5}; sha1:${'b'.repeat(39)}c`)).toEqual([`md5:${md5}`, `sha1:${'b'.repeat(39)}c`]);
  });

  it('tells e-mail addresses from usernames', () => {
    expect(values('mail alice@corp-mail.com now')).toEqual(['email:alice@corp-mail.com']);
    expect(values('toot @alice@mastodon.social now')).toEqual(['username:fediverse:alice@mastodon.social']);
    // A bare @handle has no platform: not a selector (and not half an e-mail).
    expect(values('ping @alice today')).toEqual([]);
    expect(values('Twitter: the company; Twitter: @Alice_1.')).toEqual(['username:twitter:alice_1']);
    expect(values('see u/throwaway_42 and /u/other-user')).toEqual([
      'username:reddit:throwaway_42',
      'username:reddit:other-user',
    ]);
  });

  it('does not take clock times, MAC addresses or scopes for IPv6', () => {
    expect(values('at 12:30:45, mac 00:1a:2b:3c:4d:5e, std::vector, a::b')).toEqual([]);
    expect(values('v6 fe80::1%eth0 and [2606:4700::1111]:53.')).toEqual([
      'ipv6:fe80::1',
      'ipv6:2606:4700::1111',
    ]);
  });

  it('rejects invalid checksums and shapes rather than guessing', () => {
    expect(values('btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3')).toEqual([]); // last char changed
    expect(values('eth 0x52908400098527886E0F7030069857D2E4169ee7')).toEqual([]); // bad EIP-55 case
    expect(values('CVE-1990-1234 is too early')).toEqual([]);
  });

  it('trims sentence punctuation and unbalanced brackets off URLs', () => {
    expect(values('(see https://evil-corp.com/a_(b)/c), then https://evil-corp.com/x.')).toEqual([
      'url:https://evil-corp.com/a_(b)/c',
      'url:https://evil-corp.com/x',
    ]);
  });
});

describe('hosts that are not hosts', () => {
  it("stores no invalid URL from ioc-extractor's test fixture: comma quads are refanged, other comma hosts skipped", () => {
    const fixture = ['http://192,168,0,1', 'http://example,com/', 'example,com', 'http://example[.com/'].join(
      '\n',
    );
    expect(values(fixture)).toEqual(['url:http://192.168.0.1/']);
    const [url] = extractSelectors(fixture);
    expect(url).toMatchObject({ raw: 'http://192,168,0,1', displayValue: 'http://192,168,0,1' });
  });
});

describe('allow-list', () => {
  const text =
    'corp.example.org, vpn.corp-infra.com, mail ops@corp-infra.com, https://corp-infra.com/x, 10.1.2.3, 8.8.4.4, evil.com';

  it("flags the investigation's own entries (domains with subdomains, CIDRs, exact values) and keeps them", () => {
    const found = extractSelectors(text, {
      allowList: ['corp-infra.com', '10.0.0.0/8', '8.8.4.4', 'not a thing'],
    });
    expect(found.map((s) => [s.value, s.allowListed, s.allowListReason ?? null])).toEqual([
      ['corp.example.org', true, 'reserved'],
      ['vpn.corp-infra.com', true, 'allow-list'],
      ['ops@corp-infra.com', true, 'allow-list'],
      ['https://corp-infra.com/x', true, 'allow-list'],
      ['10.1.2.3', true, 'allow-list'],
      ['8.8.4.4', true, 'allow-list'],
      ['evil.com', false, null],
    ]);
  });

  it('compiles entries once, refanged and normalised, and reports the ones it cannot use', () => {
    const list = compileAllowList(['*.Corp-Infra[.]com', 'HTTPS://Evil.com/Path', 'nonsense entry']);
    expect([...list.domains]).toEqual(['corp-infra.com']);
    expect(list.ignored).toEqual(['nonsense entry']);
    expect(values('https://evil.com/Path and https://evil.com/other', { allowList: list })).toHaveLength(2);
    const flagged = extractSelectors('https://evil.com/Path and https://evil.com/other', { allowList: list });
    expect(flagged.map((s) => s.allowListed)).toEqual([true, false]);
  });
});

describe('limits', () => {
  it('stops at maxMatches', () => {
    const text = Array.from({ length: 50 }, (_, i) => `10.0.0.${i}`).join(' ');
    expect(extractSelectors(text, { maxMatches: 10 })).toHaveLength(10);
  });

  it('handles empty text and text with nothing in it', () => {
    expect(extractSelectors('')).toEqual([]);
    expect(extractSelectors('nothing to see here. Really.')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { normaliseEmail } from './normalise-email.js';
import { SelectorError } from './selector-error.js';

describe('normaliseEmail', () => {
  it('keeps the local part as written and normalises the domain', () => {
    const result = normaliseEmail('  Alice.Smith@Mail.Example.COM. ');
    expect(result.value).toBe('Alice.Smith@mail.example.com');
    expect(result.attributes).toMatchObject({
      localPart: 'Alice.Smith',
      domain: 'mail.example.com',
      registrableDomain: 'example.com',
      reserved: true,
      foldedValue: 'alice.smith@mail.example.com',
    });
  });

  it('converts an IDN domain to punycode', () => {
    const result = normaliseEmail('info@bücher.example');
    expect(result.value).toBe('info@xn--bcher-kva.example');
    expect(result.attributes.unicodeDomain).toBe('bücher.example');
  });

  it('refangs and strips mailto:', () => {
    expect(normaliseEmail('ops[at]c2[.]example').value).toBe('ops@c2.example');
    expect(normaliseEmail('mailto:ops@c2.example').value).toBe('ops@c2.example');
  });

  it.each(['a+tag@example.org', '"john doe"@example.org', 'josé@example.org'])(
    'accepts plus addressing, quoted and internationalised local parts as written: %s',
    (input) => {
      expect(normaliseEmail(input).value).toBe(input);
    },
  );

  it.each([
    'no-at-sign.example',
    '@example.org',
    'alice@',
    'a..b@example.org',
    '.a@example.org',
    'a b@example.org',
    `${'a'.repeat(65)}@example.org`,
    'alice@report.pdf',
    'alice@192.0.2.1',
  ])('rejects %s', (input) => {
    expect(() => normaliseEmail(input)).toThrow(expect.objectContaining({ code: 'invalid_email' }));
    expect(() => normaliseEmail(input)).toThrow(SelectorError);
  });
});

import { describe, expect, it } from 'vitest';
import { normalisePhone } from './normalise-phone.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

// Fictional numbers only: Ofcom's drama range (020 7946 0xxx), NANP 555-01xx, ACMA's 0491 570 xxx.
describe('normalisePhone', () => {
  it('normalises international input to E.164 without a region', () => {
    const result = normalisePhone('+44 20 7946 0018');
    expect(result.value).toBe('+442079460018');
    expect(result.attributes).toMatchObject({
      country: 'GB',
      countryCallingCode: '44',
      nationalNumber: '2079460018',
    });
    expect(normalisePhone('+1 (202) 555-0123').value).toBe('+12025550123');
    expect(normalisePhone('tel:+61491570006').attributes).toMatchObject({
      country: 'AU',
      numberType: 'MOBILE',
    });
  });

  it('uses the default region for national numbers', () => {
    expect(normalisePhone('020 7946 0018', 'GB').value).toBe('+442079460018');
    expect(normalisePhone('(202) 555-0123', 'US').attributes.country).toBe('US');
    expect(normalisePhone('+44 20 7946 0018', 'US').value).toBe('+442079460018');
  });

  it('requires a region when the number has no +', () => {
    expect(() => normalisePhone('020 7946 0018')).toThrow(code('phone_region_required'));
  });

  it('keeps an extension out of the match key', () => {
    const result = normalisePhone('+44 20 7946 0018 ext. 12');
    expect(result.value).toBe('+442079460018');
    expect(result.attributes.extension).toBe('12');
  });

  it('rejects invalid numbers', () => {
    expect(() => normalisePhone('+44 1234')).toThrow(code('invalid_phone'));
    expect(() => normalisePhone('12345', 'US')).toThrow(code('invalid_phone'));
    expect(() => normalisePhone('call +44 20 7946 0018', 'GB')).toThrow(code('invalid_phone'));
  });
});

import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

export type { CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number to E.164 (`+442079460000`). The full ("max") metadata is used so validity is
 * checked against real numbering plans, not just lengths: an invalid number would become a selector that
 * can never match anything. A number without `+` is ambiguous (the same digits are valid in many
 * countries), so `defaultRegion` is required for it rather than guessed.
 */
export function normalisePhone(raw: string, defaultRegion?: CountryCode): SelectorValue {
  const input = raw.trim().replace(/^tel:/i, '');
  if (!input.startsWith('+') && defaultRegion === undefined) {
    throw new SelectorError(
      'phone_region_required',
      `"${input}" has no country code; give a default region (e.g. GB) or write it as +<country code>`,
      'phone',
    );
  }
  const parsed = parsePhoneNumberFromString(input, { defaultCountry: defaultRegion, extract: false });
  if (parsed === undefined || !parsed.isValid()) {
    throw new SelectorError('invalid_phone', `"${input}" is not a valid phone number`, 'phone');
  }
  return {
    value: parsed.number,
    attributes: {
      country: parsed.country ?? null,
      countryCallingCode: parsed.countryCallingCode,
      nationalNumber: parsed.nationalNumber,
      numberType: parsed.getType() ?? null,
      ...(parsed.ext ? { extension: parsed.ext } : {}),
    },
  };
}

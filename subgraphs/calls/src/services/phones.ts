import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Region assumed for numbers written without a country code, e.g. "8 (495) 123-45-67". */
const DEFAULT_REGION = (process.env.DEFAULT_PHONE_REGION ?? 'RU') as CountryCode;

/** E.164 form ("+74951234567") of a phone number as people write it, or null when it is not one. */
export function toE164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw, DEFAULT_REGION);
  return parsed?.isPossible() ? parsed.number : null;
}

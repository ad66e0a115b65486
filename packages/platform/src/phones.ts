import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Phone numbers as people write them (calls and leads read them alike), read in the region assumed when none is written (`DEFAULT_PHONE_REGION`). */
export class PhoneNumbers {
  /** `defaultRegion` applies to numbers written without a country code, e.g. "8 (495) 123-45-67" in RU. */
  constructor(private readonly defaultRegion: CountryCode) {}

  /** E.164 form ("+74951234567") of a phone number as people write it, or null when it is not one. */
  toE164(raw: string | null | undefined): string | null {
    if (!raw) return null;
    const parsed = parsePhoneNumberFromString(raw, this.defaultRegion);
    return parsed?.isPossible() ? parsed.number : null;
  }
}

/** Russian numbers are compared by their last ten digits: +7/8 prefixes vary. */
const NATIONAL_NUMBER_DIGITS = 10;
/** Fewer digits than this is an extension or a typo, not a phone to match. */
const MIN_PHONE_DIGITS = 5;

/** The digits of a phone number as typed, or null when too short to match. */
export function normalisePhone(phone: string): string | null {
  const digits = phone.replace(/\D/g, "");
  return digits.length >= MIN_PHONE_DIGITS ? digits : null;
}

/** The digits a stored number must contain to be the same phone. */
export function phoneSearchKey(digits: string): string {
  return digits.slice(-NATIONAL_NUMBER_DIGITS);
}

/**
 * Digits every local number of this phone ends with: Russian local numbers
 * after the area code have 5 to 7 digits.
 */
export function localPhoneSearchKey(digits: string): string {
  return digits.slice(-MIN_PHONE_DIGITS);
}

/** Whether two numbers are the same phone once formatting is ignored. */
export function isSamePhone(a: string, b: string): boolean {
  const left = normalisePhone(a);
  const right = normalisePhone(b);
  if (!left || !right) return false;
  return phoneSearchKey(left) === phoneSearchKey(right);
}

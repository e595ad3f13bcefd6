import type { Expiry, Instant } from "../model";
import { addDays, addHours, earliest } from "../time";

/** When access granted at `from` ends under the policy's expiry rule; undefined for "never". */
export function expiryEnd(expiry: Expiry, from: Instant): Instant | undefined {
  switch (expiry.kind) {
    case "never":
      return undefined;
    case "onDate":
      return expiry.date;
    case "afterDays":
      return addDays(from, expiry.days);
    case "afterHours":
      return addHours(from, expiry.hours);
  }
}

/** The end of access: the requested end if any, never later than the policy allows. */
export function cappedEnd(expiry: Expiry, from: Instant, requestedEnd?: Instant): Instant | undefined {
  return earliest(requestedEnd, expiryEnd(expiry, from));
}

import { expiryEnd } from "../assignment/expiry";
import { domainError, type DomainError } from "../errors";
import type { Expiry, Instant } from "../model";
import { err, ok, type Result } from "../result";
import { parseEndDate } from "../search/admin-intent";
import { addDays, isAfter } from "../time";

/** How long an administrator's direct assignment lasts, as they said it. */
export interface DirectDuration {
  /** "until <date>" as written. */
  until?: string;
  /** "for <n> days". */
  days?: number;
}

/**
 * The end an administrator sets upfront: `for <n> days` from now or the end of the day `until`
 * names; none given is the policy's default. It must lie in the future and within what the policy
 * allows (refused with the latest allowed end, never cut silently).
 */
export function directAssignmentEnd(
  now: Instant,
  duration: DirectDuration,
  expiry: Expiry,
): Result<Instant | undefined, DomainError> {
  let end: Instant | undefined;
  if (duration.days !== undefined) {
    if (!Number.isInteger(duration.days) || duration.days < 1 || duration.days > 3650)
      return err(domainError("REQUEST.INVALID", "Give a number of days from 1 to 3650."));
    end = addDays(now, duration.days);
  } else if (duration.until !== undefined) {
    end = parseEndDate(duration.until);
    if (!end)
      return err(
        domainError("REQUEST.INVALID", "Write the end date with its year, like 2027-03-31 or 31 March 2027."),
      );
    if (!isAfter(end, now)) return err(domainError("REQUEST.INVALID", "The end date must be in the future."));
  } else return ok(undefined);
  const latest = expiryEnd(expiry, now);
  if (latest !== undefined && isAfter(end, latest))
    return err(
      domainError(
        "REQUEST.INVALID",
        `The policy allows this access until ${latest.slice(0, 10)} at the latest.`,
        {
          details: { latest },
        },
      ),
    );
  return ok(end);
}

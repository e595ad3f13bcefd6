import type { DirectoryUser, Instant, ReviewDecision } from "../model";
import { addDays, isBefore, toMs } from "../time";

/** Users who have not signed in for this many days are recommended for removal. */
export const DEFAULT_INACTIVE_DAYS = 30;

export interface Recommendation {
  recommendation: ReviewDecision;
  reason: string;
}

/**
 * The recommendation shown to reviewers, as Entra makes it: inactive, disabled or vanished
 * accounts are recommended for denial; anyone who signed in recently for approval.
 */
export function recommendReviewDecision(
  user: DirectoryUser | undefined,
  now: Instant,
  inactiveDays: number = DEFAULT_INACTIVE_DAYS,
): Recommendation {
  if (!user) return { recommendation: "deny", reason: "The user is no longer in the directory." };
  if (!user.accountEnabled) return { recommendation: "deny", reason: "The account is disabled." };
  if (!user.lastSignInAt) return { recommendation: "deny", reason: "No sign-in on record." };
  if (isBefore(user.lastSignInAt, addDays(now, -inactiveDays))) {
    const days = Math.floor((toMs(now) - toMs(user.lastSignInAt)) / 86_400_000);
    return {
      recommendation: "deny",
      reason: `Last signed in ${days} days ago (more than ${inactiveDays}).`,
    };
  }
  return { recommendation: "approve", reason: `Signed in within the last ${inactiveDays} days.` };
}

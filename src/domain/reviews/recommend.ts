import type { DirectoryUser, Instant, ReviewDecision } from "../model";
import { addDays, isBefore, toMs } from "../time";

/** Users who have not signed in for this many days are recommended for removal. */
export const DEFAULT_INACTIVE_DAYS = 30;

export interface Recommendation {
  /** "none": no data to recommend on; such an item is never removed by a recommendation. */
  recommendation: ReviewDecision | "none";
  reason: string;
}

/** Why there is no sign-in date, in the words the review card shows. */
function noSignInData(user: DirectoryUser): string {
  if (user.signInData === "notRead") return "No sign-in data: the directory does not read sign-in activity.";
  if (user.signInData === "notPermitted")
    return "No sign-in data: Microsoft Graph refused sign-in activity (permission or licence missing).";
  return "No sign-in data for this user.";
}

/**
 * The recommendation shown to reviewers, as Entra makes it: disabled or vanished accounts and
 * users inactive for too long are recommended for denial; anyone who signed in recently for
 * approval. Missing sign-in data is "no data", never "deny": a tenant without the permission or
 * licence would otherwise lose everyone's access to an unanswered review.
 */
export function recommendReviewDecision(
  user: DirectoryUser | undefined,
  now: Instant,
  inactiveDays: number = DEFAULT_INACTIVE_DAYS,
): Recommendation {
  if (!user) return { recommendation: "deny", reason: "The user is no longer in the directory." };
  if (!user.accountEnabled) return { recommendation: "deny", reason: "The account is disabled." };
  if (!user.lastSignInAt) return { recommendation: "none", reason: noSignInData(user) };
  if (isBefore(user.lastSignInAt, addDays(now, -inactiveDays))) {
    const days = Math.floor((toMs(now) - toMs(user.lastSignInAt)) / 86_400_000);
    return {
      recommendation: "deny",
      reason: `Last signed in ${days} days ago (more than ${inactiveDays}).`,
    };
  }
  return { recommendation: "approve", reason: `Signed in within the last ${inactiveDays} days.` };
}

import type { Assignment, ResourceDelivery } from "../model";
import { ACTIVE_ASSIGNMENT_STATES } from "../model";

/** Grants that failed with no retry left: only a catalog owner's Reprocess tries them again. */
export const grantsFailedForGood = (a: Assignment): ResourceDelivery[] =>
  a.resources.filter((r) => r.status === "failed" && r.nextAttemptAt === undefined);

/** Grants still on their way: not tried yet, or failed with a retry scheduled. */
export const grantsUnderway = (a: Assignment): boolean =>
  a.resources.some((r) => r.status === "pending" || (r.status === "failed" && r.nextAttemptAt !== undefined));

/**
 * Delivery gave up with nothing granted: the assignment gives its holder nothing, so it neither
 * keeps them from asking again nor counts as granting a role when another assignment ends.
 */
export const deliveryGaveUp = (a: Assignment): boolean =>
  a.state === "deliveryFailed" && !grantsUnderway(a) && !a.resources.some((r) => r.status === "granted");

/**
 * The assignment gives its holder access now or soon: active, and its delivery has not given up
 * with nothing granted. Only such an assignment keeps them from asking again.
 */
export const holdsAccess = (a: Assignment): boolean =>
  ACTIVE_ASSIGNMENT_STATES.includes(a.state) && !deliveryGaveUp(a);

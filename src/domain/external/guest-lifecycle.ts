import type { ConnectedOrganization, DirectoryUser, Instant } from "../model";
import { connectedOrganizationOf } from "./guest-organization";

/** What happens to a guest of a connected organisation once their last assignment ended (as in Entra). */
export interface GuestLifecycleSettings {
  /** Block sign-in at once (default); off, the account stays usable until it is deleted. */
  blockSignIn: boolean;
  /** Delete the account this many days after the last access ended (default 30). */
  deleteAfterDays: number;
  /** Only guests Access Desk invited (the default), or every guest of the organisation. */
  appliesTo: "invitedByAccessDesk" | "allGuests";
}

export const DEFAULT_GUEST_LIFECYCLE: GuestLifecycleSettings = {
  blockSignIn: true,
  deleteAfterDays: 30,
  appliesTo: "invitedByAccessDesk",
};

export interface GuestFacts {
  user: DirectoryUser;
  activeAssignments: number;
  /** When the last assignment ended; for an invited guest never assigned, when they were invited. */
  accessEndedAt?: Instant;
  invitedByAccessDesk: boolean;
}

export interface GuestStep {
  userId: string;
  organizationId: string;
  action: "block" | "delete";
  /** One line for the plan, the audit entry and the sponsor's notice. */
  reason: string;
  /** When the guest's last access ended: with the action, names this step across runs. */
  accessEndedAt: Instant;
}

const DAY = 86_400_000;

/**
 * The guest accounts to block or delete now. A guest with access, a member, a guest of no connected
 * organisation, one out of scope, or one whose access never ended is left alone. Blocking comes
 * first; the account is deleted only once it is blocked and the grace period has passed, so a guest
 * who gets access again within it can be unblocked.
 */
export function planGuestLifecycle(
  guests: readonly GuestFacts[],
  organizations: readonly ConnectedOrganization[],
  settingsOf: (organizationId: string) => GuestLifecycleSettings | undefined,
  now: Instant,
): GuestStep[] {
  const steps: GuestStep[] = [];
  for (const g of guests) {
    const org = connectedOrganizationOf(g.user, organizations);
    const settings = org && settingsOf(org.id);
    if (!org || !settings || g.activeAssignments > 0 || !g.accessEndedAt) continue;
    if (settings.appliesTo === "invitedByAccessDesk" && !g.invitedByAccessDesk) continue;
    const name = `${g.user.displayName} (${org.name})`;
    if (g.user.accountEnabled && settings.blockSignIn) {
      steps.push({
        userId: g.user.id,
        organizationId: org.id,
        action: "block",
        accessEndedAt: g.accessEndedAt,
        reason: `${name} has no access package left: sign-in blocked, account deleted after ${settings.deleteAfterDays} days`,
      });
      continue;
    }
    const due = Date.parse(g.accessEndedAt) + settings.deleteAfterDays * DAY;
    if (Date.parse(now) >= due) {
      steps.push({
        userId: g.user.id,
        organizationId: org.id,
        action: "delete",
        accessEndedAt: g.accessEndedAt,
        reason: `${name} has had no access package for ${settings.deleteAfterDays} days: guest account deleted`,
      });
    }
  }
  return steps;
}

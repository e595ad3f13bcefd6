import type { AppDeps } from "../deps";
import type { GovernanceConfig, Instant } from "../../domain/model";
import { ACTIVE_ASSIGNMENT_STATES, OPEN_REQUEST_STATES } from "../../domain/model";
import { holdsAccess } from "../../domain/assignment/failed-grants";
import { connectedOrganizationOf } from "../../domain/external/guest-organization";
import { planGuestLifecycle, type GuestFacts, type GuestStep } from "../../domain/external/guest-lifecycle";

type Sources = Pick<AppDeps, "directory" | "assignments" | "requests">;

/**
 * The facts the guest lifecycle plan needs, for the guests of the organisations that declare a
 * lifecycle: their active assignments, when the last one ended, and whether Access Desk invited
 * them (a request of theirs records the invitation). One user list, then two reads per such guest.
 */
export async function gatherGuestFacts(deps: Sources, config: GovernanceConfig): Promise<GuestFacts[]> {
  const orgs = config.connectedOrganizations.filter((o) => o.guestLifecycle);
  if (orgs.length === 0) return [];
  const guests = (await deps.directory.listUsers()).filter((u) => connectedOrganizationOf(u, orgs));
  return Promise.all(
    guests.map(async (user) => {
      const [assignments, requests] = await Promise.all([
        deps.assignments.listForUser(user.id),
        deps.requests.listForUser(user.id),
      ]);
      const active = assignments.filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state) && holdsAccess(a));
      // An ended assignment ended at its end date, or earlier when it was removed (its last change).
      const ended = assignments
        .filter((a) => !active.includes(a))
        .map((a) => (a.endAt && a.endAt < a.updatedAt ? a.endAt : a.updatedAt))
        .sort();
      // An open request (one being delivered right after the invitation) is access on its way.
      const open = requests.filter(
        (r) => r.targetUserId === user.id && OPEN_REQUEST_STATES.includes(r.state),
      );
      const invited = requests.find((r) => r.invitation?.invitedUserId === user.id);
      const accessEndedAt: Instant | undefined = ended.at(-1) ?? invited?.invitation?.invitedAt;
      return {
        user,
        activeAssignments: active.length + open.length,
        ...(accessEndedAt ? { accessEndedAt } : {}),
        invitedByAccessDesk: invited !== undefined,
      };
    }),
  );
}

/** What the lifecycle would do now under `config`: the `governance plan` preview and the sweep's plan. */
export async function planGuestSteps(
  deps: Sources,
  config: GovernanceConfig,
  now: Instant,
): Promise<GuestStep[]> {
  const facts = await gatherGuestFacts(deps, config);
  const byId = new Map(config.connectedOrganizations.map((o) => [o.id, o.guestLifecycle]));
  return planGuestLifecycle(facts, config.connectedOrganizations, (id) => byId.get(id), now);
}

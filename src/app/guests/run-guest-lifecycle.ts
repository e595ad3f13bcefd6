import type { AppDeps } from "../deps";
import type { DueHandler } from "../due-work";
import type { Deadline, Instant } from "../../domain/model";
import type { GuestStep } from "../../domain/external/guest-lifecycle";
import { GovernanceIndex } from "../../domain/governance-index";
import { fromMs, toMs } from "../../domain/time";
import { sponsorsOf } from "../external/sponsors";
import { nowIso } from "../shared/context";
import { planGuestSteps } from "./guest-facts";

/** How often the lifecycle looks for guests whose last access ended (one user list per run). */
export const GUEST_LIFECYCLE_INTERVAL_HOURS = 1;

export function guestLifecycleDeadline(now: Instant): Deadline {
  const interval = GUEST_LIFECYCLE_INTERVAL_HOURS * 3_600_000;
  return {
    kind: "guestLifecycle",
    dueAt: fromMs(Math.floor(toMs(now) / interval) * interval + interval),
    subjectId: "guests",
    discriminator: "interval",
  };
}

/** Schedules the recurring run (idempotent: one row per hour). */
export async function scheduleGuestLifecycle(deps: Pick<AppDeps, "due">, now: Instant): Promise<void> {
  await deps.due.schedule([guestLifecycleDeadline(now)]);
}

/**
 * Entra's lifecycle of external users, per connected organisation that declares one: a guest whose
 * last access package ended has sign-in blocked, and is deleted `deleteAfterDays` later unless they
 * got access again; only guests Access Desk invited unless `allGuests`. Each step is audited with
 * the guest and the organisation, and the guest's internal sponsors are told. Steps are idempotent
 * (blocking twice, deleting a deleted guest), and a failed one is tried again on the next run.
 */
export async function runGuestLifecycle(deps: AppDeps): Promise<GuestStep[]> {
  const config = await deps.governance.load();
  const now = nowIso(deps);
  const steps = await planGuestSteps(deps, config, now);
  const accounts = deps.invitations?.accounts;
  if (steps.length === 0) return [];
  if (!accounts) {
    deps.logger.warn({ steps: steps.length }, "guest lifecycle has work but no guest accounts port");
    return [];
  }
  const index = GovernanceIndex.of(config);
  const done: GuestStep[] = [];
  for (const step of steps) {
    // Read whom to tell before the account (and its Entra sponsors) may be gone.
    const user = await deps.directory.getUser(step.userId);
    const sponsors = user ? await sponsorsOf(deps, index, user, "internal") : [];
    try {
      if (step.action === "block") await accounts.block(step.userId);
      else await accounts.deleteGuest(step.userId);
    } catch (error) {
      deps.logger.warn({ err: error, ...step }, "guest lifecycle step failed; the next run tries again");
      continue;
    }
    done.push(step);
    await deps.audit.append([
      {
        id: `guest-${step.action}-${step.userId}-${now.slice(0, 13)}`,
        at: now,
        actor: "system",
        action: step.action === "block" ? "guest.signInBlocked" : "guest.deleted",
        subject: `user:${step.userId}`,
        targetUserId: step.userId,
        reason: step.reason,
        source: "scheduler:guestLifecycle",
        details: { organizationId: step.organizationId, sponsors: sponsors.join(",") },
      },
    ]);
    await deps.events.publish([
      {
        type: "GuestAccountChanged",
        userId: step.userId,
        displayName: user?.displayName ?? step.userId,
        organizationId: step.organizationId,
        action: step.action,
        reason: step.reason,
        sponsorIds: sponsors,
      },
    ]);
  }
  return done;
}

/** `guestLifecycle` (subject "guests"): run, then schedule the next run. */
export const guestLifecycleHandler: DueHandler = async (deps) => {
  await runGuestLifecycle(deps);
  await scheduleGuestLifecycle(deps, nowIso(deps));
};

export const guestLifecycleHandlers = { guestLifecycle: guestLifecycleHandler };

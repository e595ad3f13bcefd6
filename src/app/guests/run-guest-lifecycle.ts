import type { AppDeps } from "../deps";
import type { DueHandler } from "../due-work";
import type { Deadline, DomainEvent, Instant, UserId } from "../../domain/model";
import type { EffectBatch } from "../../ports/events";
import type { GuestStep } from "../../domain/external/guest-lifecycle";
import { GovernanceIndex } from "../../domain/governance-index";
import { addMinutes, fromMs, toMs } from "../../domain/time";
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
 *
 * Each step is promised before it is taken: its due item (`guestStep`, holding whom to tell) is
 * stored before the Graph call, and removed once the audit row is written and the sponsors were
 * told. A crash after the call leaves the item, whose handler finishes the step (the next run would
 * no longer see a blocked or deleted guest, so nothing else would).
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
    const promised = guestStepBatch(step, user?.displayName ?? step.userId, sponsors, now);
    await deps.due.schedule([promised.item]);
    try {
      await takeStep(deps, step);
    } catch (error) {
      deps.logger.warn({ err: error, ...step }, "guest lifecycle step failed; the next run tries again");
      // Nothing happened: the next run plans the step again.
      await deps.due.remove([promised.item]);
      continue;
    }
    done.push(step);
    await announce(deps, promised, false);
  }
  return done;
}

async function takeStep(deps: AppDeps, step: GuestStep): Promise<void> {
  const accounts = deps.invitations?.accounts;
  if (!accounts) throw new Error("no guest accounts port");
  if (step.action === "block") await accounts.block(step.userId);
  else await accounts.deleteGuest(step.userId);
}

interface GuestStepPayload {
  step: GuestStep;
  displayName: string;
  sponsors: UserId[];
}

/** The step's promise: its audit row's id and time, its notice, and the due item that keeps them. */
function guestStepBatch(step: GuestStep, displayName: string, sponsors: UserId[], at: Instant): EffectBatch {
  // Named by the step, not the run: a run that plans it again (its first run died before the
  // Graph call answered) shares its audit row and its notice's delivery log.
  const id = `guest-${step.action}-${step.userId}-${step.accessEndedAt}`;
  const payload: GuestStepPayload = { step, displayName, sponsors };
  return {
    id,
    at,
    subject: { kind: "guest", id: step.userId },
    events: [
      {
        type: "GuestAccountChanged",
        userId: step.userId,
        displayName,
        organizationId: step.organizationId,
        action: step.action,
        reason: step.reason,
        sponsorIds: sponsors,
      },
    ],
    item: {
      kind: "guestStep",
      dueAt: addMinutes(at, GUEST_STEP_GRACE_MINUTES),
      subjectId: `guest:${step.userId}`,
      discriminator: id,
      payload: JSON.stringify({ ...payload, at }),
    },
  };
}

/** How long the run that took a step has to tell of it before the step's own item does. */
const GUEST_STEP_GRACE_MINUTES = 5;

/**
 * The audit row (its id and time from the promise, so writing it again keeps one copy) and the
 * sponsors' notice (journaled under the promise: a second run skips what went out). The notice run
 * removes the item once everything is out.
 */
async function announce(deps: AppDeps, promised: EffectBatch, replaying: boolean): Promise<void> {
  const event = promised.events[0] as Extract<DomainEvent, { type: "GuestAccountChanged" }>;
  const told = await deps.audit.query({ subject: `user:${event.userId}`, limit: 200 });
  if (!told.some((e) => e.id === promised.id))
    await deps.audit.append([
      {
        id: promised.id,
        at: promised.at,
        actor: "system",
        action: event.action === "block" ? "guest.signInBlocked" : "guest.deleted",
        subject: `user:${event.userId}`,
        targetUserId: event.userId,
        reason: event.reason,
        source: "scheduler:guestLifecycle",
        details: { organizationId: event.organizationId, sponsors: event.sponsorIds.join(",") },
      },
    ]);
  if (replaying) await deps.events.replay(promised);
  else await deps.events.publish(promised.events, promised);
}

/** `guestStep`: a step whose run stopped before telling of it is taken again (idempotent) and told. */
export const guestStepHandler: DueHandler = async (deps, item) => {
  const parsed = JSON.parse(item.payload ?? "{}") as Partial<GuestStepPayload> & { at?: Instant };
  if (!parsed.step || !parsed.at || !Array.isArray(parsed.sponsors))
    throw new Error(`guest step ${item.discriminator} has no readable payload`);
  await takeStep(deps, parsed.step);
  const promised = guestStepBatch(
    parsed.step,
    parsed.displayName ?? parsed.step.userId,
    parsed.sponsors,
    parsed.at,
  );
  await announce(deps, { ...promised, item }, true);
};

/** `guestLifecycle` (subject "guests"): run, then schedule the next run. */
export const guestLifecycleHandler: DueHandler = async (deps) => {
  await runGuestLifecycle(deps);
  await scheduleGuestLifecycle(deps, nowIso(deps));
};

export const guestLifecycleHandlers = { guestLifecycle: guestLifecycleHandler, guestStep: guestStepHandler };

import type { AppDeps } from "../deps";
import type { AccessRequest } from "../../domain/model";
import { domainError } from "../../domain/errors";
import { err, ok, type Result } from "../../domain/result";
import { invitationRetry, recordInvitation } from "../../domain/external/invitation";
import { unchanged } from "../../domain/transition";
import type { Versioned } from "../../ports/versioned";
import { nowIso } from "../shared/context";
import { applyEffects, scheduleFirst, type JournaledStep } from "../shared/effects";
import { mutate } from "../shared/mutate";
import { releaseClaims } from "../shared/claims";
import { isDeliverable } from "../../domain/request/lifecycle";

/**
 * An approved invitation request becomes an ordinary one: the partner is invited (Graph
 * `POST /invitations`, or a guest of the local directory), and the request's target becomes the
 * guest account before anything is granted. Safe to run again: inviting the same address finds the
 * same guest, and a request that records the account is left as it is. The Graph call happens
 * outside the compare-and-swap; the saved step journals its audit row.
 */
export async function inviteBeforeDelivery(
  deps: AppDeps,
  loaded: Versioned<AccessRequest>,
): Promise<Result<Versioned<AccessRequest>>> {
  const request = loaded.value;
  const invitation = request.invitation;
  if (!invitation || invitation.invitedUserId) return ok(loaded);
  const settings = deps.invitations;
  if (!settings) {
    return err(
      domainError(
        "INVITE.NOT_ALLOWED",
        `${invitation.email} could not be invited: guest invitations are not set up for Access Desk.`,
      ),
    );
  }
  let userId: string;
  try {
    const invited = await settings.accounts.invite({
      email: invitation.email,
      redirectUrl: settings.redirectUrl,
      sendMessage: settings.sendMessage,
    });
    userId = invited.userId;
  } catch (error) {
    deps.logger.warn({ err: error, requestId: request.id }, "the invitation failed");
    const why = error instanceof Error ? error.message.slice(0, 300) : "unknown error";
    if ((error as { retryable?: unknown } | null)?.retryable === true) {
      const retrying = await retryLater(deps, loaded, why);
      if (retrying) return retrying;
    }
    return err(domainError("INVITE.NOT_ALLOWED", `${invitation.email} could not be invited: ${why}`));
  }
  const now = nowIso(deps);
  const ctx = {
    actor: invitation.sponsorId,
    source: "delivery",
    targetUserId: userId,
    packageId: request.packageId,
  };
  const saved = await mutate(
    deps.requests,
    request.id,
    domainError("REQUEST.NOT_FOUND", `There is no request "${request.id}".`),
    (current) => {
      const next = recordInvitation(current, userId, now);
      return ok(next === current ? unchanged(current) : { next, events: [], deadlines: [], changed: true });
    },
    loaded,
    (step) =>
      scheduleFirst(deps, step, [
        {
          ...ctx,
          action: "guest.invited",
          subject: `request:${request.id}`,
          reason: `${invitation.email} invited as a guest (sponsor ${invitation.sponsorId})`,
          details: { email: invitation.email, organizationId: invitation.organizationId, userId },
        },
      ]),
  );
  if (!saved.ok) return saved;
  const step = saved.value.step as JournaledStep<typeof saved.value.step>;
  if (step.changed) {
    await applyEffects(deps, step, ctx, () => step.batch?.rows ?? []);
    // The invitee's claim was only a placeholder: the guest's own claim is taken at delivery.
    await releaseClaims(deps, {
      userId: request.targetUserId,
      packageId: request.packageId,
      holderId: request.id,
    });
  }
  return ok({ value: step.next, etag: saved.value.etag });
}

/**
 * An invitation that asking again may fix (Graph throttled or unavailable): the request keeps
 * delivering, the attempt counted, with its retry deadline stored before the save. Undefined when
 * the attempts are spent (the delivery then fails, for the owner to Reprocess).
 */
async function retryLater(
  deps: AppDeps,
  loaded: Versioned<AccessRequest>,
  why: string,
): Promise<Result<never> | undefined> {
  const now = nowIso(deps);
  const retry = invitationRetry(loaded.value, now);
  if (!retry) return undefined;
  const saved = await mutate(
    deps.requests,
    loaded.value.id,
    domainError("REQUEST.NOT_FOUND", `There is no request "${loaded.value.id}".`),
    (current) => {
      const again =
        !isDeliverable(current) || current.invitation?.invitedUserId
          ? undefined
          : invitationRetry(current, now);
      return ok(
        again
          ? { next: again.next, events: [], deadlines: [again.deadline], changed: true }
          : unchanged(current),
      );
    },
    loaded,
    (step) => scheduleFirst(deps, step),
  );
  if (!saved.ok) return saved;
  const email = loaded.value.invitation?.email ?? "The partner";
  return err(
    domainError(
      "INVITE.RETRYING",
      `${email} could not be invited yet (${why}); Access Desk tries again at ${retry.deadline.dueAt}.`,
    ),
  );
}

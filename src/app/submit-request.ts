import type { AppDeps } from "./deps";
import type { AccessRequest, Assignment, Instant, UserId } from "../domain/model";
import { OPEN_REQUEST_STATES } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { choosePolicy } from "../domain/policy/eligibility";
import { validateRequest } from "../domain/request/validate-request";
import {
  submitRequest as submitTransition,
  type SubmitCommand,
  type SubmitContext,
} from "../domain/request/submit";
import { hasIncompatiblePackages } from "../domain/sod/separation-of-duties";
import { loadIndex, loadPerson, nowIso } from "./shared/context";
import { separationOfDuties } from "./shared/sod";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { beginWaitingStage } from "./shared/stage-flow";
import { followUpDelivery } from "./shared/background";
import { claimForRequest, createClaimedRequest } from "./shared/claims";
import type { DueItem } from "../ports/stores";

export interface SubmitRequestInput {
  actorId: UserId;
  /** For a manager asking on behalf of a direct report. */
  targetUserId?: UserId;
  packageId: string;
  policyId?: string;
  justification: string;
  answers: Record<string, string>;
  schedule?: { startAt?: Instant; endAt?: Instant };
  /** Where it came from: "card:request", "chat:command", ... */
  source: string;
}

export interface SubmittedRequest {
  request: AccessRequest;
  /** Delivery when no approval was needed; runs after the answer, never rejects. */
  followUp: Promise<void>;
}

/**
 * Asks for an access package: eligibility, form, duplicates, separation of duties, then stage 1.
 * One open request per person and package: of two submits at the same moment one is stored, the
 * other is refused with REQUEST.DUPLICATE naming the first (`details.requestId`).
 */
export async function submitRequest(
  deps: AppDeps,
  input: SubmitRequestInput,
): Promise<Result<SubmittedRequest>> {
  const now = nowIso(deps);
  const targetId = input.targetUserId ?? input.actorId;
  const refuse = async (error: ReturnType<typeof domainError>) => {
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `package:${input.packageId}`,
      targetUserId: targetId,
      packageId: input.packageId,
      code: error.code,
      message: error.message,
      action: "request.refused",
    });
    return err(error);
  };

  const index = await loadIndex(deps);
  const [requester, target] = await Promise.all([
    loadPerson(deps, input.actorId),
    loadPerson(deps, targetId),
  ]);
  if (!requester || !target) {
    return refuse(
      domainError("POLICY.NOT_ELIGIBLE", "That person isn't in the directory, so they can't request access."),
    );
  }
  const policy = choosePolicy(index, input.packageId, requester, target, input.policyId);
  if (!policy.ok) return refuse(policy.error);
  const valid = validateRequest(policy.value, input, now);
  if (!valid.ok) return err(valid.error);

  const pkg = index.package(input.packageId)!;
  // The claim below refuses a second open request or access already held, so the target's lists
  // are read only when something else needs them: a package that is incompatible with another
  // (separation of duties), or a request that ends as it is made and so takes no claim.
  const readHeld = () =>
    Promise.all([deps.requests.listForUser(targetId), deps.assignments.listForUser(targetId)]);
  const held = hasIncompatiblePackages(pkg, index.packageMap()) ? await readHeld() : undefined;
  const command: SubmitCommand = {
    id: deps.ids.next("req"),
    type: targetId === input.actorId ? "userAdd" : "onBehalfAdd",
    requesterId: input.actorId,
    targetUserId: targetId,
    policy: policy.value,
    input: valid.value,
  };
  const submitted = submitTransition(command, contextOf(now, targetId, held));
  if (!submitted.ok) return refuse(submitted.error);

  const [requests, assignments] = held ?? [[], []];
  const sod = await separationOfDuties(deps, index, pkg, target, { assignments, requests });
  if (!sod.ok) return refuse(sod.error);

  const begun = await beginWaitingStage(deps, index, submitted.value, policy.value, now);
  if (!held && !OPEN_REQUEST_STATES.includes(begun.next.state)) {
    const duplicate = submitTransition(command, contextOf(now, targetId, await readHeld()));
    if (!duplicate.ok) return refuse(duplicate.error);
  }
  // The claim answers a second submit, late or at the same moment as the first. The deadlines, the
  // journal and the request's index rows go in side by side with the claim (two round trips fewer
  // before the answer): all come before the save; a refused claim takes them back.
  const [claimed, step] = await Promise.all([
    claimForRequest(deps, begun.next),
    scheduleFirst(deps, begun),
    deps.requests.prepare(begun.next),
  ]);
  if (!claimed.ok) {
    await Promise.all([deps.requests.abandon(begun.next), withdrawDueItems(deps, begun, step)]);
    return refuse(claimed.error);
  }
  const etag = await createClaimedRequest(deps, step.next);
  // The check above refuses any conflict, on the lists the approval card would read again: none.
  deps.recentConflicts?.seed(step.next, []);
  await applyEffects(
    deps,
    step,
    {
      actor: input.actorId,
      source: input.source,
      targetUserId: targetId,
      packageId: pkg.id,
    },
    undefined,
    { savedLast: true },
  );
  return ok({ request: step.next, ...(await followUpDelivery(deps, { value: step.next, etag })) });
}

/**
 * The deadlines and journal item of a request that is not stored after all. Left behind they would
 * do nothing when due (their handlers find no request) but cost a sweep, so a failure to remove them
 * is only logged: the refusal is the answer either way.
 */
async function withdrawDueItems(
  deps: AppDeps,
  begun: { deadlines: DueItem[] },
  step: { batch?: { item: DueItem } },
): Promise<void> {
  const items = [...begun.deadlines, ...(step.batch ? [step.batch.item] : [])];
  if (items.length === 0) return;
  await deps.due.remove(items).catch((error: unknown) => {
    deps.logger.warn(
      { err: error },
      "could not remove a refused request's due items; they do nothing when due",
    );
  });
}

/** What the duplicate checks see: the target's requests and assignments, or nothing when unread. */
function contextOf(
  now: Instant,
  targetId: UserId,
  held: [AccessRequest[], Assignment[]] | undefined,
): SubmitContext {
  const [requests, assignments] = held ?? [[], []];
  return {
    now,
    requestsOfTarget: requests.filter((r) => r.targetUserId === targetId),
    assignmentsOfTarget: assignments,
  };
}

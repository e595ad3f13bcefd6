import type { AppDeps } from "./deps";
import type { AccessRequest, Assignment, Instant, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { extendAssignment } from "../domain/assignment/lifecycle";
import { reviewRemovingAccess } from "../domain/reviews/pending-removal";
import { submitRequest as submitTransition } from "../domain/request/submit";
import { LIMITS } from "../domain/request/validate-request";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { beginWaitingStage } from "./shared/stage-flow";
import { claimForRequest, createClaimedRequest } from "./shared/claims";

export interface RequestExtensionInput {
  actorId: UserId;
  assignmentId: string;
  justification: string;
  /** The end the user asks for; capped by the policy's expiry counted from now. */
  endAt?: Instant;
  source: string;
}

/** Extended at once, or an extension request waiting for approval when the policy wants one. */
export type ExtensionOutcome =
  | { kind: "extended"; assignment: Assignment }
  | { kind: "requested"; request: AccessRequest };

const notFound = (id: string) => domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${id}".`);

export async function requestExtension(
  deps: AppDeps,
  input: RequestExtensionInput,
): Promise<Result<ExtensionOutcome>> {
  const result = await extend(deps, input);
  // Someone else's access, an extension the policy does not allow, ...: refused, and audited.
  if (!result.ok)
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `assignment:${input.assignmentId}`,
      code: result.error.code,
      message: result.error.message,
    });
  return result;
}

async function extend(deps: AppDeps, input: RequestExtensionInput): Promise<Result<ExtensionOutcome>> {
  const now = nowIso(deps);
  const index = await loadIndex(deps);
  const loaded = await deps.assignments.get(input.assignmentId);
  if (!loaded) return err(notFound(input.assignmentId));
  const assignment = loaded.value;
  if (assignment.userId !== input.actorId) {
    return err(domainError("REQUEST.NOT_YOURS", "Only the person who has this access can ask to extend it."));
  }
  const policy = index.policy(assignment.policyId);
  if (!policy) return err(domainError("POLICY.NOT_FOUND", "The policy of this access no longer exists."));
  // Denied in a running access review: the access ends with that review, whatever an older
  // reminder card still offers.
  const endingReview = reviewRemovingAccess(
    await deps.reviews.listForPackage(assignment.packageId),
    assignment.id,
  );
  if (endingReview) {
    return err(
      domainError(
        "ASSIGNMENT.REVIEW_DENIED",
        `This access was denied in the access review of ${endingReview.period}, so it can't be extended. Request it again after it ends if you still need it.`,
      ),
    );
  }
  // A dry run gives the refusal (not allowed, nothing to extend) before anyone is asked to approve.
  const dryRun = extendAssignment(assignment, { now, policy, requestedEndAt: input.endAt });
  if (!dryRun.ok) return dryRun;
  const ctx = {
    actor: input.actorId,
    source: input.source,
    targetUserId: assignment.userId,
    packageId: assignment.packageId,
  };

  if (!policy.lifecycle.extension.requiresApproval) {
    const result = await mutate(
      deps.assignments,
      assignment.id,
      notFound(assignment.id),
      (a) =>
        extendAssignment(a, {
          now: nowIso(deps),
          policy,
          requestedEndAt: input.endAt,
          reminderOffsetsHours: deps.reminderOffsetsHours,
        }),
      undefined,
      (s) => scheduleFirst(deps, s),
    );
    if (!result.ok) return result;
    await applyEffects(deps, result.value.step, ctx);
    return ok({ kind: "extended", assignment: result.value.step.next });
  }

  const justification = input.justification.trim();
  if (
    (policy.request.justificationRequired && !justification) ||
    justification.length > LIMITS.justification
  ) {
    const message = justification
      ? `Keep it under ${LIMITS.justification} characters.`
      : "Say why you need the access longer.";
    return err(
      domainError("REQUEST.INVALID", "Some answers need fixing.", {
        problems: [{ field: "justification", message }],
      }),
    );
  }
  const requests = await deps.requests.listForUser(assignment.userId);
  const submitted = submitTransition(
    {
      id: deps.ids.next("req"),
      type: "userExtend",
      requesterId: input.actorId,
      targetUserId: assignment.userId,
      policy,
      assignmentId: assignment.id,
      input: {
        justification,
        answers: {},
        schedule: dryRun.value.next.endAt ? { endAt: dryRun.value.next.endAt } : {},
      },
    },
    {
      now,
      requestsOfTarget: requests.filter((r) => r.targetUserId === assignment.userId),
      assignmentsOfTarget: [],
    },
  );
  if (!submitted.ok) return submitted;
  const begun = await beginWaitingStage(deps, index, submitted.value, policy, now);
  // One open extension request per assignment, also when Extend is clicked twice at once.
  const claimed = await claimForRequest(deps, begun.next);
  if (!claimed.ok) return claimed;
  const step = await scheduleFirst(deps, begun);
  await createClaimedRequest(deps, step.next);
  await applyEffects(deps, step, ctx);
  return ok({ kind: "requested", request: step.next });
}

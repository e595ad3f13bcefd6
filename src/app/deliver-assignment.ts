import type { AppDeps } from "./deps";
import type { AccessRequest, Assignment } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import type { GovernanceIndex } from "../domain/governance-index";
import { createAssignment } from "../domain/assignment/create-assignment";
import { grantKey } from "../domain/assignment/revocation";
import { holdsAccess } from "../domain/assignment/failed-grants";
import { extendAssignment } from "../domain/assignment/lifecycle";
import { deliveryFailures, isDeliverable, recordRequestDelivery } from "../domain/request/lifecycle";
import { AlreadyExistsError, type Versioned } from "../ports/versioned";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, journalAhead, scheduleFirst, type ActionContext } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { grantDue } from "./shared/grant-due";
import { claimKey, heldBy, releaseIfEnded, takeClaim } from "./shared/claims";
import { unchanged } from "../domain/transition";
import { inviteBeforeDelivery } from "./invitations/invite-before-delivery";
import { withoutInviteAttempts } from "../domain/external/invitation";

export interface Delivered {
  request: AccessRequest;
  assignment?: Assignment;
}

const SOURCE = "delivery";
const notFound = (what: string, id: string) =>
  domainError(
    what === "request" ? "REQUEST.NOT_FOUND" : "ASSIGNMENT.NOT_FOUND",
    `There is no ${what} "${id}".`,
  );

/** The assignment id follows from the request, so a resumed delivery finds what a crashed one created. */
export const assignmentIdFor = (requestId: string): string => `asg_${requestId}`;

/**
 * The request's assignment, found or created, with its ETag. A first delivery (the request names no
 * assignment yet) creates straight away and reads only if the create finds one (a resumed delivery
 * whose earlier run crashed after creating it); otherwise it reads first.
 */
async function loadOrCreateAssignment(
  deps: AppDeps,
  index: GovernanceIndex,
  request: AccessRequest,
): Promise<Result<Versioned<Assignment>>> {
  const id = request.assignmentId ?? assignmentIdFor(request.id);
  const policy = index.policy(request.policyId);
  const pkg = index.package(request.packageId);
  const createFirst = request.assignmentId === undefined && policy !== undefined && pkg !== undefined;
  if (!createFirst) {
    const existing = await deps.assignments.get(id);
    if (existing) return ok(existing);
  }
  if (!policy || !pkg)
    return err(domainError("PACKAGE.NOT_FOUND", "The package or its policy no longer exists."));
  // Record what the user already held, so removing this assignment never takes it away. A role
  // another active assignment granted was not held before: it must go with the last grant of it.
  // The person's assignments tell which, so they are read only when a role is held already.
  const holds = await Promise.all(
    pkg.resourceRoles.map((role) => deps.provisioner.holds(request.targetUserId, role)),
  );
  const grantedByOthers = holds.some(Boolean)
    ? new Set(
        (await deps.assignments.listForUser(request.targetUserId))
          .filter((a) => a.id !== id && holdsAccess(a))
          .flatMap((a) => a.resources.filter((r) => r.status !== "revoked" && !r.heldBefore))
          .map((r) => grantKey(r.role)),
      )
    : new Set<string>();
  const heldBefore = pkg.resourceRoles.map((role, i) => holds[i]! && !grantedByOthers.has(grantKey(role)));
  const created = createAssignment(request, policy, pkg, {
    now: nowIso(deps),
    id,
    heldBefore,
    reminderOffsetsHours: deps.reminderOffsetsHours,
  });
  if (!created.ok) {
    if (!createFirst) return created;
    const existing = await deps.assignments.get(id);
    return existing ? ok(existing) : created;
  }
  // One active assignment per person and package: the request hands its claim to the assignment
  // before the assignment exists. Held by another (which the request's own claim should have
  // prevented): no second assignment, the delivery fails saying why.
  // The hand-over, the journal and the assignment's index rows go side by side; the assignment is
  // created once all three are stored. A lost claim takes the rows back (its journal, naming a save
  // that never happens, runs to nothing; a failed write leaves rows readers skip until a retry,
  // with the same id, creates the assignment).
  const key = claimKey(request.targetUserId, pkg.id, "access");
  const ahead = journalAhead(deps, created.value);
  const [claimed] = await Promise.all([
    takeClaim(deps, key, { type: "assignment", id }, { type: "request", id: request.id }),
    deps.assignments.prepare(ahead.step.next),
    ahead.written,
  ]);
  const first = ahead.step;
  if (!claimed.won) {
    await deps.assignments.abandon(first.next);
    return err(heldBy(key, claimed.holder));
  }
  let etag: string;
  try {
    etag = await deps.assignments.create(first.next);
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
    const raced = await deps.assignments.get(id);
    if (raced) return ok(raced);
    throw e;
  }
  const ctx: ActionContext = {
    actor: "system",
    source: SOURCE,
    targetUserId: request.targetUserId,
    packageId: pkg.id,
  };
  await applyEffects(deps, first, ctx);
  return ok({ value: first.next, etag });
}

/** An approved extension request extends its assignment instead of creating one. */
async function deliverExtension(
  deps: AppDeps,
  index: GovernanceIndex,
  request: AccessRequest,
): Promise<Result<Assignment>> {
  const policy = index.policy(request.policyId);
  if (!policy || !request.assignmentId) return err(notFound("assignment", request.assignmentId ?? "?"));
  const result = await mutate(
    deps.assignments,
    request.assignmentId,
    notFound("assignment", request.assignmentId),
    (a) =>
      a.endAt !== undefined && request.schedule.endAt === a.endAt
        ? ok(unchanged(a))
        : extendAssignment(a, {
            now: nowIso(deps),
            policy,
            requestedEndAt: request.schedule.endAt,
            reminderOffsetsHours: deps.reminderOffsetsHours,
          }),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) return result;
  const ctx: ActionContext = {
    actor: request.requesterId,
    source: SOURCE,
    targetUserId: request.targetUserId,
    packageId: request.packageId,
  };
  await applyEffects(deps, result.value.step, ctx);
  return ok({ ...result.value.step.next, state: "delivered" as const });
}

/**
 * A delivered extension request gives its claim back. A request for access handed its claim to the
 * assignment, so it has none left to give.
 */
async function releaseExtension(deps: AppDeps, request: AccessRequest): Promise<void> {
  if (request.type === "userExtend") await releaseIfEnded(deps, request);
}

/**
 * Delivers an approved request: idempotent, safe to run again after a crash or from a retry
 * deadline. Creates (or finds) the assignment, grants what is due, mirrors the outcome on the request.
 */
export async function deliverRequest(
  deps: AppDeps,
  requestId: string,
  /** `known`: the version the caller just saved; saves a read (a stale one only costs a retry). */
  options: { force?: boolean; known?: Versioned<AccessRequest> } = {},
): Promise<Result<Delivered>> {
  const loaded = options.known ?? (await deps.requests.get(requestId));
  if (!loaded) return err(notFound("request", requestId));
  const request = loaded.value;
  if (!isDeliverable(request)) return ok({ request });
  // A partner a sponsor asked for is invited first; from then on the request is an ordinary one.
  if (request.invitation && !request.invitation.invitedUserId) {
    const invited = await inviteBeforeDelivery(deps, loaded);
    if (invited.ok) return deliverRequest(deps, requestId, { ...options, known: invited.value });
    // Still delivering, with a retry due: nothing failed for good yet.
    if (invited.error.code === "INVITE.RETRYING") return err(invited.error);
    const failed = await mutate(deps.requests, requestId, notFound("request", requestId), (r) =>
      isDeliverable(r)
        ? recordRequestDelivery(
            withoutInviteAttempts(r),
            r.assignmentId ?? "",
            "deliveryFailed",
            nowIso(deps),
            invited.error.message,
          )
        : ok(unchanged(r)),
    );
    return failed.ok ? err(invited.error) : failed;
  }
  const index = await loadIndex(deps);

  let assignment: Result<Assignment>;
  if (request.type === "userExtend") assignment = await deliverExtension(deps, index, request);
  else {
    const found = await loadOrCreateAssignment(deps, index, request);
    assignment = found.ok ? await grantDue(deps, found.value, options.force ?? false, SOURCE) : found;
  }
  if (!assignment.ok) {
    const failed = await mutate(
      deps.requests,
      requestId,
      notFound("request", requestId),
      (r) =>
        isDeliverable(r)
          ? recordRequestDelivery(
              r,
              r.assignmentId ?? "",
              "deliveryFailed",
              nowIso(deps),
              assignment.error.message,
            )
          : ok(unchanged(r)),
      loaded,
    );
    if (!failed.ok) return failed;
    await releaseExtension(deps, failed.value.step.next);
    return err(assignment.error);
  }
  const a = assignment.value;
  const reason = deliveryFailures(a);
  // Nothing here wrote the request since it was read: start from that version.
  const synced = await mutate(
    deps.requests,
    requestId,
    notFound("request", requestId),
    (r) =>
      isDeliverable(r) ? recordRequestDelivery(r, a.id, a.state, nowIso(deps), reason) : ok(unchanged(r)),
    loaded,
  );
  if (!synced.ok) return synced;
  await releaseExtension(deps, synced.value.step.next);
  return ok({ request: synced.value.step.next, assignment: a });
}

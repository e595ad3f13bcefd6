import type { AppDeps } from "../deps";
import type { AccessRequest, Assignment, UserId } from "../../domain/model";
import { ACTIVE_ASSIGNMENT_STATES, OPEN_REQUEST_STATES } from "../../domain/model";
import { holdsAccess } from "../../domain/assignment/failed-grants";
import { domainError, type DomainError } from "../../domain/errors";
import { err, ok, type Result } from "../../domain/result";
import type { Claim, ClaimHolder, ClaimKey, ClaimKind } from "../../ports/claims";
import { ConcurrencyError, type Versioned } from "../../ports/versioned";
import { nowIso } from "./context";

/**
 * One open request and one active assignment per person and package, however many clicks race:
 * whoever creates a request or an assignment first takes the claim row of (person, package), a
 * compare-and-swap in storage, never a check followed by a create. The claim is written before the
 * request (or assignment) it names; delivery hands it from the request to its assignment; an
 * extension request holds a second row of its own.
 *
 * A claim does not block for ever: a holder that ended (request denied, canceled, expired or
 * delivered; assignment expired or removed) or that never got stored (a crash between the claim
 * and the create) no longer holds, and the next claimant takes the row over at the ETag it read.
 * Ending use cases release their rows (`releaseIfEnded`) so the next claim is a plain create.
 */

/**
 * How long a holder that is not stored yet counts as being created. Longer than a claim and the
 * create that follows it ever take; a holder still missing after that was lost in a crash.
 */
export const CLAIM_CREATION_GRACE_MS = 2 * 60_000;
/** Pauses while waiting for a holder being created, so the loser can answer with it (~2.3 s). */
const CREATION_WAITS_MS = [10, 20, 40, 80, 160, 320, 640, 1000];
const MAX_ATTEMPTS = 5;

export type ClaimOutcome = { won: true } | { won: false; holder: ClaimHolder };

const WON: ClaimOutcome = { won: true };

export const claimKey = (userId: UserId, packageId: string, kind: ClaimKind): ClaimKey => ({
  userId,
  packageId,
  kind,
});

/** The claim a request takes: an extension's own row, else the person's access to the package. */
export const claimKeyOf = (request: AccessRequest): ClaimKey =>
  claimKey(request.targetUserId, request.packageId, request.type === "userExtend" ? "extension" : "access");

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Standing = "holds" | "gone" | "creating";

async function standing(deps: AppDeps, claim: Claim): Promise<Standing> {
  const { holder } = claim;
  if (holder.type === "request") {
    const request = await deps.requests.get(holder.id);
    if (request) return OPEN_REQUEST_STATES.includes(request.value.state) ? "holds" : "gone";
  } else {
    const assignment = await deps.assignments.get(holder.id);
    // A delivery that gave up with nothing granted holds nothing: the person may ask again.
    if (assignment) return holdsAccess(assignment.value) ? "holds" : "gone";
  }
  const age = Date.parse(nowIso(deps)) - Date.parse(claim.at);
  return age < CLAIM_CREATION_GRACE_MS ? "creating" : "gone";
}

/**
 * Whether the claim's holder still holds it. A holder being created is waited for a little (the
 * loser of a double click answers with the winner's request), and counts as holding after that.
 */
async function stillHolds(deps: AppDeps, claim: Claim): Promise<boolean> {
  for (const pause of CREATION_WAITS_MS) {
    const now = await standing(deps, claim);
    if (now !== "creating") return now === "holds";
    await sleep(pause);
  }
  return (await standing(deps, claim)) !== "gone";
}

const sameHolder = (a: ClaimHolder, b: ClaimHolder | undefined) => a.type === b?.type && a.id === b.id;

/**
 * Takes the claim for `holder`: creates the row, or takes it over at its ETag when its holder no
 * longer holds it, or (with `from`) hands it over from that holder. Holding it already is winning
 * (a resumed delivery). Lost: someone else holds it, and here is who.
 */
export async function takeClaim(
  deps: AppDeps,
  key: ClaimKey,
  holder: ClaimHolder,
  from?: ClaimHolder,
): Promise<ClaimOutcome> {
  const claim = (): Claim => ({ ...key, holder, at: nowIso(deps) });
  // A hand-over expects a row (the request's): the version this process wrote, if it still names
  // `from` (the compare-and-swap confirms it), else read it. Otherwise expect none: create first.
  let current: Versioned<Claim> | undefined;
  if (from) {
    const known = deps.claims.remembered?.(key);
    current = known && sameHolder(known.value.holder, from) ? known : await deps.claims.get(key);
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (!current) {
      if (await deps.claims.create(claim())) return WON;
      current = await deps.claims.get(key);
      if (!current) continue; // released in between: create again
    }
    const held = current.value.holder;
    if (sameHolder(held, holder)) return WON;
    if (!sameHolder(held, from) && (await stillHolds(deps, current.value)))
      return { won: false, holder: held };
    if (await deps.claims.replace(claim(), current.etag)) return WON;
    current = await deps.claims.get(key);
  }
  throw new ConcurrencyError(`the ${key.kind} claim of ${key.packageId} for ${key.userId}`);
}

/** What a claimant is told when someone holds the claim: the open request, or the access itself. */
export function heldBy(key: ClaimKey, holder: ClaimHolder): DomainError {
  if (holder.type === "assignment") {
    return domainError(
      "REQUEST.ALREADY_ASSIGNED",
      "This access is already assigned; ask for an extension instead.",
      { details: { assignmentId: holder.id } },
    );
  }
  const message =
    key.kind === "extension"
      ? "There is already an open request to extend this access."
      : "There is already an open request for this package.";
  return domainError("REQUEST.DUPLICATE", message, { details: { requestId: holder.id } });
}

/**
 * A new request takes its claim before it is stored; refused when another request or assignment
 * holds it. One that ends as it is made (denied: nobody to approve) claims nothing.
 */
export async function claimForRequest(deps: AppDeps, request: AccessRequest): Promise<Result<void>> {
  if (!OPEN_REQUEST_STATES.includes(request.state)) return ok(undefined);
  const key = claimKeyOf(request);
  const outcome = await takeClaim(deps, key, { type: "request", id: request.id });
  return outcome.won ? ok(undefined) : err(heldBy(key, outcome.holder));
}

/** Stores a request whose claim was just taken; if the store refuses it, the claim goes back. */
export async function createClaimedRequest(deps: AppDeps, request: AccessRequest): Promise<string> {
  try {
    return await deps.requests.create(request);
  } catch (error) {
    await releaseClaims(deps, {
      userId: request.targetUserId,
      packageId: request.packageId,
      holderId: request.id,
    });
    throw error;
  }
}

/**
 * Deletes the rows `holderId` holds for this person and package. Tidying only (an ended holder
 * no longer holds anyway), so a failure is logged, not thrown.
 */
export async function releaseClaims(
  deps: AppDeps,
  of: { userId: UserId; packageId: string; holderId: string },
): Promise<void> {
  try {
    await deps.claims.release(of.userId, of.packageId, of.holderId);
  } catch (error) {
    deps.logger.warn({ err: error, ...of }, "could not release a claim; the next claimant takes it over");
  }
}

/** After a request's transition: a request that is no longer open gives its claim back. */
export async function releaseIfEnded(deps: AppDeps, request: AccessRequest): Promise<void> {
  if (OPEN_REQUEST_STATES.includes(request.state)) return;
  await releaseClaims(deps, {
    userId: request.targetUserId,
    packageId: request.packageId,
    holderId: request.id,
  });
}

/** After an assignment's transition: an assignment that ended gives its claim back. */
export async function releaseIfAssignmentEnded(deps: AppDeps, assignment: Assignment): Promise<void> {
  if (ACTIVE_ASSIGNMENT_STATES.includes(assignment.state)) return;
  await releaseClaims(deps, {
    userId: assignment.userId,
    packageId: assignment.packageId,
    holderId: assignment.id,
  });
}

import type { AppDeps } from "../deps";
import type { AccessRequest, AssignmentPolicy, Instant } from "../../domain/model";
import { domainError } from "../../domain/errors";
import type { GovernanceIndex } from "../../domain/governance-index";
import { err, ok, type Result } from "../../domain/result";
import { awaitingStage } from "../../domain/request/common";
import { beginStage, type ResolvedApprovers } from "../../domain/request/stages";
import { unchanged, type Step, type Transition } from "../../domain/transition";
import { resolveStageApprovers } from "./approvers";
import { nowIso } from "./context";
import { journalAhead } from "./effects";
import { mutate, type Mutated } from "./mutate";
import type { Versioned } from "../../ports/versioned";

/** Merges two consecutive steps into one to save once. */
export const chain = <T>(first: Step<T>, second: Step<T>): Step<T> => ({
  next: second.next,
  events: [...first.events, ...second.events],
  deadlines: [...first.deadlines, ...second.deadlines],
  changed: first.changed || second.changed,
});

/** Stage approvers resolved ahead of a save, by 0-based stage index. */
type ApproversByStage = ReadonlyMap<number, ResolvedApprovers>;

/**
 * Begins the stage the step leaves the request waiting for, with approvers resolved beforehand.
 * `missing` names a stage whose approvers were not resolved yet: resolve them and run again.
 */
function continueWithStage(
  step: Step<AccessRequest>,
  policy: AssignmentPolicy,
  approvers: ApproversByStage,
  now: Instant,
): { step: Step<AccessRequest> } | { missing: number } {
  const stageIndex = awaitingStage(step.next);
  if (stageIndex === undefined) return { step };
  const resolved = approvers.get(stageIndex);
  if (!resolved) return { missing: stageIndex };
  const begun = beginStage(step.next, policy, resolved, now);
  // beginStage only refuses a request that does not wait for a stage, checked just above.
  if (!begun.ok) throw new Error(`Could not begin stage ${stageIndex + 1}: ${begun.error.message}`);
  return { step: chain(step, begun.value) };
}

/** For a request not saved yet (no compare-and-swap to keep short): resolves the stage, begins it. */
export async function beginWaitingStage(
  deps: AppDeps,
  index: GovernanceIndex,
  step: Step<AccessRequest>,
  policy: AssignmentPolicy,
  now: Instant,
): Promise<Step<AccessRequest>> {
  const stageIndex = awaitingStage(step.next);
  if (stageIndex === undefined) return step;
  const resolved = await resolveStageApprovers(deps, index, policy, stageIndex, step.next.targetUserId);
  const begun = continueWithStage(step, policy, new Map([[stageIndex, resolved]]), now);
  if ("missing" in begun) throw new Error(`Stage ${begun.missing + 1} was resolved but not begun`);
  return begun.step;
}

const NOT_FOUND = domainError("REQUEST.NOT_FOUND", "That request no longer exists.");
const POLICY_GONE = domainError("POLICY.NOT_FOUND", "The policy of this request no longer exists.");

/**
 * `mutate` for a request transition that may leave the request waiting for its next stage, which
 * then begins in the same save. The stage's approvers (directory lookups) are resolved outside the
 * compare-and-swap, on the version read first; after a conflict they are resolved again only when
 * the fresh request waits for a stage not resolved yet. `transition` must be pure.
 */
export async function mutateRequest(
  deps: AppDeps,
  index: GovernanceIndex,
  requestId: string,
  transition: (request: AccessRequest, now: Instant) => Transition<AccessRequest>,
  /** The version the caller just read, if any: the first attempt starts from it (see `mutate`). */
  read?: Versioned<AccessRequest>,
): Promise<Result<Mutated<AccessRequest>>> {
  const approvers = new Map<number, ResolvedApprovers>();
  const attempt = (request: AccessRequest): Transition<AccessRequest> | { missing: number } => {
    const now = nowIso(deps);
    const moved = transition(request, now);
    if (!moved.ok || !moved.value.changed) return moved;
    const policy = index.policy(request.policyId);
    if (!policy) return err(POLICY_GONE);
    const next = continueWithStage(moved.value, policy, approvers, now);
    return "missing" in next ? next : ok(next.step);
  };
  const resolve = async (request: AccessRequest, stageIndex: number) => {
    const policy = index.policy(request.policyId)!; // `attempt` found it
    const resolved = await resolveStageApprovers(deps, index, policy, stageIndex, request.targetUserId);
    approvers.set(stageIndex, resolved);
  };

  let known = read ?? (await deps.requests.get(requestId));
  if (!known) return err(NOT_FOUND);
  const first = attempt(known.value);
  if ("missing" in first) await resolve(known.value, first.missing);
  for (;;) {
    let missing: number | undefined;
    const result = await mutate(
      deps.requests,
      requestId,
      NOT_FOUND,
      (request) => {
        const step = attempt(request);
        if (!("missing" in step)) return step;
        missing = step.missing;
        return ok(unchanged(request)); // nothing saved: resolve outside the loop, then go again
      },
      known,
      // The journal goes beside the next stage's approver rows; the swap waits for both.
      (s) => journalAhead(deps, s),
    );
    if (!result.ok || missing === undefined) return result;
    await resolve(result.value.before, missing);
    known = undefined;
  }
}

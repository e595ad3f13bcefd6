import type { AppDeps } from "../deps";
import type { AccessRequest, AssignmentPolicy, Instant } from "../../domain/model";
import type { GovernanceIndex } from "../../domain/governance-index";
import { awaitingStage } from "../../domain/request/common";
import { beginStage } from "../../domain/request/stages";
import type { Step } from "../../domain/transition";
import { resolveStageApprovers } from "./approvers";

/** Merges two consecutive steps into one to save once. */
export const chain = <T>(first: Step<T>, second: Step<T>): Step<T> => ({
  next: second.next,
  events: [...first.events, ...second.events],
  deadlines: [...first.deadlines, ...second.deadlines],
  changed: first.changed || second.changed,
});

/** If the request waits for a stage, resolves that stage's approvers now and begins it. */
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
  const begun = beginStage(step.next, policy, resolved, now);
  // beginStage only refuses a request that does not wait for a stage, checked just above.
  if (!begun.ok) throw new Error(`Could not begin stage ${stageIndex + 1}: ${begun.error.message}`);
  return chain(step, begun.value);
}

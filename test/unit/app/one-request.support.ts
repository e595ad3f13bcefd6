/** What the one-request scenarios share: the world they run in, and what they ask and read. */
import type { FixedClock } from "../../../src/adapters/runtime/clock";
import { decideApproval } from "../../../src/app/decide-approval";
import type { AppDeps } from "../../../src/app/deps";
import type { SubmitRequestInput } from "../../../src/app/submit-request";
import type { DomainError } from "../../../src/domain/errors";
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AssignmentPolicy,
  type GovernanceConfig,
} from "../../../src/domain/model";
import type { Result } from "../../../src/domain/result";
import type { RecordingEvents } from "../../support/recording";
import { twoStagePolicy } from "../domain/support/fixtures";
import type { MapProvisioner } from "./support/provisioner";

export interface RaceWorld {
  deps: AppDeps;
  clock: FixedClock;
  provisioner: MapProvisioner;
  events: RecordingEvents;
}

/** A world over fresh stores holding `governance`: alice, her manager mark, olivia the catalog owner. */
export type MakeWorld = (governance: GovernanceConfig) => Promise<RaceWorld>;

export const PKG = "pkg-analyst";

export const selfService = (patch: Partial<AssignmentPolicy> = {}): AssignmentPolicy => ({
  ...twoStagePolicy(),
  approval: { required: false, stages: [] },
  ...patch,
});

export const ask = (patch: Partial<SubmitRequestInput> = {}): SubmitRequestInput => ({
  actorId: "alice",
  packageId: PKG,
  justification: "Quarterly reporting",
  answers: {},
  source: "card:request.submit",
  ...patch,
});

/** Mark, alice's manager, denies her request at stage 1. */
export const markDenies = (deps: AppDeps, requestId: string) =>
  decideApproval(deps, {
    actorId: "mark",
    requestId,
    stage: 1,
    outcome: "deny",
    justification: "Not now",
    source: "card:approval",
  });

export const activeAssignments = async (deps: AppDeps) =>
  (await deps.assignments.listForUser("alice")).filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state));

export const claimOf = (deps: AppDeps) =>
  deps.claims.get({ userId: "alice", packageId: PKG, kind: "access" });

export const refusals = <T>(results: Result<T>[]): DomainError[] =>
  results.flatMap((r) => (r.ok ? [] : [r.error]));

/** The same store with some methods replaced (the rest still bound to it). */
export function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      if (property in overrides) return overrides[property as keyof T];
      const value: unknown = Reflect.get(t, property, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

import { isActive } from "../../domain/assignment/lifecycle";
import { domainError } from "../../domain/errors";
import type { GovernanceIndex } from "../../domain/governance-index";
import { autoAssignmentEvaluateDeadline } from "../../domain/lifecycle";
import type { AssignmentPolicy, GovernanceConfig, Instant, UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { parseRule, planAutoAssignment, type AutoAssignmentPlan, type RuleAst } from "../../domain/rules";
import type { DueHandler } from "../due-work";
import type { AppDeps } from "../deps";
import { loadIndex, nowIso } from "../shared/context";
import { addAutoAssignment, type AutoAddOutcome } from "./auto-assignment-add";
import { markGracePeriod } from "./auto-assignment-grace";
import { readRuleMemberships } from "./rule-memberships";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleSettings } from "./settings";

type AutoPolicy = AssignmentPolicy & { autoAssignment: NonNullable<AssignmentPolicy["autoAssignment"]> };

export const isAutoPolicy = (p: AssignmentPolicy): p is AutoPolicy => p.autoAssignment?.enabled === true;

export interface AutoAssignmentRun {
  policyId: string;
  added: UserId[];
  /** Matching users who did not get it (separation of duties, an open request, ...), with the code. */
  skipped: { userId: UserId; code: string }[];
  /** Users who stopped matching: their removal is now pending the grace period. */
  removalScheduled: UserId[];
  /** Users who match again before their grace period ended. */
  removalCanceled: UserId[];
}

async function loadAutoPolicy(
  deps: AppDeps,
  policyId: string,
): Promise<Result<{ index: GovernanceIndex; policy: AutoPolicy; rule: RuleAst }>> {
  const index = await loadIndex(deps);
  const policy = index.policy(policyId);
  if (!policy?.autoAssignment) {
    return err(domainError("POLICY.NOT_FOUND", `There is no auto-assignment policy "${policyId}".`));
  }
  const rule = parseRule(policy.autoAssignment.rule);
  if (!rule.ok) {
    return err(
      domainError("RULE.PARSE", `The rule of "${policy.name}" does not parse: ${rule.error.message}`),
    );
  }
  return ok({ index, policy: policy as AutoPolicy, rule: rule.value });
}

/**
 * Who the rule would add (matching users holding the package under no policy) and remove (users
 * holding it through this policy who no longer match). Writes nothing.
 */
async function planFor(
  deps: Pick<AppDeps, "directory" | "assignments">,
  policy: AssignmentPolicy,
  rule: RuleAst,
): Promise<AutoAssignmentPlan> {
  const [users, held, memberOf] = await Promise.all([
    deps.directory.listUsers(),
    deps.assignments.listForPackage(policy.packageId),
    readRuleMemberships(deps.directory, rule),
  ]);
  const active = held.filter(isActive);
  const holders = active.map((a) => a.userId);
  const autoHolders = active.filter((a) => a.policyId === policy.id).map((a) => a.userId);
  return {
    add: planAutoAssignment(rule, users, holders, memberOf).add,
    remove: planAutoAssignment(rule, users, autoHolders, memberOf).remove,
  };
}

export interface AutoAssignmentPreview {
  policyId: string;
  policyName: string;
  enabled: boolean;
  plan?: AutoAssignmentPlan;
  problem?: string;
}

/**
 * The dry run of every auto-assignment rule in `config` (enabled or not, so a rule can be checked
 * before it is switched on), against the directory and the stored assignments. Writes nothing.
 */
export async function previewAutoAssignments(
  deps: Pick<AppDeps, "directory" | "assignments">,
  config: GovernanceConfig,
): Promise<AutoAssignmentPreview[]> {
  const previews: AutoAssignmentPreview[] = [];
  for (const policy of config.policies) {
    if (!policy.autoAssignment) continue;
    const base = { policyId: policy.id, policyName: policy.name, enabled: policy.autoAssignment.enabled };
    const rule = parseRule(policy.autoAssignment.rule);
    previews.push(
      rule.ok
        ? { ...base, plan: await planFor(deps, policy, rule.value) }
        : { ...base, problem: rule.error.message },
    );
  }
  return previews;
}

export async function dryRunAutoAssignment(
  deps: AppDeps,
  policyId: string,
): Promise<Result<AutoAssignmentPlan>> {
  const loaded = await loadAutoPolicy(deps, policyId);
  if (!loaded.ok) return loaded;
  return ok(await planFor(deps, loaded.value.policy, loaded.value.rule));
}

/** Applies the plan: adds now, removals after `removalGraceHours` (re-checked when due). */
export async function runAutoAssignment(deps: AppDeps, policyId: string): Promise<Result<AutoAssignmentRun>> {
  const loaded = await loadAutoPolicy(deps, policyId);
  if (!loaded.ok) return loaded;
  const { policy, rule } = loaded.value;
  const run: AutoAssignmentRun = {
    policyId,
    added: [],
    skipped: [],
    removalScheduled: [],
    removalCanceled: [],
  };
  if (!policy.autoAssignment.enabled) return ok(run);
  const plan = await planFor(deps, policy, rule);
  for (const userId of plan.add) {
    const outcome: AutoAddOutcome = await addAutoAssignment(deps, policy, userId);
    if (outcome.added) run.added.push(userId);
    else run.skipped.push({ userId, code: outcome.code });
  }
  const leaving = new Set(plan.remove);
  const mine = (await deps.assignments.listForPackage(policy.packageId)).filter(
    (a) => a.policyId === policy.id && isActive(a),
  );
  for (const a of mine) {
    const leaves = leaving.has(a.userId);
    const grace = leaves ? policy.autoAssignment.removalGraceHours : undefined;
    if (await markGracePeriod(deps, a.id, grace))
      (leaves ? run.removalScheduled : run.removalCanceled).push(a.userId);
  }
  if (run.added.length + run.removalScheduled.length + run.removalCanceled.length > 0) {
    deps.logger.info({ ...run, skipped: run.skipped.length }, "auto-assignment applied");
  }
  return ok(run);
}

/** The directory changed (a user joined, moved, left): evaluate every enabled auto-assignment policy. */
export async function onDirectoryChanged(deps: AppDeps): Promise<AutoAssignmentRun[]> {
  const policies = (await deps.governance.load()).policies.filter(isAutoPolicy);
  const runs: AutoAssignmentRun[] = [];
  for (const p of policies) {
    const run = await runAutoAssignment(deps, p.id);
    if (run.ok) runs.push(run.value);
    else deps.logger.warn({ policyId: p.id, code: run.error.code }, run.error.message);
  }
  return runs;
}

/** Schedules the recurring evaluation of every enabled auto-assignment policy (idempotent). */
export async function scheduleAutoAssignment(
  deps: Pick<AppDeps, "due">,
  config: GovernanceConfig,
  now: Instant,
  settings: Pick<LifecycleSettings, "autoAssignmentIntervalMinutes"> = DEFAULT_LIFECYCLE_SETTINGS,
): Promise<void> {
  const deadlines = config.policies
    .filter(isAutoPolicy)
    .map((p) => autoAssignmentEvaluateDeadline(p.id, now, settings.autoAssignmentIntervalMinutes));
  await deps.due.schedule(deadlines);
}

/** `autoAssignmentEvaluate` (subject = policy id): evaluate, then schedule the next interval. */
export const autoAssignmentEvaluateHandler =
  (settings: Pick<LifecycleSettings, "autoAssignmentIntervalMinutes">): DueHandler =>
  async (deps, item) => {
    // Fresh: the run below then uses the rule as it is now, not a copy cached before an apply.
    const config = await deps.governance.load({ fresh: true });
    const policy = config.policies.find((p) => p.id === item.subjectId);
    if (!policy || !isAutoPolicy(policy)) return; // removed or turned off: the chain ends here
    const run = await runAutoAssignment(deps, policy.id);
    if (!run.ok) deps.logger.warn({ policyId: policy.id, code: run.error.code }, run.error.message);
    const next = autoAssignmentEvaluateDeadline(
      policy.id,
      nowIso(deps),
      settings.autoAssignmentIntervalMinutes,
    );
    const interval = settings.autoAssignmentIntervalMinutes * 60_000;
    await deps.due.schedule([{ ...next, dueAt: new Date(Date.parse(next.dueAt) + interval).toISOString() }]);
  };
